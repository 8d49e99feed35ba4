package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
)

// X-Ray active tracing (tracing): API Gateway traces the stage, and each function traces its
// invocations. The functions carry no X-Ray SDK: their traces show Lambda's own segments
// (initialization, invocation, overhead), which is where a slow request spends its time here.

// functionTracing is the Tracing a function of the stage gets: active, or left out. With it, the
// CDK adds xray:PutTraceSegments and xray:PutTelemetryRecords to the function's role.
func functionTracing(s config.Stage) awslambda.Tracing {
	if s.Tracing {
		return awslambda.Tracing_ACTIVE
	}
	return ""
}

// stageTracing is the API stage's TracingEnabled: true, or left out.
func stageTracing(s config.Stage) *bool {
	if s.Tracing {
		return jsii.Bool(true)
	}
	return nil
}

// suppressTracingFindings waives the wildcard cdk-nag finds in a traced function's role:
// X-Ray's write actions name no resource, so "*" is the only resource they can have.
func suppressTracingFindings(role awsiam.Role, s config.Stage) {
	if !s.Tracing {
		return
	}
	suppress(role.Node().FindChild(jsii.String("DefaultPolicy")), nagSuppression{
		Rule:      "AwsSolutions-IAM5",
		Reason:    "X-Ray tracing (the stage setting tracing): xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so their resource is *.",
		AppliesTo: []string{"Resource::*"},
	})
}
