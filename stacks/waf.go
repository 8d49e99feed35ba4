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
func newWebACL(scope constructs.Construct, cfg config.Config, stage awsapigateway.Stage) {
	name := names.Prefix(cfg.AppName, cfg.StageName)
	aclName := names.APIWebACL(cfg.AppName, cfg.StageName) // also its metric, which the alarms watch
	attachWebACL(scope, cfg, "WebAcl", aclName, "", stage.StageArn(), "api",
		managedRuleGroup(0, "AWSManagedRulesCommonRuleSet", name+"-common", nil),
		rateLimitRule(1, cfg.WAF.RateLimit, name+"-rate"),
	)
}

// attachWebACL creates the regional web ACL id named name (also its metric) with rules, which
// lets through what no rule blocks, associates it with the resource resourceARN, and logs
// what it blocks under the stage's WAF log group for kind (logWebACL).
func attachWebACL(scope constructs.Construct, cfg config.Config, id, name, description string, resourceARN *string, kind string, rules ...any) {
	props := &awswafv2.CfnWebACLProps{
		Name:             jsii.String(name),
		Scope:            jsii.String("REGIONAL"),
		DefaultAction:    &awswafv2.CfnWebACL_DefaultActionProperty{Allow: map[string]any{}},
		VisibilityConfig: wafVisibility(name),
		Rules:            rules,
	}
	if description != "" {
		props.Description = jsii.String(description)
	}
	acl := awswafv2.NewCfnWebACL(scope, jsii.String(id), props)
	awswafv2.NewCfnWebACLAssociation(scope, jsii.String(id+"Association"), &awswafv2.CfnWebACLAssociationProps{
		ResourceArn: resourceARN,
		WebAclArn:   acl.AttrArn(),
	})
	logWebACL(scope, cfg, acl, kind)
}

// wafVisibility turns on a web ACL's or a rule's CloudWatch metric and request samples.
func wafVisibility(metric string) *awswafv2.CfnWebACL_VisibilityConfigProperty {
	return &awswafv2.CfnWebACL_VisibilityConfigProperty{
		CloudWatchMetricsEnabled: jsii.Bool(true),
		MetricName:               jsii.String(metric),
		SampledRequestsEnabled:   jsii.Bool(true),
	}
}

// managedRuleGroup is a rule that applies one of AWS's managed rule groups as the group says,
// except for the rules overrides name.
func managedRuleGroup(priority int, group, metric string, overrides []any) *awswafv2.CfnWebACL_RuleProperty {
	statement := &awswafv2.CfnWebACL_ManagedRuleGroupStatementProperty{VendorName: jsii.String("AWS"), Name: jsii.String(group)}
	if len(overrides) > 0 {
		statement.RuleActionOverrides = overrides
	}
	return &awswafv2.CfnWebACL_RuleProperty{
		Name:             jsii.String(group),
		Priority:         jsii.Number(priority),
		OverrideAction:   &awswafv2.CfnWebACL_OverrideActionProperty{None: map[string]any{}},
		Statement:        &awswafv2.CfnWebACL_StatementProperty{ManagedRuleGroupStatement: statement},
		VisibilityConfig: wafVisibility(metric),
	}
}

// rateLimitRule blocks an IP address that sent more than limit requests in the last 5 minutes.
func rateLimitRule(priority, limit int, metric string) *awswafv2.CfnWebACL_RuleProperty {
	return &awswafv2.CfnWebACL_RuleProperty{
		Name:     jsii.String("RateLimitPerIP"),
		Priority: jsii.Number(priority),
		Action:   &awswafv2.CfnWebACL_RuleActionProperty{Block: map[string]any{}},
		Statement: &awswafv2.CfnWebACL_StatementProperty{
			RateBasedStatement: &awswafv2.CfnWebACL_RateBasedStatementProperty{
				Limit:               jsii.Number(limit),
				AggregateKeyType:    jsii.String("IP"),
				EvaluationWindowSec: jsii.Number(300),
			},
		},
		VisibilityConfig: wafVisibility(metric),
	}
}
