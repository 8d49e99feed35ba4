package handler_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
	"github.com/cognito-apigw/cognito-apigw/lambda/proxy/handler"
)

// alice and client are the sample events' caller and app client; bob is in none of them.
const (
	alice       = testkit.Subject
	bob         = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
	client      = testkit.ClientID
	otherClient = testkit.OtherClientID
	appOrigin   = "https://app.example.com"
)

var fixedNow = time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)

// newHandler builds a handler over the sample table, logging into the returned buffer.
func newHandler(t testing.TB, table routes.Table, origins ...string) (*handler.Handler, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	if origins == nil {
		origins = []string{appOrigin}
	}
	h, err := handler.New(fnenv.Proxy{Routes: table, Clients: fnenv.Clients{Web: []string{client}}, AllowedOrigins: origins}, &handler.Options{
		Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
		Now:    func() time.Time { return fixedNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	return h, &logs
}

func call(t *testing.T, h *handler.Handler, ev events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
	t.Helper()
	resp, err := h.Handle(context.Background(), ev)
	if err != nil {
		t.Fatalf("Handle returned an error (API Gateway would answer 502): %v", err)
	}
	return resp
}

// decode parses a JSON reply body into generic values for field lookups.
func decode(t *testing.T, resp events.APIGatewayProxyResponse) map[string]any {
	t.Helper()
	if got := resp.Headers["Content-Type"]; got != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", got)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, resp.Body)
	}
	return m
}

// field looks up a dotted path such as "error.code" in a decoded body.
func field(m map[string]any, path string) any {
	var v any = m
	for _, k := range strings.Split(path, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[k]
	}
	return v
}

// setClaim rewrites one claim of a Cognito-authorized event.
func setClaim(key string, value any) func(*events.APIGatewayProxyRequest) {
	return func(ev *events.APIGatewayProxyRequest) {
		ev.RequestContext.Authorizer["claims"].(map[string]any)[key] = value
	}
}

func TestHandleFixtures(t *testing.T) {
	tests := []struct {
		fixture string
		edit    func(*events.APIGatewayProxyRequest)
		status  int
		code    string            // error code; "" for success
		auth    string            // substring of WWW-Authenticate
		fields  map[string]any    // dotted path -> JSON value
		headers map[string]string // extra headers to check
	}{
		{fixture: "health-public", status: 200, fields: map[string]any{"status": "ok"}},
		{fixture: "me-id-token", status: 200, fields: map[string]any{
			"sub": alice, "username": alice, "email": "alice@example.com", "email_verified": true,
			"groups": []any{"admin", "users"}, "token_use": "id", "scopes": []any{}, "client_id": client,
			"auth_time": "2026-11-22T09:00:00Z", "exp": "2026-11-22T10:00:00Z",
		}},
		{fixture: "me-id-token-bracket-groups", status: 200, fields: map[string]any{"groups": []any{"admin", "users"}}},
		{fixture: "me-token-authorizer", status: 200, fields: map[string]any{
			"sub": alice, "groups": []any{"admin", "users"}, "exp": "2026-11-22T10:00:00Z", "email_verified": true,
		}},
		{fixture: "me-id-token", edit: setClaim("email_verified", "false"), status: 200, fields: map[string]any{"email_verified": false}},
		{fixture: "me-access-token", status: 401, code: "wrong_token_use", auth: `Bearer error="invalid_token"`,
			fields: map[string]any{"error.message": "This route needs an ID token."}},
		{fixture: "me-wrong-client", status: 401, code: "client_not_allowed", auth: `error="invalid_token"`},
		{fixture: "me-missing-claims", status: 401, code: "unauthenticated", headers: map[string]string{"WWW-Authenticate": "Bearer"}},
		{fixture: "me-malformed-claims", status: 401, code: "invalid_token", auth: `error="invalid_token"`},
		{fixture: "me-id-token", edit: setClaim("token_use", "refresh"), status: 401, code: "invalid_token"},
		// Without an items table (see items_test.go for the routes with one), a caller who passes
		// gets 503; one who does not gets the refusal first.
		{fixture: "items-get-access-token", status: 503, code: "items_unavailable"},
		{fixture: "item-get-access-token", status: 503, code: "items_unavailable"},
		{fixture: "item-delete-access-token", status: 503, code: "items_unavailable"},
		{fixture: "item-delete-access-token", edit: setClaim("scope", "demo-api/read"), status: 403, code: "insufficient_scope", auth: `scope="demo-api/write"`},
		{fixture: "item-get-access-token", edit: setClaim("token_use", "id"), status: 401, code: "wrong_token_use"},
		{fixture: "items-get-id-token", status: 401, code: "wrong_token_use", auth: `error="invalid_token"`,
			fields: map[string]any{"error.message": "This route needs an access token."}},
		{fixture: "items-get-access-token", edit: setClaim("client_id", otherClient), status: 401, code: "client_not_allowed"},
		{fixture: "items-get-access-token", edit: setClaim("scope", "openid email"), status: 403, code: "insufficient_scope",
			auth: `Bearer error="insufficient_scope"`},
		{fixture: "items-post-access-token", status: 503, code: "items_unavailable"},
		{fixture: "items-post-read-scope", status: 403, code: "insufficient_scope", auth: `scope="demo-api/write"`},
		{fixture: "admin-id-token", status: 200, fields: map[string]any{
			"admin.sub": alice, "admin.email": "alice@example.com", "admin.groups": []any{"users", "admin"}, "items_total": nil,
		}},
		{fixture: "admin-bracket-groups", status: 200, fields: map[string]any{"admin.groups": []any{"users", "admin"}}},
		{fixture: "admin-id-token", edit: setClaim("cognito:groups", "administrators,users"), status: 403, code: "not_in_group",
			auth: `error="insufficient_scope"`},
		{fixture: "admin-not-in-group", status: 403, code: "not_in_group", auth: `error="insufficient_scope"`,
			// No scope would help: the challenge names none.
			headers: map[string]string{"WWW-Authenticate": `Bearer error="insufficient_scope", error_description="The caller is not in a group this route allows."`}},
		{fixture: "proxy-unknown-path", status: 404, code: "not_found"},
		// The catch-all wants an ID token before it says anything.
		{fixture: "proxy-unknown-path", edit: func(ev *events.APIGatewayProxyRequest) { ev.RequestContext.Authorizer = nil },
			status: 401, code: "unauthenticated"},
		{fixture: "proxy-unknown-path", edit: setClaim("token_use", "access"), status: 401, code: "wrong_token_use"},
		{fixture: "proxy-unknown-path", edit: setClaim("aud", otherClient), status: 401, code: "client_not_allowed"},
		// A known path with a method the table lacks is unknown too.
		{fixture: "me-id-token", edit: func(ev *events.APIGatewayProxyRequest) { ev.HTTPMethod = "DELETE" }, status: 404, code: "not_found"},
	}
	for _, tt := range tests {
		name := tt.fixture
		if tt.edit != nil {
			name += "/edited"
		}
		t.Run(name, func(t *testing.T) {
			h, _ := newHandler(t, testkit.SampleRoutes())
			ev := testkit.ProxyEvent(t, tt.fixture)
			if tt.edit != nil {
				tt.edit(&ev)
			}
			resp := call(t, h, ev)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, tt.status, resp.Body)
			}
			body := decode(t, resp)
			if got := field(body, "error.code"); tt.code == "" && got != nil {
				t.Errorf("error.code = %v, want no error", got)
			} else if tt.code != "" && got != tt.code {
				t.Errorf("error.code = %v, want %q", got, tt.code)
			}
			if tt.code != "" {
				if msg, _ := field(body, "error.message").(string); msg == "" {
					t.Error("error.message is empty")
				}
			}
			for path, want := range tt.fields {
				if got := field(body, path); !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %#v, want %#v", path, got, want)
				}
			}
			gotAuth := resp.Headers["WWW-Authenticate"]
			if tt.auth != "" && !strings.Contains(gotAuth, tt.auth) {
				t.Errorf("WWW-Authenticate = %q, want it to contain %q", gotAuth, tt.auth)
			}
			// RFC 6750: every 401 and 403 carries a Bearer challenge, nothing else does.
			if challenge := resp.StatusCode == 401 || resp.StatusCode == 403; challenge != strings.HasPrefix(gotAuth, "Bearer") {
				t.Errorf("status %d with WWW-Authenticate %q", resp.StatusCode, gotAuth)
			}
			for k, want := range tt.headers {
				if got := resp.Headers[k]; got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			// Every reply, errors included, lets the app's origin read it.
			if got := resp.Headers["Access-Control-Allow-Origin"]; got != appOrigin {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, appOrigin)
			}
			if got := resp.Headers["Vary"]; got != "Origin" {
				t.Errorf("Vary = %q, want Origin", got)
			}
		})
	}
}

// TestMeShape pins the exact JSON of GET /me: clients depend on it.
func TestMeShape(t *testing.T) {
	h, _ := newHandler(t, testkit.SampleRoutes())
	resp := call(t, h, testkit.ProxyEvent(t, "me-id-token"))
	want := `{"sub":"` + alice + `","username":"` + alice + `","email":"alice@example.com","email_verified":true,` +
		`"groups":["admin","users"],"token_use":"id","scopes":[],"client_id":"` + client + `",` +
		`"auth_time":"2026-11-22T09:00:00Z","exp":"2026-11-22T10:00:00Z"}`
	if resp.Body != want {
		t.Errorf("body:\n got %s\nwant %s", resp.Body, want)
	}

	// Times the token did not carry are left out rather than shown as year 1.
	ev := testkit.ProxyEvent(t, "me-id-token")
	claims := ev.RequestContext.Authorizer["claims"].(map[string]any)
	delete(claims, "auth_time")
	delete(claims, "cognito:groups")
	body := decode(t, call(t, h, ev))
	if _, ok := body["auth_time"]; ok {
		t.Errorf("auth_time present without an auth_time claim: %v", body)
	}
	if got := field(body, "groups"); !reflect.DeepEqual(got, []any{}) {
		t.Errorf("groups = %#v, want []", got)
	}
}

func TestErrorShape(t *testing.T) {
	h, _ := newHandler(t, testkit.SampleRoutes())
	resp := call(t, h, testkit.ProxyEvent(t, "me-wrong-client"))
	want := `{"error":{"code":"client_not_allowed","message":"The token was issued to an app client this API does not accept."}}`
	if resp.Body != want {
		t.Errorf("body:\n got %s\nwant %s", resp.Body, want)
	}
}

func TestCORS(t *testing.T) {
	withOrigin := func(origin string) events.APIGatewayProxyRequest {
		ev := testkit.ProxyEvent(t, "health-public")
		delete(ev.Headers, "Origin")
		delete(ev.MultiValueHeaders, "Origin")
		if origin != "" {
			ev.Headers["origin"] = origin // HTTP/2 clients send lower case
		}
		return ev
	}
	tests := []struct {
		name    string
		allowed []string
		origin  string
		want    string
	}{
		{"allowed origin is echoed", []string{"http://localhost:5173", appOrigin}, appOrigin, appOrigin},
		{"other origin gets nothing", []string{appOrigin}, "https://evil.example", ""},
		{"no Origin header", []string{appOrigin}, "", ""},
		{"star allows any", []string{"*"}, "https://anything.example", "*"},
		{"no origins configured", []string{}, appOrigin, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := newHandler(t, testkit.SampleRoutes(), tt.allowed...)
			resp := call(t, h, withOrigin(tt.origin))
			if got := resp.Headers["Access-Control-Allow-Origin"]; got != tt.want {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, tt.want)
			}
			if got := resp.Headers["Vary"]; got != "Origin" {
				t.Errorf("Vary = %q, want Origin", got)
			}
			wantExpose := ""
			if tt.want != "" {
				wantExpose = "WWW-Authenticate, Idempotent-Replayed, Retry-After"
			}
			if got := resp.Headers["Access-Control-Expose-Headers"]; got != wantExpose {
				t.Errorf("Access-Control-Expose-Headers = %q, want %q", got, wantExpose)
			}
		})
	}

	t.Run("OPTIONS is not preflight here", func(t *testing.T) {
		// API Gateway answers preflight; an OPTIONS that reaches the handler (through the
		// catch-all, with CORS off) is an ordinary request.
		h, _ := newHandler(t, testkit.SampleRoutes())
		ev := testkit.ProxyEvent(t, "me-missing-claims")
		ev.HTTPMethod = "OPTIONS"
		if resp := call(t, h, ev); resp.StatusCode != 401 {
			t.Errorf("OPTIONS /me without claims: %d, want 401", resp.StatusCode)
		}
	})
}

func TestNotImplemented(t *testing.T) {
	table := append(testkit.SampleRoutes(),
		routes.Route{Method: "GET", Path: "/reports", Access: routes.Protected},
		routes.Route{Method: "GET", Path: "/status", Access: routes.Public})
	h, logs := newHandler(t, table)
	if !strings.Contains(logs.String(), `"route":"GET /reports"`) {
		t.Errorf("New did not warn about GET /reports: %s", logs)
	}

	ev := testkit.ProxyEvent(t, "me-id-token")
	ev.Resource, ev.Path = "/reports", "/reports"
	resp := call(t, h, ev)
	if got := field(decode(t, resp), "error.code"); resp.StatusCode != 501 || got != "not_implemented" {
		t.Errorf("GET /reports: %d %v, want 501 not_implemented", resp.StatusCode, got)
	}
	// Identity is checked before the 501.
	ev.RequestContext.Authorizer = nil
	if resp := call(t, h, ev); resp.StatusCode != 401 {
		t.Errorf("GET /reports without claims: %d, want 401", resp.StatusCode)
	}

	ev = testkit.ProxyEvent(t, "health-public")
	ev.Resource, ev.Path = "/status", "/status"
	if resp := call(t, h, ev); resp.StatusCode != 501 {
		t.Errorf("public GET /status: %d, want 501", resp.StatusCode)
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		table   routes.Table
		clients []string
		machine map[string]string
		origins []string
		// itemsTable names a table; db gives the handler a DynamoDB client (none is called).
		itemsTable string
		db         bool
		want       []string // substrings of the error; none means success
	}{
		{name: "no options", table: testkit.SampleRoutes(), clients: []string{client}},
		{name: "empty table", clients: []string{client}, want: []string{"want at least one route"}},
		{name: "bad table", clients: []string{client}, table: routes.Table{
			{Method: "get", Path: "/x", Access: routes.Public},
			{Method: "GET", Path: "/y/", Access: "private"},
			{Method: "GET", Path: "/z", Access: routes.Scoped},
		}, want: []string{"routes[0].method", "routes[1].path", "routes[1].access", "routes[2].scopes"}},
		{name: "public route whose code needs a caller", clients: []string{client},
			table: routes.Table{{Method: "GET", Path: "/me", Access: routes.Public}},
			want:  []string{"GET /me is public"}},
		{name: "no client ids", table: testkit.SampleRoutes(), want: []string{"at least one app client id"}},
		{name: "blank client id", table: testkit.SampleRoutes(), clients: []string{client, " "}, want: []string{"allowed client ids[1]"}},
		{name: "machine client under the web client's id", table: testkit.SampleRoutes(), clients: []string{client},
			machine: map[string]string{"reporting": client}, want: []string{"one name per client"}},
		{name: "bad origins", table: testkit.SampleRoutes(), clients: []string{client},
			origins: []string{"app.example.com", "https://app.example.com/path", "https://ok.example"},
			want:    []string{"allowed origins[0]", "allowed origins[1]"}},
		// Browsers send the exact form; API Gateway compares strings, so must the handler.
		{name: "origin not as a browser sends it", table: testkit.SampleRoutes(), clients: []string{client},
			origins: []string{"HTTPS://App.Example.com/", "https://ok.example"},
			want:    []string{"allowed origins[0]", "did you mean https://app.example.com"}},
		{name: "items table without a client", table: testkit.SampleRoutes(), clients: []string{client}, itemsTable: "items",
			want: []string{"items table items: no DynamoDB client"}},
		{name: "bad items table name", table: testkit.SampleRoutes(), clients: []string{client}, itemsTable: "my items", db: true,
			want: []string{`items table: got "my items"`}},
		{name: "items table and its client", table: testkit.SampleRoutes(), clients: []string{client}, itemsTable: "items", db: true},
		{name: "every problem at once", itemsTable: "it", db: true, want: []string{"want at least one route", "at least one app client id", `items table: got "it"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := fnenv.Proxy{Routes: tt.table, Clients: fnenv.Clients{Web: tt.clients, Machine: tt.machine}, AllowedOrigins: tt.origins, ItemsTable: tt.itemsTable}
			var opts *handler.Options
			if tt.db {
				opts = &handler.Options{DynamoDB: failing{}}
			}
			h, err := handler.New(cfg, opts)
			if len(tt.want) == 0 {
				if err != nil || h == nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil || h != nil {
				t.Fatalf("New = %v, %v; want an error", h, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "allowed origins[2]") {
				t.Errorf("a valid origin was refused: %v", err)
			}
		})
	}
}

func TestNilHandler(t *testing.T) {
	var h *handler.Handler
	resp, err := h.Handle(context.Background(), testkit.ProxyEvent(t, "health-public"))
	if err != nil || resp.StatusCode != 500 {
		t.Fatalf("nil handler: %d, %v; want 500 and no error", resp.StatusCode, err)
	}
	if got := field(decode(t, resp), "error.code"); got != "internal_error" {
		t.Errorf("error.code = %v, want internal_error", got)
	}
}

// TestLogsCarryNoToken runs every fixture and checks that the logs say why a request was refused
// without ever showing the bearer token.
func TestLogsCarryNoToken(t *testing.T) {
	h, logs := newHandler(t, testkit.SampleRoutes())
	for _, f := range testkit.ProxyEventFiles(t) {
		var ev events.APIGatewayProxyRequest
		testkit.ReadJSON(t, f, &ev)
		call(t, h, ev)
	}
	out := logs.String()
	for _, secret := range []string{"eyJ", "Bearer ", "Authorization", "authorization"} {
		if strings.Contains(out, secret) {
			t.Errorf("logs contain %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{`"code":"client_not_allowed"`, `"code":"not_in_group"`, `"reason":"malformed authorizer claims: exp:`} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %s:\n%s", want, out)
		}
	}
	for line := range strings.Lines(out) {
		if !json.Valid([]byte(line)) {
			t.Errorf("log line is not JSON: %s", line)
		}
	}
}

// TestOriginSpellings: an event may carry Origin under several spellings; one value is used
// whatever the map order, and disagreeing values get no CORS headers at all.
func TestOriginSpellings(t *testing.T) {
	tests := []struct {
		name    string
		headers map[string]string
		multi   map[string][]string
		want    string
	}{
		{"one spelling", map[string]string{"origin": appOrigin}, nil, appOrigin},
		{"two spellings, one value", map[string]string{"Origin": appOrigin, "origin": appOrigin}, nil, appOrigin},
		{"two spellings, two values", map[string]string{"Origin": appOrigin, "origin": "https://evil.example"}, nil, ""},
		{"two spellings, allowed second", map[string]string{"Origin": "https://evil.example", "origin": appOrigin}, nil, ""},
		{"multi-value disagrees", map[string]string{"Origin": appOrigin}, map[string][]string{"Origin": {appOrigin, "https://evil.example"}}, ""},
		{"multi-value only", nil, map[string][]string{"ORIGIN": {appOrigin}}, appOrigin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := newHandler(t, testkit.SampleRoutes())
			for range 20 { // map order varies from run to run
				ev := testkit.ProxyEvent(t, "health-public")
				ev.Headers, ev.MultiValueHeaders = tt.headers, tt.multi
				if got := call(t, h, ev).Headers["Access-Control-Allow-Origin"]; got != tt.want {
					t.Fatalf("Access-Control-Allow-Origin = %q, want %q", got, tt.want)
				}
			}
		})
	}
}

// TestExpiredCaller: API Gateway caches the authorizer's answer, so the handler checks exp
// itself, with both authorizers' context shapes.
func TestExpiredCaller(t *testing.T) {
	expires := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC) // the fixtures' exp
	tests := []struct {
		name   string
		now    time.Time
		edit   func(map[string]any)
		status int
		code   string
	}{
		{"before exp", expires.Add(-time.Second), nil, 200, ""},
		{"within the leeway", expires.Add(4 * time.Second), nil, 200, ""},
		{"the leeway's last instant", expires.Add(5*time.Second - time.Nanosecond), nil, 200, ""},
		{"expired", expires.Add(5 * time.Second), nil, 401, "invalid_token"},
		{"expired an hour ago", expires.Add(time.Hour), nil, 401, "invalid_token"},
		{"no exp", expires.Add(-time.Hour), func(c map[string]any) { delete(c, "exp") }, 401, "invalid_token"},
	}
	for _, fixture := range []string{"me-id-token", "me-token-authorizer"} {
		for _, tt := range tests {
			t.Run(fixture+"/"+tt.name, func(t *testing.T) {
				h, err := handler.New(fnenv.Proxy{Routes: testkit.SampleRoutes(), Clients: fnenv.Clients{Web: []string{client}}}, &handler.Options{
					Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return tt.now },
				})
				if err != nil {
					t.Fatal(err)
				}
				ev := testkit.ProxyEvent(t, fixture)
				if tt.edit != nil {
					claims, ok := ev.RequestContext.Authorizer["claims"].(map[string]any)
					if !ok {
						claims = ev.RequestContext.Authorizer // a token authorizer's context
					}
					tt.edit(claims)
				}
				resp := call(t, h, ev)
				if got := field(decode(t, resp), "error.code"); resp.StatusCode != tt.status || (tt.code != "" && got != tt.code) {
					t.Errorf("%d %v, want %d %s", resp.StatusCode, got, tt.status, tt.code)
				}
			})
		}
	}
}

// TestRefusalLogNamesTheCaller: a refused request's log record names the caller's sub and app
// client when the request had one, and carries no such fields when it had none.
func TestRefusalLogNamesTheCaller(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		want    map[string]any // fields of the record; nil: absent
	}{
		{"me-wrong-client", map[string]any{"code": "client_not_allowed", "sub": alice, "client_id": otherClient}},
		{"me-missing-claims", map[string]any{"code": "unauthenticated", "sub": nil, "client_id": nil}},
	} {
		h, logs := newHandler(t, testkit.SampleRoutes())
		logs.Reset() // New's warnings (no items table)
		call(t, h, testkit.ProxyEvent(t, tc.fixture))
		var rec map[string]any
		if err := json.Unmarshal(logs.Bytes(), &rec); err != nil {
			t.Fatalf("%s: want one JSON record: %v\n%s", tc.fixture, err, logs)
		}
		for k, want := range tc.want {
			if got := rec[k]; got != want {
				t.Errorf("%s: %s = %v, want %v", tc.fixture, k, got, want)
			}
		}
	}
}
