package api_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
)

func TestNeedsCaller(t *testing.T) {
	for key, want := range map[string]bool{
		"GET /health": false, "GET /me": true, "GET /items": true, "POST /items": true, "GET /admin": true,
		"GET /openapi.json": false, "GET /unknown": false, "DELETE /me": false, "": false,
	} {
		if got := api.NeedsCaller(key); got != want {
			t.Errorf("NeedsCaller(%q) = %v, want %v", key, got, want)
		}
	}
}

// TestEndpoints: every endpoint is described whole, once.
func TestEndpoints(t *testing.T) {
	var keys []string
	for _, e := range api.Endpoints {
		if slices.Contains(keys, e.Key) {
			t.Errorf("%s listed twice", e.Key)
		}
		keys = append(keys, e.Key)
		if method, path, ok := strings.Cut(e.Key, " "); !ok || method != strings.ToUpper(method) || !strings.HasPrefix(path, "/") {
			t.Errorf("key %q: want METHOD /path", e.Key)
		}
		if e.Summary == "" || e.Success < 200 || e.Success > 299 || e.Reply == nil {
			t.Errorf("%s: want a summary, a 2xx success and a reply body: %+v", e.Key, e)
		}
		for _, c := range e.Errors {
			if !slices.Contains(api.ErrorCodes, c) {
				t.Errorf("%s answers %s, which ErrorCodes lacks", e.Key, c.Code)
			}
		}
	}
}

// TestErrorCodes: each code once, snake_case, with a 4xx or 5xx status and a meaning.
func TestErrorCodes(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range api.ErrorCodes {
		if seen[c.Code] || c.Code == "" || strings.Trim(c.Code, "abcdefghijklmnopqrstuvwxyz_") != "" {
			t.Errorf("code %q: want each once, snake_case", c.Code)
		}
		seen[c.Code] = true
		if c.Status < 400 || c.Status > 599 || c.Meaning == "" {
			t.Errorf("%s: status %d, meaning %q", c.Code, c.Status, c.Meaning)
		}
	}
	b, _ := json.Marshal(api.Error{Error: api.ErrorDetail{Code: "x", Message: "y"}})
	if string(b) != `{"error":{"code":"x","message":"y"}}` {
		t.Errorf("error body %s", b)
	}
}
