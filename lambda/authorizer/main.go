// Command authorizer is the API's Lambda TOKEN authorizer, used when a stage sets
// authorizer: "lambda". It only wires: configuration comes from the environment the API stack
// sets, the policy logic lives in package policy and the token checks in internal/verifier.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/cognito-apigw/cognito-apigw/internal/routes"
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

// newAuthorizer builds the authorizer from environment variables read through getenv. It
// reports every missing or bad variable at once, then fails if the JWKS cannot be loaded.
func newAuthorizer(ctx context.Context, getenv func(string) string, logger *slog.Logger) (*authorizer, error) {
	var problems []string
	issuer := getenv(routes.EnvIssuer)
	if issuer == "" {
		problems = append(problems, routes.EnvIssuer+" is not set")
	}
	clients := routes.SplitList(getenv(routes.EnvAllowedClientIDs))
	if len(clients) == 0 {
		problems = append(problems, routes.EnvAllowedClientIDs+" is not set")
	}
	machine, err := routes.ParseMachineClients(getenv(routes.EnvMachineClients))
	if err != nil {
		problems = append(problems, fmt.Sprintf("%s: %v", routes.EnvMachineClients, err))
	}
	names, err := routes.ClientNames(clients, machine)
	if err != nil {
		problems = append(problems, fmt.Sprintf("%s: %v", routes.EnvMachineClients, err))
	}
	var policies *policy.Builder
	if encoded := getenv(routes.EnvRouteTable); encoded == "" {
		problems = append(problems, routes.EnvRouteTable+" is not set")
	} else if table, err := routes.Decode(encoded); err != nil {
		problems = append(problems, fmt.Sprintf("%s: %v", routes.EnvRouteTable, err))
	} else if policies, err = policy.NewBuilder(table); err != nil {
		problems = append(problems, fmt.Sprintf("%s: %s", routes.EnvRouteTable, strings.ReplaceAll(err.Error(), "\n", "; ")))
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "; "))
	}
	tokens, err := verifier.New(ctx, verifier.Config{Issuer: issuer, ClientIDs: slices.Collect(maps.Keys(names)), Logger: logger})
	if err != nil {
		return nil, err
	}
	return &authorizer{tokens: tokens, policies: policies, clients: names, log: logger}, nil
}
