package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// rotatingServer is a token endpoint that rotates refresh tokens, as a client with
// refreshRotation does: each use of a refresh token returns a new one and retires it.
func rotatingServer(t *testing.T, rotate bool) *httptest.Server {
	t.Helper()
	var mu sync.Mutex
	valid := map[string]bool{"r1": true}
	n := 1
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		defer mu.Unlock()
		tok := r.PostForm.Get("refresh_token")
		if r.URL.Path != "/oauth2/token" || r.PostForm.Get("grant_type") != "refresh_token" || r.PostForm.Get("client_id") != "client1" || !valid[tok] {
			w.WriteHeader(400)
			io.WriteString(w, `{"error":"invalid_grant","error_description":"Refresh Token has been revoked"}`)
			return
		}
		reply := map[string]any{"id_token": "i.d.t", "access_token": "a.c.t", "expires_in": 3600, "token_type": "Bearer"}
		if rotate {
			delete(valid, tok)
			n++
			next := "r" + string(rune('0'+n))
			valid[next] = true
			reply["refresh_token"] = next
		}
		json.NewEncoder(w).Encode(reply)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestRefresh(t *testing.T) {
	for _, rotate := range []bool{true, false} {
		srv := rotatingServer(t, rotate)
		outputs := writeOutputs(t, map[string]string{"ClientId": "client1", "ManagedLoginUrl": srv.URL}, nil)
		run := func(refresh string) (int, tokenSet, string) {
			code, stdout, stderr := testRun{env: map[string]string{"REFRESH_TOKEN": refresh}}.run(t, "refresh", "-cdk-json", cdkJSON, "-outputs", outputs)
			var got tokenSet
			json.Unmarshal([]byte(stdout), &got)
			return code, got, stderr
		}
		code, got, stderr := run("r1")
		if code != 0 || got.AccessToken != "a.c.t" || got.IDToken != "i.d.t" {
			t.Fatalf("rotate %v: exit %d, %+v, %s", rotate, code, got, stderr)
		}
		if !rotate {
			if got.RefreshToken != "r1" {
				t.Errorf("without rotation the refresh token stays: got %q", got.RefreshToken)
			}
			continue
		}
		// A rotating client must keep the new refresh token: the old one is gone.
		if got.RefreshToken != "r2" {
			t.Fatalf("rotated refresh token = %q, want r2", got.RefreshToken)
		}
		if code, _, stderr := run("r1"); code != 1 || !strings.Contains(stderr, "invalid_grant") {
			t.Errorf("the retired token: exit %d, %s", code, stderr)
		}
		if code, got, stderr := run("r2"); code != 0 || got.RefreshToken != "r3" {
			t.Errorf("the new token: exit %d, %+v, %s", code, got, stderr)
		}
	}
	noToken := testRun{env: map[string]string{}}
	if code, _, stderr := noToken.run(t, "refresh", "-cdk-json", cdkJSON); code != 2 || !strings.Contains(stderr, "$REFRESH_TOKEN") {
		t.Errorf("no refresh token: exit %d, %s", code, stderr)
	}
}

// cognitoFake answers DescribeUserPoolClient (the Cognito JSON protocol) and the token
// endpoint's client credentials grant for the machine client m2m-id.
func cognitoFake(t *testing.T) *httptest.Server {
	t.Helper()
	const secret = "s3cr3t+/="
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Header.Get("X-Amz-Target") == "AWSCognitoIdentityProviderService.DescribeUserPoolClient":
			var in struct{ UserPoolId, ClientId string }
			json.NewDecoder(r.Body).Decode(&in)
			if in.UserPoolId != "local_pool" || in.ClientId != "m2m-id" {
				w.WriteHeader(400)
				io.WriteString(w, `{"__type":"ResourceNotFoundException","message":"no such client"}`)
				return
			}
			io.WriteString(w, `{"UserPoolClient":{"ClientId":"m2m-id","ClientSecret":"`+secret+`","AllowedOAuthFlows":["client_credentials"]}}`)
		case r.URL.Path == "/oauth2/token":
			r.ParseForm()
			user, pass, ok := r.BasicAuth()
			if !ok || user != "m2m-id" || pass != "s3cr3t%2B%2F%3D" || r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("scope") != "demo-api/read" {
				w.WriteHeader(400)
				io.WriteString(w, `{"error":"invalid_client"}`)
				return
			}
			io.WriteString(w, `{"access_token":"m.a.t","expires_in":3600,"token_type":"Bearer"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// machineClientStage is cognitoFake and the outputs of a stage whose pool it plays, with the
// machine client reporting (m2m-id).
func machineClientStage(t *testing.T) (srv *httptest.Server, outputs string) {
	t.Helper()
	srv = cognitoFake(t)
	return srv, writeOutputs(t, map[string]string{
		"UserPoolId": "local_pool", "ManagedLoginUrl": srv.URL, "MachineClients": "reporting=m2m-id",
	}, nil)
}

func TestMachineToken(t *testing.T) {
	srv, outputs := machineClientStage(t)
	args := []string{"machine-token", "-cdk-json", cdkJSON, "-outputs", outputs, "-endpoint", srv.URL}
	code, stdout, stderr := testCLI(t, append(args, "-client", "reporting")...)
	if code != 0 || !strings.Contains(stdout, `"access_token": "m.a.t"`) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, "s3cr3t") {
		t.Errorf("the client secret was printed: %s %s", stdout, stderr)
	}
	code, stdout, _ = testCLI(t, append(args, "-client", "reporting", "-format", "env")...)
	if code != 0 || stdout != "export ACCESS_TOKEN='m.a.t'\n" {
		t.Errorf("env format: exit %d, %q", code, stdout)
	}
	if code, _, stderr := testCLI(t, append(args, "-client", "reporting", "-format", "yaml")...); code != 2 || !strings.Contains(stderr, `-format "yaml": want json or env`) {
		t.Errorf("bad format: exit %d, %s", code, stderr)
	}
	if code, _, stderr := testCLI(t, append(args, "-client", "billing")...); code != 2 || !strings.Contains(stderr, "want one of stage dev's machineClients: reporting") {
		t.Errorf("unknown client: exit %d, %s", code, stderr)
	}
}

// `authctl tokens -client NAME` gets a machine client's token as machine-token does; it does
// not take a user as well.
func TestTokensForMachineClient(t *testing.T) {
	srv, outputs := machineClientStage(t)
	args := []string{"tokens", "-cdk-json", cdkJSON, "-outputs", outputs, "-endpoint", srv.URL}
	for _, client := range [][]string{{"-client", "reporting"}, {"--client=reporting"}} {
		code, stdout, stderr := testCLI(t, append(append(args, client...), "-format", "env")...)
		if code != 0 || stdout != "export ACCESS_TOKEN='m.a.t'\n" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", client, code, stdout, stderr)
		}
	}
	code, _, stderr := testCLI(t, append(args, "-client", "reporting", "-email", "a@example.com", "-password", "x")...)
	if code != 2 || !strings.Contains(stderr, "-client NAME gets a machine client's token, -email and -password a user's: give one of them") {
		t.Errorf("both: exit %d, %s", code, stderr)
	}
	// A flag of the other mode is refused, not ignored.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-client", "reporting", "-flow", "admin-user-password"}, "-flow is for a user's sign-in"},
		{[]string{"-client", "reporting", "-client-id", "x"}, "-client-id is for a user's sign-in"},
		{[]string{"-email", "a@example.com", "-password", "x", "-scope", "demo-api/read"}, "-scope is for a machine client's token"},
		{[]string{"-email", "a@example.com", "-password", "x", "-domain", srv.URL}, "-domain is for a machine client's token"},
	} {
		code, _, stderr := testCLI(t, append(args, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %s", tc.args, code, stderr)
		}
	}
	if code, stdout, stderr := testCLI(t, "tokens", "-h"); code != 0 || !strings.Contains(stdout+stderr, "authctl tokens -client NAME") {
		t.Errorf("tokens -h does not show -client: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestSecretsStayPrivate: the client secret and the refresh token go to https or loopback only,
// and a redirect from the token endpoint is not followed with them.
func TestSecretsStayPrivate(t *testing.T) {
	outputs := writeOutputs(t, map[string]string{"UserPoolId": "local_pool", "MachineClients": "reporting=m2m-id"}, nil)
	for _, args := range [][]string{
		{"machine-token", "-client", "reporting"},
		{"refresh", "-client-id", "client1", "-refresh-token", "r1"},
	} {
		full := append([]string{args[0], "-cdk-json", cdkJSON, "-outputs", outputs, "-domain", "http://auth.example.com"}, args[1:]...)
		if code, _, stderr := testCLI(t, full...); code != 2 || !strings.Contains(stderr, `-domain "http://auth.example.com": want https://`) {
			t.Errorf("%s over plain http: exit %d, %s", args[0], code, stderr)
		}
	}
	var leaked atomic.Bool
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { leaked.Store(true) }))
	defer elsewhere.Close()
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/oauth2/token", http.StatusTemporaryRedirect)
	}))
	defer redirecting.Close()
	code, _, stderr := testCLI(t, "refresh", "-cdk-json", cdkJSON, "-domain", redirecting.URL, "-client-id", "client1", "-refresh-token", "r1")
	if code != 1 || !strings.Contains(stderr, "307 Temporary Redirect") || leaked.Load() {
		t.Errorf("redirect: exit %d, followed %v, %s", code, leaked.Load(), stderr)
	}
}
