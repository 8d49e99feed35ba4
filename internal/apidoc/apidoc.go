// Package apidoc describes the API from its route table: an OpenAPI 3.1 document and a Postman
// collection v2.1, with each route's token (none, the ID token, or an access token with the
// route's scopes), the login endpoints, and the JSON error replies. It needs only the table, so
// the Lambda handler can serve the document too; cmd/apidoc adds the stage's URLs.
//
// The documents are built from plain structs and maps and encoded with encoding/json, which
// writes struct fields in declaration order and map keys sorted: the same inputs give the same
// bytes.
package apidoc

import (
	"slices"
	"strings"

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

// ErrorCode is one code of the JSON error replies ({"error": {"code", "message"}}) and the
// status it comes with. The handler's tests check that its codes are these.
type ErrorCode struct {
	Code    string
	Status  int
	Meaning string
}

// Error codes, as the handler (lambda/proxy/handler/reply.go) answers them and docs/configuration.md lists them.
var (
	CodeUnauthenticated      = ErrorCode{string(routes.DeniedUnauthenticated), 401, "no bearer token"}
	CodeInvalidToken         = ErrorCode{"invalid_token", 401, "the token's claims cannot be read, or it has expired"}
	CodeWrongTokenUse        = ErrorCode{string(routes.DeniedWrongTokenUse), 401, "an access token where the route takes the ID token, or the reverse"}
	CodeClientNotAllowed     = ErrorCode{"client_not_allowed", 401, "the token was issued to an app client this API does not accept"}
	CodeClientNotAllowedHere = ErrorCode{string(routes.DeniedClient), 403, "a token of an app client this route does not take, such as a machine client's"}
	CodeInsufficientScope    = ErrorCode{string(routes.DeniedInsufficientScope), 403, "the access token carries none of the route's scopes"}
	CodeNotInGroup           = ErrorCode{string(routes.DeniedNotInGroup), 403, "the caller is in none of the route's groups"}
	CodeNotFound             = ErrorCode{"not_found", 404, "no such resource"}
	CodeInvalidJSON          = ErrorCode{"invalid_json", 400, "the body is not the JSON object expected"}
	CodeInvalidName          = ErrorCode{"invalid_name", 400, "name is missing, too long, or has control characters"}
	CodeBodyTooLarge         = ErrorCode{"body_too_large", 413, "the body is larger than 4 KiB"}
	CodeTooManyItems         = ErrorCode{"too_many_items", 409, "no room for more items"}
	CodeNotImplemented       = ErrorCode{"not_implemented", 501, "the route is in the table but has no code yet"}
	CodeInternal             = ErrorCode{"internal_error", 500, "something went wrong on the API's side"}
)

// ErrorCodes lists every code, for the Error schema's enum.
var ErrorCodes = []ErrorCode{
	CodeUnauthenticated, CodeInvalidToken, CodeWrongTokenUse, CodeClientNotAllowed,
	CodeClientNotAllowedHere, CodeInsufficientScope, CodeNotInGroup, CodeNotFound,
	CodeInvalidJSON, CodeInvalidName, CodeBodyTooLarge, CodeTooManyItems, CodeNotImplemented,
	CodeInternal,
}

// MaxNameRunes is the longest item name POST /items takes (the handler's test checks it).
const MaxNameRunes = 100

// endpointDoc is what the description says of one of the handler's endpoints beyond the table.
type endpointDoc struct {
	summary string
	success int
	body    bool // takes the NewItem body
	errors  []ErrorCode
}

// endpointDocs describe the sample handler's endpoints (routes.Endpoints); a route without one
// is described from the table alone and may answer 501.
var endpointDocs = map[string]endpointDoc{
	"GET /health":       {summary: "Health check", success: 200},
	"GET /me":           {summary: "The caller's claims", success: 200},
	"GET /items":        {summary: "The caller's items", success: 200},
	"POST /items":       {summary: "Create an item", success: 201, body: true, errors: []ErrorCode{CodeInvalidJSON, CodeInvalidName, CodeBodyTooLarge, CodeTooManyItems}},
	"GET /admin":        {summary: "Admin overview", success: 200},
	"GET /openapi.json": {summary: "This API description (OpenAPI)", success: 200},
}

// operation is one method of one route, after ANY is spread over the methods it answers.
type operation struct {
	method string // upper case
	route  routes.Route
}

// Methods an ANY route stands for in the descriptions, which have no "any method".
var anyMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}

// operations lists the table's operations in table order. An ANY route answers the methods
// that have no route of their own on its path, as routes.Table.Lookup does.
func operations(t routes.Table) []operation {
	var ops []operation
	for _, r := range t {
		if r.Method != "ANY" {
			ops = append(ops, operation{r.Method, r})
			continue
		}
		for _, m := range anyMethods {
			if got, _ := t.Lookup(m, r.Path); got.Method == "ANY" {
				ops = append(ops, operation{m, r})
			}
		}
	}
	return ops
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

// errorsOf are the error replies an operation can give, by status.
func errorsOf(op operation) map[int][]ErrorCode {
	out := map[int][]ErrorCode{}
	add := func(codes ...ErrorCode) {
		for _, c := range codes {
			out[c.Status] = append(out[c.Status], c)
		}
	}
	r := op.route
	if r.Access != routes.Public {
		add(CodeUnauthenticated, CodeInvalidToken, CodeWrongTokenUse, CodeClientNotAllowed)
	}
	if r.Access == routes.Scoped {
		add(CodeInsufficientScope, CodeClientNotAllowedHere)
	}
	if len(r.Groups) > 0 {
		add(CodeNotInGroup)
	}
	add(endpointDocs[r.Key()].errors...)
	if !slices.ContainsFunc(routes.Endpoints, func(e routes.Endpoint) bool { return e.Key == r.Key() }) {
		add(CodeNotImplemented)
	}
	add(CodeInternal)
	return out
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

func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
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
	if d, ok := endpointDocs[op.route.Key()]; ok {
		return d.summary
	}
	return op.method + " " + op.route.Path
}

func successOf(op operation) int {
	if d, ok := endpointDocs[op.route.Key()]; ok {
		return d.success
	}
	return 200
}

func takesBody(op operation) bool {
	return endpointDocs[op.route.Key()].body
}
