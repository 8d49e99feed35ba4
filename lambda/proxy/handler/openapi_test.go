package handler_test

import (
	"bytes"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/apidoc"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

// TestOpenAPIServed: GET /openapi.json serves the description of the handler's own table,
// without a token, when the table lists it as public; otherwise it is an unknown path.
func TestOpenAPIServed(t *testing.T) {
	table := append(testkit.SampleRoutes(), routes.Route{Method: "GET", Path: "/openapi.json", Access: routes.Public})
	h, _ := newHandler(t, table)
	ev := testkit.ProxyEvent(t, "health-public")
	ev.Resource, ev.Path = "/openapi.json", "/openapi.json"
	resp := call(t, h, ev)
	doc := decode(t, resp)
	if resp.StatusCode != 200 || field(doc, "openapi") != apidoc.OpenAPIVersion {
		t.Fatalf("GET /openapi.json: %d %.200s", resp.StatusCode, resp.Body)
	}
	// The handler has CORS origins, so its document has the preflights.
	want, err := apidoc.OpenAPI(table, apidoc.Settings{Preflight: true})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal([]byte(resp.Body), want) {
		t.Error("the served document is not apidoc.OpenAPI of the handler's table")
	}
	for _, path := range []string{"/health", "/me", "/items", "/admin", "/openapi.json"} {
		if paths, _ := doc["paths"].(map[string]any); paths[path] == nil {
			t.Errorf("the document has no %s", path)
		}
	}
	// Served again: the same bytes.
	if again := call(t, h, ev); again.Body != resp.Body {
		t.Error("a second GET /openapi.json differs")
	}

	// Not in the table: the protected catch-all answers, as for any unknown path.
	h, _ = newHandler(t, testkit.SampleRoutes())
	if resp := call(t, h, ev); resp.StatusCode != 401 {
		t.Errorf("GET /openapi.json not in the table: %d, want 401", resp.StatusCode)
	}
}
