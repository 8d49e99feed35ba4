// Command presignup is the user pool's pre sign-up trigger when a stage sets linkByEmail: it
// links a federated sign-up to the existing user with the same verified email, where the
// provider is an authority for the address, so that one person is one user. It only wires:
// what the auth stack hands it comes from the environment through fnenv.ReadPreSignUp, the
// decision lives in link.go.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
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

// newLinker builds the linker from the environment read through getenv; the SDK takes the
// Region and the function role's credentials from the Lambda environment.
func newLinker(ctx context.Context, getenv func(string) string, logger *slog.Logger) (*linker, error) {
	cfg, err := fnenv.ReadPreSignUp(getenv)
	if err != nil {
		return nil, err
	}
	sdk, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	return &linker{users: cognitoidentityprovider.NewFromConfig(sdk), authorities: cfg.Authorities, log: logger}, nil
}
