package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// nagSuppression waives one cdk-nag rule on one resource, with the reason a reviewer reads.
// Every suppression is listed in the README's security section; a test keeps the two in step.
type nagSuppression struct {
	Rule   string
	Reason string
	// AppliesTo narrows a granular rule (such as AwsSolutions-IAM4) to the findings named.
	AppliesTo []string
}

// suppress writes the suppressions as the "cdk_nag" metadata cdk-nag reads, on the resource
// itself (or the construct's default resource). Writing the metadata directly keeps cdk-nag out
// of `cdk synth`: only the tests load it.
func suppress(c constructs.IConstruct, suppressions ...nagSuppression) {
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
