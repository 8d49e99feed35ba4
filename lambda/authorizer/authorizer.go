package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/apigwclaims"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
	"github.com/cognito-apigw/cognito-apigw/internal/verifier"
	"github.com/cognito-apigw/cognito-apigw/lambda/authorizer/policy"
)

var (
	// errUnauthorized is the one error API Gateway turns into 401 Unauthorized. Its text must
	// stay exactly this, and no reason may be added: clients learn nothing about why.
	errUnauthorized = errors.New("Unauthorized")
	// errInternal is any other error: API Gateway answers 500, which is right when the fault
	// is ours (Cognito's keys out of reach, an unexpected method ARN), not the caller's.
	errInternal = errors.New("authorizer failed")
)

// maxResponseSize is the Lambda authorizer response size in API Gateway's quotas (8 KB).
const maxResponseSize = 8 << 10

// authorizer is the TOKEN authorizer: it verifies the bearer token and answers with the policy
// the route table gives that kind of token, and the token's claims as context.
type authorizer struct {
	tokens   *verifier.Verifier
	policies *policy.Builder
	clients  map[string]string // app client id -> name, as routes name clients
	log      *slog.Logger
}

func (a *authorizer) handle(ctx context.Context, req events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
	var none events.APIGatewayCustomAuthorizerResponse
	stage, err := policy.StageARN(req.MethodArn)
	if err != nil {
		a.log.ErrorContext(ctx, "unexpected authorizer request", "type", req.Type, "reason", err.Error())
		return none, errInternal
	}
	// The token is never logged: the verifier's errors do not quote it either.
	token, ok := verifier.TokenFromAuthorizationHeader(req.AuthorizationToken)
	if !ok {
		a.log.WarnContext(ctx, "token refused", "method_arn", req.MethodArn, "reason", "no bearer token")
		return none, errUnauthorized
	}
	c, err := a.tokens.VerifyAny(ctx, token)
	if errors.Is(err, verifier.ErrJWKSUnavailable) {
		a.log.ErrorContext(ctx, "cannot verify token", "method_arn", req.MethodArn, "reason", err.Error())
		return none, errInternal
	}
	if err != nil {
		a.log.WarnContext(ctx, "token refused", "method_arn", req.MethodArn, "reason", err.Error())
		return none, errUnauthorized
	}

	rules := a.policies.Rules(routes.Caller{TokenUse: string(c.TokenUse), Client: a.clients[c.ClientID], Scopes: c.Scopes, Groups: c.Groups})
	claims := apigwclaims.Encode(c.Raw)
	// The same string map the Cognito authorizer gives, so the proxy handler reads it alike.
	authContext := make(map[string]any, len(claims))
	for k, v := range claims {
		authContext[k] = v
	}
	resp := events.APIGatewayCustomAuthorizerResponse{
		PrincipalID:    c.Subject,
		PolicyDocument: rules.Document(stage),
		Context:        authContext,
	}

	attrs := []any{"method_arn", req.MethodArn, "sub", c.Subject, "client_id", c.ClientID, "token_use", string(c.TokenUse)}
	if len(rules.Unenforced) > 0 {
		// The policy lets these through; the proxy handler refuses them.
		attrs = append(attrs, "left_to_handler", rules.Unenforced)
	}
	a.log.InfoContext(ctx, "token accepted", attrs...)
	if b, err := json.Marshal(resp); err == nil && len(b) > maxResponseSize {
		a.log.WarnContext(ctx, "authorizer response over the 8 KB quota", "bytes", len(b), "sub", c.Subject)
	}
	return resp, nil
}
