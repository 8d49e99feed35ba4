// Package fnenv is the contract between the stacks and the Lambda functions: one type per
// function (Proxy, Authorizer, PreSignUp, PreToken) for everything a stack hands it. The stacks
// write a value's environment with its Env method; each function's main reads it back with the
// matching Read function, which reports every problem at once (and then returns the zero
// value). cmd/local builds the same Proxy from cdk.json and the stage's outputs. The package
// has no CDK imports, so that the functions never link the CDK or jsii; values may still be
// CDK tokens, which Env passes through.
package fnenv

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/problem"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// The functions' environment variables (docs/development.md lists who gets which).
const (
	// EnvRouteTable holds the route table as JSON (Proxy, Authorizer).
	EnvRouteTable = "ROUTE_TABLE"
	// EnvAllowedClientIDs holds the comma-separated ids of the stage's web app client(s)
	// (Proxy, Authorizer).
	EnvAllowedClientIDs = "ALLOWED_CLIENT_IDS"
	// EnvMachineClients holds the stage's machine clients as comma-separated name=id pairs,
	// "" when there are none (Proxy, Authorizer).
	EnvMachineClients = "MACHINE_CLIENTS"
	// EnvAllowedOrigins holds the comma-separated CORS origins, "*" for any, "" for none (Proxy).
	EnvAllowedOrigins = "ALLOWED_ORIGINS"
	// EnvItemsTable holds the name of the items table (Proxy), which the function may read and
	// write (internal/items has its key schema).
	EnvItemsTable = "ITEMS_TABLE"
	// EnvIssuer holds the user pool's issuer URL, https://cognito-idp.<region>.amazonaws.com/<pool
	// id> (Authorizer, which verifies tokens itself).
	EnvIssuer = "COGNITO_ISSUER"
	// EnvLinkAuthorities holds what linkByEmail trusts each identity provider for, as JSON
	// (PreSignUp).
	EnvLinkAuthorities = "LINK_AUTHORITIES"
	// EnvPreTokenSettings holds what the pre token generation trigger adds, as JSON (PreToken).
	EnvPreTokenSettings = "PRE_TOKEN_SETTINGS"
)

// Join makes one value of a list, as strings.Join does. The stacks pass one that keeps CDK
// tokens (the client ids) resolvable, awscdk.Fn_Join; everyone else passes strings.Join.
type Join func(parts []string, sep string) string

// joinList renders a list variable: "" for none, the one part itself (a token stays a token),
// or the parts joined by commas.
func joinList(parts []string, join Join) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return join(parts, ",")
}

// SplitList splits a comma-separated list, such as the value of EnvAllowedClientIDs or a -c
// override, trimming spaces and dropping blanks.
func SplitList(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// EncodeRoutes renders a route table as EnvRouteTable carries it: JSON without empty fields.
func EncodeRoutes(t routes.Table) string {
	b, _ := json.Marshal(t) // strings and lists of strings: Marshal cannot fail
	return string(b)
}

// problems collects what is wrong with an environment as the project's problem list, one line
// each, every line naming its variable. Values are quoted as they were read: none of these
// variables holds a secret.
type problems problem.List

func (p *problems) add(variable, format string, args ...any) {
	*p = append(*p, problem.Problem{Where: variable, Want: fmt.Sprintf(format, args...)})
}

func (p *problems) unset(variable, want string) {
	*p = append(*p, problem.Problem{Want: variable + " is not set; want " + want})
}

// err is one error whose message is the problems, one per line.
func (p problems) err() error { return problem.List(p) }

// readRoutes reads EnvRouteTable: set, JSON, and a table routes.Table.Check finds nothing
// wrong with (given the table's own scopes and groups: the stacks have checked those names).
func readRoutes(getenv func(string) string, p *problems) routes.Table {
	v := getenv(EnvRouteTable)
	if v == "" {
		p.unset(EnvRouteTable, "the route table as JSON, as the API stack writes it")
		return nil
	}
	var t routes.Table
	if err := json.Unmarshal([]byte(v), &t); err != nil {
		p.add(EnvRouteTable, "%v; want the route table as JSON, as the API stack writes it", err)
		return nil
	}
	if len(t) == 0 {
		p.add(EnvRouteTable, "got %q; want at least one route", v)
	}
	for _, bad := range t.CheckStructure("routes") {
		p.add(EnvRouteTable, "%s", bad)
	}
	return t
}

// readJSON reads a variable that holds JSON into v; false when it is unset or not JSON of v's
// shape, which it reports.
func readJSON(getenv func(string) string, variable, want string, v any, p *problems) bool {
	s := getenv(variable)
	if s == "" {
		p.unset(variable, want)
		return false
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		p.add(variable, "%v; want %s", err, want)
		return false
	}
	return true
}
