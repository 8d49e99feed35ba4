package handler

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/apigwclaims"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// Error codes: stable, snake_case, part of the API. Clients branch on them, not on messages.
const (
	codeUnauthenticated      = string(routes.DeniedUnauthenticated)   // 401: no token claims at all
	codeInvalidToken         = "invalid_token"                        // 401: claims present but unreadable, or expired
	codeWrongTokenUse        = string(routes.DeniedWrongTokenUse)     // 401
	codeClientNotAllowed     = "client_not_allowed"                   // 401: token issued to another app client
	codeClientNotAllowedHere = string(routes.DeniedClient)            // 403: a machine client's token where the route does not take it
	codeInsufficientScope    = string(routes.DeniedInsufficientScope) // 403
	codeNotInGroup           = string(routes.DeniedNotInGroup)        // 403
	codeNotFound             = "not_found"                            // 404
	codeInvalidJSON          = "invalid_json"                         // 400: body is not the JSON object expected
	codeInvalidName          = "invalid_name"                         // 400
	codeBodyTooLarge         = "body_too_large"                       // 413
	codeTooManyItems         = "too_many_items"                       // 409
	codeNotImplemented       = "not_implemented"                      // 501: route in the table, no Go code yet
	codeInternal             = "internal_error"                       // 500
)

const msgInternal = "Something went wrong on our side."

// internalErrorBody is the reply of last resort: it needs no encoding.
const internalErrorBody = `{"error":{"code":"internal_error","message":"Something went wrong on our side."}}`

// errorBody is the JSON shape of every error reply.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// reply is an endpoint's answer before it becomes a proxy response.
type reply struct {
	status  int
	body    any    // encoded as JSON; nil means no body
	raw     string // the body, already JSON; used when body is nil
	headers map[string]string

	// For the log only, never for the client.
	code     string
	cause    error
	sub      string
	clientID string
}

func jsonReply(status int, body any) reply {
	return reply{status: status, body: body}
}

// errorReply builds an error reply. message is shown to clients: keep it short, fixed, and free
// of internal detail.
func errorReply(status int, code, message string) reply {
	return reply{status: status, code: code, body: errorBody{errorDetail{Code: code, Message: message}}}
}

// unauthorized is a 401 with the RFC 6750 challenge for a token that cannot be used here.
func unauthorized(code, message string) *reply {
	r := errorReply(http.StatusUnauthorized, code, message)
	r.header("WWW-Authenticate", `Bearer error="invalid_token", error_description="`+message+`"`)
	return &r
}

// forbidden is a 403 with the RFC 6750 challenge; scopes, when given, name what would do.
func forbidden(code, message string, scopes []string) *reply {
	r := errorReply(http.StatusForbidden, code, message)
	challenge := `Bearer error="insufficient_scope", error_description="` + message + `"`
	if len(scopes) > 0 {
		challenge += `, scope="` + strings.Join(scopes, " ") + `"`
	}
	r.header("WWW-Authenticate", challenge)
	return &r
}

func (r *reply) header(k, v string) {
	if r.headers == nil {
		r.headers = map[string]string{}
	}
	r.headers[k] = v
}

func (r *reply) because(err error) *reply {
	r.cause = err
	return r
}

func (r *reply) withCaller(c apigwclaims.Claims) *reply {
	r.sub, r.clientID = c.Subject, c.ClientID
	return r
}

func (r reply) encode() (string, error) {
	if r.body == nil {
		return r.raw, nil
	}
	b, err := json.Marshal(r.body)
	return string(b), err
}
