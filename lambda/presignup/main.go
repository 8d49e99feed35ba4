// Command presignup is the user pool's pre sign-up trigger when a stage sets linkByEmail: it
// links a federated sign-up to the existing user with the same verified email, where the
// provider is an authority for the address, so that one person is one user. It only wires: the decision lives in link.go.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognito-apigw/cognito-apigw/internal/linking"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	l, err := newLinker(context.Background(), os.Getenv, logger)
	if err != nil {
		logger.Error("presignup: bad configuration", "error", err.Error())
		os.Exit(1)
	}
	lambda.Start(l.handle)
}

// newLinker builds the linker from the environment the auth stack sets; the SDK takes the
// Region and the function role's credentials from the Lambda environment.
func newLinker(ctx context.Context, getenv func(string) string, logger *slog.Logger) (*linker, error) {
	authorities, err := linking.Decode(getenv(linking.EnvAuthorities))
	if err != nil {
		return nil, err
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	return &linker{users: cognitoidentityprovider.NewFromConfig(cfg), authorities: authorities, log: logger}, nil
}
