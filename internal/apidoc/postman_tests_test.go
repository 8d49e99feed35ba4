package apidoc

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
)

// TestPostmanUnattended: every request takes its token from a collection variable (what
// newman is given), and each request of an endpoint asserts its success status and, for a
// reply with a body, that body against the schema the OpenAPI document gives it, written out
// without references.
func TestPostmanUnattended(t *testing.T) {
	c := postman(t, table(), settings())
	for _, want := range []string{"idToken", "accessToken", "reportingAccessToken"} {
		if !slices.ContainsFunc(c.Variable, func(v pmVariable) bool { return v.Key == want }) {
			t.Errorf("no collection variable %s", want)
		}
	}
	// The token a request sends is its OAuth 2.0 setting accessToken (Postman's current token).
	current := func(it pmItem) any { return oauth2Value(it, "accessToken") }
	wantToken := map[string]any{"GET /health": nil, "GET /me": "{{idToken}}", "GET /admin": "{{idToken}}", "GET /items": "{{accessToken}}", "POST /items": "{{accessToken}}", "POST /reports": "{{reportingAccessToken}}"}
	tested := 0
	for _, it := range c.Item {
		if want, ok := wantToken[it.Name]; ok && current(it) != want {
			t.Errorf("%s: current token %v, want %v", it.Name, current(it), want)
		}
		e, ok := api.Lookup(it.Name)
		if !ok {
			if len(it.Event) != 0 {
				t.Errorf("%s: tests on a route without an endpoint (it answers 501)", it.Name)
			}
			continue
		}
		tested++
		if len(it.Event) != 1 || it.Event[0].Listen != "test" {
			t.Fatalf("%s: events %+v, want one test script", it.Name, it.Event)
		}
		script := strings.Join(it.Event[0].Script.Exec, "\n")
		if !strings.Contains(script, fmt.Sprintf("pm.response.to.have.status(%d);", e.Success)) {
			t.Errorf("%s: script does not assert status %d:\n%s", it.Name, e.Success, script)
		}
		if e.Reply == nil {
			continue
		}
		_, after, ok := strings.Cut(script, "pm.response.to.have.jsonSchema(")
		schema, _, _ := strings.Cut(after, ");\n")
		var got any
		if !ok || json.Unmarshal([]byte(schema), &got) != nil {
			t.Fatalf("%s: no JSON schema asserted:\n%s", it.Name, script)
		}
		if strings.Contains(schema, "$ref") {
			t.Errorf("%s: the schema keeps references a Postman script cannot resolve: %s", it.Name, schema)
		}
		want, _ := json.Marshal(inlineSchema(reflect.TypeOf(e.Reply)))
		var wantV any
		json.Unmarshal(want, &wantV)
		if !reflect.DeepEqual(got, wantV) {
			t.Errorf("%s: schema %s, want %s", it.Name, schema, want)
		}
	}
	if tested != 5 {
		t.Errorf("%d requests of endpoints tested, want 5 (health, me, items twice, admin)", tested)
	}
	// ItemList's items are Items, written out.
	b, _ := json.Marshal(inlineSchema(reflect.TypeFor[api.ItemList]()))
	if !strings.Contains(string(b), `"created_at":{"format":"date-time","type":"string"}`) {
		t.Errorf("ItemList schema does not hold Item's: %s", b)
	}
}
