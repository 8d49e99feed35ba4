package main

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

func TestNewHandlerFromEnv(t *testing.T) {
	// What the API stack writes, through the same contract.
	env := fnenv.Proxy{
		Routes: routes.Table{
			{Method: "GET", Path: "/health", Access: routes.Public},
			{Method: "GET", Path: "/me", Access: routes.Protected},
		},
		Clients: fnenv.Clients{Web: []string{"abc"}},
	}.Env(strings.Join)
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range env {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name    string
		env     map[string]string
		wantErr []string
	}{
		{"ok", env, nil},
		{"ok with spaces and origins", with(fnenv.EnvAllowedClientIDs, " abc , def,", fnenv.EnvAllowedOrigins, "https://app.example.com, *"), nil},
		{"ok with a machine client", with(fnenv.EnvMachineClients, "reporting=ghi"), nil},
		{"nothing set", map[string]string{}, []string{"ROUTE_TABLE is not set", "ALLOWED_CLIENT_IDS is not set"}},
		{"bad table", with(fnenv.EnvRouteTable, "{"), []string{"ROUTE_TABLE: unexpected end of JSON input"}},
		{"bad origin", with(fnenv.EnvAllowedOrigins, "app.example.com"), []string{`ALLOWED_ORIGINS: got "app.example.com"`}},
		// The handler's own check, after the environment's.
		{"public route whose endpoint needs a caller", with(fnenv.EnvRouteTable, `[{"method":"GET","path":"/me","access":"public"}]`), []string{"GET /me is public"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := newHandler(func(k string) string { return tt.env[k] }, slog.New(slog.DiscardHandler))
			if tt.wantErr == nil {
				if err != nil || h == nil {
					t.Fatalf("newHandler: %v", err)
				}
				return
			}
			if err == nil || h != nil {
				t.Fatalf("newHandler = %v, %v; want an error", h, err)
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err = %v, want it to mention %q", err, want)
				}
			}
		})
	}
}
