// Command proxy is the API's proxy function. It only wires: what the API stack hands it comes
// from the environment through fnenv.ReadProxy, the logic lives in package handler.
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/lambda/proxy/handler"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	h, err := newHandler(os.Getenv, logger)
	if err != nil {
		logger.Error("proxy: bad configuration", "error", err.Error())
		os.Exit(1)
	}
	lambda.Start(h.Handle)
}

// newHandler builds the handler from the environment read through getenv.
func newHandler(getenv func(string) string, logger *slog.Logger) (*handler.Handler, error) {
	cfg, err := fnenv.ReadProxy(getenv)
	if err != nil {
		return nil, err
	}
	return handler.New(cfg, &handler.Options{Logger: logger})
}
