package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

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
	fn := newGoFunction(stack, "PreTokenTrigger", &goFunctionProps{
		FunctionProps: awslambda.FunctionProps{
			Description: jsii.String(cfg.AppName + " " + cfg.StageName + " pre token generation trigger"),
			Environment: environment(env.Env()),
			// A sign-in waits for it: Cognito gives a trigger 5 seconds.
			Timeout: awscdk.Duration_Seconds(jsii.Number(5)),
		},
		Binary: &GoBinary{ModuleDir: moduleDir, Package: "./lambda/pretoken"},
		Stage:  s,
	})
	pool.AddTrigger(awscognito.UserPoolOperation_PRE_TOKEN_GENERATION_CONFIG(), fn, awscognito.LambdaVersion_V2_0)
	return fn
}
