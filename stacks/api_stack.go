package stacks

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// ApiStackProps configure NewApiStack.
type ApiStackProps struct {
	awscdk.StackProps
	Config   config.Config
	UserPool awscognito.UserPool
	// ClientID is the app client whose tokens the API accepts.
	ClientID *string
	// ModuleDir is the Go module holding the functions' main packages (./lambda and
	// ./lambda/authorizer), built at synth.
	ModuleDir string
}

// ApiStack is the REST API and its handler.
type ApiStack struct {
	awscdk.Stack
	Api      awsapigateway.LambdaRestApi
	Function awslambda.Function
}

// Headers a browser may send to the API.
var corsAllowHeaders = []string{"Authorization", "Content-Type"}

// bearerTokenPattern is what the token authorizer accepts in Authorization; API Gateway
// answers 401 itself, without invoking the function, for anything else.
const bearerTokenPattern = `^Bearer [-0-9A-Za-z_]+\.[-0-9A-Za-z_]+\.[-0-9A-Za-z_]+$`

// NewApiStack creates the Lambda handler and a REST API whose methods come from the route
// table, authorized by the user pool.
func NewApiStack(scope constructs.Construct, id string, props *ApiStackProps) *ApiStack {
	var p ApiStackProps
	if props != nil {
		p = *props
	}
	stack := awscdk.NewStack(scope, &id, &p.StackProps)
	cfg, s := p.Config, p.Config.Stage

	table, _ := s.Routes.Encode() // strings only: it cannot fail
	fn := newGoFunction(stack, "Handler", cfg.AppName+" "+cfg.StageName+" API handler", s,
		&GoBinary{ModuleDir: p.ModuleDir, Package: "./lambda"}, map[string]*string{
			routes.EnvRouteTable:       jsii.String(table),
			routes.EnvAllowedClientIDs: p.ClientID,
			routes.EnvAllowedOrigins:   jsii.String(strings.Join(s.CORS.AllowOrigins, ",")),
		})

	authorizerName := jsii.String(cfg.AppName + "-" + cfg.StageName + "-" + s.Authorizer)
	identity := awsapigateway.IdentitySource_Header(jsii.String("Authorization"))
	cacheTTL := awscdk.Duration_Seconds(jsii.Number(s.AuthorizerCacheSeconds))
	var authorizer awsapigateway.IAuthorizer
	var authType awsapigateway.AuthorizationType
	if s.Authorizer == "lambda" {
		verifier := newGoFunction(stack, "TokenAuthorizer", cfg.AppName+" "+cfg.StageName+" token authorizer", s,
			&GoBinary{ModuleDir: p.ModuleDir, Package: "./lambda/authorizer"}, map[string]*string{
				routes.EnvIssuer:           p.UserPool.UserPoolProviderUrl(),
				routes.EnvAllowedClientIDs: p.ClientID,
				routes.EnvRouteTable:       jsii.String(table),
			})
		// The policy it returns covers every route the token may call, so API Gateway can
		// cache it per token for all methods.
		authorizer = awsapigateway.NewTokenAuthorizer(stack, jsii.String("Authorizer"), &awsapigateway.TokenAuthorizerProps{
			AuthorizerName:  authorizerName,
			Handler:         verifier,
			IdentitySource:  identity,
			ValidationRegex: jsii.String(bearerTokenPattern),
			ResultsCacheTtl: cacheTTL,
		})
		authType = awsapigateway.AuthorizationType_CUSTOM
	} else {
		authorizer = awsapigateway.NewCognitoUserPoolsAuthorizer(stack, jsii.String("Authorizer"), &awsapigateway.CognitoUserPoolsAuthorizerProps{
			AuthorizerName:   authorizerName,
			CognitoUserPools: &[]awscognito.IUserPool{p.UserPool},
			IdentitySource:   identity,
			ResultsCacheTtl:  cacheTTL,
		})
		authType = awsapigateway.AuthorizationType_COGNITO
	}

	var cors *awsapigateway.CorsOptions
	if len(s.CORS.AllowOrigins) > 0 {
		cors = &awsapigateway.CorsOptions{
			AllowOrigins: jsii.Strings(s.CORS.AllowOrigins...),
			AllowHeaders: jsii.Strings(corsAllowHeaders...),
			AllowMethods: awsapigateway.Cors_ALL_METHODS(),
			MaxAge:       awscdk.Duration_Seconds(jsii.Number(s.CORS.MaxAgeSeconds)),
		}
	}
	api := awsapigateway.NewLambdaRestApi(stack, jsii.String("Api"), &awsapigateway.LambdaRestApiProps{
		RestApiName:   jsii.String(cfg.AppName + "-" + cfg.StageName),
		Handler:       fn,
		Proxy:         jsii.Bool(false), // true refuses the specific resources the route table adds
		EndpointTypes: &[]awsapigateway.EndpointType{awsapigateway.EndpointType_REGIONAL},
		// Secure by default: a method added without options needs a valid token.
		DefaultMethodOptions: &awsapigateway.MethodOptions{
			AuthorizationType: authType,
			Authorizer:        authorizer,
		},
		// Preflight requests carry no token; CDK adds OPTIONS methods without authorization.
		DefaultCorsPreflightOptions: cors,
		// Execution logging needs the account's API Gateway CloudWatch role.
		CloudWatchRole: jsii.Bool(true),
		DeployOptions: &awsapigateway.StageOptions{
			StageName:            jsii.String(cfg.StageName),
			AccessLogDestination: awsapigateway.NewLogGroupLogDestination(logGroup(stack, "AccessLogs", s)),
			AccessLogFormat: awsapigateway.AccessLogFormat_JsonWithStandardFields(&awsapigateway.JsonWithStandardFieldProps{
				Caller: jsii.Bool(false), HttpMethod: jsii.Bool(true), Ip: jsii.Bool(true), Protocol: jsii.Bool(true),
				RequestTime: jsii.Bool(true), ResourcePath: jsii.Bool(true), ResponseLength: jsii.Bool(true),
				Status: jsii.Bool(true), User: jsii.Bool(true),
			}),
			LoggingLevel: awsapigateway.MethodLoggingLevel_INFO,
			// Data trace would write request headers, and so tokens, to the logs.
			DataTraceEnabled:     jsii.Bool(false),
			MetricsEnabled:       jsii.Bool(true),
			ThrottlingRateLimit:  jsii.Number(s.Throttling.RateLimit),
			ThrottlingBurstLimit: jsii.Number(s.Throttling.BurstLimit),
		},
	})

	for _, r := range s.Routes {
		resource := api.Root().ResourceForPath(jsii.String(r.Path))
		var options *awsapigateway.MethodOptions
		switch r.Access {
		case routes.Public:
			options = &awsapigateway.MethodOptions{AuthorizationType: awsapigateway.AuthorizationType_NONE}
		case routes.Scoped:
			if authType == awsapigateway.AuthorizationType_COGNITO {
				// With scopes, API Gateway wants an access token carrying one of them. The
				// token authorizer checks scopes itself: method scopes are Cognito-only.
				options = &awsapigateway.MethodOptions{AuthorizationScopes: jsii.Strings(r.Scopes...)}
			}
		}
		resource.AddMethod(jsii.String(r.Method), nil, options)
	}
	// Everything else reaches the handler only with a valid ID token; it answers 404.
	api.Root().AddProxy(&awsapigateway.ProxyResourceOptions{AnyMethod: jsii.Bool(true)})
	for _, m := range *api.Methods() {
		if waived := methodSuppressions(s, *m.HttpMethod(), *m.Resource().Path()); len(waived) > 0 {
			suppress(m, waived...)
		}
	}

	// API Gateway's own error replies (401 from the authorizer, 403, 429, 5XX) need CORS
	// headers too, or a browser hides them from the page.
	if len(s.CORS.AllowOrigins) > 0 {
		headers := map[string]*string{
			"Access-Control-Allow-Origin":  jsii.String(gatewayResponseOrigin(s.CORS.AllowOrigins)),
			"Access-Control-Allow-Headers": jsii.String("'" + strings.Join(corsAllowHeaders, ",") + "'"),
			"Vary":                         jsii.String("'Origin'"),
		}
		for _, t := range []awsapigateway.ResponseType{awsapigateway.ResponseType_DEFAULT_4XX(), awsapigateway.ResponseType_DEFAULT_5XX()} {
			api.AddGatewayResponse(jsii.String("GatewayResponse"+*t.ResponseType()), &awsapigateway.GatewayResponseOptions{
				Type:            t,
				ResponseHeaders: &headers,
			})
		}
	}

	if s.WAF.Enabled {
		newWebACL(stack, cfg, api.DeploymentStage())
	} else {
		suppress(api.DeploymentStage(), nagSuppression{Rule: "AwsSolutions-APIG3",
			Reason: "WAF is off on this non-production stage to save its monthly cost; the stage setting waf.enabled turns it on (on in prod)."})
	}
	suppress(api, nagSuppression{Rule: "AwsSolutions-APIG2",
		Reason: "The Go handler validates request bodies and answers 400 with a stable JSON error code; API Gateway's validator would need a model per method and answer in another format."})
	suppress(api.Node().FindChild(jsii.String("CloudWatchRole")), nagSuppression{
		Rule:      "AwsSolutions-IAM4",
		Reason:    "The account-wide role API Gateway uses to write execution logs of every REST API in the Region; AWS's managed policy is the documented policy for it.",
		AppliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"},
	})

	awscdk.NewCfnOutput(stack, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{
		Value:       api.Url(),
		Description: jsii.String("Base URL of the API stage"),
	})
	return &ApiStack{Stack: stack, Api: api, Function: fn}
}

// gatewayResponseOrigin is the Access-Control-Allow-Origin of API Gateway's error replies. A
// gateway response cannot choose among several origins, so with more than one configured it
// reflects the caller's Origin: these replies carry only an error message, never data.
func gatewayResponseOrigin(origins []string) string {
	if len(origins) == 1 {
		return "'" + origins[0] + "'"
	}
	return "method.request.header.Origin"
}

// logGroup creates a log group with the stage's retention, kept with a production stage.
func logGroup(scope constructs.Construct, id string, s config.Stage) awslogs.LogGroup {
	lg := awslogs.NewLogGroup(scope, jsii.String(id), &awslogs.LogGroupProps{RemovalPolicy: removalPolicy(s.Production)})
	// config.Validate has checked the value against CloudWatch's retention periods.
	lg.Node().DefaultChild().(awslogs.CfnLogGroup).SetRetentionInDays(jsii.Number(s.LogRetentionDays))
	return lg
}

// newGoFunction creates a Go Lambda function (provided.al2023, arm64) built from binary, with a
// log group of its own and a role that may write to that log group and nothing else (the
// managed AWSLambdaBasicExecutionRole would allow every log group in the account).
func newGoFunction(scope constructs.Construct, id, description string, s config.Stage, binary *GoBinary, env map[string]*string) awslambda.Function {
	logs := logGroup(scope, id+"Logs", s)
	role := awsiam.NewRole(scope, jsii.String(id+"Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("Runs the " + description),
	})
	logs.GrantWrite(role)
	return awslambda.NewFunction(scope, jsii.String(id), &awslambda.FunctionProps{
		Role:         role,
		Description:  jsii.String(description),
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("bootstrap"),
		Code:         binary.Code(),
		MemorySize:   jsii.Number(256),
		Timeout:      awscdk.Duration_Seconds(jsii.Number(10)),
		Environment:  &env,
		LogGroup:     logs,
	})
}

// methodSuppressions are the cdk-nag findings a method is expected to have: public routes take
// no token, and with the token authorizer no method uses the Cognito authorizer itself.
func methodSuppressions(s config.Stage, method, path string) []nagSuppression {
	if method == "OPTIONS" { // CORS preflight, which cdk-nag does not check
		return nil
	}
	if r, ok := s.Routes.Lookup(method, path); ok && r.Access == routes.Public {
		why := "Public by design: the route table lists " + r.Key() + " as public, so it takes no token."
		return []nagSuppression{{Rule: "AwsSolutions-APIG4", Reason: why}, {Rule: "AwsSolutions-COG4", Reason: why}}
	}
	if s.Authorizer == "lambda" {
		return []nagSuppression{{Rule: "AwsSolutions-COG4",
			Reason: "The stage uses the Go token authorizer (authorizer: lambda), which verifies this user pool's tokens and allows only the routes their scopes and groups permit."}}
	}
	return nil
}
