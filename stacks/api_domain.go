package stacks

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// addAPIDomain serves the API stage from the stage's own host name: a regional custom domain
// with a TLS 1.2 security policy, its root mapped to the stage, and, given a hosted zone, the
// alias record. newRestAPI turns the execute-api endpoint off on such a stage, so the custom
// domain, with its TLS policy, is the one way in. It returns https://<name>/, the API's URL.
//
// A regional domain takes a certificate from the API's own Region. The stacks are
// Region-agnostic, so synth usually cannot compare: a CloudFormation rule refuses, before
// anything changes, a deploy to another Region; when the stack has an explicit Region, synth
// refuses at once.
func addAPIDomain(stack awscdk.Stack, d config.CustomDomain, api awsapigateway.RestApi) *string {
	certRegion := d.CertificateRegion()
	if region := stack.Region(); !*awscdk.Token_IsUnresolved(region) && *region != certRegion {
		awscdk.Annotations_Of(stack).AddError(jsii.String(fmt.Sprintf(
			"apiDomain.certificateArn: the certificate is in %s, the API in %s: a regional custom domain takes a certificate from the API's Region",
			certRegion, *region)))
	}
	awscdk.NewCfnRule(stack, jsii.String("ApiCertificateInApiRegion"), &awscdk.CfnRuleProps{
		Assertions: &[]*awscdk.CfnRuleAssertion{{
			Assert: awscdk.Fn_ConditionEquals(awscdk.Aws_REGION(), jsii.String(certRegion)),
			AssertDescription: jsii.String("apiDomain.certificateArn is a certificate in " + certRegion +
				": a regional API domain takes a certificate from the API's own Region; deploy there or use a certificate of this Region"),
		}},
	})

	domain := api.AddDomainName(jsii.String("Domain"), &awsapigateway.DomainNameOptions{
		DomainName:     jsii.String(d.Name),
		Certificate:    awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("DomainCertificate"), jsii.String(d.CertificateARN)),
		EndpointType:   awsapigateway.EndpointType_REGIONAL,
		SecurityPolicy: awsapigateway.SecurityPolicy_TLS_1_2,
	})
	pointDomain(stack, d, "DomainAlias", names.OutAPIDomainTarget,
		domain.DomainNameAliasDomainName(), domain.DomainNameAliasHostedZoneId(), "Regional domain name")
	// The CDK's own output of the execute-api URL would point at an endpoint that is off.
	api.Node().TryRemoveChild(jsii.String("Endpoint"))
	return jsii.String(d.URL() + "/")
}
