//go:build e2e

// Package e2e runs the whole sign-in-and-call loop on loopback, as a user would before owning
// an AWS account: cognito-local (pinned in package.json) as the issuer, authctl to create the
// pool, client and user and to get real tokens, and the local API server checking them in
// front of the Lambda's handler. Run it with: go test -tags e2e ./e2e/
package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/cognito-apigw/cognito-apigw/internal/localdb"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

// budget bounds the whole test, builds included.
const budget = 2 * time.Minute

// httpClient gives up on a stuck server long before the budget runs out.
var httpClient = &http.Client{Timeout: 10 * time.Second}

const (
	password = "Passw0rd!local"
	origin   = "http://localhost:3000" // the dev stage's CORS origin
)

func TestSignInAndCall(t *testing.T) {
	ctx, root, tmp := begin(t)
	started := time.Now()
	cognitoLocal := requireNodeTools(t, root)
	bins := build(t, ctx, root, tmp)
	authctl, localAPI := bins.authctl, bins.local
	t.Logf("built the tools in %v", time.Since(started).Round(time.Millisecond))

	endpoint := startCognitoLocal(t, ctx, cognitoLocal, tmp)
	dynamoDir, dynamoPort := filepath.Join(tmp, "dynalite"), freePort(t)
	dynamo, dynalite := startDynalite(t, ctx, root, dynamoDir, dynamoPort)
	apiPort, callbackPort, lambdaPort := freePort(t), freePort(t), freePort(t)
	apiURL := fmt.Sprintf("http://127.0.0.1:%d", apiPort)
	callback := fmt.Sprintf("http://127.0.0.1:%d/callback", callbackPort)
	lambdaURL := fmt.Sprintf("http://127.0.0.1:%d", lambdaPort)
	// Callers reach the API through Prism's validating proxy (see startPrism).
	prismPort := freePort(t)
	prismURL := fmt.Sprintf("http://127.0.0.1:%d", prismPort)
	t.Logf("cognito-local up after %v", time.Since(started).Round(time.Millisecond))

	tools := tool{t: t, ctx: ctx, bin: authctl, cdkJSON: filepath.Join(root, "cdk.json")}
	outputsFile := filepath.Join(tmp, "local-outputs.json")
	tools.must("", "setup-local", "-endpoint", endpoint, "-outputs", outputsFile, "-api-url", prismURL+"/", "-redirect-uri", callback, "-lambda-url", lambdaURL,
		"-dynamodb-endpoint", dynamo)
	out, err := outputs.Read(outputsFile, "demo-api", "dev")
	if err != nil {
		t.Fatal(err)
	}
	if out.IssuerURL != endpoint+"/"+out.UserPoolID || out.ClientID == "" || out.CognitoEndpoint != endpoint || out.LambdaEndpoint != lambdaURL ||
		out.ItemsTable != "demo-api-dev-items" || out.DynamoDBEndpoint != dynamo {
		t.Fatalf("outputs of setup-local: %+v", out)
	}
	tools.outputs = outputsFile

	var alice struct {
		Sub, Username, Email, Status string
		Groups                       []string
	}
	decode(t, tools.must(password+"\n", "create-user", "-email", "alice@example.com", "-name", "Alice", "-password-stdin", "-group", "admin"), &alice)
	if alice.Sub == "" || alice.Status != "CONFIRMED" || strings.Join(alice.Groups, ",") != "admin" {
		t.Fatalf("create-user: %+v", alice)
	}
	tools.must("", "create-user", "-email", "bob@example.com", "-password", password)
	if code, _, stderr := tools.run("", "create-user", "-email", "alice@example.com", "-password", password); code != 1 || !strings.Contains(stderr, "authctl set-password") {
		t.Errorf("creating alice twice: exit %d, %s", code, stderr)
	}

	// The API, and with it the pool's pre token generation trigger at the outputs file's
	// LambdaEndpoint: from here on, every sign-in goes through it.
	api := start(t, ctx, "local API server", tmp, nil, localAPI,
		"-cdk-json", tools.cdkJSON, "-addr", "127.0.0.1:"+itoa(apiPort), "-web", "", "-stage", "dev", "-outputs", outputsFile)
	waitHTTP(t, ctx, api, apiURL+"/health")
	t.Logf("local API server up after %v", time.Since(started).Round(time.Millisecond))
	startPrism(t, ctx, root, tmp, bins.apidoc, tools.cdkJSON, outputsFile, prismPort, apiURL)
	t.Logf("Prism up after %v", time.Since(started).Round(time.Millisecond))

	// set-password gives bob a new permanent password: the old one stops working.
	const newPassword = "N3w-Passw0rd!"
	tools.must(newPassword+"\n", "set-password", "-email", "bob@example.com", "-password-stdin")
	if code, _, stderr := tools.run("", "tokens", "-email", "bob@example.com", "-password", password); code != 1 || !strings.Contains(stderr, "Invalid password") {
		t.Errorf("bob's old password after set-password: exit %d, %s", code, stderr)
	}
	tools.must("", "tokens", "-email", "bob@example.com", "-password", newPassword)
	tools.must(password+"\n", "set-password", "-email", "bob@example.com", "-password-stdin") // back, for the steps below

	var tokens struct {
		IDToken     string `json:"id_token"`
		AccessToken string `json:"access_token"`
	}
	decode(t, tools.must("", "tokens", "-email", "alice@example.com", "-password", password), &tokens)
	exports := tools.must("", "tokens", "-email", "bob@example.com", "-password", password, "-flow", "admin-user-password", "-format", "env")
	bobID, bobAccess := exportedValue(t, exports, "ID_TOKEN"), exportedValue(t, exports, "ACCESS_TOKEN")
	if code, _, stderr := tools.run("", "tokens", "-email", "alice@example.com", "-password", "Wr0ng!pass"); code != 1 || !strings.Contains(stderr, "Invalid password") {
		t.Errorf("wrong password: exit %d, %s", code, stderr)
	}
	t.Logf("ID token claims from cognito-local: %s", payload(t, tokens.IDToken))
	t.Logf("access token claims from cognito-local: %s", payload(t, tokens.AccessToken))
	// A password sign-in's access token has Cognito's scope for its own API, and the trigger
	// adds the scopes of the user's groups (groupScopes: admin gets demo-api/write), as in AWS.
	if got := scopes(t, tokens.AccessToken); !slices.Equal(got, []string{"aws.cognito.signin.user.admin", "demo-api/write"}) {
		t.Errorf("alice's password sign-in: scopes %q; want aws.cognito.signin.user.admin and her group's demo-api/write", got)
	}
	if got := scopes(t, bobAccess); !slices.Equal(got, []string{"aws.cognito.signin.user.admin"}) {
		t.Errorf("bob's password sign-in: scopes %q; want aws.cognito.signin.user.admin alone (he is in no group)", got)
	}

	const unauthorized = `{"message":"Unauthorized"}`
	// send makes one request to base, Prism's or cmd/local's own address.
	send := func(base, method, path, authorization, body string, header ...string) (int, string, http.Header) {
		t.Helper()
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, _ := http.NewRequestWithContext(ctx, method, base+path, rd)
		if authorization != "" {
			req.Header.Set("Authorization", authorization)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := httpClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}
	// call goes through Prism, which checks the request and the reply against the API's
	// description: a reply it finds wrong comes back as its own 500, and any finding at all
	// in its sl-violations header fails the test.
	call := func(method, path, authorization string, header ...string) (int, string, http.Header) {
		t.Helper()
		code, body, h := send(prismURL, method, path, authorization, "", header...)
		if v := h.Get("sl-violations"); v != "" || strings.Contains(h.Get("Content-Type"), "problem+json") {
			t.Errorf("%s %s: Prism found the exchange does not match the description: %d %s %s", method, path, code, v, body)
		}
		return code, body, h
	}
	check := func(what, method, path string, code int, got string, status int, body string) {
		t.Helper()
		if code != status || !strings.Contains(got, body) {
			t.Errorf("%s: %s %s answered %d %s; want %d with %s", what, method, path, code, got, status, body)
		}
	}
	expect := func(what, method, path, authorization string, status int, body string) string {
		t.Helper()
		code, got, _ := call(method, path, authorization)
		check(what, method, path, code, got, status, body)
		return got
	}
	// unauthenticated sends a request without a bearer token. Prism refuses it itself, since
	// the description says the route takes one; cmd/local must answer as API Gateway does.
	unauthenticated := func(what, method, path, authorization string) {
		t.Helper()
		code, got, h := send(prismURL, method, path, authorization, "")
		if code != 401 || !strings.Contains(h.Get("Content-Type"), "problem+json") {
			t.Errorf("%s through Prism: %d %s; want Prism's own 401 (the description requires a bearer token)", what, code, got)
		}
		code, got, _ = send(apiURL, method, path, authorization, "")
		check(what, method, path, code, got, 401, unauthorized)
	}

	expect("public route, no token", "GET", "/health", "", 200, `{"status":"ok"}`)
	unauthenticated("protected route, no token", "GET", "/me", "")
	expect("protected route, tampered token", "GET", "/me", "Bearer "+testkit.Tamper(t, tokens.IDToken, "alice@example.com", "mallory@example.com"), 401, unauthorized)
	expect("protected route, access token", "GET", "/me", "Bearer "+tokens.AccessToken, 401, unauthorized)
	// API Gateway's Cognito authorizer also takes a token without "Bearer ", which the
	// description (and RFC 6750) does not: Prism refuses it, cmd/local takes it as API Gateway does.
	if code, got, _ := send(prismURL, "GET", "/me", tokens.IDToken, ""); code != 401 {
		t.Errorf("bare ID token through Prism: %d %s; want Prism's own 401", code, got)
	}
	code, got, _ := send(apiURL, "GET", "/me", tokens.IDToken, "")
	check("protected route, bare ID token", "GET", "/me", code, got, 200, `"sub":"`+alice.Sub+`"`)

	var me struct {
		Sub, Username, Email string
		TokenUse             string `json:"token_use"`
		ClientID             string `json:"client_id"`
		EmailVerified        bool   `json:"email_verified"`
		Groups               []string
	}
	body := expect("protected route, ID token", "GET", "/me", "Bearer "+tokens.IDToken, 200, `"token_use":"id"`)
	json.Unmarshal([]byte(body), &me)
	if me.Sub != alice.Sub || me.Username != alice.Username || me.Email != "alice@example.com" || !me.EmailVerified || me.TokenUse != "id" ||
		strings.Join(me.Groups, ",") != "admin" || me.ClientID != out.ClientID {
		t.Errorf("/me claims do not match the user: %s; user %+v, client %s", body, alice, out.ClientID)
	}
	expect("scoped route, ID token", "GET", "/items", "Bearer "+tokens.IDToken, 401, unauthorized)
	// A password sign-in's access token: aws.cognito.signin.user.admin, plus demo-api/write for alice (admin).
	expect("scoped route, access token without the scope", "GET", "/items", "Bearer "+tokens.AccessToken, 401, unauthorized)
	expect("scoped route, access token without the scope (bob)", "GET", "/items", "Bearer "+bobAccess, 401, unauthorized)
	code, got, h := send(prismURL, "POST", "/items", "Bearer "+tokens.AccessToken, `{"name":"Buy milk"}`, "Idempotency-Key", "alice-milk")
	check("scoped route, the group's scope (alice's password sign-in)", "POST", "/items", code, got, 201, `"name":"Buy milk"`)
	if v := h.Get("sl-violations"); v != "" {
		t.Errorf("POST /items: Prism: %s", v)
	}
	// The same POST again, as a client retries one whose reply it lost: the first reply, and
	// no second item; the same key with another body is refused.
	again, gotAgain, h := send(prismURL, "POST", "/items", "Bearer "+tokens.AccessToken, `{"name":"Buy milk"}`, "Idempotency-Key", "alice-milk")
	if again != 201 || gotAgain != got || h.Get("Idempotent-Replayed") != "true" || h.Get("sl-violations") != "" {
		t.Errorf("POST /items retried: %d %s %v; want the first reply %s, marked Idempotent-Replayed", again, gotAgain, h, got)
	}
	code, got, h = send(prismURL, "POST", "/items", "Bearer "+tokens.AccessToken, `{"name":"Buy bread"}`, "Idempotency-Key", "alice-milk")
	check("the same Idempotency-Key with another body", "POST", "/items", code, got, 422, `"code":"idempotency_key_reused"`)
	if v := h.Get("sl-violations"); v != "" {
		t.Errorf("POST /items with a reused key: Prism: %s", v)
	}
	expect("group route, member", "GET", "/admin", "Bearer "+tokens.IDToken, 200, `"admin":{"sub":"`+alice.Sub+`"`)
	expect("group route, not a member", "GET", "/admin", "Bearer "+bobID, 403, `"code":"not_in_group"`)
	expect("unknown path with a token", "GET", "/nope", "Bearer "+tokens.IDToken, 404, `"code":"not_found"`)
	expect("unknown path with an access token", "GET", "/nope", "Bearer "+tokens.AccessToken, 401, unauthorized)
	expect("a method the table lacks", "DELETE", "/me", "Bearer "+tokens.IDToken, 403, `{"message":"Missing Authentication Token"}`)

	code, _, h = call("OPTIONS", "/me", "", "Origin", origin, "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization")
	if code != 204 || h.Get("Access-Control-Allow-Origin") != origin || h.Get("Access-Control-Max-Age") != "600" {
		t.Errorf("preflight: %d %v", code, h)
	}
	if code, _, h := send(apiURL, "GET", "/me", "", "", "Origin", origin); code != 401 || h.Get("Access-Control-Allow-Origin") != origin {
		t.Errorf("401 without CORS headers: %d %v", code, h)
	}

	// A token issued to another app client of the same pool is refused.
	otherClient := createClient(t, ctx, endpoint, out.UserPoolID)
	var other struct {
		IDToken string `json:"id_token"`
	}
	decode(t, tools.must("", "tokens", "-email", "alice@example.com", "-password", password, "-client-id", otherClient), &other)
	expect("protected route, token of an unknown client", "GET", "/me", "Bearer "+other.IDToken, 401, unauthorized)

	// authctl call reads $ID_TOKEN, and calls the outputs file's ApiUrl: Prism.
	stdout := tools.mustEnv([]string{"ID_TOKEN=" + tokens.IDToken}, "", "call", "/me")
	if !strings.Contains(stdout, `"sub":"`+alice.Sub+`"`) {
		t.Errorf("authctl call /me: %s", stdout)
	}

	// Authorization code with PKCE through cognito-local's login form, as a browser would. A
	// scope the app client does not allow (a group's, which only the trigger grants) is refused.
	refused := start(t, ctx, "authctl login asking for a group's scope", tmp, toolEnv(), authctl, "login", "-cdk-json", tools.cdkJSON, "-outputs", outputsFile,
		"-redirect-uri", callback, "-no-browser", "-timeout", "30s", "-scope", "openid demo-api/write")
	refusedURL := waitFor(t, ctx, refused, regexp.MustCompile(`http://127\.0\.0\.1:\d+/oauth2/authorize\?\S+`))
	if resp, err := httpClient.Get(refusedURL); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	if code := refused.wait(t, 20*time.Second); code != 1 || !strings.Contains(refused.output(), "invalid_scope") {
		t.Errorf("authctl login -scope 'openid demo-api/write': exit %d; want 1 with invalid_scope\n%s", code, refused.output())
	}

	login := start(t, ctx, "authctl login", tmp, toolEnv(), authctl, "login", "-cdk-json", tools.cdkJSON, "-outputs", outputsFile,
		"-redirect-uri", callback, "-no-browser", "-timeout", "30s")
	signInURL := waitFor(t, ctx, login, regexp.MustCompile(`http://127\.0\.0\.1:\d+/oauth2/authorize\?\S+`))
	if !strings.Contains(signInURL, "code_challenge_method=S256") {
		t.Errorf("sign-in URL without PKCE: %s", signInURL)
	}
	submitLoginForm(t, ctx, signInURL, "alice@example.com", password)
	if code := login.wait(t, 20*time.Second); code != 0 {
		t.Fatalf("authctl login: exit %d\n%s", code, login.output())
	}
	var loginTokens struct {
		IDToken      string `json:"id_token"`
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	decode(t, login.stdout.String(), &loginTokens)
	expect("protected route, ID token from the code flow", "GET", "/me", "Bearer "+loginTokens.IDToken, 200, `"sub":"`+alice.Sub+`"`)
	// The code flow's access token: the scopes authctl asked for (the app client's), and the
	// trigger's demo-api/write for an admin.
	wantScopes := []string{"openid", "email", "profile", "demo-api/read", "demo-api/write"}
	if got := scopes(t, loginTokens.AccessToken); !slices.Equal(got, wantScopes) {
		t.Errorf("code flow: access token scopes %q; want %q", got, wantScopes)
	}
	access := []string{"ACCESS_TOKEN=" + loginTokens.AccessToken}
	if stdout := tools.mustEnv(access, "", "call", "-access", "/items"); !strings.Contains(stdout, `"name":"Buy milk"`) {
		t.Errorf("authctl call -access /items: %s; want the item alice added", stdout)
	}
	if stdout := tools.mustEnv(access, "", "call", "-access", "-method", "POST", "-data", `{"name":"Call mum"}`, "/items"); !strings.Contains(stdout, `"name":"Call mum"`) {
		t.Errorf("authctl call -access -method POST /items: %s", stdout)
	}
	expect("scoped route, access token from the code flow", "GET", "/items", "Bearer "+loginTokens.AccessToken, 200, `"name":"Call mum"`)
	expect("protected route, access token on /me (wrong kind)", "GET", "/me", "Bearer "+loginTokens.AccessToken, 401, unauthorized)

	// Renewal with the refresh token at the token endpoint; the refresh token stays (or is the
	// new one a rotating client gets back), and so do the grant's scopes.
	var renewed struct {
		IDToken      string `json:"id_token"`
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	decode(t, tools.mustEnv([]string{"REFRESH_TOKEN=" + loginTokens.RefreshToken}, "", "refresh"), &renewed)
	if renewed.RefreshToken == "" {
		t.Error("authctl refresh printed no refresh token")
	}
	expect("protected route, renewed ID token", "GET", "/me", "Bearer "+renewed.IDToken, 200, `"sub":"`+alice.Sub+`"`)
	if got := scopes(t, renewed.AccessToken); !slices.Equal(got, wantScopes) {
		t.Errorf("renewed access token scopes %q; want the grant's %q", got, wantScopes)
	}
	expect("scoped route, renewed access token", "GET", "/items", "Bearer "+renewed.AccessToken, 200, `"items":[`)
	// Two items: the retried POST made one.
	var list struct {
		Items []struct{ ID, Name string }
	}
	decode(t, expect("alice's items", "GET", "/items?limit=100", "Bearer "+renewed.AccessToken, 200, `"items":[`), &list)
	if len(list.Items) != 2 || list.Items[0].Name != "Call mum" || list.Items[1].Name != "Buy milk" {
		t.Fatalf("alice's items, newest first: %+v; want Call mum, Buy milk", list.Items)
	}
	// One item by its id; a bad id or page size is bad input (TestBrowserItems has another
	// caller's item).
	itemPath := "/items/" + list.Items[1].ID
	expect("alice's own item", "GET", itemPath, "Bearer "+renewed.AccessToken, 200, `"name":"Buy milk"`)
	// Requests the description rules out: Prism refuses them itself (422), so they go to
	// cmd/local directly, which answers with the handler's 400.
	for _, bad := range []struct{ path, code string }{
		{"/items/not-an-id", "invalid_id"}, {"/items?limit=101", "invalid_limit"}, {"/items?cursor=x", "invalid_cursor"},
	} {
		if code, _, _ := send(prismURL, "GET", bad.path, "Bearer "+renewed.AccessToken, ""); code != 422 {
			t.Errorf("GET %s through Prism: %d; want its own 422 (the description rules it out)", bad.path, code)
		}
		code, got, _ := send(apiURL, "GET", bad.path, "Bearer "+renewed.AccessToken, "")
		check("bad input", "GET", bad.path, code, got, 400, `"code":"`+bad.code+`"`)
	}

	// The smoke check a deployed stage gets, against this stack; then the Postman collection
	// under newman with the code flow's tokens (authctl's env format).
	runSmoke(t, tools)
	runNewman(t, ctx, root, tmp, bins.apidoc, tools, tools.mustEnv([]string{"REFRESH_TOKEN=" + renewed.RefreshToken}, "", "refresh", "-format", "env"))

	// One log line per request, with sub but never a token; then a clean stop on SIGTERM.
	if err := api.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := api.wait(t, 10*time.Second); code != 0 {
		t.Errorf("local API server: exit %d after SIGTERM", code)
	}
	logs := api.output()
	for _, want := range []string{"msg=request method=GET path=/me status=200 latency=", "sub=" + alice.Sub, `reason="token app client not accepted`, "msg=stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("server log lacks %q:\n%s", want, logs)
		}
	}
	for _, tok := range []string{tokens.IDToken, tokens.AccessToken, other.IDToken, loginTokens.IDToken, loginTokens.AccessToken} {
		if strings.Contains(logs, tok[strings.LastIndex(tok, "."):]) {
			t.Errorf("a token reached the server log")
		}
	}

	// The items outlive both servers: dynalite keeps them in its --path folder, and a
	// restarted cmd/local finds them there.
	if err := dynalite.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	dynalite.wait(t, 10*time.Second)
	startDynalite(t, ctx, root, dynamoDir, dynamoPort)
	api = start(t, ctx, "local API server, again", tmp, nil, localAPI,
		"-cdk-json", tools.cdkJSON, "-addr", "127.0.0.1:"+itoa(apiPort), "-web", "", "-stage", "dev", "-outputs", outputsFile)
	waitHTTP(t, ctx, api, apiURL+"/health")
	decode(t, expect("alice's items after restarting dynalite and cmd/local", "GET", "/items", "Bearer "+renewed.AccessToken, 200, `"name":"Buy milk"`), &list)
	if len(list.Items) != 2 {
		t.Errorf("after the restarts: %+v; want alice's two items", list.Items)
	}
	t.Logf("done in %v", time.Since(started).Round(time.Millisecond))
}

// begin is where each test starts: a context bounded by budget that ends with the test, the
// project root, and a temporary directory.
func begin(t *testing.T) (ctx context.Context, root, tmp string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), budget)
	t.Cleanup(cancel)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return ctx, root, t.TempDir()
}

// startCognitoLocal starts cognito-local on a free loopback port, with env added to its
// environment, and returns its endpoint once it answers. cognito-local writes its state to
// .cognito/ in its working directory, a directory of its own in tmp.
func startCognitoLocal(t *testing.T, ctx context.Context, cognitoLocal, tmp string, env ...string) string {
	t.Helper()
	port := freePort(t)
	endpoint := fmt.Sprintf("http://127.0.0.1:%d", port)
	dir := filepath.Join(tmp, "cognito-local")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := start(t, ctx, "cognito-local", dir, append([]string{"PORT=" + itoa(port), "HOST=127.0.0.1"}, env...), cognitoLocal)
	waitHTTP(t, ctx, p, endpoint+"/health")
	return endpoint
}

// startDynalite starts dynalite (the local DynamoDB pinned in package.json) on loopback at
// port (a free one when 0), its data in dir, as docs/local-development.md runs it with --path:
// a dynalite started again on the same dir has the first one's tables and items. It returns
// the endpoint once the server answers.
func startDynalite(t *testing.T, ctx context.Context, root, dir string, port int) (string, *proc) {
	t.Helper()
	if port == 0 {
		port = freePort(t)
	}
	endpoint := fmt.Sprintf("http://127.0.0.1:%d", port)
	bin := filepath.Join(root, "node_modules", ".bin", "dynalite")
	p := start(t, ctx, "dynalite", root, nil, bin, "--host", "127.0.0.1", "--port", itoa(port), "--path", dir, "--createTableMs", "0")
	c, err := localdb.Client(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if p.exited() {
			t.Fatalf("dynalite exited before serving:\n%s", p.output())
		}
		if _, err := c.ListTables(ctx, &dynamodb.ListTablesInput{}); err == nil {
			return endpoint, p
		} else if time.Now().After(deadline) || ctx.Err() != nil {
			t.Fatalf("dynalite did not answer on %s within 30s: %v\n%s", endpoint, err, p.output())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// requireNodeTools finds cognito-local and fails, rather than skips, when it is missing: the
// test is part of CI.
func requireNodeTools(t *testing.T, root string) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("Node.js is not on PATH: install Node.js 20 or later, then run `npm ci` in the project root")
	}
	var pinned struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	var installed struct {
		Version string `json:"version"`
	}
	testkit.ReadJSON(t, filepath.Join(root, "package.json"), &pinned)
	want := pinned.DevDependencies["cognito-local"]
	b, err := os.ReadFile(filepath.Join(root, "node_modules", "cognito-local", "package.json"))
	if err != nil || json.Unmarshal(b, &installed) != nil {
		t.Fatalf("cognito-local %s is not installed: run `npm ci` in the project root (package.json pins it)", want)
	}
	if installed.Version != want {
		t.Fatalf("cognito-local %s is installed, package.json pins %s: run `npm ci` in the project root", installed.Version, want)
	}
	bin := filepath.Join(root, "node_modules", ".bin", "cognito-local")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s is missing: run `npm ci` in the project root", bin)
	}
	// npm ci's postinstall applies patches/ (patch-package): without it access tokens carry
	// no scopes of the API and the pool runs no trigger.
	for _, f := range []string{"lib/services/tokenGenerator.js", "lib/oauth2/routes.js"} {
		if b, err := os.ReadFile(filepath.Join(root, "node_modules", "cognito-local", f)); err != nil || !bytes.Contains(b, []byte("cognito-apigw patch")) {
			t.Fatalf("cognito-local is installed without this project's patch (patches/cognito-local+%s.patch): run `npm ci` in the project root, whose postinstall applies it", want)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules", ".bin", "prism")); err != nil {
		t.Fatal("Stoplight Prism is not installed: run `npm ci` in the project root (package.json pins @stoplight/prism-cli)")
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules", ".bin", "dynalite")); err != nil {
		t.Fatal("dynalite is not installed: run `npm ci` in the project root (package.json pins it; /items keeps its items there)")
	}
	return bin
}

// binaries are the commands the tests run.
type binaries struct{ authctl, local, apidoc string }

// build compiles authctl, the local server and apidoc once, so that signals reach them directly
// rather than a `go run` parent.
func build(t *testing.T, ctx context.Context, root, dir string) binaries {
	t.Helper()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", dir+string(filepath.Separator), "./cmd/authctl", "./cmd/local", "./cmd/apidoc")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return binaries{authctl: filepath.Join(dir, "authctl"), local: filepath.Join(dir, "local"), apidoc: filepath.Join(dir, "apidoc")}
}

// startPrism writes the API's OpenAPI description with cmd/apidoc, as a user would, and puts
// Stoplight Prism's validating proxy (pinned in package.json) in front of the API at upstream,
// on port. With --errors Prism answers a reply that does not match the description with a 500
// of its own, and a request that does not (no bearer token where the description wants one)
// with its own 4xx instead of forwarding it; every finding goes to its log too. When the test
// ends, any finding in that log fails it: the traffic of the tools (authctl) and of the
// browser is checked as well as the test's own requests. --cors=false leaves CORS, preflights
// included, to the API as the description says.
func startPrism(t *testing.T, ctx context.Context, root, tmp, apidoc, cdkJSON, outputsFile string, port int, upstream string) *proc {
	t.Helper()
	spec := filepath.Join(tmp, fmt.Sprintf("openapi-%d.json", port))
	cmd := exec.CommandContext(ctx, apidoc, "-cdk-json", cdkJSON, "-outputs", outputsFile, "-out", spec)
	cmd.Env = append(os.Environ(), toolEnv()...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("apidoc: %v\n%s", err, out)
	}
	prism := filepath.Join(root, "node_modules", ".bin", "prism")
	p := start(t, ctx, "Prism", tmp, []string{"NO_COLOR=1", "FORCE_COLOR=0"}, prism, "proxy", "--errors", "--cors=false",
		"-h", "127.0.0.1", "-p", itoa(port), spec, upstream)
	waitHTTP(t, ctx, p, fmt.Sprintf("http://127.0.0.1:%d/health", port))
	t.Cleanup(func() {
		var findings []string
		for line := range strings.SplitSeq(p.output(), "\n") {
			if strings.Contains(line, "Violation:") || strings.Contains(line, "VIOLATIONS") || strings.Contains(line, "NO_PATH_MATCHED") || strings.Contains(line, "NO_METHOD_MATCHED") {
				findings = append(findings, line)
			}
		}
		if len(findings) > 0 {
			t.Errorf("Prism found exchanges that do not match the API's description (%s):\n%s", spec, strings.Join(findings, "\n"))
		}
	})
	return p
}

// scopes are the scopes of an access token, as its scope claim lists them.
func scopes(t *testing.T, token string) []string {
	t.Helper()
	var claims struct {
		Scope string `json:"scope"`
	}
	if err := json.Unmarshal(tokenPart(t, token, 1), &claims); err != nil {
		t.Fatalf("access token payload: %v", err)
	}
	return strings.Fields(claims.Scope)
}

func freePort(t *testing.T) int {
	t.Helper()
	portsMu.Lock()
	defer portsMu.Unlock()
	for {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		// The kernel may hand a port out again once its listener is closed: never give one
		// twice, or two servers of a test would fight for it.
		if !portsGiven[port] {
			portsGiven[port] = true
			return port
		}
	}
}

var (
	portsMu    sync.Mutex
	portsGiven = map[int]bool{}
)

func itoa(n int) string { return fmt.Sprint(n) }

// toolEnv keeps the machine's AWS settings away from the tools: only loopback is used.
func toolEnv() []string {
	return []string{"AWS_PROFILE=", "AWS_REGION=", "AWS_DEFAULT_REGION=", "AWS_CONFIG_FILE=" + os.DevNull, "AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull}
}

// tool runs authctl commands against the local pool.
type tool struct {
	t       *testing.T
	ctx     context.Context
	bin     string
	cdkJSON string
	outputs string
}

func (tl tool) runEnv(env []string, stdin string, args ...string) (int, string, string) {
	tl.t.Helper()
	ctx, cancel := context.WithTimeout(tl.ctx, 30*time.Second)
	defer cancel()
	full := []string{args[0], "-cdk-json", tl.cdkJSON}
	if tl.outputs != "" && args[0] != "setup-local" {
		full = append(full, "-outputs", tl.outputs)
	}
	full = append(full, args[1:]...)
	cmd := exec.CommandContext(ctx, tl.bin, full...)
	cmd.Env = append(append(os.Environ(), toolEnv()...), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := cmd.ProcessState.ExitCode()
	if err != nil && code == 0 {
		code = -1
	}
	return code, stdout.String(), stderr.String()
}

func (tl tool) run(stdin string, args ...string) (int, string, string) {
	tl.t.Helper()
	return tl.runEnv(nil, stdin, args...)
}

func (tl tool) mustEnv(env []string, stdin string, args ...string) string {
	tl.t.Helper()
	code, stdout, stderr := tl.runEnv(env, stdin, args...)
	if code != 0 {
		tl.t.Fatalf("authctl %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
	}
	return stdout
}

func (tl tool) must(stdin string, args ...string) string {
	tl.t.Helper()
	return tl.mustEnv(nil, stdin, args...)
}

// proc is a background process in its own process group, killed with its children when the
// test ends.
type proc struct {
	name           string
	cmd            *exec.Cmd
	stdout, stderr testkit.SyncBuffer
	done           chan struct{}
}

func start(t *testing.T, ctx context.Context, name, dir string, env []string, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, done: make(chan struct{})}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Dir = dir
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	// Its own group, so that killing it also kills what it started (node's children).
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	go func() {
		p.cmd.Wait()
		close(p.done)
	}()
	stop := func() { syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL) }
	go func() {
		select {
		case <-ctx.Done():
			stop()
		case <-p.done:
		}
	}()
	t.Cleanup(func() {
		stop()
		select {
		case <-p.done:
		case <-time.After(5 * time.Second):
			t.Errorf("%s (pid %d) did not die", name, p.cmd.Process.Pid)
		}
		if t.Failed() {
			t.Logf("output of %s:\n%s", name, p.output())
		}
	})
	return p
}

func (p *proc) output() string { return p.stdout.String() + p.stderr.String() }

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func (p *proc) wait(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(d):
		t.Fatalf("%s did not exit within %v", p.name, d)
		return -1
	}
}

// waitHTTP polls url until it answers 200.
func waitHTTP(t *testing.T, ctx context.Context, p *proc, url string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if p.exited() {
			t.Fatalf("%s exited before serving:\n%s", p.name, p.output())
		}
		resp, err := httpClient.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s did not answer %s within 30s:\n%s", p.name, url, p.output())
}

// waitFor waits until the process's stderr matches re and returns the match.
func waitFor(t *testing.T, ctx context.Context, p *proc, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if m := re.FindString(p.stderr.String()); m != "" {
			return m
		}
		if p.exited() {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never printed %s:\n%s", p.name, re, p.output())
	return ""
}

// submitLoginForm does what a user's browser does on cognito-local's sign-in page: load the
// form, post the credentials, follow the redirect to authctl's loopback listener.
func submitLoginForm(t *testing.T, ctx context.Context, signInURL, username, password string) {
	t.Helper()
	resp, err := httpClient.Get(signInURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(page, []byte(`name="password"`)) {
		t.Fatalf("sign-in page: %d %s", resp.StatusCode, page)
	}
	u, _ := url.Parse(signInURL)
	form := u.Query() // the form's hidden fields repeat the authorize parameters
	form.Set("username", username)
	form.Set("password", password)
	req, _ := http.NewRequestWithContext(ctx, "POST", u.Scheme+"://"+u.Host+"/oauth2/authorize", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = httpClient.Do(req) // follows the 302 to the callback
	if err != nil {
		t.Fatal(err)
	}
	done, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(done, []byte("Signed in.")) {
		t.Fatalf("after the sign-in form: %d %s", resp.StatusCode, done)
	}
}

// createClient adds a second app client to the pool, straight through the SDK.
func createClient(t *testing.T, ctx context.Context, endpoint, poolID string) string {
	t.Helper()
	c := cip.New(cip.Options{
		Region:       "local",
		BaseEndpoint: aws.String(endpoint),
		Credentials:  aws.AnonymousCredentials{},
	})
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId:        aws.String(poolID),
		ClientName:        aws.String("someone-elses-app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth},
	})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.UserPoolClient.ClientId)
}

func decode(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("decoding %q: %v", s, err)
	}
}

// exportedValue reads NAME='value' from shell exports.
func exportedValue(t *testing.T, exports, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^export ` + name + `='([^']*)'$`).FindStringSubmatch(exports)
	if m == nil {
		t.Fatalf("no %s in %q", name, exports)
	}
	return m[1]
}

func payload(t *testing.T, token string) string {
	t.Helper()
	return string(tokenPart(t, token, 0)) + " " + string(tokenPart(t, token, 1))
}

// tokenPart is part i of a JWT (0 the header, 1 the payload), decoded and not verified: what
// the tests read of the tokens cognito-local issues.
func tokenPart(t *testing.T, token string, i int) []byte {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %d parts", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatalf("JWT part %d: %v", i, err)
	}
	return b
}
