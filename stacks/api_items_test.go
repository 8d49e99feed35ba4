package stacks_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/items"
	"github.com/cognito-apigw/cognito-apigw/lambda/proxy/handler"
	"github.com/cognito-apigw/cognito-apigw/stacks"
)

// The items table and who may use it, from explicit props: a default stage and a production
// one, with each authorizer.

func TestItemsTable(t *testing.T) {
	for _, tc := range []struct {
		name       string
		production bool
		deletion   string // DeletionPolicy and UpdateReplacePolicy
	}{
		{"a default stage", false, "Delete"},
		{"a production stage", true, "Retain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tpl := synth(t, defaultStage(func(s *config.Stage) { s.Production = tc.production }))
			count(t, tpl.API, "AWS::DynamoDB::Table", 1)
			count(t, tpl.Auth, "AWS::DynamoDB::Table", 0)
			hasResource(t, tpl.API, "AWS::DynamoDB::Table", map[string]any{
				"DeletionPolicy":      tc.deletion,
				"UpdateReplacePolicy": tc.deletion,
				"Properties": map[string]any{
					// internal/items' key schema, the one the handler and setup-local use.
					"KeySchema": []any{
						map[string]any{"AttributeName": items.PartitionKey, "KeyType": "HASH"},
						map[string]any{"AttributeName": items.SortKey, "KeyType": "RANGE"},
					},
					"AttributeDefinitions": []any{
						map[string]any{"AttributeName": items.PartitionKey, "AttributeType": items.KeyType},
						map[string]any{"AttributeName": items.SortKey, "AttributeType": items.KeyType},
					},
					"BillingMode":                      "PAY_PER_REQUEST",
					"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
					// The AWS managed key (aws/dynamodb): SSE on, no key of the stack's own (KMS is
					// the only SSEType, and the default once SSEEnabled is true).
					"SSESpecification":          map[string]any{"SSEEnabled": true},
					"TimeToLiveSpecification":   map[string]any{"AttributeName": items.TimeToLive, "Enabled": true},
					"DeletionProtectionEnabled": tc.production,
				},
			})
			count(t, tpl.API, "AWS::KMS::Key", 0)
			hasProps(t, tpl.API, "AWS::Lambda::Function", map[string]any{
				"Description": "demo-api test API handler",
				"Environment": map[string]any{"Variables": objectLike(map[string]any{
					"ITEMS_TABLE": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Items[0-9A-F]{8}$"))},
				})},
			})
			noPanic(t, func() {
				tpl.API.HasOutput(jsii.String("ItemsTable"), map[string]any{"Value": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Items"))}})
			})
		})
	}
}

// TestItemsTableAccess: in the whole API stack, exactly one statement names DynamoDB: on the
// handler's role, the four calls the handler makes, on the table's ARN alone (no index, no
// other table, no wildcard), whichever authorizer the stage uses.
func TestItemsTableAccess(t *testing.T) {
	for _, authorizer := range []string{"cognito", "lambda"} {
		t.Run(authorizer, func(t *testing.T) {
			tpl := synth(t, defaultStage(func(s *config.Stage) { s.Authorizer = authorizer }))
			var api map[string]any
			noPanic(t, func() { api = *tpl.API.ToJSON() })
			var found []string
			for id, p := range resourcesOf(api, "AWS::IAM::Policy") {
				policy := props(p)
				for _, st := range policy["PolicyDocument"].(map[string]any)["Statement"].([]any) {
					st := st.(map[string]any)
					if !strings.Contains(asJSON(st["Action"]), "dynamodb:") {
						continue
					}
					found = append(found, id)
					if got := asJSON(policy["Roles"]); !strings.HasPrefix(got, `[{"Ref":"HandlerRole`) {
						t.Errorf("%s grants DynamoDB to %s; want the handler's role only", id, got)
					}
					var actions []string
					for _, a := range st["Action"].([]any) {
						actions = append(actions, a.(string))
					}
					slices.Sort(actions)
					want := slices.Sorted(slices.Values(stacks.ItemsTableActions))
					if !slices.Equal(actions, want) || st["Effect"] != "Allow" || st["Condition"] != nil {
						t.Errorf("DynamoDB statement %s; want Allow %v and nothing more", asJSON(st), want)
					}
					if got := asJSON(st["Resource"]); !strings.HasPrefix(got, `{"Fn::GetAtt":["Items`) || !strings.HasSuffix(got, `","Arn"]}`) {
						t.Errorf("DynamoDB statement on %s; want the items table's ARN alone", got)
					}
				}
			}
			if len(found) != 1 {
				t.Errorf("%d statements name DynamoDB (%v); want the handler's one", len(found), found)
			}
			// Nothing reads every caller's items, and no managed policy widens the roles.
			if s := asJSON(api); strings.Contains(s, "dynamodb:Scan") || strings.Contains(s, "dynamodb:*") || strings.Contains(s, "AmazonDynamoDB") {
				t.Error("the API stack mentions dynamodb:Scan, dynamodb:* or a DynamoDB managed policy")
			}
		})
	}
}

// TestItemsTableActionsAreTheHandlers: the role may make exactly the calls the handler's
// DynamoDB interface has.
func TestItemsTableActionsAreTheHandlers(t *testing.T) {
	var want []string
	for m := range reflect.TypeFor[handler.DynamoDB]().Methods() {
		want = append(want, "dynamodb:"+m.Name)
	}
	slices.Sort(want)
	if got := slices.Sorted(slices.Values(stacks.ItemsTableActions)); !slices.Equal(got, want) || len(want) != 4 {
		t.Errorf("ItemsTableActions = %v, the handler calls %v", got, want)
	}
}
