package config

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/problem"
)

// projectContext is the "context" object of the project's cdk.json.
func projectContext(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../../cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Context map[string]any }
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f.Context
}

// withDev returns the project context with the dev stage changed by edit.
func withDev(t *testing.T, edit func(dev map[string]any)) map[string]any {
	t.Helper()
	ctx := projectContext(t)
	edit(ctx["stages"].(map[string]any)["dev"].(map[string]any))
	return ctx
}

func TestProjectStagesLoad(t *testing.T) {
	for _, stage := range []string{"dev", "prod"} {
		ctx := projectContext(t)
		ctx[KeyStage] = stage
		cfg, err := Load(ctx)
		if err != nil {
			t.Fatalf("stage %s: %v", stage, err)
		}
		if cfg.StageName != stage || cfg.AppName != "demo-api" {
			t.Errorf("got app %q stage %q", cfg.AppName, cfg.StageName)
		}
		if cfg.Production != (stage == "prod") || cfg.PasswordAuth != (stage == "dev") {
			t.Errorf("stage %s: production %v, passwordAuth %v", stage, cfg.Production, cfg.PasswordAuth)
		}
		// Left out of cdk.json, so the defaults apply.
		wantPlan := map[string]string{"dev": "ESSENTIALS", "prod": "PLUS"}[stage] // prod asks for threat protection
		if cfg.EffectiveFeaturePlan() != wantPlan || cfg.WAF.Enabled != (stage == "prod") || cfg.Tokens != (TokenValidity{AccessMinutes: 60, IDMinutes: 60, RefreshMinutes: 7200, AuthSessionMinutes: 3}) || cfg.PasswordPolicy.MinLength != 8 {
			t.Errorf("stage %s: defaults not applied: plan %s, tokens %+v, password %+v", stage, cfg.EffectiveFeaturePlan(), cfg.Tokens, cfg.PasswordPolicy)
		}
		if got := cfg.ResourceServer.FullNames(); !slices.Equal(got, []string{"demo-api/read", "demo-api/write"}) {
			t.Errorf("scopes %v", got)
		}
	}
}

func TestDefaultStageIsDev(t *testing.T) {
	cfg, err := Load(projectContext(t))
	if err != nil || cfg.StageName != "dev" {
		t.Fatalf("got stage %q, %v", cfg.StageName, err)
	}
}

func TestOverrides(t *testing.T) {
	ctx := projectContext(t)
	ctx[KeyDomainPrefix] = " team-login "
	ctx[KeyCallbackURLs] = "https://a.example.com/cb, myapp://callback,"
	ctx[KeyLogoutURLs] = []any{"https://a.example.com"}
	ctx[KeyBrandingFile] = "branding/other.json"
	cfg, err := Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DomainPrefix != "team-login" || cfg.BrandingFile != "branding/other.json" ||
		!slices.Equal(cfg.CallbackURLs, []string{"https://a.example.com/cb", "myapp://callback"}) ||
		!slices.Equal(cfg.LogoutURLs, []string{"https://a.example.com"}) {
		t.Errorf("overrides not applied: %+v", cfg.Stage)
	}
}

func TestThreatProtectionPicksPlus(t *testing.T) {
	cfg, err := Load(withDev(t, func(dev map[string]any) { dev["threatProtection"] = true }))
	if err != nil || cfg.EffectiveFeaturePlan() != "PLUS" {
		t.Fatalf("plan %s, %v", cfg.EffectiveFeaturePlan(), err)
	}
}

// Each bad setting yields one problem line that names the setting, shows the value and says
// what is allowed.
func TestBadSettings(t *testing.T) {
	const dev = "stages.dev."
	for _, tc := range []struct {
		name string
		edit func(dev map[string]any)
		ctx  map[string]any // top-level context keys (command-line overrides)
		want string
	}{
		{name: "miscased key", edit: func(d map[string]any) { d["selfSignup"] = true },
			want: dev + `selfSignup: unknown setting; did you mean "selfSignUp"? (keys are case-sensitive)`},
		{name: "unknown key", edit: func(d map[string]any) { d["retain"] = true },
			want: dev + "retain: unknown setting; want one of alarms, apiDomain, authorizer, authorizerCacheSeconds, brandingFile, callbackUrls"},
		{name: "wrong type", edit: func(d map[string]any) { d["selfSignUp"] = "yes" },
			want: dev + `selfSignUp: got "yes"; want true or false`},
		{name: "wrong nested type", edit: func(d map[string]any) { d["tokens"] = map[string]any{"accessMinutes": "60"} },
			want: dev + `tokens.accessMinutes: got "60"; want a whole number`},
		{name: "null", edit: func(d map[string]any) { d["mfa"] = nil },
			want: dev + `mfa: got null; want a string`},
		{name: "list expected", edit: func(d map[string]any) { d["groups"] = "admin" },
			want: dev + `groups: got "admin"; want a list`},
		{name: "mfa", edit: func(d map[string]any) { d["mfa"] = "always" },
			want: dev + `mfa: got "always"; want "off", "optional" or "required"`},
		{name: "sms without mfa", edit: func(d map[string]any) { d["mfa"] = "off"; d["mfaSms"] = true },
			want: dev + `mfaSms: got true; want false while mfa is "off"`},
		{name: "lite plan", edit: func(d map[string]any) { d["featurePlan"] = "LITE" },
			want: dev + `featurePlan: got "LITE"; want "ESSENTIALS" or "PLUS": managed login version 2 is not available on LITE`},
		{name: "unknown plan", edit: func(d map[string]any) { d["featurePlan"] = "GOLD" },
			want: dev + `featurePlan: got "GOLD"; want "ESSENTIALS" or "PLUS"`},
		{name: "threat protection needs plus", edit: func(d map[string]any) { d["featurePlan"] = "ESSENTIALS"; d["threatProtection"] = true },
			want: dev + `featurePlan: got "ESSENTIALS"; want "PLUS" (or leave it out): threatProtection needs the PLUS feature plan`},
		{name: "short password", edit: func(d map[string]any) { d["passwordPolicy"] = map[string]any{"minLength": 6} },
			want: dev + `passwordPolicy.minLength: got 6; want 8 to 99`},
		{name: "email body without code", edit: func(d map[string]any) { d["verificationEmail"] = map[string]any{"body": "Welcome!"} },
			want: dev + `verificationEmail.body: got "Welcome!"; want 6 to 20,000 characters holding the code placeholder {####}`},
		{name: "empty email subject", edit: func(d map[string]any) { d["verificationEmail"] = map[string]any{"subject": ""} },
			want: dev + `verificationEmail.subject: got ""; want 1 to 140 characters`},
		{name: "group with space", edit: func(d map[string]any) { d["groups"] = []any{map[string]any{"name": "site admins"}} },
			want: dev + `groups[0].name: got "site admins"; want a name without commas, spaces or square brackets: API Gateway flattens cognito:groups`},
		{name: "group with comma", edit: func(d map[string]any) {
			d["groups"] = []any{map[string]any{"name": "x,admin"}}
			d["routes"] = []any{map[string]any{"method": "GET", "path": "/x", "access": "protected", "groups": []any{"x,admin"}}}
		}, want: dev + `groups[0].name: got "x,admin"; want a name without commas, spaces or square brackets: API Gateway flattens cognito:groups into one comma-separated string, so a group named x,admin would look like admin`},
		{name: "group with brackets", edit: func(d map[string]any) { d["groups"] = []any{map[string]any{"name": "[admin]"}} },
			want: dev + `groups[0].name: got "[admin]"; want a name without commas, spaces or square brackets`},
		{name: "route group with comma", edit: func(d map[string]any) {
			d["routes"] = []any{map[string]any{"method": "GET", "path": "/x", "access": "protected", "groups": []any{"admin,ops"}}}
		}, want: dev + `routes[0].groups[0]: got "admin,ops"; want a name without commas, spaces or square brackets`},
		{name: "duplicate group", edit: func(d map[string]any) {
			d["groups"] = []any{map[string]any{"name": "admin"}, map[string]any{"name": "admin"}}
		}, want: dev + `groups[1].name: got "admin"; want each group once`},
		{name: "resource server identifier", edit: func(d map[string]any) { d["resourceServer"] = map[string]any{"identifier": "my api"} },
			want: dev + `resourceServer.identifier: got "my api"; want 1 to 256 printable ASCII characters without spaces`},
		{name: "scope with slash", edit: func(d map[string]any) {
			d["resourceServer"] = map[string]any{"scopes": []any{map[string]any{"name": "items/read", "description": "x"}}}
			d["routes"] = []any{}
		}, want: dev + `resourceServer.scopes[0].name: got "items/read"; want 1 to 256 printable ASCII characters without spaces, /`},
		{name: "no scopes", edit: func(d map[string]any) { d["resourceServer"] = map[string]any{"scopes": []any{}}; d["routes"] = []any{} },
			want: dev + `resourceServer.scopes: got []; want at least one scope`},
		{name: "http callback", edit: func(d map[string]any) { d["callbackUrls"] = []any{"http://app.example.com/cb"} },
			want: dev + `callbackUrls (or -c callbackUrls)[0]: got "http://app.example.com/cb"; want https; plain http is allowed only for http://localhost`},
		{name: "callback without scheme", edit: func(d map[string]any) { d["callbackUrls"] = []any{"localhost:3000/auth/callback"} },
			want: dev + `callbackUrls (or -c callbackUrls)[0]: got "localhost:3000/auth/callback"; want an absolute URL with "://", such as https://app.example.com/auth/callback or myapp://callback; did you mean http://localhost:3000/auth/callback?`},
		{name: "callback loopback IP without scheme", edit: func(d map[string]any) { d["callbackUrls"] = []any{"127.0.0.1:3000/cb"} },
			want: dev + `callbackUrls (or -c callbackUrls)[0]: got "127.0.0.1:3000/cb"; want an absolute URL with "://", such as https://app.example.com/auth/callback or myapp://callback; did you mean http://127.0.0.1:3000/cb?`},
		{name: "callback host without scheme", edit: func(d map[string]any) { d["callbackUrls"] = []any{"app.example.com/auth/callback"} },
			want: dev + `callbackUrls (or -c callbackUrls)[0]: got "app.example.com/auth/callback"; want an absolute URL with "://", such as https://app.example.com/auth/callback or myapp://callback; did you mean https://app.example.com/auth/callback?`},
		{name: "sign-out URL without scheme", edit: func(d map[string]any) { d["logoutUrls"] = []any{"localhost:3000"} },
			want: dev + `logoutUrls (or -c logoutUrls)[0]: got "localhost:3000"; want an absolute URL with "://", such as https://app.example.com/auth/callback or myapp://callback; did you mean http://localhost:3000?`},
		{name: "custom scheme without slashes", edit: func(d map[string]any) { d["callbackUrls"] = []any{"myapp:callback"} },
			want: dev + `callbackUrls (or -c callbackUrls)[0]: got "myapp:callback"; want an absolute URL with "://", such as https://app.example.com/auth/callback or myapp://callback`},
		{name: "relative callback", edit: func(d map[string]any) { d["callbackUrls"] = []any{"/auth/callback"} },
			want: dev + `callbackUrls (or -c callbackUrls)[0]: got "/auth/callback"; want an absolute URL`},
		{name: "callback fragment", edit: func(d map[string]any) { d["callbackUrls"] = []any{"https://a.example.com/cb#x"} },
			want: dev + `callbackUrls (or -c callbackUrls)[0]: got "https://a.example.com/cb#x"; want a URL without a #fragment`},
		{name: "duplicate callback", edit: func(d map[string]any) {
			d["callbackUrls"] = []any{"https://a.example.com/cb", "https://a.example.com/cb"}
		},
			want: dev + `callbackUrls (or -c callbackUrls)[1]: got "https://a.example.com/cb"; want each URL once`},
		{name: "long callback", edit: func(d map[string]any) {
			d["callbackUrls"] = []any{"https://a.example.com/" + strings.Repeat("x", 1010)}
		},
			want: dev + `callbackUrls (or -c callbackUrls)[0]: got "https://a.example.com/xxx`},
		{name: "no sign-out URL", edit: func(d map[string]any) { d["logoutUrls"] = []any{} },
			want: dev + `logoutUrls (or -c logoutUrls): got an empty list; want 1 to 100 URLs: managed-login sign-out only redirects to a registered sign-out URL`},
		{name: "client credentials", edit: func(d map[string]any) { d["oauthFlows"] = []any{"code", "client_credentials"} },
			want: dev + `oauthFlows[1]: got "client_credentials"; want code or implicit: client_credentials must stand alone`},
		{name: "machine client name", edit: func(d map[string]any) {
			d["machineClients"] = []any{map[string]any{"name": "web", "scopes": []any{"demo-api/read"}}}
		}, want: dev + `machineClients[0].name: got "web"; want a name other than "web"`},
		{name: "machine client without scopes", edit: func(d map[string]any) {
			d["machineClients"] = []any{map[string]any{"name": "reporting", "scopes": []any{}}}
		}, want: dev + `machineClients[0].scopes: got []; want at least one of the resource server's scopes`},
		{name: "machine client with an unknown scope", edit: func(d map[string]any) {
			d["machineClients"] = []any{map[string]any{"name": "reporting", "scopes": []any{"openid"}}}
		}, want: dev + `machineClients[0].scopes[0]: got "openid"; want one of the resource server's scopes: demo-api/read, demo-api/write`},
		{name: "route names an unknown client", edit: func(d map[string]any) {
			d["routes"] = []any{map[string]any{"method": "GET", "path": "/items", "access": "scoped", "scopes": []any{"demo-api/read"}, "clients": []any{"web", "billing"}}}
		}, want: dev + `routes[0].clients[1]: got "billing"; want "web" or a name from machineClients: reporting`},
		{name: "route names a client without its scope", edit: func(d map[string]any) {
			d["machineClients"] = []any{map[string]any{"name": "reporting", "scopes": []any{"demo-api/write"}}}
			d["routes"] = []any{map[string]any{"method": "GET", "path": "/items", "access": "scoped", "scopes": []any{"demo-api/read"}, "clients": []any{"reporting"}}}
		}, want: dev + `routes[0].clients[0]: got "reporting"; want a client that holds one of the route's scopes (demo-api/read); reporting has demo-api/write`},
		{name: "machine client on a protected route", edit: func(d map[string]any) {
			d["machineClients"] = []any{map[string]any{"name": "reporting", "scopes": []any{"demo-api/read"}}}
			d["routes"] = []any{map[string]any{"method": "GET", "path": "/me", "access": "protected", "clients": []any{"reporting"}}}
		}, want: dev + `routes[0].clients[0]: got "reporting"; want machine clients on scoped routes only`},
		{name: "group scopes of an unknown group", edit: func(d map[string]any) {
			d["groupScopes"] = map[string]any{"ops": []any{"demo-api/write"}}
		}, want: dev + `groupScopes.ops: got "ops"; want a group defined in groups: admin`},
		{name: "group scopes with an unknown scope", edit: func(d map[string]any) {
			d["groupScopes"] = map[string]any{"admin": []any{"demo-api/delete"}}
		}, want: dev + `groupScopes.admin[0]: got "demo-api/delete"; want one of the resource server's scopes: demo-api/read, demo-api/write`},
		{name: "extra claim Cognito sets", edit: func(d map[string]any) {
			d["extraClaims"] = map[string]any{"sub": "x"}
		}, want: dev + `extraClaims.sub: got "sub"; want a claim of your own`},
		// A user could write the attribute and so choose the claim's value.
		{name: "extra claim a user may write", edit: func(d map[string]any) {
			d["extraClaims"] = map[string]any{"preferred_username": "x"}
		}, want: dev + `extraClaims.preferred_username: got "preferred_username"; want a claim of your own: preferred_username is a standard user attribute`},
		{name: "extra claim locale", edit: func(d map[string]any) {
			d["extraClaims"] = map[string]any{"locale": "x"}
		}, want: dev + `extraClaims.locale: got "locale"; want a claim of your own`},
		{name: "extra claim phone_number_verified", edit: func(d map[string]any) {
			d["extraClaims"] = map[string]any{"phone_number_verified": "true"}
		}, want: dev + `extraClaims.phone_number_verified: got "phone_number_verified"; want a claim of your own`},
		{name: "extra claim the token authorizer's context holds", edit: func(d map[string]any) {
			d["extraClaims"] = map[string]any{"claims": "x"}
		}, want: dev + `extraClaims.claims: got "claims"; want a claim of your own`},
		{name: "extra claim name", edit: func(d map[string]any) {
			d["extraClaims"] = map[string]any{"my tenant": "x"}
		}, want: dev + `extraClaims.my tenant: got "my tenant"; want a claim name of letters`},
		{name: "group scopes on LITE", edit: func(d map[string]any) {
			d["featurePlan"] = "LITE"
			d["groupScopes"] = map[string]any{"admin": []any{"demo-api/write"}}
		}, want: dev + `featurePlan: got "LITE"; want ESSENTIALS or PLUS: groupScopes and extraClaims need the version 2 pre token generation event`},
		{name: "unknown sign-in factor", edit: func(d map[string]any) {
			d["signIn"] = map[string]any{"factors": []any{"password", "smsOtp"}}
		}, want: dev + `signIn.factors[1]: got "smsOtp"; want one of password, emailOtp, passkey`},
		{name: "sign-in without password", edit: func(d map[string]any) {
			d["signIn"] = map[string]any{"factors": []any{"passkey"}}
		}, want: dev + `signIn.factors: got ["passkey"]; want "password" among the factors`},
		{name: "email codes without SES", edit: func(d map[string]any) {
			d["signIn"] = map[string]any{"factors": []any{"password", "emailOtp"}}
		}, want: dev + `signIn.factors: got "emailOtp"; want email.sender "ses": Cognito sends sign-in codes by email only through Amazon SES`},
		{name: "passwordless with MFA required", edit: func(d map[string]any) {
			d["mfa"] = "required"
			d["signIn"] = map[string]any{"factors": []any{"password", "passkey"}}
		}, want: dev + `mfa: got "required"; want "optional" or "off" with passwordless factors`},
		{name: "passkey user verification", edit: func(d map[string]any) {
			d["signIn"] = map[string]any{"factors": []any{"password", "passkey"}, "passkeyUserVerification": "always"}
		}, want: dev + `signIn.passkeyUserVerification: got "always"; want "preferred" or "required"`},
		{name: "passkey relying party elsewhere", edit: func(d map[string]any) {
			d["signIn"] = map[string]any{"factors": []any{"password", "passkey"}, "passkeyRelyingParty": "example.org"}
		}, want: dev + `signIn.passkeyRelyingParty: got "example.org"; want the managed-login domain`},
		{name: "passkey relying party of another prefix", edit: func(d map[string]any) {
			d["domainPrefix"] = "acme-login"
			d["signIn"] = map[string]any{"factors": []any{"password", "passkey"}, "passkeyRelyingParty": "other.auth.eu-west-1.amazoncognito.com"}
		}, want: dev + `signIn.passkeyRelyingParty: got "other.auth.eu-west-1.amazoncognito.com"; want the stage's own managed-login domain: domainPrefix is "acme-login"`},
		{name: "passkey user verification without passkeys", edit: func(d map[string]any) {
			d["signIn"] = map[string]any{"factors": []any{"password"}, "passkeyUserVerification": "required"}
		}, want: dev + `signIn.passkeyUserVerification: got "required"; want it only with the "passkey" factor`},
		{name: "passkey relying party without passkeys", edit: func(d map[string]any) {
			d["domainPrefix"] = "acme-login"
			d["signIn"] = map[string]any{"factors": []any{"password"}, "passkeyRelyingParty": "acme-login.auth.eu-west-1.amazoncognito.com"}
		}, want: dev + `signIn.passkeyRelyingParty: got "acme-login.auth.eu-west-1.amazoncognito.com"; want it only with the "passkey" factor`},
		{name: "duplicate scope", edit: func(d map[string]any) {
			d["resourceServer"] = map[string]any{"scopes": []any{map[string]any{"name": "read", "description": "x"}, map[string]any{"name": "read", "description": "y"}}}
			d["routes"] = []any{}
			d["groupScopes"] = map[string]any{}
			d["machineClients"] = []any{}
		}, want: dev + `resourceServer.scopes[1].name: got "read"; want each scope once`},
		{name: "duplicate machine client", edit: func(d map[string]any) {
			d["machineClients"] = []any{map[string]any{"name": "reporting", "scopes": []any{"demo-api/read"}}, map[string]any{"name": "reporting", "scopes": []any{"demo-api/write"}}}
		}, want: dev + `machineClients[1].name: got "reporting"; want each machine client name once`},
		{name: "passwordless on LITE", edit: func(d map[string]any) {
			d["featurePlan"] = "LITE"
			d["signIn"] = map[string]any{"factors": []any{"password", "passkey"}}
		}, want: dev + `featurePlan: got "LITE"; want ESSENTIALS or PLUS: passwordless sign-in needs them`},
		{name: "passkeys on a long domain", edit: func(d map[string]any) {
			d["domainPrefix"] = strings.Repeat("a", 30)
			d["signIn"] = map[string]any{"factors": []any{"password", "passkey"}}
		}, want: dev + `signIn.factors: got "passkey"; want a managed-login domain of at most 63 characters for passkeys, which are bound to it; this stage's would be up to 68 (in a Region such as ap-southeast-1): set a domainPrefix of at most 25 characters`},
		{name: "rotation grace", edit: func(d map[string]any) {
			d["tokens"] = map[string]any{"refreshRotation": map[string]any{"enabled": true, "graceSeconds": 61}}
		}, want: dev + `tokens.refreshRotation.graceSeconds: got 61; want 0 to 60 seconds`},
		{name: "unknown flow", edit: func(d map[string]any) { d["oauthFlows"] = []any{"password"} },
			want: dev + `oauthFlows[0]: got "password"; want "code" or "implicit"`},
		{name: "no flows", edit: func(d map[string]any) { d["oauthFlows"] = []any{} },
			want: dev + `oauthFlows: got []; want ["code"]`},
		{name: "access token too short", edit: func(d map[string]any) { d["tokens"] = map[string]any{"accessMinutes": 1} },
			want: dev + `tokens.accessMinutes: got 1; want 5 to 1440 minutes`},
		{name: "id token too long", edit: func(d map[string]any) { d["tokens"] = map[string]any{"idMinutes": 1441} },
			want: dev + `tokens.idMinutes: got 1441; want 5 to 1440 minutes`},
		{name: "refresh too short", edit: func(d map[string]any) {
			d["tokens"] = map[string]any{"refreshMinutes": 30, "accessMinutes": 5, "idMinutes": 5}
		},
			want: dev + `tokens.refreshMinutes: got 30; want 60 to 5256000 minutes`},
		{name: "auth session", edit: func(d map[string]any) { d["tokens"] = map[string]any{"authSessionMinutes": 20} },
			want: dev + `tokens.authSessionMinutes: got 20; want 3 to 15 minutes`},
		{name: "access outlives refresh", edit: func(d map[string]any) {
			d["tokens"] = map[string]any{"refreshMinutes": 60, "accessMinutes": 120, "idMinutes": 60}
		},
			want: dev + `tokens.accessMinutes: got 120; want at most tokens.refreshMinutes (60)`},
		{name: "too many scopes", edit: func(d map[string]any) {
			var scopes []any
			for i := range 48 {
				scopes = append(scopes, map[string]any{"name": "s" + strings.Repeat("x", i), "description": "x"})
			}
			d["resourceServer"] = map[string]any{"scopes": scopes}
			d["routes"] = []any{}
		}, want: dev + `resourceServer.scopes: got 48; want at most 47 custom scopes`},
		{name: "route method", edit: func(d map[string]any) {
			d["routes"] = []any{map[string]any{"method": "get", "path": "/x", "access": "public"}}
		},
			want: dev + `routes[0].method: got "get"; want one of GET, POST, PUT, PATCH, DELETE, HEAD, ANY`},
		{name: "route path", edit: func(d map[string]any) {
			d["routes"] = []any{map[string]any{"method": "GET", "path": "items", "access": "public"}}
		},
			want: dev + `routes[0].path: got "items"; want a path that starts with "/"`},
		{name: "route access", edit: func(d map[string]any) {
			d["routes"] = []any{map[string]any{"method": "GET", "path": "/x", "access": "private"}}
		},
			want: dev + `routes[0].access: got "private"; want "public", "protected" (ID token) or "scoped"`},
		{name: "unknown scope", edit: func(d map[string]any) {
			d["routes"] = []any{map[string]any{"method": "GET", "path": "/x", "access": "scoped", "scopes": []any{"demo-api/delete"}}}
		}, want: dev + `routes[0].scopes[0]: got "demo-api/delete"; want one of the resource server's scopes: demo-api/read, demo-api/write`},
		{name: "unknown group", edit: func(d map[string]any) {
			d["routes"] = []any{map[string]any{"method": "GET", "path": "/x", "access": "protected", "groups": []any{"ops"}}}
		}, want: dev + `routes[0].groups[0]: got "ops"; want a group defined in groups: admin`},
		{name: "unknown route key", edit: func(d map[string]any) {
			d["routes"] = []any{map[string]any{"method": "GET", "path": "/x", "access": "public", "verb": "GET"}}
		}, want: dev + `routes[0].verb: unknown setting; want one of access, clients, groups, method, path, scopes`},
		{name: "public endpoint that needs a caller", edit: func(d map[string]any) {
			d["routes"] = []any{map[string]any{"method": "GET", "path": "/me", "access": "public"}}
		}, want: dev + `routes[0].access: got "public"; want "protected" or "scoped": the handler's GET /me answers for a signed-in caller`},
		{name: "cors path", edit: func(d map[string]any) { d["cors"] = map[string]any{"allowOrigins": []any{"https://app.example.com/"}} },
			want: dev + `cors.allowOrigins[0]: got "https://app.example.com/"; want the origin exactly as a browser sends it: did you mean https://app.example.com?`},
		{name: "cors star mixed", edit: func(d map[string]any) {
			d["cors"] = map[string]any{"allowOrigins": []any{"https://a.example.com", "*"}}
		},
			want: dev + `cors.allowOrigins[1]: got "*"; want "*" alone, or exact origins`},
		{name: "cors http", edit: func(d map[string]any) { d["cors"] = map[string]any{"allowOrigins": []any{"http://app.example.com"}} },
			want: dev + `cors.allowOrigins[0]: got "http://app.example.com"; want https`},
		{name: "authorizer", edit: func(d map[string]any) { d["authorizer"] = "iam" },
			want: dev + `authorizer: got "iam"; want "cognito" (API Gateway's Cognito authorizer) or "lambda"`},
		{name: "cache ttl", edit: func(d map[string]any) { d["authorizerCacheSeconds"] = 7200 },
			want: dev + `authorizerCacheSeconds: got 7200; want 0 to 3600 seconds`},
		{name: "throttling", edit: func(d map[string]any) { d["throttling"] = map[string]any{"rateLimit": 0} },
			want: dev + `throttling.rateLimit: got 0; want more than 0`},
		{name: "burst", edit: func(d map[string]any) { d["throttling"] = map[string]any{"burstLimit": 10000} },
			want: dev + `throttling.burstLimit: got 10000; want 1 to 5000`},
		{name: "waf rate limit", edit: func(d map[string]any) { d["waf"] = map[string]any{"enabled": true, "rateLimit": 5} },
			want: dev + `waf.rateLimit: got 5; want 10 to 2000000000 requests per IP address in 5 minutes`},
		{name: "log retention", edit: func(d map[string]any) { d["logRetentionDays"] = 10 },
			want: dev + `logRetentionDays: got 10; want one of CloudWatch's retention periods: 1 3 5 7 14 30`},
		{name: "domain prefix word", ctx: map[string]any{KeyDomainPrefix: "aws-login"},
			want: dev + `domainPrefix (or -c domainPrefix): got "aws-login"; want a prefix without "aws"`},
		{name: "domain prefix pattern", ctx: map[string]any{KeyDomainPrefix: "-login"},
			want: dev + `domainPrefix (or -c domainPrefix): got "-login"; want lower-case letters, digits and hyphens`},
		{name: "domain prefix length", ctx: map[string]any{KeyDomainPrefix: strings.Repeat("a", 64)},
			want: dev + `domainPrefix (or -c domainPrefix): got "aaaa`},
		{name: "app name too long", ctx: map[string]any{KeyAppName: "a-very-long-application-1"},
			want: `appName: got "a-very-long-application-1"; want 1-24 lower-case letters`},
		{name: "app name with cognito", ctx: map[string]any{KeyAppName: "cognito-demo"},
			want: `default domain prefix "cognito-demo-dev-<account id>" (from appName and stage): got "cognito-demo-dev-123456789012"; want a prefix without "cognito"`},
		{name: "app name pattern", ctx: map[string]any{KeyAppName: "Demo"},
			want: `appName: got "Demo"; want 1-24 lower-case letters`},
		{name: "app name type", ctx: map[string]any{KeyAppName: 7},
			want: `appName: got 7; want a string`},
		{name: "callback override without scheme", ctx: map[string]any{KeyCallbackURLs: "localhost:3000/auth/callback"},
			want: dev + `callbackUrls (or -c callbackUrls)[0]: got "localhost:3000/auth/callback"; want an absolute URL with "://", such as https://app.example.com/auth/callback or myapp://callback; did you mean http://localhost:3000/auth/callback?`},
		{name: "empty callback override", ctx: map[string]any{KeyCallbackURLs: ""},
			want: `-c callbackUrls: got an empty value; want 1 to 100 comma-separated URLs, such as -c callbackUrls=https://app.example.com/auth/callback`},
		{name: "empty sign-out override", ctx: map[string]any{KeyLogoutURLs: " , "},
			want: `-c logoutUrls: got an empty value; want 1 to 100 comma-separated URLs`},
		{name: "override type", ctx: map[string]any{KeyCallbackURLs: 3},
			want: `callbackUrls: got 3; want comma-separated URLs`},
		{name: "unknown stage", ctx: map[string]any{KeyStage: "qa"},
			want: `stage: got "qa"; want one of the stages in cdk.json: dev, prod`},
		{name: "no stages", ctx: map[string]any{KeyStages: nil},
			want: `stages: got null; want an object of stage settings`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := projectContext(t)
			if tc.edit != nil {
				ctx = withDev(t, tc.edit)
			}
			for k, v := range tc.ctx {
				ctx[k] = v
			}
			lines := problemLines(t, ctx)
			// A problem may bring its consequences (a renamed group leaves a route's group
			// undefined), but the cause must be named.
			if !hasLineStarting(lines, tc.want) {
				t.Fatalf("got:\n%s\nwant a line starting with:\n%s", strings.Join(lines, "\n"), tc.want)
			}
		})
	}
}

// Settings next to the refused ones above that pass.
func TestGoodSettings(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(dev map[string]any)
	}{
		{"CORS for any origin", func(d map[string]any) { d["cors"] = map[string]any{"allowOrigins": []any{"*"}} }},
		{"CORS off", func(d map[string]any) { d["cors"] = map[string]any{"allowOrigins": []any{}} }},
		{"passkeys on the stage's own domain", func(d map[string]any) {
			d["domainPrefix"] = "acme-login"
			d["signIn"] = map[string]any{"factors": []any{"password", "passkey"}, "passkeyUserVerification": "required",
				"passkeyRelyingParty": "acme-login.auth.eu-west-1.amazoncognito.com"}
		}},
	} {
		if _, err := Load(withDev(t, tc.edit)); err != nil {
			t.Errorf("%s: refused:\n%s", tc.name, err)
		}
	}
}

func TestEveryProblemAtOnce(t *testing.T) {
	ctx := withDev(t, func(d map[string]any) {
		d["mfa"] = "sometimes"
		d["logRetentionDays"] = 2
		d["unknown"] = 1
		d["tokens"] = map[string]any{"idMinutes": 2}
	})
	ctx[KeyDomainPrefix] = "Bad_Prefix"
	_, err := Load(ctx)
	var problems problem.List
	if !errors.As(err, &problems) {
		t.Fatalf("got %v", err)
	}
	if len(problems) != 5 {
		t.Fatalf("got %d problems, want 5:\n%s", len(problems), err)
	}
	for i, want := range []string{"stages.dev.unknown", "stages.dev.domainPrefix", "stages.dev.mfa", "stages.dev.tokens.idMinutes", "stages.dev.logRetentionDays"} {
		if !strings.HasPrefix(problems[i].Where, want) {
			t.Errorf("problem %d = %q, want it at %q", i, problems[i], want)
		}
	}
}

// problemLines loads ctx, which must be refused, and returns its problems' lines.
func problemLines(t *testing.T, ctx map[string]any) []string {
	t.Helper()
	_, err := Load(ctx)
	if err == nil {
		t.Fatal("accepted")
	}
	var problems problem.List
	if !errors.As(err, &problems) {
		t.Fatalf("got %T, want a problem.List: %v", err, err)
	}
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = p.String()
	}
	return lines
}

// wantProblemsStarting fails the test unless err has exactly one line per want, in order, each
// starting with its want.
func wantProblemsStarting(t *testing.T, err error, want []string) {
	t.Helper()
	if err == nil {
		t.Fatal("accepted")
	}
	checkProblems(t, strings.Split(err.Error(), "\n"), want)
}

// loadStage loads a dev stage of the built-in defaults with the given settings (JSON of the stage
// object) and returns the problem lines, none when it is valid.
func loadStage(t *testing.T, stage string) (Config, []string) {
	t.Helper()
	cfg, err := Load(contextWith(t, nil, `{"dev": `+stage+`}`))
	if err == nil {
		return cfg, nil
	}
	return cfg, strings.Split(err.Error(), "\n")
}

// checkProblems wants exactly the problems listed, each line starting with its entry.
func checkProblems(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d = %q,\nwant it to start with %q", i, got[i], want[i])
		}
	}
}

// checkWarning loads a dev stage with the given settings, which must be valid, and wants
// exactly one operation warning starting with want, or none when want is empty.
func checkWarning(t *testing.T, stage, want string) {
	t.Helper()
	cfg, problems := loadStage(t, stage)
	checkProblems(t, problems, nil)
	got := cfg.OperationWarnings()
	switch {
	case want == "" && len(got) > 0:
		t.Errorf("warnings %q, want none", got)
	case want != "" && (len(got) != 1 || !strings.HasPrefix(got[0], want)):
		t.Errorf("warnings %q,\nwant one starting with %q", got, want)
	}
}

// hasLineStarting reports whether one of lines starts with prefix.
func hasLineStarting(lines []string, prefix string) bool {
	return slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, prefix) })
}

// The longest names the rules allow still give a derived domain prefix Cognito accepts.
func TestLongestNamesGiveValidPrefix(t *testing.T) {
	ctx := projectContext(t)
	stages := ctx[KeyStages].(map[string]any)
	stages["abcdefghijklmnop"] = stages["dev"]
	ctx[KeyStage] = "abcdefghijklmnop"
	ctx[KeyAppName] = "abcdefghijklmnopqrstuvwx"
	cfg, err := Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cfg.DerivedDomainPrefixStem()) + 1 + accountIDLength; n > 63 {
		t.Fatalf("derived prefix has %d characters", n)
	}
}

func TestWarnings(t *testing.T) {
	prod := Config{AppName: "demo-api", StageName: "prod", Stage: Stage{
		Production:   true,
		CallbackURLs: []string{"https://app.example.com/auth/callback", "https://app.acme.io/cb", "myapp://callback"},
		LogoutURLs:   []string{"https://www.EXAMPLE.org."},
		CORS:         CORS{AllowOrigins: []string{"https://shop.test", "https://example.community"}},
		Email:        Email{Sender: "ses", From: "no-reply@acme.io"},
	}}
	got := strings.Join(prod.Warnings(), "\n")
	for _, want := range []string{
		`stages.prod.callbackUrls[0]: "https://app.example.com/auth/callback" is on a reserved example domain`,
		`stages.prod.logoutUrls[0]: "https://www.EXAMPLE.org."`,
		`stages.prod.cors.allowOrigins[0]: "https://shop.test"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings lack %q:\n%s", want, got)
		}
	}
	if n := len(prod.Warnings()); n != 3 {
		t.Errorf("%d warnings, want 3:\n%s", n, got)
	}
	dev := prod
	dev.Stage.Production = false
	if w := dev.Warnings(); len(w) != 0 {
		t.Errorf("a development stage got warnings: %v", w)
	}
}

// A production stage on Cognito's sender, or with SES placeholder addresses, is warned about;
// a development stage is not.
func TestEmailWarnings(t *testing.T) {
	for _, tc := range []struct {
		name  string
		email Email
		want  []string
	}{
		{"cognito sender", Email{Sender: "cognito"}, []string{`stages.prod.email.sender: a production stage keeps Cognito's own email sender`}},
		{"placeholder addresses", Email{Sender: "ses", From: "no-reply@acme.example", ReplyTo: "help@mail.example.com"}, []string{
			`stages.prod.email.from: "no-reply@acme.example" is on a reserved example domain`,
			`stages.prod.email.replyTo: "help@mail.example.com" is on a reserved example domain`,
		}},
		{"real addresses", Email{Sender: "ses", From: "no-reply@acme.io", ReplyTo: "help@acme.io"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{AppName: "demo-api", StageName: "prod", Stage: Stage{Production: true, Email: tc.email}}
			got := cfg.Warnings()
			if len(got) != len(tc.want) {
				t.Fatalf("got %d warnings, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for i, want := range tc.want {
				if !strings.HasPrefix(got[i], want) {
					t.Errorf("warning %d = %q, want it to start with %q", i, got[i], want)
				}
			}
			cfg.Production = false
			if w := cfg.Warnings(); len(w) != 0 {
				t.Errorf("a development stage got warnings: %v", w)
			}
		})
	}
}

// A production stage whose OIDC issuer or SAML metadata URL is a placeholder is warned about:
// Cognito fetches both when it creates the provider, so the deploy would fail there.
func TestIdentityProviderWarnings(t *testing.T) {
	cfg := Config{AppName: "demo-api", StageName: "prod", Stage: Stage{Production: true, Email: Email{Sender: "ses"},
		IdentityProviders: []IdentityProvider{
			{Type: IdPGoogle},
			{Type: IdPOIDC, Name: "AcmeSSO", Issuer: "https://sso.acme.example"},
			{Type: IdPOIDC, Name: "Okta", Issuer: "https://acme.okta.com"},
			{Type: IdPSAML, Name: "Entra", MetadataURL: "https://login.example.com/metadata.xml"},
			{Type: IdPSAML, Name: "ADFS", MetadataFile: "saml/adfs.xml"},
		}}}
	want := []string{
		`stages.prod.identityProviders[1].issuer: "https://sso.acme.example" is on a reserved example domain; set your provider's real issuer`,
		`stages.prod.identityProviders[3].metadataUrl: "https://login.example.com/metadata.xml" is on a reserved example domain; set your provider's real metadataUrl`,
	}
	got := cfg.Warnings()
	if len(got) != len(want) {
		t.Fatalf("got %d warnings, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("warning %d = %q, want it to start with %q", i, got[i], want[i])
		}
	}
	cfg.Production = false
	if w := cfg.Warnings(); len(w) != 0 {
		t.Errorf("a development stage got warnings: %v", w)
	}
}

// TestWrongShapeHidesValue: a list or object given where the other belongs is named by kind,
// never echoed: it may hold a secret typed where a reference belongs.
func TestWrongShapeHidesValue(t *testing.T) {
	ctx := withDev(t, func(d map[string]any) {
		d["identityProviders"] = map[string]any{"type": "google", "clientId": "x", "clientSecret": "GOCSPX-TOPSECRET"}
		d["tokens"] = []any{map[string]any{"clientSecret": "GOCSPX-TOPSECRET"}}
	})
	_, err := Load(ctx)
	if err == nil {
		t.Fatal("accepted")
	}
	got := err.Error()
	if strings.Contains(got, "TOPSECRET") {
		t.Errorf("a secret reached the message:\n%s", got)
	}
	for _, want := range []string{"identityProviders: got an object; want a list", "tokens: got a list; want an object"} {
		if !strings.Contains(got, want) {
			t.Errorf("message lacks %q:\n%s", want, got)
		}
	}
}
