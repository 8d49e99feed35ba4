package main

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cognito-apigw/cognito-apigw/internal/cdkjson"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
	"github.com/cognito-apigw/cognito-apigw/web"
)

func devConfig(t *testing.T) config.Config {
	t.Helper()
	c, err := cdkjson.Load("../../cdk.json", "dev")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestWebConfig(t *testing.T) {
	cfg := devConfig(t)
	cfg.IdentityProviders = []config.IdentityProvider{{Type: config.IdPGoogle}, {Type: config.IdPOIDC, Name: "AcmeSSO"}}
	const (
		realIssuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc"
		domain     = "https://demo-api-dev-123.auth.eu-west-1.amazoncognito.com"
	)
	for _, tc := range []struct {
		name                  string
		out                   outputs.Stage
		issuer                string
		wantAuthorize, wantTo string
		wantRevoke, wantOut   string
		wantProviders         []string
		wantErr               string
	}{
		{name: "cognito-local from setup-local",
			out:    outputs.Stage{ManagedLoginURL: "http://localhost:9229", CognitoEndpoint: "http://localhost:9229", JWKSURL: "http://localhost:9229/local_x/.well-known/jwks.json"},
			issuer: "http://localhost:9229/local_x", wantAuthorize: "http://localhost:9229/oauth2/authorize", wantTo: "http://localhost:9229/oauth2/token"},
		{name: "deployed pool from cdk-outputs.json",
			out:    outputs.Stage{ManagedLoginURL: domain + "/", JWKSURL: realIssuer + "/.well-known/jwks.json"},
			issuer: realIssuer, wantAuthorize: domain + "/oauth2/authorize", wantTo: domain + "/oauth2/token",
			wantRevoke: domain + "/oauth2/revoke", wantOut: domain + "/logout", wantProviders: []string{"Google", "AcmeSSO"}},
		{name: "loopback issuer without an outputs file",
			issuer: "http://127.0.0.1:9229/local_x", wantAuthorize: "http://127.0.0.1:9229/oauth2/authorize", wantTo: "http://127.0.0.1:9229/oauth2/token"},
		{name: "deployed issuer without an outputs file", issuer: realIssuer, wantErr: "needs the managed-login domain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wc, err := newWebConfig(cfg, tc.out, tc.issuer, "client1", "http://127.0.0.1:8080")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v; want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			md := wc.Metadata
			if md.AuthorizationEndpoint != tc.wantAuthorize || md.TokenEndpoint != tc.wantTo || md.RevocationEndpoint != tc.wantRevoke || wc.LogoutEndpoint != tc.wantOut {
				t.Errorf("endpoints %+v, logout %q", md, wc.LogoutEndpoint)
			}
			if wc.Authority != tc.issuer || md.Issuer != tc.issuer || md.JWKSURI != tc.issuer+"/.well-known/jwks.json" || wc.ClientID != "client1" {
				t.Errorf("issuer, keys or client: %+v", wc)
			}
			// cognito-local federates with nobody: no provider buttons against it.
			if !slices.Equal(wc.IdentityProviders, tc.wantProviders) {
				t.Errorf("identity providers %q, want %q", wc.IdentityProviders, tc.wantProviders)
			}
			if wc.IdentityProviders == nil {
				t.Error("identityProviders is null; the page wants a list")
			}
			// Not demo-api/write: the client does not allow it, only the admin group gets it.
			if wc.Scope != "openid email profile demo-api/read" {
				t.Errorf("scope %q", wc.Scope)
			}
			uses := map[string]string{}
			for _, r := range wc.Routes {
				uses[r.Method+" "+r.Path] = r.TokenUse
			}
			if uses["GET /health"] != "" || uses["GET /me"] != "id" || uses["GET /items"] != "access" || uses["POST /items"] != "access" || uses["GET /admin"] != "id" {
				t.Errorf("token uses from the route table: %v", uses)
			}
		})
	}
}

func TestWebAPIURL(t *testing.T) {
	out := outputs.Stage{APIURL: "https://abc.execute-api.eu-west-1.amazonaws.com/dev/"}
	for _, tc := range []struct {
		flag    string
		out     outputs.Stage
		want    string
		wantErr string
	}{
		{flag: "local", want: "http://127.0.0.1:8080"},
		{flag: "deployed", out: out, want: "https://abc.execute-api.eu-west-1.amazonaws.com/dev"},
		{flag: "deployed", wantErr: "has no ApiUrl"},
		{flag: "https://api.example.com/v1/", want: "https://api.example.com/v1"},
		{flag: "http://localhost:9000", want: "http://localhost:9000"},
		{flag: "http://api.example.com", wantErr: "https, or http on loopback"},
		{flag: "https://api.example.com/?x=1", wantErr: "want local, deployed"},
		{flag: "remote", wantErr: "want local, deployed"},
	} {
		got, err := webAPIURL(tc.flag, "http://127.0.0.1:8080", tc.out)
		if got != tc.want || (err == nil) != (tc.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%s: %q, %v; want %q, %q", tc.flag, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestWebWarnings(t *testing.T) {
	cfg := devConfig(t)
	if w := webWarnings(cfg, "http://localhost:3000"); len(w) != 0 {
		t.Errorf("the dev stage's own origin: %v", w)
	}
	w := strings.Join(webWarnings(cfg, "http://localhost:4000"), "\n")
	for _, want := range []string{
		"does not register the callback URL http://localhost:4000/auth/callback",
		"does not register the sign-out URL http://localhost:4000",
		"does not allow the origin http://localhost:4000 in cors.allowOrigins",
	} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
}

func TestContentSecurityPolicy(t *testing.T) {
	csp := contentSecurityPolicy(webConfig{APIURL: "http://127.0.0.1:8080", Metadata: webMetadata{
		TokenEndpoint: "https://d.auth.eu-west-1.amazoncognito.com/oauth2/token", RevocationEndpoint: "https://d.auth.eu-west-1.amazoncognito.com/oauth2/revoke",
	}})
	for _, want := range []string{"default-src 'none'", "script-src 'self';", "connect-src 'self' http://127.0.0.1:8080 https://d.auth.eu-west-1.amazoncognito.com;", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
}

// TestServeWeb runs the server with the web app on and checks what the browser gets.
func TestServeWeb(t *testing.T) {
	is := testkit.New(t, pool)
	lib := filepath.Join(t.TempDir(), "oidc-client-ts.min.js")
	os.WriteFile(lib, []byte("var oidc = {};"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &testkit.SyncBuffer{}
	urls := make(chan [2]string, 1)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-cdk-json", "../../cdk.json", "-addr", "127.0.0.1:0", "-web", "localhost:0", "-web-lib", lib,
			"-issuer", is.Issuer(), "-client-id", client}, stderr, func(api, web string) { urls <- [2]string{api, web} })
	}()
	var apiAddr, base string
	select {
	case u := <-urls:
		apiAddr, base = u[0], strings.TrimSuffix(u[1], "/")
	case code := <-done:
		t.Fatalf("exit %d: %s", code, stderr)
	case <-time.After(10 * time.Second):
		t.Fatal("server did not start")
	}
	if !strings.HasPrefix(base, "http://localhost:") {
		t.Fatalf("web URL %q; want http://localhost:<port>, the host as given", base)
	}
	fetch := func(method, path string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	index, _ := fs.ReadFile(web.Files, web.Index)
	for _, path := range []string{"/", "/auth/callback?code=c&state=s"} {
		resp, body := fetch("GET", path)
		if resp.StatusCode != 200 || body != string(index) || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self' http://"+apiAddr+" "+strings.TrimSuffix(is.Issuer(), "/"+pool)) {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if resp.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: Referrer-Policy %q", path, resp.Header.Get("Referrer-Policy"))
		}
	}
	resp, body := fetch("GET", "/config.json")
	var wc webConfig
	if err := json.Unmarshal([]byte(body), &wc); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/config.json: %d %s", resp.StatusCode, body)
	}
	if wc.APIURL != "http://"+apiAddr || wc.ClientID != client || wc.Authority != is.Issuer() || wc.Metadata.TokenEndpoint == "" {
		t.Errorf("/config.json: %+v", wc)
	}
	for path, want := range map[string]string{"/app.js": "text/javascript", "/logic.js": "text/javascript", "/style.css": "text/css", web.LibraryPath: "text/javascript"} {
		if resp, _ := fetch("GET", path); resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), want) {
			t.Errorf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	for _, path := range []string{"/logic.test.js", "/embed.go", "/package.json", "/../cdk.json", "/vendor/"} {
		if resp, _ := fetch("GET", path); resp.StatusCode != 404 {
			t.Errorf("%s: %d; want 404", path, resp.StatusCode)
		}
	}
	if resp, _ := fetch("POST", "/"); resp.StatusCode != 405 {
		t.Errorf("POST /: %d", resp.StatusCode)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d: %s", code, stderr)
	}
	logs := stderr.String()
	for _, want := range []string{"msg=\"serving web app\" url=" + base + "/ api=http://" + apiAddr, "msg=request source=web method=GET path=/auth/callback status=200",
		"does not register the callback URL " + base + "/auth/callback"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "code=c") {
		t.Error("the callback's code reached the log")
	}
}

// The page's own files hold no ids or URLs of a pool or API: those come from /config.json.
func TestWebFilesHoldNoSettings(t *testing.T) {
	entries, _ := fs.ReadDir(web.Files, ".")
	for _, e := range entries {
		b, _ := fs.ReadFile(web.Files, e.Name())
		for _, bad := range []string{"amazoncognito.com", "amazonaws.com", "localhost:9229", "127.0.0.1:8080", "localhost:3000", "localStorage.setItem"} {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s contains %q", e.Name(), bad)
			}
		}
	}
}
