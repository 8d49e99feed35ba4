// Command authctl creates users and gets tokens for the API's user pool, so that nobody copies
// ids by hand or fights FORCE_CHANGE_PASSWORD: pool id, client id, managed-login domain and API
// URL come from the deploy outputs file (`cdk deploy --outputs-file cdk-outputs.json`), the
// stage's settings from cdk.json, and flags override both.
//
//	authctl setup-local  [-endpoint URL] [-outputs FILE] [-callback-url URL]...
//	authctl create-user  -email EMAIL (-password P | -password-stdin) [-name NAME] [-group G]...
//	authctl set-password -email EMAIL (-password P | -password-stdin)
//	authctl tokens       -email EMAIL (-password P | -password-stdin) [-flow user-password|admin-user-password] [-format json|env]
//	authctl tokens       -client NAME [-scope S] [-format json|env]   (a machine client's token, as machine-token)
//	authctl login        [-idp NAME] [-redirect-uri URL] [-scope SCOPES] [-no-browser] [-format json|env]
//	authctl call         [-access] [-token T] [-method M] [-data BODY] PATH
//
// -endpoint points the AWS SDK at a local Cognito-compatible server such as cognito-local;
// setup-local records it in the outputs file it writes, so later commands need only -outputs.
// Bad usage exits 2, a failure 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognito-apigw/cognito-apigw/internal/awsauth"
	"github.com/cognito-apigw/cognito-apigw/internal/cdkjson"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

const usage = `Usage: authctl COMMAND [flags]

Commands:
  setup-local   create a user pool, its groups and an app client like the stage's on a local
                Cognito-compatible server (cognito-local), and write an outputs file for it
  create-user   create a confirmed user with a permanent password, optionally in groups
  set-password  give an existing user a permanent password (ends FORCE_CHANGE_PASSWORD)
  tokens        sign in with a password (USER_PASSWORD_AUTH or ADMIN_USER_PASSWORD_AUTH, where
                the stage enables it) and print the tokens as JSON or shell exports; with
                -client NAME, a machine client's access token (as machine-token)
  login         sign in on the managed login page (authorization code with PKCE, loopback
                redirect), or straight through an identity provider with -idp, and print the
                tokens as JSON or shell exports
  refresh       renew the tokens with $REFRESH_TOKEN (keeping the new one a rotating client returns)
  machine-token get an access token for a machine client (client credentials; the secret is
                read from Cognito, never printed)
  call          call the API with a token ($ID_TOKEN, or $ACCESS_TOKEN with -access)

Ids and URLs come from the outputs file (default cdk-outputs.json, written by
"npx cdk deploy --all --outputs-file cdk-outputs.json"); flags override them.
Run "authctl COMMAND -h" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c := &cli{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, openBrowser: openBrowser}
	os.Exit(c.run(ctx, os.Args[1:]))
}

// cli holds what a run reads from and writes to, replaced in tests.
type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	openBrowser    func(url string) error
}

// errUsage marks errors that exit 2.
var errUsage = errors.New("usage")

func usageErr(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, a...)...)
}

func (c *cli) run(ctx context.Context, args []string) (code int) {
	// A bug must not greet the user with a Go stack trace.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(c.stderr, "authctl: internal error: %v\n", r)
			code = 1
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(c.stderr, usage)
		return 2
	}
	commands := map[string]func(context.Context, string, []string) error{
		"setup-local":   c.setupLocal,
		"create-user":   c.createUser,
		"set-password":  c.setPassword,
		"tokens":        c.tokens,
		"login":         c.login,
		"refresh":       c.refresh,
		"machine-token": c.machineToken,
		"call":          c.call,
	}
	name := args[0]
	cmd, ok := commands[name]
	switch {
	case name == "help" || name == "-h" || name == "-help" || name == "--help":
		fmt.Fprint(c.stdout, usage)
		return 0
	case !ok:
		fmt.Fprintf(c.stderr, "authctl: unknown command %q\n\n%s", name, usage)
		return 2
	}
	err := cmd(ctx, name, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errFlagParse):
		return 2 // the flag package has said why
	case errors.Is(err, errUsage):
		fmt.Fprintf(c.stderr, "authctl %s: %s\nRun \"authctl %s -h\" for its flags.\n", name, strings.TrimPrefix(err.Error(), errUsage.Error()+": "), name)
		return 2
	}
	fmt.Fprintf(c.stderr, "authctl %s: %v\n", name, err)
	return 1
}

var errFlagParse = errors.New("bad flags")

// settings are the flags that say where the pool, client and API are.
type settings struct {
	cdkJSON, stage, outputsFile                        string
	poolID, clientID, domain, apiURL, region, endpoint string

	cfg    config.Config
	out    outputs.Stage
	outErr error // why out is empty, for messages
}

// newFlagSet starts a command's flags with the project flags every command has.
func (c *cli) newFlagSet(name string, s *settings, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprintf(c.stderr, "Usage: authctl %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	fs.StringVar(&s.cdkJSON, "cdk-json", cdkjson.DefaultPath, "project settings `file`")
	fs.StringVar(&s.stage, "stage", config.DefaultStage, "`stage` in cdk.json")
	fs.StringVar(&s.outputsFile, "outputs", outputs.DefaultFile, "outputs `file` of `cdk deploy --outputs-file`, or of setup-local")
	return fs
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

// parse parses flags; commands that take no arguments pass maxArgs 0.
func parse(fs *flag.FlagSet, args []string, maxArgs int) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errFlagParse
	}
	if fs.NArg() > maxArgs {
		return usageErr("unexpected argument %q", fs.Arg(maxArgs))
	}
	return nil
}

// load reads the stage's settings from cdk.json and the outputs file.
// start parses a command's flags (it takes no arguments), checks -format, and loads the
// project and outputs files.
func (s *settings) start(fs *flag.FlagSet, args []string, format *string) error {
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	return s.load(fs)
}

func (s *settings) load(fs *flag.FlagSet) error {
	if err := s.loadConfig(); err != nil {
		return err
	}
	return s.loadOutputs(fs)
}

func (s *settings) loadConfig() error {
	cfg, err := cdkjson.Load(s.cdkJSON, s.stage)
	if err != nil {
		return usageErr("%v", err)
	}
	s.cfg = cfg
	return nil
}

// loadOutputs fills the flags left empty from the outputs file. A missing or unusable file is
// an error only when -outputs was given: flags may supply everything.
func (s *settings) loadOutputs(fs *flag.FlagSet) error {
	s.out, s.outErr = outputs.Read(s.outputsFile, s.cfg.AppName, s.cfg.StageName)
	if s.outErr != nil && isSet(fs, "outputs") {
		return usageErr("-outputs: %v", s.outErr)
	}
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
	return nil
}

// need reports a value that neither a flag nor the outputs file gave.
func (s *settings) need(value, flagName, output string) error {
	if value != "" {
		return nil
	}
	why := fmt.Sprintf("the outputs file %s has no %s", s.outputsFile, output)
	if s.outErr != nil {
		why = s.outErr.Error()
		// The README's local loop writes local-outputs.json, which is not the default.
		if _, err := os.Stat(defaultLocalOutputs); err == nil && s.outputsFile != defaultLocalOutputs {
			why += fmt.Sprintf("; for the local pool that setup-local made, pass -outputs %s", defaultLocalOutputs)
		}
	}
	return usageErr("pass -%s, or an outputs file with %s (-outputs FILE): %s", flagName, output, why)
}

func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// cognito builds a Cognito client for the settings' Region and endpoint. With needCredentials
// it makes sure AWS credentials can be had before the first call; InitiateAuth needs none.
func (s *settings) cognito(ctx context.Context, needCredentials bool) (*cip.Client, error) {
	var opts []func(*awsconfig.LoadOptions) error
	local := s.endpoint != "" && routes.IsLoopbackURL(s.endpoint)
	if local {
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
		return nil, usageErr("no AWS Region: pass -region, set AWS_REGION, or use an outputs file with the Region output")
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
