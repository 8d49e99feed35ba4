package handler

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
)

// endpoint is the Go code of one route.
type endpoint func(ctx context.Context, r request) reply

// implemented attaches Go code to the keys of api.Endpoints ("GET /items"), which say which
// endpoints need a caller and what they take and answer. The route table decides who may call a
// route; a route in the table that is missing here answers 501.
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

func (h *Handler) listItems(_ context.Context, r request) reply {
	return jsonReply(http.StatusOK, api.ItemList{Items: h.items.list(r.caller.Subject)})
}

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
		return errorReply(api.CodeInvalidJSON, `Send a JSON object such as {"name": "Buy milk"}.`)
	}
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		return errorReply(api.CodeInvalidName, "name is required.")
	}
	name := strings.TrimSpace(*in.Name)
	if utf8.RuneCountInString(name) > api.MaxNameRunes {
		return errorReply(api.CodeInvalidName, "name must be at most 100 characters.")
	}
	if strings.ContainsFunc(name, unicode.IsControl) {
		return errorReply(api.CodeInvalidName, "name must not contain control characters.")
	}
	item, ok := h.items.add(r.caller.Subject, name, h.now())
	if !ok {
		return errorReply(api.CodeTooManyItems, "No room for more items.")
	}
	return jsonReply(http.StatusCreated, item)
}

// readBody returns the request body, decoded if API Gateway base64-encoded it, within the cap.
func readBody(r request) ([]byte, *reply) {
	tooLarge := errorReply(api.CodeBodyTooLarge, "The body must be at most 4 KiB.")
	raw := r.event.Body
	if !r.event.IsBase64Encoded {
		if len(raw) > api.MaxBodyBytes {
			return nil, &tooLarge
		}
		return []byte(raw), nil
	}
	if base64.StdEncoding.DecodedLen(len(raw)) > api.MaxBodyBytes+2 {
		return nil, &tooLarge
	}
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		bad := errorReply(api.CodeInvalidJSON, "The body is not valid base64.")
		return nil, &bad
	}
	if len(b) > api.MaxBodyBytes {
		return nil, &tooLarge
	}
	return b, nil
}

func (h *Handler) admin(_ context.Context, r request) reply {
	c := r.caller
	return jsonReply(http.StatusOK, api.Admin{
		Admin:      api.AdminCaller{Sub: c.Subject, Username: c.Username, Email: c.Email, Groups: nonNil(c.Groups)},
		ItemsTotal: h.items.count(),
	})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
