package fnenv

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/linking"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

// name32 is an app client name of 32 characters, the most routes.ClientNamePattern takes.
const name32 = "reporting-0123456789-0123456789x"

func sampleRoutes() routes.Table {
	return routes.Table{
		{Method: "GET", Path: "/health", Access: routes.Public},
		{Method: "GET", Path: "/me", Access: routes.Protected},
		{Method: "GET", Path: "/items", Access: routes.Scoped, Scopes: []string{"demo-api/read"}, Clients: []string{"web", "reporting"}},
		{Method: "GET", Path: "/admin", Access: routes.Protected, Groups: []string{"admin"}},
	}
}

// lookup is getenv over a map, as the functions' tests call the Read functions.
func lookup(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// wantProblems checks that err has exactly one line per wanted problem, each line naming a
// variable, and that each want is in some line.
func wantProblems(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Errorf("%d problems, want %d:\n%s", len(lines), len(want), err)
	}
	for _, line := range lines {
		if !strings.HasPrefix(line, "ROUTE_TABLE") && !strings.HasPrefix(line, "ALLOWED_") && !strings.HasPrefix(line, "MACHINE_CLIENTS") && !strings.HasPrefix(line, "ITEMS_TABLE") &&
			!strings.HasPrefix(line, "COGNITO_ISSUER") && !strings.HasPrefix(line, "LINK_AUTHORITIES") && !strings.HasPrefix(line, "PRE_TOKEN_SETTINGS") {
			t.Errorf("problem names no variable: %q", line)
		}
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("problems do not mention %q:\n%s", w, err)
		}
	}
}

// wantRefused wants read to refuse env with the problems want (see wantProblems) and to return
// the zero value with them: a function never runs on part of its settings (the token trigger,
// which starts anyway, then adds nothing).
func wantRefused[T any](t *testing.T, read func(getenv func(string) string) (T, error), env map[string]string, want ...string) {
	t.Helper()
	got, err := read(lookup(env))
	wantProblems(t, err, want...)
	if !reflect.DeepEqual(got, *new(T)) {
		t.Errorf("read %v: returned %+v with its problems, want the zero value", env, got)
	}
}

func TestProxyRoundTrip(t *testing.T) {
	for name, p := range map[string]Proxy{
		"full": {Routes: sampleRoutes(), Clients: Clients{Web: []string{"web1", "web2"}, Machine: map[string]string{"reporting": "m1", name32: "m2"}},
			AllowedOrigins: []string{"https://app.example.com", "http://localhost:3000"}, ItemsTable: "demo-api-dev-api-ItemsTable5AAC2C46-1X2Y3Z"},
		"no CORS, no machine clients": {Routes: sampleRoutes(), Clients: Clients{Web: []string{"web1"}, Machine: map[string]string{}}, ItemsTable: "items"},
	} {
		t.Run(name, func(t *testing.T) {
			env := p.Env(strings.Join)
			// Every variable is written, empty or not: the template does not change shape with
			// the settings.
			for _, k := range []string{EnvRouteTable, EnvAllowedClientIDs, EnvMachineClients, EnvAllowedOrigins, EnvItemsTable} {
				if _, ok := env[k]; !ok {
					t.Errorf("Env leaves out %s", k)
				}
			}
			if len(env) != 5 {
				t.Errorf("Env = %v, want the proxy's five variables", env)
			}
			got, err := ReadProxy(lookup(env))
			if err != nil || !reflect.DeepEqual(got, p) {
				t.Errorf("ReadProxy(Env()) = %+v, %v\nwant %+v", got, err, p)
			}
		})
	}
}

func TestReadProxy(t *testing.T) {
	good := Proxy{Routes: sampleRoutes(), Clients: Clients{Web: []string{"web1"}}, ItemsTable: "items"}.Env(strings.Join)
	if got, err := ReadProxy(lookup(testkit.Env(good, EnvAllowedClientIDs, " web1 , web2,", EnvAllowedOrigins, " https://app.example.com, http://[::1]:3000 "))); err != nil ||
		!reflect.DeepEqual(got.Clients.Web, []string{"web1", "web2"}) || !reflect.DeepEqual(got.AllowedOrigins, []string{"https://app.example.com", "http://[::1]:3000"}) {
		t.Errorf("ReadProxy with spaces = %+v, %v", got, err)
	}
	for _, name := range []string{"abc", strings.Repeat("t", 255), "demo-api-dev-api-Items_1.2"} {
		if got, err := ReadProxy(lookup(testkit.Env(good, EnvItemsTable, name))); err != nil || got.ItemsTable != name {
			t.Errorf("ReadProxy with the table %q = %+v, %v", name, got, err)
		}
	}
	if got, err := ReadProxy(lookup(testkit.Env(good, EnvAllowedOrigins, "*"))); err != nil || !reflect.DeepEqual(got.AllowedOrigins, []string{"*"}) {
		t.Errorf(`ReadProxy with "*" = %+v, %v`, got, err)
	}
	tests := []struct {
		name string
		env  map[string]string
		want []string // one per problem
	}{
		{"nothing set", map[string]string{}, []string{"ROUTE_TABLE is not set", "ALLOWED_CLIENT_IDS is not set", "ITEMS_TABLE is not set"}},
		{"blank client ids", testkit.Env(good, EnvAllowedClientIDs, " , "), []string{"ALLOWED_CLIENT_IDS is not set"}},
		{"client id with a space", testkit.Env(good, EnvAllowedClientIDs, "web1,we b2"), []string{`ALLOWED_CLIENT_IDS: got "we b2"; want an app client id`}},
		{"table not JSON", testkit.Env(good, EnvRouteTable, "{"), []string{"ROUTE_TABLE: unexpected end of JSON input; want the route table as JSON"}},
		{"table of no routes", testkit.Env(good, EnvRouteTable, "[]"), []string{`ROUTE_TABLE: got "[]"; want at least one route`}},
		{"table with problems", testkit.Env(good, EnvRouteTable, `[{"method":"get","path":"/x","access":"public"},{"method":"GET","path":"/y","access":"scoped"}]`),
			[]string{"ROUTE_TABLE: routes[0].method", "ROUTE_TABLE: routes[1].scopes"}},
		{"bad origins", testkit.Env(good, EnvAllowedOrigins, "app.example.com,https://ok.example,HTTPS://App.Example.com/"),
			[]string{`ALLOWED_ORIGINS: got "app.example.com"; want an origin`, `ALLOWED_ORIGINS: got "HTTPS://App.Example.com/"; want the origin exactly as a browser sends it`}},
		{"bad machine clients", testkit.Env(good, EnvMachineClients, "reporting,Bad=m1,web=m2,"+name32+"x=m3,billing=m4,billing=m5"),
			[]string{`MACHINE_CLIENTS: got "reporting"; want name=client id`, `MACHINE_CLIENTS: got "Bad"="m1"`, `MACHINE_CLIENTS: got "web"="m2"`,
				`MACHINE_CLIENTS: got "` + name32 + `x"="m3"`, `MACHINE_CLIENTS: "billing" appears twice`}},
		// DynamoDB's table name rule at both edges.
		{"table name of 2 characters", testkit.Env(good, EnvItemsTable, "ab"), []string{`ITEMS_TABLE: got "ab"; want a DynamoDB table name`}},
		{"table name of 256 characters", testkit.Env(good, EnvItemsTable, strings.Repeat("t", 256)), []string{"ITEMS_TABLE: got"}},
		{"table name with a slash", testkit.Env(good, EnvItemsTable, "arn:aws:dynamodb:us-east-1:1:table/items"), []string{"ITEMS_TABLE: got"}},
		{"machine client with a web client's id", testkit.Env(good, EnvMachineClients, "reporting=web1"), []string{"MACHINE_CLIENTS: app client web1 is both \"web\" and \"reporting\"; want one name per client"}},
		{"every problem at once", map[string]string{EnvMachineClients: "x", EnvAllowedOrigins: "http://app.example.com"},
			[]string{"ROUTE_TABLE is not set", "ALLOWED_CLIENT_IDS is not set", `MACHINE_CLIENTS: got "x"`, "ALLOWED_ORIGINS: got \"http://app.example.com\"; want https", "ITEMS_TABLE is not set"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantRefused(t, ReadProxy, tt.env, tt.want...) })
	}
}

func TestAuthorizerRoundTrip(t *testing.T) {
	a := Authorizer{Issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X", Routes: sampleRoutes(),
		Clients: Clients{Web: []string{"web1"}, Machine: map[string]string{"reporting": "m1"}}}
	env := a.Env(strings.Join)
	if len(env) != 4 || env[EnvIssuer] != a.Issuer || env[EnvMachineClients] != "reporting=m1" {
		t.Errorf("Env = %v", env)
	}
	got, err := ReadAuthorizer(lookup(env))
	if err != nil || !reflect.DeepEqual(got, a) {
		t.Errorf("ReadAuthorizer(Env()) = %+v, %v\nwant %+v", got, err, a)
	}
}

func TestReadAuthorizer(t *testing.T) {
	good := Authorizer{Issuer: "https://issuer.example", Routes: sampleRoutes(), Clients: Clients{Web: []string{"web1"}}}.Env(strings.Join)
	for _, tt := range []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"nothing set", map[string]string{}, []string{"COGNITO_ISSUER is not set", "ALLOWED_CLIENT_IDS is not set", "ROUTE_TABLE is not set"}},
		{"table with problems", testkit.Env(good, EnvRouteTable, `[{"method":"GET","path":"/items","access":"scoped"}]`), []string{"ROUTE_TABLE: routes[0].scopes"}},
		{"bad machine clients", testkit.Env(good, EnvMachineClients, "a=m1,b=m1"), []string{`MACHINE_CLIENTS: app client m1 is both "a" and "b"`}},
	} {
		t.Run(tt.name, func(t *testing.T) { wantRefused(t, ReadAuthorizer, tt.env, tt.want...) })
	}
}

func TestPreSignUp(t *testing.T) {
	in := PreSignUp{Authorities: []linking.Authority{{Provider: "Google", Domains: []string{"gmail.com"}}, {Provider: "Entra", Domains: []string{"acme.example"}}}}
	env := in.Env()
	if got := env[EnvLinkAuthorities]; got != `[{"provider":"Google","domains":["gmail.com"]},{"provider":"Entra","domains":["acme.example"]}]` || len(env) != 1 {
		t.Errorf("Env = %v", env)
	}
	if out, err := ReadPreSignUp(lookup(env)); err != nil || !reflect.DeepEqual(out, in) {
		t.Fatalf("ReadPreSignUp(Env()) = %+v, %v; want %+v", out, err, in)
	}
	for v, want := range map[string][]string{
		"":                                    {"LINK_AUTHORITIES is not set; want the identity providers as JSON"},
		"[]":                                  {"LINK_AUTHORITIES: names no provider"},
		"null":                                {"LINK_AUTHORITIES: names no provider"},
		`[{"domains":["a"]},{"provider":""}]`: {"LINK_AUTHORITIES: entry 0 has no provider", "LINK_AUTHORITIES: entry 1 has no provider"},
		"Google,okta":                         {"LINK_AUTHORITIES: invalid character"},
	} {
		wantRefused(t, ReadPreSignUp, map[string]string{EnvLinkAuthorities: v}, want...)
	}
}

func TestPreToken(t *testing.T) {
	in := PreToken{GroupScopes: map[string][]string{"admin": {"demo-api/write"}}, ExtraClaims: map[string]string{"tenant": "acme"}, Scopes: []string{"demo-api/read", "demo-api/write"}}
	env := in.Env()
	// The template holds this string: its field names and order are the stacks' output.
	if got := env[EnvPreTokenSettings]; got != `{"groupScopes":{"admin":["demo-api/write"]},"extraClaims":{"tenant":"acme"},"scopes":["demo-api/read","demo-api/write"]}` || len(env) != 1 {
		t.Errorf("Env = %v", env)
	}
	if got := (PreToken{Scopes: []string{"a/b"}}).Env()[EnvPreTokenSettings]; got != `{"scopes":["a/b"]}` {
		t.Errorf("Env without groupScopes and extraClaims = %s, want them left out", got)
	}
	if out, err := ReadPreToken(lookup(env)); err != nil || !reflect.DeepEqual(out, in) {
		t.Fatalf("ReadPreToken(Env()) = %+v, %v; want %+v", out, err, in)
	}
	for v, want := range map[string]string{
		"":                          "PRE_TOKEN_SETTINGS is not set",
		"{":                         "PRE_TOKEN_SETTINGS: unexpected end of JSON input",
		`{"groupScopes":{"a":"b"}}`: "PRE_TOKEN_SETTINGS: json: cannot unmarshal",
	} {
		wantRefused(t, ReadPreToken, map[string]string{EnvPreTokenSettings: v}, want)
	}
}

// TestEnvJoin: Env joins lists with the join it is given (the stacks' keeps CDK tokens), but
// never for an empty list (Fn::Join refuses one) or a list of one (a token stays itself).
func TestEnvJoin(t *testing.T) {
	var calls [][]string
	join := func(parts []string, sep string) string {
		if sep != "," {
			t.Errorf("join with %q, want a comma", sep)
		}
		calls = append(calls, parts)
		return "joined"
	}
	env := Proxy{Routes: sampleRoutes(), Clients: Clients{Web: []string{"${Token[1]}"}, Machine: map[string]string{"b": "${Token[3]}", "a": "${Token[2]}"}}}.Env(join)
	if env[EnvAllowedClientIDs] != "${Token[1]}" || env[EnvAllowedOrigins] != "" || env[EnvMachineClients] != "joined" {
		t.Errorf("Env = %v", env)
	}
	if want := [][]string{{"a=${Token[2]}", "b=${Token[3]}"}}; !reflect.DeepEqual(calls, want) {
		t.Errorf("join called with %q, want %q", calls, want)
	}
}

func TestEncodeRoutes(t *testing.T) {
	if got := EncodeRoutes(routes.Table{{Method: "GET", Path: "/health", Access: routes.Public}}); got != `[{"method":"GET","path":"/health","access":"public"}]` {
		t.Errorf("EncodeRoutes = %s, want empty fields left out and names as in the configuration", got)
	}
}

func TestSplitList(t *testing.T) {
	for in, want := range map[string][]string{
		"":             nil,
		" , ,":         nil,
		"a":            {"a"},
		" a , b ,, c ": {"a", "b", "c"},
	} {
		if got := SplitList(in); !reflect.DeepEqual(got, want) {
			t.Errorf("SplitList(%q) = %q, want %q", in, got, want)
		}
	}
}
