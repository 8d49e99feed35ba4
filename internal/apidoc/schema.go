package apidoc

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
)

// schemaOf is the JSON schema of a body type of internal/api, read from the type itself: a
// struct becomes a component schema (named for the type) with a property per JSON field, each
// required unless its tag says omitempty or omitzero, described by its `doc` tag, and no
// other properties, so that a validator notices a field the description lacks.
func (d *oaDoc) schemaOf(t reflect.Type) map[string]any {
	if t == reflect.TypeFor[time.Time]() {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int32, reflect.Int64:
		return map[string]any{"type": "integer"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": d.schemaOf(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object"}
	case reflect.Struct:
		name := t.Name()
		if _, done := d.Components.Schemas[name]; !done {
			d.Components.Schemas[name] = nil // a type that refers to itself stops here
			d.Components.Schemas[name] = d.structSchema(t)
		}
		return ref(name)
	}
	panic(fmt.Sprintf("apidoc: no schema for %s, a body type of internal/api", t))
}

func (d *oaDoc) structSchema(t reflect.Type) map[string]any {
	props := map[string]any{}
	required := []string{}
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		p := d.schemaOf(f.Type)
		if _, isRef := p["$ref"]; !isRef {
			for k, v := range fieldRules[t.Name()+"."+name] {
				p[k] = v
			}
			if doc := f.Tag.Get("doc"); doc != "" {
				p["description"] = doc
			}
		}
		props[name] = p
		if !strings.Contains(","+opts+",", ",omitempty,") && !strings.Contains(","+opts+",", ",omitzero,") {
			required = append(required, name)
		}
	}
	return map[string]any{"type": "object", "additionalProperties": false, "required": required, "properties": props}
}

// fieldRules are what a field's type cannot say: the limits the handler checks.
var fieldRules = map[string]map[string]any{
	"NewItem.name": {
		"minLength": 1,
		"maxLength": api.MaxNameRunes,
		// Something other than spaces, and no control characters (C0, DEL, C1).
		"pattern": `^[^\u0000-\u001F\u007F-\u009F]*\S[^\u0000-\u001F\u007F-\u009F]*$`,
	},
	"Health.status": {"const": "ok"},
	"Me.token_use":  {"enum": []string{"id", "access"}},
}
