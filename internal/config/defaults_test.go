package config

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// contextWith is a minimal context: the given defaults (nil: none) and stages.
func contextWith(t *testing.T, defaults any, stages string) map[string]any {
	t.Helper()
	var st map[string]any
	if err := json.Unmarshal([]byte(stages), &st); err != nil {
		t.Fatal(err)
	}
	ctx := map[string]any{KeyStages: st}
	if defaults != nil {
		var d any
		if err := json.Unmarshal([]byte(defaults.(string)), &d); err != nil {
			t.Fatal(err)
		}
		ctx[KeyDefaults] = d
	}
	return ctx
}

func TestDefaultsMerge(t *testing.T) {
	// GIVEN shared defaults and a stage that overrides some of them
	ctx := contextWith(t, `{
		"mfa": "required",
		"tokens": {"accessMinutes": 30, "idMinutes": 30},
		"groups": [{"name": "a"}, {"name": "b"}],
		"cors": {"allowOrigins": ["https://a.example.com"], "maxAgeSeconds": 100},
		"waf": {"enabled": true}
	}`, `{"dev": {
		"tokens": {"idMinutes": 10},
		"groups": [{"name": "c"}],
		"cors": {"allowOrigins": ["https://c.example.com"]}
	}}`)
	// WHEN the stage loads
	cfg, err := Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// THEN objects merge key by key, lists and plain values replace, and what neither says
	// keeps the built-in default
	builtIn := Defaults("demo-api")
	if cfg.MFA != "required" || !cfg.WAF.Enabled || cfg.WAF.RateLimit != builtIn.WAF.RateLimit {
		t.Errorf("defaults not applied: mfa %q, waf %+v", cfg.MFA, cfg.WAF)
	}
	if want := (TokenValidity{AccessMinutes: 30, IDMinutes: 10, RefreshMinutes: builtIn.Tokens.RefreshMinutes, AuthSessionMinutes: builtIn.Tokens.AuthSessionMinutes}); cfg.Tokens != want {
		t.Errorf("tokens %+v, want %+v", cfg.Tokens, want)
	}
	if got := cfg.GroupNames(); !slices.Equal(got, []string{"c"}) {
		t.Errorf("groups %v, want the stage's list alone", got)
	}
	if !slices.Equal(cfg.CORS.AllowOrigins, []string{"https://c.example.com"}) || cfg.CORS.MaxAgeSeconds != 100 {
		t.Errorf("cors %+v", cfg.CORS)
	}
}

func TestDefaultsAreOptional(t *testing.T) {
	a, err := Load(contextWith(t, nil, `{"dev": {}}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load(contextWith(t, `{}`, `{"dev": {}}`))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Stage, Defaults("demo-api")) || !reflect.DeepEqual(a.Stage, b.Stage) {
		t.Errorf("an absent or empty defaults object changed the stage:\n%+v\n%+v", a.Stage, b.Stage)
	}
}

// Problems name the layer that holds the value: the defaults, the stage, or -c.
func TestDefaultsProblems(t *testing.T) {
	for _, tc := range []struct {
		name, defaults, stages, stage string
		ctx                           map[string]any
		want                          []string
	}{
		{name: "unknown key in defaults", defaults: `{"mfaa": "off"}`, stages: `{"dev": {}}`,
			want: []string{`defaults.mfaa: unknown setting; did you mean "mfa"? (want one of `}},
		{name: "unknown nested key in a stage", defaults: `{}`, stages: `{"dev": {}, "prod": {"cors": {"allowOrigin": ["https://a.example.com"]}}}`, stage: "prod",
			want: []string{`stages.prod.cors.allowOrigin: unknown setting; did you mean "allowOrigins"? (want one of allowOrigins, maxAgeSeconds)`}},
		{name: "wrong case in defaults", defaults: `{"MFA": "off"}`, stages: `{"dev": {}}`,
			want: []string{`defaults.MFA: unknown setting; did you mean "mfa"? (keys are case-sensitive)`}},
		{name: "wrong type in defaults", defaults: `{"selfSignUp": 1, "tokens": {"idMinutes": "5"}}`, stages: `{"dev": {}}`,
			want: []string{`defaults.selfSignUp: got 1; want true or false`, `defaults.tokens.idMinutes: got "5"; want a whole number`}},
		{name: "defaults not an object", defaults: `["mfa"]`, stages: `{"dev": {}}`,
			want: []string{`defaults: got ["mfa"]; want an object of the settings every stage starts from`}},
		{name: "rule broken by a default", defaults: `{"mfa": "always", "tokens": {"accessMinutes": 1}}`, stages: `{"dev": {}}`,
			want: []string{`defaults.mfa: got "always"; want "off", "optional" or "required"`, `defaults.tokens.accessMinutes: got 1; want 5 to 1440 minutes`}},
		{name: "rule broken by the stage over a default", defaults: `{"mfa": "optional"}`, stages: `{"dev": {"mfa": "always"}}`,
			want: []string{`stages.dev.mfa: got "always"`}},
		{name: "default list in a stage's rule", defaults: `{"routes": [{"method": "GET", "path": "/x", "access": "protected", "groups": ["ops"]}]}`, stages: `{"dev": {}}`,
			want: []string{`defaults.routes[0].groups[0]: got "ops"; want a group defined in groups`}},
		{name: "override key from defaults", defaults: `{"callbackUrls": ["http://app.example.com/cb"]}`, stages: `{"dev": {}}`,
			want: []string{`defaults.callbackUrls (or -c callbackUrls)[0]: got "http://app.example.com/cb"; want https`}},
		{name: "override key given with -c", defaults: `{"domainPrefix": "good-one"}`, stages: `{"dev": {}}`, ctx: map[string]any{KeyDomainPrefix: "Bad"},
			want: []string{`stages.dev.domainPrefix (or -c domainPrefix): got "Bad"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := contextWith(t, tc.defaults, tc.stages)
			if tc.stage != "" {
				ctx[KeyStage] = tc.stage
			}
			for k, v := range tc.ctx {
				ctx[k] = v
			}
			lines := problemLines(t, ctx)
			for _, want := range tc.want {
				if !hasLineStarting(lines, want) {
					t.Errorf("no line starting %q in:\n%s", want, strings.Join(lines, "\n"))
				}
			}
			if len(lines) != len(tc.want) {
				t.Errorf("got %d problems, want %d:\n%s", len(lines), len(tc.want), strings.Join(lines, "\n"))
			}
		})
	}
}

// cdk.json says a shared setting once: no stage repeats a value of the defaults.
func TestProjectStagesDoNotRepeatDefaults(t *testing.T) {
	ctx := projectContext(t)
	defaults, ok := ctx[KeyDefaults].(map[string]any)
	if !ok || len(defaults) == 0 {
		t.Fatal("cdk.json has no defaults")
	}
	shared := map[string]bool{}
	settingPaths("", defaults, shared)
	for name, st := range ctx[KeyStages].(map[string]any) {
		own := map[string]bool{}
		settingPaths("", st, own)
		for path := range own {
			if shared[path] && reflect.DeepEqual(lookup(st, path), lookup(defaults, path)) {
				t.Errorf("stages.%s.%s repeats defaults.%s", name, path, path)
			}
		}
	}
}

func lookup(v any, path string) any {
	for key := range strings.SplitSeq(path, ".") {
		v = v.(map[string]any)[key]
	}
	return v
}

// TestDefaultsMapsMerge: maps are objects too, so a stage's keys add to those of defaults.
func TestDefaultsMapsMerge(t *testing.T) {
	ctx := projectContext(t)
	ctx[KeyDefaults].(map[string]any)["extraClaims"] = map[string]any{"tenant": "acme", "plan": "free"}
	ctx[KeyStages].(map[string]any)["dev"].(map[string]any)["extraClaims"] = map[string]any{"plan": "team", "region": "eu"}
	cfg, err := Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"tenant": "acme", "plan": "team", "region": "eu"}
	if !maps.Equal(cfg.ExtraClaims, want) {
		t.Errorf("extraClaims = %v, want %v", cfg.ExtraClaims, want)
	}
}
