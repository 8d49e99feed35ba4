// Command lambda is the API's proxy function. It only wires: configuration comes from the
// environment the API stack sets, the logic lives in package handler.
package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/cognito-apigw/cognito-apigw/internal/routes"
	"github.com/cognito-apigw/cognito-apigw/lambda/handler"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	h, err := newHandler(os.Getenv, logger)
	if err != nil {
		logger.Error("lambda: bad configuration", "error", err.Error())
		os.Exit(1)
	}
	lambda.Start(h.Handle)
}

// newHandler builds the handler from environment variables read through getenv.
func newHandler(getenv func(string) string, logger *slog.Logger) (*handler.Handler, error) {
	encoded := getenv(routes.EnvRouteTable)
	if encoded == "" {
		return nil, errors.New(routes.EnvRouteTable + " is not set")
	}
	table, err := routes.Decode(encoded)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", routes.EnvRouteTable, err)
	}
	machine, err := routes.ParseMachineClients(getenv(routes.EnvMachineClients))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", routes.EnvMachineClients, err)
	}
	return handler.New(table, routes.SplitList(getenv(routes.EnvAllowedClientIDs)), &handler.Options{
		AllowedOrigins: routes.SplitList(getenv(routes.EnvAllowedOrigins)), // unset: no CORS header
		MachineClients: machine,
		Logger:         logger,
	})
}
