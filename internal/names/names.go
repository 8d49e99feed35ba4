// Package names is the one source of the names a stage gives its stacks, its AWS resources and
// its stack outputs. The stacks write them and the tools (internal/outputs, authctl) read them
// back, so both sides import these; the package has no dependencies so that either may.
package names

// Prefix is <app>-<stage>, the start of every name a stage gives AWS.
func Prefix(app, stage string) string { return app + "-" + stage }

// Stack name suffixes: a stage's stacks are <app>-<stage>-auth and <app>-<stage>-api, and
// <app>-<stage>-alarms where the stage has alarms.
const (
	AuthStackSuffix   = "-auth"
	APIStackSuffix    = "-api"
	AlarmsStackSuffix = "-alarms"
)

// AuthStack is the name of the stage's auth stack (user pool, app client, managed login).
func AuthStack(app, stage string) string { return Prefix(app, stage) + AuthStackSuffix }

// APIStack is the name of the stage's API stack (REST API, Lambda functions, WAF).
func APIStack(app, stage string) string { return Prefix(app, stage) + APIStackSuffix }

// AlarmsStack is the name of the stage's alarms stack (the alarm topic, alarms and dashboard).
func AlarmsStack(app, stage string) string { return Prefix(app, stage) + AlarmsStackSuffix }

// AlarmTopic is the name of the SNS topic the stage's alarms tell.
func AlarmTopic(app, stage string) string { return Prefix(app, stage) + "-alarms" }

// APIWebACL is the name of the web ACL in front of the API stage, and of its CloudWatch metric
// (the WebACL dimension of AWS/WAFV2), which the alarms watch.
func APIWebACL(app, stage string) string { return Prefix(app, stage) + "-api" }

// UserPoolWebACL is the name of the web ACL in front of the user pool, and of its metric.
func UserPoolWebACL(app, stage string) string { return Prefix(app, stage) + "-userpool" }

// UserPool is the user pool's name; changing it replaces the pool (see stacks/pins_test.go).
func UserPool(app, stage string) string { return Prefix(app, stage) }

// WebClient is the app client's name.
func WebClient(app, stage string) string { return Prefix(app, stage) + "-web" }

// Output keys of the auth stack.
const (
	OutRegion          = "Region"
	OutUserPoolID      = "UserPoolId"
	OutClientID        = "ClientId"
	OutIssuerURL       = "IssuerUrl"
	OutJWKSURL         = "JwksUrl"
	OutManagedLoginURL = "ManagedLoginUrl"
	OutSignInURL       = "SignInUrl"
	OutSignOutURL      = "SignOutUrl"
)

// ProviderSignInURL is the output key of the sign-in URL that goes straight to one identity
// provider: SignInUrl followed by the letters and digits of the provider's name
// (config.IdentityProvider.OutputSuffix), e.g. SignInUrlGoogle.
func ProviderSignInURL(suffix string) string { return OutSignInURL + suffix }

// OutAPIURL is the output key of the API stack: the stage's base URL.
const OutAPIURL = "ApiUrl"

// OutItemsTable is the output key of the API stack's items table name (CloudFormation names
// the table in AWS; `authctl setup-local` names the local one ItemsTable(app, stage)).
const OutItemsTable = "ItemsTable"

// ItemsTable is the name of the local items table that `authctl setup-local` creates.
func ItemsTable(app, stage string) string { return Prefix(app, stage) + "-items" }

// OutDynamoDBEndpoint is no stack output: only outputs files written for a local server carry
// it, in the API stack's object, so that cmd/local finds the local DynamoDB (dynalite) that
// holds ItemsTable.
const OutDynamoDBEndpoint = "DynamoDBEndpoint"

// Outputs of the alarms stack, for people: the tools do not read them.
const (
	OutAlarmTopicARN = "AlarmTopicArn"
	OutDashboardURL  = "DashboardUrl"
)

// Outputs of a stage with its own domains (loginDomain, apiDomain): the host name a DNS alias
// record for the domain points at, for a zone outside Route 53 or this account. The tools do
// not read them.
const (
	OutLoginDomainTarget = "LoginDomainAliasTarget"
	OutAPIDomainTarget   = "ApiDomainAliasTarget"
)

// OutCognitoEndpoint is no stack output: only outputs files written for a local server
// (`authctl setup-local`) carry it, in the auth stack's object, so that the tools talk to that
// server without an -endpoint flag.
const OutCognitoEndpoint = "CognitoEndpoint"

// OutLambdaEndpoint is no stack output either: `authctl setup-local` writes it for a stage with
// a pre token generation trigger, as the base URL of the Lambda Invoke endpoint where the local
// pool calls that trigger and where cmd/local answers it.
const OutLambdaEndpoint = "LambdaEndpoint"

// MachineClient is the name of one of the stage's machine (client-credentials) app clients.
func MachineClient(app, stage, name string) string { return Prefix(app, stage) + "-m2m-" + name }

// OutMachineClients is the auth stack's output of its machine clients, as name=client id pairs
// separated by commas, the functions' MACHINE_CLIENTS form (fnenv.ParseMachineClients reads
// both); absent when there are none.
const OutMachineClients = "MachineClients"

// PreTokenTrigger names the pre token generation trigger where a name is needed: locally, in
// the Lambda Invoke URL cognito-local calls (`authctl setup-local`, cmd/local). In AWS the auth
// stack lets CloudFormation name the function.
func PreTokenTrigger(app, stage string) string { return Prefix(app, stage) + "-pretoken" }
