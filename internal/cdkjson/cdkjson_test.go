package cdkjson

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadProject(t *testing.T) {
	for _, stage := range []string{"dev", "prod"} {
		cfg, err := Load("../../cdk.json", stage)
		if err != nil {
			t.Fatalf("%s: %v", stage, err)
		}
		if cfg.AppName != "demo-api" || cfg.StageName != stage || len(cfg.Routes) == 0 || len(cfg.CORS.AllowOrigins) == 0 {
			t.Errorf("%s: got %+v", stage, cfg)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		path, stage, want string
	}{
		{filepath.Join(dir, "missing.json"), "dev", "the project settings " + filepath.Join(dir, "missing.json") + " do not exist: run from the project root, where cdk.json is, or pass -cdk-json PATH"},
		{write("unknown.json", `{"context": {"stages": {"dev": {}}, "defualts": {}}}`), "dev", `unknown.json: defualts: got {}; unknown context key (from -c or cdk.json's "context"); did you mean "defaults"?`},
		{write("defaults.json", `{"context": {"stages": {"dev": {}}, "defaults": {"mfaa": "off"}}}`), "dev", `defaults.json: defaults.mfaa: unknown setting`},
		{write("syntax.json", `{"context": `), "dev", "syntax.json: unexpected end of JSON input"},
		{write("nocontext.json", `{"app": "go run ."}`), "dev", `no "context" object`},
		{"../../cdk.json", "staging", `stage: got "staging"; want one of the stages in cdk.json: dev, prod`},
	}
	for _, tt := range tests {
		_, err := Load(tt.path, tt.stage)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %s: got %v, want %q", tt.path, tt.stage, err, tt.want)
		}
	}
}
