package config

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// Every limit docs/ states, at both edges: the last value accepted and the
// first refused, on each side. Each case edits a stage of the built-in defaults alone (no
// shared defaults), so that a refused value gives exactly the problems listed and nothing else.
func TestLimitEdges(t *testing.T) {
	const dev = "stages.dev."
	const idp = dev + "identityProviders[0]"
	x := func(n int) string { return strings.Repeat("x", n) }
	// é is two bytes: a limit in characters must count it once.
	e := func(n int) string { return strings.Repeat("é", n) }
	set := func(key string, value any) func(map[string]any) {
		return func(d map[string]any) { d[key] = value }
	}
	// with is m with the key-value pairs kv set.
	with := func(m map[string]any, kv ...any) map[string]any {
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	tokens := func(kv ...any) func(map[string]any) {
		return set("tokens", with(map[string]any{}, kv...))
	}
	ses := func(kv ...any) func(map[string]any) {
		return set("email", with(map[string]any{"sender": "ses", "from": "no-reply@acme.io"}, kv...))
	}
	// numbered is n values made from format and 0 to n-1.
	numbered := func(format string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf(format, i)
		}
		return out
	}
	urls := func(n int) []string { return numbered("https://app.acme.io/cb%d", n) }
	// a URL of n characters
	urlOf := func(n int) string { return "https://app.acme.io/" + x(n-len("https://app.acme.io/")) }
	groups := func(names ...string) func(map[string]any) {
		var out []any
		for _, n := range names {
			out = append(out, map[string]any{"name": n})
		}
		return set("groups", out)
	}
	scopes := func(n int) func(map[string]any) {
		var out []any
		for i := range n {
			out = append(out, map[string]any{"name": fmt.Sprintf("s%d", i), "description": "x"})
		}
		return set("resourceServer", map[string]any{"identifier": "demo-api", "scopes": out})
	}
	scope := func(name, description string) func(map[string]any) {
		return set("resourceServer", map[string]any{"identifier": "demo-api", "scopes": []any{map[string]any{"name": name, "description": description}}})
	}
	machineClients := func(names ...string) func(map[string]any) {
		var out []any
		for _, n := range names {
			out = append(out, map[string]any{"name": n, "scopes": []any{"demo-api/read"}})
		}
		return set("machineClients", out)
	}
	oidc := func(settings map[string]any) func(map[string]any) {
		s := map[string]any{"type": "oidc", "name": "okta", "issuer": "https://acme.okta.com"}
		for k, v := range settings {
			s[k] = v
		}
		return provider(s)
	}
	domains := func(n int) []string { return numbered("d%d.acme.io", n) }
	linked := func(settings map[string]any) func(map[string]any) {
		return func(d map[string]any) {
			provider(settings)(d)
			d["linkByEmail"] = true
		}
	}
	secret := func(name, field string) func(map[string]any) {
		return provider(map[string]any{"clientSecret": secretRef(name, field)})
	}
	mapping := func(attr, value string) func(map[string]any) {
		return provider(map[string]any{"attributeMapping": map[string]any{"email": "email", "name": "name", attr: value}})
	}
	apple := func(teamID, keyID string) func(map[string]any) {
		return provider(map[string]any{"type": "apple", "clientSecret": nil, "teamId": teamID, "keyId": keyID, "privateKey": secretRef("demo/apple", "key")})
	}
	passkeys := func(d map[string]any) {
		d["signIn"] = map[string]any{"factors": []any{"password", "passkey"}}
	}
	both := func(edits ...func(map[string]any)) func(map[string]any) {
		return func(d map[string]any) {
			for _, edit := range edits {
				edit(d)
			}
		}
	}

	type limitCase struct {
		name  string
		edit  func(dev map[string]any)
		ctx   map[string]any
		stage string   // a stage of its own beside dev, to load instead
		want  []string // the problems, in order (their start); none: accepted
	}
	cases := []limitCase{
		// names and the domain prefix
		{name: "app name of 1", ctx: map[string]any{KeyAppName: "a"}},
		{name: "app name of 24", ctx: map[string]any{KeyAppName: "a" + x(23)}},
		{name: "app name of 25", ctx: map[string]any{KeyAppName: "a" + x(24)},
			want: []string{`appName: got "a` + x(24) + `"; want 1-24 lower-case letters, digits and hyphens, starting with a letter`}},
		{name: "stage name of 1", stage: "a"},
		{name: "stage name of 16", stage: "a" + x(15)},
		{name: "stage name of 17", stage: "a" + x(16),
			want: []string{`stage: got "a` + x(16) + `"; want 1-16 lower-case letters and digits, starting with a letter`}},
		{name: "domain prefix of 1", ctx: map[string]any{KeyDomainPrefix: "a"}},
		{name: "domain prefix of 63", ctx: map[string]any{KeyDomainPrefix: x(63)}},
		{name: "domain prefix of 64", ctx: map[string]any{KeyDomainPrefix: x(64)},
			want: []string{dev + `domainPrefix (or -c domainPrefix): got "` + x(64) + `"; want at most 63 characters, it has 64; shorten it or set domainPrefix`}},

		// the user pool
		{name: "password of 7", edit: set("passwordPolicy", map[string]any{"minLength": 7}),
			want: []string{dev + `passwordPolicy.minLength: got 7; want 8 to 99`}},
		{name: "password of 8", edit: set("passwordPolicy", map[string]any{"minLength": 8})},
		{name: "password of 99", edit: set("passwordPolicy", map[string]any{"minLength": 99})},
		{name: "password of 100", edit: set("passwordPolicy", map[string]any{"minLength": 100}),
			want: []string{dev + `passwordPolicy.minLength: got 100; want 8 to 99`}},
		{name: "verification body of 5", edit: set("verificationEmail", map[string]any{"body": "{###}"}),
			want: []string{dev + `verificationEmail.body: got "{###}"; want 6 to 20,000 characters holding the code placeholder {####}`}},
		{name: "verification body of 6", edit: set("verificationEmail", map[string]any{"body": "{####}"})},
		{name: "verification body of 20000", edit: set("verificationEmail", map[string]any{"body": "{####}" + e(19994)})},
		{name: "verification body of 20001", edit: set("verificationEmail", map[string]any{"body": "{####}" + e(19995)}),
			want: []string{dev + `verificationEmail.body: got "{####}éé`}},
		{name: "group name of 1", edit: groups("a")},
		{name: "group name of 128", edit: groups(x(128))},
		{name: "group name of 129", edit: groups(x(129)),
			want: []string{dev + `groups[0].name: got "` + x(80) + `..." (129 characters); want 1 to 128 letters, digits, punctuation or symbols, no spaces`}},
		{name: "group name of 0", edit: groups(""),
			want: []string{dev + `groups[0].name: got ""; want 1 to 128 letters`}},
		{name: "group description of 2048", edit: set("groups", []any{map[string]any{"name": "a", "description": x(2048)}})},
		{name: "group description of 2049", edit: set("groups", []any{map[string]any{"name": "a", "description": x(2049)}}),
			want: []string{dev + `groups[0].description: got "` + x(80) + `..." (2049 characters); want at most 2048 characters`}},
		{name: "resource server identifier of 0", edit: set("resourceServer", map[string]any{"identifier": ""}),
			want: []string{dev + `resourceServer.identifier: got ""; want 1 to 256 printable ASCII characters`}},
		{name: "resource server identifier of 1", edit: set("resourceServer", map[string]any{"identifier": "x"})},
		{name: "resource server identifier of 256", edit: set("resourceServer", map[string]any{"identifier": x(256)})},
		{name: "resource server identifier of 257", edit: set("resourceServer", map[string]any{"identifier": x(257)}),
			want: []string{dev + `resourceServer.identifier: got "` + x(80) + `..." (257 characters); want 1 to 256 printable ASCII characters`}},
		{name: "scope name of 0", edit: scope("", "x"),
			want: []string{dev + `resourceServer.scopes[0].name: got ""; want 1 to 256 printable ASCII characters`}},
		{name: "scope name of 1", edit: scope("r", "x")},
		{name: "scope name of 256", edit: scope(x(256), "x")},
		{name: "scope name of 257", edit: scope(x(257), "x"),
			want: []string{dev + `resourceServer.scopes[0].name: got "` + x(80) + `..." (257 characters); want 1 to 256 printable ASCII characters`}},
		{name: "scope description of 0", edit: scope("r", ""),
			want: []string{dev + `resourceServer.scopes[0].description: got ""; want 1 to 256 characters`}},
		{name: "scope description of 256", edit: scope("r", e(256))},
		{name: "scope description of 257", edit: scope("r", e(257)),
			want: []string{dev + `resourceServer.scopes[0].description: got "` + e(80) + `..." (257 characters); want 1 to 256 characters`}},
		{name: "47 custom scopes", edit: scopes(47)},
		{name: "48 custom scopes", edit: scopes(48),
			want: []string{dev + `resourceServer.scopes: got 48; want at most 47 custom scopes: an app client allows 50 scopes and openid, email and profile take 3`}},

		// the app client
		{name: "100 callback URLs", edit: set("callbackUrls", urls(100))},
		{name: "101 callback URLs", edit: set("callbackUrls", urls(101)),
			want: []string{dev + `callbackUrls (or -c callbackUrls): got ["https://app.acme.io/cb0",`}},
		{name: "100 sign-out URLs", edit: set("logoutUrls", urls(100))},
		{name: "101 sign-out URLs", edit: set("logoutUrls", urls(101)),
			want: []string{dev + `logoutUrls (or -c logoutUrls): got ["https://app.acme.io/cb0",`}},
		{name: "callback URL of 0", edit: set("callbackUrls", []any{""}),
			want: []string{dev + `callbackUrls (or -c callbackUrls)[0]: got ""; want 1 to 1024 characters`}},
		// One character is within the length, and refused as no URL.
		{name: "callback URL of 1", edit: set("callbackUrls", []any{"x"}),
			want: []string{dev + `callbackUrls (or -c callbackUrls)[0]: got "x"; want an absolute URL with "://"`}},
		{name: "callback URL of 1024", edit: set("callbackUrls", []any{urlOf(1024)})},
		{name: "callback URL of 1025", edit: set("callbackUrls", []any{urlOf(1025)}),
			want: []string{dev + `callbackUrls (or -c callbackUrls)[0]: got "` + urlOf(80) + `..." (1025 characters); want 1 to 1024 characters`}},
		{name: "sign-out URL of 1024", edit: set("logoutUrls", []any{urlOf(1024)})},
		{name: "sign-out URL of 1025", edit: set("logoutUrls", []any{urlOf(1025)}),
			want: []string{dev + `logoutUrls (or -c logoutUrls)[0]: got "` + urlOf(80) + `..." (1025 characters); want 1 to 1024 characters`}},
		{name: "refresh token of 59 minutes", edit: tokens("refreshMinutes", 59, "accessMinutes", 5, "idMinutes", 5),
			want: []string{dev + `tokens.refreshMinutes: got 59; want 60 to 5256000 minutes (1 hour to 10 years)`}},
		{name: "refresh token of 60 minutes", edit: tokens("refreshMinutes", 60, "accessMinutes", 5, "idMinutes", 5)},
		{name: "refresh token of 5256000 minutes", edit: tokens("refreshMinutes", 5256000)},
		{name: "refresh token of 5256001 minutes", edit: tokens("refreshMinutes", 5256001),
			want: []string{dev + `tokens.refreshMinutes: got 5256001; want 60 to 5256000 minutes (1 hour to 10 years)`}},
		// Without a refresh lifetime the comparison with it says nothing more.
		{name: "refresh token of 0 minutes", edit: tokens("refreshMinutes", 0),
			want: []string{dev + `tokens.refreshMinutes: got 0; want 60 to 5256000 minutes`}},
		{name: "auth session of 2 minutes", edit: tokens("authSessionMinutes", 2),
			want: []string{dev + `tokens.authSessionMinutes: got 2; want 3 to 15 minutes`}},
		{name: "auth session of 3 minutes", edit: tokens("authSessionMinutes", 3)},
		{name: "auth session of 15 minutes", edit: tokens("authSessionMinutes", 15)},
		{name: "auth session of 16 minutes", edit: tokens("authSessionMinutes", 16),
			want: []string{dev + `tokens.authSessionMinutes: got 16; want 3 to 15 minutes`}},
		{name: "access and ID tokens as long as the refresh token", edit: tokens("refreshMinutes", 60, "accessMinutes", 60, "idMinutes", 60)},
		{name: "access token a minute longer than the refresh token", edit: tokens("refreshMinutes", 60, "accessMinutes", 61, "idMinutes", 60),
			want: []string{dev + `tokens.accessMinutes: got 61; want at most tokens.refreshMinutes (60): an access token cannot outlive the refresh token`}},
		{name: "ID token a minute longer than the refresh token", edit: tokens("refreshMinutes", 60, "accessMinutes", 60, "idMinutes", 61),
			want: []string{dev + `tokens.idMinutes: got 61; want at most tokens.refreshMinutes (60): an ID token cannot outlive the refresh token`}},
		{name: "rotation grace of -1 seconds", edit: tokens("refreshRotation", map[string]any{"enabled": true, "graceSeconds": -1}),
			want: []string{dev + `tokens.refreshRotation.graceSeconds: got -1; want 0 to 60 seconds`}},
		{name: "rotation grace of 0 seconds", edit: tokens("refreshRotation", map[string]any{"enabled": true, "graceSeconds": 0})},
		{name: "rotation grace of 60 seconds", edit: tokens("refreshRotation", map[string]any{"enabled": true, "graceSeconds": 60})},
		{name: "rotation grace of 61 seconds", edit: tokens("refreshRotation", map[string]any{"enabled": true, "graceSeconds": 61}),
			want: []string{dev + `tokens.refreshRotation.graceSeconds: got 61; want 0 to 60 seconds`}},

		// machine clients
		{name: "10 machine clients", edit: machineClients(numbered("m%d", 10)...)},
		{name: "11 machine clients", edit: machineClients(numbered("m%d", 11)...),
			want: []string{dev + `machineClients: got 11; want at most 10 machine clients`}},
		{name: "machine client name of 32", edit: machineClients("m" + x(31))},
		{name: "machine client name of 33", edit: machineClients("m" + x(32)),
			want: []string{dev + `machineClients[0].name: got "m` + x(32) + `"; want lower-case letters, digits and -, starting with a letter, at most 32 characters`}},

		// the API
		{name: "CORS max age of -1", edit: set("cors", map[string]any{"maxAgeSeconds": -1}),
			want: []string{dev + `cors.maxAgeSeconds: got -1; want 0 to 86400 seconds`}},
		{name: "CORS max age of 0", edit: set("cors", map[string]any{"maxAgeSeconds": 0})},
		{name: "CORS max age of 86400", edit: set("cors", map[string]any{"maxAgeSeconds": 86400})},
		{name: "CORS max age of 86401", edit: set("cors", map[string]any{"maxAgeSeconds": 86401}),
			want: []string{dev + `cors.maxAgeSeconds: got 86401; want 0 to 86400 seconds`}},
		{name: "authorizer cache of -1", edit: set("authorizerCacheSeconds", -1),
			want: []string{dev + `authorizerCacheSeconds: got -1; want 0 to 3600 seconds (0 turns the cache off)`}},
		{name: "authorizer cache of 0", edit: set("authorizerCacheSeconds", 0)},
		{name: "authorizer cache of 3600", edit: set("authorizerCacheSeconds", 3600)},
		{name: "authorizer cache of 3601", edit: set("authorizerCacheSeconds", 3601),
			want: []string{dev + `authorizerCacheSeconds: got 3601; want 0 to 3600 seconds (0 turns the cache off)`}},
		{name: "rate limit of 0", edit: set("throttling", map[string]any{"rateLimit": 0}),
			want: []string{dev + `throttling.rateLimit: got 0; want more than 0 and at most 10000 requests per second`}},
		{name: "rate limit of 0.1", edit: set("throttling", map[string]any{"rateLimit": 0.1})},
		{name: "rate limit of 10000", edit: set("throttling", map[string]any{"rateLimit": 10000})},
		{name: "rate limit of 10000.5", edit: set("throttling", map[string]any{"rateLimit": 10000.5}),
			want: []string{dev + `throttling.rateLimit: got 10000.5; want more than 0 and at most 10000 requests per second`}},
		{name: "burst of 0", edit: set("throttling", map[string]any{"burstLimit": 0}),
			want: []string{dev + `throttling.burstLimit: got 0; want 1 to 5000 requests`}},
		{name: "burst of 1", edit: set("throttling", map[string]any{"burstLimit": 1})},
		{name: "burst of 5000", edit: set("throttling", map[string]any{"burstLimit": 5000})},
		{name: "burst of 5001", edit: set("throttling", map[string]any{"burstLimit": 5001}),
			want: []string{dev + `throttling.burstLimit: got 5001; want 1 to 5000 requests`}},
		{name: "WAF rate limit of 9", edit: set("waf", map[string]any{"enabled": true, "rateLimit": 9}),
			want: []string{dev + `waf.rateLimit: got 9; want 10 to 2000000000 requests per IP address in 5 minutes`}},
		{name: "WAF rate limit of 10", edit: set("waf", map[string]any{"enabled": true, "rateLimit": 10})},
		{name: "WAF rate limit of 2000000000", edit: set("waf", map[string]any{"enabled": true, "rateLimit": 2_000_000_000})},
		{name: "WAF rate limit of 2000000001", edit: set("waf", map[string]any{"enabled": true, "rateLimit": 2_000_000_001}),
			want: []string{dev + `waf.rateLimit: got 2000000001; want 10 to 2000000000 requests per IP address in 5 minutes`}},
		{name: "route table of 3000 bytes", edit: set("routes", routeTableOf(t, maxRouteTableBytes))},
		{name: "route table of 3001 bytes", edit: set("routes", routeTableOf(t, maxRouteTableBytes+1)),
			want: []string{dev + `routes: got "3 routes"; want a table that encodes to at most 3000 bytes (it is 3001): it travels in the Lambda's 4 KB environment`}},

		// email
		{name: "fromName of 64", edit: ses("fromName", e(64))},
		{name: "fromName of 65", edit: ses("fromName", e(65)),
			want: []string{dev + `email.fromName: got "` + e(65) + `"; want at most 64 characters without <, >, @ or line breaks`}},
		{name: "configuration set of 64", edit: ses("configurationSet", x(64))},
		{name: "configuration set of 65", edit: ses("configurationSet", x(65)),
			want: []string{dev + `email.configurationSet: got "` + x(65) + `"; want an SES configuration set name: 1 to 64 letters, digits, _ and -`}},
		// Below 6 characters nothing holds the placeholders; the shortest body that does is
		// the two of them.
		{name: "invitation body of 5", edit: set("invitationMessage", map[string]any{"body": "{###}"}),
			want: []string{dev + `invitationMessage.body: got "{###}"; want 6 to 20,000 characters holding {username} and the temporary password {####}`}},
		{name: "invitation body of the placeholders alone", edit: set("invitationMessage", map[string]any{"body": "{username}{####}"})},
		{name: "invitation body of 20000", edit: set("invitationMessage", map[string]any{"body": "{username}{####}" + e(19984)})},
		{name: "invitation body of 20001", edit: set("invitationMessage", map[string]any{"body": "{username}{####}" + e(19985)}),
			want: []string{dev + `invitationMessage.body: got "{username}{####}éé`}},

		// identity providers
		{name: "provider name of 2", edit: oidc(map[string]any{"name": "ok"}),
			want: []string{idp + `.name: got "ok"; want 3 to 32 letters, digits, '.' or '-'`}},
		{name: "provider name of 3", edit: oidc(map[string]any{"name": "okt"})},
		{name: "provider name of 32", edit: oidc(map[string]any{"name": x(32)})},
		{name: "provider name of 33", edit: oidc(map[string]any{"name": x(33)}),
			want: []string{idp + `.name: got "` + x(33) + `"; want 3 to 32 letters, digits, '.' or '-'`}},
		{name: "50 identifiers", edit: oidc(map[string]any{"identifiers": domains(50)})},
		{name: "51 identifiers", edit: oidc(map[string]any{"identifiers": domains(51)}),
			want: []string{idp + `.identifiers: got 51; want at most 50 identifiers`}},
		{name: "identifier of 0", edit: oidc(map[string]any{"identifiers": []any{""}}),
			want: []string{idp + `.identifiers[0]: got ""; want 1 to 40 letters, digits, spaces and + = . @ -`}},
		{name: "identifier of 40", edit: oidc(map[string]any{"identifiers": []any{x(36) + ".com"}})},
		{name: "identifier of 41", edit: oidc(map[string]any{"identifiers": []any{x(37) + ".com"}}),
			want: []string{idp + `.identifiers[0]: got "` + x(37) + `.com"; want 1 to 40 letters, digits, spaces and + = . @ -`}},
		{name: "50 link domains", edit: linked(map[string]any{"linkDomains": domains(50)})},
		{name: "51 link domains", edit: linked(map[string]any{"linkDomains": domains(51)}),
			want: []string{idp + `.linkDomains: got 51; want at most 50 domains`}},
		{name: "link domain of 253", edit: linked(map[string]any{"linkDomains": []any{x(249) + ".com"}})},
		{name: "link domain of 254", edit: linked(map[string]any{"linkDomains": []any{x(250) + ".com"}}),
			want: []string{idp + `.linkDomains[0]: got "` + x(80) + `..." (254 characters); want an email domain the provider owns`}},
		{name: "client id of 2048", edit: provider(map[string]any{"clientId": x(2048)})},
		{name: "client id of 2049", edit: provider(map[string]any{"clientId": x(2049)}),
			want: []string{idp + `.clientId: got "` + x(80) + `..." (2049 characters); want an id without spaces, at most 2048 characters`}},
		{name: "secret name of 512", edit: secret(x(512), "f")},
		{name: "secret name of 513", edit: secret(x(513), "f"),
			want: []string{idp + `.clientSecret.secretsManager: got "` + x(80) + `..." (513 characters); want a Secrets Manager secret name`}},
		{name: "secret field of 1", edit: secret("demo/google", "f")},
		{name: "secret field of 256", edit: secret("demo/google", x(256))},
		{name: "secret field of 257", edit: secret("demo/google", x(257)),
			want: []string{idp + `.clientSecret.field: got "` + x(80) + `..." (257 characters); want the key of the value in the secret's JSON`}},
		{name: "mapped attribute of 0", edit: mapping("locale", ""),
			want: []string{idp + `.attributeMapping.locale: got ""; want the provider's attribute name`}},
		{name: "mapped attribute of 1", edit: mapping("locale", "l")},
		{name: "mapped attribute of 131072", edit: mapping("locale", x(131072))},
		{name: "mapped attribute of 131073", edit: mapping("locale", x(131073)),
			want: []string{idp + `.attributeMapping.locale: got "` + x(80) + `..." (131073 characters); want the provider's attribute name`}},
		{name: "Apple ids of 9", edit: apple("ABCDE1234", "KEY123456"),
			want: []string{idp + `.teamId: got "ABCDE1234"; want the 10-character Apple team id`, idp + `.keyId: got "KEY123456"; want the 10-character id`}},
		{name: "Apple ids of 10", edit: apple("ABCDE12345", "KEY1234567")},
		{name: "Apple ids of 11", edit: apple("ABCDE123456", "KEY12345678"),
			want: []string{idp + `.teamId: got "ABCDE123456"; want the 10-character Apple team id`, idp + `.keyId: got "KEY12345678"; want the 10-character id`}},

		// the token trigger
		{name: "extra claim name of 64", edit: set("extraClaims", map[string]any{"t" + x(63): "v"})},
		{name: "extra claim name of 65", edit: set("extraClaims", map[string]any{"t" + x(64): "v"}),
			want: []string{dev + `extraClaims.t` + x(64) + `: got "t` + x(64) + `"; want a claim name of letters, digits and _ . : -, starting with a letter, at most 64 characters`}},
		{name: "extra claim value of 256", edit: set("extraClaims", map[string]any{"tenant": x(256)})},
		{name: "extra claim value of 257", edit: set("extraClaims", map[string]any{"tenant": x(257)}),
			want: []string{dev + `extraClaims.tenant: got "257 characters"; want a value of at most 256 characters`}},

		// passkeys: <prefix>.auth.<region>.amazoncognito.com in at most 63 characters
		{name: "passkeys on a prefix of 25", edit: both(passkeys, set("domainPrefix", x(25)))},
		{name: "passkeys on a prefix of 26", edit: both(passkeys, set("domainPrefix", x(26))),
			want: []string{dev + `signIn.factors: got "passkey"; want a managed-login domain of at most 63 characters for passkeys, which are bound to it; this stage's would be up to 64 (in a Region such as ap-southeast-1): set a domainPrefix of at most 25 characters`}},
		// The derived prefix is <app>-<stage>-<12-digit account id>.
		{name: "passkeys on a derived prefix of 25", edit: passkeys, ctx: map[string]any{KeyAppName: "app12345"}},
		{name: "passkeys on a derived prefix of 26", edit: passkeys, ctx: map[string]any{KeyAppName: "app123456"},
			want: []string{dev + `signIn.factors: got "passkey"; want a managed-login domain of at most 63 characters for passkeys, which are bound to it; this stage's would be up to 64 (in a Region such as ap-southeast-1): set a domainPrefix of at most 25 characters`}},
	}
	// Settings under one rule get the same four cases each: the verification email's subject
	// and the invitation's take 1 to 140 characters, access and ID tokens 5 to 1440 minutes.
	for _, m := range []struct{ what, key string }{{"verification", "verificationEmail"}, {"invitation", "invitationMessage"}} {
		subject := func(s string) func(map[string]any) { return set(m.key, map[string]any{"subject": s}) }
		want := dev + m.key + ".subject: got "
		cases = append(cases,
			limitCase{name: m.what + " subject of 0", edit: subject(""),
				want: []string{want + `""; want 1 to 140 characters`}},
			limitCase{name: m.what + " subject of 1", edit: subject("x")},
			limitCase{name: m.what + " subject of 140", edit: subject(e(140))},
			limitCase{name: m.what + " subject of 141", edit: subject(e(141)),
				want: []string{want + `"` + e(80) + `..." (141 characters); want 1 to 140 characters`}},
		)
	}
	for _, tok := range []struct{ what, key string }{{"access token", "accessMinutes"}, {"ID token", "idMinutes"}} {
		want := dev + "tokens." + tok.key + ": got "
		cases = append(cases,
			limitCase{name: tok.what + " of 4 minutes", edit: tokens(tok.key, 4),
				want: []string{want + "4; want 5 to 1440 minutes (5 minutes to 1 day)"}},
			limitCase{name: tok.what + " of 5 minutes", edit: tokens(tok.key, 5)},
			limitCase{name: tok.what + " of 1440 minutes", edit: tokens(tok.key, 1440)},
			limitCase{name: tok.what + " of 1441 minutes", edit: tokens(tok.key, 1441),
				want: []string{want + "1441; want 5 to 1440 minutes (5 minutes to 1 day)"}},
		)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := contextWith(t, nil, `{"dev": {}}`)
			if tc.edit != nil {
				tc.edit(ctx[KeyStages].(map[string]any)["dev"].(map[string]any))
			}
			for k, v := range tc.ctx {
				ctx[k] = v
			}
			if tc.stage != "" {
				ctx[KeyStages].(map[string]any)[tc.stage] = map[string]any{}
				ctx[KeyStage] = tc.stage
			}
			if len(tc.want) == 0 {
				if _, err := Load(ctx); err != nil {
					t.Fatalf("refused:\n%s", err)
				}
				return
			}
			checkProblems(t, problemLines(t, ctx), tc.want)
		})
	}
}

// routeTableOf is the built-in routes and one public route, padded so that the table encodes
// to n bytes, as the routes setting of cdk.json.
func routeTableOf(t *testing.T, n int) []any {
	t.Helper()
	table := append(Defaults("demo-api").Routes, routes.Route{Method: "GET", Path: "/p", Access: routes.Public})
	enc := fnenv.EncodeRoutes(table)
	table[len(table)-1].Path += strings.Repeat("a", n-len(enc))
	b, err := json.Marshal(table)
	if err != nil {
		t.Fatal(err)
	}
	var out []any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if enc := fnenv.EncodeRoutes(table); len(enc) != n {
		t.Fatalf("the table encodes to %d bytes, want %d", len(enc), n)
	}
	return out
}

// A SAML metadata file of Cognito's 131072 bytes is read; one byte more is refused.
func TestSAMLMetadataSize(t *testing.T) {
	dir := t.TempDir()
	const head = `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata">`
	for _, tc := range []struct {
		size int
		want string
	}{
		{maxMetadataBytes, ""},
		{maxMetadataBytes + 1, `stages.dev.identityProviders[0].metadataFile: got "idp.xml"; want at most 131072 bytes of metadata (Cognito's limit), it has 131073; use metadataUrl instead`},
	} {
		body := head + strings.Repeat(" ", tc.size-len(head))
		if err := os.WriteFile(filepath.Join(dir, "idp.xml"), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg := Config{StageName: "dev", Stage: Stage{IdentityProviders: []IdentityProvider{{Type: IdPSAML, Name: "entra", MetadataFile: "idp.xml"}}}}
		got, err := cfg.SAMLMetadata(dir)
		switch {
		case tc.want == "" && (err != nil || got["entra"] != body):
			t.Errorf("%d bytes: got %d bytes, %v; want the file", tc.size, len(got["entra"]), err)
		case tc.want != "" && (err == nil || err.Error() != tc.want):
			t.Errorf("%d bytes: got %v\nwant %s", tc.size, err, tc.want)
		}
	}
}
