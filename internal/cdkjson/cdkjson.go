// Package cdkjson loads a stage's configuration from the project's cdk.json for the tools that
// run outside the CDK (the local API server and authctl), so they see the very routes, CORS
// settings and pool settings that `cdk synth` would.
package cdkjson

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
)

// DefaultPath is cdk.json in the project root, where the tools are meant to run.
const DefaultPath = "cdk.json"

// Load reads the "context" object of the cdk.json at path and returns the stage's checked
// configuration. Only cdk.json is read: context from cdk.context.json, ~/.cdk.json or -c flags
// does not apply here.
func Load(path, stage string) (config.Config, error) {
	context, err := ReadContext(path)
	if err != nil {
		return config.Config{}, err
	}
	context[config.KeyStage] = stage
	cfg, err := config.Load(context)
	if err != nil {
		return config.Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// ReadContext returns the "context" object of the cdk.json at path: the settings users edit.
func ReadContext(path string) (map[string]any, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("the project settings %s do not exist: run from the project root, where cdk.json is, or pass -cdk-json PATH", path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the project settings: %w (run from the project root or pass -cdk-json)", err)
	}
	var file struct {
		Context map[string]any `json:"context"`
	}
	if err := json.Unmarshal(b, &file); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if file.Context == nil {
		return nil, fmt.Errorf("%s: no \"context\" object", path)
	}
	return file.Context, nil
}
