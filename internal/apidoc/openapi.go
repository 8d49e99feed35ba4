package apidoc

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

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
	Name        string         `json:"name"`
	In          string         `json:"in"`
	Description string         `json:"description,omitempty"`
	Required    bool           `json:"required"`
	Schema      map[string]any `json:"schema"`
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
	for _, op := range operations(t) {
		o := &oaOperation{
			OperationID: operationID(op.method, op.route.Path),
			Summary:     summaryOf(op),
			Description: tokenNote(op.route),
			Responses:   map[string]oaResponse{},
			Security:    use.requirements(op.route, s),
		}
		for _, p := range pathParams(op.route.Path) {
			schema := map[string]any{"type": "string"}
			if op.route.Path == "/items/{id}" && hasEndpointDoc(op) {
				schema["pattern"] = ItemIDPattern
			}
			o.Parameters = append(o.Parameters, oaParameter{Name: p, In: "path", Required: true, Schema: schema})
		}
		for _, p := range endpointDocs[op.route.Key()].params {
			o.Parameters = append(o.Parameters, oaParameter{Name: p.name, In: p.in, Description: p.description, Required: p.required, Schema: p.schema})
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

// addBodyAndResponses gives o the operation's request body, with its schemas in doc, and its
// responses: the success, the handler's errors and API Gateway's throttling.
func addBodyAndResponses(doc *oaDoc, o *oaOperation, op operation) {
	if takesBody(op) {
		o.RequestBody = &oaRequestBody{Required: true, Content: map[string]oaMedia{
			jsonType: {Schema: ref("NewItem"), Example: map[string]string{"name": "Buy milk"}},
		}}
		doc.Components.Schemas["NewItem"] = newItemSchema()
		doc.Components.Schemas["Item"] = itemSchema()
	}
	success := successOf(op)
	okSchema := map[string]any{"type": "object"}
	switch name := endpointDocs[op.route.Key()].reply; name {
	case "":
	case "ItemList":
		okSchema = ref(name)
		doc.Components.Schemas["Item"] = itemSchema()
		doc.Components.Schemas["ItemList"] = itemListSchema()
	default:
		okSchema = ref(name)
		doc.Components.Schemas["Item"] = itemSchema()
	}
	ok := oaResponse{Description: http.StatusText(success), Content: map[string]oaMedia{jsonType: {Schema: okSchema}}}
	if success == http.StatusNoContent {
		ok.Content = nil
	}
	if takesBody(op) { // POST /items
		ok.Headers = map[string]oaHeader{"Idempotent-Replayed": {
			Description: "true on the reply to a retry, which repeats the first reply and created nothing",
			Schema:      map[string]any{"type": "string", "enum": []string{"true"}},
		}}
	}
	o.Responses[strconv.Itoa(success)] = ok
	for status, codes := range errorsOf(op) {
		o.Responses[strconv.Itoa(status)] = errorResponse(status, codes)
	}
	// API Gateway's throttling can answer any route.
	o.Responses["429"] = oaResponse{
		Description: "API Gateway throttled the request (its own reply, not the handler's).",
		Content:     map[string]oaMedia{jsonType: {Schema: ref("GatewayError")}},
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
	b.WriteString("API Gateway's own replies (its authorizer's 401 and 403, throttling's 429) are `{\"message\": \"...\"}`.")
	if s.Local {
		b.WriteString("\n\nLocal run (cognito-local): its access tokens carry only `aws.cognito.signin.user.admin`, so the local gateway refuses scoped routes with 401, as API Gateway does for a missing scope; try them against a deployed pool.")
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

func errorResponse(status int, codes []ErrorCode) oaResponse {
	var parts []string
	for _, c := range codes {
		parts = append(parts, fmt.Sprintf("`%s` (%s)", c.Code, c.Meaning))
	}
	r := oaResponse{
		Description: http.StatusText(status) + ": " + strings.Join(parts, "; ") + ".",
		Content:     map[string]oaMedia{jsonType: {Schema: ref("Error")}},
	}
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		r.Description += " API Gateway's authorizer may answer first, with {\"message\": \"...\"}."
		r.Content = map[string]oaMedia{jsonType: {Schema: map[string]any{"anyOf": []any{ref("Error"), ref("GatewayError")}}}}
		r.Headers = map[string]oaHeader{"WWW-Authenticate": {
			Description: "The RFC 6750 challenge (Bearer, with error and, for a missing scope, the scopes that would do).",
			Schema:      map[string]any{"type": "string"},
		}}
	}
	return r
}

func errorSchema() map[string]any {
	var codes []string
	for _, c := range ErrorCodes {
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
		"type":        "object",
		"description": "API Gateway's own reply, sent before the request reaches the handler: message (Message in a Lambda authorizer's explicit deny).",
		"properties":  map[string]any{"message": map[string]any{"type": "string"}, "Message": map[string]any{"type": "string"}},
	}
}

func newItemSchema() map[string]any {
	return map[string]any{
		"type":                 "object",
		"additionalProperties": false,
		"required":             []string{"name"},
		"properties": map[string]any{"name": map[string]any{
			"type":        "string",
			"minLength":   1,
			"maxLength":   MaxNameRunes,
			"pattern":     `^[^\u0000-\u001F\u007F-\u009F]*\S[^\u0000-\u001F\u007F-\u009F]*$`,
			"description": fmt.Sprintf("1-%d characters after surrounding spaces are trimmed, no control characters.", MaxNameRunes),
		}},
	}
}

func itemListSchema() map[string]any {
	return map[string]any{
		"type":     "object",
		"required": []string{"items"},
		"properties": map[string]any{
			"items": map[string]any{"type": "array", "items": ref("Item"), "description": "newest first"},
			"next_cursor": map[string]any{"type": "string",
				"description": "the cursor of the next page; absent on the last"},
		},
	}
}

func itemSchema() map[string]any {
	str := map[string]any{"type": "string"}
	return map[string]any{
		"type":     "object",
		"required": []string{"id", "name", "owner", "created_at"},
		"properties": map[string]any{
			"id":         str,
			"name":       str,
			"owner":      map[string]any{"type": "string", "description": "the creator's sub"},
			"created_at": map[string]any{"type": "string", "format": "date-time"},
		},
	}
}
