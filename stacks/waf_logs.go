package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// wafRedactedHeaders are kept out of WAF's logs: a bearer token in Authorization, and the
// managed-login session cookies in Cookie, would let anyone who reads the logs act as the user.
var wafRedactedHeaders = []string{"authorization", "cookie"}

// logWebACL sends what the web ACL did to CloudWatch Logs, in a log group named
// aws-waf-logs-<app>-<stage>-<which>-... (WAF refuses any other name) with the stage's
// retention. Only requests a rule blocked or counted are kept: the allowed ones are the bulk
// of the traffic (the API's access logs have its own), and the log is for what WAF did.
func logWebACL(scope constructs.Construct, cfg config.Config, acl awswafv2.CfnWebACL, which string) {
	group := newVendedLogGroup(scope, "WebAclLogs", "aws-waf-logs-"+names.Prefix(cfg.AppName, cfg.StageName)+"-"+which, "", cfg.Stage)
	redacted := make([]any, len(wafRedactedHeaders))
	for i, h := range wafRedactedHeaders {
		redacted[i] = &awswafv2.CfnLoggingConfiguration_FieldToMatchProperty{SingleHeader: map[string]any{"Name": h}}
	}
	keep := func(action string) map[string]any {
		return map[string]any{"ActionCondition": map[string]any{"Action": action}}
	}
	awswafv2.NewCfnLoggingConfiguration(scope, jsii.String("WebAclLogging"), &awswafv2.CfnLoggingConfigurationProps{
		ResourceArn:           acl.AttrArn(),
		LogDestinationConfigs: &[]any{group.ARN},
		RedactedFields:        redacted,
		// LoggingFilter is a JSON property: the CDK passes it on as written, keys and all.
		LoggingFilter: map[string]any{
			"DefaultBehavior": "DROP",
			"Filters": []any{map[string]any{
				"Behavior":    "KEEP",
				"Requirement": "MEETS_ANY",
				"Conditions":  []any{keep("BLOCK"), keep("COUNT")},
			}},
		},
	})
}
