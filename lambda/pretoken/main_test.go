package main

import (
	"bytes"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
)

var settings = fnenv.PreToken{
	GroupScopes: map[string][]string{"admin": {"demo-api/write", "demo-api/read"}},
	ExtraClaims: map[string]string{"tenant": "acme"},
	Scopes:      []string{"demo-api/read", "demo-api/write"},
}

func TestNewTriggerFromEnv(t *testing.T) {
	// What the auth stack writes, through the same contract.
	env := settings.Env()
	var logs bytes.Buffer
	tr := newTrigger(func(k string) string { return env[k] }, slog.New(slog.NewJSONHandler(&logs, nil)))
	if !reflect.DeepEqual(tr.Settings(), settings) || logs.Len() != 0 {
		t.Errorf("newTrigger = %+v, logs %s; want the stack's settings and no log", tr.Settings(), logs.String())
	}

	// A broken setting starts the trigger anyway, adding nothing, and says why.
	for v, want := range map[string]string{"": "PRE_TOKEN_SETTINGS is not set", "{": "PRE_TOKEN_SETTINGS: unexpected end of JSON input"} {
		logs.Reset()
		tr := newTrigger(func(k string) string { return map[string]string{fnenv.EnvPreTokenSettings: v}[k] }, slog.New(slog.NewJSONHandler(&logs, nil)))
		if tr == nil || !reflect.DeepEqual(tr.Settings(), fnenv.PreToken{}) || !strings.Contains(logs.String(), want) {
			t.Errorf("newTrigger with %q = %+v, logs %s; want no settings and a log with %q", v, tr, logs.String(), want)
		}
	}
}
