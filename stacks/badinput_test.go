package stacks_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/stacks"
)

// badInput is one wrong setting and what the message must name: the key or JSON path, and the
// value.
type badInput struct {
	name string
	ctx  map[string]any       // top-level context keys, as -c gives them
	dev  func(map[string]any) // edits the dev stage of cdk.json
	want []string
}

// devRoute replaces the dev stage's routes with one route.
func devRoute(route map[string]any) func(map[string]any) {
	return func(d map[string]any) { d["routes"] = []any{route} }
}

// devProvider gives the dev stage one identity provider: a valid Google provider with the
// given settings changed (nil removes one).
func devProvider(settings map[string]any) func(map[string]any) {
	return func(d map[string]any) {
		p := map[string]any{"type": "google", "clientId": "id", "clientSecret": map[string]any{"secretsManager": "demo/google", "field": "clientSecret"}}
		for k, v := range settings {
			if v == nil {
				delete(p, k)
			} else {
				p[k] = v
			}
		}
		d["identityProviders"] = []any{p}
	}
}

func badInputs(t *testing.T) []badInput {
	inputs := []badInput{
		// Top-level keys and command-line overrides.
		{name: "appName type", ctx: map[string]any{"appName": true}, want: []string{"appName: got true"}},
		{name: "appName pattern", ctx: map[string]any{"appName": "My App"}, want: []string{`appName: got "My App"`}},
		{name: "appName reserved word", ctx: map[string]any{"appName": "aws-shop"}, want: []string{"default domain prefix", `"aws-shop-dev-123456789012"`, `without "aws"`}},
		{name: "unknown stage", ctx: map[string]any{"stage": "staging"}, want: []string{`stage: got "staging"`, "dev, prod"}},
		{name: "stage type", ctx: map[string]any{"stage": 3}, want: []string{"stage: got 3"}},
		{name: "domainPrefix reserved", ctx: map[string]any{"domainPrefix": "amazon-login"}, want: []string{"-c domainPrefix", `"amazon-login"`}},
		{name: "domainPrefix case", ctx: map[string]any{"domainPrefix": "Login"}, want: []string{"-c domainPrefix", `"Login"`, "lower-case"}},
		{name: "domainPrefix length", ctx: map[string]any{"domainPrefix": strings.Repeat("x", 70)}, want: []string{"-c domainPrefix", "at most 63 characters"}},
		{name: "callbackUrls http", ctx: map[string]any{"callbackUrls": "http://app.example.com/cb"}, want: []string{"-c callbackUrls)[0]", `"http://app.example.com/cb"`}},
		{name: "callbackUrls relative", ctx: map[string]any{"callbackUrls": "auth/callback"}, want: []string{"-c callbackUrls)[0]", `"auth/callback"`, "absolute URL"}},
		{name: "callbackUrls fragment", ctx: map[string]any{"callbackUrls": "https://a.example.com/#cb"}, want: []string{"-c callbackUrls)[0]", "#fragment"}},
		{name: "logoutUrls empty", ctx: map[string]any{"logoutUrls": " , "}, want: []string{"-c logoutUrls: got an empty value", "want 1 to 100 comma-separated URLs"}},
		{name: "logoutUrls http", ctx: map[string]any{"logoutUrls": "http://10.0.0.1:3000"}, want: []string{"-c logoutUrls)[0]", `"http://10.0.0.1:3000"`}},
		{name: "brandingFile missing", ctx: map[string]any{"brandingFile": "branding/nope.json"}, want: []string{`-c brandingFile): got "branding/nope.json"; want an existing branding file: ` + filepath.Join(project.Dir, "branding/nope.json") + ` does not exist`}},
		{name: "brandingFile absolute missing", ctx: map[string]any{"brandingFile": "/abs/path/style.json"}, want: []string{`-c brandingFile): got "/abs/path/style.json"; want an existing branding file: /abs/path/style.json does not exist`}},
		{name: "callbackUrls without scheme", ctx: map[string]any{"callbackUrls": "localhost:3000/auth/callback"}, want: []string{"-c callbackUrls)[0]", "did you mean http://localhost:3000/auth/callback?"}},
		{name: "logoutUrls without scheme", ctx: map[string]any{"logoutUrls": "app.example.com"}, want: []string{"-c logoutUrls)[0]", "did you mean https://app.example.com?"}},
		{name: "callbackUrls empty", ctx: map[string]any{"callbackUrls": ""}, want: []string{"-c callbackUrls: got an empty value"}},
		{name: "unknown -c key", ctx: map[string]any{"mfa": "required"}, want: []string{`mfa: got "required"; unknown context key`, "stages.<stage>.mfa or defaults.mfa", "-c takes only stage, domainPrefix, callbackUrls, logoutUrls, brandingFile"}},
		{name: "-c key in the wrong case", ctx: map[string]any{"domainprefix": "x"}, want: []string{`domainprefix: got "x"; unknown context key`, `did you mean "domainPrefix"?`}},
		{name: "unknown default", ctx: map[string]any{"defaults": map[string]any{"mfaa": "off"}}, want: []string{"defaults.mfaa: unknown setting"}},
		{name: "brandingFile type", ctx: map[string]any{"brandingFile": 1}, want: []string{"brandingFile: got 1"}},

		// Stage settings.
		{name: "unknown setting", dev: func(d map[string]any) { d["retain"] = true }, want: []string{"stages.dev.retain: unknown setting"}},
		{name: "production type", dev: func(d map[string]any) { d["production"] = "yes" }, want: []string{`stages.dev.production: got "yes"`}},
		{name: "selfSignUp type", dev: func(d map[string]any) { d["selfSignUp"] = 1 }, want: []string{"stages.dev.selfSignUp: got 1"}},
		{name: "mfa", dev: func(d map[string]any) { d["mfa"] = "on" }, want: []string{`stages.dev.mfa: got "on"`}},
		{name: "mfaSms without mfa", dev: func(d map[string]any) { d["mfa"] = "off"; d["mfaSms"] = true }, want: []string{"stages.dev.mfaSms: got true"}},
		{name: "featurePlan LITE", dev: func(d map[string]any) { d["featurePlan"] = "LITE" }, want: []string{`stages.dev.featurePlan: got "LITE"`}},
		{name: "threat protection on ESSENTIALS", dev: func(d map[string]any) { d["featurePlan"] = "ESSENTIALS"; d["threatProtection"] = true }, want: []string{`stages.dev.featurePlan: got "ESSENTIALS"`, "PLUS"}},
		{name: "password length", dev: func(d map[string]any) { d["passwordPolicy"] = map[string]any{"minLength": 200} }, want: []string{"stages.dev.passwordPolicy.minLength: got 200"}},
		{name: "password unknown key", dev: func(d map[string]any) { d["passwordPolicy"] = map[string]any{"minimumLength": 12} }, want: []string{"stages.dev.passwordPolicy.minimumLength: unknown setting"}},
		{name: "verification body", dev: func(d map[string]any) { d["verificationEmail"] = map[string]any{"body": "Your code"} }, want: []string{`stages.dev.verificationEmail.body: got "Your code"`, "{####}"}},
		{name: "group name", dev: func(d map[string]any) { d["groups"] = []any{map[string]any{"name": ""}} }, want: []string{`stages.dev.groups[0].name: got ""`}},
		{name: "resource server identifier", dev: func(d map[string]any) { d["resourceServer"] = map[string]any{"identifier": `demo"api`} }, want: []string{"stages.dev.resourceServer.identifier"}},
		{name: "scope name", dev: func(d map[string]any) {
			d["resourceServer"] = map[string]any{"scopes": []any{map[string]any{"name": "read all", "description": "x"}}}
		}, want: []string{`stages.dev.resourceServer.scopes[0].name: got "read all"`}},
		{name: "group name with comma", dev: func(d map[string]any) { d["groups"] = []any{map[string]any{"name": "ops,admin"}} }, want: []string{`stages.dev.groups[0].name: got "ops,admin"`, "API Gateway flattens cognito:groups"}},
		{name: "oauth flow", dev: func(d map[string]any) { d["oauthFlows"] = []any{"client_credentials"} }, want: []string{`stages.dev.oauthFlows[0]: got "client_credentials"`, "stand alone"}},
		{name: "machine client with a user scope", dev: func(d map[string]any) {
			d["machineClients"] = []any{map[string]any{"name": "reporting", "scopes": []any{"openid"}}}
		}, want: []string{`stages.dev.machineClients[0].scopes[0]: got "openid"`, "resource server's scopes"}},
		{name: "route names an unknown client", dev: func(d map[string]any) {
			d["routes"] = []any{map[string]any{"method": "GET", "path": "/items", "access": "scoped", "scopes": []any{"demo-api/read"}, "clients": []any{"billing"}}}
		}, want: []string{`stages.dev.routes[0].clients[0]: got "billing"`, "machineClients"}},
		{name: "machine client on a group route", dev: func(d map[string]any) {
			d["routes"] = []any{map[string]any{"method": "GET", "path": "/items", "access": "scoped", "scopes": []any{"demo-api/read"}, "groups": []any{"admin"}, "clients": []any{"reporting"}}}
		}, want: []string{`stages.dev.routes[0].clients[0]: got "reporting"`, "no groups"}},
		{name: "sign-in factor", dev: func(d map[string]any) { d["signIn"] = map[string]any{"factors": []any{"password", "sms"}} },
			want: []string{`stages.dev.signIn.factors[1]: got "sms"`, "password, emailOtp, passkey"}},
		{name: "email codes without SES", dev: func(d map[string]any) { d["signIn"] = map[string]any{"factors": []any{"password", "emailOtp"}} },
			want: []string{`stages.dev.signIn.factors: got "emailOtp"`, `email.sender "ses"`}},
		{name: "passkey on another domain", dev: func(d map[string]any) {
			d["signIn"] = map[string]any{"factors": []any{"password", "passkey"}, "passkeyRelyingParty": "login.acme.io"}
		}, want: []string{`stages.dev.signIn.passkeyRelyingParty: got "login.acme.io"`, "managed-login domain"}},
		{name: "group scope of an unknown group", dev: func(d map[string]any) { d["groupScopes"] = map[string]any{"ops": []any{"demo-api/read"}} },
			want: []string{`stages.dev.groupScopes.ops: got "ops"`, "groups"}},
		{name: "rotation grace", dev: func(d map[string]any) {
			d["tokens"] = map[string]any{"refreshRotation": map[string]any{"enabled": true, "graceSeconds": 90}}
		}, want: []string{"stages.dev.tokens.refreshRotation.graceSeconds: got 90", "0 to 60"}},
		{name: "passwordAuth type", dev: func(d map[string]any) { d["passwordAuth"] = "true" }, want: []string{`stages.dev.passwordAuth: got "true"`}},
		{name: "access token lifetime", dev: func(d map[string]any) { d["tokens"] = map[string]any{"accessMinutes": 2000} }, want: []string{"stages.dev.tokens.accessMinutes: got 2000"}},
		{name: "refresh shorter than ID", dev: func(d map[string]any) { d["tokens"] = map[string]any{"refreshMinutes": 60, "idMinutes": 90} }, want: []string{"stages.dev.tokens.idMinutes: got 90", "refreshMinutes (60)"}},
		{name: "auth session", dev: func(d map[string]any) { d["tokens"] = map[string]any{"authSessionMinutes": 1} }, want: []string{"stages.dev.tokens.authSessionMinutes: got 1"}},
		{name: "cors origin with path", dev: func(d map[string]any) { d["cors"] = map[string]any{"allowOrigins": []any{"https://a.example.com/app"}} }, want: []string{`stages.dev.cors.allowOrigins[0]: got "https://a.example.com/app"`}},
		{name: "cors max age", dev: func(d map[string]any) { d["cors"] = map[string]any{"maxAgeSeconds": -1} }, want: []string{"stages.dev.cors.maxAgeSeconds: got -1"}},
		{name: "authorizer cache", dev: func(d map[string]any) { d["authorizerCacheSeconds"] = 4000 }, want: []string{"stages.dev.authorizerCacheSeconds: got 4000"}},
		{name: "throttling rate", dev: func(d map[string]any) { d["throttling"] = map[string]any{"rateLimit": -5} }, want: []string{"stages.dev.throttling.rateLimit: got -5"}},
		{name: "throttling burst type", dev: func(d map[string]any) { d["throttling"] = map[string]any{"burstLimit": 1.5} }, want: []string{"stages.dev.throttling.burstLimit: got 1.5", "whole number"}},
		{name: "log retention", dev: func(d map[string]any) { d["logRetentionDays"] = 31 }, want: []string{"stages.dev.logRetentionDays: got 31"}},
		{name: "waf rate limit", dev: func(d map[string]any) { d["waf"] = map[string]any{"enabled": true, "rateLimit": 1} }, want: []string{"stages.dev.waf.rateLimit: got 1"}},

		// Email and sign-in.
		{name: "email sender", dev: func(d map[string]any) { d["email"] = map[string]any{"sender": "smtp"} }, want: []string{`stages.dev.email.sender: got "smtp"`}},
		{name: "email from", dev: func(d map[string]any) { d["email"] = map[string]any{"sender": "ses", "from": "no-reply"} }, want: []string{`stages.dev.email.from: got "no-reply"`, "bare email address"}},
		{name: "email ses region", dev: func(d map[string]any) {
			d["email"] = map[string]any{"sender": "ses", "from": "a@acme.io", "sesRegion": "EU"}
		}, want: []string{`stages.dev.email.sesRegion: got "EU"`}},
		{name: "invitation body", dev: func(d map[string]any) { d["invitationMessage"] = map[string]any{"body": "Your password is {####}"} }, want: []string{`stages.dev.invitationMessage.body: got "Your password is {####}"`, "{username}"}},
		{name: "provider type", dev: devProvider(map[string]any{"type": "github"}), want: []string{`stages.dev.identityProviders[0].type: got "github"`}},
		{name: "provider client id", dev: devProvider(map[string]any{"clientId": ""}), want: []string{`stages.dev.identityProviders[0].clientId: got ""`}},
		{name: "provider literal secret", dev: devProvider(map[string]any{"clientSecret": "GOCSPX-do-not-print"}), want: []string{"stages.dev.identityProviders[0].clientSecret: got a string", "Secrets Manager"}},
		{name: "oidc issuer http", dev: devProvider(map[string]any{"type": "oidc", "name": "okta", "issuer": "http://acme.okta.com"}), want: []string{`stages.dev.identityProviders[0].issuer: got "http://acme.okta.com"`, "https"}},
		{name: "saml both metadata", dev: devProvider(map[string]any{"type": "saml", "name": "entra", "clientId": "", "clientSecret": nil, "metadataUrl": "https://idp.acme.io/m", "metadataFile": "m.xml"}),
			want: []string{`stages.dev.identityProviders[0]: got "metadataUrl and metadataFile"`, "exactly one"}},
		{name: "saml no metadata", dev: devProvider(map[string]any{"type": "saml", "name": "entra", "clientId": "", "clientSecret": nil}), want: []string{`stages.dev.identityProviders[0].metadataUrl: got ""`, "exactly one of the two"}},
		{name: "saml metadata file missing", dev: devProvider(map[string]any{"type": "saml", "name": "entra", "clientId": "", "clientSecret": nil, "metadataFile": "saml/none.xml"}),
			want: []string{`stages.dev.identityProviders[0].metadataFile: got "saml/none.xml"; want a readable SAML metadata file`}},
		{name: "mapping without email", dev: devProvider(map[string]any{"attributeMapping": map[string]any{"name": "name"}}), want: []string{`stages.dev.identityProviders[0].attributeMapping: got {"name":"name"}`, `want "email" mapped`}},
		{name: "mapping without name", dev: devProvider(map[string]any{"attributeMapping": map[string]any{"email": "email"}}), want: []string{`stages.dev.identityProviders[0].attributeMapping: got {"email":"email"}`, `want "name" mapped`}},
		{name: "duplicate providers", dev: func(d map[string]any) {
			p := map[string]any{"type": "google", "clientId": "a", "clientSecret": map[string]any{"secretsManager": "s", "field": "f"}}
			d["identityProviders"] = []any{p, p}
		}, want: []string{`stages.dev.identityProviders[1].name: got "Google"; want each provider once`}},
		{name: "linkByEmail without providers", dev: func(d map[string]any) { d["linkByEmail"] = true }, want: []string{"stages.dev.linkByEmail: got true", "identityProviders is empty"}},
		{name: "linkByEmail with a provider owning no domain", dev: func(d map[string]any) {
			devProvider(map[string]any{"type": "oidc", "name": "okta", "issuer": "https://acme.okta.com"})(d)
			d["linkByEmail"] = true
		}, want: []string{`stages.dev.identityProviders[0]: got "okta"; want identifiers or linkDomains`}},
		{name: "email_verified mapped", dev: devProvider(map[string]any{"attributeMapping": map[string]any{"email": "email", "name": "name", "email_verified": "email_verified"}}),
			want: []string{`stages.dev.identityProviders[0].attributeMapping.email_verified: got "email_verified"; want it left out`}},
		{name: "extra claim a user may write", dev: func(d map[string]any) { d["extraClaims"] = map[string]any{"website": "https://acme.io"} },
			want: []string{`stages.dev.extraClaims.website: got "website"; want a claim of your own`}},

		// The route table.
		{name: "route method", dev: devRoute(map[string]any{"method": "OPTIONS", "path": "/x", "access": "public"}), want: []string{`stages.dev.routes[0].method: got "OPTIONS"`}},
		{name: "route path", dev: devRoute(map[string]any{"method": "GET", "path": "/x/", "access": "public"}), want: []string{`stages.dev.routes[0].path: got "/x/"`}},
		{name: "route proxy path", dev: devRoute(map[string]any{"method": "GET", "path": "/{proxy+}", "access": "public"}), want: []string{`stages.dev.routes[0].path: got "/{proxy+}"`}},
		{name: "route access", dev: devRoute(map[string]any{"method": "GET", "path": "/x", "access": "admin"}), want: []string{`stages.dev.routes[0].access: got "admin"`}},
		{name: "scoped without scopes", dev: devRoute(map[string]any{"method": "GET", "path": "/x", "access": "scoped"}), want: []string{"stages.dev.routes[0].scopes: got null"}},
		{name: "protected with scopes", dev: devRoute(map[string]any{"method": "GET", "path": "/x", "access": "protected", "scopes": []any{"demo-api/read"}}), want: []string{`stages.dev.routes[0].scopes: got ["demo-api/read"]`}},
		{name: "unknown scope", dev: devRoute(map[string]any{"method": "GET", "path": "/x", "access": "scoped", "scopes": []any{"read"}}), want: []string{`stages.dev.routes[0].scopes[0]: got "read"`, "demo-api/read"}},
		{name: "unknown group", dev: devRoute(map[string]any{"method": "GET", "path": "/x", "access": "protected", "groups": []any{"ops"}}), want: []string{`stages.dev.routes[0].groups[0]: got "ops"`}},
		{name: "public group", dev: devRoute(map[string]any{"method": "GET", "path": "/x", "access": "public", "groups": []any{"admin"}}), want: []string{`stages.dev.routes[0].groups: got ["admin"]`}},
		{name: "public endpoint needing a caller", dev: devRoute(map[string]any{"method": "GET", "path": "/me", "access": "public"}), want: []string{`stages.dev.routes[0].access: got "public"`, "GET /me"}},
		{name: "duplicate route", dev: func(d map[string]any) {
			d["routes"] = []any{map[string]any{"method": "GET", "path": "/x", "access": "public"}, map[string]any{"method": "GET", "path": "/x", "access": "public"}}
		}, want: []string{`stages.dev.routes[1].path: got "/x"`, "routes[0]"}},
		{name: "parameter names", dev: func(d map[string]any) {
			d["routes"] = []any{map[string]any{"method": "GET", "path": "/x/{id}", "access": "protected"}, map[string]any{"method": "PUT", "path": "/x/{key}", "access": "protected"}}
		}, want: []string{`stages.dev.routes[1].path: got "/x/{key}"`, "{id}"}},
		{name: "route type", dev: func(d map[string]any) { d["routes"] = []any{"GET /x"} }, want: []string{`stages.dev.routes[0]: got "GET /x"; want an object`}},
	}
	// Every broken branding fixture, through the stage's brandingFile (relative to the project
	// directory, as in cdk.json; the message names the file as the app opened it).
	fixtures, _ := filepath.Glob(filepath.Join(project.Dir, "branding/testdata/invalid-*.json"))
	if len(fixtures) < 20 {
		t.Fatalf("found %d branding fixtures", len(fixtures))
	}
	for _, f := range fixtures {
		rel, err := filepath.Rel(project.Dir, f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, badInput{name: "branding " + filepath.Base(f), ctx: map[string]any{"brandingFile": filepath.ToSlash(rel)}, want: []string{f + ":"}})
	}
	return inputs
}

// TestBadInputsStopSynth: every bad input stops the app before any stack exists, with a message
// naming the setting or path and the value, and never a panic.
func TestBadInputsStopSynth(t *testing.T) {
	inputs := badInputs(t)
	if len(inputs) < 40 {
		t.Fatalf("the catalogue has %d inputs, want at least 40", len(inputs))
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			ctx := project.Context(t)
			for k, v := range in.ctx {
				ctx[k] = v
			}
			if in.dev != nil {
				ctx["stages"] = project.EditedStages(t, "dev", in.dev)
			}
			cdkApp := project.NewCDKApp(t, ctx)
			var err error
			noPanic(t, func() { _, err = stacks.NewStage(cdkApp, project.Dir) })
			if err == nil {
				t.Fatal("accepted")
			}
			for _, want := range in.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("message lacks %q:\n%s", want, err)
				}
			}
			if strings.Contains(err.Error(), "GOCSPX-") {
				t.Errorf("the message repeats a secret:\n%s", err)
			}
			if n := len(*cdkApp.Node().Children()); n != 0 {
				t.Errorf("%d constructs were created before the error", n)
			}
		})
	}
}

// An absolute brandingFile is used as it is, not joined to the project directory.
func TestAbsoluteBrandingFile(t *testing.T) {
	abs, err := filepath.Abs(filepath.Join(project.Dir, "branding/style.json"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := newTestApp(t, map[string]any{"brandingFile": abs})
	if err != nil {
		t.Fatal(err)
	}
	if st.Config.BrandingFile != abs {
		t.Errorf("brandingFile %q", st.Config.BrandingFile)
	}
}
