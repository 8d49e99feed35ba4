package policy_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/routes"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
	"github.com/cognito-apigw/cognito-apigw/lambda/authorizer/policy"
)

const stage = "arn:aws:execute-api:us-east-1:123456789012:k3x9w2v7q1/prod/"

// sampleTable is the sample app's route table.
var sampleTable = testkit.SampleRoutes()

// shopTable has path parameters, a literal route beside a parameter, ANY, and a protected route
// below a scoped one: every overlap "*" can create.
var shopTable = routes.Table{
	{Method: "GET", Path: "/health", Access: routes.Public},
	{Method: "GET", Path: "/me", Access: routes.Protected},
	{Method: "GET", Path: "/items", Access: routes.Scoped, Scopes: []string{"shop/read"}},
	{Method: "POST", Path: "/items", Access: routes.Scoped, Scopes: []string{"shop/write"}},
	{Method: "GET", Path: "/items/{id}", Access: routes.Scoped, Scopes: []string{"shop/read"}},
	{Method: "DELETE", Path: "/items/{id}", Access: routes.Scoped, Scopes: []string{"shop/write"}, Groups: []string{"admin"}},
	{Method: "GET", Path: "/items/new", Access: routes.Protected},
	{Method: "ANY", Path: "/things/{id}", Access: routes.Scoped, Scopes: []string{"shop/write"}},
	{Method: "GET", Path: "/things/{id}/notes", Access: routes.Protected},
	{Method: "GET", Path: "/admin", Access: routes.Protected, Groups: []string{"admin"}},
	{Method: "GET", Path: "/public/{id}", Access: routes.Public},
}

var (
	idToken      = routes.Caller{Client: routes.WebClient, TokenUse: "id"}
	idAdmin      = routes.Caller{Client: routes.WebClient, TokenUse: "id", Groups: []string{"users", "admin"}}
	accessNone   = routes.Caller{Client: routes.WebClient, TokenUse: "access", Scopes: []string{"openid", "email"}}
	accessRead   = routes.Caller{Client: routes.WebClient, TokenUse: "access", Scopes: []string{"openid", "demo-api/read"}}
	accessWrite  = routes.Caller{Client: routes.WebClient, TokenUse: "access", Scopes: []string{"demo-api/write"}}
	accessBoth   = routes.Caller{Client: routes.WebClient, TokenUse: "access", Scopes: []string{"demo-api/read", "demo-api/write"}, Groups: []string{"admin"}}
	shopRead     = routes.Caller{Client: routes.WebClient, TokenUse: "access", Scopes: []string{"shop/read"}}
	shopWrite    = routes.Caller{Client: routes.WebClient, TokenUse: "access", Scopes: []string{"shop/write"}}
	shopAdmin    = routes.Caller{Client: routes.WebClient, TokenUse: "access", Scopes: []string{"shop/read", "shop/write"}, Groups: []string{"admin"}}
	tokensByName = map[string]routes.Caller{
		"ID token": idToken, "ID token in admin": idAdmin, "access, no API scope": accessNone,
		"access, read": accessRead, "access, write": accessWrite, "access, read+write": accessBoth,
		"shop read": shopRead, "shop write": shopWrite, "shop admin": shopAdmin,
	}
)

// decide is what API Gateway does with a policy for one method ARN: an explicit Deny wins,
// then any Allow, else the implicit deny. It matches resources with its own glob (a regular
// expression), not the package's.
func decide(t *testing.T, doc events.APIGatewayCustomAuthorizerPolicy, arn string) string {
	t.Helper()
	if doc.Version != "2012-10-17" || len(doc.Statement) == 0 {
		t.Fatalf("policy %+v: want version 2012-10-17 and statements", doc)
	}
	allowed := false
	for _, st := range doc.Statement {
		if !slices.Equal(st.Action, []string{"execute-api:Invoke"}) || (st.Effect != "Allow" && st.Effect != "Deny") {
			t.Fatalf("statement %+v", st)
		}
		for _, res := range st.Resource {
			if !strings.HasPrefix(res, stage) {
				t.Fatalf("resource %q outside the stage %q", res, stage)
			}
		}
		if !slices.ContainsFunc(st.Resource, func(res string) bool { return glob(res, arn) }) {
			continue
		}
		if st.Effect == "Deny" {
			return "Deny"
		}
		allowed = true
	}
	if allowed {
		return "Allow"
	}
	return "Deny"
}

// glob matches an IAM resource pattern: "*" stands for any run of characters ("/" included),
// "?" for any one. Written as plain recursion, independently of the package's matcher.
func glob(pattern, s string) bool {
	for pattern != "" {
		switch pattern[0] {
		case '*':
			for i := len(s); i >= 0; i-- {
				if glob(pattern[1:], s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
		default:
			if s == "" || s[0] != pattern[0] {
				return false
			}
		}
		pattern, s = pattern[1:], s[1:]
	}
	return s == ""
}

// arn is the method ARN API Gateway sends for a request: "GET /items/1" -> .../prod/GET/items/1.
func arn(request string) string {
	method, path, _ := strings.Cut(request, " ")
	return stage + method + path
}

func build(t *testing.T, table routes.Table, tok routes.Caller) (policy.Rules, events.APIGatewayCustomAuthorizerPolicy) {
	t.Helper()
	b, err := policy.NewBuilder(table)
	if err != nil {
		t.Fatal(err)
	}
	r := b.Rules(tok)
	return r, r.Document(stage)
}

// policyCase is the rules a token gets over a table, and some of the decisions they make.
type policyCase struct {
	token       string // a name in tokensByName
	allow, deny []string
	decisions   map[string]string // request -> Allow or Deny
}

// checkPolicies builds each case's policy over table, checks its rules and decisions, then
// every request checkAll tries (exact as there).
func checkPolicies(t *testing.T, table routes.Table, exact bool, tests []policyCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.token, func(t *testing.T) {
			r, doc := build(t, table, tokensByName[tt.token])
			if !slices.Equal(r.Allow, tt.allow) || !slices.Equal(r.Deny, tt.deny) || len(r.Unenforced) > 0 {
				t.Errorf("rules = %+v, want allow %q deny %q", r, tt.allow, tt.deny)
			}
			for req, want := range tt.decisions {
				if got := decide(t, doc, arn(req)); got != want {
					t.Errorf("%s: %s, want %s", req, got, want)
				}
			}
			checkAll(t, table, tokensByName[tt.token], r, doc, exact)
		})
	}
}

func TestSampleTablePolicies(t *testing.T) {
	checkPolicies(t, sampleTable, true, []policyCase{
		{
			token: "ID token",
			allow: []string{"*"},
			deny:  []string{"GET/admin", "GET/items", "POST/items"},
			decisions: map[string]string{
				"GET /me": "Allow", "GET /items": "Deny", "POST /items": "Deny", "GET /admin": "Deny",
				"GET /": "Allow", "DELETE /": "Allow", "GET /nothing/here": "Allow", "PUT /items/1": "Allow",
				"GET /items/x": "Allow", "GET /admin/x": "Allow", // unknown paths: the handler's 404
			},
		},
		{
			token: "ID token in admin",
			allow: []string{"*"},
			deny:  []string{"GET/items", "POST/items"},
			decisions: map[string]string{
				"GET /me": "Allow", "GET /admin": "Allow", "GET /items": "Deny", "POST /items": "Deny",
				"GET /": "Allow", "PATCH /unknown": "Allow",
			},
		},
		{
			token: "access, read",
			allow: []string{"GET/items"},
			decisions: map[string]string{
				"GET /items": "Allow", "POST /items": "Deny", "GET /me": "Deny", "GET /admin": "Deny",
				"GET /": "Deny", "GET /items/1": "Deny", "GET /unknown": "Deny", "DELETE /items": "Deny",
			},
		},
		{
			token: "access, write",
			allow: []string{"POST/items"},
			decisions: map[string]string{
				"POST /items": "Allow", "GET /items": "Deny", "GET /me": "Deny", "GET /": "Deny",
			},
		},
		{
			token: "access, read+write",
			allow: []string{"GET/items", "POST/items"},
			decisions: map[string]string{
				"GET /items": "Allow", "POST /items": "Allow", "GET /me": "Deny", "GET /admin": "Deny",
				"PUT /items": "Deny", "GET /unknown": "Deny",
			},
		},
		{
			token: "access, no API scope",
			deny:  []string{"*"},
			decisions: map[string]string{
				"GET /items": "Deny", "POST /items": "Deny", "GET /me": "Deny", "GET /": "Deny",
			},
		},
	})
}

func TestShopTablePolicies(t *testing.T) {
	checkPolicies(t, shopTable, false, []policyCase{
		{
			// The catch-all form would need Deny "GET/items/*", which also refuses GET
			// /items/new, and Deny "GET/things/*", which also refuses GET /things/1/notes; so
			// the ID token gets the explicit form: unknown paths get 403 instead of 404.
			token: "ID token",
			allow: []string{"*/", "GET/items/new", "GET/me", "GET/things/*/notes"},
			decisions: map[string]string{
				"GET /me": "Allow", "GET /items/new": "Allow", "GET /things/1/notes": "Allow", "GET /": "Allow",
				"GET /items/1": "Deny", "GET /things/1": "Deny", "POST /things/1": "Deny", "GET /admin": "Deny",
				"GET /items": "Deny", "DELETE /items/1": "Deny", "GET /unknown": "Deny",
				"GET /things/new/notes": "Allow", "GET /things/1/2/notes": "Allow", // unknown: 404
			},
		},
		{
			token: "ID token in admin",
			allow: []string{"*/", "GET/admin", "GET/items/new", "GET/me", "GET/things/*/notes"},
			decisions: map[string]string{
				"GET /admin": "Allow", "GET /items/new": "Allow", "GET /items/1": "Deny", "GET /things/1": "Deny",
			},
		},
		{
			token: "shop read",
			allow: []string{"GET/items", "GET/items/*"},
			deny:  []string{"GET/items/*/*", "GET/items/new"},
			decisions: map[string]string{
				"GET /items": "Allow", "GET /items/1": "Allow", "GET /items/things": "Allow",
				"GET /items/new": "Deny", "GET /items/1/notes": "Deny", "DELETE /items/1": "Deny",
				"POST /items": "Deny", "GET /things/1": "Deny", "GET /me": "Deny", "GET /": "Deny",
			},
		},
		{
			// ANY /things/{id} is "*/things/*"; the Allow also reaches GET /things/1/notes
			// (protected) and every longer path, which are denied.
			token: "shop write",
			allow: []string{"*/things/*", "POST/items"},
			deny:  []string{"*/*/things/*", "*/things/*/*", "GET/things/*/notes"},
			decisions: map[string]string{
				"POST /items": "Allow", "GET /things/1": "Allow", "DELETE /things/1": "Allow", "OPTIONS /things/1": "Allow",
				"GET /things/1/notes": "Deny", "GET /x/things/1": "Deny", "GET /things": "Deny",
				"DELETE /items/1": "Deny", "GET /items": "Deny",
			},
		},
		{
			token: "shop admin",
			allow: []string{"*/things/*", "DELETE/items/*", "GET/items", "GET/items/*", "POST/items"},
			deny:  []string{"*/*/things/*", "*/things/*/*", "DELETE/items/*/*", "GET/items/*/*", "GET/items/new", "GET/things/*/notes"},
			decisions: map[string]string{
				"DELETE /items/1": "Allow", "GET /items/1": "Allow", "GET /items/new": "Deny", "DELETE /items/new": "Allow",
				"GET /things/1/notes": "Deny", "GET /admin": "Deny",
			},
		},
		{
			token: "access, no API scope",
			deny:  []string{"*"},
		},
	})
}

// TestLiteralBesideParameter is the overlap named in the issue: a Deny for GET /items/{id}
// ("GET/items/*") must not refuse the literal route GET /items/new.
func TestLiteralBesideParameter(t *testing.T) {
	table := routes.Table{
		{Method: "GET", Path: "/me", Access: routes.Protected},
		{Method: "GET", Path: "/items/{id}", Access: routes.Scoped, Scopes: []string{"api/read"}},
		{Method: "GET", Path: "/items/new", Access: routes.Protected},
	}
	_, doc := build(t, table, idToken)
	for req, want := range map[string]string{
		"GET /items/new": "Allow", "GET /me": "Allow", "GET /": "Allow",
		"GET /items/1": "Deny", "GET /items/newer": "Deny",
	} {
		if got := decide(t, doc, arn(req)); got != want {
			t.Errorf("ID token, %s: %s, want %s", req, got, want)
		}
	}
	_, doc = build(t, table, routes.Caller{Client: routes.WebClient, TokenUse: "access", Scopes: []string{"api/read"}})
	for req, want := range map[string]string{
		"GET /items/1": "Allow", "GET /items/newer": "Allow", "GET /items/new": "Deny", "GET /me": "Deny",
	} {
		if got := decide(t, doc, arn(req)); got != want {
			t.Errorf("access token, %s: %s, want %s", req, got, want)
		}
	}
}

// TestAnyBesideMethod: ANY answers only the methods that have no route of their own, so the
// Denies for an ANY route name those methods when "*" would also refuse the other route.
func TestAnyBesideMethod(t *testing.T) {
	table := routes.Table{
		{Method: "ANY", Path: "/orders/{id}", Access: routes.Scoped, Scopes: []string{"api/write"}},
		{Method: "GET", Path: "/orders/{id}", Access: routes.Protected},
	}
	write := routes.Caller{Client: routes.WebClient, TokenUse: "access", Scopes: []string{"api/write"}}
	for _, tc := range []struct {
		tok         routes.Caller
		allow, deny []string
		decisions   map[string]string
	}{
		{
			tok:   idToken,
			allow: []string{"*"},
			deny:  []string{"DELETE/orders/*", "HEAD/orders/*", "OPTIONS/orders/*", "PATCH/orders/*", "POST/orders/*", "PUT/orders/*"},
			decisions: map[string]string{
				"GET /orders/1": "Allow", "POST /orders/1": "Deny", "OPTIONS /orders/1": "Deny", "GET /other": "Allow",
			},
		},
		{
			tok:   write,
			allow: []string{"*/orders/*"},
			deny:  []string{"*/*/orders/*", "*/orders/*/*", "GET/orders/*"},
			decisions: map[string]string{
				"GET /orders/1": "Deny", "POST /orders/1": "Allow", "DELETE /orders/1": "Allow", "GET /orders/1/x": "Deny",
			},
		},
	} {
		r, doc := build(t, table, tc.tok)
		if !slices.Equal(r.Allow, tc.allow) || !slices.Equal(r.Deny, tc.deny) || len(r.Unenforced) > 0 {
			t.Errorf("%s token: rules = %+v, want allow %q deny %q", tc.tok.TokenUse, r, tc.allow, tc.deny)
		}
		for req, want := range tc.decisions {
			if got := decide(t, doc, arn(req)); got != want {
				t.Errorf("%s token, %s: %s, want %s", tc.tok.TokenUse, req, got, want)
			}
		}
		checkAll(t, table, tc.tok, r, doc, false)
	}
}

// TestUnenforced: an access token may call ANY /{x} and GET /a/{y}/c but not GET /a/{y}.
// The Allow "*/*" reaches GET /a/1, and the Deny "GET/a/*" it would need also refuses
// GET /a/1/c. The route the token may call wins; GET /a/{y} is reported, and the proxy
// handler refuses the call.
func TestUnenforced(t *testing.T) {
	table := routes.Table{
		{Method: "ANY", Path: "/{x}", Access: routes.Scoped, Scopes: []string{"api/one"}},
		{Method: "GET", Path: "/a/{y}/c", Access: routes.Scoped, Scopes: []string{"api/one"}},
		{Method: "GET", Path: "/a/{y}", Access: routes.Scoped, Scopes: []string{"api/two"}},
	}
	tok := routes.Caller{Client: routes.WebClient, TokenUse: "access", Scopes: []string{"api/one"}}
	r, doc := build(t, table, tok)
	if !slices.Equal(r.Unenforced, []string{"GET /a/{y}"}) {
		t.Errorf("unenforced = %q", r.Unenforced)
	}
	for req, want := range map[string]string{
		"GET /a/1/c": "Allow", "POST /b": "Allow", "GET /a": "Allow",
		"GET /a/1": "Allow", // the gap
		// Also let through: GET /b/c, which only /{proxy+} serves. Its Deny "*/*/*" would
		// refuse GET /a/1/c, and the proxy handler refuses access tokens.
		"GET /b/c": "Allow",
	} {
		if got := decide(t, doc, arn(req)); got != want {
			t.Errorf("%s: %s, want %s", req, got, want)
		}
	}
	checkAll(t, table, tok, r, doc, false)
}

func TestRootRoutes(t *testing.T) {
	// A scoped GET / takes the root from the catch-all for GET only.
	table := routes.Table{
		{Method: "GET", Path: "/", Access: routes.Scoped, Scopes: []string{"api/read"}},
		{Method: "GET", Path: "/{id}", Access: routes.Scoped, Scopes: []string{"api/read"}},
		{Method: "GET", Path: "/me", Access: routes.Protected},
	}
	_, doc := build(t, table, routes.Caller{Client: routes.WebClient, TokenUse: "access", Scopes: []string{"api/read"}})
	for req, want := range map[string]string{
		"GET /": "Allow", "GET /x": "Allow", "GET /me": "Deny", "POST /": "Deny", "GET /x/y": "Deny",
	} {
		if got := decide(t, doc, arn(req)); got != want {
			t.Errorf("access token, %s: %s, want %s", req, got, want)
		}
	}
	_, doc = build(t, table, idToken)
	for req, want := range map[string]string{
		"GET /": "Deny", "GET /x": "Deny", "GET /me": "Allow", "POST /": "Allow",
	} {
		if got := decide(t, doc, arn(req)); got != want {
			t.Errorf("ID token, %s: %s, want %s", req, got, want)
		}
	}
	checkAll(t, table, idToken, policy.Rules{}, doc, false)
}

// checkAll tries every request that could matter for the table: each method, and paths of
// up to one segment more than the table's longest, made of the table's literal segments and
// a value that is none of them. API Gateway's routing (routes.Table.Match and Lookup) says
// where each request goes; the outcome must be:
//   - a table route the token may call: Allow;
//   - a table route it may not call: Deny, unless listed in Rules.Unenforced;
//   - the catch-all (/{proxy+}, ANY /): anything when exact is false (a Deny there only turns
//     a 404 into a 403); when exact is true, Allow for ID tokens and Deny for others;
//   - a public route or a method no resource has: anything (the authorizer is not called).
func checkAll(t *testing.T, table routes.Table, tok routes.Caller, r policy.Rules, doc events.APIGatewayCustomAuthorizerPolicy, exact bool) {
	t.Helper()
	checked := 0
	for _, req := range requestsFor(table) {
		var want string
		switch {
		case req.catchAll:
			if !exact {
				continue
			}
			want = decision(tok.TokenUse == "id")
		case req.route == nil:
			continue // public, or no such method
		default:
			rt := *req.route
			ok := rt.Decide(tok) == routes.Allowed
			if !ok && slices.Contains(r.Unenforced, rt.Key()) {
				continue
			}
			want = decision(ok)
		}
		checked++
		if got := decide(t, doc, stage+req.method+req.path); got != want {
			t.Errorf("%s %s: %s, want %s", req.method, req.path, got, want)
		}
	}
	if checked == 0 {
		t.Error("no request checked")
	}
}

func decision(allow bool) string {
	if allow {
		return "Allow"
	}
	return "Deny"
}

type request struct {
	method, path string
	catchAll     bool          // served by /{proxy+} or ANY /
	route        *routes.Route // the non-public table route serving it, if any
}

var requests sync.Map // *routes.Route (the table's first) -> []request

// requestsFor lists the requests checkAll tries, routed once per table.
func requestsFor(table routes.Table) []request {
	if v, ok := requests.Load(&table[0]); ok {
		return v.([]request)
	}
	values := []string{"42"}
	longest := 0
	for _, rt := range table {
		segs := strings.Split(strings.Trim(rt.Path, "/"), "/")
		longest = max(longest, len(segs))
		for _, s := range segs {
			if s != "" && !strings.HasPrefix(s, "{") && !slices.Contains(values, s) {
				values = append(values, s)
			}
		}
	}
	paths := []string{"/"}
	level := []string{""}
	for range longest + 1 {
		var next []string
		for _, p := range level {
			for _, v := range values {
				next = append(next, p+"/"+v)
			}
		}
		paths = append(paths, next...)
		level = next
	}
	var out []request
	for _, path := range paths {
		resource, _ := table.Match(path)
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"} {
			req := request{method: m, path: path}
			rt, known := table.Lookup(m, resource)
			switch {
			case path == "/" && !known, resource == routes.ProxyPath:
				req.catchAll = true
			case known && rt.Access != routes.Public:
				req.route = &rt
			}
			out = append(out, req)
		}
	}
	requests.Store(&table[0], out)
	return out
}

// TestEveryTokenKind runs checkAll for every combination of the shop table's scopes and
// groups, so no token kind is left out.
func TestEveryTokenKind(t *testing.T) {
	b, err := policy.NewBuilder(shopTable)
	if err != nil {
		t.Fatal(err)
	}
	scopes := []string{"shop/read", "shop/write", "openid"}
	for _, use := range []string{"id", "access"} {
		for mask := range 1 << (len(scopes) + 1) {
			tok := routes.Caller{Client: routes.WebClient, TokenUse: use}
			for i, s := range scopes {
				if mask&(1<<i) != 0 {
					tok.Scopes = append(tok.Scopes, s)
				}
			}
			if mask&(1<<len(scopes)) != 0 {
				tok.Groups = []string{"admin"}
			}
			t.Run(fmt.Sprintf("%s %v %v", use, tok.Scopes, tok.Groups), func(t *testing.T) {
				t.Parallel()
				r := b.Rules(tok)
				checkAll(t, shopTable, tok, r, r.Document(stage), false)
			})
		}
	}
}

func TestDocument(t *testing.T) {
	r, doc := build(t, sampleTable, idToken)
	got, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Version":"2012-10-17","Statement":[` +
		`{"Action":["execute-api:Invoke"],"Effect":"Allow","Resource":["` + stage + `*"]},` +
		`{"Action":["execute-api:Invoke"],"Effect":"Deny","Resource":["` + stage + `GET/admin","` + stage + `GET/items","` + stage + `POST/items"]}]}`
	if string(got) != want {
		t.Errorf("document\n got %s\nwant %s", got, want)
	}
	if len(r.Unenforced) != 0 {
		t.Errorf("unenforced %q", r.Unenforced)
	}
	// Rules not made by a Builder still deny rather than send an empty policy.
	if d := decide(t, policy.Rules{}.Document(stage), arn("GET /me")); d != "Deny" {
		t.Errorf("empty rules: %s", d)
	}
}

// TestDocumentSize keeps the largest policy for the tables here far under the 8 KB response
// limit, leaving room for the context (the token's claims, about 1 KB).
func TestDocumentSize(t *testing.T) {
	largest := 0
	for _, table := range []routes.Table{sampleTable, shopTable} {
		b, err := policy.NewBuilder(table)
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range tokensByName {
			doc, _ := json.Marshal(b.Rules(tok).Document(stage))
			largest = max(largest, len(doc))
		}
	}
	if largest > 2048 {
		t.Errorf("largest policy is %d bytes, want at most 2 KB", largest)
	}
	t.Logf("largest policy: %d bytes", largest)
}

func TestStageARN(t *testing.T) {
	good := map[string]string{
		"arn:aws:execute-api:us-east-1:123456789012:k3x9w2v7q1/prod/GET/":                 "arn:aws:execute-api:us-east-1:123456789012:k3x9w2v7q1/prod/",
		"arn:aws:execute-api:us-east-1:123456789012:k3x9w2v7q1/prod/GET/items/42":         "arn:aws:execute-api:us-east-1:123456789012:k3x9w2v7q1/prod/",
		"arn:aws-cn:execute-api:cn-north-1:123456789012:abc123/dev_2/POST/a/b":            "arn:aws-cn:execute-api:cn-north-1:123456789012:abc123/dev_2/",
		"arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:a1/test-invoke-stage/GET/": "arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:a1/test-invoke-stage/",
	}
	for in, want := range good {
		if got, err := policy.StageARN(in); err != nil || got != want {
			t.Errorf("StageARN(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{
		"",
		"arn:aws:execute-api:us-east-1:123456789012:k3x9w2v7q1/prod",
		"arn:aws:execute-api:us-east-1:123456789012:k3x9w2v7q1/prod/GET",
		"arn:aws:execute-api:us-east-1:123456789012:k3x9w2v7q1/*/GET/", // a "*" stage would widen the policy
		"arn:aws:execute-api:us-east-1:*:k3x9w2v7q1/prod/GET/",
		"arn:aws:execute-api:*:123456789012:k3x9w2v7q1/prod/GET/",
		"arn:aws:execute-api:us-east-1:123456789012:*/prod/GET/",
		"arn:aws:lambda:us-east-1:123456789012:k3x9w2v7q1/prod/GET/",
		" arn:aws:execute-api:us-east-1:123456789012:k3x9w2v7q1/prod/GET/",
	} {
		if got, err := policy.StageARN(in); err == nil {
			t.Errorf("StageARN(%q) = %q, want an error", in, got)
		}
	}
}

func TestNewBuilderRefusesBadTables(t *testing.T) {
	for name, table := range map[string]routes.Table{
		"bad method":        {{Method: "FETCH", Path: "/x", Access: routes.Protected}},
		"bad path":          {{Method: "GET", Path: "x/*", Access: routes.Protected}},
		"scoped, no scopes": {{Method: "GET", Path: "/x", Access: routes.Scoped}},
		"too many params": {{Method: "GET", Path: "/a/{b}/c/{d}/e/{f}/g/{h}/i/{j}", Access: routes.Protected},
			{Method: "GET", Path: "/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z", Access: routes.Protected}},
	} {
		if _, err := policy.NewBuilder(table); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// Rules are the same for tokens of the same kind, cached or not.
func TestRulesStable(t *testing.T) {
	b, err := policy.NewBuilder(shopTable)
	if err != nil {
		t.Fatal(err)
	}
	first := b.Rules(shopAdmin)
	again := b.Rules(routes.Caller{Client: routes.WebClient, TokenUse: "access", Scopes: []string{"shop/write", "x", "shop/read"}, Groups: []string{"admin", "y"}})
	if !slices.Equal(first.Allow, again.Allow) || !slices.Equal(first.Deny, again.Deny) {
		t.Errorf("rules differ: %+v and %+v", first, again)
	}
}

// TestWitnessLimit pins the analysis limit at both edges: a route is analysed with at most
// 1<<16 concrete paths. Here each parameter takes 16 values ("@" and the table's 15
// literals), so four parameters give 16^4 = 65,536 paths, the most accepted, and a fifth
// would give 16^5.
func TestWitnessLimit(t *testing.T) {
	literals := routes.Route{Method: "GET", Path: "/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/l11/l12/l13/l14", Access: routes.Protected}
	four := routes.Route{Method: "GET", Path: "/x/{a}/{b}/{c}/{d}", Access: routes.Scoped, Scopes: []string{"api/read"}}
	b, err := policy.NewBuilder(routes.Table{literals, four})
	if err != nil {
		t.Fatalf("16^4 paths: %v", err)
	}
	read := routes.Caller{Client: routes.WebClient, TokenUse: "access", Scopes: []string{"api/read"}}
	if r := b.Rules(read); !slices.Equal(r.Allow, []string{"GET/x/*/*/*/*"}) {
		t.Errorf("rules = %+v", r)
	}
	five := four
	five.Path += "/{e}"
	if _, err := policy.NewBuilder(routes.Table{literals, five}); err == nil || !strings.Contains(err.Error(), "GET /x/{a}/{b}/{c}/{d}/{e}: too many path parameters") {
		t.Errorf("16^5 paths: %v, want too many path parameters", err)
	}
}

// TestRootTakenByAnyRoute: a table route ANY / leaves the root to no catch-all, so no Allow
// may stand for it, in either form of an ID token's policy.
func TestRootTakenByAnyRoute(t *testing.T) {
	table := routes.Table{
		{Method: "ANY", Path: "/", Access: routes.Scoped, Scopes: []string{"api/read"}},
		{Method: "GET", Path: "/me", Access: routes.Protected},
		{Method: "GET", Path: "/items/{id}", Access: routes.Scoped, Scopes: []string{"api/read"}},
		{Method: "GET", Path: "/items/new", Access: routes.Protected},
	}
	// The explicit form: the Deny "GET/items/*" would refuse GET /items/new.
	r, doc := build(t, table, idToken)
	if want := []string{"GET/items/new", "GET/me"}; !slices.Equal(r.Allow, want) || len(r.Deny) > 0 || len(r.Unenforced) > 0 {
		t.Errorf("rules = %+v, want allow %q", r, want)
	}
	for _, req := range []string{"GET /", "POST /", "OPTIONS /"} {
		if got := decide(t, doc, arn(req)); got != "Deny" {
			t.Errorf("ID token, %s: %s, want Deny", req, got)
		}
	}
	checkAll(t, table, idToken, r, doc, false)
	// The catch-all form.
	small := slices.Clone(table[:2]) // requestsFor keys its cache by the first route
	r, doc = build(t, small, idToken)
	if !slices.Equal(r.Allow, []string{"*"}) || !slices.Equal(r.Deny, []string{"*/"}) {
		t.Errorf("rules = %+v, want allow * deny */", r)
	}
	checkAll(t, small, idToken, r, doc, false)
}

// TestUnenforcedEitherForm: when the explicit form leaves as many routes unenforced as the
// catch-all form, the ID token keeps the catch-all form, which also keeps the handler's 404
// for unknown paths.
func TestUnenforcedEitherForm(t *testing.T) {
	table := routes.Table{
		{Method: "ANY", Path: "/{x}", Access: routes.Protected},
		{Method: "GET", Path: "/a/{y}/c", Access: routes.Protected},
		{Method: "GET", Path: "/a/{y}", Access: routes.Scoped, Scopes: []string{"api/two"}},
	}
	r, doc := build(t, table, idToken)
	if !slices.Equal(r.Allow, []string{"*"}) || len(r.Deny) > 0 || !slices.Equal(r.Unenforced, []string{"GET /a/{y}"}) {
		t.Errorf("rules = %+v, want allow * and GET /a/{y} unenforced", r)
	}
	for req, want := range map[string]string{
		"GET /a/1/c": "Allow", "POST /b": "Allow", "GET /a/1": "Allow", // the gap
		"GET /b/c/d": "Allow", // unknown: the handler's 404
	} {
		if got := decide(t, doc, arn(req)); got != want {
			t.Errorf("%s: %s, want %s", req, got, want)
		}
	}
	checkAll(t, table, idToken, r, doc, false)
}
