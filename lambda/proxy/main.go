// Command proxy is the API's proxy function. It only wires: what the API stack hands it comes
// from the environment through fnenv.ReadProxy, the logic lives in package handler.
package main

import (
	"context"
	"errors"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

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
	db, dbErr := newDynamoDB(getenv)
	if err := errors.Join(err, dbErr); err != nil {
		return nil, err
	}
	return handler.New(cfg, &handler.Options{Logger: logger, DynamoDB: db})
}

// newDynamoDB is the items table's client, made from what Lambda puts in every function's
// environment: the Region and the execution role's credentials, which last as long as the
// execution environment (the SDK's default chain reads the same variables first, once). It
// does without the SDK's config package, which would link shared config files, SSO, STS and
// the instance metadata client too, none of which a function uses: BENCHMARKS.md has the
// bootstrap's size with and without it.
func newDynamoDB(getenv func(string) string) (*dynamodb.Client, error) {
	region := getenv("AWS_REGION")
	if region == "" {
		return nil, errors.New("AWS_REGION is not set; Lambda sets it in every function's environment")
	}
	creds := aws.Credentials{
		AccessKeyID:     getenv("AWS_ACCESS_KEY_ID"),
		SecretAccessKey: getenv("AWS_SECRET_ACCESS_KEY"),
		SessionToken:    getenv("AWS_SESSION_TOKEN"),
		Source:          "Lambda execution environment",
	}
	return dynamodb.New(dynamodb.Options{
		Region:      region,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }),
	}), nil
}
