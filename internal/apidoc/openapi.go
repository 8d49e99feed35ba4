package apidoc

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// OpenAPIVersion is the version of the OpenAPI specification the document follows.
const OpenAPIVersion = "3.1.0"

// Security scheme names in the document.
const (
	schemeIDToken     = "cognitoIdToken"
	schemeAccessToken = "cognitoAccessToken"
	// schemeMachineToken is for routes that also take machine clients' tokens.
	schemeMachineToken = "cognitoMachineToken"
)

type oaDoc struct {
	OpenAPI    string            `json:"openapi"`
	Info       oaInfo            `json:"info"`
	Servers    []oaServer        `json:"servers"`
	Paths      map[string]oaPath `json:"paths"`
	Components oaComponents      `json:"components"`
}

type oaInfo struct {
	Title       string    `json:"title"`
	Version     string    `json:"version"`
	Description string    `json:"description"`
	License     oaLicense `json:"license"`
}

type oaLicense struct {
	Name       string `json:"name"`
	Identifier string `json:"identifier"`
}

type oaServer struct {
	URL         string `json:"url"`
	Description string `json:"description"`
}

// oaPath maps lower-case methods to operations.
type oaPath map[string]*oaOperation

type oaOperation struct {
	OperationID string                `json:"operationId"`
	Summary     string                `json:"summary"`
	Description string                `json:"description"`
	Parameters  []oaParameter         `json:"parameters,omitempty"`
	RequestBody *oaRequestBody        `json:"requestBody,omitempty"`
	Responses   map[string]oaResponse `json:"responses"`
	// Security is never omitted: public routes say [] (no token) explicitly.
	Security []map[string][]string `json:"security"`
}

type oaParameter struct {
	Name     string         `json:"name"`
	In       string         `json:"in"`
	Required bool           `json:"required"`
	Schema   map[string]any `json:"schema"`
}

type oaRequestBody struct {
	Required bool               `json:"required"`
	Content  map[string]oaMedia `json:"content"`
}

type oaMedia struct {
	Schema  map[string]any `json:"schema"`
	Example any            `json:"example,omitempty"`
}

type oaResponse struct {
	Description string              `json:"description"`
	Headers     map[string]oaHeader `json:"headers,omitempty"`
	Content     map[string]oaMedia  `json:"content,omitempty"`
}

type oaHeader struct {
	Description string         `json:"description"`
	Required    bool           `json:"required,omitempty"`
	Schema      map[string]any `json:"schema"`
}

type oaComponents struct {
	Schemas         map[string]any `json:"schemas"`
	SecuritySchemes map[string]any `json:"securitySchemes,omitempty"`
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }

const jsonType = "application/json"

// OpenAPI renders the table as an OpenAPI 3.1 document, indented, with a final newline.
func OpenAPI(t routes.Table, s Settings) ([]byte, error) {
	s, placeholder := s.withPlaceholders()
	doc := newDocument(s, placeholder)
	use := securityUse{scopes: map[string]string{}, machineScopes: map[string]string{}}
	for _, op := range operations(t, true, s.Preflight) {
		o := &oaOperation{
			OperationID: operationID(op),
			Summary:     summaryOf(op),
			Description: operationNote(op),
			Responses:   map[string]oaResponse{},
			Security:    use.requirements(op.route, s),
		}
		for _, p := range pathParams(op.route.Path) {
			o.Parameters = append(o.Parameters, oaParameter{Name: p, In: "path", Required: true, Schema: map[string]any{"type": "string"}})
		}
		addBodyAndResponses(&doc, o, op)
		path := doc.Paths[op.route.Path]
		if path == nil {
			path = oaPath{}
			doc.Paths[op.route.Path] = path
		}
		path[strings.ToLower(op.method)] = o
	}
	if schemes := use.schemes(s); len(schemes) > 0 {
		doc.Components.SecuritySchemes = schemes
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// newDocument is the document without paths: its info, servers and the shared schemas.
func newDocument(s Settings, placeholder bool) oaDoc {
	doc := oaDoc{
		OpenAPI: OpenAPIVersion,
		Info: oaInfo{
			Title:       s.Title,
			Version:     "1.0.0",
			Description: infoDescription(s, placeholder),
			License:     oaLicense{Name: "Apache 2.0", Identifier: "Apache-2.0"},
		},
		Paths: map[string]oaPath{},
		Components: oaComponents{Schemas: map[string]any{
			"Error":        errorSchema(),
			"GatewayError": gatewayErrorSchema(),
		}},
	}
	if s.APIURL == "" {
		// Relative to where the document is served: the API itself serves it at /openapi.json.
		doc.Servers = []oaServer{{URL: ".", Description: "the API that serves this document"}}
	} else {
		doc.Servers = []oaServer{{URL: s.APIURL, Description: s.Title}}
	}
	return doc
}

// securityUse gathers, route by route, which security schemes the document needs and which
// scopes and machine clients each one names.
type securityUse struct {
	idToken, accessToken, machineToken bool
	scopes, machineScopes              map[string]string
	machines                           []string
}

// requirements are a route's security requirements, noted in u: one per scope, since any one
// of them will do (a requirement's list means all).
func (u *securityUse) requirements(r routes.Route, s Settings) []map[string][]string {
	out := []map[string][]string{}
	switch r.Access {
	case routes.Protected:
		out = append(out, map[string][]string{schemeIDToken: {}})
		u.idToken = true
	case routes.Scoped:
		if slices.Contains(r.AllowedClients(), routes.WebClient) {
			for _, sc := range r.Scopes {
				out = append(out, map[string][]string{schemeAccessToken: {sc}})
				u.scopes[sc] = s.Scopes[sc]
			}
			u.accessToken = true
		}
		// Machine clients' tokens come from client credentials: a scheme of their own.
		if clients := machineClients(r); len(clients) > 0 {
			for _, sc := range r.Scopes {
				out = append(out, map[string][]string{schemeMachineToken: {sc}})
				u.machineScopes[sc] = s.Scopes[sc]
			}
			for _, c := range clients {
				if !slices.Contains(u.machines, c) {
					u.machines = append(u.machines, c)
				}
			}
			u.machineToken = true
		}
	}
	return out
}

// schemes are the security schemes the routes used.
func (u *securityUse) schemes(s Settings) map[string]any {
	schemes := map[string]any{}
	if u.idToken {
		schemes[schemeIDToken] = map[string]any{
			"type":             "openIdConnect",
			"openIdConnectUrl": DiscoveryURL(s.Issuer),
			"description":      idTokenSchemeDescription(s),
		}
	}
	if u.accessToken {
		schemes[schemeAccessToken] = map[string]any{
			"type":        "oauth2",
			"description": accessTokenSchemeDescription(s),
			"flows": map[string]any{"authorizationCode": map[string]any{
				"authorizationUrl": s.AuthorizeURL,
				"tokenUrl":         s.TokenURL,
				"scopes":           describeScopes(markGranted(u.scopes, s.ClientScopes)),
			}},
		}
	}
	if u.machineToken {
		machines := slices.Sorted(slices.Values(u.machines))
		schemes[schemeMachineToken] = map[string]any{
			"type": "oauth2",
			"description": "Routes that list machine clients (" + strings.Join(machines, ", ") + ") also take their access tokens: " +
				"client credentials with the client's secret at the token URL (`authctl machine-token`); such a token has no user, so no groups.",
			"flows": map[string]any{"clientCredentials": map[string]any{
				"tokenUrl": s.TokenURL,
				"scopes":   describeScopes(u.machineScopes),
			}},
		}
	}
	return schemes
}

// addBodyAndResponses gives o the operation's request body and its responses, with their
// schemas in doc: the success and the handler's errors for a routed operation, and every reply
// API Gateway itself may give (its authorizer's 401 and 403, 403 Missing Authentication Token,
// throttling's 429, a failed or slow Lambda's 502 and 504).
func addBodyAndResponses(doc *oaDoc, o *oaOperation, op operation) {
	head := op.method == "HEAD" // a reply to HEAD has no body
	gateway := func(status int, why string) {
		r := oaResponse{Description: why}
		if !head {
			r.Content = map[string]oaMedia{jsonType: {Schema: ref("GatewayError")}}
		}
		o.Responses[strconv.Itoa(status)] = r
	}
	throttled := "API Gateway throttled the request (its own reply, not the handler's)."
	switch op.kind {
	case notRouted:
		gateway(http.StatusForbidden, "API Gateway's own reply for a method the route table lacks on this resource: `{\"message\":\"Missing Authentication Token\"}`, whatever the token.")
		return
	case preflight:
		o.Responses["204"] = oaResponse{Description: "The CORS preflight reply, from the stage's cors settings (API Gateway's mock integration; no token needed).", Headers: preflightHeaders()}
		gateway(http.StatusTooManyRequests, throttled)
		return
	}
	e, implemented := endpointOf(op)
	if implemented && e.Request != nil {
		o.RequestBody = &oaRequestBody{Required: true, Content: map[string]oaMedia{
			jsonType: {Schema: doc.schemaOf(reflect.TypeOf(e.Request)), Example: exampleBody},
		}}
	}
	if op.kind == routed {
		ok := oaResponse{Description: http.StatusText(http.StatusOK)}
		status := http.StatusOK
		if implemented {
			status, ok.Description = e.Success, http.StatusText(e.Success)
		}
		if !head {
			schema := map[string]any{"type": "object"}
			if implemented {
				schema = doc.schemaOf(reflect.TypeOf(e.Reply))
			}
			ok.Content = map[string]oaMedia{jsonType: {Schema: schema}}
		}
		o.Responses[strconv.Itoa(status)] = ok
	}
	for status, codes := range errorsOf(op) {
		o.Responses[strconv.Itoa(status)] = errorResponse(status, codes, head)
	}
	if op.route.Access != routes.Public {
		// API Gateway's authorizer: a Lambda authorizer's explicit deny is its own 403.
		r := o.Responses["403"]
		if r.Description == "" {
			r = errorResponse(http.StatusForbidden, nil, head)
		}
		o.Responses["403"] = r
	}
	if o.RequestBody != nil {
		// API Gateway's own limit is 10 MB; the handler's is smaller.
		r := o.Responses["413"]
		r.Description += " API Gateway itself answers a body over 10 MB with {\"message\": \"Request Too Long\"}."
		if !head {
			r.Content = map[string]oaMedia{jsonType: {Schema: map[string]any{"anyOf": []any{ref("Error"), ref("GatewayError")}}}}
		}
		o.Responses["413"] = r
	}
	gateway(http.StatusTooManyRequests, throttled)
	gateway(http.StatusBadGateway, "API Gateway's own reply when the Lambda function fails or answers something that is not a proxy response: `{\"message\": \"Internal server error\"}`.")
	gateway(http.StatusGatewayTimeout, "API Gateway's own reply when the Lambda function does not answer in time: `{\"message\": \"Endpoint request timed out\"}`.")
}

// exampleBody is the request body the descriptions show, and Postman sends.
var exampleBody = map[string]string{"name": "Buy milk"}

// preflightHeaders are the headers of a preflight reply, as CDK's CORS options configure them.
func preflightHeaders() map[string]oaHeader {
	str := map[string]any{"type": "string"}
	return map[string]oaHeader{
		"Access-Control-Allow-Origin":  {Description: "The stage's origin: the caller's own when it is one of several allowed, else the first.", Schema: str, Required: true},
		"Access-Control-Allow-Methods": {Description: "The methods a browser may send.", Schema: str, Required: true},
		"Access-Control-Allow-Headers": {Description: "The request headers a browser may send (Authorization, Content-Type).", Schema: str, Required: true},
		"Access-Control-Max-Age":       {Description: "How long, in seconds, a browser may cache this answer (cors.maxAgeSeconds).", Schema: map[string]any{"type": "string", "pattern": "^[0-9]+$"}},
	}
}

// machineClients are the route's app clients other than the web client.
func machineClients(r routes.Route) []string {
	var out []string
	for _, c := range r.AllowedClients() {
		if c != routes.WebClient {
			out = append(out, c)
		}
	}
	return out
}

// markGranted says, in the description of each scope the web client may not ask for (a
// group's scope, which Cognito adds for the group's members), that a sign-in must not ask for
// it: one that did would fail with invalid_scope. The scope stays declared, since routes
// require it. With no client scopes known, scopes are left as they are.
func markGranted(scopes map[string]string, clientScopes []string) map[string]string {
	out := map[string]string{}
	for name, d := range scopes {
		if len(clientScopes) > 0 && !slices.Contains(clientScopes, name) {
			d = cmp.Or(d, name) + " (not requestable: granted to the members of its groups; a sign-in that asks for it fails)"
		}
		out[name] = d
	}
	return out
}

func describeScopes(scopes map[string]string) map[string]string {
	out := map[string]string{}
	for name, d := range scopes {
		if d == "" {
			d = name
		}
		out[name] = d
	}
	return out
}

func infoDescription(s Settings, placeholder bool) string {
	var b strings.Builder
	b.WriteString("Generated from the route table by cmd/apidoc. Each route takes one kind of token: none (public), ")
	b.WriteString("the Cognito **ID token** (protected routes), or an **access token** carrying one of the route's scopes (scoped routes), ")
	b.WriteString("sent as `Authorization: Bearer <token>`. Sign in with authorization code and PKCE (S256) at the managed-login domain.\n\n")
	b.WriteString("Errors are JSON: `{\"error\": {\"code\": \"...\", \"message\": \"...\"}}`; clients branch on `code`. ")
	b.WriteString("API Gateway's own replies (its authorizer's 401 and 403, 403 `Missing Authentication Token` for a method the route table lacks, ")
	b.WriteString("throttling's 429, a failed Lambda's 502 and 504) are `{\"message\": \"...\"}`. ")
	b.WriteString("A path no route matches takes the ID token, then answers 404 `not_found`.")
	if s.Local {
		b.WriteString("\n\nLocal run (cognito-local, as this project patches it): a sign-in's access token carries the scopes it asked for that the app client allows, ")
		b.WriteString("and the scopes of the user's groups that the stage's pre token generation trigger adds (cmd/local runs it); ")
		b.WriteString("a password sign-in's access token carries `aws.cognito.signin.user.admin` and those group scopes, as with Cognito. See docs/local-development.md.")
	}
	if placeholder {
		b.WriteString("\n\nThe login URLs and client id here are placeholders (`.invalid`): the API serves this document from its route table alone. ")
		b.WriteString("`go run ./cmd/apidoc -outputs cdk-outputs.json -out openapi.json` writes it with the stage's URLs.")
	}
	return b.String()
}

func idTokenSchemeDescription(s Settings) string {
	d := "Protected routes take the Cognito **ID token** of the app client " + s.ClientID + " (not the access token). " +
		"Get it with authorization code and PKCE (S256): authorize at " + s.AuthorizeURL + ", token at " + s.TokenURL + "."
	if s.Local {
		d += " cognito-local's discovery document lists only issuer and jwks_uri: give your client these endpoints explicitly."
	}
	return d
}

func accessTokenSchemeDescription(s Settings) string {
	return "Scoped routes take a Cognito **access token** that carries one of the route's scopes. " +
		"Authorization code with PKCE (S256, required), public client " + s.ClientID + " (no secret). " +
		"Machine clients get access tokens with client credentials at the same token URL, where a route lists them."
}

// errorResponse is the handler's error reply with the given codes (none: only API Gateway's
// own); a 401 or 403 may also be API Gateway's own.
func errorResponse(status int, codes []api.ErrorCode, head bool) oaResponse {
	var parts []string
	for _, c := range codes {
		parts = append(parts, fmt.Sprintf("`%s` (%s)", c.Code, c.Meaning))
	}
	desc := http.StatusText(status) + ": " + strings.Join(parts, "; ") + "."
	if len(codes) == 0 {
		desc = http.StatusText(status) + ": API Gateway's own reply."
	}
	schema := ref("Error")
	switch status {
	case http.StatusUnauthorized:
		desc += " API Gateway's authorizer answers first, with {\"message\": \"Unauthorized\"}, a token that is missing, malformed, expired, of the wrong kind or without the method's scopes."
	case http.StatusForbidden:
		desc += " With the Lambda authorizer, API Gateway answers a token its policy denies with {\"Message\": \"User is not authorized to access this resource with an explicit deny\"}."
	}
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		schema = map[string]any{"anyOf": []any{ref("Error"), ref("GatewayError")}}
	}
	r := oaResponse{Description: desc}
	if !head {
		r.Content = map[string]oaMedia{jsonType: {Schema: schema}}
	}
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		r.Headers = map[string]oaHeader{"WWW-Authenticate": {
			Description: "The handler's RFC 6750 challenge (Bearer, with error and, for a missing scope, the scopes that would do); API Gateway's own replies have none.",
			Schema:      map[string]any{"type": "string"},
		}}
	}
	return r
}

func errorSchema() map[string]any {
	var codes []string
	for _, c := range api.ErrorCodes {
		codes = append(codes, c.Code)
	}
	slices.Sort(codes)
	return map[string]any{
		"type":     "object",
		"required": []string{"error"},
		"properties": map[string]any{"error": map[string]any{
			"type":     "object",
			"required": []string{"code", "message"},
			"properties": map[string]any{
				"code":    map[string]any{"type": "string", "enum": codes, "description": "Stable, snake_case; clients branch on it."},
				"message": map[string]any{"type": "string", "description": "Short and fixed, for people; never internal detail."},
			},
		}},
	}
}

func gatewayErrorSchema() map[string]any {
	return map[string]any{
		"type":                 "object",
		"description":          "API Gateway's own reply, sent before the request reaches the handler or instead of its reply: message (Message in a Lambda authorizer's explicit deny).",
		"minProperties":        1,
		"additionalProperties": false,
		"properties":           map[string]any{"message": map[string]any{"type": "string"}, "Message": map[string]any{"type": "string"}},
	}
}
