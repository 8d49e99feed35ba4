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

	"github.com/cognito-apigw/cognito-apigw/internal/cdkjson"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
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

func (c *cli) password(p passwordFlags) (string, error) {
	switch {
	case p.stdin && p.value != "":
		return "", usageErr("pass -password or -password-stdin, not both")
	case p.stdin:
		line, err := bufio.NewReader(c.stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", usageErr("-password-stdin: no password on stdin")
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return "", usageErr("-password-stdin: empty password")
		}
		return line, nil
	case p.value == "":
		return "", usageErr("-password or -password-stdin is required")
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
		return usageErr("-email is required")
	}
	if at := strings.Index(email, "@"); at < 1 || at == len(email)-1 || strings.ContainsAny(email, " \t") {
		return usageErr("-email %q: want an email address, the pool's sign-in name", email)
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
			return usageErr("-email %s: stage %s links %s sign-ins with this address to an existing user (linkByEmail), so the address's owner signing in through %s would join this user, whose password you chose; "+
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

func (c *cli) createUser(ctx context.Context, name string, args []string) error {
	var s settings
	var pw passwordFlags
	var groups listFlag
	fs := c.newFlagSet(name, &s, "-email EMAIL (-password P | -password-stdin) [-name NAME] [-group G]... [-link-target]")
	email := fs.String("email", "", "the user's email `address`, which is also the sign-in name")
	fullName := fs.String("name", "", "the user's full `name` (the pool requires one; default: the email's local part)")
	fs.Var(&groups, "group", "add the user to this `group` (repeatable, or comma-separated)")
	linkTarget := fs.Bool("link-target", false, "create the user although linkByEmail would join a provider's sign-in with this address to it (only for the address's real owner)")
	pw.add(fs)
	s.poolFlags(fs)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := checkEmail(*email); err != nil {
		return err
	}
	if err := s.load(fs); err != nil {
		return err
	}
	password, err := c.password(pw)
	if err != nil {
		return err
	}
	if err := checkPassword(password, s.cfg.PasswordPolicy); err != nil {
		return usageErr("%v", err)
	}
	for _, g := range groups {
		if !slices.Contains(s.cfg.GroupNames(), g) {
			return usageErr("-group %q: the stage defines the groups %s", g, strings.Join(s.cfg.GroupNames(), ", "))
		}
	}
	if err := checkLinkTarget(s.cfg, *email, *linkTarget); err != nil {
		return err
	}
	if err := s.need(s.poolID, "user-pool-id", names.OutUserPoolID); err != nil {
		return err
	}
	if *fullName == "" {
		*fullName = (*email)[:strings.Index(*email, "@")]
	}

	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	client, err := s.cognito(ctx, true)
	if err != nil {
		return err
	}
	created, err := client.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(s.poolID),
		Username:   email,
		UserAttributes: []types.AttributeType{
			{Name: aws.String("email"), Value: email},
			// An administrator vouches for the address, so no verification mail is needed.
			{Name: aws.String("email_verified"), Value: aws.String("true")},
			{Name: aws.String("name"), Value: fullName},
		},
		// The password is set below; Cognito must not mail a temporary one.
		MessageAction: types.MessageActionTypeSuppress,
	})
	if err != nil {
		var exists *types.UsernameExistsException
		if errors.As(err, &exists) {
			return fmt.Errorf("a user with the email %s exists already; to give it a new permanent password run: authctl set-password -email %s -password-stdin", *email, *email)
		}
		return s.describe(err)
	}
	user := createdUser{UserPoolID: s.poolID, Username: aws.ToString(created.User.Username), Email: *email, Groups: []string(groups), Status: "CONFIRMED"}
	for _, a := range created.User.Attributes {
		if aws.ToString(a.Name) == "sub" {
			user.Sub = aws.ToString(a.Value)
		}
	}
	if user.Groups == nil {
		user.Groups = []string{}
	}
	// Without a permanent password the user is stuck in FORCE_CHANGE_PASSWORD; a user this
	// command could not finish is removed rather than left half made.
	undo := func(cause error) error {
		_, delErr := client.AdminDeleteUser(context.WithoutCancel(ctx), &cip.AdminDeleteUserInput{UserPoolId: aws.String(s.poolID), Username: email})
		if delErr != nil {
			return fmt.Errorf("%w; removing the half-made user failed too: %v", cause, s.describe(delErr))
		}
		return fmt.Errorf("%w (the user was removed again)", cause)
	}
	if _, err := client.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(s.poolID), Username: email, Password: aws.String(password), Permanent: true,
	}); err != nil {
		return undo(s.describe(err))
	}
	for _, g := range groups {
		if _, err := client.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{
			UserPoolId: aws.String(s.poolID), Username: email, GroupName: aws.String(g),
		}); err != nil {
			return undo(fmt.Errorf("adding the user to group %s: %w", g, s.describe(err)))
		}
	}
	return writeJSON(c.stdout, user)
}

func (c *cli) setPassword(ctx context.Context, name string, args []string) error {
	var s settings
	var pw passwordFlags
	fs := c.newFlagSet(name, &s, "-email EMAIL (-password P | -password-stdin)")
	email := fs.String("email", "", "the user's email `address` (or username)")
	pw.add(fs)
	s.poolFlags(fs)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *email == "" {
		return usageErr("-email is required")
	}
	if err := s.load(fs); err != nil {
		return err
	}
	password, err := c.password(pw)
	if err != nil {
		return err
	}
	if err := checkPassword(password, s.cfg.PasswordPolicy); err != nil {
		return usageErr("%v", err)
	}
	if err := s.need(s.poolID, "user-pool-id", names.OutUserPoolID); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	client, err := s.cognito(ctx, true)
	if err != nil {
		return err
	}
	if _, err := client.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(s.poolID), Username: email, Password: aws.String(password), Permanent: true,
	}); err != nil {
		return s.describe(err)
	}
	fmt.Fprintf(c.stderr, "%s now has a permanent password\n", *email)
	return nil
}

// setupLocal creates the stage's pool, groups and app client on a local emulator. The pool
// gets the real pool's sign-in settings (email as the username, email and name required), so
// users and tokens look like the real ones.
func (c *cli) setupLocal(ctx context.Context, name string, args []string) error {
	var s settings
	var callbacks listFlag
	fs := c.newFlagSet(name, &s, "[-endpoint URL] [-outputs FILE] [-api-url URL] [-callback-url URL]...")
	fs.StringVar(&s.endpoint, "endpoint", defaultLocalEndpoint, "`URL` of the local Cognito-compatible server; must be loopback")
	fs.StringVar(&s.apiURL, "api-url", defaultLocalAPIURL, "`URL` of the local API server, written as the "+names.OutAPIURL+" output")
	fs.Var(&callbacks, "callback-url", "extra callback `URL` for the app client, besides the stage's (repeatable), e.g. for authctl login -redirect-uri")
	// Here -outputs is the file written, kept apart from the deploy's cdk-outputs.json.
	out := fs.Lookup("outputs")
	out.Value.Set(defaultLocalOutputs)
	out.DefValue, out.Usage = defaultLocalOutputs, "outputs `file` to write"
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if !routes.IsLoopbackURL(s.endpoint) {
		return usageErr("-endpoint %q: want a loopback URL such as %s; setup-local never creates pools in AWS (cdk deploy does)", s.endpoint, defaultLocalEndpoint)
	}
	s.endpoint = strings.TrimSuffix(s.endpoint, "/")
	cfg, err := cdkjson.Load(s.cdkJSON, s.stage)
	if err != nil {
		return usageErr("%v", err)
	}
	if err := refuseDeployedOutputs(s.outputsFile); err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	client, err := s.cognito(ctx, true)
	if err != nil {
		return err
	}
	st := cfg.Stage
	mfa := map[string]types.UserPoolMfaType{"off": types.UserPoolMfaTypeOff, "optional": types.UserPoolMfaTypeOptional, "required": types.UserPoolMfaTypeOn}[st.MFA]
	pool, err := client.CreateUserPool(ctx, &cip.CreateUserPoolInput{
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
	})
	if err != nil {
		return s.describe(err)
	}
	poolID := aws.ToString(pool.UserPool.Id)
	for _, g := range st.Groups {
		if _, err := client.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String(g.Name), Description: aws.String(g.Description)}); err != nil {
			return fmt.Errorf("creating group %s: %w", g.Name, s.describe(err))
		}
	}
	flows := []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
	if st.PasswordAuth {
		flows = append(flows, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth)
	}
	var oauthFlows []types.OAuthFlowType
	for _, f := range st.OAuthFlows {
		oauthFlows = append(oauthFlows, types.OAuthFlowType(f))
	}
	minutes := types.TimeUnitsTypeMinutes
	appClient, err := client.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId:                      aws.String(poolID),
		ClientName:                      aws.String(names.WebClient(cfg.AppName, cfg.StageName)),
		GenerateSecret:                  false,
		ExplicitAuthFlows:               flows,
		AllowedOAuthFlows:               oauthFlows,
		AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes:              cfg.AppClientScopes(),
		CallbackURLs:                    localCallbacks(st.CallbackURLs, callbacks),
		LogoutURLs:                      st.LogoutURLs,
		SupportedIdentityProviders:      []string{"COGNITO"},
		AccessTokenValidity:             aws.Int32(int32(st.Tokens.AccessMinutes)),
		IdTokenValidity:                 aws.Int32(int32(st.Tokens.IDMinutes)),
		RefreshTokenValidity:            int32(st.Tokens.RefreshMinutes),
		TokenValidityUnits:              &types.TokenValidityUnitsType{AccessToken: minutes, IdToken: minutes, RefreshToken: minutes},
		EnableTokenRevocation:           aws.Bool(true),
		PreventUserExistenceErrors:      types.PreventUserExistenceErrorTypesEnabled,
	})
	if err != nil {
		return s.describe(err)
	}
	// cognito-local issues tokens for http://<HOST>:<PORT>/<pool id> and serves the managed
	// login endpoints (/oauth2/authorize, /oauth2/token) at its root.
	issuer := s.endpoint + "/" + poolID
	stage := outputs.Stage{
		Region:          s.region,
		UserPoolID:      poolID,
		ClientID:        aws.ToString(appClient.UserPoolClient.ClientId),
		IssuerURL:       issuer,
		JWKSURL:         issuer + "/.well-known/jwks.json",
		ManagedLoginURL: s.endpoint,
		APIURL:          s.apiURL,
		CognitoEndpoint: s.endpoint,
	}
	b, err := outputs.Marshal(cfg.AppName, cfg.StageName, stage)
	if err != nil {
		return err
	}
	if err := os.WriteFile(s.outputsFile, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "created user pool %s, groups [%s] and app client %s on %s\nwrote %s\n",
		poolID, strings.Join(st.GroupNames(), " "), stage.ClientID, s.endpoint, s.outputsFile)
	c.stdout.Write(b)
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
