package main

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

func TestNewHandlerFromEnv(t *testing.T) {
	table, err := routes.Table{
		{Method: "GET", Path: "/health", Access: routes.Public},
		{Method: "GET", Path: "/me", Access: routes.Protected},
	}.Encode()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"ok", map[string]string{routes.EnvRouteTable: table, routes.EnvAllowedClientIDs: " abc , def,"}, ""},
		{"ok with origins", map[string]string{routes.EnvRouteTable: table, routes.EnvAllowedClientIDs: "abc", routes.EnvAllowedOrigins: "https://app.example.com, *"}, ""},
		{"no table", map[string]string{routes.EnvAllowedClientIDs: "abc"}, "ROUTE_TABLE is not set"},
		{"bad table", map[string]string{routes.EnvRouteTable: "{", routes.EnvAllowedClientIDs: "abc"}, "ROUTE_TABLE: route table:"},
		{"no client ids", map[string]string{routes.EnvRouteTable: table, routes.EnvAllowedClientIDs: " , "}, "at least one app client id"},
		{"bad origin", map[string]string{routes.EnvRouteTable: table, routes.EnvAllowedClientIDs: "abc", routes.EnvAllowedOrigins: "app.example.com"}, "allowed origins[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := newHandler(func(k string) string { return tt.env[k] }, slog.New(slog.DiscardHandler))
			if tt.wantErr == "" {
				if err != nil || h == nil {
					t.Fatalf("newHandler: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}
