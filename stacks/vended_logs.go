package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
)

// vendedLogGroup is a log group that an AWS service writes to on the stage's behalf (WAF,
// Cognito): the stage's retention, kept with a production stage, and a name the service
// requires (aws-waf-logs-..., /aws/vendedlogs/...). The name ends in -<first part of the
// stack's id>: a production stack's groups outlive it, and a fixed name would make the next
// deploy of the same stage fail with "already exists".
type vendedLogGroup struct {
	awslogs.LogGroup
	// ARN is the group's ARN without the ":*" that Fn::GetAtt adds, the form WAF's
	// LogDestinationConfigs and Cognito's LogGroupArn (whose pattern refuses "*") take.
	ARN *string
}

// newVendedLogGroup creates the group named prefix-<stack id part>suffix.
func newVendedLogGroup(scope constructs.Construct, id, prefix, suffix string, s config.Stage) vendedLogGroup {
	lg := logGroup(scope, id, s)
	stackID := awscdk.Fn_Select(jsii.Number(0), awscdk.Fn_Split(jsii.String("-"),
		awscdk.Fn_Select(jsii.Number(2), awscdk.Fn_Split(jsii.String("/"), awscdk.Aws_STACK_ID(), nil)), nil))
	parts := []string{prefix, "-", *stackID}
	if suffix != "" {
		parts = append(parts, suffix)
	}
	lg.Node().DefaultChild().(awslogs.CfnLogGroup).SetLogGroupName(awscdk.Fn_Join(jsii.String(""), jsii.Strings(parts...)))
	arn := awscdk.Stack_Of(scope).FormatArn(&awscdk.ArnComponents{
		Service:      jsii.String("logs"),
		Resource:     jsii.String("log-group"),
		ResourceName: lg.LogGroupName(),
		ArnFormat:    awscdk.ArnFormat_COLON_RESOURCE_NAME,
	})
	return vendedLogGroup{LogGroup: lg, ARN: arn}
}
