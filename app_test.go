package main

import (
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/cdktest"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
	"github.com/cognito-apigw/cognito-apigw/stacks"
)

// The tests build the app as `cdk synth` does, from cdk.json, and synthesize each stage once
// per test binary (internal/cdktest); bundling is skipped (the build is tested in stacks/), the
// CloudFormation validation is not (cdk.json makes its findings errors, so a template it
// refuses fails here). What the stacks do on cdk.json's stages (cdk-nag, the user pool pins,
// warnings, bad inputs) is tested in stacks/.
var project = &cdktest.App{Dir: "."}

// The real `cdk synth` runs, started by TestMain so that they overlap the in-process
// syntheses. One run carries the bad settings and the bad branding file of two tests: a
// stage's problems are all reported together, whichever their source.
var (
	synthUnknownStageAndKey = project.CdkSynth([]string{"TestCdkSynthRejectsUnknownStageAndKey"},
		"-c", "stage=staging", "-c", "mfa=required")
	synthBadInput = project.CdkSynth([]string{"TestCdkSynthRejectsBadInput", "TestCdkSynthRejectsBadBranding"},
		"-c", "domainPrefix=Amazon_Login", "-c", "callbackUrls=ftp:/x,http://example.com/cb",
		"-c", "brandingFile=branding/testdata/invalid-extension.json")
)

func TestMain(m *testing.M) { os.Exit(project.Main(m, synthUnknownStageAndKey, synthBadInput)) }

// newTestApp builds the app with cdk.json's context plus extra keys, the way `cdk synth -c`
// would, without bundling the Lambda.
func newTestApp(t *testing.T, extra map[string]any) (*stacks.Stage, error) {
	return project.New(t, extra)
}

// stage is the stage name of cdk.json, synthesized once per test binary.
func stage(t *testing.T, name string) *cdktest.Synthesized { return project.Stage(t, name) }

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

func objectLike(m map[string]any) assertions.Matcher { return assertions.Match_ObjectLike(&m) }

func arrayWith(items ...any) assertions.Matcher { return assertions.Match_ArrayWith(&items) }

func TestUserPool(t *testing.T) {
	dev := stage(t, "dev")
	count(t, dev.Auth, "AWS::Cognito::UserPool", 1)
	hasProps(t, dev.Auth, "AWS::Cognito::UserPool", map[string]any{
		"UserPoolName":           "demo-api-dev",
		"UsernameAttributes":     []any{"email"},
		"UsernameConfiguration":  map[string]any{"CaseSensitive": false},
		"AutoVerifiedAttributes": []any{"email"},
		"AdminCreateUserConfig":  objectLike(map[string]any{"AllowAdminCreateUserOnly": false}),
		"VerificationMessageTemplate": map[string]any{
			"DefaultEmailOption": "CONFIRM_WITH_CODE",
			"EmailSubject":       "Your verification code",
			"EmailMessage":       assertions.Match_StringLikeRegexp(jsii.String(`\{####\}`)),
			"SmsMessage":         assertions.Match_AnyValue(),
		},
		"Schema": arrayWith(
			objectLike(map[string]any{"Name": "email", "Required": true, "Mutable": true}),
			objectLike(map[string]any{"Name": "name", "Required": true, "Mutable": true}),
		),
		"UserAttributeUpdateSettings": map[string]any{"AttributesRequireVerificationBeforeUpdate": []any{"email"}},
		"AccountRecoverySetting": map[string]any{
			"RecoveryMechanisms": []any{map[string]any{"Name": "verified_email", "Priority": 1}},
		},
		"Policies": objectLike(map[string]any{"PasswordPolicy": objectLike(map[string]any{
			"MinimumLength": 8, "RequireLowercase": true, "RequireUppercase": true,
			"RequireNumbers": true, "RequireSymbols": true,
		})}),
		"MfaConfiguration":   "OPTIONAL",
		"EnabledMfas":        []any{"SOFTWARE_TOKEN_MFA"},
		"UserPoolTier":       "ESSENTIALS",
		"DeletionProtection": "INACTIVE",
	})
	// Dev tears down cleanly.
	hasResource(t, dev.Auth, "AWS::Cognito::UserPool", map[string]any{"DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete"})
	// No SMS: no SMS role is created unless asked for; the one role is the token trigger's.
	count(t, dev.Auth, "AWS::IAM::Role", 1)
	hasProps(t, dev.Auth, "AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": objectLike(map[string]any{"Statement": []any{objectLike(map[string]any{
			"Principal": map[string]any{"Service": "lambda.amazonaws.com"},
		})}}),
		"Description": "Runs the demo-api dev pre token generation trigger",
	})
}

func TestProductionProtection(t *testing.T) {
	prod := stage(t, "prod")
	// Threat protection, on the PLUS plan.
	hasProps(t, prod.Auth, "AWS::Cognito::UserPool", map[string]any{
		"UserPoolTier":   "PLUS",
		"UserPoolAddOns": map[string]any{"AdvancedSecurityMode": "ENFORCED"},
	})
	// A web ACL with AWS's common rules and a per-IP rate limit, on the API stage.
	hasProps(t, prod.API, "AWS::WAFv2::WebACL", map[string]any{
		"Scope":         "REGIONAL",
		"DefaultAction": map[string]any{"Allow": map[string]any{}},
		"Rules": []any{
			objectLike(map[string]any{"Statement": map[string]any{"ManagedRuleGroupStatement": map[string]any{"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet"}}}),
			objectLike(map[string]any{
				"Action":    map[string]any{"Block": map[string]any{}},
				"Statement": map[string]any{"RateBasedStatement": map[string]any{"Limit": 1000, "AggregateKeyType": "IP", "EvaluationWindowSec": 300}},
			}),
		},
	})
	associations := resourcesOf(prod.APIJSON, "AWS::WAFv2::WebACLAssociation")
	if len(associations) != 1 {
		t.Fatalf("got %d web ACL associations, want 1", len(associations))
	}
	for _, a := range associations {
		b, _ := json.Marshal(props(a))
		for _, part := range []string{`":apigateway:"`, `"::/restapis/",{"Ref":"Api`, `"/stages/",{"Ref":"ApiDeploymentStageprod`, `"WebACLArn":{"Fn::GetAtt":["WebAcl","Arn"]}`} {
			if !strings.Contains(string(b), part) {
				t.Errorf("web ACL association %s lacks %s", b, part)
			}
		}
	}
	// Dev saves the cost of both.
	dev := stage(t, "dev")
	count(t, dev.API, "AWS::WAFv2::WebACL", 0)
	hasProps(t, dev.Auth, "AWS::Cognito::UserPool", map[string]any{"UserPoolAddOns": assertions.Match_Absent()})
}

func TestProductionKeepsUsersAndLogs(t *testing.T) {
	prod := stage(t, "prod")
	hasResource(t, prod.Auth, "AWS::Cognito::UserPool", map[string]any{
		"DeletionPolicy":      "Retain",
		"UpdateReplacePolicy": "Retain",
		"Properties":          objectLike(map[string]any{"DeletionProtection": "ACTIVE", "UserPoolName": "demo-api-prod"}),
	})
	logGroups := resourcesOf(prod.APIJSON, "AWS::Logs::LogGroup")
	if len(logGroups) != 3 {
		t.Fatalf("prod log groups: got %d, want 3 (handler, access and WAF logs)", len(logGroups))
	}
	for id, lg := range logGroups {
		if lg["DeletionPolicy"] != "Retain" || props(lg)["RetentionInDays"] != float64(365) {
			t.Errorf("prod log group %s: DeletionPolicy %v, RetentionInDays %v; want Retain and 365", id, lg["DeletionPolicy"], props(lg)["RetentionInDays"])
		}
	}
	for id, lg := range resourcesOf(stage(t, "dev").APIJSON, "AWS::Logs::LogGroup") {
		if lg["DeletionPolicy"] != "Delete" || props(lg)["RetentionInDays"] != float64(14) {
			t.Errorf("dev log group %s: DeletionPolicy %v, RetentionInDays %v; want Delete and 14", id, lg["DeletionPolicy"], props(lg)["RetentionInDays"])
		}
	}
}

func TestAppClient(t *testing.T) {
	for _, tc := range []struct {
		stage     string
		authFlows []any
		callbacks []any
		logout    string
		providers []any
	}{
		{"dev", []any{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
			[]any{"http://localhost:3000/auth/callback", "http://127.0.0.1:8976/callback"}, "http://localhost:3000", []any{"COGNITO"}},
		{"prod", []any{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
			[]any{"https://app.example.com/auth/callback"}, "https://app.example.com", []any{"COGNITO", "AcmeSSO"}},
	} {
		t.Run(tc.stage, func(t *testing.T) {
			s := stage(t, tc.stage)
			count(t, s.Auth, "AWS::Cognito::UserPoolClient", 2) // the web client and the reporting machine client
			hasProps(t, s.Auth, "AWS::Cognito::UserPoolClient", map[string]any{
				"ClientName":                      "demo-api-" + tc.stage + "-web",
				"GenerateSecret":                  false,
				"ExplicitAuthFlows":               tc.authFlows,
				"AllowedOAuthFlows":               []any{"code"},
				"AllowedOAuthFlowsUserPoolClient": true,
				// Not demo-api/write: groupScopes grants it to admin, so nobody else may ask for it.
				"AllowedOAuthScopes": []any{"openid", "email", "profile",
					map[string]any{"Fn::Join": []any{"", []any{map[string]any{"Ref": assertions.Match_AnyValue()}, "/read"}}},
				},
				// Never email_verified: a user who could write it could claim any address.
				"WriteAttributes":            []any{"email", "name"},
				"CallbackURLs":               tc.callbacks,
				"LogoutURLs":                 []any{tc.logout},
				"AccessTokenValidity":        60,
				"IdTokenValidity":            60,
				"RefreshTokenValidity":       7200,
				"AuthSessionValidity":        3,
				"TokenValidityUnits":         map[string]any{"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "minutes"},
				"EnableTokenRevocation":      true,
				"PreventUserExistenceErrors": "ENABLED",
				"SupportedIdentityProviders": tc.providers,
			})
		})
	}
}

func TestResourceServerAndGroups(t *testing.T) {
	dev := stage(t, "dev")
	hasProps(t, dev.Auth, "AWS::Cognito::UserPoolResourceServer", map[string]any{
		"Identifier": "demo-api",
		"Scopes": []any{
			map[string]any{"ScopeName": "read", "ScopeDescription": "Read items"},
			map[string]any{"ScopeName": "write", "ScopeDescription": "Create and change items"},
		},
	})
	hasProps(t, dev.Auth, "AWS::Cognito::UserPoolGroup", map[string]any{"GroupName": "admin"})
	count(t, dev.Auth, "AWS::Cognito::UserPoolGroup", 1)
}

func TestManagedLoginDomainAndStyle(t *testing.T) {
	for _, name := range []string{"dev", "prod"} {
		s := stage(t, name)
		hasProps(t, s.Auth, "AWS::Cognito::UserPoolDomain", map[string]any{
			"ManagedLoginVersion": 2,
			// Derived so that it is unique in any account: <app>-<stage>-<account id>.
			"Domain": map[string]any{"Fn::Join": []any{"-", []any{"demo-api-" + name, map[string]any{"Ref": "AWS::AccountId"}}}},
		})
		// Every client of a version 2 domain needs a style, or its login pages are unavailable.
		count(t, s.Auth, "AWS::Cognito::ManagedLoginBranding", 1)
		hasProps(t, s.Auth, "AWS::Cognito::ManagedLoginBranding", map[string]any{
			"UserPoolId": map[string]any{"Ref": assertions.Match_AnyValue()},
			"ClientId":   map[string]any{"Ref": assertions.Match_AnyValue()},
		})
	}
}

func TestDomainPrefixOverride(t *testing.T) {
	st, err := newTestApp(t, map[string]any{"stage": "dev", "domainPrefix": "my-login-42", "callbackUrls": "https://a.example.com/cb, myapp://callback", "logoutUrls": "https://a.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	var tpl assertions.Template
	noPanic(t, func() { tpl = assertions.Template_FromStack(st.Auth.Stack, nil) })
	hasProps(t, tpl, "AWS::Cognito::UserPoolDomain", map[string]any{"Domain": "my-login-42"})
	hasProps(t, tpl, "AWS::Cognito::UserPoolClient", map[string]any{
		"CallbackURLs": []any{"https://a.example.com/cb", "myapp://callback"},
		"LogoutURLs":   []any{"https://a.example.com"},
	})
}

func TestAuthOutputs(t *testing.T) {
	dev := stage(t, "dev")
	outputs := dev.AuthJSON["Outputs"].(map[string]any)
	for _, name := range []string{"Region", "UserPoolId", "ClientId", "IssuerUrl", "JwksUrl", "ManagedLoginUrl", "SignInUrl", "SignOutUrl"} {
		if _, ok := outputs[name]; !ok {
			t.Errorf("auth stack output %s missing; have %v", name, slices.Sorted(maps.Keys(outputs)))
		}
	}
	flat := func(name string) string {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(outputs[name])
		return b.String()
	}
	for name, want := range map[string][]string{
		"IssuerUrl":       {`{"Fn::GetAtt":["UserPool`, `","ProviderURL"]}`},
		"JwksUrl":         {`"ProviderURL"]}`, "/.well-known/jwks.json"},
		"SignInUrl":       {"/oauth2/authorize?", "response_type=code", "redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fauth%2Fcallback", "scope=openid+email+profile", "&client_id="},
		"SignOutUrl":      {"/logout?logout_uri=http%3A%2F%2Flocalhost%3A3000&client_id="},
		"ManagedLoginUrl": {`"https://"`, `".auth."`, `".amazoncognito.com"`, "AWS::AccountId"},
	} {
		for _, part := range want {
			if !strings.Contains(flat(name), part) {
				t.Errorf("output %s = %s; want it to contain %q", name, flat(name), part)
			}
		}
	}
	api := stage(t, "dev").APIJSON["Outputs"].(map[string]any)
	if _, ok := api["ApiUrl"]; !ok {
		t.Errorf("api stack output ApiUrl missing; have %v", slices.Sorted(maps.Keys(api)))
	}
}

func TestLambdaFunction(t *testing.T) {
	dev := stage(t, "dev")
	count(t, dev.API, "AWS::Lambda::Function", 1)
	hasProps(t, dev.API, "AWS::Lambda::Function", map[string]any{
		"Runtime":       "provided.al2023",
		"Architectures": []any{"arm64"},
		"Handler":       "bootstrap",
		"LoggingConfig": map[string]any{"LogGroup": map[string]any{"Ref": assertions.Match_AnyValue()}},
		"Environment": map[string]any{"Variables": map[string]any{
			"ROUTE_TABLE":        assertions.Match_SerializedJson(arrayWith(objectLike(map[string]any{"method": "GET", "path": "/me", "access": "protected"}))),
			"ALLOWED_CLIENT_IDS": assertions.Match_AnyValue(),
			"ALLOWED_ORIGINS":    "http://localhost:3000",
			"ITEMS_TABLE":        map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Items[0-9A-F]{8}$"))},
		}},
	})
	// The function's role may write its own logs and use its table, nothing else: no managed
	// policy, one statement on its log group, one on its table (stacks/api_items_test.go has
	// the table's).
	hasProps(t, dev.API, "AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": objectLike(map[string]any{"Statement": []any{objectLike(map[string]any{
			"Principal": map[string]any{"Service": "lambda.amazonaws.com"},
		})}}),
		"ManagedPolicyArns": assertions.Match_Absent(),
	})
	policies := resourcesOf(dev.APIJSON, "AWS::IAM::Policy")
	if len(policies) != 1 {
		t.Fatalf("got %d IAM policies, want the handler's one", len(policies))
	}
	for _, p := range policies {
		b, _ := json.Marshal(props(p)["PolicyDocument"])
		want := `{"Statement":[{"Action":["logs:CreateLogStream","logs:PutLogEvents"],"Effect":"Allow","Resource":{"Fn::GetAtt":["HandlerLogs`
		table := `{"Action":["dynamodb:DeleteItem","dynamodb:GetItem","dynamodb:PutItem","dynamodb:Query"],"Effect":"Allow","Resource":{"Fn::GetAtt":["Items`
		if !strings.HasPrefix(string(b), want) || !strings.Contains(string(b), table) || strings.Count(string(b), `"Effect"`) != 2 {
			t.Errorf("handler policy %s; want only log writes to its log group and the four calls on its table", b)
		}
	}
}

// methods maps "METHOD /path" to each API Gateway method's properties, by walking the
// resources' parent links.
func methods(t *testing.T, tpl map[string]any) map[string]map[string]any {
	t.Helper()
	resources := resourcesOf(tpl, "AWS::ApiGateway::Resource")
	var pathOf func(ref any) string
	pathOf = func(ref any) string {
		m, _ := ref.(map[string]any)
		if id, ok := m["Ref"].(string); ok {
			r, ok := resources[id]
			if !ok {
				t.Fatalf("method refers to unknown resource %s", id)
			}
			return strings.TrimSuffix(pathOf(props(r)["ParentId"]), "/") + "/" + props(r)["PathPart"].(string)
		}
		return "/" // Fn::GetAtt [api, RootResourceId]
	}
	out := map[string]map[string]any{}
	for _, m := range resourcesOf(tpl, "AWS::ApiGateway::Method") {
		p := props(m)
		out[p["HttpMethod"].(string)+" "+pathOf(p["ResourceId"])] = p
	}
	return out
}

func TestRouteTableMethods(t *testing.T) {
	dev := stage(t, "dev")
	got := methods(t, dev.APIJSON)
	want := map[string]struct {
		auth   string
		scopes []any
	}{
		"GET /health":         {"NONE", nil},
		"GET /me":             {"COGNITO_USER_POOLS", nil},
		"GET /items":          {"COGNITO_USER_POOLS", []any{"demo-api/read"}},
		"POST /items":         {"COGNITO_USER_POOLS", []any{"demo-api/write"}},
		"GET /items/{id}":     {"COGNITO_USER_POOLS", []any{"demo-api/read"}},
		"DELETE /items/{id}":  {"COGNITO_USER_POOLS", []any{"demo-api/write"}},
		"GET /admin":          {"COGNITO_USER_POOLS", nil},
		"ANY /{proxy+}":       {"COGNITO_USER_POOLS", nil},
		"ANY /":               {"COGNITO_USER_POOLS", nil}, // the proxy also takes the root
		"OPTIONS /":           {"NONE", nil},
		"OPTIONS /health":     {"NONE", nil},
		"OPTIONS /me":         {"NONE", nil},
		"OPTIONS /items":      {"NONE", nil},
		"OPTIONS /items/{id}": {"NONE", nil},
		"OPTIONS /admin":      {"NONE", nil},
		"OPTIONS /{proxy+}":   {"NONE", nil},
	}
	if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, slices.Sorted(maps.Keys(want))) {
		t.Fatalf("methods: got %v, want %v", keys, slices.Sorted(maps.Keys(want)))
	}
	for key, w := range want {
		p := got[key]
		if p["AuthorizationType"] != w.auth {
			t.Errorf("%s: AuthorizationType %v, want %s", key, p["AuthorizationType"], w.auth)
		}
		_, hasAuthorizer := p["AuthorizerId"]
		if hasAuthorizer != (w.auth == "COGNITO_USER_POOLS") {
			t.Errorf("%s: AuthorizerId present = %v, want %v", key, hasAuthorizer, !hasAuthorizer)
		}
		if fmt.Sprint(p["AuthorizationScopes"]) != fmt.Sprint(w.scopes) && !(p["AuthorizationScopes"] == nil && w.scopes == nil) {
			t.Errorf("%s: AuthorizationScopes %v, want %v", key, p["AuthorizationScopes"], w.scopes)
		}
		integration, _ := p["Integration"].(map[string]any)
		wantType := "AWS_PROXY"
		if strings.HasPrefix(key, "OPTIONS ") {
			wantType = "MOCK"
		}
		if integration["Type"] != wantType {
			t.Errorf("%s: integration %v, want %s", key, integration["Type"], wantType)
		}
	}
}

func TestAuthorizerAndApi(t *testing.T) {
	dev := stage(t, "dev")
	count(t, dev.API, "AWS::ApiGateway::Authorizer", 1)
	hasProps(t, dev.API, "AWS::ApiGateway::Authorizer", map[string]any{
		"Type":                         "COGNITO_USER_POOLS",
		"IdentitySource":               "method.request.header.Authorization",
		"AuthorizerResultTtlInSeconds": 300,
		"ProviderARNs":                 assertions.Match_AnyValue(),
	})
	hasProps(t, dev.API, "AWS::ApiGateway::RestApi", map[string]any{
		"Name":                  "demo-api-dev",
		"EndpointConfiguration": map[string]any{"Types": []any{"REGIONAL"}},
	})
	// Execution logging needs the account's CloudWatch role.
	count(t, dev.API, "AWS::ApiGateway::Account", 1)
}

func TestStageLoggingAndThrottling(t *testing.T) {
	for _, tc := range []struct {
		stage       string
		rate, burst int
	}{{"dev", 50, 100}, {"prod", 100, 200}} {
		s := stage(t, tc.stage)
		hasProps(t, s.API, "AWS::ApiGateway::Stage", map[string]any{
			"StageName": tc.stage,
			"AccessLogSetting": map[string]any{
				// The log group's ARN without the ":*" of its Arn attribute, which API Gateway
				// wants (feature flag @aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard).
				"DestinationArn": map[string]any{"Fn::Join": arrayWith(arrayWith(":log-group:",
					map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^AccessLogs"))}))},
				"Format": assertions.Match_StringLikeRegexp(jsii.String(`"requestId":"\$context.requestId"`)),
			},
			"MethodSettings": []any{map[string]any{
				"HttpMethod": "*", "ResourcePath": "/*",
				"LoggingLevel": "INFO", "DataTraceEnabled": false, "MetricsEnabled": true,
				"ThrottlingRateLimit": tc.rate, "ThrottlingBurstLimit": tc.burst,
			}},
		})
	}
}

func TestGatewayResponsesCarryCors(t *testing.T) {
	dev := stage(t, "dev")
	for _, typ := range []string{"DEFAULT_4XX", "DEFAULT_5XX"} {
		hasProps(t, dev.API, "AWS::ApiGateway::GatewayResponse", map[string]any{
			"ResponseType": typ,
			"ResponseParameters": objectLike(map[string]any{
				"gatewayresponse.header.Access-Control-Allow-Origin":  "'http://localhost:3000'",
				"gatewayresponse.header.Access-Control-Allow-Headers": "'Authorization,Content-Type,Idempotency-Key'",
			}),
		})
	}
	// Preflight answers with the configured origin, without a token.
	var preflight map[string]any
	for key, p := range methods(t, dev.APIJSON) {
		if key == "OPTIONS /me" {
			preflight = p
		}
	}
	b, _ := json.Marshal(preflight)
	if !strings.Contains(string(b), `"method.response.header.Access-Control-Allow-Origin":"'http://localhost:3000'"`) {
		t.Errorf("OPTIONS /me does not answer with the configured origin: %s", b)
	}
}

func TestConfigProblemsAreReportedTogether(t *testing.T) {
	_, err := newTestApp(t, map[string]any{
		"stage":        "dev",
		"domainPrefix": "my-cognito-login",
		"callbackUrls": "http://example.com/cb,https://app.example.com/#frag",
		"logoutUrls":   "",
	})
	if err == nil {
		t.Fatal("bad overrides were accepted")
	}
	lines := strings.Split(err.Error(), "\n")
	for _, want := range []string{
		`stages.dev.domainPrefix (or -c domainPrefix): got "my-cognito-login"; want a prefix without "cognito"`,
		`stages.dev.callbackUrls (or -c callbackUrls)[0]: got "http://example.com/cb"; want https`,
		`stages.dev.callbackUrls (or -c callbackUrls)[1]: got "https://app.example.com/#frag"; want a URL without a #fragment`,
		`-c logoutUrls: got an empty value; want 1 to 100 comma-separated URLs`,
	} {
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, want) }) {
			t.Errorf("no problem line starting %q in:\n%s", want, err)
		}
	}
	if len(lines) != 4 {
		t.Errorf("got %d problem lines, want 4:\n%s", len(lines), err)
	}
}

func TestUnknownStage(t *testing.T) {
	_, err := newTestApp(t, map[string]any{"stage": "qa"})
	if err == nil || err.Error() != `stage: got "qa"; want one of the stages in cdk.json: dev, prod` {
		t.Fatalf("got %v", err)
	}
}

// TestCdkSynthRejectsBadInput runs the real `cdk synth`, as a user would, with bad settings:
// it must exit non-zero, print every problem on its own line and no Go stack trace.
func TestCdkSynthRejectsBadInput(t *testing.T) {
	t.Parallel() // waits for the CLI, which runs in a subprocess
	out, code := synthBadInput.Result(t)
	if code == 0 {
		t.Fatalf("cdk synth accepted bad settings:\n%s", out)
	}
	for _, want := range []string{
		`error: stages.dev.domainPrefix (or -c domainPrefix): got "Amazon_Login"; want lower-case letters`,
		`error: stages.dev.callbackUrls (or -c callbackUrls)[1]: got "http://example.com/cb"; want https`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("cdk synth output lacks %q:\n%s", want, out)
		}
	}
	noStackTrace(t, out)
}

var updateGolden = flag.Bool("update", false, "rewrite testdata/*.golden.json from the synthesized templates")

// TestLoginStyleGolden: the committed style reaches CloudFormation unchanged. The golden file
// shows reviewers the exact properties; -update rewrites it after an intended change.
func TestLoginStyleGolden(t *testing.T) {
	dev := stage(t, "dev")
	var got map[string]any
	for _, r := range resourcesOf(dev.AuthJSON, "AWS::Cognito::ManagedLoginBranding") {
		got = props(r)
	}
	delete(got, "UserPoolId") // tokens; asserted in TestManagedLoginDomainAndStyle
	delete(got, "ClientId")
	const golden = "testdata/login-style-dev.golden.json"
	if *updateGolden {
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var want map[string]any
	b, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the synthesized ManagedLoginBranding differs from %s; run go test -run TestLoginStyleGolden -update . if intended", golden)
	}

	// Independently of the golden file: Settings are the committed JSON, the assets the files;
	// prod deploys every asset, dev all but the button icon of prod's provider.
	var committed struct {
		Settings map[string]any
		Assets   []struct{ Category, ColorMode, File, ResourceId string }
	}
	b, _ = os.ReadFile("branding/style.json")
	if err := json.Unmarshal(b, &committed); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"dev", "prod"} {
		var got map[string]any
		for _, r := range resourcesOf(stage(t, name).AuthJSON, "AWS::Cognito::ManagedLoginBranding") {
			got = props(r)
		}
		if !reflect.DeepEqual(got["Settings"], committed.Settings) {
			t.Errorf("%s: synthesized Settings differ from branding/style.json", name)
		}
		want := committed.Assets
		if name == "dev" {
			want = slices.DeleteFunc(slices.Clone(want), func(a struct{ Category, ColorMode, File, ResourceId string }) bool {
				return a.Category == "IDP_BUTTON_ICON"
			})
			if len(want) == len(committed.Assets) {
				t.Fatal("branding/style.json has no IDP_BUTTON_ICON for prod's provider")
			}
		}
		assets, _ := got["Assets"].([]any)
		if len(assets) != len(want) {
			t.Fatalf("%s: got %d assets, want %d", name, len(assets), len(want))
		}
		for i, a := range want {
			data, err := os.ReadFile(filepath.Join("branding", a.File))
			if err != nil {
				t.Fatal(err)
			}
			g := assets[i].(map[string]any)
			if g["Category"] != a.Category || g["ColorMode"] != a.ColorMode || g["Bytes"] != base64.StdEncoding.EncodeToString(data) {
				t.Errorf("%s: asset %d (%s %s) does not carry %s", name, i, a.Category, a.ColorMode, a.File)
			}
			if id, _ := g["ResourceId"].(string); id != a.ResourceId {
				t.Errorf("%s: asset %d ResourceId %q, want %q", name, i, id, a.ResourceId)
			}
		}
	}
}

// A broken branding file stops `cdk synth` with the file, the JSON path and the value (in the
// run of TestCdkSynthRejectsBadInput: the branding's problems join the settings').
func TestCdkSynthRejectsBadBranding(t *testing.T) {
	t.Parallel() // waits for the CLI, which runs in a subprocess
	out, code := synthBadInput.Result(t)
	if code == 0 {
		t.Fatalf("cdk synth accepted a bad branding file:\n%s", out)
	}
	want := `error: branding/testdata/invalid-extension.json: Assets[0].Extension: got "JPG"; unknown extension`
	if !strings.Contains(out, want) {
		t.Errorf("cdk synth output lacks %q:\n%s", want, out)
	}
	noStackTrace(t, out)
}

// Bad inputs through the real `cdk synth`: a stage cdk.json lacks and a key the app does not
// know. The keys the CLI itself passes (aws:cdk:*) and cdk.json's feature flags are accepted,
// so these two are the only problems.
func TestCdkSynthRejectsUnknownStageAndKey(t *testing.T) {
	t.Parallel() // waits for the CLI, which runs in a subprocess
	out, code := synthUnknownStageAndKey.Result(t)
	if code == 0 {
		t.Fatalf("cdk synth accepted an unknown stage:\n%s", out)
	}
	var errors []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "error: ") {
			errors = append(errors, line)
		}
	}
	want := []string{
		`error: mfa: got "required"; unknown context key (from -c or cdk.json's "context"); mfa is a stage setting: set it in cdk.json under stages.<stage>.mfa or defaults.mfa; -c takes only stage, domainPrefix, callbackUrls, logoutUrls, brandingFile`,
		`error: stage: got "staging"; want one of the stages in cdk.json: dev, prod`,
	}
	if !slices.Equal(errors, want) {
		t.Errorf("cdk synth printed the errors\n%s\nwant\n%s\nfull output:\n%s", strings.Join(errors, "\n"), strings.Join(want, "\n"), out)
	}
	noStackTrace(t, out)
}

func noStackTrace(t *testing.T, out string) {
	t.Helper()
	for _, bad := range []string{"goroutine ", "panic:", ".go:"} {
		if strings.Contains(out, bad) {
			t.Errorf("cdk synth printed a Go stack trace (%q):\n%s", bad, out)
		}
	}
}

// With authorizer "lambda", a Go token authorizer verifies the JWT and returns the policy; the
// methods are CUSTOM and carry no Cognito scopes.
func TestLambdaTokenAuthorizerMode(t *testing.T) {
	st, err := newTestApp(t, map[string]any{"stages": project.EditedStages(t, "dev", func(d map[string]any) { d["authorizer"] = "lambda" })})
	if err != nil {
		t.Fatal(err)
	}
	var tpl assertions.Template
	noPanic(t, func() { tpl = assertions.Template_FromStack(st.API.Stack, nil) })
	api := toMap(tpl)

	count(t, tpl, "AWS::Lambda::Function", 2)
	hasProps(t, tpl, "AWS::Lambda::Function", map[string]any{
		"Description":   "demo-api dev token authorizer",
		"Runtime":       "provided.al2023",
		"Architectures": []any{"arm64"},
		"Environment": map[string]any{"Variables": map[string]any{
			"COGNITO_ISSUER":     map[string]any{"Fn::GetStackOutput": objectLike(map[string]any{"StackName": "demo-api-dev-auth"})},
			"ALLOWED_CLIENT_IDS": map[string]any{"Fn::GetStackOutput": objectLike(map[string]any{"StackName": "demo-api-dev-auth"})},
			"ROUTE_TABLE":        assertions.Match_SerializedJson(arrayWith(objectLike(map[string]any{"path": "/items", "scopes": []any{"demo-api/read"}}))),
		}},
	})
	hasProps(t, tpl, "AWS::ApiGateway::Authorizer", map[string]any{
		"Type":                         "TOKEN",
		"IdentitySource":               "method.request.header.Authorization",
		"IdentityValidationExpression": `^Bearer [-0-9A-Za-z_]+\.[-0-9A-Za-z_]+\.[-0-9A-Za-z_]+$`,
		"AuthorizerResultTtlInSeconds": 300,
	})
	// API Gateway may invoke the authorizer function.
	hasProps(t, tpl, "AWS::Lambda::Permission", map[string]any{
		"Action":    "lambda:InvokeFunction",
		"Principal": "apigateway.amazonaws.com",
		"FunctionName": map[string]any{"Fn::GetAtt": arrayWith(
			assertions.Match_StringLikeRegexp(jsii.String("^TokenAuthorizer[0-9A-F]+$")), "Arn")},
	})
	for key, p := range methods(t, api) {
		want := "CUSTOM"
		if key == "GET /health" || strings.HasPrefix(key, "OPTIONS ") {
			want = "NONE"
		}
		if p["AuthorizationType"] != want || p["AuthorizationScopes"] != nil {
			t.Errorf("%s: AuthorizationType %v, scopes %v; want %s and no scopes", key, p["AuthorizationType"], p["AuthorizationScopes"], want)
		}
	}
	// Both functions may write their own logs, nothing else.
	if n := len(resourcesOf(api, "AWS::IAM::Policy")); n != 2 {
		t.Errorf("got %d IAM policies, want one per function", n)
	}
}

// cdkOutput matches the outputs CDK adds on its own: the endpoint of every RestApi (the tools
// read ApiUrl instead) and the values the API stack takes from the auth stack.
var cdkOutput = regexp.MustCompile(`^(ApiEndpoint[0-9A-F]{8}|PublishOutput[A-Za-z0-9]+)$`)

// The stacks write exactly the outputs internal/outputs reads, under the stack names it looks
// for, so a renamed output or stack cannot leave authctl and cmd/local reading nothing.
func TestOutputKeysAreTheReadersKeys(t *testing.T) {
	wantAuth, wantAPI := outputs.StackOutputKeys()
	slices.Sort(wantAuth)
	slices.Sort(wantAPI)
	for _, name := range []string{"dev", "prod"} {
		s := stage(t, name)
		cfg := s.Built.Config
		for _, tc := range []struct {
			stack     awscdk.Stack
			wantStack string
			tpl       map[string]any
			want      []string
		}{
			{s.Built.Auth.Stack, names.AuthStack(cfg.AppName, cfg.StageName), s.AuthJSON, withProviderSignInURLs(wantAuth, cfg)},
			{s.Built.API.Stack, names.APIStack(cfg.AppName, cfg.StageName), s.APIJSON, wantAPI},
		} {
			if got := *tc.stack.StackName(); got != tc.wantStack {
				t.Errorf("%s: stack %s, the outputs reader looks for %s", name, got, tc.wantStack)
			}
			var got []string
			for key := range tc.tpl["Outputs"].(map[string]any) {
				if !cdkOutput.MatchString(key) {
					got = append(got, key)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s %s: the template's outputs are %v, the outputs reader knows %v", name, tc.wantStack, got, tc.want)
			}
		}
	}
}

// withProviderSignInURLs adds to the reader's auth keys the sign-in URL output of each of the
// stage's identity providers, which the tools do not read (authctl login -idp builds its own
// URL) but users open.
func withProviderSignInURLs(keys []string, cfg config.Config) []string {
	keys = slices.Clone(keys)
	for _, p := range cfg.IdentityProviders {
		keys = append(keys, names.ProviderSignInURL(p.OutputSuffix()))
	}
	slices.Sort(keys)
	return keys
}

// The committed prod stage has alarms on, with no address (it needs a real one), and dev stays
// without; neither has a domain of its own (they need account values).
func TestCommittedStagesAlarmsAndDomains(t *testing.T) {
	if stage(t, "dev").Built.Alarms != nil {
		t.Error("dev has an alarms stack, want none")
	}
	prod := stage(t, "prod")
	if prod.Built.Alarms == nil {
		t.Fatal("prod has no alarms stack")
	}
	if got, want := *prod.Built.Alarms.StackName(), names.AlarmsStack("demo-api", "prod"); got != want {
		t.Errorf("alarms stack %s, want %s", got, want)
	}
	var got []string
	for _, r := range resourcesOf(prod.AlarmsJSON, "AWS::CloudWatch::Alarm") {
		got = append(got, props(r)["AlarmName"].(string))
	}
	sort.Strings(got)
	// prod: Cognito's authorizer, the pre token trigger (groupScopes), both web ACLs and SES.
	want := []string{
		"demo-api-prod-api-5xx", "demo-api-prod-api-latency-p99", "demo-api-prod-cognito-throttles",
		"demo-api-prod-handler-errors", "demo-api-prod-handler-throttles",
		"demo-api-prod-pre-token-errors", "demo-api-prod-pre-token-throttles",
		"demo-api-prod-ses-bounce-rate", "demo-api-prod-ses-complaint-rate",
		"demo-api-prod-waf-api-blocked", "demo-api-prod-waf-userpool-blocked",
	}
	if !slices.Equal(got, want) {
		t.Errorf("prod alarms %v,\nwant %v", got, want)
	}
	count(t, prod.Alarms, "AWS::SNS::Subscription", 0)
	count(t, prod.Alarms, "AWS::CloudWatch::Dashboard", 1)
	// The synth says that nobody hears the alarms yet.
	noPanic(t, func() {
		assertions.Annotations_FromStack(prod.Built.Auth.Stack).HasWarning(jsii.String("*"),
			assertions.Match_StringLikeRegexp(jsii.String(`stages\.prod\.alarms\.email: no address gets this production stage's alarms`)))
	})
	for _, name := range []string{"dev", "prod"} {
		s := stage(t, name)
		count(t, s.Auth, "AWS::Cognito::UserPoolDomain", 1)
		count(t, s.API, "AWS::ApiGateway::DomainName", 0)
		hasProps(t, s.API, "AWS::ApiGateway::RestApi", map[string]any{"DisableExecuteApiEndpoint": false})
	}
}

// `cdk diff` without credentials prints the CLI's own "Unable to resolve AWS account" (the app
// adds nothing): docs/troubleshooting.md quotes that text and says what to set.
func TestTroubleshootingExplainsMissingAccount(t *testing.T) {
	const msg = "Unable to resolve AWS account to use"
	b, err := os.ReadFile("docs/troubleshooting.md")
	if err != nil {
		t.Fatal(err)
	}
	troubleshooting := string(b)
	entry, _, _ := strings.Cut(troubleshooting[strings.Index(troubleshooting, msg)+1:], "\n- ")
	for _, want := range []string{msg, "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "CDK_DEFAULT_ACCOUNT"} {
		if !strings.Contains(troubleshooting, want) || (want != msg && !strings.Contains(entry, want)) {
			t.Errorf("docs/troubleshooting.md's entry for %q lacks %q", msg, want)
		}
	}
	cli, err := os.ReadFile(filepath.Join("node_modules", "aws-cdk", "lib", "index.js"))
	if err != nil {
		t.Skip("the CDK CLI is not installed: run `npm ci` to include this check")
	}
	if !strings.Contains(string(cli), msg) {
		t.Errorf("the pinned CDK CLI no longer prints %q: update docs/troubleshooting.md", msg)
	}
}
