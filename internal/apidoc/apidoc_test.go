package apidoc

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

func table() routes.Table {
	return routes.Table{
		{Method: "GET", Path: "/health", Access: routes.Public},
		{Method: "GET", Path: "/me", Access: routes.Protected},
		{Method: "GET", Path: "/items", Access: routes.Scoped, Scopes: []string{"demo-api/read", "demo-api/all"}, Clients: []string{"web", "reporting"}},
		{Method: "POST", Path: "/items", Access: routes.Scoped, Scopes: []string{"demo-api/write"}},
		{Method: "GET", Path: "/admin", Access: routes.Protected, Groups: []string{"admin"}},
		{Method: "GET", Path: "/things/{id}", Access: routes.Protected},
		{Method: "ANY", Path: "/things/{id}", Access: routes.Scoped, Scopes: []string{"demo-api/write"}, Groups: []string{"admin"}},
		{Method: "POST", Path: "/reports", Access: routes.Scoped, Scopes: []string{"demo-api/read"}, Clients: []string{"reporting"}},
	}
}

func settings() Settings {
	return Settings{
		Title:            "demo-api dev",
		APIURL:           "https://api.example.com/dev/",
		Issuer:           "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x",
		AuthorizeURL:     "https://login.example.com/oauth2/authorize",
		TokenURL:         "https://login.example.com/oauth2/token",
		Scopes:           map[string]string{"demo-api/read": "Read items", "demo-api/write": "Write items"},
		ClientID:         "webclient",
		ClientScopes:     []string{"openid", "email", "demo-api/read"},
		MachineClientIDs: map[string]string{"reporting": "machineclient"},
		RedirectURI:      "http://localhost:3000/auth/callback",
		Preflight:        true,
	}
}

// openAPI builds and decodes the document.
func openAPI(t *testing.T, tbl routes.Table, s Settings) (raw []byte, doc map[string]any) {
	t.Helper()
	raw, err := OpenAPI(tbl, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	return raw, doc
}

// postman builds and decodes the collection.
func postman(t *testing.T, tbl routes.Table, s Settings) pmCollection {
	t.Helper()
	raw, err := Postman(tbl, s)
	if err != nil {
		t.Fatal(err)
	}
	var c pmCollection
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	return c
}

// oauth2Value is the request's OAuth 2.0 setting key (Postman's auth.oauth2 list), or nil.
func oauth2Value(it pmItem, key string) any {
	for _, a := range it.Request.Auth.OAuth2 {
		if a.Key == key {
			return a.Value
		}
	}
	return nil
}

func get(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func keys(v any) []string {
	m, _ := v.(map[string]any)
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestOpenAPIOperations(t *testing.T) {
	_, doc := openAPI(t, table(), settings())
	if got := get(doc, "openapi"); got != "3.1.0" {
		t.Errorf("openapi = %v", got)
	}
	if got := get(doc, "servers").([]any)[0].(map[string]any)["url"]; got != "https://api.example.com/dev" {
		t.Errorf("server url = %v", got)
	}
	paths := get(doc, "paths")
	// The table's paths, the root and the catch-all.
	if got, want := keys(paths), []string{"/", "/admin", "/health", "/items", "/me", "/reports", "/things/{id}", "/{proxy}"}; !slices.Equal(got, want) {
		t.Errorf("paths %v, want %v", got, want)
	}
	// ANY spreads over the methods without a route of their own: GET /things/{id} has one.
	// OPTIONS is the preflight's.
	if got, want := keys(get(paths, "/things/{id}")), []string{"delete", "get", "head", "options", "patch", "post", "put"}; !slices.Equal(got, want) {
		t.Errorf("/things/{id} methods %v, want %v", got, want)
	}
	if got := get(paths, "/things/{id}", "delete", "summary"); got != "DELETE /things/{id}" {
		t.Errorf("DELETE /things/{id} summary %v: want the route's own", got)
	}
	sec := func(path, method string) string {
		b, _ := json.Marshal(get(paths, path, method, "security"))
		return string(b)
	}
	statuses := func(path, method string) []string { return keys(get(paths, path, method, "responses")) }
	// API Gateway's own: throttling, a failed or slow Lambda.
	gateway := []string{"429", "502", "504"}
	with := func(s ...string) []string { return slices.Sorted(slices.Values(append(s, gateway...))) }
	tests := []struct {
		path, method, security string
		statuses               []string
	}{
		{"/health", "get", `[]`, with("200", "500")},
		// 403: a Lambda authorizer's explicit deny, on every route that takes a token.
		{"/me", "get", `[{"cognitoIdToken":[]}]`, with("200", "401", "403", "500")},
		{"/admin", "get", `[{"cognitoIdToken":[]}]`, with("200", "401", "403", "500")},
		// Any one scope will do: one requirement per scope. Machine clients have their own scheme.
		{"/items", "get", `[{"cognitoAccessToken":["demo-api/read"]},{"cognitoAccessToken":["demo-api/all"]},{"cognitoMachineToken":["demo-api/read"]},{"cognitoMachineToken":["demo-api/all"]}]`, with("200", "400", "401", "403", "500", "503")},
		{"/items", "post", `[{"cognitoAccessToken":["demo-api/write"]}]`, with("201", "400", "401", "403", "409", "413", "422", "500", "503")},
		// No code in the handler for these: 501.
		{"/things/{id}", "get", `[{"cognitoIdToken":[]}]`, with("200", "401", "403", "500", "501")},
		{"/things/{id}", "delete", `[{"cognitoAccessToken":["demo-api/write"]}]`, with("200", "401", "403", "500", "501")},
		{"/reports", "post", `[{"cognitoMachineToken":["demo-api/read"]}]`, with("200", "401", "403", "500", "501")},
		// A method the table lacks: API Gateway's 403, whatever the token.
		{"/me", "delete", `[]`, []string{"403"}},
		{"/health", "post", `[]`, []string{"403"}},
		// No route matches: the ID token, then 404.
		{"/{proxy}", "get", `[{"cognitoIdToken":[]}]`, with("401", "403", "404", "500")},
		{"/", "delete", `[{"cognitoIdToken":[]}]`, with("401", "403", "404", "500")},
		// The preflight needs no token.
		{"/me", "options", `[]`, []string{"204", "429"}},
		{"/{proxy}", "options", `[]`, []string{"204", "429"}},
	}
	for _, tc := range tests {
		if got := sec(tc.path, tc.method); got != tc.security {
			t.Errorf("%s %s security %s, want %s", tc.method, tc.path, got, tc.security)
		}
		if got := statuses(tc.path, tc.method); !slices.Equal(got, tc.statuses) {
			t.Errorf("%s %s statuses %v, want %v", tc.method, tc.path, got, tc.statuses)
		}
	}
	if got := get(paths, "/admin", "get", "responses", "403", "description").(string); !strings.Contains(got, "`not_in_group`") {
		t.Errorf("GET /admin 403: %q, want not_in_group", got)
	}
	if got := get(paths, "/items", "post", "responses", "400", "description").(string); !strings.Contains(got, "`invalid_json`") || !strings.Contains(got, "`invalid_name`") {
		t.Errorf("POST /items 400: %q", got)
	}
	if got := get(paths, "/me", "get", "description").(string); !strings.Contains(got, "ID token") {
		t.Errorf("GET /me description %q: want the ID token named", got)
	}
	if got := get(paths, "/me", "delete", "responses", "403", "description").(string); !strings.Contains(got, "Missing Authentication Token") {
		t.Errorf("DELETE /me 403: %q, want Missing Authentication Token", got)
	}
	if got := get(paths, "/{proxy}", "put", "responses", "404", "description").(string); !strings.Contains(got, "`not_found`") {
		t.Errorf("PUT /{proxy} 404: %q, want not_found", got)
	}
	if got := get(paths, "/me", "head", "responses", "403", "content"); got != nil {
		t.Errorf("HEAD /me 403 has content %v; a reply to HEAD has no body", got)
	}
	if got := keys(get(paths, "/me", "options", "responses", "204", "headers")); !slices.Contains(got, "Access-Control-Allow-Origin") {
		t.Errorf("preflight headers %v", got)
	}
	for key, want := range map[string]string{"get /me": "Me", "get /items": "ItemList", "post /items": "Item", "get /admin": "Admin", "get /health": "Health"} {
		method, path, _ := strings.Cut(key, " ")
		code := "200"
		if method == "post" {
			code = "201"
		}
		if got := get(paths, path, method, "responses", code, "content", "application/json", "schema", "$ref"); got != "#/components/schemas/"+want {
			t.Errorf("%s %s: %v, want the %s schema", key, code, got, want)
		}
	}
	me := get(doc, "components", "schemas", "Me")
	if got, want := get(me, "required"), []any{"sub", "username", "email", "email_verified", "groups", "token_use", "scopes", "client_id"}; !slices.Equal(got.([]any), want) {
		t.Errorf("Me required %v, want %v (auth_time and exp may be left out)", got, want)
	}
	if get(me, "additionalProperties") != false || get(me, "properties", "exp", "format") != "date-time" || get(me, "properties", "groups", "items", "type") != "string" {
		t.Errorf("Me schema %v", me)
	}
	if got := get(doc, "components", "schemas", "ItemList", "properties", "items", "items", "$ref"); got != "#/components/schemas/Item" {
		t.Errorf("ItemList.items %v", got)
	}
	params, _ := json.Marshal(get(paths, "/things/{id}", "delete", "parameters"))
	if string(params) != `[{"in":"path","name":"id","required":true,"schema":{"type":"string"}}]` {
		t.Errorf("/things/{id} parameters %s", params)
	}
	body, _ := json.Marshal(get(paths, "/items", "post", "requestBody", "content", "application/json", "schema"))
	if string(body) != `{"$ref":"#/components/schemas/NewItem"}` {
		t.Errorf("POST /items body %s", body)
	}
	name := get(doc, "components", "schemas", "NewItem", "properties", "name")
	if get(name, "maxLength") != float64(api.MaxNameRunes) || get(name, "minLength") != float64(1) {
		t.Errorf("NewItem.name %v", name)
	}
	schemes := get(doc, "components", "securitySchemes")
	if got := get(schemes, "cognitoIdToken", "openIdConnectUrl"); got != "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x/.well-known/openid-configuration" {
		t.Errorf("openIdConnectUrl %v", got)
	}
	code := get(schemes, "cognitoAccessToken", "flows", "authorizationCode")
	if get(code, "authorizationUrl") != "https://login.example.com/oauth2/authorize" || get(code, "tokenUrl") != "https://login.example.com/oauth2/token" {
		t.Errorf("authorization code flow %v", code)
	}
	if got, want := keys(get(code, "scopes")), []string{"demo-api/all", "demo-api/read", "demo-api/write"}; !slices.Equal(got, want) {
		t.Errorf("scopes %v, want %v", got, want)
	}
	if !strings.Contains(get(schemes, "cognitoAccessToken", "description").(string), "PKCE") {
		t.Error("the authorization code scheme does not mention PKCE")
	}
}

// TestOpenAPIUnusedLeftOut: schemes and schemas that no route uses are left out; the
// catch-all always takes the ID token.
func TestOpenAPIUnusedLeftOut(t *testing.T) {
	_, doc := openAPI(t, routes.Table{{Method: "GET", Path: "/health", Access: routes.Public}}, settings())
	if got, want := keys(get(doc, "components", "securitySchemes")), []string{"cognitoIdToken"}; !slices.Equal(got, want) {
		t.Errorf("securitySchemes %v, want %v", got, want)
	}
	if got, want := keys(get(doc, "components", "schemas")), []string{"Error", "GatewayError", "Health"}; !slices.Equal(got, want) {
		t.Errorf("schemas %v, want %v", got, want)
	}
}

// TestOpenAPIWithoutCORS: without CORS origins there is no preflight, and OPTIONS is a method
// like the others: 403 on the table's resources, the catch-all's elsewhere.
func TestOpenAPIWithoutCORS(t *testing.T) {
	s := settings()
	s.Preflight = false
	_, doc := openAPI(t, table(), s)
	if got := keys(get(doc, "paths", "/me", "options", "responses")); !slices.Equal(got, []string{"403"}) {
		t.Errorf("OPTIONS /me without CORS: %v, want 403 alone", got)
	}
	if got := keys(get(doc, "paths", "/{proxy}", "options", "responses")); !slices.Contains(got, "404") {
		t.Errorf("OPTIONS /{proxy} without CORS: %v, want the catch-all's 404", got)
	}
}

// TestOpenAPIEveryReply: every operation says what a caller can get: a routed one its 2xx
// (the lint leaves that rule to this test, since API Gateway's own operations have none), and
// all but the not-routed ones API Gateway's throttling.
func TestOpenAPIEveryReply(t *testing.T) {
	_, doc := openAPI(t, table(), settings())
	for _, path := range keys(get(doc, "paths")) {
		for _, method := range keys(get(doc, "paths", path)) {
			responses := keys(get(doc, "paths", path, method, "responses"))
			summary := get(doc, "paths", path, method, "summary").(string)
			notRouted := strings.HasPrefix(summary, "Not in the route table")
			catchAll := path == "/" || path == "/{proxy}"
			if !notRouted && !catchAll && !slices.ContainsFunc(responses, func(s string) bool { return s[0] == '2' }) {
				t.Errorf("%s %s: no 2xx in %v", method, path, responses)
			}
			if !notRouted && !slices.Contains(responses, "429") {
				t.Errorf("%s %s: no 429 in %v", method, path, responses)
			}
		}
	}
}

func TestOpenAPIStable(t *testing.T) {
	first, _ := openAPI(t, table(), settings())
	for range 20 {
		if again, _ := openAPI(t, table(), settings()); !bytes.Equal(first, again) {
			t.Fatal("two builds of the same inputs differ")
		}
	}
}

func TestOpenAPIChangesWithTheTable(t *testing.T) {
	base, _ := openAPI(t, table(), settings())
	changes := map[string]func(routes.Table) routes.Table{
		"scope": func(t routes.Table) routes.Table { t[3].Scopes = []string{"demo-api/read"}; return t },
		"access": func(t routes.Table) routes.Table {
			t[1].Access = routes.Scoped
			t[1].Scopes = []string{"demo-api/read"}
			return t
		},
		"path":    func(t routes.Table) routes.Table { t[0].Path = "/healthz"; return t },
		"method":  func(t routes.Table) routes.Table { t[0].Method = "HEAD"; return t },
		"groups":  func(t routes.Table) routes.Table { t[1].Groups = []string{"admin"}; return t },
		"clients": func(t routes.Table) routes.Table { t[2].Clients = nil; return t },
		"added": func(t routes.Table) routes.Table {
			return append(t, routes.Route{Method: "GET", Path: "/openapi.json", Access: routes.Public})
		},
	}
	for name, change := range changes {
		if got, _ := openAPI(t, change(table()), settings()); bytes.Equal(got, base) {
			t.Errorf("%s changed, the document did not", name)
		}
	}
}

// TestOpenAPIValid checks what a validator would: every $ref resolves, every security
// requirement names a defined scheme and scope, every path parameter is declared, operation ids
// are unique. (.ci/run also lints the golden files with @redocly/cli.)
func TestOpenAPIValid(t *testing.T) {
	for name, s := range map[string]Settings{"stage": settings(), "served by the handler": {}} {
		_, doc := openAPI(t, table(), s)
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				if r, ok := v["$ref"].(string); ok {
					target := get(doc, strings.Split(strings.TrimPrefix(r, "#/"), "/")...)
					if !strings.HasPrefix(r, "#/") || target == nil {
						t.Errorf("%s: $ref %s does not resolve", name, r)
					}
				}
				for _, e := range v {
					walk(e)
				}
			case []any:
				for _, e := range v {
					walk(e)
				}
			}
		}
		walk(doc)
		ids := map[string]bool{}
		for _, path := range keys(get(doc, "paths")) {
			for _, method := range keys(get(doc, "paths", path)) {
				op := get(doc, "paths", path, method).(map[string]any)
				id := op["operationId"].(string)
				if ids[id] {
					t.Errorf("%s: operationId %s twice", name, id)
				}
				ids[id] = true
				var declared []string
				params, _ := op["parameters"].([]any)
				for _, p := range params {
					if p.(map[string]any)["in"] == "path" {
						declared = append(declared, p.(map[string]any)["name"].(string))
					}
				}
				if want := pathParams(path); !slices.Equal(declared, want) {
					t.Errorf("%s: %s %s declares %v, want %v", name, method, path, declared, want)
				}
				for _, req := range op["security"].([]any) {
					for scheme, scopes := range req.(map[string]any) {
						def := get(doc, "components", "securitySchemes", scheme)
						if def == nil {
							t.Errorf("%s: %s %s: security scheme %s is not defined", name, method, path, scheme)
							continue
						}
						var defined []string
						for _, flow := range keys(get(def, "flows")) {
							defined = append(defined, keys(get(def, "flows", flow, "scopes"))...)
						}
						for _, sc := range scopes.([]any) {
							if get(def, "type") == "oauth2" && !slices.Contains(defined, sc.(string)) {
								t.Errorf("%s: %s %s: scope %s is not in %s", name, method, path, sc, scheme)
							}
						}
					}
				}
				if len(keys(op["responses"])) == 0 {
					t.Errorf("%s: %s %s has no responses", name, method, path)
				}
			}
		}
	}
}

// TestPlaceholders: the handler's document has no stage URLs, and says so.
func TestPlaceholders(t *testing.T) {
	raw, doc := openAPI(t, table(), Settings{})
	if got := get(doc, "servers").([]any)[0].(map[string]any)["url"]; got != "." {
		t.Errorf("server url %v, want . (relative to the document)", got)
	}
	if !strings.Contains(get(doc, "info", "description").(string), "placeholders") {
		t.Error("info.description does not say the URLs are placeholders")
	}
	for _, u := range []string{placeholderAuthorize, placeholderToken, DiscoveryURL(placeholderIssuer)} {
		if !strings.Contains(string(raw), u) || !strings.Contains(u, ".invalid") {
			t.Errorf("placeholder %s missing or not under .invalid", u)
		}
	}
}

func TestPostman(t *testing.T) {
	c := postman(t, table(), settings())
	if c.Info.Schema != PostmanSchema || c.Info.Name != "demo-api dev" {
		t.Errorf("info %+v", c.Info)
	}
	if got := c.Variable[0]; got.Key != "baseUrl" || got.Value != "https://api.example.com/dev" {
		t.Errorf("baseUrl %+v", got)
	}
	if got := c.Variable[len(c.Variable)-1]; got.Key != "reportingClientSecret" || got.Value != "" {
		t.Errorf("machine secret variable %+v, want an empty reportingClientSecret", got)
	}
	items := map[string]pmItem{}
	var names []string
	for _, it := range c.Item {
		items[it.Name] = it
		names = append(names, it.Name)
	}
	if len(names) != 12 || names[0] != "GET /health" || names[len(names)-1] != "POST /reports" {
		t.Errorf("requests %v: want the table's order, ANY spread over 5 methods", names)
	}
	if got := items["GET /health"].Request.Auth.Type; got != "noauth" {
		t.Errorf("GET /health auth %q, want noauth", got)
	}
	for _, name := range []string{"GET /me", "GET /items", "POST /items"} {
		want := map[string]any{
			"grant_type": "authorization_code_with_pkce", "authUrl": "https://login.example.com/oauth2/authorize",
			"accessTokenUrl": "https://login.example.com/oauth2/token", "clientId": "webclient",
			"scope": "openid email demo-api/read", "redirect_uri": "http://localhost:3000/auth/callback",
			"useBrowser": false, "challengeAlgorithm": "S256", "addTokenTo": "header",
		}
		for k, v := range want {
			if got := oauth2Value(items[name], k); got != v {
				t.Errorf("%s: %s = %v, want %v", name, k, got, v)
			}
		}
	}
	if got := items["GET /me"].Request.Description; !strings.Contains(got, "ID token") {
		t.Errorf("GET /me description %q: want the ID token named", got)
	}
	if reports := items["POST /reports"]; oauth2Value(reports, "grant_type") != "client_credentials" || oauth2Value(reports, "clientId") != "machineclient" || oauth2Value(reports, "clientSecret") != "{{reportingClientSecret}}" {
		t.Errorf("POST /reports auth %+v", items["POST /reports"].Request.Auth)
	}
	post := items["POST /items"].Request
	if post.Body == nil || post.Body.Raw != `{"name": "Buy milk"}` || post.Header[0].Value != "application/json" {
		t.Errorf("POST /items body %+v headers %+v", post.Body, post.Header)
	}
	u := items["DELETE /things/{id}"].Request.URL
	if u.Raw != "{{baseUrl}}/things/:id" || len(u.Variable) != 1 || u.Variable[0].Key != "id" {
		t.Errorf("DELETE /things/{id} url %+v", u)
	}
	// Postman's own callback means its system-browser sign-in.
	s := settings()
	s.RedirectURI = PostmanCallback
	raw, _ := Postman(table(), s)
	if !strings.Contains(string(raw), `"key": "useBrowser",
              "value": true`) {
		t.Error("redirect_uri " + PostmanCallback + ": want useBrowser true")
	}
	again, _ := Postman(table(), s)
	if !bytes.Equal(raw, again) {
		t.Error("two builds of the same collection differ")
	}
}

// TestItemsDescribed: the /items endpoints' parameters, replies and error codes, as
// internal/api says the handler answers them.
func TestItemsDescribed(t *testing.T) {
	tbl := routes.Table{
		{Method: "GET", Path: "/items", Access: routes.Scoped, Scopes: []string{"demo-api/read"}},
		{Method: "POST", Path: "/items", Access: routes.Scoped, Scopes: []string{"demo-api/write"}},
		{Method: "GET", Path: "/items/{id}", Access: routes.Scoped, Scopes: []string{"demo-api/read"}},
		{Method: "DELETE", Path: "/items/{id}", Access: routes.Scoped, Scopes: []string{"demo-api/write"}},
	}
	_, doc := openAPI(t, tbl, settings())
	params := func(path, method string) map[string]any {
		out := map[string]any{}
		ps, _ := get(doc, "paths", path, method, "parameters").([]any)
		for _, p := range ps {
			p := p.(map[string]any)
			out[p["in"].(string)+" "+p["name"].(string)] = p
		}
		return out
	}
	if got := keys(params("/items", "get")); !slices.Equal(got, []string{"query cursor", "query limit"}) {
		t.Errorf("GET /items parameters %v", got)
	}
	if got := get(params("/items", "get")["query limit"], "schema", "maximum"); got != float64(api.MaxPageSize) {
		t.Errorf("limit's maximum %v", got)
	}
	if got := get(params("/items", "post")["header Idempotency-Key"], "required"); got != true {
		t.Errorf("Idempotency-Key required: %v", got)
	}
	for _, m := range []string{"get", "delete"} {
		if got := get(params("/items/{id}", m)["path id"], "schema", "pattern"); got != api.ItemIDPattern {
			t.Errorf("%s /items/{id}: id pattern %v", m, got)
		}
	}
	if got := get(doc, "paths", "/items/{id}", "delete", "responses", "204"); got == nil || get(got, "content") != nil {
		t.Errorf("DELETE /items/{id} 204: %v; want no content", got)
	}
	if got := get(doc, "paths", "/items", "post", "responses", "201", "headers", "Idempotent-Replayed"); got == nil {
		t.Error("POST /items 201 does not describe Idempotent-Replayed")
	}
	for path, want := range map[string]string{
		"/items get 200":         "#/components/schemas/ItemList",
		"/items post 201":        "#/components/schemas/Item",
		"/items/{id} get 200":    "#/components/schemas/Item",
		"/items post 422":        "#/components/schemas/Error",
		"/items/{id} delete 404": "#/components/schemas/Error",
		"/items get 503":         "#/components/schemas/Error",
	} {
		f := strings.Fields(path)
		if got := get(doc, "paths", f[0], f[1], "responses", f[2], "content", "application/json", "schema", "$ref"); got != want {
			t.Errorf("%s: schema %v, want %s", path, got, want)
		}
	}
	for path, codes := range map[string][]string{
		"/items post 409": {"too_many_items", "idempotency_key_in_use"}, "/items post 422": {"idempotency_key_reused"},
		"/items post 400": {"idempotency_key_missing", "invalid_idempotency_key", "invalid_json"},
		"/items get 400":  {"invalid_limit", "invalid_cursor"}, "/items/{id} delete 400": {"invalid_id"}, "/items/{id} get 404": {"not_found"},
	} {
		f := strings.Fields(path)
		d, _ := get(doc, "paths", f[0], f[1], "responses", f[2], "description").(string)
		for _, c := range codes {
			if !strings.Contains(d, "`"+c+"`") {
				t.Errorf("%s: %q lacks %s", path, d, c)
			}
		}
	}
	if got := get(doc, "components", "schemas", "ItemList", "required"); !reflect.DeepEqual(got, []any{"items"}) {
		t.Errorf("ItemList required %v; want items only (next_cursor is absent on the last page)", got)
	}

	var pm map[string]any
	b, err := Postman(tbl, settings())
	if err != nil || json.Unmarshal(b, &pm) != nil {
		t.Fatal(err)
	}
	post := pm["item"].([]any)[1].(map[string]any)["request"].(map[string]any)
	if h, _ := json.Marshal(post["header"]); !strings.Contains(string(h), `{"key":"Idempotency-Key","value":"{{$guid}}"}`) {
		t.Errorf("Postman POST /items headers %s", h)
	}
	list := pm["item"].([]any)[0].(map[string]any)["request"].(map[string]any)
	if q, _ := json.Marshal(get(list, "url", "query")); !strings.Contains(string(q), `"key":"limit"`) || !strings.Contains(string(q), `"disabled":true`) {
		t.Errorf("Postman GET /items query %s", q)
	}
	// A run of the collection (newman) chains them: POST /items keeps the new item's id, which
	// GET and DELETE /items/{id} then name; DELETE's 204 is checked to have no body.
	if ev, _ := json.Marshal(pm["item"].([]any)[1].(map[string]any)["event"]); !strings.Contains(string(ev), `pm.collectionVariables.set(\"id\", pm.response.json().id)`) {
		t.Errorf("Postman POST /items keeps no id: %s", ev)
	}
	for i, name := range []string{"GET /items/{id}", "DELETE /items/{id}"} {
		it := pm["item"].([]any)[2+i].(map[string]any)
		if v, _ := json.Marshal(get(it, "request", "url", "variable")); it["name"] != name || string(v) != `[{"key":"id","value":"{{id}}"}]` {
			t.Errorf("Postman %v: path variables %s", it["name"], v)
		}
	}
	if ev, _ := json.Marshal(pm["item"].([]any)[3].(map[string]any)["event"]); !strings.Contains(string(ev), "status is 204") || !strings.Contains(string(ev), `no body`) {
		t.Errorf("Postman DELETE /items/{id} tests: %s", ev)
	}
}
