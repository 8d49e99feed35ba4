package config

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func secretRef(name, field string) map[string]any {
	return map[string]any{"secretsManager": name, "field": field}
}

// fullSignIn is a stage with SES, Google, an OIDC and a SAML provider: the example.
func fullSignIn(d map[string]any) {
	d["email"] = map[string]any{"sender": "ses", "from": "no-reply@acme.io", "fromName": "Acme", "replyTo": "support@acme.io",
		"sesRegion": "eu-west-1", "configurationSet": "cognito-mail"}
	d["identityProviders"] = []any{
		map[string]any{"type": "google", "clientId": "123.apps.googleusercontent.com", "clientSecret": secretRef("demo/google", "clientSecret")},
		map[string]any{"type": "oidc", "name": "okta", "clientId": "0oa1", "clientSecret": secretRef("demo/okta", "secret"),
			"issuer": "https://acme.okta.com", "identifiers": []any{"acme.io"}},
		map[string]any{"type": "saml", "name": "entra", "metadataUrl": "https://login.microsoftonline.com/x/federationmetadata.xml", "identifiers": []any{"corp.acme.io"}},
	}
	d["linkByEmail"] = true
}

func TestSignInSettingsLoad(t *testing.T) {
	cfg, err := Load(withDev(t, fullSignIn))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Email.UsesSES() || cfg.Email.From != "no-reply@acme.io" || !cfg.LinkByEmail || !cfg.CognitoSignIn {
		t.Errorf("email %+v, linkByEmail %v, cognitoSignIn %v", cfg.Email, cfg.LinkByEmail, cfg.CognitoSignIn)
	}
	var names []string
	for _, p := range cfg.IdentityProviders {
		names = append(names, p.ProviderName()+"/"+p.ProviderType())
	}
	if want := []string{"Google/Google", "okta/OIDC", "entra/SAML"}; !slices.Equal(names, want) {
		t.Errorf("providers %v, want %v", names, want)
	}
	google := cfg.IdentityProviders[0]
	if *google.ClientSecret != (SecretRef{SecretsManager: "demo/google", Field: "clientSecret"}) {
		t.Errorf("client secret %+v", google.ClientSecret)
	}
	if m := google.EffectiveMapping(); m["email"] != "email" || m["name"] != "name" {
		t.Errorf("google's default mapping %v", m)
	}
}

func TestSignInDefaults(t *testing.T) {
	cfg, err := Load(projectContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Email.Sender != "cognito" || !cfg.CognitoSignIn || cfg.LinkByEmail || len(cfg.IdentityProviders) != 0 {
		t.Errorf("dev: email %+v, cognitoSignIn %v, linkByEmail %v, providers %v", cfg.Email, cfg.CognitoSignIn, cfg.LinkByEmail, cfg.IdentityProviders)
	}
	ctx := projectContext(t)
	ctx[KeyStage] = "prod"
	prod, err := Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !prod.Email.UsesSES() {
		t.Errorf("the committed prod stage does not send through SES: %+v", prod.Email)
	}
}

// provider edits the dev stage to have one identity provider, the given settings over a
// valid Google provider.
func provider(settings map[string]any) func(map[string]any) {
	return func(d map[string]any) {
		p := map[string]any{"type": "google", "clientId": "id", "clientSecret": secretRef("demo/google", "clientSecret")}
		maps.Copy(p, settings)
		for k, v := range settings {
			if v == nil {
				delete(p, k)
			}
		}
		d["identityProviders"] = []any{p}
	}
}

func TestBadSignInSettings(t *testing.T) {
	const dev = "stages.dev."
	const idp = dev + "identityProviders[0]"
	for _, tc := range []struct {
		name string
		edit func(map[string]any)
		want []string // lines the problems must start with
		not  string   // text no problem may hold
	}{
		{name: "unknown sender", edit: func(d map[string]any) { d["email"] = map[string]any{"sender": "smtp"} },
			want: []string{dev + `email.sender: got "smtp"; want "cognito"`}},
		{name: "ses without from", edit: func(d map[string]any) { d["email"] = map[string]any{"sender": "ses"} },
			want: []string{dev + `email.from: got ""; want the sender address`}},
		{name: "invalid from", edit: func(d map[string]any) {
			d["email"] = map[string]any{"sender": "ses", "from": "Acme <no-reply@acme.io>"}
		},
			want: []string{dev + `email.from: got "Acme <no-reply@acme.io>"; want a bare email address`}},
		{name: "from without domain", edit: func(d map[string]any) { d["email"] = map[string]any{"sender": "ses", "from": "no-reply@localhost"} },
			want: []string{dev + `email.from: got "no-reply@localhost"`}},
		{name: "non-ASCII local part", edit: func(d map[string]any) { d["email"] = map[string]any{"sender": "ses", "from": "jörg@acme.io"} },
			want: []string{dev + `email.from: got "jörg@acme.io"; want an ASCII local part`}},
		{name: "invalid reply-to", edit: func(d map[string]any) {
			d["email"] = map[string]any{"sender": "ses", "from": "a@acme.io", "replyTo": "support"}
		}, want: []string{dev + `email.replyTo: got "support"`}},
		{name: "ses region", edit: func(d map[string]any) {
			d["email"] = map[string]any{"sender": "ses", "from": "a@acme.io", "sesRegion": "Ireland"}
		}, want: []string{dev + `email.sesRegion: got "Ireland"; want an AWS Region`}},
		{name: "configuration set", edit: func(d map[string]any) {
			d["email"] = map[string]any{"sender": "ses", "from": "a@acme.io", "configurationSet": "my set"}
		}, want: []string{dev + `email.configurationSet: got "my set"`}},
		{name: "verified domain of another address", edit: func(d map[string]any) {
			d["email"] = map[string]any{"sender": "ses", "from": "a@mail.acme.io", "verifiedDomain": "acme.io"}
		}, want: []string{dev + `email.verifiedDomain: got "acme.io"; want the domain of email.from ("mail.acme.io")`}},
		{name: "verified domain in another case", edit: func(d map[string]any) {
			d["email"] = map[string]any{"sender": "ses", "from": "a@acme.io", "verifiedDomain": "ACME.io"}
		}, want: []string{dev + `email.verifiedDomain: got "ACME.io"; want the domain of email.from ("acme.io")`}},
		{name: "mapping the username", edit: provider(map[string]any{"attributeMapping": map[string]any{"email": "email", "name": "name", "username": "sub"}}),
			want: []string{idp + `.attributeMapping.username: got "sub"; want a standard pool attribute`}},
		{name: "ses settings with cognito sender", edit: func(d map[string]any) { d["email"] = map[string]any{"from": "a@acme.io"} },
			want: []string{dev + `email.from: got "a@acme.io"; want it left out while email.sender is "cognito"`}},
		{name: "invitation without password", edit: func(d map[string]any) { d["invitationMessage"] = map[string]any{"body": "Hi {username}"} },
			want: []string{dev + `invitationMessage.body: got "Hi {username}"; want 6 to 20,000 characters holding {username} and the temporary password {####}`}},
		{name: "invitation subject", edit: func(d map[string]any) { d["invitationMessage"] = map[string]any{"subject": ""} },
			want: []string{dev + `invitationMessage.subject: got ""`}},

		{name: "unknown provider type", edit: provider(map[string]any{"type": "github"}),
			want: []string{idp + `.type: got "github"; want one of "google", "facebook", "apple", "amazon", "oidc" or "saml"`}},
		{name: "missing client id", edit: provider(map[string]any{"clientId": nil}),
			want: []string{idp + `.clientId: got ""; want the client id`}},
		{name: "literal secret", edit: provider(map[string]any{"clientSecret": "GOCSPX-topsecret"}),
			want: []string{idp + `.clientSecret: got a string; want {"secretsManager": "<secret name or ARN>", "field": "<JSON key>"}: a secret written in cdk.json is committed`},
			not:  "GOCSPX-topsecret"},
		{name: "missing secret", edit: provider(map[string]any{"clientSecret": nil}),
			want: []string{idp + `.clientSecret: missing; want {"secretsManager"`}},
		{name: "secret without field", edit: provider(map[string]any{"clientSecret": map[string]any{"secretsManager": "demo/google"}}),
			want: []string{idp + `.clientSecret.field: got ""`}},
		{name: "secret field with a colon", edit: provider(map[string]any{"clientSecret": map[string]any{"secretsManager": "demo/google", "field": "a:b"}}),
			want: []string{idp + `.clientSecret.field: got "a:b"; want the key of the value in the secret's JSON`}},
		{name: "secret name with a colon", edit: provider(map[string]any{"clientSecret": map[string]any{"secretsManager": "demo:google", "field": "f"}}),
			want: []string{idp + `.clientSecret.secretsManager: got "demo:google"; want a Secrets Manager secret name`}},
		{name: "secret unknown key", edit: provider(map[string]any{"clientSecret": map[string]any{"secretsManager": "x", "field": "y", "value": "z"}}),
			want: []string{idp + `.clientSecret.value: unknown setting`}},
		{name: "social provider renamed", edit: provider(map[string]any{"name": "google"}),
			want: []string{idp + `.name: got "google"; want "Google" or leave it out`}},
		{name: "provider name Cognito refuses", edit: provider(map[string]any{"type": "oidc", "name": "okta_eu", "issuer": "https://acme.okta.com"}),
			want: []string{idp + `.name: got "okta_eu"; want 3 to 32 letters, digits, '.' or '-'`}},
		{name: "oidc issuer not https", edit: provider(map[string]any{"type": "oidc", "name": "okta", "issuer": "http://acme.okta.com"}),
			want: []string{idp + `.issuer: got "http://acme.okta.com"; want the provider's https issuer URL`}},
		{name: "oidc without openid scope", edit: provider(map[string]any{"type": "oidc", "name": "okta", "issuer": "https://acme.okta.com", "scopes": []any{"email"}}),
			want: []string{idp + `.scopes: got ["email"]; want "openid" among them`}},
		{name: "saml with both metadata sources", edit: provider(map[string]any{"type": "saml", "name": "entra", "clientId": nil, "clientSecret": nil,
			"metadataUrl": "https://idp.acme.io/metadata", "metadataFile": "saml.xml"}),
			want: []string{idp + `: got "metadataUrl and metadataFile"; want exactly one of metadataUrl or metadataFile`}},
		{name: "saml with neither metadata source", edit: provider(map[string]any{"type": "saml", "name": "entra", "clientId": nil, "clientSecret": nil}),
			want: []string{idp + `.metadataUrl: got ""; want the https URL of the provider's SAML metadata, or metadataFile`}},
		{name: "saml with a client secret", edit: provider(map[string]any{"type": "saml", "name": "entra", "clientId": nil, "metadataUrl": "https://idp.acme.io/m"}),
			want: []string{idp + `.clientSecret: got "(set)"; want it left out`}},
		{name: "mapping without email", edit: provider(map[string]any{"attributeMapping": map[string]any{"name": "name"}}),
			want: []string{idp + `.attributeMapping: got {"name":"name"}; want "email" mapped to a provider attribute`}},
		{name: "mapping without name", edit: provider(map[string]any{"attributeMapping": map[string]any{"email": "email"}}),
			want: []string{idp + `.attributeMapping: got {"email":"email"}; want "name" mapped`}},
		{name: "mapping to an unknown attribute", edit: provider(map[string]any{"attributeMapping": map[string]any{"email": "email", "name": "name", "custom:tier": "tier"}}),
			want: []string{idp + `.attributeMapping.custom:tier: got "tier"; want a standard pool attribute`}},
		{name: "mapping type", edit: provider(map[string]any{"attributeMapping": map[string]any{"email": 1}}),
			want: []string{idp + `.attributeMapping: got {"email":1}; want an object of strings`}},
		{name: "identifiers on a social provider", edit: provider(map[string]any{"identifiers": []any{"acme.io"}}),
			want: []string{idp + `.identifiers: got ["acme.io"]; want it left out`}},
		{name: "apple ids", edit: provider(map[string]any{"type": "apple", "clientSecret": nil, "teamId": "team", "keyId": "ABCDEFGHIJ", "privateKey": secretRef("demo/apple", "key")}),
			want: []string{idp + `.teamId: got "team"; want the 10-character Apple team id`}},
		{name: "apple private key literal", edit: provider(map[string]any{"type": "apple", "clientSecret": nil, "teamId": "ABCDEFGHIJ", "keyId": "ABCDEFGHIJ",
			"privateKey": "-----BEGIN PRIVATE KEY-----"}),
			want: []string{idp + `.privateKey: got a string; want {"secretsManager"`}, not: "BEGIN PRIVATE KEY"},
		{name: "duplicate provider names", edit: func(d map[string]any) {
			p := map[string]any{"type": "oidc", "name": "okta", "clientId": "a", "clientSecret": secretRef("s", "f"), "issuer": "https://acme.okta.com"}
			q := maps.Clone(p)
			q["name"] = "OKTA"
			d["identityProviders"] = []any{p, q}
		}, want: []string{dev + `identityProviders[1].name: got "OKTA"; want each provider once: stages.dev.identityProviders[0] has this name already`}},
		{name: "same output key", edit: func(d map[string]any) {
			p := map[string]any{"type": "oidc", "name": "okta-eu", "clientId": "a", "clientSecret": secretRef("s", "f"), "issuer": "https://acme.okta.com"}
			q := maps.Clone(p)
			q["name"] = "okta.eu"
			d["identityProviders"] = []any{p, q}
		}, want: []string{dev + `identityProviders[1].name: got "okta.eu"; want a name whose letters and digits differ`}},
		{name: "provider name", edit: provider(map[string]any{"type": "oidc", "name": "my okta", "issuer": "https://acme.okta.com"}),
			want: []string{idp + `.name: got "my okta"; want 3 to 32 letters`}},
		{name: "linkByEmail without providers", edit: func(d map[string]any) { d["linkByEmail"] = true },
			want: []string{dev + `linkByEmail: got true; want false (or leave it out) while identityProviders is empty`}},
		// linkByEmail takes a provider's word for an address only at a domain it owns.
		{name: "linkByEmail with an OIDC provider that owns no domain", edit: func(d map[string]any) {
			provider(map[string]any{"type": "oidc", "name": "okta", "issuer": "https://acme.okta.com"})(d)
			d["linkByEmail"] = true
		}, want: []string{idp + `: got "okta"; want identifiers or linkDomains naming the email domains this provider owns while linkByEmail is true`}},
		{name: "linkByEmail with a SAML provider whose identifiers are no domains", edit: func(d map[string]any) {
			provider(map[string]any{"type": "saml", "name": "entra", "clientId": nil, "clientSecret": nil,
				"metadataUrl": "https://login.microsoftonline.com/x/m.xml", "identifiers": []any{"AcmeCorp"}})(d)
			d["linkByEmail"] = true
		}, want: []string{idp + `: got "entra"; want identifiers or linkDomains`}},
		{name: "an enterprise provider trusted for Gmail", edit: func(d map[string]any) {
			provider(map[string]any{"type": "oidc", "name": "okta", "issuer": "https://acme.okta.com", "linkDomains": []any{"acme.io", "GMail.com"}})(d)
			d["linkByEmail"] = true
		}, want: []string{idp + `: got "gmail.com"; want only domains okta owns: gmail.com addresses belong to Google`}},
		{name: "Google trusted for iCloud", edit: func(d map[string]any) {
			provider(map[string]any{"linkDomains": []any{"icloud.com"}})(d)
			d["linkByEmail"] = true
		}, want: []string{idp + `: got "icloud.com"; want only domains Google owns: icloud.com addresses belong to SignInWithApple`}},
		{name: "two providers trusted for one domain", edit: func(d map[string]any) {
			fullSignIn(d)
			ps := d["identityProviders"].([]any)
			ps[2].(map[string]any)["linkDomains"] = []any{"ACME.io"}
		}, want: []string{idp[:len(idp)-3] + `[2]: got "acme.io"; want one provider trusted for each domain: okta is trusted for acme.io already`}},
		{name: "linkDomains without linkByEmail", edit: provider(map[string]any{"linkDomains": []any{"acme.io"}}),
			want: []string{idp + `.linkDomains: got ["acme.io"]; want it left out while linkByEmail is false`}},
		{name: "linkDomains on Facebook", edit: func(d map[string]any) {
			provider(map[string]any{"type": "facebook", "linkDomains": []any{"acme.io"}})(d)
			d["linkByEmail"] = true
		}, want: []string{idp + `.linkDomains: got ["acme.io"]; want it left out: a facebook provider`}},
		// Cognito writes a mapped attribute through the app client: mapping email_verified
		// would make it writable by every user.
		{name: "email_verified mapped", edit: provider(map[string]any{"attributeMapping": map[string]any{"email": "email", "name": "name", "email_verified": "email_verified"}}),
			want: []string{idp + `.attributeMapping.email_verified: got "email_verified"; want it left out: Cognito writes a mapped attribute through the app client`}},
		{name: "phone_number_verified mapped", edit: provider(map[string]any{"attributeMapping": map[string]any{"email": "email", "name": "name", "phone_number_verified": "phone_verified"}}),
			want: []string{idp + `.attributeMapping.phone_number_verified: got "phone_verified"; want it left out`}},
		{name: "a link domain that is no domain", edit: func(d map[string]any) {
			provider(map[string]any{"linkDomains": []any{"acme", "*.acme.io", "@acme.io"}})(d)
			d["linkByEmail"] = true
		}, want: []string{idp + `.linkDomains[0]: got "acme"; want an email domain`, idp + `.linkDomains[1]: got "*.acme.io"`, idp + `.linkDomains[2]: got "@acme.io"`}},
		{name: "provider named COGNITO", edit: provider(map[string]any{"type": "oidc", "name": "Cognito", "issuer": "https://acme.okta.com"}),
			want: []string{idp + `.name: got "Cognito"; want another name: COGNITO stands for the pool's own users`}},
		{name: "saml metadata over http", edit: provider(map[string]any{"type": "saml", "name": "entra", "clientId": nil, "clientSecret": nil, "metadataUrl": "http://idp.acme.io/m"}),
			want: []string{idp + `.metadataUrl: got "http://idp.acme.io/m"; want an https URL`}},
		{name: "saml with scopes", edit: provider(map[string]any{"type": "saml", "name": "entra", "clientId": nil, "clientSecret": nil, "metadataUrl": "https://idp.acme.io/m", "scopes": []any{"email"}}),
			want: []string{idp + `.scopes: got ["email"]; want it left out: SAML has no scopes`}},
		{name: "oidc attributes request method", edit: provider(map[string]any{"type": "oidc", "name": "okta", "issuer": "https://acme.okta.com", "attributesRequestMethod": "PUT"}),
			want: []string{idp + `.attributesRequestMethod: got "PUT"; want "GET" or "POST" (how Cognito calls the userinfo endpoint)`}},
		{name: "empty provider scope", edit: provider(map[string]any{"scopes": []any{"openid", ""}}),
			want: []string{idp + `.scopes[1]: got ""; want one scope without spaces, commas or quotes`}},
		{name: "provider scope with a comma", edit: provider(map[string]any{"scopes": []any{"openid,email"}}),
			want: []string{idp + `.scopes[0]: got "openid,email"; want one scope without spaces, commas or quotes`}},
		{name: "no way to sign in", edit: func(d map[string]any) { d["cognitoSignIn"] = false },
			want: []string{dev + `cognitoSignIn: got false; want true while identityProviders is empty`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := problemLines(t, withDev(t, tc.edit))
			all := strings.Join(lines, "\n")
			for _, want := range tc.want {
				if !hasLineStarting(lines, want) {
					t.Errorf("got:\n%s\nwant a line starting with:\n%s", all, want)
				}
			}
			if tc.not != "" && strings.Contains(all, tc.not) {
				t.Errorf("the message repeats the secret %q:\n%s", tc.not, all)
			}
		})
	}
}

// Settings next to the refused ones above that pass.
func TestGoodSignInSettings(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(map[string]any)
	}{
		{"oidc with GET", provider(map[string]any{"type": "oidc", "name": "okta", "issuer": "https://acme.okta.com", "attributesRequestMethod": "GET"})},
		{"oidc with POST", provider(map[string]any{"type": "oidc", "name": "okta", "issuer": "https://acme.okta.com", "attributesRequestMethod": "POST"})},
		{"provider scopes", provider(map[string]any{"scopes": []any{"openid", "email", "https://www.googleapis.com/auth/user.birthday.read"}})},
		// ~ is the last printable ASCII character, so a local part may hold it.
		{"a tilde in the sender's local part", func(d map[string]any) {
			d["email"] = map[string]any{"sender": "ses", "from": "no~reply@acme.io", "replyTo": "help~desk@acme.io"}
		}},
	} {
		if _, err := Load(withDev(t, tc.edit)); err != nil {
			t.Errorf("%s: refused:\n%s", tc.name, err)
		}
	}
}

// The output key takes the name's ASCII letters and digits, and drops everything else.
func TestOutputSuffix(t *testing.T) {
	for name, want := range map[string]string{
		"okta":              "okta",
		"azAZ09":            "azAZ09",
		"okta.eu-1":         "oktaeu1",
		"`a{":               "a", // the characters around a-z
		"@A[":               "A", // around A-Z
		"/0:":               "0", // around 0-9
		"Z/9":               "Z9",
		"\u212Aelvin-Ωmega": "elvinmega", // K and Ω are letters, but not ASCII
	} {
		if got := (IdentityProvider{Type: IdPOIDC, Name: name}).OutputSuffix(); got != want {
			t.Errorf("OutputSuffix of %q = %q, want %q", name, got, want)
		}
	}
	if got := (IdentityProvider{Type: IdPApple}).OutputSuffix(); got != "SignInWithApple" {
		t.Errorf("OutputSuffix of Apple = %q, want SignInWithApple", got)
	}
}

func TestTrustedDomains(t *testing.T) {
	cfg, err := Load(withDev(t, func(d map[string]any) {
		fullSignIn(d)
		ps := d["identityProviders"].([]any)
		ps[0].(map[string]any)["linkDomains"] = []any{"Acme-Workspace.io"}
		ps = append(ps, map[string]any{"type": "facebook", "clientId": "1", "clientSecret": secretRef("demo/fb", "secret")},
			map[string]any{"type": "apple", "clientId": "io.acme.web", "teamId": "ABCDE12345", "keyId": "KEY1234567", "privateKey": secretRef("demo/apple", "key")})
		d["identityProviders"] = ps
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"Google":          {"gmail.com", "googlemail.com", "acme-workspace.io"},
		"okta":            {"acme.io"},
		"entra":           {"corp.acme.io"},
		"Facebook":        nil,
		"SignInWithApple": {"icloud.com", "me.com", "mac.com"},
	}
	for _, p := range cfg.IdentityProviders {
		if got := p.TrustedDomains(); !slices.Equal(got, want[p.ProviderName()]) {
			t.Errorf("%s trusted for %v, want %v", p.ProviderName(), got, want[p.ProviderName()])
		}
	}
}

func TestWritableAttributes(t *testing.T) {
	if got := (Stage{}).WritableAttributes(); !slices.Equal(got, []string{"email", "name"}) {
		t.Errorf("without providers: %v", got)
	}
	s := Stage{IdentityProviders: []IdentityProvider{
		{Type: IdPGoogle},
		{Type: IdPOIDC, AttributeMapping: map[string]string{"email": "mail", "name": "cn", "locale": "lang", "preferred_username": "uid"}},
	}}
	// What a provider maps, Cognito writes through the client at each federated sign-in.
	if got, want := s.WritableAttributes(), []string{"email", "locale", "name", "preferred_username"}; !slices.Equal(got, want) {
		t.Errorf("with providers: %v, want %v", got, want)
	}
}

func TestPoolRegionsForSES(t *testing.T) {
	if got := PoolRegionsForSES("eu-west-3"); !slices.Equal(got, []string{"eu-west-3"}) {
		t.Errorf("eu-west-3: %v", got)
	}
	got := PoolRegionsForSES("eu-west-1")
	for _, r := range []string{"eu-west-1", "eu-central-1", "us-east-2"} {
		if !slices.Contains(got, r) {
			t.Errorf("a pool in %s may use SES in eu-west-1 (developer guide), got %v", r, got)
		}
	}
	if slices.Contains(got, "eu-west-3") || slices.Contains(got, "us-west-1") {
		t.Errorf("pools in Paris and N. California use SES in their own Region only, got %v", got)
	}
}

func TestSAMLMetadata(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "good.xml"), []byte(`<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata"/>`), 0o600)
	os.WriteFile(filepath.Join(dir, "bad.xml"), []byte(`<html/>`), 0o600)
	cfg := Config{StageName: "dev", Stage: Stage{IdentityProviders: []IdentityProvider{
		{Type: IdPSAML, Name: "good", MetadataFile: "good.xml"},
		{Type: IdPSAML, Name: "url", MetadataURL: "https://idp.acme.io/m"},
	}}}
	got, err := cfg.SAMLMetadata(dir)
	if err != nil || len(got) != 1 || !strings.Contains(got["good"], "EntityDescriptor") {
		t.Fatalf("got %v, %v", got, err)
	}
	cfg.IdentityProviders = append(cfg.IdentityProviders, IdentityProvider{Type: IdPSAML, Name: "bad", MetadataFile: "bad.xml"},
		IdentityProvider{Type: IdPSAML, Name: "gone", MetadataFile: "gone.xml"})
	_, err = cfg.SAMLMetadata(dir)
	for _, want := range []string{`stages.dev.identityProviders[2].metadataFile: got "bad.xml"; want SAML metadata XML`,
		`stages.dev.identityProviders[3].metadataFile: got "gone.xml"; want a readable SAML metadata file`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}

// Every sign-in problem is reported in one run, each naming its key.
func TestSignInProblemsAtOnce(t *testing.T) {
	_, err := Load(withDev(t, func(d map[string]any) {
		d["email"] = map[string]any{"sender": "ses", "from": "nobody"}
		d["identityProviders"] = []any{
			map[string]any{"type": "github"},
			map[string]any{"type": "google", "clientSecret": "literal"},
			map[string]any{"type": "oidc", "name": "okta", "clientId": "a", "clientSecret": secretRef("s", "f"), "issuer": "http://x"},
			map[string]any{"type": "saml", "name": "entra", "attributeMapping": map[string]any{"email": "mail"}},
		}
	}))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{
		"stages.dev.email.from:",
		"stages.dev.identityProviders[0].type:",
		"stages.dev.identityProviders[1].clientSecret: got a string",
		"stages.dev.identityProviders[1].clientId:",
		"stages.dev.identityProviders[2].issuer:",
		"stages.dev.identityProviders[3].metadataUrl:",
		`stages.dev.identityProviders[3].attributeMapping: got {"email":"mail"}; want "name" mapped`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("lacks %q:\n%s", want, err)
		}
	}
	if strings.Contains(err.Error(), "literal") {
		t.Errorf("repeats the secret:\n%s", err)
	}
}

// A literal secret is reported once, by the decoder, not again as a missing reference.
func TestLiteralSecretReportedOnce(t *testing.T) {
	_, err := Load(withDev(t, provider(map[string]any{"clientSecret": "literal"})))
	if err == nil {
		t.Fatal("accepted")
	}
	if n := strings.Count(err.Error(), "identityProviders[0].clientSecret"); n != 1 {
		t.Errorf("clientSecret reported %d times:\n%s", n, err)
	}
}
