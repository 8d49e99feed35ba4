package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/problem"
	"github.com/cognito-apigw/cognito-apigw/internal/suggest"
)

// Load reads the configuration of the selected stage from the CDK context (cdk.json's
// "context" merged with -c keys) and validates it. The stage starts from Defaults(), then the
// shared "defaults" object, then its own settings: objects merge key by key, lists and plain
// values replace. The error, if any, is a problem.List of everything wrong.
func Load(ctx map[string]any) (Config, error) {
	problems := checkContextKeys(ctx)
	cfg := Config{AppName: "demo-api", StageName: DefaultStage, BootstrapQualifier: DefaultBootstrapQualifier}
	if v := ctx[KeyAppName]; v != nil {
		if s, ok := v.(string); ok {
			cfg.AppName = s
		} else {
			problems.Add(KeyAppName, v, "want a string")
		}
	}
	if v := ctx[KeyStage]; v != nil {
		if s, ok := v.(string); ok {
			cfg.StageName = s
		} else {
			problems.Add(KeyStage, v, "want a stage name")
		}
	}

	problems = append(problems, loadCI(ctx, &cfg)...)

	stages, ok := ctx[KeyStages].(map[string]any)
	if !ok {
		problems.Add(KeyStages, ctx[KeyStages], `want an object of stage settings, e.g. {"dev": {...}}`)
		return cfg, problems.Err()
	}
	raw, ok := stages[cfg.StageName]
	if !ok {
		names := make([]string, 0, len(stages))
		for name := range stages {
			names = append(names, name)
		}
		sort.Strings(names)
		problems.Add(KeyStage, cfg.StageName, "want one of the stages in cdk.json: "+strings.Join(names, ", "))
		return cfg, problems.Err()
	}
	cfg.Stage = Defaults(cfg.AppName)
	stageSet := map[string]bool{}
	if shared, ok := ctx[KeyDefaults]; ok {
		if _, isObject := shared.(map[string]any); !isObject {
			problems.Add(KeyDefaults, shared, "want an object of the settings every stage starts from")
		} else {
			b, _ := json.Marshal(shared) // values from the CDK context are JSON already
			problems = append(problems, decodeStrict(KeyDefaults, b, reflect.ValueOf(&cfg.Stage).Elem())...)
			cfg.fromDefaults = map[string]bool{}
			settingPaths("", shared, cfg.fromDefaults)
		}
	}
	b, _ := json.Marshal(raw)
	problems = append(problems, decodeStrict(KeyStages+"."+cfg.StageName, b, reflect.ValueOf(&cfg.Stage).Elem())...)
	settingPaths("", raw, stageSet)
	problems = append(problems, applyOverrides(&cfg, ctx, stageSet)...)
	for path := range stageSet {
		delete(cfg.fromDefaults, path)
	}
	problems = append(problems, cfg.Validate()...)
	return cfg, problems.Err()
}

// BrandingPath is the branding file to read: BrandingFile itself when it is absolute, else
// BrandingFile under projectDir. A file that does not exist is reported with the path as given.
func (c Config) BrandingPath(projectDir string) (string, error) {
	path := c.BrandingFile
	if !filepath.IsAbs(path) {
		path = filepath.Join(projectDir, path)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		v := validator{stage: KeyStages + "." + c.StageName, fromDefaults: c.fromDefaults}
		v.add(v.at(KeyBrandingFile), c.BrandingFile, fmt.Sprintf("want an existing branding file: %s does not exist (a relative path starts at the project root, where cdk.json is; an absolute path is used as it is)", path))
		return "", v.problems
	}
	return path, nil
}

// settingPaths records the paths of the values a layer sets: objects are walked, because
// they merge, and anything else (lists, plain values) is one setting, because it replaces.
func settingPaths(prefix string, v any, out map[string]bool) {
	m, ok := v.(map[string]any)
	if !ok {
		if prefix != "" {
			out[prefix] = true
		}
		return
	}
	if prefix != "" {
		prefix += "."
	}
	for k, x := range m {
		settingPaths(prefix+k, x, out)
	}
}

// applyOverrides applies the command-line context keys that override the stage's settings,
// recording each one given in set.
func applyOverrides(cfg *Config, ctx map[string]any, set map[string]bool) problem.List {
	var problems problem.List
	str := func(key string, dst *string) {
		if v := ctx[key]; v != nil {
			if s, ok := v.(string); ok {
				*dst = strings.TrimSpace(s)
				set[key] = true
			} else {
				problems.Add(key, v, "want a string")
			}
		}
	}
	list := func(key, example string) *[]string {
		var urls []string
		switch v := ctx[key].(type) {
		case nil:
			return nil
		case string: // -c callbackUrls=https://a/cb,https://b/cb
			urls = fnenv.SplitList(v)
		case []any:
			for i, e := range v {
				s, ok := e.(string)
				if !ok {
					problems.Add(fmt.Sprintf("%s[%d]", key, i), e, "want a URL string")
				}
				urls = append(urls, s)
			}
		default:
			problems.Add(key, v, "want comma-separated URLs")
			return nil
		}
		if len(urls) == 0 {
			// -c logoutUrls= arrives as an empty string; the stage's own value stays.
			problems = append(problems, problem.Problem{Where: "-c " + key, Value: "an empty value",
				Want: fmt.Sprintf("want 1 to %d comma-separated URLs, such as -c %s=%s", maxURLs, key, example)})
			return nil
		}
		set[key] = true
		return &urls
	}
	str(KeyDomainPrefix, &cfg.DomainPrefix)
	str(KeyBrandingFile, &cfg.BrandingFile)
	if urls := list(KeyCallbackURLs, "https://app.example.com/auth/callback"); urls != nil {
		cfg.CallbackURLs = *urls
	}
	if urls := list(KeyLogoutURLs, "https://app.example.com"); urls != nil {
		cfg.LogoutURLs = *urls
	}
	return problems
}

// decodeStrict decodes JSON into dst field by field so that it can report every unknown key
// and every wrongly typed value, each with its full path, instead of stopping at the first.
func decodeStrict(where string, data []byte, dst reflect.Value) problem.List {
	switch dst.Kind() {
	case reflect.Pointer:
		return decodeOptional(where, data, dst)
	case reflect.Struct:
		return decodeObject(where, data, dst)
	case reflect.Slice:
		return decodeList(where, data, dst)
	}
	return decodeValue(where, data, dst)
}

// decodeOptional decodes an optional object: null or absent leaves it nil.
func decodeOptional(where string, data []byte, dst reflect.Value) problem.List {
	if string(data) == "null" {
		dst.SetZero()
		return nil
	}
	if dst.Type().Elem() == reflect.TypeFor[SecretRef]() {
		var obj map[string]json.RawMessage
		if json.Unmarshal(data, &obj) != nil || obj == nil {
			// Only the kind is shown: a secret may be typed where its reference belongs.
			dst.Set(reflect.ValueOf(&SecretRef{refused: true}))
			return problem.List{{Where: where, Value: "a " + jsonKind(data), Want: secretRefHint}}
		}
	}
	fresh := reflect.New(dst.Type().Elem())
	problems := decodeStrict(where, data, fresh.Elem())
	dst.Set(fresh)
	return problems
}

// decodeObject decodes a settings object key by key, in sorted order so that the problems
// come in a stable one.
func decodeObject(where string, data []byte, dst reflect.Value) problem.List {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil || obj == nil {
		return problem.List{{Where: where, Value: shape(data), Want: "want an object"}}
	}
	fields, known := jsonFields(dst)
	var problems problem.List
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		field, ok := fields[k]
		if !ok {
			problems = append(problems, unknownSetting(where+"."+k, k, known))
			continue
		}
		problems = append(problems, decodeStrict(where+"."+k, obj[k], field)...)
	}
	return problems
}

// jsonFields maps the JSON names of a struct's fields to the fields, and lists the names.
func jsonFields(dst reflect.Value) (map[string]reflect.Value, []string) {
	fields := map[string]reflect.Value{}
	var known []string
	for i := range dst.NumField() {
		name, _, _ := strings.Cut(dst.Type().Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			fields[name] = dst.Field(i)
			known = append(known, name)
		}
	}
	return fields, known
}

// unknownSetting reports key, which is none of known, with the setting it probably misspells.
func unknownSetting(where, key string, known []string) problem.Problem {
	want := "want one of " + strings.Join(sorted(known), ", ")
	if guess := suggest.Closest(key, known); guess != "" && strings.EqualFold(guess, key) {
		want = fmt.Sprintf("did you mean %q? (keys are case-sensitive)", guess)
	} else if guess != "" {
		want = fmt.Sprintf("did you mean %q? (%s)", guess, want)
	}
	return problem.Problem{Where: where, Want: "unknown setting; " + want}
}

func decodeList(where string, data []byte, dst reflect.Value) problem.List {
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		return problem.List{{Where: where, Value: shape(data), Want: "want a list"}}
	}
	out := reflect.MakeSlice(dst.Type(), len(items), len(items))
	var problems problem.List
	for i, item := range items {
		problems = append(problems, decodeStrict(fmt.Sprintf("%s[%d]", where, i), item, out.Index(i))...)
	}
	dst.Set(out)
	return problems
}

// decodeValue decodes a plain value or a map. Objects merge, maps too: a stage's groupScopes
// adds to those of defaults.
func decodeValue(where string, data []byte, dst reflect.Value) problem.List {
	fresh := reflect.New(dst.Type())
	if err := json.Unmarshal(data, fresh.Interface()); err != nil || string(data) == "null" {
		return problem.List{problem.At(where, json.RawMessage(data), "want "+describe(dst.Type()))}
	}
	if dst.Kind() != reflect.Map || dst.IsNil() {
		dst.Set(fresh.Elem())
		return nil
	}
	merged := reflect.MakeMap(dst.Type())
	for _, m := range []reflect.Value{dst, fresh.Elem()} {
		for it := m.MapRange(); it.Next(); {
			merged.SetMapIndex(it.Key(), it.Value())
		}
	}
	dst.Set(merged)
	return nil
}

func describe(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int:
		return "a whole number"
	case reflect.Float64:
		return "a number"
	case reflect.Map:
		return "an object of strings"
	}
	return t.String()
}

// shape shows a value of the wrong type in a problem: scalars as written, a list or an object
// only by kind, since one may hold a secret typed where a reference belongs.
func shape(data []byte) string {
	switch t := strings.TrimSpace(string(data)); {
	case strings.HasPrefix(t, "{"):
		return "an object"
	case strings.HasPrefix(t, "["):
		return "a list"
	}
	return problem.Show(json.RawMessage(data))
}

// jsonKind names what kind of JSON value data is, for messages that must not repeat it.
func jsonKind(data []byte) string {
	switch t := strings.TrimSpace(string(data)); {
	case strings.HasPrefix(t, `"`):
		return "string"
	case strings.HasPrefix(t, "["):
		return "list"
	case t == "true" || t == "false":
		return "boolean"
	}
	return "number"
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}
