package localapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
	"github.com/cognito-apigw/cognito-apigw/internal/verifier"
	"github.com/cognito-apigw/cognito-apigw/lambda/proxy/handler"
)

const (
	pool        = "local_TestPool"
	client      = testkit.ClientID
	otherClient = testkit.OtherClientID
	alice       = testkit.Subject
	appOrigin   = "http://localhost:3000"
)

// table is the sample app's routes, GET /items/{id} among them.
var table = testkit.SampleRoutes()

var devCORS = config.CORS{AllowOrigins: []string{appOrigin}, MaxAgeSeconds: 600}

// fixture is a gateway in front of the real Lambda handler, logging into logs.
type fixture struct {
	is   *testkit.Issuer
	gw   *Gateway
	logs *bytes.Buffer
}

func newFixture(t *testing.T, cors config.CORS, h HandlerFunc) *fixture {
	t.Helper()
	is := testkit.New(t, pool)
	v, err := verifier.New(context.Background(), verifier.Config{Issuer: is.Issuer(), ClientIDs: []string{client}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.Close)
	logs := &bytes.Buffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	if h == nil {
		// The handler's own records go elsewhere: they are the Lambda's log, not the gateway's.
		lambda, err := handler.New(fnenv.Proxy{Routes: table, Clients: fnenv.Clients{Web: []string{client}}, AllowedOrigins: cors.AllowOrigins}, &handler.Options{Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		h = lambda.Handle
	}
	gw, err := New(Options{Routes: table, Verifier: v, Handler: h, CORS: cors, Stage: "dev", Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{is: is, gw: gw, logs: logs}
}

func (f *fixture) do(method, path, authorization, body string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	f.gw.ServeHTTP(w, r)
	return w
}

const unauthorized = `{"message":"Unauthorized"}`

func TestGatewayWithHandler(t *testing.T) {
	f := newFixture(t, devCORS, nil)
	is := f.is
	id, access := is.Mint(t, is.IDClaims()), is.Mint(t, is.AccessClaims())
	idJSON, err := json.Marshal(is.IDClaims())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, path, auth, body string
		status                         int
		want                           string // substring of the body
	}{
		// Signed by the pool, but not one JSON object with each claim once.
		{"trailing data after the payload", "GET", "/me", "Bearer " + is.MintRaw(t, string(idJSON)+`{"token_use":"access"}`), "", 401, unauthorized},
		{"a claim twice", "GET", "/items", "Bearer " + is.MintRaw(t, `{"token_use":"access",`+string(idJSON[1:])), "", 401, unauthorized},
		{"public without token", "GET", "/health", "", "", 200, `{"status":"ok"}`},
		{"public ignores a bad token", "GET", "/health", "Bearer junk", "", 200, `{"status":"ok"}`},
		{"no token", "GET", "/me", "", "", 401, unauthorized},
		{"bearer ID token", "GET", "/me", "Bearer " + id, "", 200, `"sub":"` + alice + `"`},
		{"bare ID token", "GET", "/me", id, "", 200, `"email":"alice@example.com"`},
		{"lower-case scheme", "GET", "/me", "bearer " + id, "", 200, `"groups":["admin","users"]`},
		{"other scheme", "GET", "/me", "Basic " + id, "", 401, unauthorized},
		{"tampered", "GET", "/me", "Bearer " + testkit.Tamper(t, id, alice, "00000000-7b3d-4e6f-9a1b-2c3d4e5f6a7b"), "", 401, unauthorized},
		{"signed by another key", "GET", "/me", "Bearer " + is.Forge(t, testkit.Kid, is.IDClaims()), "", 401, unauthorized},
		{"expired", "GET", "/me", "Bearer " + is.Mint(t, is.IDClaims("exp", time.Now().Unix()-1)), "", 401, unauthorized},
		{"other issuer", "GET", "/me", "Bearer " + is.Mint(t, is.IDClaims("iss", "http://127.0.0.1:1/other")), "", 401, unauthorized},
		{"unknown app client", "GET", "/me", "Bearer " + is.Mint(t, is.IDClaims("aud", otherClient)), "", 401, unauthorized},
		{"access token on protected route", "GET", "/me", "Bearer " + access, "", 401, unauthorized},
		{"ID token on scoped route", "GET", "/items", "Bearer " + id, "", 401, unauthorized},
		// Passed on to the handler, which has no items table here (its own tests have one): it
		// checks the request, then answers 503.
		{"access token with scope", "GET", "/items", "Bearer " + access, "", 503, `"code":"items_unavailable"`},
		{"access token without scope", "POST", "/items", "Bearer " + access, `{"name":"x"}`, 401, unauthorized},
		{"write scope", "POST", "/items", "Bearer " + is.Mint(t, is.AccessClaims("scope", "demo-api/write")), `{"name":"Buy milk"}`, 400, `"code":"idempotency_key_missing"`},
		{"path parameter", "GET", "/items/01KBQ4Z7R2M8V5X9C3N6P1T0WA", "Bearer " + access, "", 503, `"code":"items_unavailable"`},
		{"path parameter, not an id", "DELETE", "/items/42", "Bearer " + is.Mint(t, is.AccessClaims("scope", "demo-api/write")), "", 400, `"code":"invalid_id"`},
		{"scoped, wrong client", "GET", "/items", "Bearer " + is.Mint(t, is.AccessClaims("client_id", otherClient)), "", 401, unauthorized},
		{"group route, member", "GET", "/admin", "Bearer " + id, "", 200, `"admin":{`},
		{"group route, not a member: the handler refuses", "GET", "/admin", "Bearer " + is.Mint(t, is.IDClaims("cognito:groups", testkit.Absent)), "", 403, `"code":"not_in_group"`},
		{"unknown path needs a token", "GET", "/nope", "", "", 401, unauthorized},
		{"unknown path: the handler answers 404", "GET", "/nope/deeper", "Bearer " + id, "", 404, `"code":"not_found"`},
		{"method without a route", "DELETE", "/me", "Bearer " + id, "", 403, `{"message":"Missing Authentication Token"}`},
		// CDK's proxy resource adds ANY / beside {proxy+}: the root is the catch-all's too.
		{"root needs a token", "GET", "/", "", "", 401, unauthorized},
		{"root: the handler answers 404", "POST", "/", "Bearer " + id, "", 404, `"code":"not_found"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.do(tt.method, tt.path, tt.auth, tt.body)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("got %d %s; want %d with %s", w.Code, w.Body, tt.status, tt.want)
			}
			if w.Header().Get("Content-Type") != "application/json" {
				t.Errorf("Content-Type %q", w.Header().Get("Content-Type"))
			}
			if w.Header().Get("x-amzn-RequestId") == "" {
				t.Error("no request id")
			}
		})
	}
	if strings.Contains(f.logs.String(), id) || strings.Contains(f.logs.String(), access) {
		t.Errorf("a token reached the log:\n%s", f.logs)
	}
}

// The event the handler gets is what API Gateway's Cognito authorizer would send.
func TestEvent(t *testing.T) {
	var got events.APIGatewayProxyRequest
	f := newFixture(t, devCORS, func(_ context.Context, e events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		got = e
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: "{}"}, nil
	})
	exp := time.Date(2099, 1, 2, 3, 4, 5, 0, time.UTC)
	tok := f.is.Mint(t, f.is.AccessClaims("exp", exp.Unix(), "scope", "openid demo-api/read", "cognito:groups", []string{"admin", "readers"}))
	w := f.do("GET", "/items/42?a=1&a=2&b=x", "Bearer "+tok, "", "Origin", appOrigin, "X-Trace", "t1")
	if w.Code != 200 {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	if got.Resource != "/items/{id}" || got.Path != "/items/42" || got.HTTPMethod != "GET" || got.PathParameters["id"] != "42" {
		t.Errorf("resource %q path %q method %q params %v", got.Resource, got.Path, got.HTTPMethod, got.PathParameters)
	}
	rc := got.RequestContext
	if rc.Stage != "dev" || rc.Path != "/dev/items/42" || rc.ResourcePath != "/items/{id}" || rc.RequestID != w.Header().Get("x-amzn-RequestId") || rc.Identity.SourceIP != "192.0.2.1" {
		t.Errorf("request context %+v", rc)
	}
	claims, ok := rc.Authorizer["claims"].(map[string]any)
	if !ok {
		t.Fatalf("authorizer %v", rc.Authorizer)
	}
	want := map[string]any{
		"sub": alice, "token_use": "access", "client_id": client, "scope": "openid demo-api/read",
		"cognito:groups": "admin,readers", "exp": "Fri Jan 02 03:04:05 UTC 2099",
	}
	for k, v := range want {
		if claims[k] != v {
			t.Errorf("claims[%q] = %#v, want %#v", k, claims[k], v)
		}
	}
	for k, v := range claims {
		if _, isString := v.(string); !isString {
			t.Errorf("claims[%q] = %#v is not a string", k, v)
		}
	}
	if got.QueryStringParameters["a"] != "2" || len(got.MultiValueQueryStringParameters["a"]) != 2 || got.QueryStringParameters["b"] != "x" {
		t.Errorf("query %v %v", got.QueryStringParameters, got.MultiValueQueryStringParameters)
	}
	if got.Headers["Origin"] != appOrigin || got.Headers["X-Trace"] != "t1" || got.Headers["Host"] != "example.com" {
		t.Errorf("headers %v", got.Headers)
	}

	// Public routes get no claims, even with a token; no query gives nulls as in AWS.
	f.do("GET", "/health", "Bearer "+tok, "")
	if got.RequestContext.Authorizer != nil || got.QueryStringParameters != nil || got.PathParameters != nil {
		t.Errorf("public event: authorizer %v query %v params %v", got.RequestContext.Authorizer, got.QueryStringParameters, got.PathParameters)
	}
	// The catch-all gets its proxy parameter.
	f.do("GET", "/a/b", "Bearer "+f.is.Mint(t, f.is.IDClaims()), "")
	if got.Resource != routes.ProxyPath || got.PathParameters["proxy"] != "a/b" {
		t.Errorf("proxy event: %q %v", got.Resource, got.PathParameters)
	}
	// Bodies: text as is, anything else base64.
	f.do("POST", "/items", "Bearer "+f.is.Mint(t, f.is.AccessClaims("scope", "demo-api/write")), "\xff\x00")
	if !got.IsBase64Encoded || got.Body != "/wA=" {
		t.Errorf("binary body: %q base64 %v", got.Body, got.IsBase64Encoded)
	}
}

func TestHandlerResponse(t *testing.T) {
	var resp events.APIGatewayProxyResponse
	var err error
	f := newFixture(t, devCORS, func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return resp, err
	})
	resp = events.APIGatewayProxyResponse{
		StatusCode:        418,
		Headers:           map[string]string{"X-One": "1", "Content-Type": "text/plain"},
		MultiValueHeaders: map[string][]string{"Set-Cookie": {"a=1", "b=2"}},
		Body:              base64.StdEncoding.EncodeToString([]byte("teapot")),
		IsBase64Encoded:   true,
	}
	w := f.do("GET", "/health", "", "")
	if w.Code != 418 || w.Body.String() != "teapot" || w.Header().Get("X-One") != "1" || len(w.Header().Values("Set-Cookie")) != 2 {
		t.Errorf("got %d %q %v", w.Code, w.Body, w.Header())
	}
	for _, bad := range []struct {
		resp events.APIGatewayProxyResponse
		err  error
	}{
		{events.APIGatewayProxyResponse{}, nil},
		{events.APIGatewayProxyResponse{StatusCode: 200}, errors.New("boom")},
		{events.APIGatewayProxyResponse{StatusCode: 200, Body: "!!", IsBase64Encoded: true}, nil},
	} {
		resp, err = bad.resp, bad.err
		w := f.do("GET", "/health", "", "", "Origin", appOrigin)
		if w.Code != 502 || w.Body.String() != `{"message":"Internal server error"}` || w.Header().Get("Access-Control-Allow-Origin") != appOrigin {
			t.Errorf("%+v, %v: got %d %s %v", bad.resp, bad.err, w.Code, w.Body, w.Header())
		}
	}
}

func TestCORS(t *testing.T) {
	t.Run("one origin", func(t *testing.T) {
		f := newFixture(t, devCORS, nil)
		w := f.do("OPTIONS", "/me", "", "", "Origin", appOrigin, "Access-Control-Request-Method", "GET")
		h := w.Header()
		if w.Code != 204 || h.Get("Access-Control-Allow-Origin") != appOrigin || h.Get("Access-Control-Max-Age") != "600" ||
			h.Get("Access-Control-Allow-Headers") != "Authorization,Content-Type,Idempotency-Key" || h.Get("Access-Control-Allow-Methods") != corsAllowMethods {
			t.Errorf("preflight: %d %v", w.Code, h)
		}
		// The gateway's own 401 carries the origin too, or a browser would hide it.
		w = f.do("GET", "/me", "", "", "Origin", appOrigin)
		if w.Code != 401 || w.Header().Get("Access-Control-Allow-Origin") != appOrigin || w.Header().Get("Vary") != "Origin" {
			t.Errorf("401: %d %v", w.Code, w.Header())
		}
		// The handler's replies carry its own CORS headers.
		w = f.do("GET", "/me", "Bearer "+f.is.Mint(t, f.is.IDClaims()), "", "Origin", appOrigin)
		if w.Code != 200 || w.Header().Get("Access-Control-Allow-Origin") != appOrigin {
			t.Errorf("200: %d %v", w.Code, w.Header())
		}
	})
	t.Run("several origins", func(t *testing.T) {
		other := "https://app.example.com"
		f := newFixture(t, config.CORS{AllowOrigins: []string{appOrigin, other}, MaxAgeSeconds: 60}, nil)
		for origin, want := range map[string]string{other: other, "https://evil.example": appOrigin, "": appOrigin} {
			w := f.do("OPTIONS", "/items", "", "", "Origin", origin)
			if got := w.Header().Get("Access-Control-Allow-Origin"); w.Code != 204 || got != want || w.Header().Get("Access-Control-Max-Age") != "60" {
				t.Errorf("origin %q: %d allow-origin %q, want %q", origin, w.Code, got, want)
			}
		}
		// The gateway's own errors name the first origin whoever asks: reflecting Origin would
		// let any site read them (origin.GatewayError).
		for _, origin := range []string{other, "https://evil.example"} {
			w := f.do("GET", "/me", "", "", "Origin", origin)
			if got := w.Header().Get("Access-Control-Allow-Origin"); w.Code != 401 || got != appOrigin {
				t.Errorf("401 for %s: allow-origin %q, want %q", origin, got, appOrigin)
			}
		}
		// The handler's replies serve every configured origin.
		w := f.do("GET", "/me", "Bearer "+f.is.Mint(t, f.is.IDClaims()), "", "Origin", other)
		if got := w.Header().Get("Access-Control-Allow-Origin"); w.Code != 200 || got != other {
			t.Errorf("200 for %s: allow-origin %q", other, got)
		}
	})
	t.Run("off", func(t *testing.T) {
		f := newFixture(t, config.CORS{}, nil)
		// No OPTIONS methods exist then: the catch-all's ANY takes it, behind the authorizer.
		w := f.do("OPTIONS", "/me", "", "", "Origin", appOrigin)
		if w.Code != 403 || w.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("OPTIONS /me: %d %v", w.Code, w.Header())
		}
		w = f.do("OPTIONS", "/nope", "", "", "Origin", appOrigin)
		if w.Code != 401 || w.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("OPTIONS /nope: %d %v", w.Code, w.Header())
		}
	})
}

func TestLogLine(t *testing.T) {
	f := newFixture(t, devCORS, nil)
	id := f.is.Mint(t, f.is.IDClaims())
	f.do("GET", "/me?token="+id, "Bearer "+id, "")
	f.do("GET", "/me", "Bearer "+f.is.Mint(t, f.is.IDClaims("aud", otherClient)), "")
	f.do("GET", "/items", "Bearer "+f.is.Mint(t, f.is.AccessClaims("scope", "openid")), "")
	lines := strings.Split(strings.TrimSpace(f.logs.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want one line per request:\n%s", f.logs)
	}
	for i, want := range []string{
		"msg=request method=GET path=/me status=200 latency=",
		"msg=request method=GET path=/me status=401 latency=",
		"msg=request method=GET path=/items status=401 latency=",
	} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d = %s\nwant %s", i, lines[i], want)
		}
	}
	if !strings.Contains(lines[0], "sub="+alice) || !strings.HasSuffix(lines[1], `reason="token app client not accepted: aud not an allowed client"`) ||
		!strings.Contains(lines[2], "sub="+alice) || !strings.Contains(lines[2], `reason="token lacks the method's scopes demo-api/read"`) {
		t.Errorf("log:\n%s", f.logs)
	}
	if strings.Contains(f.logs.String(), "eyJ") {
		t.Errorf("a token reached the log:\n%s", f.logs)
	}
}

func TestBodyLimit(t *testing.T) {
	f := newFixture(t, devCORS, nil)
	w := f.do("POST", "/items", "Bearer "+f.is.Mint(t, f.is.AccessClaims("scope", "demo-api/write")), strings.Repeat("x", MaxBodyBytes+1))
	if w.Code != 413 {
		t.Errorf("got %d %s", w.Code, w.Body)
	}
}

// TestBodyLimitOverLoopback: API Gateway's payload limit at both edges, over HTTP: 10 MiB
// reach the handler whole, one byte more gets the gateway's 413.
func TestBodyLimitOverLoopback(t *testing.T) {
	var got int
	f := newFixture(t, devCORS, func(_ context.Context, e events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		got = len(e.Body)
		return events.APIGatewayProxyResponse{StatusCode: 201, Body: "{}"}, nil
	})
	srv := httptest.NewServer(f.gw)
	defer srv.Close()
	token := "Bearer " + f.is.Mint(t, f.is.AccessClaims("scope", "demo-api/write"))
	for _, tc := range []struct {
		size   int
		status int
		body   string
	}{
		{MaxBodyBytes, 201, "{}"},
		{MaxBodyBytes + 1, 413, `{"message":"Request Too Long"}`},
	} {
		got = -1
		req, err := http.NewRequest("POST", srv.URL+"/items", strings.NewReader(strings.Repeat("x", tc.size)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", token)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || string(body) != tc.body {
			t.Errorf("%d bytes: %d %s, want %d %s", tc.size, resp.StatusCode, body, tc.status, tc.body)
		}
		if want := map[bool]int{true: MaxBodyBytes, false: -1}[tc.status == 201]; got != want {
			t.Errorf("%d bytes: the handler got %d bytes, want %d", tc.size, got, want)
		}
	}
}

// TestPreflightMaxAgeOverLoopback: preflight replies carry the stage's max age as it is,
// at both ends of the range the configuration takes (0-86400 seconds).
func TestPreflightMaxAgeOverLoopback(t *testing.T) {
	for _, maxAge := range []int{0, 86400} {
		f := newFixture(t, config.CORS{AllowOrigins: []string{appOrigin}, MaxAgeSeconds: maxAge}, nil)
		srv := httptest.NewServer(f.gw)
		req, err := http.NewRequest("OPTIONS", srv.URL+"/me", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Origin", appOrigin)
		req.Header.Set("Access-Control-Request-Method", "GET")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		srv.Close()
		if got := resp.Header.Get("Access-Control-Max-Age"); resp.StatusCode != 204 || got != strconv.Itoa(maxAge) {
			t.Errorf("max age %d: %d Access-Control-Max-Age %q", maxAge, resp.StatusCode, got)
		}
	}
}

func TestNewChecksOptions(t *testing.T) {
	_, err := New(Options{})
	for _, want := range []string{"no routes", "no token verifier", "no handler", "no stage name"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}

// TestRootBesideARootRoute: a table route on / leaves the root's other methods to CDK's ANY /,
// behind the authorizer, as the deployed API does.
func TestRootBesideARootRoute(t *testing.T) {
	withRoot := append(routes.Table{{Method: "GET", Path: "/", Access: routes.Public}}, table...)
	is := testkit.New(t, pool)
	v, err := verifier.New(context.Background(), verifier.Config{Issuer: is.Issuer(), ClientIDs: []string{client}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.Close)
	h := func(_ context.Context, e events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: `{"resource":"` + e.Resource + `"}`}, nil
	}
	gw, err := New(Options{Routes: withRoot, Verifier: v, Handler: h, Stage: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		method, auth string
		status       int
	}{
		{"GET", "", 200},
		{"POST", "", 401},
		{"DELETE", "Bearer " + is.Mint(t, is.IDClaims()), 200},
	} {
		r := httptest.NewRequest(tc.method, "/", nil)
		if tc.auth != "" {
			r.Header.Set("Authorization", tc.auth)
		}
		w := httptest.NewRecorder()
		gw.ServeHTTP(w, r)
		if w.Code != tc.status {
			t.Errorf("%s / (token %v): %d %s, want %d", tc.method, tc.auth != "", w.Code, w.Body, tc.status)
		}
	}
}

// TestHandlerStatusOverLoopback: the handler's status reaches the client from 200 to 599;
// outside that range the proxy response is malformed and the gateway answers 502, as for a
// failed invocation. A 1xx would otherwise reach the client as an interim reply and a 200.
func TestHandlerStatusOverLoopback(t *testing.T) {
	var status int
	f := newFixture(t, devCORS, func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{StatusCode: status, Body: `{"from":"handler"}`}, nil
	})
	srv := httptest.NewServer(f.gw)
	defer srv.Close()
	for _, tc := range []struct {
		status, want int
		body         string
	}{
		{0, 502, `{"message":"Internal server error"}`},
		{100, 502, `{"message":"Internal server error"}`},
		{101, 502, `{"message":"Internal server error"}`},
		{199, 502, `{"message":"Internal server error"}`},
		{200, 200, `{"from":"handler"}`},
		{599, 599, `{"from":"handler"}`},
		{600, 502, `{"message":"Internal server error"}`},
	} {
		status = tc.status
		resp, err := srv.Client().Get(srv.URL + "/health")
		if err != nil {
			t.Fatalf("handler status %d: %v", tc.status, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want || string(body) != tc.body {
			t.Errorf("handler status %d: got %d %s, want %d %s", tc.status, resp.StatusCode, body, tc.want, tc.body)
		}
	}
}

// TestGatewayRefusalsOverLoopback: the gateway's own replies name their error type in
// x-amzn-ErrorType where API Gateway does (the authorizer's 401, a missing method's 403), and
// send no such header otherwise.
func TestGatewayRefusalsOverLoopback(t *testing.T) {
	f := newFixture(t, devCORS, func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{}, errors.New("boom")
	})
	srv := httptest.NewServer(f.gw)
	defer srv.Close()
	for _, tc := range []struct {
		method, path, body string
		status             int
		errorType          []string
	}{
		{"GET", "/me", "", 401, []string{"UnauthorizedException"}},
		{"DELETE", "/health", "", 403, []string{"MissingAuthenticationTokenException"}},
		{"GET", "/health", "", 502, nil},
	} {
		req, err := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Values("X-Amzn-Errortype"); resp.StatusCode != tc.status || !slices.Equal(got, tc.errorType) {
			t.Errorf("%s %s: %d x-amzn-ErrorType %q, want %d %q", tc.method, tc.path, resp.StatusCode, got, tc.status, tc.errorType)
		}
	}
	// A body over the payload limit: 413 without an error type.
	f = newFixture(t, devCORS, nil)
	srv2 := httptest.NewServer(f.gw)
	defer srv2.Close()
	req, err := http.NewRequest("POST", srv2.URL+"/items", strings.NewReader(strings.Repeat("x", MaxBodyBytes+1)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+f.is.Mint(t, f.is.AccessClaims("scope", "demo-api/write")))
	resp, err := srv2.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Values("X-Amzn-Errortype"); resp.StatusCode != 413 || len(got) > 0 {
		t.Errorf("body over the limit: %d x-amzn-ErrorType %q, want 413 and none", resp.StatusCode, got)
	}
}

// TestPreflightAnyOrigin: with "*" as the only origin, preflight answers "*", not the
// caller's origin, as CDK's mock integration does.
func TestPreflightAnyOrigin(t *testing.T) {
	f := newFixture(t, config.CORS{AllowOrigins: []string{"*"}, MaxAgeSeconds: 600}, nil)
	srv := httptest.NewServer(f.gw)
	defer srv.Close()
	for _, origin := range []string{"https://any.example", ""} {
		req, err := http.NewRequest("OPTIONS", srv.URL+"/items", nil)
		if err != nil {
			t.Fatal(err)
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Access-Control-Allow-Origin"); resp.StatusCode != 204 || got != "*" {
			t.Errorf("origin %q: %d Access-Control-Allow-Origin %q, want 204 *", origin, resp.StatusCode, got)
		}
	}
}
