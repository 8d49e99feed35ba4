package branding

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/cognito-apigw/cognito-apigw/internal/problem"
	"github.com/cognito-apigw/cognito-apigw/internal/suggest"
)

// defaultSettingsJSON is the Settings of Cognito's default style as a merged export prints it
// (describe-managed-login-branding-by-client --return-merged-resources). Cognito publishes no
// schema, so this tree is the best list of the keys it knows and the types of their values.
//
//go:embed defaults/cognito-default-settings.json
var defaultSettingsJSON []byte

var defaultSettings = sync.OnceValue(func() map[string]any {
	dec := json.NewDecoder(bytes.NewReader(defaultSettingsJSON))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		panic("branding: the embedded default settings are not JSON: " + err.Error())
	}
	return m
})

// DefaultSettings returns a fresh copy of the Settings of Cognito's default style.
func DefaultSettings() map[string]any {
	return deepCopy(defaultSettings()).(map[string]any)
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		a := make([]any, len(v))
		for i, x := range v {
			a[i] = deepCopy(x)
		}
		return a
	}
	return v
}

// deepKeys compares the Settings below the top-level keys with Cognito's default tree: a key
// the tree does not have, or a value of another type than the tree's, is a warning. Cognito
// ignores unknown keys silently and may add keys of its own, so these are warnings, not errors
// (`branding check -strict` makes them errors). Colour keys are the colour check's business:
// their values are not looked at here.
func (l *loader) deepKeys(settings map[string]any, path string) {
	def := defaultSettings()
	for _, k := range sortedKeys(settings) {
		if d, ok := def[k]; ok {
			l.deep(settings[k], d, joinKey(path, k), k)
		}
	}
}

func (l *loader) deep(v, def any, path, key string) {
	if isColorKey(key) {
		return
	}
	if want, got := kindOf(def), kindOf(v); want != got {
		l.warn(path, problem.Show(v), "%s here, as in Cognito's default style (%s), not %s", want, problem.Show(def), got)
		return
	}
	switch def := def.(type) {
	case map[string]any:
		m := v.(map[string]any)
		if len(def) == 0 {
			// An empty object in the defaults (components.idpButton.custom) takes keys of the
			// user's choosing, such as provider names.
			return
		}
		known := sortedKeys(def)
		for _, k := range sortedKeys(m) {
			p := joinKey(path, k)
			d, ok := def[k]
			if !ok {
				msg := "unknown key: not in Cognito's default style, so Cognito probably ignores it (keys are case-sensitive); known here: " + strings.Join(known, ", ")
				if s := suggest.Closest(k, known); s != "" {
					msg += fmt.Sprintf("; did you mean %q?", s)
				}
				l.warn(p, problem.Show(m[k]), "%s", msg)
				continue
			}
			l.deep(m[k], d, p, k)
		}
	case []any:
		// Elements look like the default's first one; an empty default (federation.order)
		// says nothing about them.
		if len(def) == 0 {
			return
		}
		for i, e := range v.([]any) {
			l.deep(e, def[0], fmt.Sprintf("%s[%d]", path, i), "")
		}
	case string:
		if s := v.(string); colorPattern.MatchString(def) && !colorPattern.MatchString(s) {
			l.warn(path, problem.Show(v), "a colour here, as in Cognito's default style (%q): 8 hex digits RRGGBBAA without '#'", def)
		}
	}
}

// isColorKey is how the colour check recognises a colour: "color" or a key ending in "Color".
func isColorKey(key string) bool {
	return key == "color" || strings.HasSuffix(key, "Color")
}

// kindOf names the JSON type of a value the way the warnings say what is wanted.
func kindOf(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number, float64:
		return "a number"
	case bool:
		return "true or false"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}
