package stacks

import (
	"net/url"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// poolEmail is the pool's sender: nil keeps Cognito's own (the CDK's default), else Amazon SES
// with the stage's identity, in the SES Region given or the pool's own.
func poolEmail(e config.Email) awscognito.UserPoolEmail {
	if !e.UsesSES() {
		return nil
	}
	region := e.SESRegion
	if region == "" {
		// SES in the pool's own Region, which Cognito accepts everywhere.
		region = *awscdk.Aws_REGION()
	}
	return awscognito.UserPoolEmail_WithSES(&awscognito.UserPoolSESOptions{
		FromEmail:            jsii.String(e.From),
		FromName:             nonEmpty(e.FromName),
		ReplyTo:              nonEmpty(e.ReplyTo),
		SesRegion:            jsii.String(region),
		ConfigurationSetName: nonEmpty(e.ConfigurationSet),
		SesVerifiedDomain:    nonEmpty(e.VerifiedDomain),
	})
}

// addSESRegionRule makes CloudFormation refuse, before it changes anything, a deploy whose
// Region cannot send with SES in the configured sesRegion: the stacks are Region-agnostic, so
// synth cannot check it. A rule may read AWS::Region: AWS's guide does not say so, but
// aws-samples/amazon-cloudfront-secure-static-site#50 shows such a rule stopping a deploy.
func addSESRegionRule(stack awscdk.Stack, e config.Email) {
	if !e.UsesSES() || e.SESRegion == "" {
		return
	}
	regions := config.PoolRegionsForSES(e.SESRegion)
	awscdk.NewCfnRule(stack, jsii.String("SesRegionServesPoolRegion"), &awscdk.CfnRuleProps{
		Assertions: &[]*awscdk.CfnRuleAssertion{{
			Assert: awscdk.Fn_ConditionContains(jsii.Strings(regions...), awscdk.Aws_REGION()),
			AssertDescription: jsii.String("email.sesRegion " + e.SESRegion + " serves user pools in " + strings.Join(regions, ", ") +
				" only (Cognito developer guide, Amazon SES email configuration Regions): deploy there or change email.sesRegion"),
		}},
	})
}

// secretValue is a dynamic reference to the secret: CloudFormation resolves it at deploy, so
// the value is in neither the template nor the synth output.
func secretValue(ref *config.SecretRef) *string {
	return awscdk.SecretValue_SecretsManager(jsii.String(ref.SecretsManager), &awscdk.SecretsManagerSecretOptions{
		JsonField: jsii.String(ref.Field),
	}).UnsafeUnwrap()
}

// addIdentityProviders creates the stage's identity providers. samlMetadata holds the content
// of each SAML provider's metadataFile, by provider name.
func addIdentityProviders(stack awscdk.Stack, pool awscognito.UserPool, s config.Stage, samlMetadata map[string]string) []awscognito.CfnUserPoolIdentityProvider {
	var out []awscognito.CfnUserPoolIdentityProvider
	for _, p := range s.IdentityProviders {
		details := map[string]*string{}
		if p.Type != config.IdPSAML {
			details["client_id"] = jsii.String(p.ClientID)
			details["authorize_scopes"] = jsii.String(strings.Join(p.EffectiveScopes(), p.ScopeSeparator()))
		}
		if p.ClientSecret != nil {
			details["client_secret"] = secretValue(p.ClientSecret)
		}
		switch p.Type {
		case config.IdPApple:
			details["team_id"] = jsii.String(p.TeamID)
			details["key_id"] = jsii.String(p.KeyID)
			details["private_key"] = secretValue(p.PrivateKey)
		case config.IdPOIDC:
			method := p.AttributesRequestMethod
			if method == "" {
				method = "GET"
			}
			details["oidc_issuer"] = jsii.String(p.Issuer)
			details["attributes_request_method"] = jsii.String(method)
		case config.IdPSAML:
			if p.MetadataURL != "" {
				details["MetadataURL"] = jsii.String(p.MetadataURL)
			} else {
				details["MetadataFile"] = jsii.String(samlMetadata[p.ProviderName()])
			}
		}
		mapping := map[string]*string{}
		for k, v := range p.EffectiveMapping() {
			mapping[k] = jsii.String(v)
		}
		var identifiers *[]*string
		if len(p.Identifiers) > 0 {
			identifiers = jsii.Strings(p.Identifiers...)
		}
		out = append(out, awscognito.NewCfnUserPoolIdentityProvider(stack, jsii.String("IdentityProvider "+p.ProviderName()), &awscognito.CfnUserPoolIdentityProviderProps{
			UserPoolId:       pool.UserPoolId(),
			ProviderName:     jsii.String(p.ProviderName()),
			ProviderType:     jsii.String(p.ProviderType()),
			ProviderDetails:  details,
			AttributeMapping: mapping,
			IdpIdentifiers:   identifiers,
		}))
	}
	return out
}

// clientProviders are the sign-in options the app client offers: the pool's own users unless
// cognitoSignIn is false, and every identity provider.
func clientProviders(s config.Stage) *[]awscognito.UserPoolClientIdentityProvider {
	var list []awscognito.UserPoolClientIdentityProvider
	if s.CognitoSignIn {
		list = append(list, awscognito.UserPoolClientIdentityProvider_COGNITO())
	}
	for _, p := range s.IdentityProviders {
		list = append(list, awscognito.UserPoolClientIdentityProvider_Custom(jsii.String(p.ProviderName())))
	}
	return &list
}

// addProviderSignInOutputs writes one sign-in URL per identity provider: identity_provider=
// sends the browser straight to the provider, past the managed login's chooser.
func addProviderSignInOutputs(stack awscdk.Stack, s config.Stage, signInURL string) {
	for _, p := range s.IdentityProviders {
		awscdk.NewCfnOutput(stack, jsii.String(names.ProviderSignInURL(p.OutputSuffix())), &awscdk.CfnOutputProps{
			Value:       jsii.String(signInURL + "&" + url.Values{"identity_provider": {p.ProviderName()}}.Encode()),
			Description: jsii.String("Managed-login sign-in straight through " + p.ProviderName() + " (add PKCE code_challenge in a real client)"),
		})
	}
}

// addLinkByEmailTrigger adds the pre sign-up trigger that links a federated sign-up to the
// existing user with the same verified email, where the provider is trusted for the address's
// domain. Its role may write its own logs, and list and link users of this pool only.
func addLinkByEmailTrigger(stack awscdk.Stack, pool awscognito.UserPool, cfg config.Config, moduleDir string) awslambda.Function {
	env := fnenv.PreSignUp{Authorities: cfg.Stage.LinkAuthorities()}
	fn := newGoFunction(stack, cfg, moduleDir, goFunction{
		ID: "LinkByEmail", What: "pre sign-up trigger (linkByEmail)", Package: "./lambda/presignup", Env: env.Env(), Trigger: true,
	})
	pool.AddTrigger(awscognito.UserPoolOperation_PRE_SIGN_UP(), fn, awscognito.LambdaVersion_V1_0)
	// A policy of its own, not the role's default policy: the function would depend on that,
	// the pool depends on the function, and the policy names the pool, which is a cycle.
	awsiam.NewPolicy(stack, jsii.String("LinkByEmailPoolAccess"), &awsiam.PolicyProps{
		Roles: &[]awsiam.IRole{fn.Role()},
		Statements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   jsii.Strings("cognito-idp:ListUsers", "cognito-idp:AdminLinkProviderForUser"),
			Resources: jsii.Strings(*pool.UserPoolArn()),
		})},
	})
	return fn
}
