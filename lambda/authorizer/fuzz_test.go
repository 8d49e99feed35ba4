package main

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
	"github.com/cognito-apigw/cognito-apigw/internal/verifier"
	"github.com/cognito-apigw/cognito-apigw/lambda/authorizer/policy"
)

// FuzzHandle feeds the authorizer arbitrary Authorization values and method ARNs. It must
// never panic, must refuse with exactly "Unauthorized" or fail with the internal error, and
// must answer with a policy only for a token the test signed and a well-formed method ARN,
// scoped to that ARN's stage.
func FuzzHandle(f *testing.F) {
	fx := newFixture(f)
	valid := map[string]bool{}
	for _, claims := range []map[string]any{
		fx.is.IDClaims(), fx.is.IDClaims("cognito:groups", testkit.Absent), fx.is.AccessClaims(),
		fx.is.AccessClaims("scope", "demo-api/write demo-api/read"), fx.is.AccessClaims("scope", "openid"),
	} {
		tok := fx.is.Mint(f, claims)
		valid[tok] = true
		f.Add("Bearer "+tok, stage+"GET/me")
		f.Add(tok, stage+"POST/items")
	}
	expired := fx.is.Mint(f, fx.is.IDClaims("exp", 1))
	f.Add("Bearer "+expired, stage+"GET/me")
	f.Add("Bearer "+fx.is.Forge(f, testkit.Kid, fx.is.IDClaims()), stage+"GET/")
	f.Add("Bearer a.b.c", stage+"GET/me")
	f.Add("", "")
	f.Add("bearer  x", "arn:aws:execute-api:us-east-1:123456789012:k3x9w2v7q1/*/GET/")
	f.Add("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "arn:aws:execute-api:us-east-1:123456789012:a/b/GET/x/{y}")

	f.Fuzz(func(t *testing.T, header, methodArn string) {
		resp, err := fx.a.handle(context.Background(), events.APIGatewayCustomAuthorizerRequest{
			Type: "TOKEN", AuthorizationToken: header, MethodArn: methodArn,
		})
		if err != nil {
			if err != errUnauthorized && err != errInternal {
				t.Fatalf("error %q", err)
			}
			if resp.PrincipalID != "" || len(resp.PolicyDocument.Statement) > 0 || resp.Context != nil {
				t.Fatalf("response with an error: %+v", resp)
			}
			return
		}
		token, _ := verifier.TokenFromAuthorizationHeader(header)
		if !valid[token] {
			t.Fatalf("policy for a token the test did not sign: %q", header)
		}
		prefix, perr := policy.StageARN(methodArn)
		if perr != nil {
			t.Fatalf("policy for a bad method ARN %q", methodArn)
		}
		if resp.PrincipalID != alice || len(resp.PolicyDocument.Statement) == 0 {
			t.Fatalf("response %+v", resp)
		}
		for _, st := range resp.PolicyDocument.Statement {
			for _, r := range st.Resource {
				if !strings.HasPrefix(r, prefix) || strings.ContainsAny(r[len(prefix):], "{}?") {
					t.Fatalf("resource %q outside stage %q", r, prefix)
				}
			}
		}
	})
}
