package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// cloudFrontHostedZoneID is the hosted zone of every CloudFront distribution, which an alias
// record to one names (Route 53's AliasTarget reference; Cognito serves a custom domain through
// CloudFront).
const cloudFrontHostedZoneID = "Z2FDTNDATAQYW2"

// newLoginDomain serves managed login (version 2, the client's style) from the stage's own host
// name, beside the prefix domain, which keeps answering: a pool may have one of each, and
// Cognito's discovery document then names the custom one. Given a hosted zone, it writes the
// alias record to the domain's CloudFront distribution; either way it outputs that target. It
// returns https://<name>, the URL the stage's outputs and passkeys follow.
//
// Cognito also wants the parent domain (acme.io for auth.acme.io) to resolve, an A record,
// before it creates the domain; synth cannot check that (docs/operations.md says so).
func newLoginDomain(stack awscdk.Stack, d config.CustomDomain, pool awscognito.UserPool) *string {
	domain := awscognito.NewCfnUserPoolDomain(stack, jsii.String("LoginDomain"), &awscognito.CfnUserPoolDomainProps{
		UserPoolId:          pool.UserPoolId(),
		Domain:              jsii.String(d.Name),
		CustomDomainConfig:  &awscognito.CfnUserPoolDomain_CustomDomainConfigTypeProperty{CertificateArn: jsii.String(d.CertificateARN)},
		ManagedLoginVersion: jsii.Number(2),
	})
	pointDomain(stack, d, "LoginDomainAlias", names.OutLoginDomainTarget,
		domain.AttrCloudFrontDistribution(), jsii.String(cloudFrontHostedZoneID), "CloudFront distribution")
	return jsii.String(d.URL())
}

// pointDomain makes the custom domain d reach target, a name in the hosted zone targetZone:
// with d's hosted zone it writes the alias record (recordID); either way the output outputID
// names the target, for a record made elsewhere. targetKind says what the target is.
func pointDomain(stack awscdk.Stack, d config.CustomDomain, recordID, outputID string, target, targetZone *string, targetKind string) {
	if d.HostedZoneID != "" {
		awsroute53.NewCfnRecordSet(stack, jsii.String(recordID), &awsroute53.CfnRecordSetProps{
			HostedZoneId: jsii.String(d.HostedZoneID),
			Name:         jsii.String(d.Name),
			Type:         jsii.String("A"),
			AliasTarget: &awsroute53.CfnRecordSet_AliasTargetProperty{
				DnsName:              target,
				HostedZoneId:         targetZone,
				EvaluateTargetHealth: jsii.Bool(false),
			},
		})
	}
	awscdk.NewCfnOutput(stack, jsii.String(outputID), &awscdk.CfnOutputProps{
		Value:       target,
		Description: jsii.String(targetKind + " that " + d.Name + " must be an alias (or CNAME) of"),
	})
}

// passkeyRelyingParty is the domain passkeys are bound to: as set, else the login domain, else
// the prefix domain.
func passkeyRelyingParty(cfg config.Config) *string {
	switch si := cfg.Stage.SignIn; {
	case si.PasskeyRelyingParty != "":
		return jsii.String(si.PasskeyRelyingParty)
	case cfg.Stage.LoginDomain != nil:
		// Cognito requires the custom domain as relying party for managed login.
		return jsii.String(cfg.Stage.LoginDomain.Name)
	}
	return managedLoginHost(cfg)
}
