package main

import (
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/awsauth/awsauthtest"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

// cdkJSONWithProviders is the project's cdk.json with Google and an OIDC provider named okta
// in the shared defaults.
func cdkJSONWithProviders(t *testing.T) string {
	t.Helper()
	return cdkJSONWithDefaults(t, map[string]any{"identityProviders": testProviders(nil)})
}

// testProviders are Google and an OIDC provider named okta, which owns the given domains.
func testProviders(oktaDomains []any) []any {
	secret := map[string]any{"secretsManager": "demo/idp", "field": "clientSecret"}
	okta := map[string]any{"type": "oidc", "name": "okta", "clientId": "o", "clientSecret": secret, "issuer": "https://acme.okta.com"}
	if oktaDomains != nil {
		okta["identifiers"] = oktaDomains
	}
	return []any{map[string]any{"type": "google", "clientId": "g", "clientSecret": secret}, okta}
}

// cdkJSONWithDefaults is the project's cdk.json with these shared defaults set.
func cdkJSONWithDefaults(t *testing.T, settings map[string]any) string {
	t.Helper()
	return testkit.EditCDKJSON(t, cdkJSON, func(context map[string]any) {
		maps.Copy(context["defaults"].(map[string]any), settings)
	})
}

// On a stage with linkByEmail, a user made for an address a provider is trusted for would
// receive that address's owner at their first sign-in through the provider: create-user
// refuses unless told, and before it calls AWS.
func TestCreateUserLinkTarget(t *testing.T) {
	awsauthtest.NoRegion(t)
	linking := cdkJSONWithDefaults(t, map[string]any{"identityProviders": testProviders([]any{"acme.io"}), "linkByEmail": true})
	noLinking := cdkJSONWithProviders(t)
	deployed := writeOutputs(t, map[string]string{"UserPoolId": "eu-west-1_x"}, nil)
	for _, tc := range []struct {
		cdk, email string
		extra      []string
		code       int
		err        string
	}{
		{linking, "victim@gmail.com", nil, 2, "-email victim@gmail.com: stage dev links Google sign-ins with this address to an existing user (linkByEmail)"},
		{linking, "alice@ACME.io", nil, 2, "stage dev links okta sign-ins with this address"},
		// Past the check, the command goes on to AWS and stops at the missing Region.
		{linking, "victim@gmail.com", []string{"-link-target"}, 2, "no AWS Region"},
		{linking, "bob@other.example", nil, 2, "no AWS Region"},
		{linking, "alice@eu.acme.io", nil, 2, "no AWS Region"},
		{noLinking, "victim@gmail.com", nil, 2, "no AWS Region"},
	} {
		args := append([]string{"create-user", "-cdk-json", tc.cdk, "-email", tc.email, "-password", "Passw0rd!", "-outputs", deployed, "-region", ""}, tc.extra...)
		code, _, stderr := testCLI(t, args...)
		if code != tc.code || !strings.Contains(stderr, tc.err) {
			t.Errorf("%s %v: exit %d, stderr %q; want exit %d and %q", tc.email, tc.extra, code, stderr, tc.code, tc.err)
		}
		if tc.err == "no AWS Region" && strings.Contains(stderr, "linkByEmail") {
			t.Errorf("%s %v: refused as a link target: %s", tc.email, tc.extra, stderr)
		}
	}
}

// login -idp puts identity_provider= in the sign-in URL, so the managed login sends the
// browser straight to that provider.
func TestLoginThroughProvider(t *testing.T) {
	srv := authServer(t)
	redirect := freeLoopbackURL(t)
	var asked string
	browse := func(u string) error {
		parsed, _ := url.Parse(u)
		asked = parsed.Query().Get("identity_provider")
		go func() {
			if resp, err := http.Get(u); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
		return nil
	}
	code, stdout, stderr := testRun{openBrowser: browse}.run(t, "login", "-cdk-json", cdkJSONWithProviders(t), "-idp", "okta",
		"-client-id", "client1", "-domain", srv.URL, "-redirect-uri", redirect, "-format", "env", "-timeout", "10s")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if asked != "okta" || !strings.Contains(stderr, "identity_provider=okta") || !strings.Contains(stdout, "export ID_TOKEN=") {
		t.Errorf("identity_provider %q; stderr %q; stdout %q", asked, stderr, stdout)
	}
}

func TestLoginProviderRefusals(t *testing.T) {
	withIdPs := cdkJSONWithProviders(t)
	domain := []string{"-client-id", "c", "-domain", "https://x.auth.eu-west-1.amazoncognito.com", "-no-browser", "-timeout", "1ms"}
	for _, tc := range []struct {
		cdk, idp, want string
	}{
		{withIdPs, "github", `-idp "github": want one of stage dev's providers: COGNITO, Google, okta`},
		{withIdPs, "google", `-idp "google": did you mean "Google"? (provider names are case-sensitive)`},
		{cdkJSON, "Google", `-idp "Google": stage dev has no identityProviders in cdk.json`},
	} {
		code, _, stderr := testCLI(t, append([]string{"login", "-cdk-json", tc.cdk, "-idp", tc.idp}, domain...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("-idp %s: exit %d: %s\nwant %q", tc.idp, code, stderr, tc.want)
		}
	}
	// COGNITO is the pool's own sign-in page.
	code, _, stderr := testCLI(t, append([]string{"login", "-cdk-json", withIdPs, "-idp", "COGNITO", "-redirect-uri", freeLoopbackURL(t)}, domain...)...)
	if code != 1 || !strings.Contains(stderr, "identity_provider=COGNITO") {
		t.Errorf("-idp COGNITO: exit %d: %s", code, stderr)
	}
}
