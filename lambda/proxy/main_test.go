package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

func TestNewHandlerFromEnv(t *testing.T) {
	// What the API stack writes, through the same contract.
	env := fnenv.Proxy{
		Routes: routes.Table{
			{Method: "GET", Path: "/health", Access: routes.Public},
			{Method: "GET", Path: "/me", Access: routes.Protected},
		},
		Clients:    fnenv.Clients{Web: []string{"abc"}},
		ItemsTable: "demo-api-dev-api-ItemsTable5AAC2C46-1X2Y3Z",
	}.Env(strings.Join)
	// What Lambda adds to every function's environment.
	env["AWS_REGION"] = "eu-west-1"
	env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"], env["AWS_SESSION_TOKEN"] = "ASIAEXAMPLE", "secret", "token"
	tests := []struct {
		name    string
		env     map[string]string
		wantErr []string
	}{
		{"ok", env, nil},
		{"ok with spaces and origins", testkit.Env(env, fnenv.EnvAllowedClientIDs, " abc , def,", fnenv.EnvAllowedOrigins, "https://app.example.com, *"), nil},
		{"ok with a machine client", testkit.Env(env, fnenv.EnvMachineClients, "reporting=ghi"), nil},
		{"nothing set", map[string]string{}, []string{"ROUTE_TABLE is not set", "ALLOWED_CLIENT_IDS is not set", "ITEMS_TABLE is not set", "AWS_REGION is not set"}},
		{"no Region", testkit.Env(env, "AWS_REGION", ""), []string{"AWS_REGION is not set"}},
		{"bad table name", testkit.Env(env, fnenv.EnvItemsTable, "items table"), []string{`ITEMS_TABLE: got "items table"`}},
		{"bad table", testkit.Env(env, fnenv.EnvRouteTable, "{"), []string{"ROUTE_TABLE: unexpected end of JSON input"}},
		{"bad origin", testkit.Env(env, fnenv.EnvAllowedOrigins, "app.example.com"), []string{`ALLOWED_ORIGINS: got "app.example.com"`}},
		// The handler's own check, after the environment's.
		{"public route whose endpoint needs a caller", testkit.Env(env, fnenv.EnvRouteTable, `[{"method":"GET","path":"/me","access":"public"}]`), []string{"GET /me is public"}},
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

// The client signs with the role's credentials from the environment, for the function's Region.
func TestDynamoDBClientFromEnv(t *testing.T) {
	got := make(chan http.Header, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Clone()
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	env := map[string]string{"AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token"}
	db, err := newDynamoDB(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String("items"), Key: map[string]types.AttributeValue{"owner": &types.AttributeValueMemberS{Value: "x"}}}, func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
	}); err != nil {
		t.Fatal(err)
	}
	h := <-got
	if auth := h.Get("Authorization"); !strings.Contains(auth, "Credential=ASIAEXAMPLE/") || !strings.Contains(auth, "/eu-west-1/dynamodb/aws4_request") {
		t.Errorf("Authorization = %q; want the environment's key, Region and service", auth)
	}
	if tok := h.Get("X-Amz-Security-Token"); tok != "token" {
		t.Errorf("X-Amz-Security-Token = %q, want the session token", tok)
	}
}
