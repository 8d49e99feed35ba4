package apidoc

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// postmanTests are the test script of an operation's request: the status of a successful
// reply, a JSON body, and that body against the schema the OpenAPI document gives it (the same
// schemaOf, with its references written out, since a Postman script holds one schema). newman
// fails the run on any failed assertion, so an unattended run asserts what the API promises.
func postmanTests(op operation) []pmEvent {
	e, ok := endpointOf(op)
	if !ok {
		return nil
	}
	lines := []string{
		fmt.Sprintf("pm.test(%q, function () {", fmt.Sprintf("status is %d", e.Success)),
		fmt.Sprintf("    pm.response.to.have.status(%d);", e.Success),
		"});",
	}
	if e.Reply != nil {
		t := reflect.TypeOf(e.Reply)
		schema, _ := json.Marshal(inlineSchema(t))
		lines = append(lines,
			`pm.test("body is JSON", function () {`,
			`    pm.response.to.have.header("Content-Type");`,
			`    pm.expect(pm.response.headers.get("Content-Type")).to.include("application/json");`,
			`});`,
			fmt.Sprintf("pm.test(%q, function () {", "body matches the "+t.Name()+" schema"),
			"    pm.response.to.have.jsonSchema("+string(schema)+");",
			"});",
		)
	}
	if e.Reply == nil {
		lines = append(lines,
			`pm.test("no body", function () {`,
			`    pm.expect(pm.response.text()).to.equal("");`,
			`});`,
		)
	}
	if e.Success == 201 && hasIDField(e.Reply) {
		// What a creation made, for the requests after it whose path names an {id}.
		lines = append(lines, `if (pm.response.code === 201) { pm.collectionVariables.set("id", pm.response.json().id); }`)
	}
	return []pmEvent{{Listen: "test", Script: pmScript{Type: "text/javascript", Exec: lines}}}
}

// hasIDField reports whether a reply body type has a JSON field "id".
func hasIDField(reply any) bool {
	if reply == nil {
		return false
	}
	t := reflect.TypeOf(reply)
	if t.Kind() != reflect.Struct {
		return false
	}
	for f := range t.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name == "id" {
			return true
		}
	}
	return false
}

// inlineSchema is the JSON schema of a body type of internal/api as the OpenAPI document
// describes it, with every $ref replaced by the schema it names.
func inlineSchema(t reflect.Type) any {
	d := &oaDoc{Components: oaComponents{Schemas: map[string]any{}}}
	return inline(d.schemaOf(t), d.Components.Schemas)
}

func inline(v any, defs map[string]any) any {
	switch x := v.(type) {
	case map[string]any:
		if r, ok := x["$ref"].(string); ok && len(x) == 1 {
			return inline(defs[strings.TrimPrefix(r, "#/components/schemas/")], defs)
		}
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = inline(val, defs)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = inline(val, defs)
		}
		return out
	}
	return v
}
