package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

// standIn plays what a deployed stage has and cognito-local lacks, on loopback: Cognito's
// admin and sign-in API (the JSON protocol), the login domain (discovery, JWKS, token
// endpoint with refresh and client credentials, revocation) and the API behind API Gateway.
// Tests break one part at a time.
type standIn struct {
	is *testkit.Issuer
	t  *testing.T

	mu                sync.Mutex
	users             map[string]bool // created and not deleted
	created, deleted  []string
	revoked           bool
	ignoreRevoke      bool
	brokenMe          bool
	reflectAnyOrigin  bool
	allowOrigin       string
	onMe              func(r *http.Request) // runs before /me answers
	idToken, access   string
	machine           string
	refresh           string
	requestsByAmzCall map[string]int
}

const standInSecret = "s3cr3t"

func newStandIn(t *testing.T, allowOrigin string) *standIn {
	t.Helper()
	s := &standIn{is: testkit.New(t, "pool"), t: t, users: map[string]bool{}, allowOrigin: allowOrigin, refresh: "refresh-1", requestsByAmzCall: map[string]int{}}
	s.idToken = s.is.Mint(t, s.is.IDClaims("cognito:groups", testkit.Absent))
	s.access = s.is.Mint(t, s.is.AccessClaims("cognito:groups", testkit.Absent, "scope", "aws.cognito.signin.user.admin"))
	s.machine = s.is.Mint(t, s.is.AccessClaims("cognito:groups", testkit.Absent, "client_id", "m2m-id", "scope", "demo-api/read", "username", testkit.Absent, "sub", "m2m-id"))
	s.is.Override(s.serve)
	return s
}

func (s *standIn) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		s.cognito(w, r, strings.TrimPrefix(target, "AWSCognitoIdentityProviderService."))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch p := r.URL.Path; {
	case p == "/pool/.well-known/openid-configuration":
		json.NewEncoder(w).Encode(map[string]string{"issuer": s.is.Issuer(), "jwks_uri": s.is.Issuer() + "/.well-known/jwks.json"})
	case p == "/pool/.well-known/jwks.json":
		w.Write(s.is.JWKS())
	case p == "/oauth2/token":
		s.token(w, r)
	case p == "/oauth2/revoke":
		r.ParseForm()
		if r.PostForm.Get("token") == s.refresh && r.PostForm.Get("client_id") == testkit.ClientID && !s.ignoreRevoke {
			s.revoked = true
		}
	case strings.HasPrefix(p, "/api/"):
		s.api(w, r, strings.TrimPrefix(p, "/api"))
	default:
		http.NotFound(w, r)
	}
}

func (s *standIn) cognito(w http.ResponseWriter, r *http.Request, call string) {
	s.requestsByAmzCall[call]++
	var in map[string]any
	json.NewDecoder(r.Body).Decode(&in)
	user, _ := in["Username"].(string)
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	switch call {
	case "AdminCreateUser":
		s.users[user] = true
		s.created = append(s.created, user)
		json.NewEncoder(w).Encode(map[string]any{"User": map[string]any{"Username": user, "Attributes": []map[string]string{{"Name": "sub", "Value": testkit.Subject}}}})
	case "AdminSetUserPassword":
		io.WriteString(w, "{}")
	case "AdminDeleteUser":
		delete(s.users, user)
		s.deleted = append(s.deleted, user)
		io.WriteString(w, "{}")
	case "InitiateAuth":
		json.NewEncoder(w).Encode(map[string]any{"AuthenticationResult": map[string]any{
			"IdToken": s.idToken, "AccessToken": s.access, "RefreshToken": s.refresh, "ExpiresIn": 3600, "TokenType": "Bearer",
		}})
	case "DescribeUserPoolClient":
		json.NewEncoder(w).Encode(map[string]any{"UserPoolClient": map[string]any{"ClientId": "m2m-id", "ClientSecret": standInSecret}})
	default:
		w.WriteHeader(400)
		io.WriteString(w, `{"__type":"InvalidParameterException","message":"not played by the stand-in"}`)
	}
}

func (s *standIn) token(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	switch r.PostForm.Get("grant_type") {
	case "refresh_token":
		if r.PostForm.Get("refresh_token") != s.refresh || s.revoked {
			w.WriteHeader(400)
			io.WriteString(w, `{"error":"invalid_grant","error_description":"Refresh Token has been revoked"}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"id_token": s.idToken, "access_token": s.access, "expires_in": 3600, "token_type": "Bearer"})
	case "client_credentials":
		if user, pass, _ := r.BasicAuth(); user != "m2m-id" || pass != standInSecret || r.PostForm.Get("scope") != "demo-api/read" {
			w.WriteHeader(400)
			io.WriteString(w, `{"error":"invalid_client"}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"access_token": s.machine, "expires_in": 3600, "token_type": "Bearer"})
	default:
		w.WriteHeader(400)
		io.WriteString(w, `{"error":"unsupported_grant_type"}`)
	}
}

// api answers as API Gateway and the handler do for the tokens the stand-in issued.
func (s *standIn) api(w http.ResponseWriter, r *http.Request, path string) {
	if r.Method == http.MethodOptions {
		allow := s.allowOrigin
		if s.reflectAnyOrigin {
			allow = r.Header.Get("Origin")
		}
		w.Header().Set("Access-Control-Allow-Origin", allow)
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type,Authorization")
		w.WriteHeader(204)
		return
	}
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	unauthorized := func() { w.WriteHeader(401); io.WriteString(w, `{"message":"Unauthorized"}`) }
	switch path {
	case "/health":
		io.WriteString(w, `{"status":"ok"}`)
	case "/me":
		if s.onMe != nil {
			s.mu.Unlock()
			s.onMe(r)
			s.mu.Lock()
		}
		switch {
		case token != s.idToken:
			unauthorized()
		case s.brokenMe:
			w.WriteHeader(500)
			io.WriteString(w, `{"error":{"code":"internal_error","message":"Internal error"}}`)
		default:
			io.WriteString(w, `{"sub":"`+testkit.Subject+`"}`)
		}
	case "/items":
		if token != s.machine { // the user's password sign-in carries no demo-api/read
			unauthorized()
			return
		}
		io.WriteString(w, `{"items":[]}`)
	case "/admin":
		if token != s.idToken {
			unauthorized()
			return
		}
		w.WriteHeader(403)
		io.WriteString(w, `{"error":{"code":"not_in_group","message":"Not in a group allowed here"}}`)
	default:
		http.NotFound(w, r)
	}
}

// outputs writes the outputs file of a deployed stage whose pool and API the stand-in plays.
func (s *standIn) outputs(t *testing.T, stage string) string {
	t.Helper()
	file := map[string]map[string]string{
		"demo-api-" + stage + "-auth": {
			"Region": "eu-west-1", "UserPoolId": "pool", "ClientId": testkit.ClientID, "IssuerUrl": s.is.Issuer(),
			"JwksUrl": s.is.Issuer() + "/.well-known/jwks.json", "ManagedLoginUrl": s.is.URL, "MachineClients": "reporting=m2m-id",
		},
		"demo-api-" + stage + "-api": {"ApiUrl": s.is.URL + "/api/"},
	}
	b, _ := json.Marshal(file)
	path := filepath.Join(t.TempDir(), "outputs.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// smoke runs authctl smoke against the stand-in; -endpoint points the admin API at it (a
// loopback endpoint gets no real credentials).
func (s *standIn) smoke(t *testing.T, ctx context.Context, stage string, flags ...string) (int, string, string) {
	t.Helper()
	var out, errOut strings.Builder
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	code := a.run(ctx, append([]string{"smoke", "-cdk-json", cdkJSON, "-stage", stage, "-outputs", s.outputs(t, stage), "-endpoint", s.is.URL}, flags...))
	return code, out.String(), errOut.String()
}

// passingSmoke runs authctl smoke against a fresh stand-in whose API allows allowOrigin, and
// stops the test unless the check passed; the stand-in is returned for what it recorded.
func passingSmoke(t *testing.T, allowOrigin, stage string, flags ...string) (s *standIn, stdout, stderr string) {
	t.Helper()
	s = newStandIn(t, allowOrigin)
	code, stdout, stderr := s.smoke(t, context.Background(), stage, flags...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	return s, stdout, stderr
}

func (s *standIn) userDeleted(t *testing.T) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.created) != 1 || len(s.users) != 0 || len(s.deleted) != 1 {
		t.Errorf("the throwaway user: created %v, deleted %v, left %v; want one created and deleted", s.created, s.deleted, s.users)
	}
}

func wantLines(t *testing.T, stdout string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(stdout, l) {
			t.Errorf("report lacks %q:\n%s", l, stdout)
		}
	}
}

// TestSmokeDeployedStage walks the journeys cognito-local cannot play (client credentials,
// revocation) against the stand-in, as against a deployed dev stage.
func TestSmokeDeployedStage(t *testing.T) {
	s, stdout, stderr := passingSmoke(t, "http://localhost:3000", "dev")
	wantLines(t, stdout,
		"ok    public route                     GET /health: 200 without a token",
		"ok    discovery document               issuer and jwks_uri match the outputs",
		"ok    JWKS                             1 RS256 key(s)",
		"ok    CORS preflight, allowed origin   OPTIONS /me from http://localhost:3000: 204",
		"ok    CORS preflight, foreign origin   OPTIONS /me from https://smoke-check.invalid: not allowed",
		"ok    sign-in (throwaway user)         created smoke-",
		"ok    signed-in user's /me             GET /me: 200 with the ID token, 401 with the access token",
		// A deployed pool's password sign-in carries no demo-api/read: refused, and said so.
		"skip  scoped route                     GET /items refused the ID token and the password sign-in's access token (401)",
		"ok    refused route                    GET /admin: 403 not_in_group",
		"ok    machine client                   reporting's token (demo-api/read) on GET /items: 200",
		"ok    refresh ",
		"ok    revocation                       the revoked refresh token renews nothing (invalid_grant)",
		"ok    cleanup                          deleted the throwaway user smoke-",
		"smoke check passed: 11 journeys, 1 skipped",
	)
	if strings.Contains(stdout+stderr, standInSecret) {
		t.Error("the machine client's secret was printed")
	}
	s.userDeleted(t)
}

// TestSmokeBrokenJourney: the first broken journey stops the walk with exit 1 and a line that
// names it, and the throwaway user is deleted all the same.
func TestSmokeBrokenJourney(t *testing.T) {
	tests := []struct {
		name    string
		breakIt func(*standIn)
		journey string
	}{
		{"handler fails", func(s *standIn) { s.brokenMe = true }, "signed-in user's /me"},
		{"revocation ignored", func(s *standIn) { s.ignoreRevoke = true }, "revocation"},
		{"any origin allowed", func(s *standIn) { s.reflectAnyOrigin = true }, "CORS preflight, foreign origin"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStandIn(t, "http://localhost:3000")
			tc.breakIt(s)
			code, stdout, stderr := s.smoke(t, context.Background(), "dev")
			if code != 1 || !strings.Contains(stdout, "FAIL  "+tc.journey) || !strings.Contains(stderr, `authctl smoke: journey "`+tc.journey+`" is broken`) {
				t.Fatalf("exit %d; want 1 naming %q\n%s%s", code, tc.journey, stdout, stderr)
			}
			if strings.Contains(stdout, "smoke check passed") {
				t.Error("a broken run says it passed")
			}
			if tc.journey != "CORS preflight, foreign origin" { // broken before any user exists
				s.userDeleted(t)
			}
		})
	}
}

// TestSmokeInterrupted: Ctrl-C (cli.Main cancels the run's context) in the middle of the walk
// still deletes the throwaway user.
func TestSmokeInterrupted(t *testing.T) {
	s := newStandIn(t, "http://localhost:3000")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.onMe = func(r *http.Request) {
		cancel()
		<-r.Context().Done() // the client gives up on the request
	}
	code, stdout, stderr := s.smoke(t, ctx, "dev")
	if code != 1 || !strings.Contains(stderr, `journey "signed-in user's /me" is broken: interrupted`) || !strings.Contains(stdout, "FAIL  signed-in user's /me") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	s.userDeleted(t)
}

// TestSmokeProductionStage: prod turns password sign-in off, so no user is made and the user's
// journeys are skipped with the reason; the machine client's still runs.
func TestSmokeProductionStage(t *testing.T) {
	s, stdout, _ := passingSmoke(t, "https://app.example.com", "prod")
	wantLines(t, stdout,
		"skip  sign-in (throwaway user)         stage prod turns password sign-in off (passwordAuth false)",
		"skip  signed-in user's /me             no signed-in user",
		"skip  revocation                       no signed-in user",
		"ok    CORS preflight, allowed origin   OPTIONS /me from https://app.example.com: 204",
		"ok    machine client                   reporting's token",
		"smoke check passed: 6 journeys, 6 skipped",
	)
	if n := s.requestsByAmzCall["AdminCreateUser"]; n != 0 {
		t.Errorf("AdminCreateUser called %d times on a stage without password sign-in", n)
	}
}

func TestSmokeUsage(t *testing.T) {
	s := newStandIn(t, "http://localhost:3000")
	noAPI := filepath.Join(t.TempDir(), "no-api.json")
	os.WriteFile(noAPI, []byte(`{"demo-api-dev-auth":{"UserPoolId":"pool","ClientId":"c","IssuerUrl":"`+s.is.Issuer()+`"}}`), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-outputs", filepath.Join(t.TempDir(), "none.json")}, "does not exist"},
		{[]string{"-outputs", noAPI}, "no ApiUrl output for stage dev"},
		{[]string{"-outputs", noAPI, "extra"}, `unexpected argument "extra"`},
	} {
		code, _, stderr := testCLI(t, append([]string{"smoke", "-cdk-json", cdkJSON}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %s; want 2 with %q", tc.args, code, stderr, tc.want)
		}
	}
}

// TestSmokeNoAdmin: with -no-admin (credentials without cognito-idp permissions) no admin call
// is made, and the journeys that need one say why they were skipped.
func TestSmokeNoAdmin(t *testing.T) {
	s, stdout, _ := passingSmoke(t, "http://localhost:3000", "dev", "-no-admin")
	wantLines(t, stdout,
		"skip  sign-in (throwaway user)         -no-admin: no throwaway user",
		"skip  machine client                   -no-admin: reading the machine client's secret needs cognito-idp:DescribeUserPoolClient",
		"smoke check passed: 5 journeys, 7 skipped",
	)
	if len(s.requestsByAmzCall) != 0 {
		t.Errorf("admin calls made: %v", s.requestsByAmzCall)
	}
}
