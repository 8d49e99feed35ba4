package localdb_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-apigw/cognito-apigw/internal/items"
	"github.com/cognito-apigw/cognito-apigw/internal/localdb"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

func TestClientIsLocalOnly(t *testing.T) {
	for _, endpoint := range []string{"https://dynamodb.eu-west-1.amazonaws.com", "http://192.0.2.1:4567", "localhost:4567", ""} {
		if _, err := localdb.Client(endpoint); !errors.Is(err, localdb.ErrNotLoopback) {
			t.Errorf("Client(%q) = %v, want ErrNotLoopback", endpoint, err)
		}
	}
	for _, endpoint := range []string{localdb.DefaultEndpoint, "http://127.0.0.1:4567", "http://[::1]:8000"} {
		if _, err := localdb.Client(endpoint); err != nil {
			t.Errorf("Client(%q): %v", endpoint, err)
		}
	}
}

// The local table has the key schema the API stack synthesizes (stacks' tests check the
// template against internal/items too).
func TestCreateTableInput(t *testing.T) {
	in := localdb.CreateTableInput("t")
	got := map[string]string{}
	for _, k := range in.KeySchema {
		got[aws.ToString(k.AttributeName)] = string(k.KeyType)
	}
	for _, a := range in.AttributeDefinitions {
		got[aws.ToString(a.AttributeName)] += " " + string(a.AttributeType)
	}
	want := map[string]string{items.PartitionKey: "HASH " + items.KeyType, items.SortKey: "RANGE " + items.KeyType}
	if len(got) != 2 || got[items.PartitionKey] != want[items.PartitionKey] || got[items.SortKey] != want[items.SortKey] ||
		in.BillingMode != types.BillingModePayPerRequest {
		t.Errorf("key schema %v, billing %s; want %v on demand", got, in.BillingMode, want)
	}
}

func TestEnsureTable(t *testing.T) {
	c, err := localdb.Client(testkit.Dynalite(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := localdb.CheckTable(ctx, c, "items"); err == nil || !strings.Contains(err.Error(), "ResourceNotFoundException") {
		t.Errorf("CheckTable of a missing table: %v", err)
	}
	if created, err := localdb.EnsureTable(ctx, c, "items"); !created || err != nil {
		t.Fatalf("EnsureTable: %v, %v", created, err)
	}
	key := map[string]types.AttributeValue{
		items.PartitionKey: &types.AttributeValueMemberS{Value: "alice"}, items.SortKey: &types.AttributeValueMemberS{Value: items.ItemKey("x")},
	}
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("items"), Item: key}); err != nil {
		t.Fatal(err)
	}
	// Again: the table stays, with its items.
	if created, err := localdb.EnsureTable(ctx, c, "items"); created || err != nil {
		t.Fatalf("EnsureTable of an existing table: %v, %v", created, err)
	}
	if out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("items"), Key: key}); err != nil || out.Item == nil {
		t.Errorf("the item is gone: %v", err)
	}
	if err := localdb.CheckTable(ctx, c, "items"); err != nil {
		t.Errorf("CheckTable: %v", err)
	}
	// A table of that name with another key schema is reported, not replaced.
	if _, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("other"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := localdb.EnsureTable(ctx, c, "other"); err == nil || !strings.Contains(err.Error(), "another key schema") {
		t.Errorf("EnsureTable over another schema: %v", err)
	}
}

func TestEnsureTableWithoutServer(t *testing.T) {
	c, err := localdb.Client("http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := localdb.EnsureTable(ctx, c, "items"); err == nil || !strings.Contains(err.Error(), "npx dynalite") {
		t.Errorf("EnsureTable without a server: %v; want how to start one", err)
	}
}
