// Package routes holds the API's route table and its decisions: which methods exist on which
// paths, who may call them (Route.Decide) and which route a request reaches (Lookup, Match).
// The CDK stacks turn it into API Gateway methods; the proxy handler, the token authorizer and
// the local server enforce the very same table, which internal/fnenv carries to the functions.
// It has no CDK imports so that the Lambda binaries never link the CDK or jsii.
package routes

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/problem"
)

// Access says which token a route needs.
type Access string

const (
	// Public routes need no token: API Gateway sends them straight to the handler.
	Public Access = "public"
	// Protected routes need a Cognito ID token (API Gateway's Cognito authorizer without scopes).
	Protected Access = "protected"
	// Scoped routes need a Cognito access token that carries one of the route's scopes.
	Scoped Access = "scoped"
)

// Route is one method on one resource path.
type Route struct {
	// Method is an HTTP method in upper case, or ANY.
	Method string `json:"method"`
	// Path is an API Gateway resource path such as /items or /items/{id}.
	Path   string `json:"path"`
	Access Access `json:"access"`
	// Scopes (scoped routes only): the access token must carry at least one of them.
	Scopes []string `json:"scopes,omitempty"`
	// Groups (protected and scoped routes): the caller must be in at least one of them.
	Groups []string `json:"groups,omitempty"`
	// Clients (scoped routes) are the app clients, by name, whose tokens the route takes:
	// WebClient (the default when empty) and machine clients of the stage.
	Clients []string `json:"clients,omitempty"`
}

// AllowedClients is Clients, or WebClient alone when the route names none.
func (r Route) AllowedClients() []string {
	if len(r.Clients) == 0 {
		return []string{WebClient}
	}
	return r.Clients
}

// Key names the route the way API Gateway names a method: "GET /items/{id}".
func (r Route) Key() string { return r.Method + " " + r.Path }

// ProxyPath is the catch-all resource the API adds beside the table's routes. It is protected,
// so an unknown path costs a valid ID token before the handler answers 404.
const ProxyPath = "/{proxy+}"

// Table is the whole route table, in the order the configuration lists it.
type Table []Route

// Methods API Gateway accepts on a resource, besides OPTIONS which CORS preflight owns.
var Methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "ANY"}

var (
	literalSegment = regexp.MustCompile(`^[A-Za-z0-9._~-]+$`)
	paramSegment   = regexp.MustCompile(`^\{[A-Za-z_][A-Za-z0-9_]*\}$`)
	// ClientNamePattern is what an app client's name in the configuration looks like.
	ClientNamePattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)
	// ScopePattern is the character set Cognito allows in a scope (and API Gateway in a method scope).
	ScopePattern = regexp.MustCompile(`^[\x21\x23-\x5B\x5D-\x7E]+$`)
)

// CheckStructure is Check for a program that knows no scope or group list of its own (the
// functions, which the stacks hand a table they checked against the user pool): the scopes
// and groups are taken as the table names them, so that only its structure is checked.
func (t Table) CheckStructure(where string) problem.List {
	var scopes, groups []string
	for _, r := range t {
		scopes = append(scopes, r.Scopes...)
		groups = append(groups, r.Groups...)
	}
	return t.Check(where, scopes, groups)
}

// Check reports every structural problem in the table. knownScopes and knownGroups are the
// scopes of the resource server and the user pool's groups; routes may name only those.
// where is the prefix for problem locations, e.g. "stages.dev.routes".
func (t Table) Check(where string, knownScopes, knownGroups []string) problem.List {
	var problems problem.List
	add := func(i int, field string, value any, want string) {
		problems.Add(fmt.Sprintf("%s[%d].%s", where, i, field), value, want)
	}
	seen := map[string]int{}
	paramNames := map[string]string{} // parent path + "/" -> the {param} used there
	for i, r := range t {
		if !slices.Contains(Methods, r.Method) {
			add(i, "method", r.Method, "want one of "+strings.Join(Methods, ", ")+" (OPTIONS is answered by CORS preflight)")
		}
		pathOK := true
		if msg := checkPath(r.Path); msg != "" {
			add(i, "path", r.Path, msg)
			pathOK = false
		}
		if pathOK {
			if prev, dup := seen[r.Key()]; dup {
				add(i, "path", r.Path, fmt.Sprintf("want each method and path once; %s is also routes[%d]", r.Key(), prev))
			}
			seen[r.Key()] = i
			parent := ""
			for _, seg := range strings.Split(strings.TrimPrefix(r.Path, "/"), "/") {
				if paramSegment.MatchString(seg) {
					if other, ok := paramNames[parent]; !ok {
						paramNames[parent] = seg
					} else if other != seg {
						add(i, "path", r.Path, fmt.Sprintf("want one parameter name per level: API Gateway refuses both %s and %s under %q", other, seg, parent+"/"))
					}
				}
				parent += "/" + seg
			}
		}
		switch r.Access {
		case Public:
			if len(r.Scopes) > 0 {
				add(i, "scopes", r.Scopes, "want no scopes on a public route")
			}
			if len(r.Groups) > 0 {
				add(i, "groups", r.Groups, "want no groups on a public route (it has no caller identity)")
			}
		case Protected:
			if len(r.Scopes) > 0 {
				add(i, "scopes", r.Scopes, `want no scopes on a protected route (it takes the ID token); use access "scoped" for access tokens`)
			}
		case Scoped:
			if len(r.Scopes) == 0 {
				add(i, "scopes", r.Scopes, "want at least one scope on a scoped route")
			}
		default:
			add(i, "access", r.Access, `want "public", "protected" (ID token) or "scoped" (access token with scopes)`)
		}
		for j, s := range r.Scopes {
			if !slices.Contains(knownScopes, s) {
				add(i, fmt.Sprintf("scopes[%d]", j), s, "want one of the resource server's scopes: "+strings.Join(knownScopes, ", "))
			}
		}
		for j, c := range r.Clients {
			switch {
			case !ClientNamePattern.MatchString(c):
				add(i, fmt.Sprintf("clients[%d]", j), c, "want an app client name: lower-case letters, digits and -, starting with a letter, at most 32 characters")
			case slices.Index(r.Clients, c) != j:
				add(i, fmt.Sprintf("clients[%d]", j), c, "want each client once")
			case c == WebClient:
			case r.Access != Scoped:
				add(i, fmt.Sprintf("clients[%d]", j), c, `want machine clients on scoped routes only: their tokens are access tokens without a user, and this route takes an ID token or none`)
			case len(r.Groups) > 0:
				add(i, fmt.Sprintf("clients[%d]", j), c, "want machine clients only on routes without groups: a machine token has no user, so no groups")
			}
		}
		for j, g := range r.Groups {
			if !slices.Contains(knownGroups, g) {
				add(i, fmt.Sprintf("groups[%d]", j), g, WantDefined("want a group defined in groups", knownGroups))
			}
		}
	}
	return problems
}

// WantDefined ends a message that asks for one of the names a setting defines: it lists
// them, or says that there are none.
func WantDefined(want string, defined []string) string {
	if len(defined) == 0 {
		return want + " (none are defined)"
	}
	return want + ": " + strings.Join(defined, ", ")
}

func checkPath(p string) string {
	if p == "/" {
		return ""
	}
	if !strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") {
		return `want a path that starts with "/" and does not end with "/", such as /items/{id}`
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if seg == "" || (!literalSegment.MatchString(seg) && !paramSegment.MatchString(seg)) {
			return fmt.Sprintf("segment %q: want letters, digits, . _ ~ - or a parameter such as {id} ({proxy+} is the API's own catch-all)", seg)
		}
	}
	return ""
}

// Lookup finds the route for an API Gateway resource template (event.Resource) and method. An
// ANY route answers every method that has no route of its own.
func (t Table) Lookup(method, resource string) (Route, bool) {
	var anyRoute *Route
	for i := range t {
		r := &t[i]
		if r.Path != resource {
			continue
		}
		if r.Method == method {
			return *r, true
		}
		if r.Method == "ANY" {
			anyRoute = r
		}
	}
	if anyRoute != nil {
		return *anyRoute, true
	}
	return Route{}, false
}

// Match finds the resource template that API Gateway would pick for a concrete request path,
// and the path parameters. Literal segments win over {param} segments, as in API Gateway; a
// path no route's resource matches belongs to ProxyPath. It is what a local server needs to
// build the event API Gateway would send. Two resources tie only where one level has two
// parameter names, which Check refuses; then the one listed first wins.
func (t Table) Match(path string) (resource string, params map[string]string) {
	want := splitPath(path)
	best, bestScore := "", -1
	for _, r := range t {
		have := splitPath(r.Path)
		if len(have) != len(want) {
			continue
		}
		score, ok := 0, true
		for i, seg := range have {
			switch {
			case seg == want[i]:
				score += 2 << (len(have) - i) // earlier literal segments weigh more
			case paramSegment.MatchString(seg) && want[i] != "":
			default:
				ok = false
			}
			if !ok {
				break
			}
		}
		if ok && score > bestScore {
			best, bestScore = r.Path, score
		}
	}
	if bestScore < 0 {
		return ProxyPath, map[string]string{"proxy": strings.TrimPrefix(path, "/")}
	}
	params = map[string]string{}
	have := splitPath(best)
	for i, seg := range have {
		if paramSegment.MatchString(seg) {
			params[seg[1:len(seg)-1]] = want[i]
		}
	}
	return best, params
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}
