package stacks_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/cdktest"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// These tests build the stacks from explicit props, config.Defaults plus one change, without
// cdk.json: each says what a stage setting does to the templates. The cdk.json-driven tests
// of the committed stages are in ../app_test.go (their templates) and beside this file (what
// the stacks do with them: cdk-nag, pins, warnings, bad inputs; see main_test.go).

// defaultStage is the configuration of stage "test" of app demo-api with the defaults every
// stage starts from, changed by change.
func defaultStage(change func(*config.Stage)) config.Config {
	s := config.Defaults("demo-api")
	if change != nil {
		change(&s)
	}
	return config.Config{AppName: "demo-api", StageName: "test", Stage: s}
}

// newApp is an empty app for stacks built from explicit props, in a directory of its own: no
// bundling, and no CloudFormation validation (project.NoValidation), whose findings would be
// warnings here (this context lacks cdk.json's flags) that no test reads.
func newApp(t *testing.T) awscdk.App {
	return project.NewCDKApp(t, nil)
}

// templates are the stacks of one configuration built from explicit props, synthesized.
type templates = *cdktest.Synthesized

// synth synthesizes the stacks of cfg, skipping the Lambda build, once per configuration.
func synth(t *testing.T, cfg config.Config) templates { return project.Explicit(t, cfg) }

// explicitCase is one GIVEN/WHEN/THEN row of the tests of stacks built from explicit props: the
// default stage changed as when says, and what its templates then hold.
type explicitCase struct {
	given, when string
	change      func(*config.Stage) // what "when" says
	then        func(*testing.T, templates)
}

// runExplicit runs each case on the stage that stage makes of its change.
func runExplicit(t *testing.T, stage func(change func(*config.Stage)) config.Config, cases []explicitCase) {
	for _, c := range cases {
		t.Run("GIVEN "+c.given+" WHEN "+c.when, func(t *testing.T) {
			c.then(t, synth(t, stage(c.change)))
		})
	}
}

// The shared helpers, by the names these tests use.
var (
	noPanic     = cdktest.NoPanic
	hasProps    = cdktest.HasProps
	hasResource = cdktest.HasResource
	count       = cdktest.Count
	toMap       = cdktest.ToMap
	resourcesOf = cdktest.Resources
	props       = cdktest.Props
)

// suppressed lists the cdk-nag rules waived on the template's resources of one type.
func suppressed(t *testing.T, tpl assertions.Template, typ string) []string {
	t.Helper()
	var rules []string
	noPanic(t, func() {
		for _, r := range *tpl.FindResources(jsii.String(typ), nil) {
			meta, _ := (*r)["Metadata"].(map[string]any)
			nag, _ := meta["cdk_nag"].(map[string]any)
			list, _ := nag["rules_to_suppress"].([]any)
			for _, rule := range list {
				rules = append(rules, fmt.Sprint(rule.(map[string]any)["id"]))
			}
		}
	})
	return rules
}

func objectLike(m map[string]any) assertions.Matcher { return assertions.Match_ObjectLike(&m) }

func absent() assertions.Matcher { return assertions.Match_Absent() }

func TestStackFromExplicitProps(t *testing.T) {
	runExplicit(t, defaultStage, []explicitCase{{
		given: "a default stage", when: "nothing is changed",
		then: func(t *testing.T, tpl templates) {
			// Nothing production-like by default: the stage tears down completely.
			hasResource(t, tpl.Auth, "AWS::Cognito::UserPool", map[string]any{
				"DeletionPolicy": "Delete",
				"Properties": objectLike(map[string]any{
					"UserPoolName": "demo-api-test", "DeletionProtection": "INACTIVE",
					"MfaConfiguration": "OPTIONAL", "UserPoolTier": "ESSENTIALS", "UserPoolAddOns": absent(),
				}),
			})
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPoolClient", map[string]any{"ClientName": "demo-api-test-web"})
			hasProps(t, tpl.API, "AWS::ApiGateway::Authorizer", map[string]any{"Type": "COGNITO_USER_POOLS", "Name": "demo-api-test-cognito"})
			count(t, tpl.API, "AWS::WAFv2::WebACL", 0)
		},
	}, {
		given: "a default stage", when: "mfa is required",
		change: func(s *config.Stage) { s.MFA = "required" },
		then: func(t *testing.T, tpl templates) {
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPool", map[string]any{"MfaConfiguration": "ON"})
			if rules := suppressed(t, tpl.Auth, "AWS::Cognito::UserPool"); slices.Contains(rules, "AwsSolutions-COG2") {
				t.Errorf("the pool waives AwsSolutions-COG2 (MFA not required) although MFA is required: %v", rules)
			}
		},
	}, {
		given: "a default stage", when: "it is production",
		change: func(s *config.Stage) { s.Production = true },
		then: func(t *testing.T, tpl templates) {
			hasResource(t, tpl.Auth, "AWS::Cognito::UserPool", map[string]any{
				"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
				"Properties": objectLike(map[string]any{"DeletionProtection": "ACTIVE"}),
			})
			// The handler's and the access logs are kept with the users.
			noPanic(t, func() {
				tpl.API.AllResources(jsii.String("AWS::Logs::LogGroup"), map[string]any{"DeletionPolicy": "Retain"})
			})
		},
	}, {
		given: "a default stage", when: "threat protection is on",
		change: func(s *config.Stage) { s.ThreatProtection = true },
		then: func(t *testing.T, tpl templates) {
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPool", map[string]any{
				"UserPoolTier": "PLUS", "UserPoolAddOns": map[string]any{"AdvancedSecurityMode": "ENFORCED"},
			})
			rules := suppressed(t, tpl.Auth, "AWS::Cognito::UserPool")
			if slices.Contains(rules, "AwsSolutions-COG3") || slices.Contains(rules, "AwsSolutions-COG8") {
				t.Errorf("the pool waives threat protection or the PLUS plan although both are on: %v", rules)
			}
		},
	}, {
		given: "a default stage", when: "the authorizer is lambda",
		change: func(s *config.Stage) { s.Authorizer = "lambda" },
		then: func(t *testing.T, tpl templates) {
			hasProps(t, tpl.API, "AWS::ApiGateway::Authorizer", map[string]any{
				"Type": "TOKEN", "Name": "demo-api-test-lambda",
				"IdentityValidationExpression": assertions.Match_StringLikeRegexp(jsii.String(`^\^Bearer `)),
			})
			hasProps(t, tpl.API, "AWS::ApiGateway::Method", map[string]any{"HttpMethod": "GET", "AuthorizationType": "CUSTOM"})
			count(t, tpl.API, "AWS::Lambda::Function", 2)
		},
	}, {
		given: "a default stage", when: "WAF is on",
		change: func(s *config.Stage) { s.WAF.Enabled = true },
		then: func(t *testing.T, tpl templates) {
			hasProps(t, tpl.API, "AWS::WAFv2::WebACL", map[string]any{"Name": "demo-api-test-api", "Scope": "REGIONAL"})
			count(t, tpl.API, "AWS::WAFv2::WebACLAssociation", 1)
			if rules := suppressed(t, tpl.API, "AWS::ApiGateway::Stage"); slices.Contains(rules, "AwsSolutions-APIG3") {
				t.Errorf("the stage waives AwsSolutions-APIG3 (no WAF) although WAF is on: %v", rules)
			}
		},
	}, {
		given: "a default stage", when: "no CORS origin is allowed",
		change: func(s *config.Stage) { s.CORS.AllowOrigins = nil },
		then: func(t *testing.T, tpl templates) {
			count(t, tpl.API, "AWS::ApiGateway::GatewayResponse", 0)
			noPanic(t, func() {
				if n := len(*tpl.API.FindResources(jsii.String("AWS::ApiGateway::Method"), map[string]any{
					"Properties": objectLike(map[string]any{"HttpMethod": "OPTIONS"}),
				})); n != 0 {
					t.Errorf("%d OPTIONS methods without CORS, want none", n)
				}
			})
		},
	}, {
		given: "a default stage", when: "two origins are allowed",
		change: func(s *config.Stage) {
			s.CORS.AllowOrigins = []string{"https://app.acme.io", "http://localhost:3000"}
		},
		then: func(t *testing.T, tpl templates) {
			// Fixed headers: the first origin, never the caller's Origin echoed back.
			for _, typ := range []string{"DEFAULT_4XX", "DEFAULT_5XX"} {
				hasProps(t, tpl.API, "AWS::ApiGateway::GatewayResponse", map[string]any{
					"ResponseType": typ,
					"ResponseParameters": objectLike(map[string]any{
						"gatewayresponse.header.Access-Control-Allow-Origin": "'https://app.acme.io'",
					}),
				})
			}
		},
	}, {
		given: "a default stage", when: "a machine client is added",
		change: func(s *config.Stage) {
			s.MachineClients = []config.MachineClient{{Name: "reporting", Scopes: []string{"demo-api/read"}}}
		},
		then: func(t *testing.T, tpl templates) {
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPoolClient", map[string]any{
				"ClientName":                      "demo-api-test-m2m-reporting",
				"GenerateSecret":                  true,
				"AllowedOAuthFlows":               []any{"client_credentials"},
				"AllowedOAuthFlowsUserPoolClient": true,
				"AllowedOAuthScopes":              assertions.Match_AnyValue(), // checked below
				// Written out: left out, Cognito would allow SRP and custom auth on it.
				"ExplicitAuthFlows": []any{"ALLOW_REFRESH_TOKEN_AUTH"},
				"CallbackURLs":      absent(),
				// No user signs in through it: it may write no attribute.
				"WriteAttributes": []any{},
			})
			auth, api := cdktest.ToMap(tpl.Auth), cdktest.ToMap(tpl.API)
			for _, r := range auth["Resources"].(map[string]any) {
				r := r.(map[string]any)
				props := r["Properties"].(map[string]any)
				if r["Type"] != "AWS::Cognito::UserPoolClient" || props["ClientName"] != "demo-api-test-m2m-reporting" {
					continue
				}
				// The scope comes through the resource server, so the client waits for it.
				b, _ := json.Marshal(props["AllowedOAuthScopes"])
				if got := string(b); !strings.Contains(got, `"/read"`) || strings.Contains(got, "write") || !strings.Contains(got, "ResourceServer") {
					t.Errorf("AllowedOAuthScopes = %s, want demo-api/read through the resource server", got)
				}
			}
			out, ok := auth["Outputs"].(map[string]any)[names.OutMachineClients].(map[string]any)
			if !ok {
				t.Fatalf("no %s output", names.OutMachineClients)
			}
			if b, _ := json.Marshal(out["Value"]); !strings.Contains(string(b), `"reporting="`) {
				t.Errorf("%s output: %s", names.OutMachineClients, b)
			}
			// The secret stays in Cognito: nothing reads it into a template.
			for _, tpl := range []map[string]any{auth, api} {
				if b, _ := json.Marshal(tpl); strings.Contains(string(b), "ClientSecret") {
					t.Errorf("a template reads a client secret: %s", b)
				}
			}
			hasProps(t, tpl.API, "AWS::Lambda::Function", map[string]any{
				"Environment": objectLike(map[string]any{"Variables": objectLike(map[string]any{
					fnenv.EnvMachineClients: assertions.Match_AnyValue(),
				})}),
			})
		},
	}, {
		given: "a default stage", when: "a group grants a scope and the ID token gets a tenant",
		change: func(s *config.Stage) {
			s.Groups = []config.Group{{Name: "admin"}}
			s.GroupScopes = map[string][]string{"admin": {"demo-api/write"}}
			s.ExtraClaims = map[string]string{"tenant": "acme"}
		},
		then: func(t *testing.T, tpl templates) {
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPool", map[string]any{
				"LambdaConfig": map[string]any{"PreTokenGenerationConfig": map[string]any{
					"LambdaArn": map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^PreTokenTrigger")), "Arn"}}, "LambdaVersion": "V2_0",
				}},
			})
			hasProps(t, tpl.Auth, "AWS::Lambda::Function", map[string]any{
				"Runtime": "provided.al2023", "Architectures": []any{"arm64"}, "Timeout": 5,
				"Environment": map[string]any{"Variables": map[string]any{
					"PRE_TOKEN_SETTINGS": `{"groupScopes":{"admin":["demo-api/write"]},"extraClaims":{"tenant":"acme"},"scopes":["demo-api/read","demo-api/write"]}`,
				}},
			})
			// Cognito may invoke it for this pool only.
			hasProps(t, tpl.Auth, "AWS::Lambda::Permission", map[string]any{
				"Action": "lambda:InvokeFunction", "Principal": "cognito-idp.amazonaws.com",
				"SourceArn": map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^UserPool")), "Arn"}},
			})
			// Its role may write its own log group and nothing else.
			policies := tpl.Auth.FindResources(jsii.String("AWS::IAM::Policy"), nil)
			b, _ := json.Marshal(policies)
			if n := len(*policies); n != 1 || strings.Contains(string(b), "cognito-idp:") || !strings.Contains(string(b), "PreTokenTriggerLogs") {
				t.Errorf("want one policy, for the trigger's log group only: %s", b)
			}
		},
	}, {
		given: "a default stage", when: "nothing is changed about sign-in",
		then: func(t *testing.T, tpl templates) {
			// The password alone, written out, so that a later change back is applied.
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPool", map[string]any{
				"Policies":               objectLike(map[string]any{"SignInPolicy": map[string]any{"AllowedFirstAuthFactors": []any{"PASSWORD"}}}),
				"WebAuthnRelyingPartyID": absent(),
			})
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPoolClient", map[string]any{
				"ClientName": "demo-api-test-web", "ExplicitAuthFlows": []any{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
			})
		},
	}, {
		given: "a default stage", when: "passkeys are a first factor",
		change: func(s *config.Stage) {
			s.DomainPrefix = "acme-login"
			s.SignIn = config.SignIn{Factors: []string{"password", "passkey"}, PasskeyUserVerification: "required"}
		},
		then: func(t *testing.T, tpl templates) {
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPool", map[string]any{
				"Policies": objectLike(map[string]any{"SignInPolicy": map[string]any{"AllowedFirstAuthFactors": []any{"PASSWORD", "WEB_AUTHN"}}}),
				// Bound to the managed-login domain that serves the sign-in page.
				"WebAuthnRelyingPartyID": map[string]any{"Fn::Join": []any{"", []any{
					"acme-login.auth.", map[string]any{"Ref": "AWS::Region"}, ".amazoncognito.com",
				}}},
				"WebAuthnUserVerification": "required",
			})
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPoolClient", map[string]any{
				"ClientName": "demo-api-test-web", "ExplicitAuthFlows": []any{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
			})
		},
	}, {
		given: "a stage that sends email through SES", when: "email codes are a first factor",
		change: func(s *config.Stage) {
			s.Email = config.Email{Sender: "ses", From: "no-reply@acme.io"}
			s.SignIn = config.SignIn{Factors: []string{"password", "emailOtp"}}
		},
		then: func(t *testing.T, tpl templates) {
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPool", map[string]any{
				"Policies":                 objectLike(map[string]any{"SignInPolicy": map[string]any{"AllowedFirstAuthFactors": []any{"PASSWORD", "EMAIL_OTP"}}}),
				"EmailConfiguration":       objectLike(map[string]any{"EmailSendingAccount": "DEVELOPER"}),
				"WebAuthnRelyingPartyID":   absent(),
				"WebAuthnUserVerification": absent(),
			})
		},
	}, {
		given: "a default stage", when: "refresh-token rotation is on",
		change: func(s *config.Stage) {
			s.Tokens.RefreshRotation = config.RefreshRotation{Enabled: true, GraceSeconds: 10}
		},
		then: func(t *testing.T, tpl templates) {
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPoolClient", map[string]any{
				"ClientName":           "demo-api-test-web",
				"RefreshTokenRotation": map[string]any{"Feature": "ENABLED", "RetryGracePeriodSeconds": 10},
			})
		},
	}, {
		given: "a default stage", when: "nothing is changed about refresh tokens",
		then: func(t *testing.T, tpl templates) {
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPoolClient", map[string]any{
				"ClientName": "demo-api-test-web", "RefreshTokenRotation": absent(),
			})
			count(t, tpl.Auth, "AWS::Cognito::UserPoolClient", 1)
		},
	}, {
		given: "a default stage", when: "a route needs a scope",
		change: func(s *config.Stage) {
			s.Routes = append(s.Routes, routes.Route{Method: "POST", Path: "/items", Access: routes.Scoped, Scopes: []string{"demo-api/write"}})
		},
		then: func(t *testing.T, tpl templates) {
			hasProps(t, tpl.API, "AWS::ApiGateway::Method", map[string]any{
				"HttpMethod": "POST", "AuthorizationType": "COGNITO_USER_POOLS", "AuthorizationScopes": []any{"demo-api/write"},
			})
		},
	}})
}

// config checks the derived domain prefix's length with its own <app>-<stage> (config may
// import no package of this module but internal/routes); it must be the stacks' prefix.
func TestDomainPrefixStemIsTheNamePrefix(t *testing.T) {
	cfg := defaultStage(nil)
	if got, want := cfg.DerivedDomainPrefixStem(), names.Prefix(cfg.AppName, cfg.StageName); got != want {
		t.Errorf("config's domain prefix stem %q, the stacks' name prefix %q", got, want)
	}
}
