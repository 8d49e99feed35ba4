// Package apidoc describes the API from its route table and the handler's endpoint list
// (internal/api): an OpenAPI 3.1 document and a Postman collection v2.1, with each route's token
// (none, the ID token, or an access token with the route's scopes), the login endpoints, each
// endpoint's bodies (schemas read from internal/api's types), and every reply a caller can get:
// the handler's JSON errors, and API Gateway's own (its authorizer's 401 and 403, 403 Missing
// Authentication Token for a method the table lacks, the catch-all's 404 after an ID token, the
// CORS preflight, throttling, a failed or slow Lambda). It needs only the table, so the Lambda
// handler can serve the document too; cmd/apidoc adds the stage's URLs.
//
// The documents are built from plain structs and maps and encoded with encoding/json, which
// writes struct fields in declaration order and map keys sorted: the same inputs give the same
// bytes.
package apidoc

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// Settings say where the API and its login are. Empty URLs become placeholders under the
// reserved .invalid domain, and the document says so.
type Settings struct {
	// Title names the API, such as "demo-api dev".
	Title string
	// APIURL is the API's base URL; empty means relative to where the document is served.
	APIURL string
	// Issuer is the user pool's issuer URL; its discovery document is Issuer +
	// /.well-known/openid-configuration.
	Issuer string
	// AuthorizeURL and TokenURL are managed login's (or cognito-local's) OAuth 2.0 endpoints.
	AuthorizeURL, TokenURL string
	// Scopes describe the resource server's scopes by full name ("demo-api/read").
	Scopes map[string]string
	// ClientID and ClientScopes are the web app client's: the one people sign in with, and
	// the scopes it asks for (Postman requests them all, so one token serves every request).
	ClientID     string
	ClientScopes []string
	// MachineClientIDs are the stage's machine clients, name -> client id, for Postman's
	// client-credentials requests on routes that take only machine clients.
	MachineClientIDs map[string]string
	// MachineClientScopes are the scopes each machine client holds: a client-credentials
	// request that asks for another one is refused (invalid_scope).
	MachineClientScopes map[string][]string
	// RedirectURI is a callback URL registered on the app client, for Postman.
	RedirectURI string
	// Local marks a local Cognito-compatible server (cognito-local).
	Local bool
	// Preflight says the stage answers CORS preflight requests (its cors.allowOrigins is set):
	// OPTIONS on every resource. Without it, OPTIONS is a method like the others.
	Preflight bool
}

// Placeholders used when a Settings URL is empty.
const (
	placeholderIssuer    = "https://cognito-idp.region.invalid/POOL_ID"
	placeholderAuthorize = "https://managed-login.invalid/oauth2/authorize"
	placeholderToken     = "https://managed-login.invalid/oauth2/token"
)

func (s Settings) withPlaceholders() (Settings, bool) {
	placeholder := false
	fill := func(v *string, p string) {
		if *v == "" {
			*v, placeholder = p, true
		}
	}
	fill(&s.Issuer, placeholderIssuer)
	fill(&s.AuthorizeURL, placeholderAuthorize)
	fill(&s.TokenURL, placeholderToken)
	fill(&s.ClientID, "CLIENT_ID")
	if s.Title == "" {
		s.Title = "API"
	}
	s.Issuer = strings.TrimSuffix(s.Issuer, "/")
	s.APIURL = strings.TrimSuffix(s.APIURL, "/")
	return s, placeholder
}

// DiscoveryURL is the OpenID Connect discovery document of an issuer.
func DiscoveryURL(issuer string) string {
	return strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
}

// Methods an ANY route, the catch-all and a resource's missing methods stand for in the
// descriptions, which have no "any method". OPTIONS is the CORS preflight's, or a missing
// method when the stage has no CORS.
var anyMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}

// catchAllPath stands for the stack's catch-all resource, routes.ProxyPath (/{proxy+}), which
// API Gateway matches at any depth: OpenAPI tools know no greedy parameter, so the documents
// name it /{proxy}, whose template matches one segment.
const catchAllPath = "/{proxy}"

// opKind says where a request lands, and so who answers it.
type opKind int

const (
	// routed: a method of the route table, answered by the handler after API Gateway's checks.
	routed opKind = iota
	// notRouted: a method the table lacks on one of its resources: API Gateway answers
	// 403 Missing Authentication Token, with no authorizer and no handler.
	notRouted
	// catchAll: a path no resource matches (the stack's ANY /{proxy+}), or a method of the
	// root the table lacks (CDK's ANY /): the API's default authorizer (an ID token), then the
	// handler's 404.
	catchAll
	// preflight: OPTIONS on any resource when the stage has CORS origins; API Gateway's mock
	// integration answers it.
	preflight
)

// operation is one method of one path in the descriptions.
type operation struct {
	method string // upper case
	kind   opKind
	// route is the table's route (routed), or the one API Gateway applies: the catch-all's
	// protected ANY, or a route with only Method and Path (notRouted, preflight).
	route routes.Route
}

// operations lists the table's operations in table order, an ANY route spread over the
// methods that have no route of their own on its path, as routes.Table.Lookup does. With
// everything, the replies of API Gateway on the same resources follow: preflights (with
// preflight set), the methods each resource lacks, the root's and the catch-all's.
func operations(t routes.Table, everything, withPreflight bool) []operation {
	var ops []operation
	var paths []string
	for _, r := range t {
		if !slices.Contains(paths, r.Path) {
			paths = append(paths, r.Path)
		}
		if r.Method != "ANY" {
			ops = append(ops, operation{method: r.Method, kind: routed, route: r})
			continue
		}
		for _, m := range anyMethods {
			if got, _ := t.Lookup(m, r.Path); got.Method == "ANY" {
				ops = append(ops, operation{method: m, kind: routed, route: r})
			}
		}
	}
	if !everything {
		return ops
	}
	methods := anyMethods
	if !withPreflight {
		methods = append(slices.Clone(anyMethods), "OPTIONS")
	}
	// The stack adds the catch-all beside the table; CDK adds ANY / when the table has no
	// route on the root, and the root's other methods go there too.
	for _, p := range append(paths, "/", routes.ProxyPath) {
		if p == "/" && slices.Contains(paths, "/") || p == routes.ProxyPath && slices.Contains(paths, routes.ProxyPath) {
			continue
		}
		if withPreflight {
			ops = append(ops, operation{method: "OPTIONS", kind: preflight, route: routes.Route{Method: "OPTIONS", Path: docPath(p)}})
		}
		for _, m := range methods {
			if _, ok := t.Lookup(m, p); ok {
				continue
			}
			if p == "/" || p == routes.ProxyPath {
				ops = append(ops, operation{method: m, kind: catchAll, route: routes.Route{Method: "ANY", Path: docPath(p), Access: routes.Protected}})
			} else {
				ops = append(ops, operation{method: m, kind: notRouted, route: routes.Route{Method: m, Path: p}})
			}
		}
	}
	return ops
}

// docPath is how the documents write a resource path.
func docPath(p string) string {
	if p == routes.ProxyPath {
		return catchAllPath
	}
	return p
}

// pathParams are the {name} segments of a path, in order.
func pathParams(path string) []string {
	var names []string
	for seg := range strings.SplitSeq(path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			names = append(names, seg[1:len(seg)-1])
		}
	}
	return names
}

// errorsOf are the handler's error replies an operation can give, by status.
func errorsOf(op operation) map[int][]api.ErrorCode {
	out := map[int][]api.ErrorCode{}
	add := func(codes ...api.ErrorCode) {
		for _, c := range codes {
			out[c.Status] = append(out[c.Status], c)
		}
	}
	r := op.route
	if r.Access != routes.Public {
		add(api.CodeUnauthenticated, api.CodeInvalidToken, api.CodeWrongTokenUse, api.CodeClientNotAllowed)
	}
	if r.Access == routes.Scoped {
		add(api.CodeInsufficientScope, api.CodeClientNotAllowedHere)
	}
	if len(r.Groups) > 0 {
		add(api.CodeNotInGroup)
	}
	if op.kind == catchAll {
		add(api.CodeNotFound)
	} else if e, ok := api.Lookup(r.Key()); ok {
		add(e.Errors...)
	} else {
		add(api.CodeNotImplemented)
	}
	add(api.CodeInternal)
	return out
}

// operationNote describes an operation: for the table's, which token it takes.
func operationNote(op operation) string {
	switch op.kind {
	case notRouted:
		return "The route table has no " + op.method + " on " + op.route.Path + ": API Gateway answers 403 `Missing Authentication Token` itself, " +
			"before any authorizer and whatever the token; the handler never sees the request."
	case catchAll:
		where := "No route of the table matches this path: the stack's catch-all (`ANY " + routes.ProxyPath + "`) "
		if op.route.Path == "/" {
			where = "The route table has no " + op.method + " on the root: CDK's `ANY /` "
		}
		return where + "takes the **ID token** as a protected route does, then the handler answers 404 `not_found`, " +
			"so that a caller proves who they are before learning what does not exist. (" + catchAllPath + " stands for API Gateway's `" +
			routes.ProxyPath + "`, which matches any number of segments; OpenAPI's templates match one.)"
	case preflight:
		return "Browsers send it before a cross-origin request that carries a token or a JSON body. " +
			"API Gateway answers it from the stage's cors settings, with no authorizer and no handler."
	}
	return tokenNote(op.route)
}

// tokenNote says which token a route takes, in the words docs/configuration.md uses.
func tokenNote(r routes.Route) string {
	switch r.Access {
	case routes.Protected:
		s := "Send the **ID token** (`Authorization: Bearer <id_token>`): this route is protected, and an access token gets 401 `wrong_token_use`."
		if len(r.Groups) > 0 {
			s += " The caller must be in one of the groups: " + strings.Join(r.Groups, ", ") + "."
		}
		return s
	case routes.Scoped:
		s := "Send an **access token** with one of the scopes " + strings.Join(r.Scopes, ", ") + " (`Authorization: Bearer <access_token>`); an ID token gets 401 `wrong_token_use`."
		if len(r.Groups) > 0 {
			s += " The caller must be in one of the groups: " + strings.Join(r.Groups, ", ") + "."
		}
		if clients := r.AllowedClients(); len(clients) > 1 || clients[0] != routes.WebClient {
			s += " App clients whose tokens it takes: " + strings.Join(clients, ", ") + "."
		}
		return s
	}
	return "Public: no token."
}

func operationID(op operation) string {
	id := strings.ToLower(op.method)
	switch op.route.Path {
	case "/":
		id += "_root"
	case catchAllPath:
		id += "_any_other_path"
	default:
		id += pathID(op.route.Path)
	}
	if op.kind == notRouted {
		id += "_not_routed"
	}
	return id
}

// pathID spells a path for an operation id: _items_by_id for /items/{id}.
func pathID(path string) string {
	var b strings.Builder
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		if seg == "" {
			continue
		}
		b.WriteByte('_')
		if strings.HasPrefix(seg, "{") {
			b.WriteString("by_") // GET /items/{id} and GET /items/id stay apart
		}
		for _, c := range strings.Trim(seg, "{}") {
			switch {
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
				b.WriteRune(c)
			default:
				b.WriteByte('_')
			}
		}
	}
	return b.String()
}

func summaryOf(op operation) string {
	switch op.kind {
	case notRouted:
		return "Not in the route table: API Gateway answers 403"
	case catchAll:
		return "Any other path: 404 after a valid ID token"
	case preflight:
		return "CORS preflight"
	}
	if e, ok := api.Lookup(op.route.Key()); ok {
		return e.Summary
	}
	return op.method + " " + op.route.Path
}

// endpointOf is the handler's endpoint of a routed operation.
func endpointOf(op operation) (api.Endpoint, bool) {
	if op.kind != routed {
		return api.Endpoint{}, false
	}
	return api.Lookup(op.route.Key())
}

// ErrorTable is the table of error codes docs/configuration.md shows, in Markdown: one row per
// code of api.ErrorCodes (a test keeps the page's copy equal to it).
func ErrorTable() string {
	var b strings.Builder
	b.WriteString("| Status | `error.code` | When |\n|---|---|---|\n")
	for _, c := range api.ErrorCodes {
		fmt.Fprintf(&b, "| %d | `%s` | %s |\n", c.Status, c.Code, c.Meaning)
	}
	return b.String()
}
