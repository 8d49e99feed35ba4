package handler_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
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
	otherClient = "7f3k9w2q5z8x1c4v6b0n3m5l8j"
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
		{fixture: "items-get-access-token", status: 200, fields: map[string]any{"items": []any{}}},
		{fixture: "items-get-id-token", status: 401, code: "wrong_token_use", auth: `error="invalid_token"`,
			fields: map[string]any{"error.message": "This route needs an access token."}},
		{fixture: "items-get-access-token", edit: setClaim("client_id", otherClient), status: 401, code: "client_not_allowed"},
		{fixture: "items-get-access-token", edit: setClaim("scope", "openid email"), status: 403, code: "insufficient_scope",
			auth: `Bearer error="insufficient_scope"`},
		{fixture: "items-post-access-token", status: 201, fields: map[string]any{
			"name": "Buy milk", "owner": alice, "created_at": "2026-11-22T09:30:00Z",
		}},
		{fixture: "items-post-read-scope", status: 403, code: "insufficient_scope", auth: `scope="demo-api/write"`},
		{fixture: "admin-id-token", status: 200, fields: map[string]any{
			"admin.sub": alice, "admin.email": "alice@example.com", "admin.groups": []any{"users", "admin"}, "items_total": 0.0,
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

func postItem(t *testing.T, h *handler.Handler, sub, body string) events.APIGatewayProxyResponse {
	t.Helper()
	ev := testkit.ProxyEvent(t, "items-post-access-token")
	setClaim("sub", sub)(&ev)
	setClaim("username", sub)(&ev)
	ev.Body = body
	return call(t, h, ev)
}

// padded is a valid body of exactly n bytes: {"name": "Buy milk"} and trailing spaces.
func padded(n int) string {
	b := `{"name": "Buy milk"}`
	return b + strings.Repeat(" ", n-len(b))
}

func TestCreateItemValidation(t *testing.T) {
	hundred := strings.Repeat("é", 100)
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name   string
		body   string
		base64 bool
		status int
		code   string
	}{
		{"ok", `{"name": "Buy milk"}`, false, 201, ""},
		{"trimmed", `{"name": "  Buy milk  "}`, false, 201, ""},
		{"100 characters", `{"name": "` + hundred + `"}`, false, 201, ""},
		{"base64", base64.StdEncoding.EncodeToString([]byte(`{"name":"Buy milk"}`)), true, 201, ""},
		{"not JSON", `{"name": `, false, 400, "invalid_json"},
		{"empty body", ``, false, 400, "invalid_json"},
		{"array", `["Buy milk"]`, false, 400, "invalid_json"},
		{"name is a number", `{"name": 7}`, false, 400, "invalid_json"},
		{"unknown field", `{"name": "Buy milk", "owner": "someone-else"}`, false, 400, "invalid_json"},
		{"two values", `{"name": "a"} {"name": "b"}`, false, 400, "invalid_json"},
		{"bad base64", `%%%`, true, 400, "invalid_json"},
		{"missing name", `{}`, false, 400, "invalid_name"},
		{"null name", `{"name": null}`, false, 400, "invalid_name"},
		{"blank name", `{"name": "   "}`, false, 400, "invalid_name"},
		{"101 characters", `{"name": "` + hundred + `x"}`, false, 400, "invalid_name"},
		{"control character", `{"name": "a\u0007b"}`, false, 400, "invalid_name"},
		{"body over 4 KiB", `{"name": "x", "pad": "` + strings.Repeat("x", 5000) + `"}`, false, 413, "body_too_large"},
		{"base64 body over 4 KiB", base64.StdEncoding.EncodeToString([]byte(strings.Repeat(" ", 5000) + `{"name":"x"}`)), true, 413, "body_too_large"},
		// The cap's edges: 4096 bytes pass, 4097 do not, as sent and as base64 (whose text
		// of 5464 characters holds 4096, 4097 or 4098 bytes).
		{"body of 4096 bytes", padded(4096), false, 201, ""},
		{"body of 4097 bytes", padded(4097), false, 413, "body_too_large"},
		{"base64 body of 4096 bytes", b64(padded(4096)), true, 201, ""},
		{"base64 body of 4097 bytes", b64(padded(4097)), true, 413, "body_too_large"},
		{"base64 body of 4098 bytes", b64(padded(4098)), true, 413, "body_too_large"},
		{"base64 body of 4099 bytes", b64(padded(4099)), true, 413, "body_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := newHandler(t, testkit.SampleRoutes())
			ev := testkit.ProxyEvent(t, "items-post-access-token")
			ev.Body, ev.IsBase64Encoded = tt.body, tt.base64
			resp := call(t, h, ev)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, tt.status, resp.Body)
			}
			body := decode(t, resp)
			if tt.code != "" {
				if got := field(body, "error.code"); got != tt.code {
					t.Errorf("error.code = %v, want %q", got, tt.code)
				}
				return
			}
			name, _ := body["name"].(string)
			if name == "" || name != strings.TrimSpace(name) {
				t.Errorf("name = %q, want it stored trimmed", name)
			}
			if id, _ := body["id"].(string); len(id) < 16 {
				t.Errorf("id = %q, want a random id", id)
			}
		})
	}
}

func TestItemsBelongToTheirOwner(t *testing.T) {
	h, _ := newHandler(t, testkit.SampleRoutes())
	for _, p := range []struct{ sub, name string }{{alice, "first"}, {bob, "bob's"}, {alice, "second"}} {
		if resp := postItem(t, h, p.sub, `{"name": "`+p.name+`"}`); resp.StatusCode != 201 {
			t.Fatalf("POST as %s: %d %s", p.sub, resp.StatusCode, resp.Body)
		}
	}
	var list api.ItemList
	resp := call(t, h, testkit.ProxyEvent(t, "items-get-access-token"))
	if err := json.Unmarshal([]byte(resp.Body), &list); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, it := range list.Items {
		if it.Owner != alice {
			t.Errorf("alice sees an item of %s", it.Owner)
		}
		names = append(names, it.Name)
	}
	if want := []string{"first", "second"}; !reflect.DeepEqual(names, want) {
		t.Errorf("alice's items = %q, want %q", names, want)
	}
	if list.Items[0].ID == list.Items[1].ID {
		t.Error("two items share an id")
	}

	admin := decode(t, call(t, h, testkit.ProxyEvent(t, "admin-id-token")))
	if got := field(admin, "items_total"); got != 3.0 {
		t.Errorf("items_total = %v, want 3", got)
	}
}

func TestItemCapPerOwner(t *testing.T) {
	h, _ := newHandler(t, testkit.SampleRoutes())
	for i := range 100 {
		if resp := postItem(t, h, alice, `{"name": "n"}`); resp.StatusCode != 201 {
			t.Fatalf("item %d: %d %s", i, resp.StatusCode, resp.Body)
		}
	}
	resp := postItem(t, h, alice, `{"name": "one too many"}`)
	if got := field(decode(t, resp), "error.code"); resp.StatusCode != 409 || got != "too_many_items" {
		t.Errorf("101st item: %d %v, want 409 too_many_items", resp.StatusCode, got)
	}
	if resp := postItem(t, h, bob, `{"name": "bob's first"}`); resp.StatusCode != 201 {
		t.Errorf("another owner: %d, want 201", resp.StatusCode)
	}
}

// TestItemCapTotal: one instance keeps at most 10,000 items, whoever owns them.
func TestItemCapTotal(t *testing.T) {
	h, _ := newHandler(t, testkit.SampleRoutes())
	ev := testkit.ProxyEvent(t, "items-post-access-token")
	post := func(owner int) events.APIGatewayProxyResponse {
		setClaim("sub", fmt.Sprintf("owner-%03d", owner))(&ev)
		return call(t, h, ev)
	}
	for owner := range 100 {
		for range 100 {
			if resp := post(owner); resp.StatusCode != 201 {
				t.Fatalf("owner %d: %d %s", owner, resp.StatusCode, resp.Body)
			}
		}
	}
	admin := decode(t, call(t, h, testkit.ProxyEvent(t, "admin-id-token")))
	if got := field(admin, "items_total"); got != 10000.0 {
		t.Errorf("items_total = %v, want 10000", got)
	}
	// The 10,001st item, from an owner with none yet.
	resp := post(100)
	if got := field(decode(t, resp), "error.code"); resp.StatusCode != 409 || got != "too_many_items" {
		t.Errorf("item 10,001: %d %v, want 409 too_many_items", resp.StatusCode, got)
	}
}

func TestConcurrentCalls(t *testing.T) {
	h, _ := newHandler(t, testkit.SampleRoutes())
	done := make(chan int)
	for range 8 {
		go func() {
			ok := 0
			for range 10 {
				ev := testkit.ProxyEvent(t, "items-post-access-token")
				if resp, err := h.Handle(context.Background(), ev); err == nil && resp.StatusCode == 201 {
					ok++
				}
				if resp, err := h.Handle(context.Background(), testkit.ProxyEvent(t, "items-get-access-token")); err != nil || resp.StatusCode != 200 {
					ok = -1000
				}
			}
			done <- ok
		}()
	}
	total := 0
	for range 8 {
		total += <-done
	}
	if total != 80 {
		t.Errorf("%d of 80 concurrent creations succeeded", total)
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
				wantExpose = "WWW-Authenticate"
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
		want    []string // substrings of the error; none means success
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
		{name: "every problem at once", want: []string{"want at least one route", "at least one app client id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := fnenv.Proxy{Routes: tt.table, Clients: fnenv.Clients{Web: tt.clients, Machine: tt.machine}, AllowedOrigins: tt.origins}
			h, err := handler.New(cfg, nil)
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
