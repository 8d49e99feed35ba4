// Package localdb is the items table on a local DynamoDB: dynalite (pinned in package.json,
// an implementation of DynamoDB on LevelDB), which `npx dynalite --path DIR` keeps on disk. It
// makes the client the local tools use (cmd/local, `authctl setup-local`, the tests and the
// benchmark) and the table as `authctl setup-local` creates it, from the key schema the API
// stack synthesizes (internal/items), so that the local table and the deployed one agree.
package localdb

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-apigw/cognito-apigw/internal/items"
	"github.com/cognito-apigw/cognito-apigw/internal/loopback"
)

// DefaultEndpoint is dynalite's own default port, on loopback.
const DefaultEndpoint = "http://localhost:4567"

// Region is the Region name the local clients use; dynalite ignores it.
const Region = "local"

// ErrNotLoopback means an endpoint that is not on this machine: the local tools never write
// to a DynamoDB in AWS (cdk deploy makes that table).
var ErrNotLoopback = errors.New("want a loopback URL such as " + DefaultEndpoint + ": the local tools only use a DynamoDB on this machine")

// Client is a DynamoDB client for the local server at endpoint, which must be loopback. A
// local server checks no signature, so it gets fixed credentials, never the machine's.
func Client(endpoint string) (*dynamodb.Client, error) {
	if !loopback.IsURL(endpoint) {
		return nil, fmt.Errorf("DynamoDB endpoint %q: %w", endpoint, ErrNotLoopback)
	}
	return dynamodb.New(dynamodb.Options{
		Region:       Region,
		BaseEndpoint: aws.String(endpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local", Source: "localdb"}, nil
		}),
	}), nil
}

// CreateTableInput is the items table as the API stack makes it, less what dynalite does not
// implement (time to live, point-in-time recovery, encryption settings): the key schema of
// internal/items, on demand.
func CreateTableInput(name string) *dynamodb.CreateTableInput {
	typ := types.ScalarAttributeType(items.KeyType)
	return &dynamodb.CreateTableInput{
		TableName: aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String(items.PartitionKey), AttributeType: typ},
			{AttributeName: aws.String(items.SortKey), AttributeType: typ},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(items.PartitionKey), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(items.SortKey), KeyType: types.KeyTypeRange},
		},
		BillingMode: types.BillingModePayPerRequest,
	}
}

// EnsureTable creates the items table called name unless it exists, and waits until it is
// active. created is false when it existed with the right key schema (its items kept); a
// table of that name with another key schema is an error, not replaced.
func EnsureTable(ctx context.Context, c *dynamodb.Client, name string) (created bool, err error) {
	_, err = c.CreateTable(ctx, CreateTableInput(name))
	var inUse *types.ResourceInUseException
	switch {
	case errors.As(err, &inUse):
	case err != nil:
		return false, describe(err)
	default:
		created = true
	}
	return created, waitActive(ctx, c, name)
}

// CheckTable reports what is wrong with the table called name: missing, not active yet, or
// with another key schema than internal/items'.
func CheckTable(ctx context.Context, c *dynamodb.Client, name string) error {
	out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		return describe(err)
	}
	if out.Table.TableStatus != types.TableStatusActive {
		return fmt.Errorf("table %s is %s, not ACTIVE yet", name, out.Table.TableStatus)
	}
	return checkSchema(name, out.Table)
}

func checkSchema(name string, t *types.TableDescription) error {
	want := CreateTableInput(name)
	attrTypes := map[string]types.ScalarAttributeType{}
	for _, a := range t.AttributeDefinitions {
		attrTypes[aws.ToString(a.AttributeName)] = a.AttributeType
	}
	ok := len(t.KeySchema) == len(want.KeySchema)
	for i := 0; ok && i < len(want.KeySchema); i++ {
		w, g := want.KeySchema[i], t.KeySchema[i]
		ok = aws.ToString(g.AttributeName) == aws.ToString(w.AttributeName) && g.KeyType == w.KeyType &&
			attrTypes[aws.ToString(g.AttributeName)] == want.AttributeDefinitions[i].AttributeType
	}
	if !ok {
		return fmt.Errorf("table %s exists with another key schema; want %s (%s, HASH) and %s (%s, RANGE) as internal/items defines them: delete it (or the local DynamoDB's data folder) and run setup-local again",
			name, items.PartitionKey, items.KeyType, items.SortKey, items.KeyType)
	}
	return nil
}

// waitActive polls until the table is active (dynalite keeps a new table CREATING for
// --createTableMs, 500 ms by default) or ctx ends.
func waitActive(ctx context.Context, c *dynamodb.Client, name string) error {
	for {
		out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		if err != nil {
			return describe(err)
		}
		if out.Table.TableStatus == types.TableStatusActive {
			return checkSchema(name, out.Table)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("table %s: %w", name, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// describe says "is it running?" for a server that does not answer.
func describe(err error) error {
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return fmt.Errorf("cannot reach the local DynamoDB (%v): is it running? Start it with: npx dynalite --port 4567 --path .dynalite", opErr.Err)
	}
	return err
}
