package stacks

import (
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
)

// signInPolicy is the pool's allowed first factors, always written out: a policy left out of the
// template later would not turn passwordless factors off in Cognito.
func signInPolicy(si config.SignIn) *awscognito.SignInPolicy {
	return &awscognito.SignInPolicy{AllowedFirstAuthFactors: &awscognito.AllowedFirstAuthFactors{
		Password: jsii.Bool(true), // config.Validate requires it
		EmailOtp: jsii.Bool(slices.Contains(si.Factors, config.FactorEmailOTP)),
		Passkey:  jsii.Bool(slices.Contains(si.Factors, config.FactorPasskey)),
	}}
}

// setPasskeys binds passkeys to the relying party (the managed-login domain unless set) with
// the stage's user verification, when the passkey factor is on.
func setPasskeys(pool awscognito.UserPool, cfg config.Config) {
	si := cfg.Stage.SignIn
	if !slices.Contains(si.Factors, config.FactorPasskey) {
		return
	}
	rp := passkeyRelyingParty(cfg)
	verification := "preferred"
	if si.PasskeyUserVerification != "" {
		verification = si.PasskeyUserVerification
	}
	cfn := pool.Node().DefaultChild().(awscognito.CfnUserPool)
	cfn.SetWebAuthnRelyingPartyId(rp)
	cfn.SetWebAuthnUserVerification(jsii.String(verification))
}
