package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
)

// addTokenTrigger adds the pre token generation trigger (event version 2, which can add scopes
// to access tokens of every user sign-in) when the stage has groupScopes or extraClaims, and
// returns it (nil without). Its role may write its own log group only; CDK lets Cognito invoke
// it for this pool only.
func addTokenTrigger(stack awscdk.Stack, pool awscognito.UserPool, cfg config.Config, moduleDir string) awslambda.Function {
	s := cfg.Stage
	env, ok := s.TokenTrigger()
	if !ok {
		return nil
	}
	fn := newGoFunction(stack, cfg, moduleDir, goFunction{
		ID: "PreTokenTrigger", What: "pre token generation trigger", Package: "./lambda/pretoken", Env: env.Env(), Trigger: true,
	})
	pool.AddTrigger(awscognito.UserPoolOperation_PRE_TOKEN_GENERATION_CONFIG(), fn, awscognito.LambdaVersion_V2_0)
	return fn
}
