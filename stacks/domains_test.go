package stacks_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/cdktest"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

const (
	loginCert = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
	apiCert   = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
	zoneID    = "Z0123456789ABCDEFGHIJ"
)

// outputValue is the value of one of the template's outputs, as JSON text.
func outputValue(t *testing.T, tpl assertions.Template, key string) string {
	t.Helper()
	out, ok := cdktest.ToMap(tpl)["Outputs"].(map[string]any)[key].(map[string]any)
	if !ok {
		t.Fatalf("no output %s", key)
	}
	if s, ok := out["Value"].(string); ok {
		return s
	}
	return asJSON(out["Value"])
}

func TestDomainsFromExplicitProps(t *testing.T) {
	runExplicit(t, defaultStage, []explicitCase{{
		given: "a default stage", when: "nothing is changed",
		then: func(t *testing.T, tpl templates) {
			// The prefix domain alone, and the API on its execute-api URL.
			count(t, tpl.Auth, "AWS::Cognito::UserPoolDomain", 1)
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPoolDomain", map[string]any{"CustomDomainConfig": absent(), "ManagedLoginVersion": 2})
			count(t, tpl.Auth, "AWS::Route53::RecordSet", 0)
			count(t, tpl.API, "AWS::ApiGateway::DomainName", 0)
			hasProps(t, tpl.API, "AWS::ApiGateway::RestApi", map[string]any{"DisableExecuteApiEndpoint": false})
			if v := outputValue(t, tpl.API, names.OutAPIURL); !strings.Contains(v, "execute-api") {
				t.Errorf("ApiUrl %s, want the execute-api URL", v)
			}
		},
	}, {
		given: "a default stage", when: "managed login gets its own domain in a hosted zone",
		change: func(s *config.Stage) {
			s.LoginDomain = &config.CustomDomain{Name: "auth.acme.io", CertificateARN: loginCert, HostedZoneID: zoneID}
		},
		then: func(t *testing.T, tpl templates) {
			// The custom domain beside the prefix domain, managed login version 2 on both.
			count(t, tpl.Auth, "AWS::Cognito::UserPoolDomain", 2)
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPoolDomain", map[string]any{
				"Domain": "auth.acme.io", "CustomDomainConfig": map[string]any{"CertificateArn": loginCert}, "ManagedLoginVersion": 2,
			})
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPoolDomain", map[string]any{"CustomDomainConfig": absent(), "ManagedLoginVersion": 2})
			// An alias to the domain's CloudFront distribution.
			hasProps(t, tpl.Auth, "AWS::Route53::RecordSet", map[string]any{
				"HostedZoneId": zoneID, "Name": "auth.acme.io", "Type": "A",
				"AliasTarget": map[string]any{
					"DNSName":              map[string]any{"Fn::GetAtt": []any{"LoginDomain", "CloudFrontDistribution"}},
					"HostedZoneId":         "Z2FDTNDATAQYW2",
					"EvaluateTargetHealth": false,
				},
			})
			// The outputs, and so the tools and the sign-in URLs, follow the domain.
			if v := outputValue(t, tpl.Auth, names.OutManagedLoginURL); v != "https://auth.acme.io" {
				t.Errorf("ManagedLoginUrl %s, want https://auth.acme.io", v)
			}
			for _, key := range []string{names.OutSignInURL, names.OutSignOutURL} {
				if v := outputValue(t, tpl.Auth, key); !strings.Contains(v, "https://auth.acme.io/") || strings.Contains(v, "amazoncognito.com") {
					t.Errorf("%s %s, want it on https://auth.acme.io", key, v)
				}
			}
			if v := outputValue(t, tpl.Auth, names.OutLoginDomainTarget); !strings.Contains(v, "CloudFrontDistribution") {
				t.Errorf("%s %s, want the CloudFront distribution", names.OutLoginDomainTarget, v)
			}
		},
	}, {
		given: "a default stage", when: "managed login gets its own domain without a hosted zone",
		change: func(s *config.Stage) {
			s.LoginDomain = &config.CustomDomain{Name: "auth.acme.io", CertificateARN: loginCert}
		},
		then: func(t *testing.T, tpl templates) {
			// The DNS record is yours: the output names its target.
			count(t, tpl.Auth, "AWS::Route53::RecordSet", 0)
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPoolDomain", map[string]any{"Domain": "auth.acme.io"})
			outputValue(t, tpl.Auth, names.OutLoginDomainTarget)
		},
	}, {
		given: "a stage with passkeys", when: "managed login gets its own domain",
		change: func(s *config.Stage) {
			s.SignIn.Factors = []string{config.FactorPassword, config.FactorPasskey}
			s.LoginDomain = &config.CustomDomain{Name: "auth.acme.io", CertificateARN: loginCert}
		},
		then: func(t *testing.T, tpl templates) {
			// Cognito wants the custom domain as the relying party of managed login.
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPool", map[string]any{"WebAuthnRelyingPartyID": "auth.acme.io"})
		},
	}, {
		given: "a default stage", when: "the API gets its own domain in a hosted zone",
		change: func(s *config.Stage) {
			s.APIDomain = &config.CustomDomain{Name: "api.acme.io", CertificateARN: apiCert, HostedZoneID: zoneID}
		},
		then: func(t *testing.T, tpl templates) {
			// Regional, TLS 1.2, the root mapped to the stage, and the execute-api endpoint off.
			hasProps(t, tpl.API, "AWS::ApiGateway::DomainName", map[string]any{
				"DomainName": "api.acme.io", "RegionalCertificateArn": apiCert, "SecurityPolicy": "TLS_1_2",
				"EndpointConfiguration": map[string]any{"Types": []any{"REGIONAL"}},
			})
			hasProps(t, tpl.API, "AWS::ApiGateway::BasePathMapping", map[string]any{
				"DomainName": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^ApiDomain"))},
				"RestApiId":  map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Api"))},
				"Stage":      map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^ApiDeploymentStage"))},
				"BasePath":   absent(),
			})
			hasProps(t, tpl.API, "AWS::ApiGateway::RestApi", map[string]any{"DisableExecuteApiEndpoint": true})
			hasProps(t, tpl.API, "AWS::Route53::RecordSet", map[string]any{
				"HostedZoneId": zoneID, "Name": "api.acme.io", "Type": "A",
				"AliasTarget": objectLike(map[string]any{
					"DNSName":      map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^ApiDomain")), "RegionalDomainName"}},
					"HostedZoneId": map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^ApiDomain")), "RegionalHostedZoneId"}},
				}),
			})
			// A deploy to another Region than the certificate's stops before it changes anything.
			rule := asJSON(cdktest.ToMap(tpl.API)["Rules"].(map[string]any)["ApiCertificateInApiRegion"])
			if !strings.Contains(rule, `"Assert":{"Fn::Equals":[{"Ref":"AWS::Region"},"eu-west-1"]}`) {
				t.Errorf("rule ApiCertificateInApiRegion %s, want it to assert the Region eu-west-1", rule)
			}
			// The URL the tools read is the domain's; the CDK's execute-api output is gone.
			if v := outputValue(t, tpl.API, names.OutAPIURL); v != "https://api.acme.io/" {
				t.Errorf("ApiUrl %s, want https://api.acme.io/", v)
			}
			for key := range cdktest.ToMap(tpl.API)["Outputs"].(map[string]any) {
				if strings.HasPrefix(key, "ApiEndpoint") {
					t.Errorf("output %s still names the execute-api endpoint", key)
				}
			}
		},
	}, {
		given: "a default stage", when: "the API gets its own domain without a hosted zone",
		change: func(s *config.Stage) {
			s.APIDomain = &config.CustomDomain{Name: "api.acme.io", CertificateARN: apiCert}
		},
		then: func(t *testing.T, tpl templates) {
			count(t, tpl.API, "AWS::Route53::RecordSet", 0)
			count(t, tpl.API, "AWS::ApiGateway::DomainName", 1)
			if v := outputValue(t, tpl.API, names.OutAPIDomainTarget); !strings.Contains(v, "RegionalDomainName") {
				t.Errorf("%s %s, want the regional domain name", names.OutAPIDomainTarget, v)
			}
		},
	}})
}

// GIVEN an API stack with an explicit Region WHEN its domain's certificate is in another Region
// THEN synth refuses it at once, instead of leaving it to the deploy-time rule.
func TestAPIDomainCertificateRegionAtSynth(t *testing.T) {
	cfg := defaultStage(func(s *config.Stage) {
		s.APIDomain = &config.CustomDomain{Name: "api.acme.io", CertificateARN: apiCert}
	})
	for _, tc := range []struct {
		region  string
		refused bool
	}{{"us-east-1", true}, {"eu-west-1", false}} {
		t.Run(tc.region, func(t *testing.T) {
			noPanic(t, func() {
				app := newApp(t)
				env := &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String(tc.region)}
				built, err := cdktest.BuildStacks(app, cfg, project.Dir, env)
				if err != nil {
					t.Fatal(err)
				}
				annotations := assertions.Annotations_FromStack(built.API.Stack)
				match := assertions.Match_StringLikeRegexp(jsii.String("apiDomain.certificateArn: the certificate is in eu-west-1, the API in us-east-1"))
				if tc.refused {
					annotations.HasError(jsii.String("*"), match)
				} else {
					annotations.HasNoError(jsii.String("*"), match)
				}
			})
		})
	}
}
