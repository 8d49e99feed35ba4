package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-apigw/cognito-apigw/internal/cli"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/localapi"
	"github.com/cognito-apigw/cognito-apigw/internal/localdb"
	"github.com/cognito-apigw/cognito-apigw/internal/loopback"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
)

// apiTimeout bounds each command's calls to Cognito.
const apiTimeout = time.Minute

// Defaults of setup-local: cognito-local's own port, and cmd/local's address.
const (
	defaultLocalEndpoint = "http://localhost:9229"
	defaultLocalOutputs  = "local-outputs.json"
	defaultLocalAPIURL   = "http://127.0.0.1:8080/"
)

// listFlag collects a repeatable flag whose values may also be comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for part := range strings.SplitSeq(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

// passwordFlags reads a password from -password or, kept out of shell history, stdin.
type passwordFlags struct {
	value string
	stdin bool
}

func (p *passwordFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&p.value, "password", "", "the user's `password` (or use -password-stdin)")
	fs.BoolVar(&p.stdin, "password-stdin", false, "read the password from the first line of stdin")
}

func (a *app) password(p passwordFlags) (string, error) {
	switch {
	case p.stdin && p.value != "":
		return "", cli.Usagef("pass -password or -password-stdin, not both")
	case p.stdin:
		line, err := bufio.NewReader(a.stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", cli.Usagef("-password-stdin: no password on stdin")
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return "", cli.Usagef("-password-stdin: empty password")
		}
		return line, nil
	case p.value == "":
		return "", cli.Usagef("-password or -password-stdin is required")
	}
	return p.value, nil
}

// cognitoSymbols are the characters Cognito's password policy counts as symbols.
const cognitoSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

// checkPassword applies the stage's password policy before a user exists, so that a refused
// password cannot leave a half-made user behind.
func checkPassword(p string, pol config.PasswordPolicy) error {
	var missing []string
	if n := len([]rune(p)); n < pol.MinLength {
		missing = append(missing, fmt.Sprintf("at least %d characters", pol.MinLength))
	}
	has := func(f func(rune) bool) bool { return strings.ContainsFunc(p, f) }
	if pol.RequireLowercase && !has(unicode.IsLower) {
		missing = append(missing, "a lower-case letter")
	}
	if pol.RequireUppercase && !has(unicode.IsUpper) {
		missing = append(missing, "an upper-case letter")
	}
	if pol.RequireDigits && !has(unicode.IsDigit) {
		missing = append(missing, "a digit")
	}
	if pol.RequireSymbols && !has(func(r rune) bool { return strings.ContainsRune(cognitoSymbols, r) }) {
		missing = append(missing, "a symbol such as ! or #")
	}
	if strings.TrimSpace(p) != p {
		missing = append(missing, "no leading or trailing space")
	}
	if len(missing) > 0 {
		return fmt.Errorf("the password does not meet the stage's policy: it needs %s", strings.Join(missing, ", "))
	}
	return nil
}

func checkEmail(email string) error {
	if email == "" {
		return cli.Usagef("-email is required")
	}
	if at := strings.Index(email, "@"); at < 1 || at == len(email)-1 || strings.ContainsAny(email, " \t") {
		return cli.Usagef("-email %q: want an email address, the pool's sign-in name", email)
	}
	return nil
}

// checkLinkTarget refuses to create, unless told to, a user that linkByEmail would make the
// target of a federated sign-in: it is confirmed with a verified email and a password the
// operator chose, so the address's owner signing in through the provider would be merged into
// an account somebody else can open.
func checkLinkTarget(cfg config.Config, email string, told bool) error {
	if told {
		return nil
	}
	for _, a := range cfg.LinkAuthorities() {
		if a.Vouches(email) {
			return cli.Usagef("-email %s: stage %s links %s sign-ins with this address to an existing user (linkByEmail), so the address's owner signing in through %s would join this user, whose password you chose; "+
				"create it only for that owner and say so with -link-target, or let them sign in through %s instead", email, cfg.StageName, a.Provider, a.Provider, a.Provider)
		}
	}
	return nil
}

// createdUser is create-user's output.
type createdUser struct {
	UserPoolID string   `json:"user_pool_id"`
	Username   string   `json:"username"`
	Sub        string   `json:"sub"`
	Email      string   `json:"email"`
	Groups     []string `json:"groups"`
	Status     string   `json:"status"`
}

// newUser is what create-user makes.
type newUser struct {
	email, fullName string
	groups          listFlag
	linkTarget      bool
	pw              passwordFlags
}

func (a *app) createUser(fs *flag.FlagSet) cli.Run {
	var s settings
	var u newUser
	s.Declare(fs)
	fs.StringVar(&u.email, "email", "", "the user's email `address`, which is also the sign-in name")
	fs.StringVar(&u.fullName, "name", "", "the user's full `name` (the pool requires one; default: the email's local part)")
	fs.Var(&u.groups, "group", "add the user to this `group` (repeatable, or comma-separated)")
	fs.BoolVar(&u.linkTarget, "link-target", false, "create the user although linkByEmail would join a provider's sign-in with this address to it (only for the address's real owner)")
	u.pw.add(fs)
	s.poolFlags(fs)
	return func(ctx context.Context, _ []string) error {
		password, err := a.checkNewUser(&s, &u)
		if err != nil {
			return err
		}
		return a.addUser(ctx, &s, u, password)
	}
}

// checkNewUser checks everything about the user before anything is created, and returns its
// password.
func (a *app) checkNewUser(s *settings, u *newUser) (password string, err error) {
	if err := checkEmail(u.email); err != nil {
		return "", err
	}
	if err := s.load(); err != nil {
		return "", err
	}
	if password, err = a.password(u.pw); err != nil {
		return "", err
	}
	if err := checkPassword(password, s.cfg.PasswordPolicy); err != nil {
		return "", cli.Usagef("%v", err)
	}
	for _, g := range u.groups {
		if !slices.Contains(s.cfg.GroupNames(), g) {
			return "", cli.Usagef("-group %q: the stage defines the groups %s", g, strings.Join(s.cfg.GroupNames(), ", "))
		}
	}
	if err := checkLinkTarget(s.cfg, u.email, u.linkTarget); err != nil {
		return "", err
	}
	if err := s.need(s.poolID, "user-pool-id", names.OutUserPoolID); err != nil {
		return "", err
	}
	if u.fullName == "" {
		u.fullName = u.email[:strings.Index(u.email, "@")]
	}
	return password, nil
}

// addUser creates the user confirmed, with its permanent password and groups, and prints it.
func (a *app) addUser(ctx context.Context, s *settings, u newUser, password string) error {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	client, err := s.cognito(ctx, true)
	if err != nil {
		return err
	}
	user, err := createConfirmedUser(ctx, client, s, u, password)
	if err != nil {
		return err
	}
	return writeJSON(a.stdout, user)
}

// createConfirmedUser creates the user confirmed, with its permanent password and groups.
func createConfirmedUser(ctx context.Context, client *cip.Client, s *settings, u newUser, password string) (createdUser, error) {
	created, err := client.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(s.poolID),
		Username:   aws.String(u.email),
		UserAttributes: []types.AttributeType{
			{Name: aws.String("email"), Value: aws.String(u.email)},
			// An administrator vouches for the address, so no verification mail is needed.
			{Name: aws.String("email_verified"), Value: aws.String("true")},
			{Name: aws.String("name"), Value: aws.String(u.fullName)},
		},
		// The password is set below; Cognito must not mail a temporary one.
		MessageAction: types.MessageActionTypeSuppress,
	})
	if err != nil {
		var exists *types.UsernameExistsException
		if errors.As(err, &exists) {
			return createdUser{}, fmt.Errorf("a user with the email %s exists already; to give it a new permanent password run: authctl set-password -email %s -password-stdin", u.email, u.email)
		}
		return createdUser{}, s.describe(err)
	}
	if err := finishUser(ctx, client, s, u, password); err != nil {
		return createdUser{}, err
	}
	user := createdUser{UserPoolID: s.poolID, Username: aws.ToString(created.User.Username), Email: u.email, Groups: []string(u.groups), Status: "CONFIRMED"}
	user.Sub = attributeValue(created.User.Attributes, attrSub)
	if user.Groups == nil {
		user.Groups = []string{}
	}
	return user, nil
}

// finishUser gives the new user its permanent password and groups. Without a permanent
// password the user is stuck in FORCE_CHANGE_PASSWORD; a user this could not finish is removed
// rather than left half made.
func finishUser(ctx context.Context, client *cip.Client, s *settings, u newUser, password string) error {
	undo := func(cause error) error {
		_, delErr := client.AdminDeleteUser(context.WithoutCancel(ctx), &cip.AdminDeleteUserInput{UserPoolId: aws.String(s.poolID), Username: aws.String(u.email)})
		if delErr != nil {
			return fmt.Errorf("%w; removing the half-made user failed too: %v", cause, s.describe(delErr))
		}
		return fmt.Errorf("%w (the user was removed again)", cause)
	}
	if _, err := client.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(s.poolID), Username: aws.String(u.email), Password: aws.String(password), Permanent: true,
	}); err != nil {
		return undo(s.describe(err))
	}
	for _, g := range u.groups {
		if _, err := client.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{
			UserPoolId: aws.String(s.poolID), Username: aws.String(u.email), GroupName: aws.String(g),
		}); err != nil {
			return undo(fmt.Errorf("adding the user to group %s: %w", g, s.describe(err)))
		}
	}
	return nil
}

func (a *app) setPassword(fs *flag.FlagSet) cli.Run {
	var s settings
	var pw passwordFlags
	s.Declare(fs)
	email := fs.String("email", "", "the user's email `address` (or username)")
	pw.add(fs)
	s.poolFlags(fs)
	return func(ctx context.Context, _ []string) error {
		if *email == "" {
			return cli.Usagef("-email is required")
		}
		if err := s.load(); err != nil {
			return err
		}
		password, err := a.password(pw)
		if err != nil {
			return err
		}
		if err := checkPassword(password, s.cfg.PasswordPolicy); err != nil {
			return cli.Usagef("%v", err)
		}
		if err := s.need(s.poolID, "user-pool-id", names.OutUserPoolID); err != nil {
			return err
		}
		return a.setPermanentPassword(ctx, &s, *email, password)
	}
}

func (a *app) setPermanentPassword(ctx context.Context, s *settings, email, password string) error {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	client, err := s.cognito(ctx, true)
	if err != nil {
		return err
	}
	if _, err := client.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(s.poolID), Username: aws.String(email), Password: aws.String(password), Permanent: true,
	}); err != nil {
		return s.describe(err)
	}
	fmt.Fprintf(a.stderr, "%s now has a permanent password\n", email)
	return nil
}

// setupLocal creates the stage's pool, groups and app client on a local emulator. The pool
// gets the real pool's sign-in settings (email as the username, email and name required), so
// users and tokens look like the real ones, and the stage's pre token generation trigger,
// which cmd/local answers (see localPoolInput).
func (a *app) setupLocal(fs *flag.FlagSet) cli.Run {
	var s settings
	var redirects listFlag
	var lambdaURL string
	s.Declare(fs)
	// Here -outputs is the file written, kept apart from the deploy's cdk-outputs.json.
	out := fs.Lookup("outputs")
	out.Value.Set(defaultLocalOutputs)
	out.DefValue, out.Usage = defaultLocalOutputs, "outputs `file` to write"
	fs.StringVar(&s.endpoint, "endpoint", defaultLocalEndpoint, "`URL` of the local Cognito-compatible server; must be loopback")
	fs.StringVar(&s.apiURL, "api-url", defaultLocalAPIURL, "`URL` of the local API server, written as the "+names.OutAPIURL+" output")
	fs.StringVar(&lambdaURL, "lambda-url", "http://"+localapi.DefaultLambdaAddr, "loopback `URL` where cmd/local answers the pool's pre token generation trigger (Lambda's Invoke API), written as the "+names.OutLambdaEndpoint+" output")
	fs.Var(&redirects, "redirect-uri", "extra callback `URL` to register on the app client, besides the stage's callbackUrls (repeatable), e.g. for authctl login -redirect-uri")
	cli.Renamed(fs, "callback-url", "redirect-uri")
	var dynamo string
	fs.StringVar(&dynamo, "dynamodb-endpoint", localdb.DefaultEndpoint, "`URL` of the local DynamoDB (dynalite) to make the items table on; must be loopback; \"\" makes none (/items then answers 503)")
	return func(ctx context.Context, _ []string) error {
		if !loopback.IsURL(s.endpoint) {
			return cli.Usagef("-endpoint %q: want a loopback URL such as %s; setup-local never creates pools in AWS (cdk deploy does)", s.endpoint, defaultLocalEndpoint)
		}
		if dynamo != "" && !loopback.IsURL(dynamo) {
			return cli.Usagef("-dynamodb-endpoint %q: want a loopback URL such as %s; setup-local never creates tables in AWS (cdk deploy does)", dynamo, localdb.DefaultEndpoint)
		}
		s.endpoint = strings.TrimSuffix(s.endpoint, "/")
		if !loopback.IsURL(lambdaURL) || !strings.HasPrefix(lambdaURL, "http://") {
			return cli.Usagef("-lambda-url %q: want a loopback http URL such as http://%s", lambdaURL, localapi.DefaultLambdaAddr)
		}
		lambdaURL = strings.TrimSuffix(lambdaURL, "/")
		cfg, err := s.Config()
		if err != nil {
			return err
		}
		if err := refuseDeployedOutputs(s.Outputs); err != nil {
			return err
		}
		// The table first: a local DynamoDB that is not running stops setup-local before it
		// makes a pool.
		var table localTable
		if dynamo != "" {
			if table, err = a.createLocalTable(ctx, strings.TrimSuffix(dynamo, "/"), names.ItemsTable(cfg.AppName, cfg.StageName)); err != nil {
				return err
			}
		}
		return a.createLocalPool(ctx, &s, cfg, redirects, lambdaURL, table)
	}
}

// localTable is the items table setup-local made (or found) on a local DynamoDB.
type localTable struct {
	endpoint, name string
}

// createLocalTable makes the items table on the local DynamoDB at endpoint, from the key
// schema the API stack synthesizes, or keeps the one there (and its items).
func (a *app) createLocalTable(ctx context.Context, endpoint, name string) (localTable, error) {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	c, err := localdb.Client(endpoint)
	if err != nil {
		return localTable{}, cli.Usagef("-dynamodb-endpoint: %v", err)
	}
	created, err := localdb.EnsureTable(ctx, c, name)
	if err != nil {
		return localTable{}, fmt.Errorf("items table %s on %s: %w (or pass -dynamodb-endpoint \"\" for a pool without an items table)", name, endpoint, err)
	}
	verb := "kept the existing"
	if created {
		verb = "created the"
	}
	fmt.Fprintf(a.stderr, "%s items table %s on %s\n", verb, name, endpoint)
	return localTable{endpoint: endpoint, name: name}, nil
}

// createLocalPool creates the pool, its groups and the app client, and writes the outputs
// file that points at them and at the items table.
func (a *app) createLocalPool(ctx context.Context, s *settings, cfg config.Config, redirects []string, lambdaURL string, table localTable) error {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	client, err := s.cognito(ctx, true)
	if err != nil {
		return err
	}
	if _, ok := cfg.TokenTrigger(); !ok {
		lambdaURL = "" // nothing to call
	}
	pool, err := client.CreateUserPool(ctx, localPoolInput(cfg, lambdaURL))
	if err != nil {
		return s.describe(err)
	}
	poolID := aws.ToString(pool.UserPool.Id)
	for _, g := range cfg.Groups {
		if _, err := client.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String(g.Name), Description: aws.String(g.Description)}); err != nil {
			return fmt.Errorf("creating group %s: %w", g.Name, s.describe(err))
		}
	}
	appClient, err := client.CreateUserPoolClient(ctx, localClientInput(cfg, poolID, localCallbacks(cfg.CallbackURLs, redirects)))
	if err != nil {
		return s.describe(err)
	}
	return a.writeLocalOutputs(s, cfg, poolID, aws.ToString(appClient.UserPoolClient.ClientId), lambdaURL, table)
}

// localPoolInput is the stage's pool as cognito-local can make it. With lambdaURL, the pool
// has the stage's pre token generation trigger (event version 2), as the auth stack gives the
// real pool: its LambdaArn is the trigger's Invoke URL at lambdaURL, where cmd/local runs the
// trigger's own code. Cognito takes only an ARN there; cognito-local, as patches/ changes it,
// takes only such a loopback URL.
func localPoolInput(cfg config.Config, lambdaURL string) *cip.CreateUserPoolInput {
	st := cfg.Stage
	mfa := map[string]types.UserPoolMfaType{"off": types.UserPoolMfaTypeOff, "optional": types.UserPoolMfaTypeOptional, "required": types.UserPoolMfaTypeOn}[st.MFA]
	var triggers *types.LambdaConfigType
	if lambdaURL != "" {
		triggers = &types.LambdaConfigType{PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
			LambdaArn:     aws.String(localapi.FunctionURL(lambdaURL, names.PreTokenTrigger(cfg.AppName, cfg.StageName))),
			LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20,
		}}
	}
	return &cip.CreateUserPoolInput{
		LambdaConfig:           triggers,
		PoolName:               aws.String(names.UserPool(cfg.AppName, cfg.StageName)),
		UsernameAttributes:     []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		UsernameConfiguration:  &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Schema: []types.SchemaAttributeType{
			{Name: aws.String("email"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)},
			{Name: aws.String("name"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)},
		},
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength:    aws.Int32(int32(st.PasswordPolicy.MinLength)),
			RequireLowercase: st.PasswordPolicy.RequireLowercase,
			RequireUppercase: st.PasswordPolicy.RequireUppercase,
			RequireNumbers:   st.PasswordPolicy.RequireDigits,
			RequireSymbols:   st.PasswordPolicy.RequireSymbols,
		}},
		MfaConfiguration:      mfa,
		AdminCreateUserConfig: &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: !st.SelfSignUp},
	}
}

// localClientInput is the stage's web client as cognito-local can make it.
func localClientInput(cfg config.Config, poolID string, callbacks []string) *cip.CreateUserPoolClientInput {
	st := cfg.Stage
	flows := []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
	if st.PasswordAuth {
		flows = append(flows, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth)
	}
	var oauthFlows []types.OAuthFlowType
	for _, f := range st.OAuthFlows {
		oauthFlows = append(oauthFlows, types.OAuthFlowType(f))
	}
	minutes := types.TimeUnitsTypeMinutes
	return &cip.CreateUserPoolClientInput{
		UserPoolId:                      aws.String(poolID),
		ClientName:                      aws.String(names.WebClient(cfg.AppName, cfg.StageName)),
		GenerateSecret:                  false,
		ExplicitAuthFlows:               flows,
		AllowedOAuthFlows:               oauthFlows,
		AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes:              cfg.AppClientScopes(),
		CallbackURLs:                    callbacks,
		LogoutURLs:                      st.LogoutURLs,
		SupportedIdentityProviders:      []string{"COGNITO"},
		AccessTokenValidity:             aws.Int32(int32(st.Tokens.AccessMinutes)),
		IdTokenValidity:                 aws.Int32(int32(st.Tokens.IDMinutes)),
		RefreshTokenValidity:            int32(st.Tokens.RefreshMinutes),
		TokenValidityUnits:              &types.TokenValidityUnitsType{AccessToken: minutes, IdToken: minutes, RefreshToken: minutes},
		EnableTokenRevocation:           aws.Bool(true),
		PreventUserExistenceErrors:      types.PreventUserExistenceErrorTypesEnabled,
	}
}

// writeLocalOutputs writes the outputs file of the local pool, and prints it.
func (a *app) writeLocalOutputs(s *settings, cfg config.Config, poolID, clientID, lambdaURL string, table localTable) error {
	// cognito-local issues tokens for http://<HOST>:<PORT>/<pool id> and serves the managed
	// login endpoints (/oauth2/authorize, /oauth2/token) at its root.
	issuer := s.endpoint + "/" + poolID
	stage := outputs.Stage{
		Region:           s.region,
		UserPoolID:       poolID,
		ClientID:         clientID,
		IssuerURL:        issuer,
		JWKSURL:          issuer + "/.well-known/jwks.json",
		ManagedLoginURL:  s.endpoint,
		APIURL:           s.apiURL,
		CognitoEndpoint:  s.endpoint,
		LambdaEndpoint:   lambdaURL,
		ItemsTable:       table.name,
		DynamoDBEndpoint: table.endpoint,
	}
	b, err := outputs.Marshal(cfg.AppName, cfg.StageName, stage)
	if err != nil {
		return err
	}
	if err := os.WriteFile(s.Outputs, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "created user pool %s, groups [%s] and app client %s on %s\n", poolID, strings.Join(cfg.GroupNames(), " "), clientID, s.endpoint)
	if lambdaURL != "" {
		fmt.Fprintf(a.stderr, "the pool's pre token generation trigger is answered by cmd/local at %s: start cmd/local before signing in\n", lambdaURL)
	}
	fmt.Fprintf(a.stderr, "wrote %s\n", s.Outputs)
	a.stdout.Write(b)
	return nil
}

// localCallbacks are the callback URLs of a local app client: the stage's, the extra ones,
// and authctl login's own, each once, so that login works against any stage's local pool.
func localCallbacks(stage, extra []string) []string {
	var all []string
	for _, u := range slices.Concat(stage, extra, []string{LoginCallback}) {
		if !slices.Contains(all, u) {
			all = append(all, u)
		}
	}
	return all
}

// refuseDeployedOutputs keeps setup-local from overwriting the outputs of a real deploy.
func refuseDeployedOutputs(path string) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var file map[string]map[string]any
	if json.Unmarshal(b, &file) != nil {
		return fmt.Errorf("%s exists and is not an outputs file; choose another -outputs", path)
	}
	for stack, values := range file {
		if _, local := values[names.OutCognitoEndpoint]; !local && strings.HasSuffix(stack, names.AuthStackSuffix) {
			return fmt.Errorf("%s holds the outputs of a deployed stack (%s); choose another -outputs", path, stack)
		}
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
