package stacks

import (
	"net/url"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// AuthStackProps configure NewAuthStack.
type AuthStackProps struct {
	awscdk.StackProps
	Config config.Config
	// Branding is the managed-login style; nil means Cognito's default style.
	Branding *BrandingStyle
	// SAMLMetadata is the content of each SAML provider's metadataFile, by provider name
	// (config.Config.SAMLMetadata reads them).
	SAMLMetadata map[string]string
	// ModuleDir is the Go module holding the triggers' main packages (./lambda/pretoken,
	// ./lambda/presignup), built at synth when the stage needs them.
	ModuleDir string
}

// AuthStack holds the user pool and what the API stack needs from it.
type AuthStack struct {
	awscdk.Stack
	UserPool awscognito.UserPool
	Client   awscognito.UserPoolClient
	// MachineClients are the client ids of the stage's machine clients, by name.
	MachineClients map[string]*string
	// DomainURL is where managed login is: https://<loginDomain.name> on a stage with its own
	// domain, else https://<prefix>.auth.<region>.amazoncognito.com.
	DomainURL *string
	// Triggers are the pool's Lambda triggers, which the alarms watch.
	Triggers []NamedFunction
}

// NewAuthStack creates the user pool, its groups and resource server, its identity providers
// (and the linkByEmail trigger), the app client, the managed-login domain (version 2) and the
// client's login style; and, as the stage asks, the pool's web ACL and sign-in logs.
func NewAuthStack(scope constructs.Construct, id string, props *AuthStackProps) *AuthStack {
	var p AuthStackProps
	if props != nil {
		p = *props
	}
	sprops, cfg, style := p.StackProps, p.Config, p.Branding
	stack := awscdk.NewStack(scope, &id, &sprops)

	pool := newUserPool(stack, cfg)
	addUserPoolWebACL(stack, pool, cfg)
	addSignInLogs(stack, pool, cfg)
	var triggers []NamedFunction
	if fn := addTokenTrigger(stack, pool, cfg, p.ModuleDir); fn != nil {
		triggers = append(triggers, NamedFunction{Name: "pre-token", Function: fn})
	}
	setPasskeys(pool, cfg)
	addGroups(stack, pool, cfg.Stage.Groups)
	server := addResourceServer(pool, cfg)
	addSESRegionRule(stack, cfg.Stage.Email)
	providers := addIdentityProviders(stack, pool, cfg.Stage, p.SAMLMetadata)
	if cfg.Stage.LinkByEmail {
		triggers = append(triggers, NamedFunction{Name: "pre-sign-up", Function: addLinkByEmailTrigger(stack, pool, cfg, p.ModuleDir)})
	}
	client := newWebClient(pool, cfg, server)
	// The client names the providers: created first, or the first deploy races them.
	for _, idp := range providers {
		client.Node().AddDependency(idp)
	}
	machine := addMachineClients(pool, cfg, server)
	domainURL := newDomainAndStyle(stack, cfg, pool, client, styleForStage(stack, style, cfg.Stage, cfg.StageName))
	if d := cfg.Stage.LoginDomain; d != nil {
		domainURL = newLoginDomain(stack, *d, pool)
	}
	addAuthOutputs(stack, cfg.Stage, pool, client, domainURL, machine)
	suppressUserPoolFindings(pool, cfg.Stage)

	return &AuthStack{Stack: stack, UserPool: pool, Client: client, MachineClients: machine, DomainURL: domainURL, Triggers: triggers}
}

// newUserPool creates the user pool: email sign-in, the stage's password, MFA and feature-plan
// settings, and a production stage's pool kept when its stack goes.
func newUserPool(stack awscdk.Stack, cfg config.Config) awscognito.UserPool {
	s := cfg.Stage
	var threatProtection awscognito.StandardThreatProtectionMode
	if s.ThreatProtection {
		threatProtection = awscognito.StandardThreatProtectionMode_FULL_FUNCTION
	}
	return awscognito.NewUserPool(stack, jsii.String("UserPool"), &awscognito.UserPoolProps{
		UserPoolName: jsii.String(names.UserPool(cfg.AppName, cfg.StageName)),
		// Sign-in aliases and required attributes cannot change after creation: changing them
		// replaces the pool and deletes every user.
		SignInAliases:       &awscognito.SignInAliases{Email: jsii.Bool(true)},
		SignInCaseSensitive: jsii.Bool(false),
		StandardAttributes: &awscognito.StandardAttributes{
			Email:    &awscognito.StandardAttribute{Required: jsii.Bool(true), Mutable: jsii.Bool(true)},
			Fullname: &awscognito.StandardAttribute{Required: jsii.Bool(true), Mutable: jsii.Bool(true)},
		},
		SelfSignUpEnabled: jsii.Bool(s.SelfSignUp),
		AutoVerify:        &awscognito.AutoVerifiedAttrs{Email: jsii.Bool(true)},
		UserVerification: &awscognito.UserVerificationConfig{
			EmailStyle:   awscognito.VerificationEmailStyle_CODE,
			EmailSubject: jsii.String(s.VerificationEmail.Subject),
			EmailBody:    jsii.String(s.VerificationEmail.Body),
		},
		// A typo in a new address must not lock the user out: keep the old one until verified.
		KeepOriginal:    &awscognito.KeepOriginalAttrs{Email: jsii.Bool(true)},
		AccountRecovery: awscognito.AccountRecovery_EMAIL_ONLY,
		PasswordPolicy: &awscognito.PasswordPolicy{
			MinLength:            jsii.Number(s.PasswordPolicy.MinLength),
			RequireLowercase:     jsii.Bool(s.PasswordPolicy.RequireLowercase),
			RequireUppercase:     jsii.Bool(s.PasswordPolicy.RequireUppercase),
			RequireDigits:        jsii.Bool(s.PasswordPolicy.RequireDigits),
			RequireSymbols:       jsii.Bool(s.PasswordPolicy.RequireSymbols),
			TempPasswordValidity: awscdk.Duration_Days(jsii.Number(3)),
		},
		Mfa:                          mfaMode(s.MFA),
		MfaSecondFactor:              &awscognito.MfaSecondFactor{Otp: jsii.Bool(true), Sms: jsii.Bool(s.MFASMS)},
		FeaturePlan:                  awscognito.FeaturePlan(s.EffectiveFeaturePlan()),
		SignInPolicy:                 signInPolicy(s.SignIn),
		StandardThreatProtectionMode: threatProtection,
		Email:                        poolEmail(s.Email),
		UserInvitation: &awscognito.UserInvitationConfig{
			EmailSubject: jsii.String(s.InvitationMessage.Subject),
			EmailBody:    jsii.String(s.InvitationMessage.Body),
		},
		DeletionProtection: jsii.Bool(s.Production),
		RemovalPolicy:      removalPolicy(s.Production),
	})
}

// addGroups creates the stage's user groups, which the route table's group rules name.
func addGroups(stack awscdk.Stack, pool awscognito.UserPool, groups []config.Group) {
	for _, g := range groups {
		awscognito.NewCfnUserPoolGroup(stack, jsii.String(groupID(g.Name)), &awscognito.CfnUserPoolGroupProps{
			UserPoolId:  pool.UserPoolId(),
			GroupName:   jsii.String(g.Name),
			Description: nonEmpty(g.Description),
		})
	}
}

// addResourceServer creates the API's resource server with the stage's scopes.
func addResourceServer(pool awscognito.UserPool, cfg config.Config) awscognito.UserPoolResourceServer {
	rs := cfg.Stage.ResourceServer
	var serverScopes []awscognito.ResourceServerScope
	for _, sc := range rs.Scopes {
		serverScopes = append(serverScopes, awscognito.NewResourceServerScope(&awscognito.ResourceServerScopeProps{
			ScopeName: jsii.String(sc.Name), ScopeDescription: jsii.String(sc.Description),
		}))
	}
	return pool.AddResourceServer(jsii.String("ResourceServer"), &awscognito.UserPoolResourceServerOptions{
		Identifier:                 jsii.String(rs.Identifier),
		UserPoolResourceServerName: jsii.String(cfg.AppName + " API"),
		Scopes:                     &serverScopes,
	})
}

// oauthScopes are the named scopes for an app client; the resource server's go through it, so
// that the client waits for its scopes to exist.
func oauthScopes(server awscognito.UserPoolResourceServer, rs config.ResourceServer, names []string) *[]awscognito.OAuthScope {
	var out []awscognito.OAuthScope
	for _, full := range names {
		name, ok := strings.CutPrefix(full, rs.Identifier+"/")
		if !ok {
			out = append(out, awscognito.OAuthScope_Custom(jsii.String(full)))
			continue
		}
		out = append(out, awscognito.OAuthScope_ResourceServer(server,
			awscognito.NewResourceServerScope(&awscognito.ResourceServerScopeProps{ScopeName: jsii.String(name), ScopeDescription: jsii.String(name)})))
	}
	return &out
}

// newWebClient creates the public app client the managed login and the tools sign in with. It
// allows config.Stage.AppClientScopes: no scope a group is granted.
func newWebClient(pool awscognito.UserPool, cfg config.Config, server awscognito.UserPoolResourceServer) awscognito.UserPoolClient {
	s := cfg.Stage
	client := pool.AddClient(jsii.String("WebClient"), &awscognito.UserPoolClientOptions{
		UserPoolClientName: jsii.String(names.WebClient(cfg.AppName, cfg.StageName)),
		// A public client (browser or native app): PKCE protects the code exchange, not a secret.
		GenerateSecret: jsii.Bool(false),
		AuthFlows: &awscognito.AuthFlow{
			UserSrp:           jsii.Bool(true),
			UserPassword:      jsii.Bool(s.PasswordAuth),
			AdminUserPassword: jsii.Bool(s.PasswordAuth),
			// Choice-based sign-in (USER_AUTH) is the flow passwordless factors use.
			User: jsii.Bool(s.SignIn.Passwordless()),
		},
		OAuth: &awscognito.OAuthSettings{
			Flows: &awscognito.OAuthFlows{
				AuthorizationCodeGrant: jsii.Bool(true),
				ImplicitCodeGrant:      jsii.Bool(contains(s.OAuthFlows, "implicit")),
			},
			Scopes:       oauthScopes(server, s.ResourceServer, s.AppClientScopes()),
			CallbackUrls: jsii.Strings(s.CallbackURLs...),
			LogoutUrls:   jsii.Strings(s.LogoutURLs...),
		},
		AccessTokenValidity:        awscdk.Duration_Minutes(jsii.Number(s.Tokens.AccessMinutes)),
		IdTokenValidity:            awscdk.Duration_Minutes(jsii.Number(s.Tokens.IDMinutes)),
		RefreshTokenValidity:       awscdk.Duration_Minutes(jsii.Number(s.Tokens.RefreshMinutes)),
		AuthSessionValidity:        awscdk.Duration_Minutes(jsii.Number(s.Tokens.AuthSessionMinutes)),
		EnableTokenRevocation:      jsii.Bool(true),
		PreventUserExistenceErrors: jsii.Bool(true),
		SupportedIdentityProviders: clientProviders(s),
	})
	// Left out, every standard attribute would be writable by every user who signs in, the
	// *_verified ones included.
	client.Node().DefaultChild().(awscognito.CfnUserPoolClient).SetWriteAttributes(jsii.Strings(s.WritableAttributes()...))
	if r := s.Tokens.RefreshRotation; r.Enabled {
		// Each refresh then returns a new refresh token and retires the one sent, after the
		// grace period; the CDK has no option for it yet.
		client.Node().DefaultChild().(awscognito.CfnUserPoolClient).SetRefreshTokenRotation(&awscognito.CfnUserPoolClient_RefreshTokenRotationProperty{
			Feature: jsii.String("ENABLED"), RetryGracePeriodSeconds: jsii.Number(r.GraceSeconds),
		})
	}
	return client
}

// newDomainAndStyle creates the managed-login domain (version 2) and the client's login style,
// and returns the domain's URL.
func newDomainAndStyle(stack awscdk.Stack, cfg config.Config, pool awscognito.UserPool, client awscognito.UserPoolClient, style *BrandingStyle) *string {
	prefix := domainPrefix(cfg)
	domain := awscognito.NewCfnUserPoolDomain(stack, jsii.String("Domain"), &awscognito.CfnUserPoolDomainProps{
		UserPoolId:          pool.UserPoolId(),
		Domain:              prefix,
		ManagedLoginVersion: jsii.Number(2),
	})
	// A version 2 domain shows "Login pages unavailable" for a client without a style, so the
	// client always gets one.
	branding := awscognito.NewCfnManagedLoginBranding(stack, jsii.String("LoginStyle"), loginStyleProps(style, pool.UserPoolId(), client.UserPoolClientId()))
	branding.Node().AddDependency(domain)

	return awscdk.Fn_Join(jsii.String(""), jsii.Strings(
		"https://", *prefix, ".auth.", *awscdk.Aws_REGION(), ".amazoncognito.com"))
}

// domainPrefix is the stage's managed-login domain prefix, derived unless set.
func domainPrefix(cfg config.Config) *string {
	if cfg.Stage.DomainPrefix != "" {
		return jsii.String(cfg.Stage.DomainPrefix)
	}
	// Prefixes are unique per Region across all accounts; the account id makes this one so.
	return awscdk.Fn_Join(jsii.String("-"), jsii.Strings(cfg.DerivedDomainPrefixStem(), *awscdk.Aws_ACCOUNT_ID()))
}

// managedLoginHost is <prefix>.auth.<region>.amazoncognito.com.
func managedLoginHost(cfg config.Config) *string {
	return awscdk.Fn_Join(jsii.String(""), jsii.Strings(*domainPrefix(cfg), ".auth.", *awscdk.Aws_REGION(), ".amazoncognito.com"))
}

// addAuthOutputs writes the outputs internal/outputs reads back for the tools.
func addAuthOutputs(stack awscdk.Stack, s config.Stage, pool awscognito.UserPool, client awscognito.UserPoolClient, domainURL *string, machine map[string]*string) {
	output := func(key, value, description string) {
		awscdk.NewCfnOutput(stack, jsii.String(key), &awscdk.CfnOutputProps{Value: jsii.String(value), Description: jsii.String(description)})
	}
	issuer := pool.UserPoolProviderUrl()
	clientID := *client.UserPoolClientId()
	output(names.OutRegion, *awscdk.Aws_REGION(), "Region of the user pool and the API")
	output(names.OutUserPoolID, *pool.UserPoolId(), "Cognito user pool id")
	output(names.OutClientID, clientID, "App client id (public client: authorization code with PKCE)")
	output(names.OutIssuerURL, *issuer, "Token issuer (the iss claim)")
	output(names.OutJWKSURL, *issuer+"/.well-known/jwks.json", "Public keys that sign the pool's tokens")
	output(names.OutManagedLoginURL, *domainURL, "Managed-login domain (loginDomain where set)")
	signIn := *domainURL + "/oauth2/authorize?" + url.Values{
		"response_type": {"code"},
		"scope":         {"openid email profile"},
		"redirect_uri":  {s.CallbackURLs[0]},
	}.Encode() + "&client_id=" + clientID
	output(names.OutSignInURL, signIn, "Managed-login sign-in page for the first callback URL (add PKCE code_challenge in a real client)")
	addProviderSignInOutputs(stack, s, signIn)
	output(names.OutSignOutURL, *domainURL+"/logout?"+url.Values{"logout_uri": {s.LogoutURLs[0]}}.Encode()+"&client_id="+clientID,
		"Managed-login sign-out, back to the first sign-out URL")
	if len(machine) > 0 {
		output(names.OutMachineClients, fnenv.FormatMachineClients(machineClientIDs(machine), cdkJoin), "Machine (client-credentials) app clients, name=client id; their secrets stay in Cognito")
	}
}

func mfaMode(m string) awscognito.Mfa {
	switch m {
	case "required":
		return awscognito.Mfa_REQUIRED
	case "optional":
		return awscognito.Mfa_OPTIONAL
	}
	return awscognito.Mfa_OFF
}

// removalPolicy keeps a production stage's data when its stack is deleted or replaced.
func removalPolicy(production bool) awscdk.RemovalPolicy {
	if production {
		return awscdk.RemovalPolicy_RETAIN
	}
	return awscdk.RemovalPolicy_DESTROY
}
