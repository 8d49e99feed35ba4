package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

func TestNewAuthorizerFromEnv(t *testing.T) {
	f := newFixture(t) // serves the JWKS
	table, err := sampleTable.Encode()
	if err != nil {
		t.Fatal(err)
	}
	badTable, _ := routes.Table{{Method: "GET", Path: "/items", Access: routes.Scoped}}.Encode()
	env := func(kv ...string) map[string]string {
		m := map[string]string{routes.EnvIssuer: f.is.Issuer(), routes.EnvAllowedClientIDs: " " + client + " , other,", routes.EnvRouteTable: table}
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
		{"ok", env(), nil},
		{"nothing set", map[string]string{}, []string{"COGNITO_ISSUER is not set", "ALLOWED_CLIENT_IDS is not set", "ROUTE_TABLE is not set"}},
		{"blank client ids", env(routes.EnvAllowedClientIDs, " , "), []string{"ALLOWED_CLIENT_IDS is not set"}},
		{"table not JSON", env(routes.EnvRouteTable, "{"), []string{"ROUTE_TABLE: route table:"}},
		{"table with problems", env(routes.EnvRouteTable, badTable), []string{"ROUTE_TABLE: routes[0].scopes"}},
		{"issuer not https", env(routes.EnvIssuer, "http://cognito-idp.us-east-1.amazonaws.com/us-east-1_X"), []string{"must use https"}},
		{"JWKS out of reach", env(routes.EnvIssuer, f.is.Issuer()+"x"), []string{"JWKS unavailable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := newAuthorizer(context.Background(), func(k string) string { return tt.env[k] }, slog.New(slog.DiscardHandler))
			if tt.wantErr == nil {
				if err != nil || a == nil {
					t.Fatalf("newAuthorizer: %v", err)
				}
				a.tokens.Close()
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.wantErr)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines, want one log line: %q", err)
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err = %v, want it to mention %q", err, want)
				}
			}
		})
	}
}
