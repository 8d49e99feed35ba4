package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cognito-apigw/cognito-apigw/internal/localdb"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

const (
	pool   = "local_CmdTest"
	client = testkit.ClientID
)

func TestUsageErrors(t *testing.T) {
	issuer := testkit.New(t, pool).Issuer()
	dir := t.TempDir()
	outputsFile := filepath.Join(dir, "outputs.json")
	os.WriteFile(outputsFile, []byte(`{"demo-api-prod-auth": {"UserPoolId": "p"}}`), 0o644)
	cdk := "../../cdk.json"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no issuer", []string{"-cdk-json", cdk, "-client-id", client}, "-issuer is required"},
		{"no client id", []string{"-cdk-json", cdk, "-issuer", issuer, "-client-id", " , "}, "-client-id is required"},
		{"all interfaces", []string{"-cdk-json", cdk, "-issuer", issuer, "-client-id", client, "-addr", ":8080"}, "want a loopback address"},
		{"public address", []string{"-cdk-json", cdk, "-issuer", issuer, "-client-id", client, "-addr", "192.0.2.7:8080"}, "want a loopback address"},
		{"no port", []string{"-cdk-json", cdk, "-issuer", issuer, "-client-id", client, "-addr", "127.0.0.1"}, "want host:port"},
		{"unknown stage", []string{"-cdk-json", cdk, "-stage", "staging", "-issuer", issuer, "-client-id", client}, `want one of the stages in cdk.json: dev, prod`},
		{"no cdk.json", []string{"-cdk-json", filepath.Join(dir, "cdk.json"), "-issuer", issuer, "-client-id", client}, "pass -cdk-json"},
		{"plain http to another host", []string{"-cdk-json", cdk, "-web", "", "-issuer", "http://cognito.example.com/p", "-client-id", client}, "must use https"},
		{"issuer with slash", []string{"-cdk-json", cdk, "-web", "", "-issuer", issuer + "/", "-client-id", client}, "must not end with /"},
		{"outputs without the stage", []string{"-cdk-json", cdk, "-outputs", outputsFile}, "want demo-api-dev-auth"},
		{"unknown flag", []string{"-port", "80"}, "flag provided but not defined: -port"},
		{"web on all interfaces", []string{"-cdk-json", cdk, "-issuer", issuer, "-client-id", client, "-web", ":3000"}, `-web ":3000": want a loopback address`},
		{"web API not a URL", []string{"-cdk-json", cdk, "-issuer", issuer, "-client-id", client, "-web-api", "api.example.com"}, `-web-api "api.example.com": want local, deployed, or the API's URL`},
		{"web API over plain http", []string{"-cdk-json", cdk, "-issuer", issuer, "-client-id", client, "-web-api", "http://api.example.com/dev"}, `want local, deployed, or the API's URL (https, or http on loopback)`},
		{"web API deployed without outputs", []string{"-cdk-json", cdk, "-issuer", issuer, "-client-id", client, "-web-api", "deployed"}, "the outputs file has no ApiUrl"},
		{"web without a login domain", []string{"-cdk-json", cdk, "-issuer", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x", "-client-id", client}, `-web: the web app needs the managed-login domain: pass -outputs FILE with ManagedLoginUrl`},
		{"web library missing", []string{"-cdk-json", cdk, "-issuer", issuer, "-client-id", client, "-web-lib", filepath.Join(dir, "none.js")}, "-web-lib: cannot read the oidc-client-ts browser build"},
		{"argument", []string{"-cdk-json", cdk, "serve"}, `unexpected argument "serve"`},
		{"DynamoDB in AWS", []string{"-cdk-json", cdk, "-web", "", "-issuer", issuer, "-client-id", client, "-dynamodb-endpoint", "https://dynamodb.eu-west-1.amazonaws.com", "-items-table", "items"}, "-dynamodb-endpoint: DynamoDB endpoint"},
		{"DynamoDB without a table", []string{"-cdk-json", cdk, "-web", "", "-issuer", issuer, "-client-id", client, "-dynamodb-endpoint", "http://127.0.0.1:4567"}, `-items-table "": want the name of the items table`},
	}
	for _, tt := range tests {
		var stderr strings.Builder
		code := run(context.Background(), tt.args, &stderr, nil)
		if code != 2 || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q", tt.name, code, stderr.String(), tt.want)
		}
	}
}

func TestIssuerDown(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	var stderr strings.Builder
	code := run(context.Background(), []string{"-cdk-json", "../../cdk.json", "-web", "", "-issuer", srv.URL + "/p", "-client-id", client}, &stderr, nil)
	if code != 1 || !strings.Contains(stderr.String(), "cannot load the signing keys of "+srv.URL+"/p") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// start runs the server on a free loopback port until the test ends.
func start(t *testing.T, args ...string) (baseURL string, stderr *testkit.SyncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr = &testkit.SyncBuffer{}
	addr := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"-cdk-json", "../../cdk.json", "-addr", "127.0.0.1:0", "-web", ""}, args...), stderr, func(a, _ string) { addr <- a })
	}()
	stop = func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(10 * time.Second):
			t.Fatal("server did not stop")
			return -1
		}
	}
	t.Cleanup(func() { cancel() })
	select {
	case a := <-addr:
		return "http://" + a, stderr, stop
	case code := <-done:
		t.Fatalf("exit %d before serving: %s", code, stderr)
	case <-time.After(10 * time.Second):
		t.Fatal("server did not start")
	}
	return "", nil, nil
}

func get(t *testing.T, url, authorization string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServe(t *testing.T) {
	is := testkit.New(t, pool)
	issuer := is.Issuer()
	base, stderr, stop := start(t, "-issuer", issuer, "-client-id", "other,"+client)
	token := is.Mint(t, is.IDClaims())

	if code, body := get(t, base+"/health", ""); code != 200 || body != `{"status":"ok"}` {
		t.Errorf("/health: %d %s", code, body)
	}
	if code, body := get(t, base+"/me", ""); code != 401 || body != `{"message":"Unauthorized"}` {
		t.Errorf("/me without token: %d %s", code, body)
	}
	if code, body := get(t, base+"/me", "Bearer "+token); code != 200 || !strings.Contains(body, `"email":"alice@example.com"`) {
		t.Errorf("/me: %d %s", code, body)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit %d after stop: %s", code, stderr)
	}
	logs := stderr.String()
	for _, want := range []string{
		`msg=serving url=` + base + `/ stage=dev issuer=` + issuer,
		`msg=route route="GET /items" access=scoped`,
		`msg=request method=GET path=/health status=200`,
		`msg=request method=GET path=/me status=200 latency=`,
		`sub=5c8f1e2a-7b3d-4e6f-9a1b-2c3d4e5f6a7b`,
		`msg=stopped`,
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, token) {
		t.Error("the token reached the log")
	}
}

// authOutputs is an outputs file whose dev stage's auth stack names the issuer and app client.
func authOutputs(issuer, clientID string) string {
	return `{"demo-api-dev-auth": {"IssuerUrl": "` + issuer + `", "ClientId": "` + clientID + `"}}`
}

// inDeployDir moves the test into a fresh directory that holds a deploy's cdk-outputs.json
// with the given content, as where cmd/local runs after cdk deploy. It returns the project's
// cdk.json by absolute path.
func inDeployDir(t *testing.T, outputs string) (cdkJSON string) {
	t.Helper()
	cdkJSON, err := filepath.Abs("../../cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	if err := os.WriteFile("cdk-outputs.json", []byte(outputs), 0o644); err != nil {
		t.Fatal(err)
	}
	return cdkJSON
}

func TestServeFromOutputsFile(t *testing.T) {
	is := testkit.New(t, pool)
	file := filepath.Join(t.TempDir(), "local-outputs.json")
	if err := os.WriteFile(file, []byte(authOutputs(is.Issuer(), client)), 0o644); err != nil {
		t.Fatal(err)
	}
	base, _, stop := start(t, "-outputs", file)
	if code, body := get(t, base+"/me", is.Mint(t, is.IDClaims())); code != 200 {
		t.Errorf("/me: %d %s", code, body)
	}
	stop()
}

// Without -issuer and -client-id, the server reads them from the deploy's outputs file where
// it runs, as authctl does.
func TestServeFromDefaultOutputs(t *testing.T) {
	is := testkit.New(t, pool)
	cdk := inDeployDir(t, authOutputs(is.Issuer(), client))
	base, stderr, stop := start(t, "-cdk-json", cdk)
	if code, body := get(t, base+"/me", "Bearer "+is.Mint(t, is.IDClaims())); code != 200 {
		t.Errorf("/me: %d %s", code, body)
	}
	stop()
	if !strings.Contains(stderr.String(), "issuer="+is.Issuer()) {
		t.Errorf("log:\n%s", stderr)
	}
}

// With -issuer given, the deploy's outputs file in the directory is not read for the client
// id: a local issuer must not be paired with another pool's client.
func TestFlagsDoNotMixWithDefaultOutputs(t *testing.T) {
	cdk := inDeployDir(t, authOutputs("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x", "deployed-client"))
	var stderr strings.Builder
	code := run(context.Background(), []string{"-cdk-json", cdk, "-web", "", "-issuer", "http://127.0.0.1:9229/local_x"}, &stderr, nil)
	if code != 2 || !strings.Contains(stderr.String(), "-client-id is required") {
		t.Errorf("exit %d, stderr %q; want 2 and -client-id is required", code, stderr.String())
	}
}

// TestItemsOnLocalDynamoDB: with the local DynamoDB and table the outputs file names, /items
// keeps items there, so a restarted server still has them; a table that is not there stops the
// server at start, saying why; without a DynamoDB, /items answers 503 and the log says how to
// get one.
func TestItemsOnLocalDynamoDB(t *testing.T) {
	is := testkit.New(t, pool)
	endpoint := testkit.Dynalite(t)
	db, err := localdb.Client(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := localdb.EnsureTable(t.Context(), db, "demo-api-dev-items"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "local-outputs.json")
	content := `{"demo-api-dev-auth": {"IssuerUrl": "` + is.Issuer() + `", "ClientId": "` + client + `"},
		"demo-api-dev-api": {"ItemsTable": "demo-api-dev-items", "DynamoDBEndpoint": "` + endpoint + `"}}`
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	write := "Bearer " + is.Mint(t, is.AccessClaims("scope", "demo-api/read demo-api/write"))
	base, stderr, stop := start(t, "-outputs", file)
	req, _ := http.NewRequest("POST", base+"/items", strings.NewReader(`{"name":"Buy milk"}`))
	req.Header.Set("Authorization", write)
	req.Header.Set("Idempotency-Key", "k1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("POST /items: %d", resp.StatusCode)
	}
	stop()
	if !strings.Contains(stderr.String(), "msg=items table=demo-api-dev-items dynamodb="+endpoint) {
		t.Errorf("log:\n%s", stderr)
	}
	base, _, stop = start(t, "-outputs", file)
	if code, body := get(t, base+"/items", write); code != 200 || !strings.Contains(body, `"name":"Buy milk"`) {
		t.Errorf("GET /items after a restart: %d %s", code, body)
	}
	stop()

	var out strings.Builder
	code := run(context.Background(), []string{"-cdk-json", "../../cdk.json", "-addr", "127.0.0.1:0", "-web", "", "-outputs", file, "-items-table", "no-such-table"}, &out, nil)
	if code != 1 || !strings.Contains(out.String(), "items table no-such-table on "+endpoint) || !strings.Contains(out.String(), "authctl setup-local") {
		t.Errorf("a missing table: exit %d, %s", code, out.String())
	}

	base, stderr, stop = start(t, "-issuer", is.Issuer(), "-client-id", client)
	if code, body := get(t, base+"/items", write); code != 503 || !strings.Contains(body, `"items_unavailable"`) {
		t.Errorf("GET /items without a DynamoDB: %d %s", code, body)
	}
	stop()
	if !strings.Contains(stderr.String(), "no local DynamoDB: /items answers 503") {
		t.Errorf("log:\n%s", stderr)
	}
}
