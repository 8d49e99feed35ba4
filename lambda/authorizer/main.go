// Command authorizer is the API's Lambda TOKEN authorizer, used when a stage sets
// authorizer: "lambda". It only wires: what the API stack hands it comes from the environment
// through fnenv.ReadAuthorizer, the policy logic lives in package policy and the token checks
// in internal/verifier.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/verifier"
	"github.com/cognito-apigw/cognito-apigw/lambda/authorizer/policy"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	// The verifier loads the pool's keys now, once per cold start, and keeps them (refreshed
	// in the background) for every invocation of this instance.
	a, err := newAuthorizer(context.Background(), os.Getenv, logger)
	if err != nil {
		logger.Error("authorizer: bad configuration", "error", err.Error())
		os.Exit(1)
	}
	lambda.Start(a.handle)
}

// newAuthorizer builds the authorizer from the environment read through getenv. It reports
// every missing or bad variable at once, then fails if the JWKS cannot be loaded.
func newAuthorizer(ctx context.Context, getenv func(string) string, logger *slog.Logger) (*authorizer, error) {
	cfg, err := fnenv.ReadAuthorizer(getenv)
	if err != nil {
		return nil, err
	}
	// ReadAuthorizer has checked the table and the client names; these cannot fail now, but
	// they stay checked rather than trusted.
	policies, err := policy.NewBuilder(cfg.Routes)
	if err != nil {
		return nil, err
	}
	names, err := cfg.Clients.Names()
	if err != nil {
		return nil, err
	}
	tokens, err := verifier.New(ctx, verifier.Config{Issuer: cfg.Issuer, ClientIDs: cfg.Clients.IDs(), Logger: logger})
	if err != nil {
		return nil, err
	}
	return &authorizer{tokens: tokens, policies: policies, clients: names, log: logger}, nil
}
