package handler

import (
	"context"
	"net/http"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
)

// endpoint is the Go code of one route.
type endpoint func(ctx context.Context, r request) reply

// implemented attaches Go code to the keys of api.Endpoints ("GET /items"), which say which
// endpoints need a caller and what they take and answer. The route table decides who may call a
// route; a route in the table that is missing here answers 501.
func (h *Handler) implemented() map[string]endpoint {
	return map[string]endpoint{
		"GET /health":        h.health,
		"GET /me":            h.me,
		"GET /items":         h.listItems,
		"POST /items":        h.createItem,
		"GET /items/{id}":    h.getItem,
		"DELETE /items/{id}": h.deleteItem,
		"GET /admin":         h.admin,
		// Public only if the table makes it so; it needs no caller.
		"GET /openapi.json": h.openAPI(),
	}
}

func (h *Handler) health(context.Context, request) reply {
	return jsonReply(http.StatusOK, api.Health{Status: "ok"})
}

func (h *Handler) me(_ context.Context, r request) reply {
	c := r.caller
	return jsonReply(http.StatusOK, api.Me{
		Sub:           c.Subject,
		Username:      c.Username,
		Email:         c.Email,
		EmailVerified: c.EmailVerified,
		Groups:        nonNil(c.Groups),
		TokenUse:      c.TokenUse,
		Scopes:        nonNil(c.Scopes),
		ClientID:      c.ClientID,
		AuthTime:      c.AuthTime,
		ExpiresAt:     c.ExpiresAt,
	})
}

func (h *Handler) admin(_ context.Context, r request) reply {
	c := r.caller
	return jsonReply(http.StatusOK, api.Admin{
		Admin: api.AdminCaller{Sub: c.Subject, Username: c.Username, Email: c.Email, Groups: nonNil(c.Groups)},
	})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
