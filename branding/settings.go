package branding

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/problem"
	"github.com/cognito-apigw/cognito-apigw/internal/suggest"
)

var (
	colorPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}$`)
	rgbPattern   = regexp.MustCompile(`^[0-9a-fA-F]{6}$`)
	identPattern = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)
)

// settings checks the Settings document. Cognito publishes no schema and silently ignores keys
// it does not know, so the checks are the ones that catch real mistakes: misspelt top-level keys
// and colours in a format Cognito does not read.
func (l *loader) settings(v any, path string) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		l.add(path, problem.Show(v), "must be a JSON object")
		return nil
	}
	for _, k := range sortedKeys(m) {
		if !slices.Contains(settingsKeys, k) {
			hint := ""
			if s := suggest.Closest(k, settingsKeys); s != "" {
				hint = fmt.Sprintf("; did you mean %q?", s)
			}
			l.add(joinKey(path, k), "", "unknown key (Cognito ignores it); known: %s%s", strings.Join(settingsKeys, ", "), hint)
		}
	}
	l.colors(m, path)
	l.deepKeys(m, path)
	return m
}

// colors finds colour values by their key: "color" or anything ending in "Color".
func (l *loader) colors(v any, path string) {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(v) {
			p := joinKey(path, k)
			if k == "color" || strings.HasSuffix(k, "Color") {
				l.color(v[k], p)
			} else {
				l.colors(v[k], p)
			}
		}
	case []any:
		for i, e := range v {
			l.colors(e, fmt.Sprintf("%s[%d]", path, i))
		}
	}
}

func (l *loader) color(v any, path string) {
	s, ok := v.(string)
	if ok && colorPattern.MatchString(s) {
		return
	}
	const want = "a colour is 8 hex digits RRGGBBAA without '#'"
	hex := strings.TrimPrefix(s, "#")
	switch {
	case !ok:
		l.add(path, problem.Show(v), "%s, as a string", want)
	case colorPattern.MatchString(hex):
		l.add(path, problem.Show(v), "%s: use %q", want, hex)
	case rgbPattern.MatchString(hex):
		l.add(path, problem.Show(v), "%s: add the alpha, e.g. %q for opaque", want, hex+"ff")
	default:
		l.add(path, problem.Show(v), "%s, e.g. \"0972d3ff\"", want)
	}
}

// joinKey extends a JSON path with an object key, quoting keys that are not plain names.
func joinKey(path, key string) string {
	if !identPattern.MatchString(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}
