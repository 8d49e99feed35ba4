package apidoc

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// PostmanSchema is the collection format Postman imports.
const PostmanSchema = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"

// PostmanCallback is the redirect URI Postman uses when it signs in through the system
// browser (useBrowser); any other registered callback URL makes it use its own browser window.
const PostmanCallback = "https://oauth.pstmn.io/v1/callback"

type pmCollection struct {
	Info     pmInfo       `json:"info"`
	Item     []pmItem     `json:"item"`
	Variable []pmVariable `json:"variable"`
}

type pmInfo struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Schema      string `json:"schema"`
}

type pmItem struct {
	Name     string    `json:"name"`
	Event    []pmEvent `json:"event,omitempty"`
	Request  pmRequest `json:"request"`
	Response []any     `json:"response"`
}

// pmEvent is a script Postman (and newman) runs around a request: "test" runs after the reply.
type pmEvent struct {
	Listen string   `json:"listen"`
	Script pmScript `json:"script"`
}

type pmScript struct {
	Type string   `json:"type"`
	Exec []string `json:"exec"`
}

type pmRequest struct {
	Method      string     `json:"method"`
	Description string     `json:"description"`
	Auth        pmAuth     `json:"auth"`
	Header      []pmHeader `json:"header"`
	Body        *pmBody    `json:"body,omitempty"`
	URL         pmURL      `json:"url"`
}

type pmAuth struct {
	Type   string   `json:"type"`
	OAuth2 []pmAttr `json:"oauth2,omitempty"`
}

// pmAttr is one setting of an auth helper, as Postman writes them: key, value, type.
type pmAttr struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
	Type  string `json:"type"`
}

type pmHeader struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type pmBody struct {
	Mode    string         `json:"mode"`
	Raw     string         `json:"raw"`
	Options map[string]any `json:"options"`
}

type pmURL struct {
	Raw      string       `json:"raw"`
	Host     []string     `json:"host"`
	Path     []string     `json:"path"`
	Query    []pmQuery    `json:"query,omitempty"`
	Variable []pmVariable `json:"variable,omitempty"`
}

// pmQuery is a query parameter, written out but off until the user turns it on.
type pmQuery struct {
	Key         string `json:"key"`
	Value       string `json:"value"`
	Description string `json:"description"`
	Disabled    bool   `json:"disabled"`
}

type pmVariable struct {
	Key         string `json:"key"`
	Value       string `json:"value"`
	Description string `json:"description,omitempty"`
}

// Postman renders the table as a Postman collection v2.1: one request per operation, in table
// order, each with OAuth 2.0 (authorization code with PKCE) set up for the web client, so that
// "Get New Access Token" and then "Send" work.
func Postman(t routes.Table, s Settings) ([]byte, error) {
	s, placeholder := s.withPlaceholders()
	desc := "Generated from the route table by cmd/apidoc. Protected routes take the **ID token**, scoped routes the access token. " +
		"Unattended (newman): set the variables " + idTokenVar + " and " + accessTokenVar + " from `authctl login -format env` (or `tokens`, `refresh`): " +
		"`newman run collection.json --env-var " + idTokenVar + "=\"$ID_TOKEN\" --env-var " + accessTokenVar + "=\"$ACCESS_TOKEN\"`; " +
		"each request's tests check its status and its body against the API description's schema. " +
		"Interactively: Get New Access Token on a request, then Use Token (for protected routes choose Use Token Type: ID token): " +
		"the token you get replaces the variable in that request's Current Token."
	if placeholder {
		desc += " The login URLs and client id are placeholders: generate the collection with -outputs."
	}
	base := s.APIURL
	if base == "" {
		base = "http://127.0.0.1:8080"
	}
	c := pmCollection{
		Info: pmInfo{Name: s.Title, Description: desc, Schema: PostmanSchema},
		Item: []pmItem{},
		Variable: []pmVariable{
			{Key: "baseUrl", Value: base, Description: "the API's base URL"},
			{Key: idTokenVar, Value: "", Description: "an ID token for the protected routes: ID_TOKEN of `authctl login -format env`; empty, Postman's OAuth 2.0 flow supplies one"},
			{Key: accessTokenVar, Value: "", Description: "an access token for the scoped routes: ACCESS_TOKEN of `authctl login -format env`; empty, Postman's OAuth 2.0 flow supplies one"},
		},
	}
	var secrets []string
	for _, r := range t {
		if r.Access == routes.Scoped && !slices.Contains(r.AllowedClients(), routes.WebClient) && !slices.Contains(secrets, r.AllowedClients()[0]) {
			secrets = append(secrets, r.AllowedClients()[0])
		}
	}
	slices.Sort(secrets)
	for _, m := range secrets {
		c.Variable = append(c.Variable,
			pmVariable{Key: machineTokenVar(m), Value: "", Description: "the " + m + " machine client's access token: ACCESS_TOKEN of `authctl machine-token -client " + m + " -format env`"},
			pmVariable{Key: m + "ClientSecret", Value: "", Description: "the " + m + " machine client's secret: set it in Postman, never commit it"})
	}
	for _, op := range operations(t, false, false) {
		req := pmRequest{
			Method:      op.method,
			Description: postmanNote(op.route),
			Auth:        postmanAuth(op.route, s),
			Header:      []pmHeader{},
			URL:         postmanURL(op.route.Path),
		}
		if e, ok := endpointOf(op); ok && e.Request != nil {
			req.Header = append(req.Header, pmHeader{Key: "Content-Type", Value: jsonType})
			req.Body = &pmBody{Mode: "raw", Raw: `{"name": "Buy milk"}`, Options: map[string]any{"raw": map[string]string{"language": "json"}}}
		}
		e, _ := endpointOf(op)
		for _, p := range e.Params {
			switch p.In {
			case "header":
				// Postman's {{$guid}} is a new UUID on each Send: each Send creates an item.
				req.Header = append(req.Header, pmHeader{Key: p.Name, Value: "{{$guid}}"})
			case "query":
				req.URL.Query = append(req.URL.Query, pmQuery{Key: p.Name, Description: p.Description, Disabled: true})
			}
		}
		c.Item = append(c.Item, pmItem{Name: op.method + " " + op.route.Path, Event: postmanTests(op), Request: req, Response: []any{}})
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func postmanAuth(r routes.Route, s Settings) pmAuth {
	if r.Access == routes.Public {
		return pmAuth{Type: "noauth"}
	}
	str := func(k, v string) pmAttr { return pmAttr{Key: k, Value: v, Type: "string"} }
	if !slices.Contains(r.AllowedClients(), routes.WebClient) {
		// Only machine clients: client credentials, with the secret left to the user (never in
		// a file the tools write).
		machine := r.AllowedClients()[0]
		id := s.MachineClientIDs[machine]
		if id == "" {
			id = "MACHINE_CLIENT_ID"
		}
		return pmAuth{Type: "oauth2", OAuth2: []pmAttr{
			str("accessToken", "{{"+machineTokenVar(machine)+"}}"),
			str("grant_type", "client_credentials"),
			str("accessTokenUrl", s.TokenURL),
			str("clientId", id),
			str("clientSecret", "{{"+machine+"ClientSecret}}"),
			str("client_authentication", "header"),
			str("scope", strings.Join(machineScopes(r, s.MachineClientScopes[machine]), " ")),
			str("tokenName", "Cognito "+machine+" token"),
			str("addTokenTo", "header"),
			str("headerPrefix", "Bearer"),
		}}
	}
	name, token := "Cognito access token", accessTokenVar
	if r.Access == routes.Protected {
		name, token = "Cognito tokens (use the ID token)", idTokenVar
	}
	return pmAuth{Type: "oauth2", OAuth2: []pmAttr{
		// The current token: the variable until Postman's flow gets one (newman sends it).
		str("accessToken", "{{"+token+"}}"),
		str("grant_type", "authorization_code_with_pkce"),
		str("authUrl", s.AuthorizeURL),
		str("accessTokenUrl", s.TokenURL),
		str("clientId", s.ClientID),
		// The web client is public: no secret, the client id goes in the body.
		str("client_authentication", "body"),
		str("scope", strings.Join(s.ClientScopes, " ")),
		str("redirect_uri", s.RedirectURI),
		{Key: "useBrowser", Value: s.RedirectURI == PostmanCallback, Type: "boolean"},
		str("challengeAlgorithm", "S256"),
		str("tokenName", name),
		str("addTokenTo", "header"),
		str("headerPrefix", "Bearer"),
	}}
}

// postmanNote is tokenNote plus what to click in Postman for the ID token.
func postmanNote(r routes.Route) string {
	if r.Access == routes.Protected {
		return tokenNote(r) + " In Postman: Get New Access Token, then Use Token Type: ID token, then Send."
	}
	return tokenNote(r)
}

// postmanURL writes a path with Postman's :name path variables.
func postmanURL(path string) pmURL {
	u := pmURL{Host: []string{"{{baseUrl}}"}, Path: []string{}}
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		if seg == "" {
			continue
		}
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			name := seg[1 : len(seg)-1]
			seg = ":" + name
			// {{name}}: a 201 reply's id, saved by its test script (postmanTests), so that
			// GET and DELETE /items/{id} after POST /items name the item it made.
			u.Variable = append(u.Variable, pmVariable{Key: name, Value: "{{" + name + "}}"})
		}
		u.Path = append(u.Path, seg)
	}
	u.Raw = "{{baseUrl}}/" + strings.Join(u.Path, "/")
	return u
}

// machineScopes are the route's scopes a machine client holds (all of the route's when its
// scopes are not known): a client-credentials request for one it lacks is refused.
func machineScopes(r routes.Route, held []string) []string {
	if held == nil {
		return r.Scopes
	}
	var out []string
	for _, sc := range r.Scopes {
		if slices.Contains(held, sc) {
			out = append(out, sc)
		}
	}
	return out
}

// The collection variables the tokens come from.
const (
	idTokenVar     = "idToken"
	accessTokenVar = "accessToken"
)

// machineTokenVar is the variable of a machine client's access token.
func machineTokenVar(machine string) string { return machine + "AccessToken" }
