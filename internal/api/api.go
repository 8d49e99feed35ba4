// Package api is the sample API's contract as data: the endpoints the proxy handler has code
// for, the JSON bodies they take and answer with, and the error codes of its JSON errors. The
// handler (lambda/handler) answers with these types and codes, and internal/apidoc describes
// the API from them (with the route table), so that the code and its description come from one
// definition. It has no CDK imports and no dependencies beyond internal/routes.
package api

import (
	"slices"
	"time"
)

// Endpoint is one route key the handler has Go code for, and what it takes and answers.
type Endpoint struct {
	// Key is the route's key, as routes.Route.Key writes it: "GET /items".
	Key string
	// NeedsCaller: the code reads the caller's claims, so the route cannot be made public in
	// the configuration.
	NeedsCaller bool
	// Summary names the endpoint in the API description.
	Summary string
	// Success is the status of a successful reply.
	Success int
	// Request is the JSON body it takes (a value of the body's type); nil for none.
	Request any
	// Reply is the JSON body of a successful reply (a value of the body's type).
	Reply any
	// Errors are the error codes of the endpoint's own code, besides those of the route's
	// token checks and internal_error, which every endpoint can answer.
	Errors []ErrorCode
}

// Endpoints lists the handler's endpoints. The handler attaches one function to each key (a
// test checks it); a route of the table without an endpoint answers 501 not_implemented.
var Endpoints = []Endpoint{
	{Key: "GET /health", Summary: "Health check", Success: 200, Reply: Health{}},
	{Key: "GET /me", NeedsCaller: true, Summary: "The caller's claims", Success: 200, Reply: Me{}},
	{Key: "GET /items", NeedsCaller: true, Summary: "The caller's items", Success: 200, Reply: ItemList{}},
	{Key: "POST /items", NeedsCaller: true, Summary: "Create an item", Success: 201, Request: NewItem{}, Reply: Item{},
		Errors: []ErrorCode{CodeInvalidJSON, CodeInvalidName, CodeBodyTooLarge, CodeTooManyItems}},
	{Key: "GET /admin", NeedsCaller: true, Summary: "Admin overview", Success: 200, Reply: Admin{}},
	// The API's OpenAPI description, built from this table and the route table.
	{Key: "GET /openapi.json", Summary: "This API description (OpenAPI)", Success: 200, Reply: Document{}},
}

// Lookup finds the endpoint of a route key.
func Lookup(key string) (Endpoint, bool) {
	i := slices.IndexFunc(Endpoints, func(e Endpoint) bool { return e.Key == key })
	if i < 0 {
		return Endpoint{}, false
	}
	return Endpoints[i], true
}

// NeedsCaller reports whether the endpoint for a route key needs a signed-in caller.
func NeedsCaller(key string) bool {
	e, ok := Lookup(key)
	return ok && e.NeedsCaller
}

// Limits of POST /items.
const (
	// MaxBodyBytes is the largest body the handler reads.
	MaxBodyBytes = 4 << 10
	// MaxNameRunes is the longest item name, in characters, after surrounding spaces are trimmed.
	MaxNameRunes = 100
)

// Bodies. Each field's `doc` tag describes it in the API description; a field whose JSON name
// says omitempty or omitzero may be absent, every other one is always there.

// Health is the GET /health reply.
type Health struct {
	Status string `json:"status" doc:"always ok"`
}

// Me is the GET /me reply: the caller's claims, typed. Times are RFC 3339 in UTC and left out
// when the token did not carry them; groups and scopes are always lists, possibly empty.
type Me struct {
	Sub           string    `json:"sub" doc:"the user's id (the token's sub)"`
	Username      string    `json:"username" doc:"cognito:username (ID token) or username (access token)"`
	Email         string    `json:"email" doc:"empty in an access token, which carries no email"`
	EmailVerified bool      `json:"email_verified"`
	Groups        []string  `json:"groups" doc:"cognito:groups"`
	TokenUse      string    `json:"token_use" doc:"id or access"`
	Scopes        []string  `json:"scopes" doc:"the access token's scopes; empty for an ID token"`
	ClientID      string    `json:"client_id" doc:"the app client the token was issued to"`
	AuthTime      time.Time `json:"auth_time,omitzero" doc:"when the user signed in"`
	ExpiresAt     time.Time `json:"exp,omitzero" doc:"when the token expires"`
}

// NewItem is the POST /items body.
type NewItem struct {
	Name string `json:"name" doc:"1-100 characters after surrounding spaces are trimmed, no control characters"`
}

// Item is something a caller stored with POST /items.
type Item struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Owner     string    `json:"owner" doc:"the creator's sub"`
	CreatedAt time.Time `json:"created_at"`
}

// ItemList is the GET /items reply: the caller's own items, oldest first.
type ItemList struct {
	Items []Item `json:"items"`
}

// Admin is the GET /admin reply. The route table, not the handler's code, restricts it to
// the admin group.
type Admin struct {
	Admin      AdminCaller `json:"admin"`
	ItemsTotal int         `json:"items_total" doc:"items held by this Lambda instance, every caller's"`
}

// AdminCaller is who called GET /admin.
type AdminCaller struct {
	Sub      string   `json:"sub"`
	Username string   `json:"username"`
	Email    string   `json:"email"`
	Groups   []string `json:"groups"`
}

// Document is the GET /openapi.json reply: an OpenAPI 3.1 document.
type Document map[string]any

// Error is the body of every error reply of the handler; clients branch on Error.Code.
type Error struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is an error reply's code and message.
type ErrorDetail struct {
	Code    string `json:"code" doc:"stable, snake_case; clients branch on it"`
	Message string `json:"message" doc:"short and fixed, for people; never internal detail"`
}
