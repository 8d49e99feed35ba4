// Package config turns the CDK context (cdk.json and -c flags) into one typed Config for the
// selected stage and checks it against the rules Cognito and API Gateway enforce, so that a
// mistake fails `cdk synth` with a clear message instead of a failed deploy. It has no CDK
// imports: the local tools read cdk.json through it too.
package config

import (
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// Context keys read from cdk.json or given with `cdk synth -c key=value`.
const (
	KeyAppName = "appName"
	KeyStage   = "stage"
	KeyStages  = "stages"
	// KeyDefaults holds the settings every stage starts from; a stage's own keys win.
	KeyDefaults = "defaults"
	// These override the selected stage's value from the command line.
	KeyDomainPrefix = "domainPrefix"
	KeyCallbackURLs = "callbackUrls" // comma-separated
	KeyLogoutURLs   = "logoutUrls"   // comma-separated
	KeyBrandingFile = "brandingFile"
)

// OverrideKeys are the keys `cdk synth -c key=value` may set, beside cdk.json's own.
var OverrideKeys = []string{KeyStage, KeyDomainPrefix, KeyCallbackURLs, KeyLogoutURLs, KeyBrandingFile}

// DefaultStage is the stage synthesized when no -c stage=NAME is given.
const DefaultStage = "dev"

// Config is everything the stacks need, for one stage.
type Config struct {
	AppName   string
	StageName string
	Stage

	// CI is the app's optional "ci" context object (ci.go): GitHub Actions deploys without
	// stored keys. Not a stage setting: it holds what belongs to the account.
	CI *CI
	// BootstrapQualifier is the CDK bootstrap qualifier the deploy roles are for: the
	// context key @aws-cdk/core:bootstrapQualifier, else the CDK's default.
	BootstrapQualifier string

	// fromDefaults holds the setting paths (e.g. "cors.maxAgeSeconds") whose value came from
	// the shared defaults rather than the stage, so that a problem names where to fix it.
	fromDefaults map[string]bool
	// undecoded holds the paths of the app-level settings (ci) that had the wrong type, so
	// that their rules do not report them twice.
	undecoded map[string]bool
}

// Stage is one entry of the "stages" context object. Keys left out keep the defaults of
// Defaults(); unknown keys are errors, so a typo cannot silently fall back to a default.
type Stage struct {
	// Production retains the user pool and log groups on stack deletion and turns on the
	// pool's deletion protection. It cannot be combined with anything that loses users.
	Production bool `json:"production"`

	// DomainPrefix of the managed-login domain; empty derives <app>-<stage>-<account id>.
	DomainPrefix string `json:"domainPrefix"`
	// BrandingFile is the managed-login style, relative to the project root; empty uses
	// Cognito's default style.
	BrandingFile string `json:"brandingFile"`

	SelfSignUp bool `json:"selfSignUp"`
	// MFA is "off", "optional" or "required"; TOTP is the second factor, SMS only with MFASMS.
	MFA    string `json:"mfa"`
	MFASMS bool   `json:"mfaSms"`
	// FeaturePlan is ESSENTIALS or PLUS; empty picks PLUS when ThreatProtection is on.
	FeaturePlan      string `json:"featurePlan"`
	ThreatProtection bool   `json:"threatProtection"`

	PasswordPolicy    PasswordPolicy    `json:"passwordPolicy"`
	VerificationEmail VerificationEmail `json:"verificationEmail"`
	// Email is the pool's sender: Cognito's own (development) or Amazon SES (production).
	Email             Email             `json:"email"`
	InvitationMessage InvitationMessage `json:"invitationMessage"`
	// IdentityProviders users may sign in with on the managed login pages, beside the pool's
	// own users unless CognitoSignIn is false.
	IdentityProviders []IdentityProvider `json:"identityProviders"`
	CognitoSignIn     bool               `json:"cognitoSignIn"`
	// LinkByEmail links a federated sign-up whose provider verified the email to the existing
	// user with that email (a pre sign-up trigger), so that one person is one user.
	LinkByEmail    bool           `json:"linkByEmail"`
	Groups         []Group        `json:"groups"`
	ResourceServer ResourceServer `json:"resourceServer"`

	CallbackURLs []string `json:"callbackUrls"`
	LogoutURLs   []string `json:"logoutUrls"`
	// OAuthFlows: "code", and "implicit" only where a legacy client needs it.
	OAuthFlows []string `json:"oauthFlows"`
	// PasswordAuth enables USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH, for test tooling only.
	PasswordAuth bool          `json:"passwordAuth"`
	Tokens       TokenValidity `json:"tokens"`
	// MachineClients are confidential app clients for service callers (client credentials);
	// routes name them in their clients list.
	MachineClients []MachineClient `json:"machineClients"`
	// SignIn is the choice-based sign-in policy (passwordless factors).
	SignIn SignIn `json:"signIn"`
	// GroupScopes adds custom scopes to the access tokens of each group's members, whatever
	// flow signed them in (a pre token generation trigger, event version 2).
	GroupScopes map[string][]string `json:"groupScopes"`
	// ExtraClaims are fixed claims the same trigger adds to every ID token.
	ExtraClaims map[string]string `json:"extraClaims"`

	Routes routes.Table `json:"routes"`
	// Authorizer is "cognito" (API Gateway's Cognito user pools authorizer) or "lambda" (a Go
	// token authorizer that verifies the JWT and returns a policy built from the route table).
	Authorizer string `json:"authorizer"`
	CORS       CORS   `json:"cors"`
	// AuthorizerCacheSeconds is how long API Gateway caches the authorizer's answer for a token
	// (0-3600).
	AuthorizerCacheSeconds int        `json:"authorizerCacheSeconds"`
	Throttling             Throttling `json:"throttling"`
	LogRetentionDays       int        `json:"logRetentionDays"`
	// WAF puts a web ACL (AWS common rule set and a per-IP rate limit) in front of the stage.
	WAF WAF `json:"waf"`
	// UserPoolWAF puts a web ACL of its own in front of the user pool: managed login, the
	// token endpoint and Cognito's public API, where credential stuffing happens.
	UserPoolWAF WAF `json:"userPoolWaf"`
	// SignInLogs sends the pool's email and SMS delivery errors, and on the PLUS plan with
	// threat protection its users' sign-in events, to CloudWatch Logs.
	SignInLogs bool `json:"signInLogs"`
	// Tracing turns on X-Ray active tracing on the API stage and every Lambda function.
	Tracing bool `json:"tracing"`
	// Alarms watch the stage and tell an SNS topic; a dashboard shows the same metrics.
	Alarms Alarms `json:"alarms"`
	// LoginDomain serves managed login from a host name of your own, beside the prefix domain.
	LoginDomain *CustomDomain `json:"loginDomain"`
	// APIDomain serves the API from a host name of your own, and only from it.
	APIDomain *CustomDomain `json:"apiDomain"`
}

// WAF settings of a web ACL: the API stage's (waf) or the user pool's (userPoolWaf).
type WAF struct {
	Enabled bool `json:"enabled"`
	// RateLimit is the most requests one IP address may send in any 5 minutes before it is
	// blocked for a while.
	RateLimit int `json:"rateLimit"`
}

// PasswordPolicy of the user pool.
type PasswordPolicy struct {
	MinLength        int  `json:"minLength"`
	RequireLowercase bool `json:"requireLowercase"`
	RequireUppercase bool `json:"requireUppercase"`
	RequireDigits    bool `json:"requireDigits"`
	RequireSymbols   bool `json:"requireSymbols"`
}

// VerificationEmail is the message with the sign-up verification code; Body must hold {####}.
type VerificationEmail struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// Group is a user pool group that routes can require.
type Group struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// ResourceServer defines the API's custom OAuth scopes, named <identifier>/<scope>.
type ResourceServer struct {
	Identifier string  `json:"identifier"`
	Scopes     []Scope `json:"scopes"`
}

// Scope is one custom scope of the resource server.
type Scope struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// FullNames are the scopes as tokens and routes carry them: identifier/name.
func (rs ResourceServer) FullNames() []string {
	names := make([]string, len(rs.Scopes))
	for i, s := range rs.Scopes {
		names[i] = rs.Identifier + "/" + s.Name
	}
	return names
}

// TokenValidity of the app client's tokens, in minutes.
type TokenValidity struct {
	AccessMinutes      int `json:"accessMinutes"`
	IDMinutes          int `json:"idMinutes"`
	RefreshMinutes     int `json:"refreshMinutes"`
	AuthSessionMinutes int `json:"authSessionMinutes"`
	// RefreshRotation makes each refresh return a new refresh token and retire the old one.
	RefreshRotation RefreshRotation `json:"refreshRotation"`
}

// RefreshRotation of the web client's refresh tokens.
type RefreshRotation struct {
	Enabled bool `json:"enabled"`
	// GraceSeconds is how long the old refresh token still works after a rotation (0-60), for
	// a client whose reply got lost.
	GraceSeconds int `json:"graceSeconds"`
}

// MachineClient is a client-credentials app client: a service, not a person. Its access tokens
// carry its client_id and scopes, and no user.
type MachineClient struct {
	Name   string   `json:"name"`
	Scopes []string `json:"scopes"`
}

// MachineClientNames are the names routes may use for the stage's machine clients.
func (s Stage) MachineClientNames() []string {
	names := make([]string, len(s.MachineClients))
	for i, m := range s.MachineClients {
		names[i] = m.Name
	}
	return names
}

// CORS for browsers calling the API from another origin.
type CORS struct {
	// AllowOrigins: exact origins such as https://app.example.com, or ["*"]; empty turns CORS off.
	AllowOrigins  []string `json:"allowOrigins"`
	MaxAgeSeconds int      `json:"maxAgeSeconds"`
}

// Throttling of the API stage: steady requests per second and burst.
type Throttling struct {
	RateLimit  float64 `json:"rateLimit"`
	BurstLimit int     `json:"burstLimit"`
}

// GroupNames lists the names of the configured groups.
func (s Stage) GroupNames() []string {
	names := make([]string, len(s.Groups))
	for i, g := range s.Groups {
		names[i] = g.Name
	}
	return names
}

// EffectiveFeaturePlan is the plan the pool gets: as configured, else PLUS for threat
// protection and ESSENTIALS otherwise.
func (s Stage) EffectiveFeaturePlan() string {
	switch {
	case s.FeaturePlan != "":
		return s.FeaturePlan
	case s.ThreatProtection:
		return "PLUS"
	}
	return "ESSENTIALS"
}

// Defaults is the stage every configured stage starts from.
func Defaults(appName string) Stage {
	return Stage{
		SelfSignUp: true,
		MFA:        "optional",
		PasswordPolicy: PasswordPolicy{
			MinLength: 8, RequireLowercase: true, RequireUppercase: true, RequireDigits: true, RequireSymbols: true,
		},
		VerificationEmail: VerificationEmail{
			Subject: "Your verification code",
			Body:    "Hello,\n\nYour verification code is {####}.\n\nIf you did not sign up, you can ignore this email.",
		},
		Email: Email{Sender: "cognito"},
		InvitationMessage: InvitationMessage{
			Subject: "Your new account",
			Body:    "Hello,\n\nAn account was created for you. Your username is {username} and your temporary password is {####}.\n\nSign in to choose your own password.",
		},
		CognitoSignIn: true,
		ResourceServer: ResourceServer{
			Identifier: appName,
			Scopes: []Scope{
				{Name: "read", Description: "Read items"},
				{Name: "write", Description: "Create and change items"},
			},
		},
		CallbackURLs: []string{"http://localhost:3000/auth/callback"},
		LogoutURLs:   []string{"http://localhost:3000"},
		OAuthFlows:   []string{"code"},
		// Written out even when password alone: removing the policy later would not turn
		// passwordless factors off in Cognito.
		SignIn: SignIn{Factors: []string{FactorPassword}},
		Tokens: TokenValidity{AccessMinutes: 60, IDMinutes: 60, RefreshMinutes: 5 * 24 * 60, AuthSessionMinutes: 3},
		Routes: routes.Table{
			{Method: "GET", Path: "/health", Access: routes.Public},
			{Method: "GET", Path: "/me", Access: routes.Protected},
		},
		Authorizer:             "cognito",
		CORS:                   CORS{AllowOrigins: []string{"http://localhost:3000"}, MaxAgeSeconds: 600},
		AuthorizerCacheSeconds: 300,
		Throttling:             Throttling{RateLimit: 50, BurstLimit: 100},
		LogRetentionDays:       30,
		WAF:                    WAF{RateLimit: 1000},
		UserPoolWAF:            WAF{RateLimit: defaultUserPoolRateLimit},
		Alarms:                 defaultAlarms,
	}
}
