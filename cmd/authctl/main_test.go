package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-apigw/cognito-apigw/internal/awsauth/awsauthtest"
	"github.com/cognito-apigw/cognito-apigw/internal/cdkjson"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

const cdkJSON = "../../cdk.json"

// testRun runs authctl with env as its environment and stdin as its input.
type testRun struct {
	env         map[string]string
	stdin       string
	openBrowser func(string) error
}

func (r testRun) run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut strings.Builder
	c := &app{
		stdin: strings.NewReader(r.stdin), stdout: &out, stderr: &errOut,
		getenv:      func(k string) string { return r.env[k] },
		openBrowser: r.openBrowser,
	}
	if c.openBrowser == nil {
		c.openBrowser = func(string) error { return errors.New("no browser in tests") }
	}
	code = c.run(context.Background(), args)
	return code, out.String(), errOut.String()
}

func testCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return testRun{}.run(t, args...)
}

// writeOutputs writes an outputs file for the dev stage and returns its path.
func writeOutputs(t *testing.T, auth, api map[string]string) string {
	t.Helper()
	file := map[string]map[string]string{"demo-api-dev-auth": auth}
	if api != nil {
		file["demo-api-dev-api"] = api
	}
	b, _ := json.Marshal(file)
	path := filepath.Join(t.TempDir(), "outputs.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUsage(t *testing.T) {
	// No Region from the machine's AWS configuration: no case may reach AWS.
	awsauthtest.NoRegion(t)
	missing := filepath.Join(t.TempDir(), "none.json")
	deployed := writeOutputs(t, map[string]string{"UserPoolId": "eu-west-1_x"}, nil)
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{nil, 2, "Usage: authctl COMMAND"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"tokens", "-h"}, 0, "-password-stdin"},
		{[]string{"setup-local", "-h"}, 0, "  -redirect-uri URL\n"},
		{[]string{"tokns"}, 2, `unknown command "tokns"; did you mean "tokens"?`},
		{[]string{"tokens", "-pasword", "x"}, 2, "flag provided but not defined: -pasword"},
		{[]string{"tokens", "-cdk-json", cdkJSON, "-password", "x"}, 2, "-email is required"},
		{[]string{"tokens", "-cdk-json", cdkJSON, "-email", "a@example.com", "-password", "x", "-format", "yaml"}, 2, `-format "yaml": want json or env`},
		{[]string{"tokens", "-cdk-json", cdkJSON, "-email", "a@example.com", "-password", "x", "-flow", "srp"}, 2, `-flow "srp"`},
		{[]string{"tokens", "-cdk-json", cdkJSON, "-email", "a@example.com", "-password", "x", "-outputs", missing}, 2, "does not exist: deploy with `npx cdk deploy --all --outputs-file"},
		{[]string{"tokens", "-cdk-json", cdkJSON, "-email", "a@example.com", "-outputs", deployed}, 2, "-password or -password-stdin is required"},
		{[]string{"tokens", "-cdk-json", cdkJSON, "-email", "a@example.com", "-password", "x", "-outputs", deployed}, 2, "pass -client-id, or an outputs file with ClientId (-outputs FILE): the outputs file " + deployed + " has no ClientId"},
		{[]string{"tokens", "-cdk-json", cdkJSON, "-stage", "prod", "-email", "a@example.com", "-password", "x"}, 1, "stage prod does not enable password sign-in (passwordAuth is false in cdk.json)"},
		{[]string{"tokens", "-stage", "qa", "-cdk-json", cdkJSON, "-email", "a@example.com"}, 2, "want one of the stages in cdk.json: dev, prod"},
		{[]string{"tokens", "-cdk-json", cdkJSON, "stray"}, 2, `unexpected argument "stray"`},
		{[]string{"create-user", "-cdk-json", cdkJSON, "-email", "alice"}, 2, `-email "alice": want an email address`},
		{[]string{"create-user", "-cdk-json", cdkJSON, "-email", "a@example.com", "-password", "short"}, 2, "needs at least 8 characters"},
		{[]string{"create-user", "-cdk-json", cdkJSON, "-email", "a@example.com", "-password", "Passw0rd!", "-group", "ops"}, 2, `-group "ops": the stage defines the groups admin`},
		{[]string{"create-user", "-cdk-json", cdkJSON, "-email", "a@example.com", "-password", "Passw0rd!", "-password-stdin"}, 2, "not both"},
		{[]string{"create-user", "-cdk-json", cdkJSON, "-email", "a@example.com", "-password", "Passw0rd!", "-outputs", missing}, 2, "-outputs:"},
		{[]string{"create-user", "-cdk-json", cdkJSON, "-email", "a@example.com", "-password", "Passw0rd!", "-outputs", deployed, "-region", ""}, 2, "no AWS Region"},
		{[]string{"set-password", "-cdk-json", cdkJSON, "-password", "Passw0rd!"}, 2, "-email is required"},
		{[]string{"setup-local", "-cdk-json", cdkJSON, "-endpoint", "https://cognito-idp.eu-west-1.amazonaws.com"}, 2, "setup-local never creates pools in AWS"},
		{[]string{"setup-local", "-cdk-json", cdkJSON, "-outputs", deployed}, 1, "holds the outputs of a deployed stack (demo-api-dev-auth); choose another -outputs"},
		{[]string{"setup-local", "-cdk-json", cdkJSON, "-dynamodb-endpoint", "https://dynamodb.eu-west-1.amazonaws.com"}, 2, "setup-local never creates tables in AWS"},
		// No local DynamoDB on the port: setup-local stops before it makes a pool.
		{[]string{"setup-local", "-cdk-json", cdkJSON, "-outputs", missing, "-endpoint", "http://127.0.0.1:1", "-dynamodb-endpoint", "http://127.0.0.1:1"}, 1, "is it running? Start it with: npx dynalite"},
		{[]string{"setup-local", "-cdk-json", cdkJSON, "-lambda-url", "http://192.0.2.1:9230"}, 2, "-lambda-url"},
		{[]string{"setup-local", "-cdk-json", cdkJSON, "-lambda-url", "https://127.0.0.1:9230"}, 2, "want a loopback http URL"},
		{[]string{"login", "-cdk-json", cdkJSON, "-outputs", deployed, "-client-id", "c"}, 2, "pass -domain, or an outputs file with ManagedLoginUrl"},
		{[]string{"login", "-cdk-json", cdkJSON, "-client-id", "c", "-domain", "http://auth.example.com"}, 2, "plain http only for a local server"},
		{[]string{"login", "-cdk-json", cdkJSON, "-stage", "prod", "-client-id", "c", "-domain", "https://x.auth.eu-west-1.amazoncognito.com"}, 2, "none of stage prod's callbackUrls is a loopback URL"},
		{[]string{"login", "-cdk-json", cdkJSON, "-client-id", "c", "-domain", "https://x.auth.eu-west-1.amazoncognito.com", "-redirect-uri", "http://localhost/cb"}, 2, "want a loopback URL with a port"},
		{[]string{"call", "-cdk-json", cdkJSON, "-api-url", "http://127.0.0.1:1/"}, 2, "PATH is required"},
		{[]string{"call", "-cdk-json", cdkJSON, "-api-url", "http://127.0.0.1:1/", "me"}, 2, `PATH "me": want a path such as /me`},
		{[]string{"call", "-cdk-json", cdkJSON, "-api-url", "http://127.0.0.1:1/", "/me", "/other"}, 2, `unexpected argument "/other"`},
		{[]string{"call", "-cdk-json", cdkJSON, "-outputs", deployed, "/me"}, 2, "pass -api-url, or an outputs file with ApiUrl"},
	}
	for _, tt := range tests {
		code, _, stderr := testRun{env: map[string]string{}}.run(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.err) {
			t.Errorf("%v:\nexit %d, stderr %q\nwant exit %d and %q", tt.args, code, stderr, tt.code, tt.err)
		}
	}
	if code, stdout, _ := testCLI(t, "help"); code != 0 || !strings.Contains(stdout, "setup-local") {
		t.Errorf("help: exit %d, %q", code, stdout)
	}
}

func TestPasswordFromStdin(t *testing.T) {
	c := &app{stdin: strings.NewReader("Passw0rd! x\r\nrest\n")}
	if p, err := c.password(passwordFlags{stdin: true}); err != nil || p != "Passw0rd! x" {
		t.Errorf("got %q, %v", p, err)
	}
	c = &app{stdin: strings.NewReader("")}
	if _, err := c.password(passwordFlags{stdin: true}); err == nil {
		t.Error("empty stdin accepted")
	}
}

func TestCheckPassword(t *testing.T) {
	strict := config.PasswordPolicy{MinLength: 8, RequireLowercase: true, RequireUppercase: true, RequireDigits: true, RequireSymbols: true}
	tests := []struct {
		password string
		policy   config.PasswordPolicy
		want     string // "" for accepted
	}{
		{"Passw0rd!", strict, ""},
		{"Passw0rd pass", strict, ""}, // an inner space counts as a symbol
		{"Pässw0rd=", strict, ""},
		{"passw0rd!", strict, "an upper-case letter"},
		{"PASSW0RD!", strict, "a lower-case letter"},
		{"Password!", strict, "a digit"},
		{"Passw0rdX", strict, "a symbol"},
		{"Pa0!", strict, "at least 8 characters"},
		{" Passw0rd!", strict, "no leading or trailing space"},
		{"abc", config.PasswordPolicy{MinLength: 3}, ""},
	}
	for _, tt := range tests {
		err := checkPassword(tt.password, tt.policy)
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%q: got %v, want %q", tt.password, err, tt.want)
		}
	}
}

// RFC 7636 appendix B.
func TestPKCE(t *testing.T) {
	if got := s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); got != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Errorf("challenge %s", got)
	}
	a, b := newPKCE(), newPKCE()
	if len(a.verifier) != 43 || a.verifier == b.verifier || a.challenge != s256(a.verifier) {
		t.Errorf("verifiers %q %q", a.verifier, b.verifier)
	}
	for _, r := range a.verifier {
		if !strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~", r) {
			t.Errorf("verifier character %q outside RFC 7636's set", r)
		}
	}
}

func TestWriteTokens(t *testing.T) {
	ts := tokenSet{IDToken: "h.p.s", AccessToken: "a.b.c", RefreshToken: "r'x", ExpiresIn: 3600, TokenType: "Bearer"}
	var b strings.Builder
	if err := writeTokens(&b, "env", ts); err != nil {
		t.Fatal(err)
	}
	want := "export ID_TOKEN='h.p.s'\nexport ACCESS_TOKEN='a.b.c'\nexport REFRESH_TOKEN='r'\\''x'\n"
	if b.String() != want {
		t.Errorf("env:\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	writeTokens(&b, "env", tokenSet{IDToken: "i", AccessToken: "a"})
	if strings.Contains(b.String(), "REFRESH_TOKEN") {
		t.Errorf("no refresh token, yet:\n%s", b.String())
	}
	b.Reset()
	writeTokens(&b, "json", ts)
	var back map[string]any
	if err := json.Unmarshal([]byte(b.String()), &back); err != nil || back["id_token"] != "h.p.s" || back["expires_in"] != 3600.0 || back["token_type"] != "Bearer" {
		t.Errorf("json %s: %v", b.String(), err)
	}
}

func TestRedirects(t *testing.T) {
	for u, ok := range map[string]bool{
		"http://localhost:3000/auth/callback": true,
		"http://127.0.0.1:8976/cb":            true,
		"http://[::1]:8976/cb":                true,
		"http://localhost/cb":                 false, // authctl must know the port to listen on
		"https://localhost:3000/cb":           false, // it serves no TLS
		"http://app.example.com:3000/cb":      false,
		"myapp://callback":                    false,
	} {
		if err := checkRedirect(u); (err == nil) != ok {
			t.Errorf("%s: %v", u, err)
		}
	}
	for _, tc := range []struct {
		name      string
		callbacks []string
		want      string
	}{
		// The web app's callback comes first in the dev stage; authctl must not take its port.
		{"own callback registered", []string{"http://localhost:3000/auth/callback", LoginCallback}, LoginCallback},
		{"only the app's", []string{"https://app.example.com/cb", "myapp://cb", "http://localhost:3000/auth/callback"}, "http://localhost:3000/auth/callback"},
		{"no loopback callback", []string{"https://app.example.com/cb"}, ""},
	} {
		if got := defaultRedirect(tc.callbacks); got != tc.want {
			t.Errorf("%s: default redirect %q; want %q", tc.name, got, tc.want)
		}
	}
}

// The dev stage in cdk.json registers authctl's own callback, apart from the web app's.
func TestDevStageLoginCallback(t *testing.T) {
	cfg, err := cdkjson.Load(cdkJSON, "dev")
	if err != nil {
		t.Fatal(err)
	}
	if got := defaultRedirect(cfg.CallbackURLs); got != LoginCallback {
		t.Errorf("authctl login's default redirect for dev is %q; want %q (add it to stages.dev.callbackUrls)", got, LoginCallback)
	}
}

// TestLocalPoolTrigger: a stage with groupScopes gets its pre token generation trigger (event
// version 2, as the auth stack gives it) at cmd/local's Invoke URL; without one, none.
func TestLocalPoolTrigger(t *testing.T) {
	cfg, err := cdkjson.Load(cdkJSON, "dev")
	if err != nil {
		t.Fatal(err)
	}
	in := localPoolInput(cfg, "http://127.0.0.1:9230")
	got := in.LambdaConfig.PreTokenGenerationConfig
	if got == nil || aws.ToString(got.LambdaArn) != "http://127.0.0.1:9230/2015-03-31/functions/demo-api-dev-pretoken/invocations" || got.LambdaVersion != types.PreTokenGenerationLambdaVersionTypeV20 {
		t.Errorf("pre token generation config %+v", got)
	}
	if in := localPoolInput(cfg, ""); in.LambdaConfig != nil {
		t.Errorf("without a URL: LambdaConfig %+v, want none", in.LambdaConfig)
	}
}

func TestLocalCallbacks(t *testing.T) {
	for _, tc := range []struct {
		name         string
		stage, extra []string
		want         []string
	}{
		{"stage without authctl's", []string{"https://app.example.com/cb"}, nil, []string{"https://app.example.com/cb", LoginCallback}},
		{"stage with it, extra repeated", []string{"http://localhost:3000/auth/callback", LoginCallback}, []string{"http://127.0.0.1:9/cb", "http://127.0.0.1:9/cb"},
			[]string{"http://localhost:3000/auth/callback", LoginCallback, "http://127.0.0.1:9/cb"}},
	} {
		if got := localCallbacks(tc.stage, tc.extra); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v; want %v", tc.name, got, tc.want)
		}
	}
}

// freeLoopbackURL returns a callback URL on a port nothing listens on.
func freeLoopbackURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return "http://" + ln.Addr().String() + "/auth/callback"
}

// authServer is a fake managed-login domain: its token endpoint checks the PKCE verifier
// against the challenge the browser brought to /oauth2/authorize.
func authServer(t *testing.T) *httptest.Server {
	t.Helper()
	var challenge string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/oauth2/authorize":
			q := r.URL.Query()
			if q.Get("code_challenge_method") != "S256" || q.Get("response_type") != "code" || q.Get("client_id") != "client1" ||
				// The web client's scopes: not demo-api/write, which only the admin group gets.
				q.Get("scope") != "openid email profile demo-api/read" {
				http.Error(w, "bad authorize request: "+r.URL.RawQuery, 400)
				return
			}
			challenge = q.Get("code_challenge")
			to, _ := url.Parse(q.Get("redirect_uri"))
			to.RawQuery = url.Values{"code": {"code1"}, "state": {q.Get("state")}}.Encode()
			http.Redirect(w, r, to.String(), http.StatusFound)
		case "/oauth2/token":
			r.ParseForm()
			if r.PostForm.Get("grant_type") != "authorization_code" || r.PostForm.Get("code") != "code1" || s256(r.PostForm.Get("code_verifier")) != challenge {
				w.WriteHeader(400)
				io.WriteString(w, `{"error":"invalid_grant","error_description":"code_verifier does not match"}`)
				return
			}
			io.WriteString(w, `{"id_token":"i.d.t","access_token":"a.c.t","refresh_token":"r.e.f","expires_in":3600,"token_type":"Bearer"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestLogin(t *testing.T) {
	srv := authServer(t)
	redirect := freeLoopbackURL(t)
	// The "browser" follows the redirects from the sign-in URL to authctl's listener, and must
	// get its page even though authctl exits right after.
	page := make(chan string, 1)
	browse := func(u string) error {
		go func() {
			resp, err := http.Get(u)
			if err != nil {
				page <- err.Error()
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			page <- string(b)
		}()
		return nil
	}
	code, stdout, stderr := testRun{openBrowser: browse}.run(t, "login", "-cdk-json", cdkJSON, "-client-id", "client1",
		"-domain", srv.URL, "-redirect-uri", redirect, "-format", "env", "-timeout", "10s")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "export ID_TOKEN='i.d.t'\nexport ACCESS_TOKEN='a.c.t'\nexport REFRESH_TOKEN='r.e.f'\n"; stdout != want {
		t.Errorf("stdout %q", stdout)
	}
	if !strings.Contains(stderr, srv.URL+"/oauth2/authorize?") || !strings.Contains(stderr, "Waiting for the redirect to "+redirect) {
		t.Errorf("stderr %q", stderr)
	}
	if p := <-page; !strings.Contains(p, "Signed in.") {
		t.Errorf("the browser got %q", p)
	}
}

// The first federated sign-in after linkByEmail linked the identity fails with Cognito's
// "Already found an entry for username"; authctl starts a new authorization request (new
// state and verifier) once, and the second sign-in's tokens are the result. A second such
// error ends the login, and so does the text without an error (no error, no retry).
func TestLoginSignsInAgainAfterLinking(t *testing.T) {
	for _, tc := range []struct {
		name     string
		failures int
		errParam string // the failing redirects' error=
		wantCode int
		want     string
		requests int
	}{
		{"once", 1, "invalid_request", 0, "signing in again", 2},
		{"twice", 2, "invalid_request", 1, "sign-in failed: invalid_request Already found an entry for username AcmeSSO_1234", 2},
		{"no error", 1, "", 1, "the redirect carried no authorization code", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var states, challenges, verifiers []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				switch r.URL.Path {
				case "/oauth2/authorize":
					q := r.URL.Query()
					states = append(states, q.Get("state"))
					challenges = append(challenges, q.Get("code_challenge"))
					to, _ := url.Parse(q.Get("redirect_uri"))
					v := url.Values{"state": {q.Get("state")}, "code": {"code1"}}
					if len(states) <= tc.failures {
						v = url.Values{"state": {q.Get("state")}, "error_description": {"Already found an entry for username AcmeSSO_1234 "}}
						if tc.errParam != "" {
							v.Set("error", tc.errParam)
						}
					}
					to.RawQuery = v.Encode()
					http.Redirect(w, r, to.String(), http.StatusFound)
				case "/oauth2/token":
					r.ParseForm()
					verifiers = append(verifiers, r.PostForm.Get("code_verifier"))
					io.WriteString(w, `{"id_token":"i.d.t","access_token":"a.c.t","refresh_token":"r.e.f","expires_in":3600,"token_type":"Bearer"}`)
				}
			}))
			defer srv.Close()
			browse := func(u string) error {
				go func() {
					if resp, err := http.Get(u); err == nil {
						resp.Body.Close()
					}
				}()
				return nil
			}
			code, stdout, stderr := testRun{openBrowser: browse}.run(t, "login", "-cdk-json", cdkJSON, "-client-id", "client1",
				"-stage", "prod", "-domain", srv.URL, "-redirect-uri", freeLoopbackURL(t), "-idp", "AcmeSSO", "-timeout", "10s")
			if code != tc.wantCode || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d (want %d), stderr lacks %q: %s", code, tc.wantCode, tc.want, stderr)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(states) != tc.requests || len(challenges) != tc.requests || (tc.requests == 2 && (states[0] == states[1] || challenges[0] == challenges[1])) {
				t.Fatalf("authorize requests with states %q and challenges %q; want %d of each, different", states, challenges, tc.requests)
			}
			// The code of the second request is redeemed with the second request's verifier.
			if tc.wantCode == 0 && (len(verifiers) != 1 || s256(verifiers[0]) != challenges[1] || !strings.Contains(stdout, `"id_token": "i.d.t"`)) {
				t.Errorf("token requests with verifiers %q, stdout %s", verifiers, stdout)
			}
		})
	}
}

func TestLoginRefusals(t *testing.T) {
	srv := authServer(t)
	redirect := freeLoopbackURL(t)
	// A redirect with a foreign state is ignored; an error from the server ends the wait.
	browse := func(u string) error {
		go func() {
			q, _ := url.Parse(u)
			state := q.Query().Get("state")
			if resp, err := http.Get(redirect + "?code=stolen&state=other"); err == nil {
				resp.Body.Close()
			}
			if resp, err := http.Get(redirect + "?error=access_denied&error_description=nope&state=" + url.QueryEscape(state)); err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
	code, _, stderr := testRun{openBrowser: browse}.run(t, "login", "-cdk-json", cdkJSON, "-client-id", "client1",
		"-domain", srv.URL, "-redirect-uri", redirect, "-timeout", "10s")
	if code != 1 || !strings.Contains(stderr, "sign-in failed: access_denied nope") {
		t.Errorf("exit %d: %s", code, stderr)
	}

	code, _, stderr = testCLI(t, "login", "-cdk-json", cdkJSON, "-client-id", "client1", "-domain", srv.URL,
		"-redirect-uri", freeLoopbackURL(t), "-no-browser", "-timeout", "100ms")
	if code != 1 || !strings.Contains(stderr, "no sign-in within 100ms") {
		t.Errorf("timeout: exit %d: %s", code, stderr)
	}
}

func TestExchangeCodeErrors(t *testing.T) {
	srv := authServer(t)
	_, err := exchangeCode(context.Background(), srv.URL+"/oauth2/token", "client1", "code1", "http://127.0.0.1:8976/callback", "wrong")
	if err == nil || !strings.Contains(err.Error(), "400 Bad Request: invalid_grant code_verifier does not match") {
		t.Errorf("got %v", err)
	}
}

func TestCall(t *testing.T) {
	var got *http.Request
	var gotBody string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		if r.Header.Get("Authorization") == "" {
			w.WriteHeader(401)
			io.WriteString(w, `{"message":"Unauthorized"}`)
			return
		}
		io.WriteString(w, `{"ok":true}`)
	}))
	defer api.Close()
	outputsFile := writeOutputs(t, map[string]string{"ClientId": "c"}, map[string]string{"ApiUrl": api.URL + "/dev/"})
	env := map[string]string{"ID_TOKEN": "id.tok.en", "ACCESS_TOKEN": "acc.ess.tok"}

	code, stdout, stderr := testRun{env: env}.run(t, "call", "-cdk-json", cdkJSON, "-outputs", outputsFile, "/me")
	if code != 0 || stdout != "{\"ok\":true}\n" || got.URL.Path != "/dev/me" || got.Header.Get("Authorization") != "Bearer id.tok.en" {
		t.Errorf("exit %d, stdout %q, stderr %q, path %s, auth %q", code, stdout, stderr, got.URL.Path, got.Header.Get("Authorization"))
	}
	code, _, stderr = testRun{env: env}.run(t, "call", "-cdk-json", cdkJSON, "-outputs", outputsFile, "/items", "-access", "-method", "post", "-data", `{"name":"x"}`)
	if code != 0 || got.Method != "POST" || got.Header.Get("Authorization") != "Bearer acc.ess.tok" || gotBody != `{"name":"x"}` || got.Header.Get("Content-Type") != "application/json" {
		t.Errorf("exit %d, %s %s, auth %q, body %q", code, got.Method, got.URL.Path, got.Header.Get("Authorization"), gotBody)
	}
	// A POST gets a new Idempotency-Key, which stderr names for a retry; -idempotency-key sets it.
	key := got.Header.Get("Idempotency-Key")
	if key == "" || !strings.Contains(stderr, "-idempotency-key "+key) {
		t.Errorf("POST: Idempotency-Key %q, stderr %q", key, stderr)
	}
	testRun{env: env}.run(t, "call", "-cdk-json", cdkJSON, "-outputs", outputsFile, "/items", "-access", "-method", "POST", "-data", `{"name":"x"}`)
	if again := got.Header.Get("Idempotency-Key"); again == "" || again == key {
		t.Errorf("a second POST's Idempotency-Key %q; want a new one", again)
	}
	testRun{env: env}.run(t, "call", "-cdk-json", cdkJSON, "-outputs", outputsFile, "/items", "-access", "-method", "POST", "-data", `{"name":"x"}`, "-idempotency-key", key)
	if again := got.Header.Get("Idempotency-Key"); again != key {
		t.Errorf("-idempotency-key %s: sent %q", key, again)
	}
	code, _, _ = testRun{env: env}.run(t, "call", "-cdk-json", cdkJSON, "-outputs", outputsFile, "-token", "flag.tok.en", "/me")
	if code != 0 || got.Header.Get("Authorization") != "Bearer flag.tok.en" || got.Header.Get("Idempotency-Key") != "" {
		t.Errorf("-token: exit %d, auth %q", code, got.Header.Get("Authorization"))
	}
	code, stdout, stderr = testRun{env: map[string]string{}}.run(t, "call", "-cdk-json", cdkJSON, "-outputs", outputsFile, "/me")
	if code != 1 || stdout != "{\"message\":\"Unauthorized\"}\n" || !strings.Contains(stderr, "$ID_TOKEN is empty") || !strings.Contains(stderr, "GET /me: HTTP 401 Unauthorized") {
		t.Errorf("no token: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestCallRefusesPlainHTTP: authctl call sends the bearer token over plain http only to
// loopback, unless told to.
func TestCallRefusesPlainHTTP(t *testing.T) {
	// 127.0.0.2 is loopback to Linux, so the test stays on this machine, but not to the
	// project's loopback rule (Cognito's), so authctl treats it as a remote host.
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	var calls atomic.Int32
	api := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		io.WriteString(w, `{"ok":true}`)
	}))
	api.Listener.Close()
	api.Listener = ln
	api.Start()
	defer api.Close()
	env := map[string]string{"ID_TOKEN": "id.tok.en"}
	outputsFile := writeOutputs(t, map[string]string{"ClientId": "c"}, map[string]string{"ApiUrl": api.URL + "/dev/"})

	code, _, stderr := testRun{env: env}.run(t, "call", "-cdk-json", cdkJSON, "-outputs", outputsFile, "/me")
	if code != 2 || !strings.Contains(stderr, "the bearer token would travel unencrypted") || calls.Load() != 0 {
		t.Errorf("plain http: exit %d, %d calls, stderr %q", code, calls.Load(), stderr)
	}
	code, _, stderr = testRun{env: env}.run(t, "call", "-cdk-json", cdkJSON, "-outputs", outputsFile, "-allow-insecure-http", "/me")
	if code != 0 || calls.Load() != 1 {
		t.Errorf("-allow-insecure-http: exit %d, %d calls, stderr %q", code, calls.Load(), stderr)
	}
	// Without a token there is nothing to protect.
	code, _, stderr = testRun{env: map[string]string{}}.run(t, "call", "-cdk-json", cdkJSON, "-outputs", outputsFile, "/health")
	if code != 0 || calls.Load() != 2 {
		t.Errorf("no token: exit %d, %d calls, stderr %q", code, calls.Load(), stderr)
	}
}

func TestReadCapped(t *testing.T) {
	for n, wantErr := range map[int]bool{0: false, 10: false, 11: true, 1000: true} {
		b, err := readCapped(strings.NewReader(strings.Repeat("x", n)), 10)
		if (err != nil) != wantErr || (!wantErr && len(b) != n) {
			t.Errorf("%d bytes: %d read, %v", n, len(b), err)
		}
	}
}

// The web app retries the same sign-in failure authctl does: one text, in Go and in JavaScript.
func TestLinkedOnFirstSignIn(t *testing.T) {
	for desc, want := range map[string]bool{
		"Already found an entry for username Google_1234 ":                                true,
		"already found an entry for username Google_1234":                                 true,
		"Error in SAML response processing: Already found an entry for username Entra_ab": true,
		"User cancelled": false,
		"":               false,
	} {
		if got := linkedOnFirstSignIn(desc); got != want {
			t.Errorf("linkedOnFirstSignIn(%q) = %v", desc, got)
		}
	}
}

func TestLinkedSignInErrorIsTheWebApps(t *testing.T) {
	js := testkit.ReadFile(t, "../../web/logic.js")
	if want := fmt.Sprintf("export const linkedSignInError = %q;", linkedSignInError); !strings.Contains(string(js), want) {
		t.Errorf("web/logic.js lacks %s", want)
	}
}

// TestSetupLocalTable: setup-local makes the items table on the local DynamoDB, keeps it (and
// its items) when run again, and records it in the outputs file (cognito-local's part is
// the end-to-end test's).
func TestSetupLocalTable(t *testing.T) {
	endpoint := testkit.Dynalite(t)
	var stderr bytes.Buffer
	a := &app{stderr: &stderr}
	for _, want := range []string{"created the items table demo-api-dev-items", "kept the existing items table demo-api-dev-items"} {
		table, err := a.createLocalTable(t.Context(), endpoint, names.ItemsTable("demo-api", "dev"))
		if err != nil || table.name != "demo-api-dev-items" || table.endpoint != endpoint || !strings.Contains(stderr.String(), want) {
			t.Fatalf("createLocalTable: %+v, %v; stderr %q, want %q", table, err, stderr.String(), want)
		}
	}
	path := filepath.Join(t.TempDir(), "local-outputs.json")
	s := &settings{endpoint: "http://127.0.0.1:9229"}
	s.Outputs = path
	a.stdout = io.Discard
	cfg, err := cdkjson.Load(cdkJSON, "dev")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.writeLocalOutputs(s, cfg, "local_pool", "client", "", localTable{endpoint: endpoint, name: "demo-api-dev-items"}); err != nil {
		t.Fatal(err)
	}
	out, err := outputs.Read(path, "demo-api", "dev")
	if err != nil || out.ItemsTable != "demo-api-dev-items" || out.DynamoDBEndpoint != endpoint {
		t.Errorf("outputs %+v, %v", out, err)
	}
}
