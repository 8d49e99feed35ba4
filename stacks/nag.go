package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// Every cdk-nag finding the stacks expect is waived here, on the narrowest resource, beside its
// reason. docs/security.md lists each one; TestNagSuppressionsAreDocumented keeps
// the two in step, and TestCdkNag fails on any finding not waived.

// suppressUserPoolFindings waives the pool findings that follow from the stage's settings.
func suppressUserPoolFindings(pool awscognito.UserPool, s config.Stage) {
	var waived []nagSuppression
	if !s.ThreatProtection {
		waived = append(waived, nagSuppression{Rule: "AwsSolutions-COG3",
			Reason: "Threat protection needs the PLUS feature plan, billed per monthly active user; the stage setting threatProtection turns it on (on in prod)."})
	}
	if s.EffectiveFeaturePlan() != "PLUS" {
		waived = append(waived, nagSuppression{Rule: "AwsSolutions-COG8",
			Reason: "The PLUS feature plan is billed per monthly active user; the stage setting threatProtection (or featurePlan: PLUS) selects it (on in prod)."})
	}
	if s.MFA != "required" {
		waived = append(waived, nagSuppression{Rule: "AwsSolutions-COG2",
			Reason: "MFA is offered (TOTP) but not forced, so that sign-up works without an authenticator app; the stage setting mfa: required forces it."})
	}
	suppress(pool, waived...)
}

// suppressApiFindings waives the findings of the REST API, its methods, its stage and the
// account's API Gateway CloudWatch role.
func suppressApiFindings(api awsapigateway.RestApi, s config.Stage) {
	for _, m := range *api.Methods() {
		suppress(m, methodSuppressions(s, *m.HttpMethod(), *m.Resource().Path())...)
	}
	if !s.WAF.Enabled {
		suppress(api.DeploymentStage(), nagSuppression{Rule: "AwsSolutions-APIG3",
			Reason: "WAF is off on this non-production stage to save its monthly cost; the stage setting waf.enabled turns it on (on in prod)."})
	}
	suppress(api, nagSuppression{Rule: "AwsSolutions-APIG2",
		Reason: "The Go handler validates request bodies and answers 400 with a stable JSON error code; API Gateway's validator would need a model per method and answer in another format."})
	suppress(api.Node().FindChild(jsii.String("CloudWatchRole")), nagSuppression{
		Rule:      "AwsSolutions-IAM4",
		Reason:    "The account-wide role API Gateway uses to write execution logs of every REST API in the Region; AWS's managed policy is the documented policy for it.",
		AppliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"},
	})
}

// methodSuppressions are the cdk-nag findings a method is expected to have: public routes take
// no token, and with the token authorizer no method uses the Cognito authorizer itself.
func methodSuppressions(s config.Stage, method, path string) []nagSuppression {
	if method == "OPTIONS" { // CORS preflight, which cdk-nag does not check
		return nil
	}
	if r, ok := s.Routes.Lookup(method, path); ok && r.Access == routes.Public {
		why := "Public by design: the route table lists " + r.Key() + " as public, so it takes no token."
		return []nagSuppression{{Rule: "AwsSolutions-APIG4", Reason: why}, {Rule: "AwsSolutions-COG4", Reason: why}}
	}
	if s.Authorizer == "lambda" {
		return []nagSuppression{{Rule: "AwsSolutions-COG4",
			Reason: "The stage uses the Go token authorizer (authorizer: lambda), which verifies this user pool's tokens and allows only the routes their scopes and groups permit."}}
	}
	return nil
}

// nagSuppression waives one cdk-nag rule on one resource, with the reason a reviewer reads.
type nagSuppression struct {
	Rule   string
	Reason string
	// AppliesTo narrows a granular rule (such as AwsSolutions-IAM4) to the findings named.
	AppliesTo []string
}

// suppress writes the suppressions as the "cdk_nag" metadata cdk-nag reads, on the resource
// itself (or the construct's default resource); none writes nothing. Writing the metadata
// directly keeps cdk-nag out of `cdk synth`: only the tests load it.
func suppress(c constructs.IConstruct, suppressions ...nagSuppression) {
	if len(suppressions) == 0 {
		return
	}
	resource, ok := c.(awscdk.CfnResource)
	if !ok {
		resource = c.Node().DefaultChild().(awscdk.CfnResource)
	}
	rules := make([]map[string]any, len(suppressions))
	for i, s := range suppressions {
		rules[i] = map[string]any{"id": s.Rule, "reason": s.Reason}
		if len(s.AppliesTo) > 0 {
			rules[i]["applies_to"] = s.AppliesTo
		}
	}
	resource.AddMetadata(jsii.String("cdk_nag"), map[string]any{"rules_to_suppress": rules})
}
