package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/cognito-apigw/cognito-apigw/internal/cdkjson"
	"github.com/cognito-apigw/cognito-apigw/internal/cdktest"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
	"github.com/cognito-apigw/cognito-apigw/stacks"
)

// The tests synthesize each stage once per test binary (jsii makes every synth cost seconds)
// and share the templates across assertions. Bundling is skipped: the build is tested in
// stacks/.

type synthesized struct {
	built     *stacks.Stage
	auth, api assertions.Template
	authJSON  map[string]any
	apiJSON   map[string]any
	// alarms is nil on a stage without alarms.
	alarms     assertions.Template
	alarmsJSON map[string]any
}

// testOutdir holds the cloud assemblies of this test binary.
var testOutdir string

func TestMain(m *testing.M) {
	var err error
	if testOutdir, err = os.MkdirTemp("", "app-test-"); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(testOutdir)
	os.Exit(code)
}

var (
	synthOnce = map[string]*sync.Once{"dev": {}, "prod": {}}
	synthed   = map[string]*synthesized{}
	synthErr  = map[string]error{}
)

// cdkContext is the "context" object of cdk.json, the configuration users edit.
func cdkContext(t *testing.T) map[string]any {
	t.Helper()
	ctx, err := cdkjson.ReadContext("cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	return ctx
}

// newTestApp builds the app with cdk.json's context plus extra keys, the way `cdk synth -c`
// would, without bundling the Lambda.
func newTestApp(t *testing.T, extra map[string]any) (*stacks.Stage, error) {
	t.Helper()
	ctx := cdkContext(t)
	maps.Copy(ctx, extra)
	ctx["aws:cdk:bundling-stacks"] = []any{}
	var built *stacks.Stage
	var err error
	noPanic(t, func() {
		// Not t.TempDir(): assertions may synthesize again after the first test has ended.
		outdir, mkErr := os.MkdirTemp(testOutdir, "synth-")
		if mkErr != nil {
			t.Fatal(mkErr)
		}
		app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(outdir)})
		awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true), Reports: jsii.Bool(false)}), nil)
		built, err = stacks.NewStage(app, ".")
	})
	return built, err
}

func stage(t *testing.T, name string) *synthesized {
	t.Helper()
	synthOnce[name].Do(func() {
		st, err := newTestApp(t, map[string]any{"stage": name})
		if err != nil {
			synthErr[name] = err
			return
		}
		s := &synthesized{built: st}
		noPanic(t, func() {
			s.auth = assertions.Template_FromStack(st.Auth.Stack, nil)
			s.api = assertions.Template_FromStack(st.API.Stack, nil)
			if st.Alarms != nil {
				s.alarms = assertions.Template_FromStack(st.Alarms.Stack, nil)
			}
		})
		s.authJSON = toMap(s.auth)
		s.apiJSON = toMap(s.api)
		if s.alarms != nil {
			s.alarmsJSON = toMap(s.alarms)
		}
		synthed[name] = s
	})
	if err := synthErr[name]; err != nil {
		t.Fatalf("stage %s: %v", name, err)
	}
	if synthed[name] == nil {
		t.Fatalf("stage %s did not synthesize", name)
	}
	return synthed[name]
}

var toMap = cdktest.ToMap

// The shared assertion helpers, by the names these tests use.
var (
	noPanic     = cdktest.NoPanic
	hasProps    = cdktest.HasProps
	hasResource = cdktest.HasResource
	count       = cdktest.Count
)

func objectLike(m map[string]any) assertions.Matcher { return assertions.Match_ObjectLike(&m) }

func arrayWith(items ...any) assertions.Matcher { return assertions.Match_ArrayWith(&items) }

// resourcesOf returns the template's resources of one type, by logical id.
func resourcesOf(tpl map[string]any, typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range tpl["Resources"].(map[string]any) {
		res := r.(map[string]any)
		if res["Type"] == typ {
			out[id] = res
		}
	}
	return out
}

func props(r map[string]any) map[string]any {
	p, _ := r["Properties"].(map[string]any)
	return p
}

func TestUserPool(t *testing.T) {
	dev := stage(t, "dev")
	count(t, dev.auth, "AWS::Cognito::UserPool", 1)
	hasProps(t, dev.auth, "AWS::Cognito::UserPool", map[string]any{
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
	hasResource(t, dev.auth, "AWS::Cognito::UserPool", map[string]any{"DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete"})
	// No SMS: no SMS role is created unless asked for; the one role is the token trigger's.
	count(t, dev.auth, "AWS::IAM::Role", 1)
	hasProps(t, dev.auth, "AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": objectLike(map[string]any{"Statement": []any{objectLike(map[string]any{
			"Principal": map[string]any{"Service": "lambda.amazonaws.com"},
		})}}),
		"Description": "Runs the demo-api dev pre token generation trigger",
	})
}

func TestProductionProtection(t *testing.T) {
	prod := stage(t, "prod")
	// Threat protection, on the PLUS plan.
	hasProps(t, prod.auth, "AWS::Cognito::UserPool", map[string]any{
		"UserPoolTier":   "PLUS",
		"UserPoolAddOns": map[string]any{"AdvancedSecurityMode": "ENFORCED"},
	})
	// A web ACL with AWS's common rules and a per-IP rate limit, on the API stage.
	hasProps(t, prod.api, "AWS::WAFv2::WebACL", map[string]any{
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
	associations := resourcesOf(prod.apiJSON, "AWS::WAFv2::WebACLAssociation")
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
	count(t, dev.api, "AWS::WAFv2::WebACL", 0)
	hasProps(t, dev.auth, "AWS::Cognito::UserPool", map[string]any{"UserPoolAddOns": assertions.Match_Absent()})
}

func TestProductionKeepsUsersAndLogs(t *testing.T) {
	prod := stage(t, "prod")
	hasResource(t, prod.auth, "AWS::Cognito::UserPool", map[string]any{
		"DeletionPolicy":      "Retain",
		"UpdateReplacePolicy": "Retain",
		"Properties":          objectLike(map[string]any{"DeletionProtection": "ACTIVE", "UserPoolName": "demo-api-prod"}),
	})
	logGroups := resourcesOf(prod.apiJSON, "AWS::Logs::LogGroup")
	if len(logGroups) != 3 {
		t.Fatalf("prod log groups: got %d, want 3 (handler, access and WAF logs)", len(logGroups))
	}
	for id, lg := range logGroups {
		if lg["DeletionPolicy"] != "Retain" || props(lg)["RetentionInDays"] != float64(365) {
			t.Errorf("prod log group %s: DeletionPolicy %v, RetentionInDays %v; want Retain and 365", id, lg["DeletionPolicy"], props(lg)["RetentionInDays"])
		}
	}
	for id, lg := range resourcesOf(stage(t, "dev").apiJSON, "AWS::Logs::LogGroup") {
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
			count(t, s.auth, "AWS::Cognito::UserPoolClient", 2) // the web client and the reporting machine client
			hasProps(t, s.auth, "AWS::Cognito::UserPoolClient", map[string]any{
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
	hasProps(t, dev.auth, "AWS::Cognito::UserPoolResourceServer", map[string]any{
		"Identifier": "demo-api",
		"Scopes": []any{
			map[string]any{"ScopeName": "read", "ScopeDescription": "Read items"},
			map[string]any{"ScopeName": "write", "ScopeDescription": "Create and change items"},
		},
	})
	hasProps(t, dev.auth, "AWS::Cognito::UserPoolGroup", map[string]any{"GroupName": "admin"})
	count(t, dev.auth, "AWS::Cognito::UserPoolGroup", 1)
}

func TestManagedLoginDomainAndStyle(t *testing.T) {
	for _, name := range []string{"dev", "prod"} {
		s := stage(t, name)
		hasProps(t, s.auth, "AWS::Cognito::UserPoolDomain", map[string]any{
			"ManagedLoginVersion": 2,
			// Derived so that it is unique in any account: <app>-<stage>-<account id>.
			"Domain": map[string]any{"Fn::Join": []any{"-", []any{"demo-api-" + name, map[string]any{"Ref": "AWS::AccountId"}}}},
		})
		// Every client of a version 2 domain needs a style, or its login pages are unavailable.
		count(t, s.auth, "AWS::Cognito::ManagedLoginBranding", 1)
		hasProps(t, s.auth, "AWS::Cognito::ManagedLoginBranding", map[string]any{
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
	outputs := dev.authJSON["Outputs"].(map[string]any)
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
	api := stage(t, "dev").apiJSON["Outputs"].(map[string]any)
	if _, ok := api["ApiUrl"]; !ok {
		t.Errorf("api stack output ApiUrl missing; have %v", slices.Sorted(maps.Keys(api)))
	}
}

func TestLambdaFunction(t *testing.T) {
	dev := stage(t, "dev")
	count(t, dev.api, "AWS::Lambda::Function", 1)
	hasProps(t, dev.api, "AWS::Lambda::Function", map[string]any{
		"Runtime":       "provided.al2023",
		"Architectures": []any{"arm64"},
		"Handler":       "bootstrap",
		"LoggingConfig": map[string]any{"LogGroup": map[string]any{"Ref": assertions.Match_AnyValue()}},
		"Environment": map[string]any{"Variables": map[string]any{
			"ROUTE_TABLE":        assertions.Match_SerializedJson(arrayWith(objectLike(map[string]any{"method": "GET", "path": "/me", "access": "protected"}))),
			"ALLOWED_CLIENT_IDS": assertions.Match_AnyValue(),
			"ALLOWED_ORIGINS":    "http://localhost:3000",
		}},
	})
	// The function's role may write its own logs and nothing else: no managed policy, one
	// statement on its log group.
	hasProps(t, dev.api, "AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": objectLike(map[string]any{"Statement": []any{objectLike(map[string]any{
			"Principal": map[string]any{"Service": "lambda.amazonaws.com"},
		})}}),
		"ManagedPolicyArns": assertions.Match_Absent(),
	})
	policies := resourcesOf(dev.apiJSON, "AWS::IAM::Policy")
	if len(policies) != 1 {
		t.Fatalf("got %d IAM policies, want the handler's one", len(policies))
	}
	for _, p := range policies {
		b, _ := json.Marshal(props(p)["PolicyDocument"])
		want := `{"Statement":[{"Action":["logs:CreateLogStream","logs:PutLogEvents"],"Effect":"Allow","Resource":{"Fn::GetAtt":["HandlerLogs`
		if !strings.HasPrefix(string(b), want) || strings.Count(string(b), `"Effect"`) != 1 {
			t.Errorf("handler policy %s; want only log writes to its log group", b)
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
	got := methods(t, dev.apiJSON)
	want := map[string]struct {
		auth   string
		scopes []any
	}{
		"GET /health":       {"NONE", nil},
		"GET /me":           {"COGNITO_USER_POOLS", nil},
		"GET /items":        {"COGNITO_USER_POOLS", []any{"demo-api/read"}},
		"POST /items":       {"COGNITO_USER_POOLS", []any{"demo-api/write"}},
		"GET /admin":        {"COGNITO_USER_POOLS", nil},
		"ANY /{proxy+}":     {"COGNITO_USER_POOLS", nil},
		"ANY /":             {"COGNITO_USER_POOLS", nil}, // the proxy also takes the root
		"OPTIONS /":         {"NONE", nil},
		"OPTIONS /health":   {"NONE", nil},
		"OPTIONS /me":       {"NONE", nil},
		"OPTIONS /items":    {"NONE", nil},
		"OPTIONS /admin":    {"NONE", nil},
		"OPTIONS /{proxy+}": {"NONE", nil},
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
	count(t, dev.api, "AWS::ApiGateway::Authorizer", 1)
	hasProps(t, dev.api, "AWS::ApiGateway::Authorizer", map[string]any{
		"Type":                         "COGNITO_USER_POOLS",
		"IdentitySource":               "method.request.header.Authorization",
		"AuthorizerResultTtlInSeconds": 300,
		"ProviderARNs":                 assertions.Match_AnyValue(),
	})
	hasProps(t, dev.api, "AWS::ApiGateway::RestApi", map[string]any{
		"Name":                  "demo-api-dev",
		"EndpointConfiguration": map[string]any{"Types": []any{"REGIONAL"}},
	})
	// Execution logging needs the account's CloudWatch role.
	count(t, dev.api, "AWS::ApiGateway::Account", 1)
}

func TestStageLoggingAndThrottling(t *testing.T) {
	for _, tc := range []struct {
		stage       string
		rate, burst int
	}{{"dev", 50, 100}, {"prod", 100, 200}} {
		s := stage(t, tc.stage)
		hasProps(t, s.api, "AWS::ApiGateway::Stage", map[string]any{
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
		hasProps(t, dev.api, "AWS::ApiGateway::GatewayResponse", map[string]any{
			"ResponseType": typ,
			"ResponseParameters": objectLike(map[string]any{
				"gatewayresponse.header.Access-Control-Allow-Origin":  "'http://localhost:3000'",
				"gatewayresponse.header.Access-Control-Allow-Headers": "'Authorization,Content-Type'",
			}),
		})
	}
	// Preflight answers with the configured origin, without a token.
	var preflight map[string]any
	for key, p := range methods(t, dev.apiJSON) {
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
	t.Parallel() // runs the CDK CLI in a subprocess, with its own output directory
	out, code := runCdkSynth(t, "-c", "domainPrefix=Amazon_Login", "-c", "callbackUrls=ftp:/x,http://example.com/cb")
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
	for _, r := range resourcesOf(dev.authJSON, "AWS::Cognito::ManagedLoginBranding") {
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
		for _, r := range resourcesOf(stage(t, name).authJSON, "AWS::Cognito::ManagedLoginBranding") {
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

// A broken branding file stops `cdk synth` with the file, the JSON path and the value.
func TestCdkSynthRejectsBadBranding(t *testing.T) {
	t.Parallel() // runs the CDK CLI in a subprocess, with its own output directory
	out, code := runCdkSynth(t, "-c", "brandingFile=branding/testdata/invalid-extension.json")
	if code == 0 {
		t.Fatalf("cdk synth accepted a bad branding file:\n%s", out)
	}
	want := `error: branding/testdata/invalid-extension.json: Assets[0].Extension: got "JPG"; unknown extension`
	if !strings.Contains(out, want) {
		t.Errorf("cdk synth output lacks %q:\n%s", want, out)
	}
	noStackTrace(t, out)
}

// runCdkSynth runs the project's pinned CDK CLI and returns its output and exit code.
func runCdkSynth(t *testing.T, args ...string) (string, int) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the CDK CLI")
	}
	cdk := filepath.Join("node_modules", ".bin", "cdk")
	if _, err := os.Stat(cdk); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the CDK CLI is not installed: run `npm ci` first (%v)", err)
		}
		t.Skip("the CDK CLI is not installed: run `npm ci` to include this test")
	}
	cmd := exec.Command(cdk, append([]string{"synth", "--no-notices", "-q", "-o", t.TempDir()}, args...)...)
	cmd.Env = append(os.Environ(), "CDK_DISABLE_CLI_TELEMETRY=true")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("running cdk: %v", err)
	}
	return string(out), cmd.ProcessState.ExitCode()
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
	ctx := cdkContext(t)
	st, err := newTestApp(t, map[string]any{"stages": editedStages(t, ctx, func(d map[string]any) { d["authorizer"] = "lambda" })})
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
		cfg := s.built.Config
		for _, tc := range []struct {
			stack     awscdk.Stack
			wantStack string
			tpl       map[string]any
			want      []string
		}{
			{s.built.Auth.Stack, names.AuthStack(cfg.AppName, cfg.StageName), s.authJSON, withProviderSignInURLs(wantAuth, cfg)},
			{s.built.API.Stack, names.APIStack(cfg.AppName, cfg.StageName), s.apiJSON, wantAPI},
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
