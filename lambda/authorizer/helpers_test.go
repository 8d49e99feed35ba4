package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
	"github.com/cognito-apigw/cognito-apigw/internal/verifier"
	"github.com/cognito-apigw/cognito-apigw/lambda/authorizer/policy"
)

const (
	pool        = "us-east-1_AuthzTest1"
	client      = testkit.ClientID
	otherClient = testkit.OtherClientID
	alice       = testkit.Subject
	stage       = "arn:aws:execute-api:us-east-1:123456789012:k3x9w2v7q1/prod/"
)

// sampleTable is the sample app's route table.
var sampleTable = testkit.SampleRoutes()

// fixture is an authorizer over the sample table, for a pool whose JWKS an httptest server serves.
type fixture struct {
	is   *testkit.Issuer
	a    *authorizer
	logs *testkit.SyncBuffer
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{is: testkit.New(t, pool), logs: &testkit.SyncBuffer{}}

	// newAuthorizer would do the same from the environment; a long refetch interval keeps
	// forged kids (the fuzz target makes many) from hitting the server.
	v, err := verifier.New(context.Background(), verifier.Config{
		Issuer: f.is.Issuer(), ClientIDs: []string{client}, RefetchInterval: time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.Close)
	b, err := policy.NewBuilder(sampleTable)
	if err != nil {
		t.Fatal(err)
	}
	names, err := fnenv.Clients{Web: []string{client}}.Names()
	if err != nil {
		t.Fatal(err)
	}
	f.a = &authorizer{tokens: v, policies: b, clients: names, log: slog.New(slog.NewJSONHandler(f.logs, nil))}
	return f
}

// loadRequest reads a TOKEN event from testdata, with token in place of {{token}}.
func loadRequest(t testing.TB, name, token string) events.APIGatewayCustomAuthorizerRequest {
	t.Helper()
	b := testkit.ReadFile(t, filepath.Join("testdata", name+".json"))
	var req events.APIGatewayCustomAuthorizerRequest
	if err := json.Unmarshal(bytes.ReplaceAll(b, []byte("{{token}}"), []byte(token)), &req); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if req.Type != "TOKEN" || !strings.HasPrefix(req.MethodArn, stage) {
		t.Fatalf("%s: not a TOKEN event for the test stage: %+v", name, req)
	}
	return req
}
