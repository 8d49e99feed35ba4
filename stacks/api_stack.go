package stacks

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
	"github.com/cognito-apigw/cognito-apigw/internal/origin"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// APIStackProps configure NewAPIStack.
type APIStackProps struct {
	awscdk.StackProps
	Config   config.Config
	UserPool awscognito.UserPool
	// ClientID is the app client whose tokens the API accepts.
	ClientID *string
	// MachineClients are the machine clients' ids by name; routes that name them take their
	// tokens.
	MachineClients map[string]*string
	// ModuleDir is the Go module holding the functions' main packages (./lambda/proxy and
	// ./lambda/authorizer), built at synth.
	ModuleDir string
}

// APIStack is the REST API, its handler and the handler's table.
type APIStack struct {
	awscdk.Stack
	RestAPI  awsapigateway.LambdaRestApi
	Function awslambda.Function
	// TokenAuthorizer is the Go token authorizer (authorizer: lambda); nil with Cognito's.
	TokenAuthorizer awslambda.Function
	// ItemsTable holds /items; only Function may use it.
	ItemsTable awsdynamodb.Table
}

// Headers a browser may send to the API.
var corsAllowHeaders = origin.RequestHeaders

// bearerTokenPattern is what the token authorizer accepts in Authorization; API Gateway
// answers 401 itself, without invoking the function, for anything else.
const bearerTokenPattern = `^Bearer [-0-9A-Za-z_]+\.[-0-9A-Za-z_]+\.[-0-9A-Za-z_]+$`

// NewAPIStack creates the Lambda handler and a REST API whose methods come from the route
// table, authorized by the user pool.
func NewAPIStack(scope constructs.Construct, id string, props *APIStackProps) *APIStack {
	var p APIStackProps
	if props != nil {
		p = *props
	}
	stack := awscdk.NewStack(scope, &id, &p.StackProps)
	s := p.Config.Stage

	table := newItemsTable(stack, s)
	fn := newHandler(stack, p, table)
	authorizer, authType, verifier := newAuthorizer(stack, p)
	api := newRestAPI(stack, p.Config, fn, &awsapigateway.MethodOptions{AuthorizationType: authType, Authorizer: authorizer})
	addRouteMethods(api, s, authType)
	addGatewayResponses(api, s)
	if s.WAF.Enabled {
		newWebACL(stack, p.Config, api.DeploymentStage())
	}
	suppressApiFindings(api, s)

	url := api.Url()
	if s.APIDomain != nil {
		url = addAPIDomain(stack, *s.APIDomain, api)
	}
	awscdk.NewCfnOutput(stack, jsii.String(names.OutAPIURL), &awscdk.CfnOutputProps{
		Value:       url,
		Description: jsii.String("Base URL of the API stage (apiDomain where set)"),
	})
	return &APIStack{Stack: stack, RestAPI: api, Function: fn, TokenAuthorizer: verifier, ItemsTable: table}
}

// newHandler creates the Go function behind every method, handed the route table it enforces,
// the clients, the CORS origins and the items table, which it alone may read and write.
func newHandler(stack awscdk.Stack, p APIStackProps, table awsdynamodb.Table) awslambda.Function {
	s := p.Config.Stage
	env := fnenv.Proxy{Routes: s.Routes, Clients: stageClients(p), AllowedOrigins: s.CORS.AllowOrigins, ItemsTable: *table.TableName()}
	fn := newGoFunction(stack, p.Config, p.ModuleDir, goFunction{
		ID: "Handler", What: "API handler", Package: "./lambda/proxy", Env: env.Env(cdkJoin),
	})
	allowItems(fn.Role(), table)
	return fn
}

// stageClients are the app clients whose tokens the API takes: the web client and the
// machine clients, their ids CDK tokens.
func stageClients(p APIStackProps) fnenv.Clients {
	var web []string
	if p.ClientID != nil {
		web = []string{*p.ClientID}
	}
	return fnenv.Clients{Web: web, Machine: machineClientIDs(p.MachineClients)}
}

// newAuthorizer creates the stage's authorizer: the Go token authorizer (authorizer: lambda) or
// API Gateway's Cognito user pool authorizer, and the authorization type its methods use; and
// the token authorizer's function (nil with Cognito's).
func newAuthorizer(stack awscdk.Stack, p APIStackProps) (awsapigateway.IAuthorizer, awsapigateway.AuthorizationType, awslambda.Function) {
	cfg, s := p.Config, p.Config.Stage
	authorizerName := jsii.String(names.Prefix(cfg.AppName, cfg.StageName) + "-" + s.Authorizer)
	identity := awsapigateway.IdentitySource_Header(jsii.String("Authorization"))
	cacheTTL := awscdk.Duration_Seconds(jsii.Number(s.AuthorizerCacheSeconds))
	if s.Authorizer == "lambda" {
		env := fnenv.Authorizer{Issuer: *p.UserPool.UserPoolProviderUrl(), Routes: s.Routes, Clients: stageClients(p)}
		verifier := newGoFunction(stack, cfg, p.ModuleDir, goFunction{
			ID: "TokenAuthorizer", What: "token authorizer", Package: "./lambda/authorizer", Env: env.Env(cdkJoin),
		})
		// The policy it returns covers every route the token may call, so API Gateway can
		// cache it per token for all methods.
		return awsapigateway.NewTokenAuthorizer(stack, jsii.String("Authorizer"), &awsapigateway.TokenAuthorizerProps{
			AuthorizerName:  authorizerName,
			Handler:         verifier,
			IdentitySource:  identity,
			ValidationRegex: jsii.String(bearerTokenPattern),
			ResultsCacheTtl: cacheTTL,
		}), awsapigateway.AuthorizationType_CUSTOM, verifier
	}
	return awsapigateway.NewCognitoUserPoolsAuthorizer(stack, jsii.String("Authorizer"), &awsapigateway.CognitoUserPoolsAuthorizerProps{
		AuthorizerName:   authorizerName,
		CognitoUserPools: &[]awscognito.IUserPool{p.UserPool},
		IdentitySource:   identity,
		ResultsCacheTtl:  cacheTTL,
	}), awsapigateway.AuthorizationType_COGNITO, nil
}

// newRestAPI creates the regional REST API with its CORS preflight and its stage; every method
// gets defaults (the authorizer) unless it says otherwise.
func newRestAPI(stack awscdk.Stack, cfg config.Config, fn awslambda.Function, defaults *awsapigateway.MethodOptions) awsapigateway.LambdaRestApi {
	s := cfg.Stage
	var cors *awsapigateway.CorsOptions
	if len(s.CORS.AllowOrigins) > 0 {
		cors = &awsapigateway.CorsOptions{
			AllowOrigins: jsii.Strings(s.CORS.AllowOrigins...),
			AllowHeaders: jsii.Strings(corsAllowHeaders...),
			AllowMethods: awsapigateway.Cors_ALL_METHODS(),
			MaxAge:       awscdk.Duration_Seconds(jsii.Number(s.CORS.MaxAgeSeconds)),
		}
	}
	return awsapigateway.NewLambdaRestApi(stack, jsii.String("Api"), &awsapigateway.LambdaRestApiProps{
		RestApiName:   jsii.String(names.Prefix(cfg.AppName, cfg.StageName)),
		Handler:       fn,
		Proxy:         jsii.Bool(false), // true refuses the specific resources the route table adds
		EndpointTypes: &[]awsapigateway.EndpointType{awsapigateway.EndpointType_REGIONAL},
		// Secure by default: a method added without options needs a valid token.
		DefaultMethodOptions: defaults,
		// Preflight requests carry no token; CDK adds OPTIONS methods without authorization.
		DefaultCorsPreflightOptions: cors,
		// Execution logging needs the account's API Gateway CloudWatch role.
		CloudWatchRole: jsii.Bool(true),
		// With a domain of its own the API answers there only (addAPIDomain).
		DisableExecuteApiEndpoint: jsii.Bool(s.APIDomain != nil),
		DeployOptions:             stageOptions(stack, cfg),
	})
}

// stageOptions configure the API's stage: access logs, execution logs without data, metrics
// and the stage's throttling.
func stageOptions(stack awscdk.Stack, cfg config.Config) *awsapigateway.StageOptions {
	s := cfg.Stage
	return &awsapigateway.StageOptions{
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
		TracingEnabled:       stageTracing(s),
	}
}

// addRouteMethods adds a method per route of the table, and a catch-all proxy behind the
// authorizer for everything else.
func addRouteMethods(api awsapigateway.LambdaRestApi, s config.Stage, authType awsapigateway.AuthorizationType) {
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
}

// addGatewayResponses gives API Gateway's own error replies (401 from the authorizer, 403, 429,
// 5XX) CORS headers too, or a browser hides them from the page.
func addGatewayResponses(api awsapigateway.LambdaRestApi, s config.Stage) {
	if len(s.CORS.AllowOrigins) == 0 {
		return
	}
	headers := map[string]*string{
		"Access-Control-Allow-Origin":  jsii.String("'" + origin.GatewayError(s.CORS.AllowOrigins) + "'"),
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

// logGroup creates a log group with the stage's retention, kept with a production stage.
func logGroup(scope constructs.Construct, id string, s config.Stage) awslogs.LogGroup {
	lg := awslogs.NewLogGroup(scope, jsii.String(id), &awslogs.LogGroupProps{RemovalPolicy: removalPolicy(s.Production)})
	// config.Validate has checked the value against CloudWatch's retention periods.
	lg.Node().DefaultChild().(awslogs.CfnLogGroup).SetRetentionInDays(jsii.Number(s.LogRetentionDays))
	return lg
}

// goFunction is one of the stage's Go Lambda functions: what newGoFunction needs beyond the
// stage.
type goFunction struct {
	// ID is its construct id, which its log group's and role's ids start with.
	ID string
	// What it is, after "<app> <stage> ": its description, and its role's.
	What string
	// Package is its main package in the module, such as ./lambda/proxy.
	Package string
	// Env is its environment, from its internal/fnenv contract.
	Env map[string]string
	// Trigger marks a Cognito trigger, which a sign-in waits for: Cognito gives it 5 seconds.
	Trigger bool
}

// environment is a function's environment as the CDK takes it. Values may be CDK tokens in
// string form (a client id): jsii turns them back into the tokens.
func environment(env map[string]string) *map[string]*string {
	out := make(map[string]*string, len(env))
	for k, v := range env {
		out[k] = jsii.String(v)
	}
	return &out
}

// cdkJoin is the fnenv.Join of the stacks: Fn::Join, which a list of CDK tokens needs (a plain
// strings.Join would hand CloudFormation a differently shaped value).
func cdkJoin(parts []string, sep string) string {
	return *awscdk.Fn_Join(jsii.String(sep), jsii.Strings(parts...))
}

// newGoFunction creates a Go Lambda function (provided.al2023, arm64, 256 MB) built from
// f.Package in moduleDir, with a log group of its own and a role that may write to that log
// group and nothing else (the managed AWSLambdaBasicExecutionRole would allow every log group in
// the account).
func newGoFunction(scope constructs.Construct, cfg config.Config, moduleDir string, f goFunction) awslambda.Function {
	description := cfg.AppName + " " + cfg.StageName + " " + f.What
	timeout := 10.0
	if f.Trigger {
		timeout = 5
	}
	logs := logGroup(scope, f.ID+"Logs", cfg.Stage)
	role := awsiam.NewRole(scope, jsii.String(f.ID+"Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("Runs the " + description),
	})
	logs.GrantWrite(role)
	fn := awslambda.NewFunction(scope, jsii.String(f.ID), &awslambda.FunctionProps{
		Description:  jsii.String(description),
		Environment:  environment(f.Env),
		Role:         role,
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("bootstrap"),
		Code:         (&GoBinary{ModuleDir: moduleDir, Package: f.Package}).Code(),
		LogGroup:     logs,
		Tracing:      functionTracing(cfg.Stage),
		MemorySize:   jsii.Number(256),
		Timeout:      awscdk.Duration_Seconds(jsii.Number(timeout)),
	})
	suppressTracingFindings(role, cfg.Stage)
	return fn
}
