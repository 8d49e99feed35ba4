// Command pretoken is the user pool's pre token generation trigger (event version 2): it adds
// the custom scopes of the user's groups to the access token (groupScopes in cdk.json) and
// fixed claims to the ID token (extraClaims). It only wires: what the auth stack hands it comes
// from the environment through fnenv.ReadPreToken, the logic is in package trigger (which
// cmd/local also runs, for cognito-local).
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/lambda/pretoken/trigger"
)

func main() {
	t := newTrigger(os.Getenv, slog.New(slog.NewJSONHandler(os.Stderr, nil)))
	lambda.Start(t.Handle)
}

// newTrigger builds the trigger from the environment read through getenv. Unlike the other
// functions it starts whatever the environment says: a broken setting must not stop sign-ins,
// so the trigger then adds nothing and logs why.
func newTrigger(getenv func(string) string, logger *slog.Logger) *trigger.Trigger {
	settings, err := fnenv.ReadPreToken(getenv)
	if err != nil {
		logger.Error("pretoken: bad configuration; tokens stay as Cognito makes them", "error", err.Error())
	}
	return trigger.New(settings, logger)
}
