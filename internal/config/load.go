package config

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// Problems is every problem found in the configuration, one line each.
type Problems []string

func (p Problems) Error() string { return strings.Join(p, "\n") }

// Load reads the configuration of the selected stage from the CDK context (get returns nil for
// an absent key) and validates it. The error, if any, is Problems listing everything wrong.
func Load(get func(key string) any) (Config, error) {
	var problems Problems
	cfg := Config{AppName: "demo-api", StageName: DefaultStage}
	if v := get(KeyAppName); v != nil {
		if s, ok := v.(string); ok {
			cfg.AppName = s
		} else {
			problems = append(problems, fmt.Sprintf("%s: got %s; want a string", KeyAppName, show(v)))
		}
	}
	if v := get(KeyStage); v != nil {
		if s, ok := v.(string); ok {
			cfg.StageName = s
		} else {
			problems = append(problems, fmt.Sprintf("%s: got %s; want a stage name", KeyStage, show(v)))
		}
	}

	stages, ok := get(KeyStages).(map[string]any)
	if !ok {
		problems = append(problems, fmt.Sprintf("%s: got %s; want an object of stage settings, e.g. {\"dev\": {...}}", KeyStages, show(get(KeyStages))))
		return cfg, problems
	}
	raw, ok := stages[cfg.StageName]
	if !ok {
		names := make([]string, 0, len(stages))
		for name := range stages {
			names = append(names, name)
		}
		sort.Strings(names)
		problems = append(problems, fmt.Sprintf("%s: got %q; want one of the stages in cdk.json: %s", KeyStage, cfg.StageName, strings.Join(names, ", ")))
		return cfg, problems
	}
	where := KeyStages + "." + cfg.StageName
	cfg.Stage = Defaults(cfg.AppName)
	b, _ := json.Marshal(raw) // values from the CDK context are JSON already
	problems = append(problems, decodeStrict(where, b, reflect.ValueOf(&cfg.Stage).Elem())...)
	problems = append(problems, applyOverrides(&cfg, get)...)
	problems = append(problems, cfg.Validate()...)
	if len(problems) > 0 {
		return cfg, problems
	}
	return cfg, nil
}

// applyOverrides applies the command-line context keys that override the stage's settings.
func applyOverrides(cfg *Config, get func(string) any) Problems {
	var problems Problems
	str := func(key string, dst *string) {
		if v := get(key); v != nil {
			if s, ok := v.(string); ok {
				*dst = strings.TrimSpace(s)
			} else {
				problems = append(problems, fmt.Sprintf("%s: got %s; want a string", key, show(v)))
			}
		}
	}
	list := func(key string, dst *[]string) {
		switch v := get(key).(type) {
		case nil:
		case string: // -c callbackUrls=https://a/cb,https://b/cb
			*dst = routes.SplitList(v)
		case []any:
			*dst = nil
			for i, e := range v {
				s, ok := e.(string)
				if !ok {
					problems = append(problems, fmt.Sprintf("%s[%d]: got %s; want a URL string", key, i, show(e)))
				}
				*dst = append(*dst, s)
			}
		default:
			problems = append(problems, fmt.Sprintf("%s: got %s; want comma-separated URLs", key, show(v)))
		}
	}
	str(KeyDomainPrefix, &cfg.DomainPrefix)
	str(KeyBrandingFile, &cfg.BrandingFile)
	list(KeyCallbackURLs, &cfg.CallbackURLs)
	list(KeyLogoutURLs, &cfg.LogoutURLs)
	return problems
}

// decodeStrict decodes JSON into dst field by field so that it can report every unknown key
// and every wrongly typed value, each with its full path, instead of stopping at the first.
func decodeStrict(where string, data []byte, dst reflect.Value) Problems {
	switch dst.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(data, &obj); err != nil || obj == nil {
			return Problems{fmt.Sprintf("%s: got %s; want an object", where, data)}
		}
		fields := map[string]reflect.Value{}
		var known []string
		for i := range dst.NumField() {
			name, _, _ := strings.Cut(dst.Type().Field(i).Tag.Get("json"), ",")
			if name != "" && name != "-" {
				fields[name] = dst.Field(i)
				known = append(known, name)
			}
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var problems Problems
		for _, k := range keys {
			field, ok := fields[k]
			if !ok {
				want := "want one of " + strings.Join(sorted(known), ", ")
				if i := slices.IndexFunc(known, func(name string) bool { return strings.EqualFold(name, k) }); i >= 0 {
					want = fmt.Sprintf("did you mean %q? (keys are case-sensitive)", known[i])
				}
				problems = append(problems, fmt.Sprintf("%s.%s: unknown setting; %s", where, k, want))
				continue
			}
			problems = append(problems, decodeStrict(where+"."+k, obj[k], field)...)
		}
		return problems
	case reflect.Slice:
		var items []json.RawMessage
		if err := json.Unmarshal(data, &items); err != nil {
			return Problems{fmt.Sprintf("%s: got %s; want a list", where, data)}
		}
		out := reflect.MakeSlice(dst.Type(), len(items), len(items))
		var problems Problems
		for i, item := range items {
			problems = append(problems, decodeStrict(fmt.Sprintf("%s[%d]", where, i), item, out.Index(i))...)
		}
		dst.Set(out)
		return problems
	default:
		fresh := reflect.New(dst.Type())
		if err := json.Unmarshal(data, fresh.Interface()); err != nil || string(data) == "null" {
			return Problems{fmt.Sprintf("%s: got %s; want %s", where, data, describe(dst.Type()))}
		}
		dst.Set(fresh.Elem())
		return nil
	}
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
	}
	return t.String()
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
