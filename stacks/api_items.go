package stacks

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/items"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// ItemsTableActions are everything the handler does to the items table, and so all its role
// may do there: no Scan (every caller's items), no batch or transaction calls, no other table.
var ItemsTableActions = []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"}

// newItemsTable creates the table of /items from internal/items' key schema: on demand (no
// capacity to plan for a sample), point-in-time recovery, and kept with a production stage
// as its user pool is (retained, deletion-protected). It is encrypted with the AWS managed
// key aws/dynamodb rather than the default AWS owned key: every use of the key is in the
// account's CloudTrail, there is no key to manage or to lose (a customer managed key would
// add a key policy, $1 a month, and kms:Decrypt to the handler's role), and no KMS
// permission is needed by the role.
func newItemsTable(stack awscdk.Stack, s config.Stage) awsdynamodb.Table {
	table := awsdynamodb.NewTable(stack, jsii.String("Items"), &awsdynamodb.TableProps{
		PartitionKey: &awsdynamodb.Attribute{Name: jsii.String(items.PartitionKey), Type: attributeType(items.KeyType)},
		SortKey:      &awsdynamodb.Attribute{Name: jsii.String(items.SortKey), Type: attributeType(items.KeyType)},
		BillingMode:  awsdynamodb.BillingMode_PAY_PER_REQUEST,
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
			PointInTimeRecoveryEnabled: jsii.Bool(true),
		},
		Encryption: awsdynamodb.TableEncryption_AWS_MANAGED,
		// Idempotency records expire; items carry no such attribute and stay.
		TimeToLiveAttribute: jsii.String(items.TimeToLive),
		DeletionProtection:  jsii.Bool(s.Production),
		RemovalPolicy:       removalPolicy(s.Production),
	})
	awscdk.NewCfnOutput(stack, jsii.String(names.OutItemsTable), &awscdk.CfnOutputProps{
		Value:       table.TableName(),
		Description: jsii.String("DynamoDB table of the API's items"),
	})
	return table
}

// allowItems lets role do ItemsTableActions on table and nothing else. It is one statement of
// its own rather than a grant: Table.Grant also names the table's indexes (an Fn::If on
// AWS::NoValue when there are none), and grantReadWriteData adds Scan and the batch calls.
func allowItems(role awsiam.IRole, table awsdynamodb.Table) {
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings(ItemsTableActions...),
		Resources: jsii.Strings(*table.TableArn()),
	}))
}

// attributeType is a DynamoDB scalar type (S, N, B) as the CDK names it.
func attributeType(t string) awsdynamodb.AttributeType {
	switch t {
	case "S":
		return awsdynamodb.AttributeType_STRING
	case "N":
		return awsdynamodb.AttributeType_NUMBER
	case "B":
		return awsdynamodb.AttributeType_BINARY
	}
	panic(fmt.Sprintf("items: key type %q is not a DynamoDB scalar type", t))
}
