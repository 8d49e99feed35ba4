package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/apigwclaims"
	"github.com/cognito-apigw/cognito-apigw/internal/cdkjson"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/localapi"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
	"github.com/cognito-apigw/cognito-apigw/internal/verifier"
	"github.com/cognito-apigw/cognito-apigw/lambda/authorizer/policy"
	"github.com/cognito-apigw/cognito-apigw/lambda/proxy/handler"
)

// TestSameVerdictEverywhere runs every route of the dev stage's table against every kind of
// token through the three callers of routes.Route.Decide: the proxy handler behind API
// Gateway's Cognito authorizer, the Lambda token authorizer's policy (with the handler behind
// it), and the local gateway over HTTP. Each must reach the verdict the rule gives.
func TestSameVerdictEverywhere(t *testing.T) {
	cfg, err := cdkjson.Load("../../cdk.json", "dev")
	if err != nil {
		t.Fatal(err)
	}
	// Plus a route only the machine client may call (no Go code behind it: the handler answers
	// 501 once the caller has passed, which counts as allowed here).
	table := append(cfg.Stage.Routes, routes.Route{Method: "GET", Path: "/reports", Access: routes.Scoped,
		Scopes: []string{"demo-api/read"}, Clients: []string{"reporting"}})
	is := testkit.New(t, "us-east-1_Verdicts")
	// A client-credentials token: the machine client's id as sub and client_id, no user.
	const reportingID = "2r8kq4v7m1c5x9z3b6n0p2l4ja"
	clients := fnenv.Clients{Web: []string{testkit.ClientID}, Machine: map[string]string{"reporting": reportingID}}
	clientNames, err := clients.Names()
	if err != nil {
		t.Fatal(err)
	}
	machineToken := func(scope string) map[string]any {
		return is.AccessClaims("sub", reportingID, "client_id", reportingID, "scope", scope,
			"username", testkit.Absent, "cognito:groups", testkit.Absent, "auth_time", testkit.Absent)
	}
	tokens := map[string]map[string]any{
		"no token":               nil,
		"id token":               is.IDClaims("cognito:groups", testkit.Absent),
		"id token, admin group":  is.IDClaims("cognito:groups", []string{"admin"}),
		"id token, other groups": is.IDClaims("cognito:groups", []string{"users", "administrators"}),
		"access token, no scope": is.AccessClaims("scope", "openid email", "cognito:groups", testkit.Absent),
		"access token, read":     is.AccessClaims("scope", "openid demo-api/read", "cognito:groups", testkit.Absent),
		"access token, write":    is.AccessClaims("scope", "demo-api/write", "cognito:groups", testkit.Absent),
		"access token, all, admin": is.AccessClaims("scope", "demo-api/read demo-api/write",
			"cognito:groups", []string{"admin"}),
		"machine token, read":  machineToken("demo-api/read"),
		"machine token, write": machineToken("demo-api/write"),
	}

	h, err := handler.New(fnenv.Proxy{Routes: table, Clients: clients}, &handler.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	policies, err := policy.NewBuilder(table)
	if err != nil {
		t.Fatal(err)
	}
	v, err := verifier.New(context.Background(), verifier.Config{Issuer: is.Issuer(), ClientIDs: clients.IDs()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.Close)
	gw, err := localapi.New(localapi.Options{Routes: table, Verifier: v, Handler: h.Handle, CORS: config.CORS{}, Stage: "dev"})
	if err != nil {
		t.Fatal(err)
	}

	for _, route := range table {
		for name, claims := range tokens {
			t.Run(route.Key()+"/"+name, func(t *testing.T) {
				var token string
				var verified *verifier.Claims
				if claims != nil {
					token = is.Mint(t, claims)
					var err error
					if verified, err = v.VerifyAny(context.Background(), token); err != nil {
						t.Fatal(err)
					}
				}
				caller := routes.Caller{}
				if verified != nil {
					caller = routes.Caller{TokenUse: string(verified.TokenUse), Client: clientNames[verified.ClientID], Scopes: verified.Scopes, Groups: verified.Groups}
				}
				want := route.Decide(caller)
				request := route.Method + route.Path

				// 1. API Gateway's Cognito authorizer passes the claims of the token the method
				// takes (and refuses the rest with 401); the handler decides the rest.
				if want != routes.DeniedWrongTokenUse && want != routes.DeniedInsufficientScope {
					var authorizer map[string]any
					if verified != nil {
						authorizer = map[string]any{"claims": asAny(apigwclaims.Encode(verified.Raw))}
					}
					if got := handlerVerdict(t, h, route, authorizer); got != want {
						t.Errorf("proxy handler: %q, want %q", got, want)
					}
				}

				// 2. The token authorizer's policy, then the handler with its context. Public
				// methods have no authorizer.
				if verified != nil && route.Access != routes.Public {
					rules := policies.Rules(caller)
					got := routes.Allowed
					if !rules.Allows(request) {
						got = "policy denies"
					} else {
						got = handlerVerdict(t, h, route, asAny(apigwclaims.Encode(verified.Raw)))
					}
					if (got == routes.Allowed) != (want == routes.Allowed) {
						t.Errorf("token authorizer: %q, want %q", got, want)
					}
					if got != routes.Allowed && got != "policy denies" && !slices.Contains(rules.Unenforced, route.Key()) && got != want {
						t.Errorf("token authorizer: handler says %q, want %q", got, want)
					}
				}

				// 3. The local gateway over HTTP, in front of the same handler.
				srv := httptest.NewServer(gw)
				defer srv.Close()
				req, _ := http.NewRequest(route.Method, srv.URL+route.Path, strings.NewReader(`{"name":"Buy milk"}`))
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				resp, err := srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				var body struct {
					Message string
					Error   struct{ Code string }
				}
				json.NewDecoder(resp.Body).Decode(&body)
				got := routes.Verdict(body.Error.Code)
				if got == "not_implemented" {
					got = routes.Allowed
				}
				if body.Message == "Unauthorized" {
					got = "gateway 401"
				}
				wantLocal := want
				switch want {
				case routes.DeniedUnauthenticated, routes.DeniedWrongTokenUse, routes.DeniedInsufficientScope:
					wantLocal = "gateway 401" // API Gateway's Cognito authorizer answers these itself
				}
				if got != wantLocal || (want == routes.Allowed) != (resp.StatusCode < 300 || resp.StatusCode == http.StatusNotImplemented) {
					t.Errorf("local gateway: %d %q, want %q", resp.StatusCode, got, wantLocal)
				}
			})
		}
	}
}

// handlerVerdict calls the handler with an authorizer context and returns its verdict: Allowed
// for a 2xx reply, else the error code.
func handlerVerdict(t *testing.T, h *handler.Handler, route routes.Route, authorizer map[string]any) routes.Verdict {
	t.Helper()
	ev := events.APIGatewayProxyRequest{
		HTTPMethod: route.Method, Resource: route.Path, Path: route.Path,
		Body:           base64.StdEncoding.EncodeToString([]byte(`{"name":"Buy milk"}`)),
		RequestContext: events.APIGatewayProxyRequestContext{Authorizer: authorizer, RequestID: "verdict"},
	}
	ev.IsBase64Encoded = true
	resp, err := h.Handle(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode < 300 || resp.StatusCode == http.StatusNotImplemented {
		return routes.Allowed
	}
	var body struct{ Error struct{ Code string } }
	if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
		t.Fatal(err)
	}
	return routes.Verdict(body.Error.Code)
}

func asAny(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
