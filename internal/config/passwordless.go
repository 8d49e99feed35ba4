package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// First sign-in factors of choice-based sign-in.
const (
	FactorPassword = "password"
	FactorEmailOTP = "emailOtp"
	FactorPasskey  = "passkey"
)

// SignIn is the pool's choice-based sign-in policy: the factors a user may start with.
type SignIn struct {
	// Factors: "password" (always), "emailOtp" (a code by email) and "passkey" (WebAuthn).
	Factors []string `json:"factors"`
	// PasskeyUserVerification is "preferred" (default) or "required": whether the
	// authenticator must check the person (biometrics, PIN), not just their presence.
	PasskeyUserVerification string `json:"passkeyUserVerification"`
	// PasskeyRelyingParty is the domain passkeys are bound to; empty means the managed-login
	// domain: loginDomain where set, else the prefix domain.
	PasskeyRelyingParty string `json:"passkeyRelyingParty"`
}

// Passwordless reports whether the policy offers a factor other than the password.
func (s SignIn) Passwordless() bool {
	return slices.ContainsFunc(s.Factors, func(f string) bool { return f != FactorPassword })
}

// managedLoginHost is a prefix domain's host name: <prefix>.auth.<region>.amazoncognito.com.
var managedLoginHost = regexp.MustCompile(`^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.auth\.[a-z]{2}(?:-[a-z]+)+-\d\.amazoncognito\.com$`)

// signIn checks the choice-based sign-in policy against what Cognito requires.
func (v *validator) signIn(s Stage) {
	si := s.SignIn
	where := v.at("signIn")
	known := []string{FactorPassword, FactorEmailOTP, FactorPasskey}
	for i, f := range si.Factors {
		switch {
		case !slices.Contains(known, f):
			v.add(fmt.Sprintf("%s.factors[%d]", where, i), f, "want one of "+strings.Join(known, ", "))
		case slices.Index(si.Factors, f) != i:
			v.add(fmt.Sprintf("%s.factors[%d]", where, i), f, "want each factor once")
		}
	}
	if !slices.Contains(si.Factors, FactorPassword) {
		v.add(where+".factors", si.Factors, `want "password" among the factors: Cognito keeps the password as a first factor in choice-based sign-in`)
	}
	if si.Passwordless() {
		if plan := s.EffectiveFeaturePlan(); plan != "ESSENTIALS" && plan != "PLUS" {
			v.add(v.at("featurePlan"), plan, "want ESSENTIALS or PLUS: passwordless sign-in needs them")
		}
		if s.MFA == "required" {
			v.add(v.at("mfa"), s.MFA, `want "optional" or "off" with passwordless factors: Cognito offers passwordless sign-in only to users without MFA, and "required" gives every user MFA`)
		}
	}
	if slices.Contains(si.Factors, FactorEmailOTP) && !s.Email.UsesSES() {
		v.add(where+".factors", FactorEmailOTP, `want email.sender "ses": Cognito sends sign-in codes by email only through Amazon SES`)
	}
	passkey := slices.Contains(si.Factors, FactorPasskey)
	switch si.PasskeyUserVerification {
	case "":
	case "preferred", "required":
		if !passkey {
			v.add(where+".passkeyUserVerification", si.PasskeyUserVerification, `want it only with the "passkey" factor`)
		}
	default:
		v.add(where+".passkeyUserVerification", si.PasskeyUserVerification, `want "preferred" or "required"`)
	}
	// The relying party id is the domain's host name, and CloudFormation takes at most 63
	// characters: <prefix>.auth.<region>.amazoncognito.com, for the longest Region name. A
	// loginDomain is held to 63 characters itself.
	if passkey && si.PasskeyRelyingParty == "" && s.LoginDomain == nil {
		prefixLen := len(s.DomainPrefix)
		if prefixLen == 0 {
			prefixLen = len(v.stageStem) + 1 + 12 // -<account id>
		}
		if n := prefixLen + len(".auth.ap-southeast-5.amazoncognito.com"); n > 63 {
			v.add(where+".factors", FactorPasskey, fmt.Sprintf("want a managed-login domain of at most 63 characters for passkeys, which are bound to it; this stage's would be up to %d (in a Region such as ap-southeast-1): set a domainPrefix of at most %d characters", n, prefixLen-(n-63)))
		}
	}
	if rp := si.PasskeyRelyingParty; rp != "" {
		m := managedLoginHost.FindStringSubmatch(rp)
		switch {
		case !passkey:
			v.add(where+".passkeyRelyingParty", rp, `want it only with the "passkey" factor`)
		case s.LoginDomain != nil:
			// Cognito's WebAuthnConfigurationType: with a custom domain and managed login, the
			// relying party must be that domain.
			if rp != s.LoginDomain.Name {
				v.add(where+".passkeyRelyingParty", rp, fmt.Sprintf("want the stage's login domain, loginDomain.name %q (leave passkeyRelyingParty out to follow it): Cognito requires a pool's custom domain as relying party for managed login", s.LoginDomain.Name))
			}
		case m == nil:
			v.add(where+".passkeyRelyingParty", rp, "want the managed-login domain, <domainPrefix>.auth.<region>.amazoncognito.com, or leave it out for that default: a passkey only works on the domain that serves the sign-in page, and this app serves it from its prefix domain only")
		case s.DomainPrefix == "" || m[1] != s.DomainPrefix:
			v.add(where+".passkeyRelyingParty", rp, fmt.Sprintf("want the stage's own managed-login domain: domainPrefix is %q (leave passkeyRelyingParty out to follow it)", s.DomainPrefix))
		}
	}
}
