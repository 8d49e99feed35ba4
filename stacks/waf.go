package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// newWebACL puts a regional WAF web ACL in front of the API stage: AWS's common rule set
// against the usual exploits, and a per-IP rate limit that blocks floods before they cost
// Lambda invocations or authorizer calls. What it blocks is logged (logWebACL).
func newWebACL(scope constructs.Construct, cfg config.Config, stage awsapigateway.Stage) awswafv2.CfnWebACL {
	name := names.Prefix(cfg.AppName, cfg.StageName)
	aclName := names.APIWebACL(cfg.AppName, cfg.StageName) // also its metric, which the alarms watch
	visibility := func(metric string) *awswafv2.CfnWebACL_VisibilityConfigProperty {
		return &awswafv2.CfnWebACL_VisibilityConfigProperty{
			CloudWatchMetricsEnabled: jsii.Bool(true),
			MetricName:               jsii.String(metric),
			SampledRequestsEnabled:   jsii.Bool(true),
		}
	}
	acl := awswafv2.NewCfnWebACL(scope, jsii.String("WebAcl"), &awswafv2.CfnWebACLProps{
		Name:             jsii.String(aclName),
		Scope:            jsii.String("REGIONAL"),
		DefaultAction:    &awswafv2.CfnWebACL_DefaultActionProperty{Allow: map[string]any{}},
		VisibilityConfig: visibility(aclName),
		Rules: []any{
			&awswafv2.CfnWebACL_RuleProperty{
				Name:           jsii.String("AWSManagedRulesCommonRuleSet"),
				Priority:       jsii.Number(0),
				OverrideAction: &awswafv2.CfnWebACL_OverrideActionProperty{None: map[string]any{}},
				Statement: &awswafv2.CfnWebACL_StatementProperty{
					ManagedRuleGroupStatement: &awswafv2.CfnWebACL_ManagedRuleGroupStatementProperty{
						VendorName: jsii.String("AWS"),
						Name:       jsii.String("AWSManagedRulesCommonRuleSet"),
					},
				},
				VisibilityConfig: visibility(name + "-common"),
			},
			&awswafv2.CfnWebACL_RuleProperty{
				Name:     jsii.String("RateLimitPerIP"),
				Priority: jsii.Number(1),
				Action:   &awswafv2.CfnWebACL_RuleActionProperty{Block: map[string]any{}},
				Statement: &awswafv2.CfnWebACL_StatementProperty{
					RateBasedStatement: &awswafv2.CfnWebACL_RateBasedStatementProperty{
						Limit:               jsii.Number(cfg.WAF.RateLimit),
						AggregateKeyType:    jsii.String("IP"),
						EvaluationWindowSec: jsii.Number(300),
					},
				},
				VisibilityConfig: visibility(name + "-rate"),
			},
		},
	})
	awswafv2.NewCfnWebACLAssociation(scope, jsii.String("WebAclAssociation"), &awswafv2.CfnWebACLAssociationProps{
		ResourceArn: stage.StageArn(),
		WebAclArn:   acl.AttrArn(),
	})
	logWebACL(scope, cfg, acl, "api")
	return acl
}
