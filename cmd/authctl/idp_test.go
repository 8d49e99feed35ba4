package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cdkJSONWithProviders is the project's cdk.json with Google and an OIDC provider named okta
// in the shared defaults.
func cdkJSONWithProviders(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(cdkJSON)
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]any
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	secret := map[string]any{"secretsManager": "demo/idp", "field": "clientSecret"}
	f["context"].(map[string]any)["defaults"].(map[string]any)["identityProviders"] = []any{
		map[string]any{"type": "google", "clientId": "g", "clientSecret": secret},
		map[string]any{"type": "oidc", "name": "okta", "clientId": "o", "clientSecret": secret, "issuer": "https://acme.okta.com"},
	}
	b, _ = json.Marshal(f)
	path := filepath.Join(t.TempDir(), "cdk.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
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
