package handler

import (
	"context"
	"net/http"
	"time"
)

// endpoint is the Go code of one route.
type endpoint func(ctx context.Context, r request) reply

// implemented attaches Go code to the keys of routes.Endpoints ("GET /items"), which say which
// endpoints need a caller. The route table decides who may call a route; a route in the table
// that is missing here answers 501.
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
	return jsonReply(http.StatusOK, map[string]string{"status": "ok"})
}

// Me is the GET /me reply: the caller's claims, typed. Times are RFC 3339 in UTC and left out
// when the token did not carry them; groups and scopes are always lists, possibly empty.
type Me struct {
	Sub           string    `json:"sub"`
	Username      string    `json:"username"`
	Email         string    `json:"email"`
	EmailVerified bool      `json:"email_verified"`
	Groups        []string  `json:"groups"`
	TokenUse      string    `json:"token_use"`
	Scopes        []string  `json:"scopes"`
	ClientID      string    `json:"client_id"`
	AuthTime      time.Time `json:"auth_time,omitzero"`
	ExpiresAt     time.Time `json:"exp,omitzero"`
}

func (h *Handler) me(_ context.Context, r request) reply {
	c := r.caller
	return jsonReply(http.StatusOK, Me{
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

// Admin is the GET /admin reply. The route table, not this code, restricts it to the admin group.
// It counts no items: that would read every caller's (a Scan), which the function may not.
type Admin struct {
	Admin AdminCaller `json:"admin"`
}

// AdminCaller is who called GET /admin.
type AdminCaller struct {
	Sub      string   `json:"sub"`
	Username string   `json:"username"`
	Email    string   `json:"email"`
	Groups   []string `json:"groups"`
}

func (h *Handler) admin(_ context.Context, r request) reply {
	c := r.caller
	return jsonReply(http.StatusOK, Admin{
		Admin: AdminCaller{Sub: c.Subject, Username: c.Username, Email: c.Email, Groups: nonNil(c.Groups)},
	})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
