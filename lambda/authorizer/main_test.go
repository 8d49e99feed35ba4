package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

func TestNewAuthorizerFromEnv(t *testing.T) {
	f := newFixture(t) // serves the JWKS
	badTable := fnenv.EncodeRoutes(routes.Table{{Method: "GET", Path: "/items", Access: routes.Scoped}})
	// What the API stack writes, through the same contract.
	good := fnenv.Authorizer{Issuer: f.is.Issuer(), Routes: sampleTable, Clients: fnenv.Clients{Web: []string{client, "other"}}}.Env(strings.Join)
	tests := []struct {
		name    string
		env     map[string]string
		wantErr []string
	}{
		{"ok", good, nil},
		{"ok with spaces and a machine client", testkit.Env(good, fnenv.EnvAllowedClientIDs, " "+client+" , other,", fnenv.EnvMachineClients, "reporting=m1"), nil},
		{"nothing set", map[string]string{}, []string{"COGNITO_ISSUER is not set", "ALLOWED_CLIENT_IDS is not set", "ROUTE_TABLE is not set"}},
		{"blank client ids", testkit.Env(good, fnenv.EnvAllowedClientIDs, " , "), []string{"ALLOWED_CLIENT_IDS is not set"}},
		{"table not JSON", testkit.Env(good, fnenv.EnvRouteTable, "{"), []string{"ROUTE_TABLE: unexpected end of JSON input"}},
		{"table with problems", testkit.Env(good, fnenv.EnvRouteTable, badTable), []string{"ROUTE_TABLE: routes[0].scopes"}},
		{"machine client under a web client's id", testkit.Env(good, fnenv.EnvMachineClients, "reporting=other"), []string{"MACHINE_CLIENTS: app client other is both"}},
		{"issuer not https", testkit.Env(good, fnenv.EnvIssuer, "http://cognito-idp.us-east-1.amazonaws.com/us-east-1_X"), []string{"must use https"}},
		{"JWKS out of reach", testkit.Env(good, fnenv.EnvIssuer, f.is.Issuer()+"x"), []string{"JWKS unavailable"}},
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
			if lines := strings.Count(err.Error(), "\n") + 1; lines != len(tt.wantErr) {
				t.Errorf("%d lines, want one per problem (%d):\n%v", lines, len(tt.wantErr), err)
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err = %v, want it to mention %q", err, want)
				}
			}
		})
	}
}
