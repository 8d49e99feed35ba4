// Command pretoken is the user pool's pre token generation trigger (event version 2): it adds
// the custom scopes of the user's groups to the access token (groupScopes in cdk.json) and
// fixed claims to the ID token (extraClaims). It only wires; the logic is in package trigger.
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/cognito-apigw/cognito-apigw/internal/pretoken"
	"github.com/cognito-apigw/cognito-apigw/lambda/pretoken/trigger"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	settings, err := pretoken.Decode(os.Getenv(pretoken.EnvSettings))
	if err != nil {
		// A broken setting must not stop sign-ins: the trigger then adds nothing.
		logger.Error("pretoken: bad settings; tokens stay as Cognito makes them", "error", err.Error())
	}
	lambda.Start(trigger.New(settings, logger).Handle)
}
