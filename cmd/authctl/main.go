// Command authctl creates users and gets tokens for the API's user pool, so that nobody copies
// ids by hand or fights FORCE_CHANGE_PASSWORD: pool id, client id, managed-login domain and API
// URL come from the deploy outputs file (`cdk deploy --outputs-file cdk-outputs.json`), the
// stage's settings from cdk.json, and flags override both.
//
//	authctl setup-local  [-endpoint URL] [-dynamodb-endpoint URL] [-outputs FILE] [-api-url URL] [-lambda-url URL] [-redirect-uri URL]...
//	authctl create-user  -email EMAIL (-password P | -password-stdin) [-name NAME] [-group G]...
//	authctl set-password -email EMAIL (-password P | -password-stdin)
//	authctl tokens       -email EMAIL (-password P | -password-stdin) [-flow user-password|admin-user-password] [-format json|env]
//	authctl tokens       -client NAME [-scope S] [-format json|env]   (a machine client's token, as machine-token)
//	authctl login        [-idp NAME] [-redirect-uri URL] [-scope SCOPES] [-no-browser] [-format json|env]
//	authctl call         [-access] [-token T] [-method M] [-data BODY] [-idempotency-key K] PATH
//	authctl smoke        -outputs FILE [-stage NAME] [-no-admin] [-timeout D]   (check a stage: smoke.go)
//	authctl export       [-out FILE]                      (users as JSON Lines)
//	authctl import       [-send-invitations] [-create-groups] [-map FILE] FILE
//
// -endpoint points the AWS SDK at a local Cognito-compatible server such as cognito-local;
// setup-local records it in the outputs file it writes, so later commands need only -outputs.
// Bad usage exits 2, a failure 1 (internal/cli has the rules).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognito-apigw/cognito-apigw/internal/awsauth"
	"github.com/cognito-apigw/cognito-apigw/internal/cli"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/loopback"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
)

func main() {
	a := &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, openBrowser: openBrowser}
	cli.Main(a.run)
}

// app holds what a run reads from and writes to, replaced in tests.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	openBrowser    func(url string) error
}

func (a *app) run(ctx context.Context, args []string) int {
	p := &cli.Program{Name: "authctl", Commands: a.commands(), Stdout: a.stdout, Stderr: a.stderr,
		About: `Ids and URLs come from the outputs file (default cdk-outputs.json, written by
"npx cdk deploy --all --outputs-file cdk-outputs.json"); flags override them.`}
	return p.Run(ctx, args)
}

// commands is authctl's command table.
func (a *app) commands() []cli.Command {
	return []cli.Command{{
		Name:    "setup-local",
		Summary: "create a user pool, its groups and an app client like the stage's on cognito-local, and the items table on dynalite",
		Usage:   "[-endpoint URL] [-dynamodb-endpoint URL] [-outputs FILE] [-api-url URL] [-lambda-url URL] [-redirect-uri URL]...",
		Doc: `The servers are local ones: a Cognito-compatible one (cognito-local) and a DynamoDB
(dynalite), whose items table gets the key schema the API stack synthesizes (an existing one
is kept, items and all). The outputs file written (default local-outputs.json) records both,
so later commands and cmd/local need only -outputs. A stage with groupScopes or extraClaims
gets its pre token generation trigger, which cmd/local answers at -lambda-url: start cmd/local
before signing in.`,
		Flags: a.setupLocal,
	}, {
		Name:    "create-user",
		Summary: "create a confirmed user with a permanent password, optionally in groups",
		Usage:   "-email EMAIL (-password P | -password-stdin) [-name NAME] [-group G]... [-link-target]",
		Flags:   a.createUser,
	}, {
		Name:    "set-password",
		Summary: "give an existing user a permanent password (ends FORCE_CHANGE_PASSWORD)",
		Usage:   "-email EMAIL (-password P | -password-stdin)",
		Flags:   a.setPassword,
	}, {
		Name:    "tokens",
		Summary: "sign in with a password and print the tokens as JSON or shell exports",
		Usage: `-email EMAIL (-password P | -password-stdin) [-flow user-password|admin-user-password] [-format json|env]
-client NAME [-scope S] [-format json|env]`,
		Doc: `A user signs in with USER_PASSWORD_AUTH or ADMIN_USER_PASSWORD_AUTH, where the stage enables
it (passwordAuth). With -client NAME: a machine client's access token, as machine-token.`,
		Flags: a.tokens,
	}, {
		Name:    "login",
		Summary: "sign in on the managed login page and print the tokens as JSON or shell exports",
		Usage:   "[-idp NAME] [-redirect-uri URL] [-scope SCOPES] [-no-browser] [-format json|env]",
		Doc: `Authorization code with PKCE, redirected to authctl on loopback; with -idp straight through
one of the stage's identity providers.`,
		Flags: a.login,
	}, {
		Name:    "refresh",
		Summary: "renew the tokens with $REFRESH_TOKEN (keeping the new one a rotating client returns)",
		Usage:   "[-refresh-token T] [-format json|env]",
		Flags:   a.refresh,
	}, {
		Name:    "machine-token",
		Summary: "get an access token for a machine client (client credentials; the secret is never printed)",
		Usage:   "-client NAME [-scope S] [-format json|env]",
		Flags:   a.machineToken,
	}, {
		Name:    "export",
		Summary: "write the stage's users (attributes, status, groups, provider links) as JSON Lines, for import",
		Usage:   "[-out FILE] [-user-pool-id ID]",
		Doc: `Pages through ListUsers and the pool's groups, riding out throttling. With -out the file
appears only once complete; on stdout, a stream cut short lacks the end line, and import
refuses it. Cognito exports no passwords, MFA secrets or passkeys (docs/backup.md).`,
		Flags: a.export,
	}, {
		Name:    "import",
		Summary: "recreate exported users in a pool and print each old sub's new sub",
		Usage:   "[-send-invitations] [-create-groups] [-map FILE] [-user-pool-id ID] FILE",
		Doc: `FILE (or - for stdin) is checked whole before anyone is created: a malformed line, or an
attribute or group the pool lacks, fails the run (exit 1) naming file and line. Users that
exist are skipped and reported, so a run can be repeated. No message is sent unless
-send-invitations; a pool user with a verified email or phone chooses a new password through
"Forgot your password?". The mapping (JSON Lines: oldSub, newSub, username, result) lets data
keyed by sub be re-keyed (docs/backup.md).`,
		Flags: a.importUsers,
		Args:  1,
	}, {
		Name:           "call",
		Summary:        "call the API with a token ($ID_TOKEN, or $ACCESS_TOKEN with -access)",
		Usage:          "[-access] [-token T] [-method M] [-data BODY] [-idempotency-key K] PATH",
		Flags:          a.call,
		Args:           1,
		FlagsAfterArgs: true,
	}, a.smokeCommand()}
}

// settings are the flags that say where the pool, client and API are.
type settings struct {
	cli.Project
	poolID, clientID, domain, apiURL, region, endpoint string

	cfg config.Config
	out outputs.Stage
}

func (s *settings) poolFlags(fs *flag.FlagSet) {
	fs.StringVar(&s.poolID, "user-pool-id", "", "user pool `id` (default: "+names.OutUserPoolID+" output)")
	s.awsFlags(fs)
}

func (s *settings) awsFlags(fs *flag.FlagSet) {
	fs.StringVar(&s.region, "region", "", "AWS `Region` (default: Region output, else the AWS configuration)")
	fs.StringVar(&s.endpoint, "endpoint", "", "Cognito endpoint `URL` of a local Cognito-compatible server, such as http://localhost:9229")
}

func (s *settings) clientFlag(fs *flag.FlagSet) {
	fs.StringVar(&s.clientID, "client-id", "", "app client `id` (default: "+names.OutClientID+" output)")
}

// start checks -format and loads the project and outputs files.
func (s *settings) start(format string) error {
	if err := checkFormat(format); err != nil {
		return err
	}
	return s.load()
}

// load reads the stage's settings from cdk.json and the outputs file.
func (s *settings) load() error {
	if err := s.loadConfig(); err != nil {
		return err
	}
	return s.loadOutputs()
}

func (s *settings) loadConfig() error {
	cfg, err := s.Config()
	s.cfg = cfg
	return err
}

// loadOutputs fills the flags left empty from the outputs file, which may be missing unless
// -outputs named it: flags may supply everything.
func (s *settings) loadOutputs() error {
	var err error
	if s.out, err = s.ReadOutputs(s.cfg); err != nil {
		return err
	}
	s.fillFromOutputs()
	return nil
}

// fillFromOutputs fills the flags left empty from the outputs s.out.
func (s *settings) fillFromOutputs() {
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fill(&s.poolID, s.out.UserPoolID)
	fill(&s.clientID, s.out.ClientID)
	fill(&s.domain, s.out.ManagedLoginURL)
	fill(&s.apiURL, s.out.APIURL)
	fill(&s.region, s.out.Region)
	fill(&s.endpoint, s.out.CognitoEndpoint)
}

// need reports a value that neither a flag nor the outputs file gave.
func (s *settings) need(value, flagName, output string) error {
	if value != "" {
		return nil
	}
	why := fmt.Sprintf("the outputs file %s has no %s", s.Outputs, output)
	if s.Unread != nil {
		why = s.Unread.Error()
		// The local loop (docs/local-development.md) writes local-outputs.json, which is not
		// the default.
		if _, err := os.Stat(defaultLocalOutputs); err == nil && s.Outputs != defaultLocalOutputs {
			why += fmt.Sprintf("; for the local pool that setup-local made, pass -outputs %s", defaultLocalOutputs)
		}
	}
	return cli.Usagef("pass -%s, or an outputs file with %s (-outputs FILE): %s", flagName, output, why)
}

// localEndpoint reports whether the Cognito endpoint is a local emulator on loopback
// (cognito-local), which checks no signature.
func (s *settings) localEndpoint() bool { return loopback.IsURL(s.endpoint) }

// cognito builds a Cognito client for the settings' Region and endpoint. With needCredentials
// it makes sure AWS credentials can be had before the first call; InitiateAuth needs none.
func (s *settings) cognito(ctx context.Context, needCredentials bool) (*cip.Client, error) {
	var opts []func(*awsconfig.LoadOptions) error
	if s.localEndpoint() {
		// A local emulator checks no signature, so it never gets real credentials; nor does a
		// dead emulator deserve retries.
		opts = append(opts,
			awsconfig.WithCredentialsProvider(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local", Source: "authctl local endpoint"}, nil
			})),
			awsconfig.WithRetryMaxAttempts(1))
		if s.region == "" {
			s.region = localRegion
		}
	}
	if s.region != "" {
		opts = append(opts, awsconfig.WithRegion(s.region))
	}
	cfg, err := awsauth.Load(ctx, opts...)
	if err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		return nil, cli.Usagef("no AWS Region: pass -region, set AWS_REGION, or use an outputs file with the Region output")
	}
	if needCredentials {
		if err := awsauth.Check(ctx, cfg); err != nil {
			return nil, err
		}
	}
	return cip.NewFromConfig(cfg, func(o *cip.Options) {
		if s.endpoint != "" {
			o.BaseEndpoint = aws.String(s.endpoint)
		}
	}), nil
}

// localRegion is the Region name used with a local emulator, which ignores it.
const localRegion = "local"

// describe turns an AWS error into one line with a hint where the fix is known.
func (s *settings) describe(err error) error {
	var opErr *net.OpError
	if errors.As(err, &opErr) && s.endpoint != "" {
		return fmt.Errorf("cannot reach %s (%v): is the local Cognito server running? Start it with: npx cognito-local", s.endpoint, opErr.Err)
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return err
	}
	msg := apiErr.ErrorCode() + ": " + apiErr.ErrorMessage()
	switch code, text := apiErr.ErrorCode(), apiErr.ErrorMessage(); {
	case code == "ResourceNotFoundException":
		msg += " (is the outputs file from this stage's deploy, or from setup-local against this server?)"
	case code == "InvalidParameterException" && strings.Contains(text, "flow not enabled"):
		msg += " (the app client does not allow password sign-in: set passwordAuth in cdk.json for test stages only, or use `authctl login`)"
	case code == "UnrecognizedClientException" || code == "InvalidSignatureException" || code == "ExpiredTokenException":
		msg += " (check your AWS credentials: the admin commands need cognito-idp:Admin* permissions on the pool)"
	}
	return errors.New(msg)
}
