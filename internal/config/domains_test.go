package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/problem"
)

const (
	loginCert = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
	apiCert   = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
	zoneID    = "Z0123456789ABCDEFGHIJ"
)

// domain is a domain setting as cdk.json holds it.
func domain(name, cert, zone string) string {
	return fmt.Sprintf(`{"name": %q, "certificateArn": %q, "hostedZoneId": %q}`, name, cert, zone)
}

func TestDomainsLoad(t *testing.T) {
	// GIVEN a stage with both domains, the API's without a hosted zone
	cfg, problems := loadStage(t, `{"loginDomain": `+domain("auth.acme.io", loginCert, zoneID)+`, "apiDomain": {"name": "api.acme.io", "certificateArn": "`+apiCert+`"}}`)
	checkProblems(t, problems, nil)
	// THEN both are read as written
	if want := (CustomDomain{Name: "auth.acme.io", CertificateARN: loginCert, HostedZoneID: zoneID}); cfg.LoginDomain == nil || *cfg.LoginDomain != want {
		t.Errorf("loginDomain %+v, want %+v", cfg.LoginDomain, want)
	}
	if cfg.APIDomain == nil || cfg.APIDomain.HostedZoneID != "" || cfg.APIDomain.CertificateRegion() != "eu-west-1" || cfg.APIDomain.URL() != "https://api.acme.io" {
		t.Errorf("apiDomain %+v", cfg.APIDomain)
	}
	// AND a stage without them has none
	if cfg, _ := loadStage(t, `{}`); cfg.LoginDomain != nil || cfg.APIDomain != nil {
		t.Errorf("domains %+v, %+v by default, want none", cfg.LoginDomain, cfg.APIDomain)
	}
}

func TestBadDomains(t *testing.T) {
	const login, api = "stages.dev.loginDomain.", "stages.dev.apiDomain."
	x := func(n int) string { return strings.Repeat("x", n) }
	// a host name of n characters under acme.io, in labels of at most 63
	host := func(n int) string {
		var labels []string
		for rest := n - len(".acme.io"); rest > 0; {
			l := min(rest, 63)
			if rest-l == 1 { // one character left would need a dot and an empty label
				l--
			}
			labels = append(labels, x(l))
			if rest -= l; rest > 0 {
				rest-- // the dot
			}
		}
		name := strings.Join(labels, ".") + ".acme.io"
		if len(name) != n {
			t.Fatalf("host(%d) has %d characters", n, len(name))
		}
		return name
	}
	for _, tc := range []struct {
		name, login, api string
		want             []string
	}{
		// names
		{name: "a URL", login: domain("https://auth.acme.io/", loginCert, ""),
			want: []string{login + `name: got "https://auth.acme.io/"; want the host name alone, without scheme, port or path; did you mean "auth.acme.io"?`}},
		{name: "a port", api: domain("api.acme.io:443", apiCert, ""),
			want: []string{api + `name: got "api.acme.io:443"; want the host name alone, without scheme, port or path`}},
		{name: "upper case", login: domain("Auth.Acme.io", loginCert, ""),
			want: []string{login + `name: got "Auth.Acme.io"; want lower case; did you mean "auth.acme.io"?`}},
		{name: "final dot", login: domain("auth.acme.io.", loginCert, ""),
			want: []string{login + `name: got "auth.acme.io."; want it without the final dot; did you mean "auth.acme.io"?`}},
		{name: "one label", login: domain("localhost", loginCert, ""),
			want: []string{login + `name: got "localhost"; want a host name such as auth.example.com: at least two labels`}},
		{name: "empty", api: domain("", apiCert, ""),
			want: []string{api + `name: got ""; want a host name such as auth.example.com`}},
		{name: "empty label", api: domain("api..acme.io", apiCert, ""),
			want: []string{api + `name: got "api..acme.io"; want a host name such as auth.example.com: at least two labels`}},
		{name: "hyphen at a label's end", api: domain("api-.acme.io", apiCert, ""),
			want: []string{api + `name: got "api-.acme.io"; want a host name`}},
		{name: "wildcard", api: domain("*.acme.io", apiCert, ""),
			want: []string{api + `name: got "*.acme.io"; want a host name`}},
		{name: "underscore", api: domain("my_api.acme.io", apiCert, ""),
			want: []string{api + `name: got "my_api.acme.io"; want a host name`}},
		{name: "label of 63", api: domain(x(63)+".acme.io", apiCert, "")},
		{name: "label of 64", api: domain(x(64)+".acme.io", apiCert, ""),
			want: []string{api + `name: got "` + x(64) + `.acme.io"; want a host name`}},
		{name: "login name of 63", login: domain(host(63), loginCert, "")},
		{name: "login name of 64", login: domain(host(64), loginCert, ""),
			want: []string{login + `name: got "` + host(64) + `"; want at most 63 characters (Cognito's limit for a user pool domain), it has 64`}},
		{name: "API name of 253", api: domain(host(253), apiCert, "")},
		{name: "API name of 254", api: domain(host(254), apiCert, ""),
			want: []string{api + `name: got ` + problem.Show(host(254)) + `; want at most 253 characters (the limit of a DNS name), it has 254`}},
		{name: "the prefix domain", login: domain("acme.auth.eu-west-1.amazoncognito.com", loginCert, ""),
			want: []string{login + `name: got "acme.auth.eu-west-1.amazoncognito.com"; want a domain of your own: <prefix>.auth.<region>.amazoncognito.com is the prefix domain, which domainPrefix sets`}},
		{name: "the execute-api domain", api: domain("abc123.execute-api.eu-west-1.amazonaws.com", apiCert, ""),
			want: []string{api + `name: got "abc123.execute-api.eu-west-1.amazonaws.com"; want a domain of your own, not one of AWS's`}},
		{name: "one name for both", login: domain("acme.io", loginCert, ""), api: domain("acme.io", apiCert, ""),
			want: []string{api + `name: got "acme.io"; want a host name other than loginDomain.name: managed login and the API cannot share one`}},

		// certificates
		{name: "login certificate in another Region", login: domain("auth.acme.io", apiCert, ""),
			want: []string{login + `certificateArn: got ` + problem.Show(apiCert) + `; want a certificate in us-east-1, not eu-west-1: Cognito serves a custom domain through CloudFront, which takes certificates from us-east-1 only`}},
		{name: "API certificate in us-east-1", api: domain("api.acme.io", loginCert, "")},
		{name: "China partition", api: domain("api.acme.io", "arn:aws-cn:acm:cn-north-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789", "")},
		{name: "not ACM", api: domain("api.acme.io", "arn:aws:iam::123456789012:server-certificate/api", ""),
			want: []string{api + `certificateArn: got "arn:aws:iam::123456789012:server-certificate/api"; want a certificate from AWS Certificate Manager (an arn:aws:acm:us-east-1:123456789012:certificate/<id> ARN), not an ARN of iam`}},
		{name: "not an ARN", login: domain("auth.acme.io", "0a1b2c3d-4e5f-6789-abcd-ef0123456789", ""),
			want: []string{login + `certificateArn: got "0a1b2c3d-4e5f-6789-abcd-ef0123456789"; want an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<id>`}},
		{name: "empty certificate", api: `{"name": "api.acme.io"}`,
			want: []string{api + `certificateArn: got ""; want an ACM certificate ARN`}},
		{name: "short account", api: domain("api.acme.io", "arn:aws:acm:eu-west-1:12345678901:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789", ""),
			want: []string{api + `certificateArn: got "arn:aws:acm:eu-west-1:12345678901:certificate/`}},
		{name: "ACM but not a certificate id", api: domain("api.acme.io", "arn:aws:acm:eu-west-1:123456789012:certificate/api", ""),
			want: []string{api + `certificateArn: got "arn:aws:acm:eu-west-1:123456789012:certificate/api"; want an ACM certificate ARN`}},

		// hosted zones
		{name: "zone id of 32", api: domain("api.acme.io", apiCert, "Z"+strings.Repeat("A", 31))},
		{name: "zone id of 33", api: domain("api.acme.io", apiCert, "Z"+strings.Repeat("A", 32)),
			want: []string{api + `hostedZoneId: got "Z` + strings.Repeat("A", 32) + `"; want a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ`}},
		{name: "zone id of 2", login: domain("auth.acme.io", loginCert, "Z1")},
		{name: "zone id of 1", login: domain("auth.acme.io", loginCert, "Z"),
			want: []string{login + `hostedZoneId: got "Z"; want a Route 53 hosted zone id`}},
		{name: "zone id in lower case", login: domain("auth.acme.io", loginCert, "z0123456789abc"),
			want: []string{login + `hostedZoneId: got "z0123456789abc"; want a Route 53 hosted zone id`}},
		{name: "zone path", login: domain("auth.acme.io", loginCert, "/hostedzone/"+zoneID),
			want: []string{login + `hostedZoneId: got "/hostedzone/` + zoneID + `"; want the id alone; did you mean "` + zoneID + `"?`}},

		// shape
		{name: "unknown key", login: `{"name": "auth.acme.io", "certificateArn": "` + loginCert + `", "zone": "` + zoneID + `"}`,
			want: []string{login + `zone: unknown setting; want one of certificateArn, hostedZoneId, name`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var settings []string
			if tc.login != "" {
				settings = append(settings, `"loginDomain": `+tc.login)
			}
			if tc.api != "" {
				settings = append(settings, `"apiDomain": `+tc.api)
			}
			_, problems := loadStage(t, `{`+strings.Join(settings, ", ")+`}`)
			checkProblems(t, problems, tc.want)
		})
	}
}

// Every domain problem at once.
func TestDomainProblemsAtOnce(t *testing.T) {
	_, problems := loadStage(t, `{"loginDomain": `+domain("Auth.acme.io", apiCert, "zone")+`, "apiDomain": `+domain("api", "cert", "/hostedzone/Z1")+`}`)
	checkProblems(t, problems, []string{
		`stages.dev.loginDomain.name: got "Auth.acme.io"`,
		`stages.dev.loginDomain.certificateArn: got ` + problem.Show(apiCert),
		`stages.dev.loginDomain.hostedZoneId: got "zone"`,
		`stages.dev.apiDomain.name: got "api"`,
		`stages.dev.apiDomain.certificateArn: got "cert"`,
		`stages.dev.apiDomain.hostedZoneId: got "/hostedzone/Z1"`,
	})
}

// With a login domain, passkeys are bound to it: Cognito wants a custom domain as relying party.
func TestPasskeysFollowLoginDomain(t *testing.T) {
	const rp = "stages.dev.signIn.passkeyRelyingParty: "
	login := `"loginDomain": ` + domain("auth.acme.io", loginCert, "")
	for _, tc := range []struct {
		name, stage string
		want        []string
	}{
		{name: "the default", stage: `{` + login + `, "signIn": {"factors": ["password", "passkey"]}}`},
		{name: "the login domain", stage: `{` + login + `, "signIn": {"factors": ["password", "passkey"], "passkeyRelyingParty": "auth.acme.io"}}`},
		{name: "the prefix domain", stage: `{` + login + `, "domainPrefix": "acme", "signIn": {"factors": ["password", "passkey"], "passkeyRelyingParty": "acme.auth.eu-west-1.amazoncognito.com"}}`,
			want: []string{rp + `got "acme.auth.eu-west-1.amazoncognito.com"; want the stage's login domain, loginDomain.name "auth.acme.io" (leave passkeyRelyingParty out to follow it)`}},
		// A long derived prefix no longer matters: the relying party is the login domain.
		{name: "a long prefix", stage: `{` + login + `, "domainPrefix": "` + strings.Repeat("x", 40) + `", "signIn": {"factors": ["password", "passkey"]}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, problems := loadStage(t, tc.stage)
			checkProblems(t, problems, tc.want)
		})
	}
}

func TestLoginDomainWarning(t *testing.T) {
	login := `"loginDomain": ` + domain("auth.acme.io", loginCert, "")
	google := `"identityProviders": [{"type": "google", "clientId": "id", "clientSecret": {"secretsManager": "s", "field": "f"}}]`
	passkeys := `"signIn": {"factors": ["password", "passkey"]}`
	const where = `stages.dev.loginDomain.name: managed login moves to https://auth.acme.io: `
	for _, tc := range []struct {
		name, stage, want string
	}{
		{name: "providers", stage: `{` + login + `, ` + google + `}`,
			want: where + `each identity provider (Google) must allow https://auth.acme.io/oauth2/idpresponse as redirect URI (and a SAML provider https://auth.acme.io/saml2/idpresponse) (see docs/operations.md, "Your own domains")`},
		{name: "passkeys", stage: `{` + login + `, ` + passkeys + `}`,
			want: where + `passkeys are bound to auth.acme.io, so those users registered on another domain stop working and must register again (see`},
		{name: "both", stage: `{` + login + `, ` + google + `, ` + passkeys + `}`,
			want: where + `each identity provider (Google) must allow https://auth.acme.io/oauth2/idpresponse as redirect URI (and a SAML provider https://auth.acme.io/saml2/idpresponse); passkeys are bound to auth.acme.io`},
		{name: "neither", stage: `{` + login + `}`},
		{name: "no login domain", stage: `{` + google + `, ` + passkeys + `}`},
	} {
		t.Run(tc.name, func(t *testing.T) { checkWarning(t, tc.stage, tc.want) })
	}
}
