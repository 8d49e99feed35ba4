package handler

import (
	"encoding/json"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
	"github.com/cognito-apigw/cognito-apigw/internal/apigwclaims"
)

// The error codes are api.ErrorCodes (internal/api): each reply names its ErrorCode, which
// carries the status too, so that the API description cannot drift from what the handler says.

const msgInternal = "Something went wrong on our side."

// internalErrorBody is the reply of last resort: it needs no encoding.
const internalErrorBody = `{"error":{"code":"internal_error","message":"Something went wrong on our side."}}`

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

// errorReply builds an error reply with the code's status. message is shown to clients: keep it
// short, fixed, and free of internal detail.
func errorReply(c api.ErrorCode, message string) reply {
	return reply{status: c.Status, code: c.Code, body: api.Error{Error: api.ErrorDetail{Code: c.Code, Message: message}}}
}

// unauthorized is a 401 with the RFC 6750 challenge for a token that cannot be used here.
func unauthorized(c api.ErrorCode, message string) *reply {
	r := errorReply(c, message)
	r.header("WWW-Authenticate", `Bearer error="invalid_token", error_description="`+message+`"`)
	return &r
}

// forbidden is a 403 with the RFC 6750 challenge; scopes, when given, name what would do.
func forbidden(c api.ErrorCode, message string, scopes []string) *reply {
	r := errorReply(c, message)
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
