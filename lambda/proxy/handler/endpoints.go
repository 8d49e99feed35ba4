package handler

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// endpoint is the Go code of one route.
type endpoint func(ctx context.Context, r request) reply

// implemented attaches Go code to the keys of routes.Endpoints ("GET /items"), which say which
// endpoints need a caller. The route table decides who may call a route; a route in the table
// that is missing here answers 501.
func (h *Handler) implemented() map[string]endpoint {
	return map[string]endpoint{
		"GET /health": h.health,
		"GET /me":     h.me,
		"GET /items":  h.listItems,
		"POST /items": h.createItem,
		"GET /admin":  h.admin,
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

// ItemList is the GET /items reply: the caller's own items, oldest first.
type ItemList struct {
	Items []Item `json:"items"`
}

func (h *Handler) listItems(_ context.Context, r request) reply {
	return jsonReply(http.StatusOK, ItemList{Items: h.items.list(r.caller.Subject)})
}

const (
	maxBodyBytes = 4 << 10
	maxNameRunes = 100
)

func (h *Handler) createItem(_ context.Context, r request) reply {
	body, bad := readBody(r)
	if bad != nil {
		return *bad
	}
	var in struct {
		Name *string `json:"name"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil || dec.Decode(&struct{}{}) != io.EOF {
		return errorReply(http.StatusBadRequest, codeInvalidJSON, `Send a JSON object such as {"name": "Buy milk"}.`)
	}
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		return errorReply(http.StatusBadRequest, codeInvalidName, "name is required.")
	}
	name := strings.TrimSpace(*in.Name)
	if utf8.RuneCountInString(name) > maxNameRunes {
		return errorReply(http.StatusBadRequest, codeInvalidName, "name must be at most 100 characters.")
	}
	if strings.ContainsFunc(name, unicode.IsControl) {
		return errorReply(http.StatusBadRequest, codeInvalidName, "name must not contain control characters.")
	}
	item, ok := h.items.add(r.caller.Subject, name, h.now())
	if !ok {
		return errorReply(http.StatusConflict, codeTooManyItems, "No room for more items.")
	}
	return jsonReply(http.StatusCreated, item)
}

// readBody returns the request body, decoded if API Gateway base64-encoded it, within the cap.
func readBody(r request) ([]byte, *reply) {
	tooLarge := errorReply(http.StatusRequestEntityTooLarge, codeBodyTooLarge, "The body must be at most 4 KiB.")
	raw := r.event.Body
	if !r.event.IsBase64Encoded {
		if len(raw) > maxBodyBytes {
			return nil, &tooLarge
		}
		return []byte(raw), nil
	}
	if base64.StdEncoding.DecodedLen(len(raw)) > maxBodyBytes+2 {
		return nil, &tooLarge
	}
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		bad := errorReply(http.StatusBadRequest, codeInvalidJSON, "The body is not valid base64.")
		return nil, &bad
	}
	if len(b) > maxBodyBytes {
		return nil, &tooLarge
	}
	return b, nil
}

// Admin is the GET /admin reply. The route table, not this code, restricts it to the admin group.
type Admin struct {
	Admin      AdminCaller `json:"admin"`
	ItemsTotal int         `json:"items_total"`
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
		Admin:      AdminCaller{Sub: c.Subject, Username: c.Username, Email: c.Email, Groups: nonNil(c.Groups)},
		ItemsTotal: h.items.count(),
	})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
