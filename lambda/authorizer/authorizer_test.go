package main

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/golang-jwt/jwt/v5"

	"github.com/cognito-apigw/cognito-apigw/internal/apigwclaims"
	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
	"github.com/cognito-apigw/cognito-apigw/lambda/proxy/handler"
)

var javaDate = regexp.MustCompile(`^[A-Z][a-z]{2} [A-Z][a-z]{2} [0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} UTC [0-9]{4}$`)

var update = flag.Bool("update", false, "rewrite the golden policies in testdata")

// TestRefusals: every bad token gets exactly errors.New("Unauthorized") (API Gateway's 401)
// and an empty response, and the logs never hold the token.
func TestRefusals(t *testing.T) {
	f := newFixture(t)
	is := f.is
	now := time.Now().Unix()
	good := is.Mint(t, is.IDClaims())
	p := strings.Split(good, ".")
	hs256, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims(is.IDClaims())).SignedString([]byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"no header":                "",
		"scheme only":              "Bearer",
		"scheme and space":         "Bearer ",
		"basic auth":               "Basic YWxpY2U6c2VjcmV0",
		"not a JWT":                "Bearer not-a-jwt",
		"two tokens":               "Bearer " + good + " " + good,
		"junk segments":            "Bearer a.b.c",
		"unsigned":                 "Bearer " + p[0] + "." + p[1] + ".",
		"signature of another":     "Bearer " + p[0] + "." + p[1] + "." + strings.Split(is.Mint(t, is.AccessClaims()), ".")[2],
		"HS256":                    "Bearer " + hs256,
		"another key, pool kid":    "Bearer " + is.Forge(t, testkit.Kid, is.IDClaims()),
		"another key, unknown kid": "Bearer " + is.Forge(t, "attacker-kid", is.IDClaims()),
		"expired ID token":         "Bearer " + is.Mint(t, is.IDClaims("exp", now-1)),
		"expired access token":     "Bearer " + is.Mint(t, is.AccessClaims("exp", now-1)),
		"not yet valid":            "Bearer " + is.Mint(t, is.IDClaims("nbf", now+3600)),
		"ID token, other client":   "Bearer " + is.Mint(t, is.IDClaims("aud", otherClient)),
		"access, other client":     "Bearer " + is.Mint(t, is.AccessClaims("client_id", otherClient)),
		"other issuer":             "Bearer " + is.Mint(t, is.IDClaims("iss", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other")),
		"refresh token use":        "Bearer " + is.Mint(t, is.IDClaims("token_use", "refresh")),
		"no token use":             "Bearer " + is.Mint(t, is.IDClaims("token_use", testkit.Absent)),
		"no sub":                   "Bearer " + is.Mint(t, is.AccessClaims("sub", testkit.Absent)),
		"groups not a list":        "Bearer " + is.Mint(t, is.IDClaims("cognito:groups", 7)),
		"too large":                "Bearer " + is.Mint(t, is.IDClaims("pad", strings.Repeat("x", 9000))),
	}
	for name, header := range tests {
		t.Run(name, func(t *testing.T) {
			resp, err := f.a.handle(context.Background(), events.APIGatewayCustomAuthorizerRequest{
				Type: "TOKEN", AuthorizationToken: header, MethodArn: stage + "GET/me",
			})
			if err == nil || err.Error() != "Unauthorized" {
				t.Fatalf("err = %v, want exactly Unauthorized", err)
			}
			if !reflect.DeepEqual(resp, events.APIGatewayCustomAuthorizerResponse{}) {
				t.Errorf("response %+v, want none", resp)
			}
		})
	}
	logs := f.logs.String()
	for name, header := range tests {
		for _, part := range strings.Split(strings.TrimPrefix(header, "Bearer "), ".") {
			if len(part) > 16 && strings.Contains(logs, part) {
				t.Errorf("%s: logs hold part of the token", name)
			}
		}
	}
	if n := strings.Count(logs, `"msg":"token refused"`); n != len(tests) {
		t.Errorf("%d refusals logged, want %d:\n%s", n, len(tests), logs)
	}
}

// TestInternalErrors: faults that are not the caller's get an error other than Unauthorized,
// which API Gateway answers with 500.
func TestInternalErrors(t *testing.T) {
	f := newFixture(t)
	is := f.is
	good := "Bearer " + is.Mint(t, is.IDClaims())
	for _, arn := range []string{"", "arn:aws:execute-api:us-east-1:123456789012:k3x9w2v7q1/*/GET/me", "GET /me"} {
		_, err := f.a.handle(context.Background(), events.APIGatewayCustomAuthorizerRequest{
			Type: "TOKEN", AuthorizationToken: good, MethodArn: arn,
		})
		if err == nil || err.Error() == "Unauthorized" {
			t.Errorf("method ARN %q: err = %v, want an internal error", arn, err)
		}
	}

	// A key rotation while Cognito's JWKS is out of reach: the new kid cannot be checked.
	is.SetDown(true)
	rotated := "Bearer " + is.Forge(t, "rotated-kid", is.IDClaims())
	_, err := f.a.handle(context.Background(), events.APIGatewayCustomAuthorizerRequest{
		Type: "TOKEN", AuthorizationToken: rotated, MethodArn: stage + "GET/me",
	})
	if err == nil || err.Error() == "Unauthorized" || !strings.Contains(f.logs.String(), `"msg":"cannot verify token"`) {
		t.Errorf("JWKS down: err = %v, want an internal error, logged", err)
	}
	// Tokens signed with the keys already loaded still pass.
	if _, err := f.a.handle(context.Background(), events.APIGatewayCustomAuthorizerRequest{
		Type: "TOKEN", AuthorizationToken: good, MethodArn: stage + "GET/me",
	}); err != nil {
		t.Errorf("known key with JWKS down: %v", err)
	}
}

// TestAccepts checks the policy (against golden files in testdata), the principal and the
// context for good tokens, then hands the context to the proxy handler as API Gateway would.
func TestAccepts(t *testing.T) {
	f := newFixture(t)
	is := f.is
	tests := []struct {
		name    string
		request string
		header  string // replaces the request's Authorization value when set
		token   string
		golden  string
		context map[string]string
		// call is a request the proxy handler then answers with want, given this context.
		call string
		want int
	}{
		{
			name: "ID token in admin", request: "token-get-me", token: is.Mint(t, is.IDClaims()),
			golden: "policy-id-token-admin",
			context: map[string]string{
				"sub": alice, "token_use": "id", "aud": client, "cognito:groups": "admin,users",
				"email_verified": "true", "cognito:username": "alice", "email": "alice@example.com",
			},
			call: "GET /admin", want: http.StatusOK,
		},
		{
			name: "ID token in no group", request: "token-get-me", token: is.Mint(t, is.IDClaims("cognito:groups", testkit.Absent)),
			golden:  "policy-id-token",
			context: map[string]string{"sub": alice, "token_use": "id", "aud": client},
			call:    "GET /me", want: http.StatusOK,
		},
		{
			name: "bare ID token", request: "token-get-me", header: is.Mint(t, is.IDClaims()),
			golden: "policy-id-token-admin",
			call:   "GET /me", want: http.StatusOK,
		},
		{
			name: "access token, read", request: "token-get-me", token: is.Mint(t, is.AccessClaims()),
			golden: "policy-access-read",
			context: map[string]string{
				"sub": alice, "token_use": "access", "client_id": client, "scope": "openid demo-api/read",
				"username": "alice", "cognito:groups": "admin", "version": "2",
			},
			call: "GET /items", want: http.StatusOK,
		},
		{
			// The policy does not depend on the method called: API Gateway reuses it.
			name: "access token, read, calling POST", request: "token-post-items", token: is.Mint(t, is.AccessClaims()),
			golden: "policy-access-read",
		},
		{
			name: "access token, write", request: "token-post-items", token: is.Mint(t, is.AccessClaims("scope", "demo-api/write")),
			golden: "policy-access-write",
			call:   "POST /items", want: http.StatusCreated,
		},
		{
			name: "access token, read and write", request: "token-post-items",
			token:  is.Mint(t, is.AccessClaims("scope", "demo-api/write openid demo-api/read")),
			golden: "policy-access-read-write",
			call:   "GET /items", want: http.StatusOK,
		},
		{
			// Valid, but no route takes it: Deny "*", which API Gateway answers with 403.
			name: "access token, no API scope", request: "token-get-me", token: is.Mint(t, is.AccessClaims("scope", "openid email")),
			golden: "policy-access-no-scope",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := loadRequest(t, tt.request, tt.token)
			if tt.header != "" {
				req.AuthorizationToken = tt.header
			}
			resp, err := f.a.handle(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.PrincipalID != alice {
				t.Errorf("principal %q, want the sub", resp.PrincipalID)
			}
			checkGolden(t, tt.golden, resp.PolicyDocument)
			for k, want := range tt.context {
				if got := resp.Context[k]; got != want {
					t.Errorf("context[%q] = %#v, want %q", k, got, want)
				}
			}
			for k, v := range resp.Context {
				if _, ok := v.(string); !ok {
					t.Errorf("context[%q] = %#v: API Gateway's Cognito authorizer gives strings", k, v)
				}
			}
			// exp and iat as Java's Date.toString(), as the Cognito authorizer writes them.
			for _, k := range []string{"exp", "iat"} {
				if v, _ := resp.Context[k].(string); !javaDate.MatchString(v) {
					t.Errorf("context %s = %q, want a date such as Sun Nov 22 10:00:00 UTC 2026", k, v)
				}
			}
			if len(resp.Context) < 10 {
				t.Errorf("context has %d claims, want them all", len(resp.Context))
			}
			if b, _ := json.Marshal(resp); len(b) > maxResponseSize/2 {
				t.Errorf("response is %d bytes", len(b))
			}
			if tt.call != "" {
				checkProxy(t, resp, tt.call, tt.want)
			}
		})
	}
}

// checkProxy hands the authorizer's answer to the proxy handler the way API Gateway does
// (context keys beside principalId and integrationLatency) and checks its reply.
func checkProxy(t *testing.T, resp events.APIGatewayCustomAuthorizerResponse, call string, want int) {
	t.Helper()
	authorizer := map[string]any{"principalId": resp.PrincipalID, "integrationLatency": 212}
	for k, v := range resp.Context {
		authorizer[k] = v
	}
	c, err := apigwclaims.FromAuthorizer(authorizer)
	if err != nil {
		t.Fatalf("claims from the authorizer context: %v", err)
	}
	if c.Subject != alice || c.ClientID != client || c.ExpiresAt.Before(time.Now()) {
		t.Errorf("claims %+v", c)
	}
	h, err := handler.New(fnenv.Proxy{Routes: sampleTable, Clients: fnenv.Clients{Web: []string{client}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	method, path, _ := strings.Cut(call, " ")
	ev := events.APIGatewayProxyRequest{
		Resource: path, Path: path, HTTPMethod: method,
		RequestContext: events.APIGatewayProxyRequestContext{Authorizer: authorizer, Stage: "prod", RequestID: "test"},
	}
	if method == http.MethodPost {
		ev.Body = `{"name":"pen"}`
		ev.Headers = map[string]string{"Content-Type": "application/json"}
	}
	got, err := h.Handle(context.Background(), ev)
	if err != nil || got.StatusCode != want {
		t.Errorf("proxy handler %s: %d %s (%v), want %d", call, got.StatusCode, got.Body, err, want)
	}
}

func checkGolden(t *testing.T, name string, doc events.APIGatewayCustomAuthorizerPolicy) {
	t.Helper()
	got, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, filepath.Join("testdata", name+".json"), append(got, '\n'), *update)
}

// TestConcurrentInvocations: one instance serves one invocation at a time in Lambda, but the
// authorizer keeps no per-request state, so it must hold up under -race anyway.
func TestConcurrentInvocations(t *testing.T) {
	f := newFixture(t)
	is := f.is
	tokens := []string{is.Mint(t, is.IDClaims()), is.Mint(t, is.AccessClaims()), "garbage"}
	done := make(chan error)
	for i := range 30 {
		go func() {
			_, err := f.a.handle(context.Background(), events.APIGatewayCustomAuthorizerRequest{
				Type: "TOKEN", AuthorizationToken: "Bearer " + tokens[i%3], MethodArn: stage + "GET/me",
			})
			if (err != nil) != (i%3 == 2) {
				done <- err
				return
			}
			done <- nil
		}()
	}
	for range 30 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
