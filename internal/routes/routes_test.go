package routes

import (
	"reflect"
	"strings"
	"testing"
)

// sample mirrors the sample app's table.
func sample() Table {
	return Table{
		{Method: "GET", Path: "/health", Access: Public},
		{Method: "GET", Path: "/me", Access: Protected},
		{Method: "GET", Path: "/items", Access: Scoped, Scopes: []string{"demo-api/read"}},
		{Method: "POST", Path: "/items", Access: Scoped, Scopes: []string{"demo-api/write"}},
		{Method: "GET", Path: "/admin", Access: Protected, Groups: []string{"admin"}},
	}
}

// name32 is an app client name of 32 characters, the most ClientNamePattern takes.
const name32 = "reporting-0123456789-0123456789x"

var (
	knownScopes = []string{"demo-api/read", "demo-api/write"}
	knownGroups = []string{"admin", "users"}
)

func TestTokenUse(t *testing.T) {
	for a, want := range map[Access]string{Public: "", Protected: "id", Scoped: "access", "private": ""} {
		if got := a.TokenUse(); got != want {
			t.Errorf("%q.TokenUse() = %q, want %q", a, got, want)
		}
	}
}

func TestKey(t *testing.T) {
	if got := (Route{Method: "GET", Path: "/items/{id}"}).Key(); got != "GET /items/{id}" {
		t.Errorf("Key() = %q", got)
	}
}

func TestCheckSampleIsClean(t *testing.T) {
	if problems := sample().Check("routes", knownScopes, knownGroups); len(problems) != 0 {
		t.Errorf("sample table: %v", problems)
	}
	ok := Table{
		{Method: "GET", Path: "/", Access: Public},
		{Method: "ANY", Path: "/items/{id}", Access: Protected},
		{Method: "GET", Path: "/items/{id}", Access: Protected},
		{Method: "DELETE", Path: "/items/{id}/parts/{part}", Access: Scoped, Scopes: []string{"demo-api/write"}, Groups: []string{"admin"}},
		{Method: "GET", Path: "/v1.0/~me_too-x", Access: Protected},
		// A client name of 32 characters, the longest one allowed.
		{Method: "GET", Path: "/reports", Access: Scoped, Scopes: []string{"demo-api/read"}, Clients: []string{name32}},
	}
	if problems := ok.Check("routes", knownScopes, knownGroups); len(problems) != 0 {
		t.Errorf("valid table: %v", problems)
	}
}

func TestCheckProblems(t *testing.T) {
	tests := []struct {
		name  string
		table Table
		want  []string // Where of each problem, in order
		in    string   // substring of the first problem's text
	}{
		{"lower-case method", Table{{Method: "get", Path: "/x", Access: Public}}, []string{"r[0].method"}, "OPTIONS is answered by CORS preflight"},
		{"OPTIONS", Table{{Method: "OPTIONS", Path: "/x", Access: Public}}, []string{"r[0].method"}, `got "OPTIONS"`},
		{"empty path", Table{{Method: "GET", Path: "", Access: Public}}, []string{"r[0].path"}, `starts with "/"`},
		{"relative path", Table{{Method: "GET", Path: "x", Access: Public}}, []string{"r[0].path"}, `starts with "/"`},
		{"trailing slash", Table{{Method: "GET", Path: "/x/", Access: Public}}, []string{"r[0].path"}, `does not end with "/"`},
		{"empty segment", Table{{Method: "GET", Path: "/x//y", Access: Public}}, []string{"r[0].path"}, `segment ""`},
		{"proxy segment", Table{{Method: "GET", Path: "/{proxy+}", Access: Public}}, []string{"r[0].path"}, "catch-all"},
		{"bad characters", Table{{Method: "GET", Path: "/a b", Access: Public}}, []string{"r[0].path"}, `segment "a b"`},
		{"duplicate", Table{{Method: "GET", Path: "/x", Access: Public}, {Method: "GET", Path: "/x", Access: Protected}},
			[]string{"r[1].path"}, "also routes[0]"},
		{"two parameter names on one level", Table{
			{Method: "GET", Path: "/items/{id}", Access: Protected},
			{Method: "GET", Path: "/items/{itemId}/parts", Access: Protected},
		}, []string{"r[1].path"}, "one parameter name per level"},
		// Every route that disagrees with the first name is reported, not just the next one.
		{"three routes, two parameter names", Table{
			{Method: "GET", Path: "/a/{x}", Access: Protected},
			{Method: "GET", Path: "/a/{y}", Access: Protected},
			{Method: "GET", Path: "/a/{y}/z", Access: Protected},
		}, []string{"r[1].path", "r[2].path"}, "both {x} and {y}"},
		{"missing access", Table{{Method: "GET", Path: "/x"}}, []string{"r[0].access"}, `want "public"`},
		{"public with scopes and groups", Table{{Method: "GET", Path: "/x", Access: Public, Scopes: []string{"demo-api/read"}, Groups: []string{"admin"}}},
			[]string{"r[0].scopes", "r[0].groups"}, "no scopes on a public route"},
		{"protected with scopes", Table{{Method: "GET", Path: "/x", Access: Protected, Scopes: []string{"demo-api/read"}}},
			[]string{"r[0].scopes"}, `use access "scoped"`},
		{"scoped without scopes", Table{{Method: "GET", Path: "/x", Access: Scoped}}, []string{"r[0].scopes"}, "at least one scope"},
		{"unknown scope and group", Table{{Method: "GET", Path: "/x", Access: Scoped, Scopes: []string{"demo-api/read", "nope"}, Groups: []string{"ghosts"}}},
			[]string{"r[0].scopes[1]", "r[0].groups[0]"}, "resource server's scopes: demo-api/read, demo-api/write"},
		{"bad client names", Table{{Method: "GET", Path: "/x", Access: Scoped, Scopes: []string{"demo-api/read"}, Clients: []string{"Reporting", "web", "web"}}},
			[]string{"r[0].clients[0]", "r[0].clients[2]"}, "lower-case letters"},
		{"machine client on a protected route", Table{{Method: "GET", Path: "/x", Access: Protected, Clients: []string{"web", "reporting"}}},
			[]string{"r[0].clients[1]"}, "scoped routes only"},
		{"client name of 33 characters", Table{{Method: "GET", Path: "/x", Access: Scoped, Scopes: []string{"demo-api/read"}, Clients: []string{name32 + "x"}}},
			[]string{"r[0].clients[0]"}, "at most 32 characters"},
		{"machine client beside groups", Table{{Method: "GET", Path: "/x", Access: Scoped, Scopes: []string{"demo-api/read"}, Groups: []string{"admin"}, Clients: []string{"reporting"}}},
			[]string{"r[0].clients[0]"}, "no groups"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems := tt.table.Check("r", knownScopes, knownGroups)
			var where []string
			for _, p := range problems {
				where = append(where, p.Where)
			}
			if !reflect.DeepEqual(where, tt.want) {
				t.Fatalf("problems at %q, want %q: %v", where, tt.want, problems)
			}
			if got := problems[0].String(); !strings.Contains(got, tt.in) {
				t.Errorf("problem %q does not mention %q", got, tt.in)
			}
		})
	}
}

func TestCheckGroupsWhenNoneDefined(t *testing.T) {
	problems := Table{{Method: "GET", Path: "/x", Access: Protected, Groups: []string{"admin"}}}.Check("r", nil, nil)
	if len(problems) != 1 || !strings.Contains(problems[0].String(), "(none are defined)") {
		t.Errorf("problems = %v", problems)
	}
}

// CheckStructure takes the table's own scopes and groups as known, and still reports its
// structure.
func TestCheckStructure(t *testing.T) {
	named := Table{{Method: "GET", Path: "/x", Access: Scoped, Scopes: []string{"api/read"}, Groups: []string{"admin"}}}
	if problems := named.CheckStructure("r"); len(problems) != 0 {
		t.Errorf("a table naming its own scopes and groups: %v", problems)
	}
	bad := Table{{Method: "FETCH", Path: "/x", Access: Protected, Groups: []string{"admin"}}}
	if problems := bad.CheckStructure("r"); len(problems) != 1 || !strings.HasPrefix(problems[0].String(), "r[0].method") {
		t.Errorf("a bad method: %v", problems)
	}
}

func TestLookup(t *testing.T) {
	table := append(sample(),
		Route{Method: "ANY", Path: "/things", Access: Protected},
		Route{Method: "DELETE", Path: "/things", Access: Protected, Groups: []string{"admin"}},
	)
	tests := []struct {
		method, resource string
		wantKey          string // "" means not found
	}{
		{"GET", "/items", "GET /items"},
		{"POST", "/items", "POST /items"},
		{"DELETE", "/items", ""},
		{"GET", "/things", "ANY /things"},
		{"DELETE", "/things", "DELETE /things"}, // a method's own route beats ANY listed before it
		{"GET", ProxyPath, ""},
		{"GET", "/nope", ""},
		{"get", "/items", ""},
	}
	for _, tt := range tests {
		r, ok := table.Lookup(tt.method, tt.resource)
		if ok != (tt.wantKey != "") || (ok && r.Key() != tt.wantKey) {
			t.Errorf("Lookup(%s, %s) = %q, %v; want %q", tt.method, tt.resource, r.Key(), ok, tt.wantKey)
		}
	}
	if r, _ := table.Lookup("GET", "/items"); !reflect.DeepEqual(r.Scopes, []string{"demo-api/read"}) {
		t.Errorf("Lookup returned scopes %q", r.Scopes)
	}
	if _, ok := Table(nil).Lookup("GET", "/"); ok {
		t.Error("nil table found a route")
	}
}

func TestMatch(t *testing.T) {
	table := Table{
		{Method: "GET", Path: "/", Access: Public},
		{Method: "GET", Path: "/items", Access: Protected},
		{Method: "GET", Path: "/items/{id}", Access: Protected},
		{Method: "GET", Path: "/items/special", Access: Protected},
		{Method: "GET", Path: "/items/{id}/parts/{part}", Access: Protected},
		{Method: "GET", Path: "/{tenant}/report", Access: Protected},
		{Method: "GET", Path: "/users/{user}", Access: Protected},
	}
	tests := []struct {
		path         string
		wantResource string
		wantParams   map[string]string
	}{
		{"/", "/", map[string]string{}},
		{"/items", "/items", map[string]string{}},
		{"/items/", "/items", map[string]string{}},
		{"/items/42", "/items/{id}", map[string]string{"id": "42"}},
		{"/items/special", "/items/special", map[string]string{}}, // literal beats {id}
		{"/items/42/parts/7", "/items/{id}/parts/{part}", map[string]string{"id": "42", "part": "7"}},
		{"/acme/report", "/{tenant}/report", map[string]string{"tenant": "acme"}},
		// An earlier literal outweighs a later one, as API Gateway picks level by level.
		{"/users/report", "/users/{user}", map[string]string{"user": "report"}},
		{"/items/42/parts", ProxyPath, map[string]string{"proxy": "items/42/parts"}},
		{"/nope", ProxyPath, map[string]string{"proxy": "nope"}},
		{"/items//parts/7", ProxyPath, map[string]string{"proxy": "items//parts/7"}},
		{"/users", ProxyPath, map[string]string{"proxy": "users"}},
	}
	for _, tt := range tests {
		resource, params := table.Match(tt.path)
		if resource != tt.wantResource || !reflect.DeepEqual(params, tt.wantParams) {
			t.Errorf("Match(%q) = %q %v, want %q %v", tt.path, resource, params, tt.wantResource, tt.wantParams)
		}
	}
}

func TestMatchTie(t *testing.T) {
	table := Table{
		{Method: "GET", Path: "/items/{id}", Access: Protected},
		{Method: "POST", Path: "/items/{itemId}", Access: Protected},
	}
	if problems := table.Check("r", knownScopes, knownGroups); len(problems) != 1 {
		t.Fatalf("Check: %v, want the two parameter names refused", problems)
	}
	for _, tc := range []struct {
		table Table
		want  string
	}{{table, "id"}, {Table{table[1], table[0]}, "itemId"}} {
		resource, params := tc.table.Match("/items/42")
		if resource != "/items/{"+tc.want+"}" || !reflect.DeepEqual(params, map[string]string{tc.want: "42"}) {
			t.Errorf("Match over %s, %s = %q %v, want the first listed", tc.table[0].Key(), tc.table[1].Key(), resource, params)
		}
	}
}
