package config

import (
	"fmt"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/linking"
	"github.com/cognito-apigw/cognito-apigw/internal/problem"
)

// Email is how the pool sends verification, reset and invitation messages.
type Email struct {
	// Sender is "cognito" (Cognito's own sender: a small daily quota, for development) or
	// "ses" (Amazon SES in this account, for production).
	Sender string `json:"sender"`
	// From is the sender address; it, or VerifiedDomain, must be a verified SES identity.
	From     string `json:"from"`
	FromName string `json:"fromName"`
	ReplyTo  string `json:"replyTo"`
	// SESRegion holds the SES identity; empty means the pool's own Region.
	SESRegion        string `json:"sesRegion"`
	ConfigurationSet string `json:"configurationSet"`
	// VerifiedDomain, when set, is the verified SES domain identity that From belongs to;
	// empty means From itself is the verified identity.
	VerifiedDomain string `json:"verifiedDomain"`
}

// UsesSES reports whether the pool sends through Amazon SES.
func (e Email) UsesSES() bool { return e.Sender == "ses" }

// InvitationMessage is the email Cognito sends a user an administrator creates without a
// password; Body must hold {username} and the temporary password {####}.
type InvitationMessage struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// SecretRef names a secret in AWS Secrets Manager: the stack passes it to CloudFormation as a
// dynamic reference, so the value is never in cdk.json, the template or the logs.
type SecretRef struct {
	// SecretsManager is the secret's name or ARN.
	SecretsManager string `json:"secretsManager"`
	// Field is the key of the value in the secret's JSON.
	Field string `json:"field"`

	// refused marks a value decodeStrict already reported (a literal secret), so that
	// Validate does not report it again.
	refused bool
}

const secretRefWant = `want {"secretsManager": "<secret name or ARN>", "field": "<JSON key>"}`

// secretRefHint is what decodeStrict says when a secret is given as anything but a SecretRef.
// The value is not repeated: it may be the secret itself.
const secretRefHint = secretRefWant + `: a secret written in cdk.json is committed with it and lands in the template, so only a reference to AWS Secrets Manager is accepted (the value given is not shown)`

// Identity provider types, as cdk.json names them.
const (
	IdPGoogle   = "google"
	IdPFacebook = "facebook"
	IdPApple    = "apple"
	IdPAmazon   = "amazon"
	IdPOIDC     = "oidc"
	IdPSAML     = "saml"
)

var idpTypes = []string{IdPGoogle, IdPFacebook, IdPApple, IdPAmazon, IdPOIDC, IdPSAML}

// socialProviderNames are the ProviderName and ProviderType Cognito requires for each social
// provider: the name cannot be chosen.
var socialProviderNames = map[string]string{
	IdPGoogle: "Google", IdPFacebook: "Facebook", IdPApple: "SignInWithApple", IdPAmazon: "LoginWithAmazon",
}

// IdentityProvider is a social (Google, Facebook, Apple, Login with Amazon) or enterprise
// (OIDC, SAML) provider users can sign in with on the managed login pages.
type IdentityProvider struct {
	Type string `json:"type"`
	// Name is the provider's name in Cognito and in identity_provider=; social providers have
	// a fixed one (Google, Facebook, SignInWithApple, LoginWithAmazon), which is the default.
	Name string `json:"name"`

	ClientID     string     `json:"clientId"`
	ClientSecret *SecretRef `json:"clientSecret"`
	// Sign in with Apple: the developer team, the key and its private key.
	TeamID     string     `json:"teamId"`
	KeyID      string     `json:"keyId"`
	PrivateKey *SecretRef `json:"privateKey"`
	// OIDC: the issuer URL (discovery document at <issuer>/.well-known/openid-configuration)
	// and how Cognito calls the userinfo endpoint, GET (default) or POST.
	Issuer                  string `json:"issuer"`
	AttributesRequestMethod string `json:"attributesRequestMethod"`
	// SAML: exactly one of the metadata document's URL or a file holding it (relative to the
	// project root).
	MetadataURL  string `json:"metadataUrl"`
	MetadataFile string `json:"metadataFile"`

	// Scopes asked of the provider; empty takes the type's defaults.
	Scopes []string `json:"scopes"`
	// AttributeMapping maps pool attributes to the provider's attributes; when given it
	// replaces the type's default mapping, so it must map every required pool attribute.
	AttributeMapping map[string]string `json:"attributeMapping"`
	// Identifiers are email domains (or other identifiers) that route a user to this provider
	// (OIDC and SAML only).
	Identifiers []string `json:"identifiers"`
	// LinkDomains are more email domains the provider is an authority for, besides its
	// identifiers (OIDC, SAML) or the mail domains it hosts (Google, Apple): linkByEmail links
	// its sign-ups only for addresses in TrustedDomains().
	LinkDomains []string `json:"linkDomains"`
}

// hostedMailDomains are the mail domains a social provider hosts, so that its word on their
// addresses is the mailbox owner's: Google is authoritative for Gmail addresses (Google's
// OpenID Connect guide; for any other address email_verified only says Google once checked
// it), Apple for iCloud's. Facebook and Login with Amazon send no email_verified at all.
var hostedMailDomains = map[string][]string{
	IdPGoogle: {"gmail.com", "googlemail.com"},
	IdPApple:  {"icloud.com", "me.com", "mac.com"},
}

// TrustedDomains are the email domains linkByEmail trusts the provider for, in lower case: the
// mail domains a social provider hosts, the domain-shaped identifiers of an OIDC or SAML
// provider, and linkDomains. Facebook and Login with Amazon have none.
func (p IdentityProvider) TrustedDomains() []string {
	var out []string
	add := func(d string) {
		if d = strings.ToLower(d); !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	switch p.Type {
	case IdPFacebook, IdPAmazon:
		return nil
	case IdPOIDC, IdPSAML:
		for _, id := range p.Identifiers {
			if domainLabelsPattern.MatchString(id) {
				add(id)
			}
		}
	}
	for _, d := range hostedMailDomains[p.Type] {
		add(d)
	}
	for _, d := range p.LinkDomains {
		add(d)
	}
	return out
}

// ProviderName is the provider's name in Cognito.
func (p IdentityProvider) ProviderName() string {
	if p.Name == "" {
		return socialProviderNames[p.Type]
	}
	return p.Name
}

// ProviderNames are the names in Cognito of the stage's identity providers, in cdk.json order.
func (s Stage) ProviderNames() []string {
	names := make([]string, len(s.IdentityProviders))
	for i, p := range s.IdentityProviders {
		names[i] = p.ProviderName()
	}
	return names
}

// ProviderType is Cognito's ProviderType for the provider.
func (p IdentityProvider) ProviderType() string {
	if n, ok := socialProviderNames[p.Type]; ok {
		return n
	}
	return strings.ToUpper(p.Type)
}

// defaultScopes are what each provider type is asked for: enough for the email and name the
// pool requires. Facebook separates scopes with commas, the others with spaces.
var defaultScopes = map[string][]string{
	IdPGoogle:   {"openid", "email", "profile"},
	IdPFacebook: {"public_profile", "email"},
	IdPApple:    {"email", "name"},
	IdPAmazon:   {"profile"},
	IdPOIDC:     {"openid", "email", "profile"},
}

// EffectiveScopes are the scopes the provider is asked for (none for SAML).
func (p IdentityProvider) EffectiveScopes() []string {
	if len(p.Scopes) > 0 {
		return p.Scopes
	}
	return defaultScopes[p.Type]
}

// ScopeSeparator is how the provider's authorize_scopes joins scopes.
func (p IdentityProvider) ScopeSeparator() string {
	if p.Type == IdPFacebook {
		return ","
	}
	return " "
}

// SAML claims for email and display name as AD FS, Entra ID and most IdPs send them.
const (
	samlEmailClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
	samlNameClaim  = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"
)

// LinkAuthorities are what linkByEmail trusts each identity provider for, as the pre sign-up
// trigger applies it; none when linkByEmail is off.
func (s Stage) LinkAuthorities() []linking.Authority {
	if !s.LinkByEmail {
		return nil
	}
	var out []linking.Authority
	for _, p := range s.IdentityProviders {
		out = append(out, linking.Authority{Provider: p.ProviderName(), Domains: p.TrustedDomains()})
	}
	return out
}

// defaultMappings map the pool's required attributes to each type's claims. Not
// email_verified: Cognito writes a mapped attribute through the app client, which would then
// have to let every user write it (see Stage.WritableAttributes).
var defaultMappings = map[string]map[string]string{
	IdPGoogle:   {"email": "email", "name": "name"},
	IdPFacebook: {"email": "email", "name": "name"},
	IdPApple:    {"email": "email", "name": "name"},
	IdPAmazon:   {"email": "email", "name": "name"},
	IdPOIDC:     {"email": "email", "name": "name"},
	IdPSAML:     {"email": samlEmailClaim, "name": samlNameClaim},
}

// WritableAttributes are the attributes the app client lets be written, sorted: the name and
// email users keep up to date (a new email counts only once verified), and every attribute an
// identity provider maps, which Cognito writes through the client at each federated sign-in
// and refuses the sign-in if it cannot. Never a *_verified attribute (the provider mapping
// refuses them): a user who could write email_verified could claim any address.
func (s Stage) WritableAttributes() []string {
	out := []string{"email", "name"}
	for _, p := range s.IdentityProviders {
		for attr := range p.EffectiveMapping() {
			if !slices.Contains(out, attr) {
				out = append(out, attr)
			}
		}
	}
	slices.Sort(out)
	return out
}

// EffectiveMapping is the provider's attribute mapping: as configured, else the type's default.
func (p IdentityProvider) EffectiveMapping() map[string]string {
	if len(p.AttributeMapping) > 0 {
		return p.AttributeMapping
	}
	return defaultMappings[p.Type]
}

// OutputSuffix is the provider's part of its sign-in URL output's key: its name's letters and
// digits (output keys allow nothing else). Validate refuses two providers with the same one.
func (p IdentityProvider) OutputSuffix() string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, p.ProviderName())
}

// RequiredPoolAttributes are the attributes the user pool requires at sign-up (see
// stacks.newUserPool, where they are fixed for the pool's life): every federated sign-up must
// bring them, or Cognito refuses it.
var RequiredPoolAttributes = []string{"email", "name"}

// poolAttributes are the standard attributes a provider may map to.
var poolAttributes = []string{"address", "birthdate", "email", "email_verified", "family_name", "gender", "given_name",
	"locale", "middle_name", "name", "nickname", "phone_number", "phone_number_verified", "picture",
	"preferred_username", "profile", "updated_at", "website", "zoneinfo"}

var (
	// A project rule, within Cognito's (whose ProviderName takes "_" only as the second
	// character): names usable in an output key and a URL as they are.
	providerNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]{1,30}[A-Za-z0-9]$`)
	// Cognito's IdpIdentifiers item.
	idpIdentifierPattern = regexp.MustCompile(`^[\w\s+=.@-]{1,40}$`)
	// Apple's team and key ids.
	appleIDPattern = regexp.MustCompile(`^[A-Z0-9]{10}$`)
	// Secrets Manager secret names (an ARN is checked apart).
	secretNamePattern = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]{1,512}$`)
	secretARNPattern  = regexp.MustCompile(`^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$`)
	// SES configuration set names.
	configurationSetPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	regionPattern           = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d$`)
)

// sesAlternateRegions are the SES Regions Cognito accepts besides a pool's own, and only for
// pools in sesAlternatePoolRegions (Cognito developer guide, "Email settings for Amazon Cognito
// user pools", Amazon SES email configuration Regions). Every other pool uses SES in its own
// Region.
var (
	sesAlternateRegions     = []string{"us-east-1", "us-west-2", "eu-west-1"}
	sesAlternatePoolRegions = []string{"us-east-1", "us-east-2", "us-west-2", "ca-central-1", "ap-northeast-1",
		"ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "eu-west-1", "eu-west-2", "eu-central-1"}
)

// PoolRegionsForSES are the pool Regions whose pools may send with SES in sesRegion. The
// stacks are Region-agnostic, so the auth stack checks its Region against this list when it
// deploys (a CloudFormation rule) rather than at synth.
func PoolRegionsForSES(sesRegion string) []string {
	if slices.Contains(sesAlternateRegions, sesRegion) {
		return slices.Clone(sesAlternatePoolRegions)
	}
	return []string{sesRegion}
}

func (v *validator) email(s Stage) {
	e := s.Email
	switch e.Sender {
	case "cognito":
		for key, val := range map[string]string{"from": e.From, "fromName": e.FromName, "replyTo": e.ReplyTo,
			"sesRegion": e.SESRegion, "configurationSet": e.ConfigurationSet, "verifiedDomain": e.VerifiedDomain} {
			if val != "" {
				v.add(v.at("email."+key), val, `want it left out while email.sender is "cognito": it applies to the "ses" sender only`)
			}
		}
	case "ses":
		if e.From == "" {
			v.add(v.at("email.from"), e.From, `want the sender address, a verified SES identity such as "no-reply@acme.example"`)
		} else if msg := checkMailbox(e.From); msg != "" {
			v.add(v.at("email.from"), e.From, msg)
		}
		if e.ReplyTo != "" {
			if msg := checkMailbox(e.ReplyTo); msg != "" {
				v.add(v.at("email.replyTo"), e.ReplyTo, msg)
			}
		}
		if n := len([]rune(e.FromName)); n > 64 || strings.ContainsAny(e.FromName, "<>\r\n@") {
			v.add(v.at("email.fromName"), e.FromName, "want at most 64 characters without <, >, @ or line breaks (it is shown before the address)")
		}
		if e.SESRegion != "" && !regionPattern.MatchString(e.SESRegion) {
			v.add(v.at("email.sesRegion"), e.SESRegion, "want an AWS Region such as eu-west-1, or leave it out to use SES in the pool's Region")
		}
		if e.ConfigurationSet != "" && !configurationSetPattern.MatchString(e.ConfigurationSet) {
			v.add(v.at("email.configurationSet"), e.ConfigurationSet, "want an SES configuration set name: 1 to 64 letters, digits, _ and -")
		}
		if d := e.VerifiedDomain; d != "" {
			// Exactly, as the CDK compares them.
			if _, domain, _ := strings.Cut(e.From, "@"); domain != d {
				v.add(v.at("email.verifiedDomain"), d, fmt.Sprintf("want the domain of email.from (%q): Cognito sends from an address of the verified domain", domain))
			}
		}
	default:
		v.add(v.at("email.sender"), e.Sender, `want "cognito" (Cognito's own sender, for development) or "ses" (Amazon SES, for production)`)
	}

	im := s.InvitationMessage
	v.emailSubject("invitationMessage.subject", im.Subject)
	// Cognito's minimum of 6 characters needs no check of its own: the two placeholders have 16.
	if len([]rune(im.Body)) > 20000 || !strings.Contains(im.Body, "{username}") || !strings.Contains(im.Body, "{####}") {
		v.add(v.at("invitationMessage.body"), im.Body, "want 6 to 20,000 characters holding {username} and the temporary password {####}")
	}
}

// emailSubject applies Cognito's limit on the subject of a message it sends, 1 to 140
// characters, to the stage setting key.
func (v *validator) emailSubject(key, subject string) {
	if n := len([]rune(subject)); n < 1 || n > 140 {
		v.add(v.at(key), subject, "want 1 to 140 characters")
	}
}

// checkMailbox accepts a bare address such as no-reply@acme.example with an ASCII local part
// (Cognito's and the CDK's rule) and a dotted domain.
func checkMailbox(addr string) string {
	return checkBareAddress(addr, `want a bare email address such as "no-reply@acme.example" (put a display name in email.fromName)`)
}

// checkBareAddress is checkMailbox's rule with the setting's own wording of what it wants.
func checkBareAddress(addr, want string) string {
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Name != "" || a.Address != addr {
		return want
	}
	local, domain, _ := strings.Cut(addr, "@")
	for _, r := range local {
		if r > 0x7e {
			return "want an ASCII local part (before the @): Cognito refuses others"
		}
	}
	if !domainLabelsPattern.MatchString(domain) {
		return want
	}
	return ""
}

func (v *validator) identityProviders(s Stage) {
	where := v.at("identityProviders")
	names := map[string]int{}
	suffixes := map[string]int{}
	identifiers := map[string]string{}
	for i, p := range s.IdentityProviders {
		at := fmt.Sprintf("%s[%d]", where, i)
		if !slices.Contains(idpTypes, p.Type) {
			v.add(at+".type", p.Type, `want one of "google", "facebook", "apple", "amazon", "oidc" or "saml"`)
			continue
		}
		name := p.ProviderName()
		if fixed, social := socialProviderNames[p.Type]; social {
			if p.Name != "" && p.Name != fixed {
				v.add(at+".name", p.Name, fmt.Sprintf("want %q or leave it out: Cognito fixes the name of a %s provider", fixed, p.Type))
			}
		} else if !providerNamePattern.MatchString(name) {
			v.add(at+".name", name, "want 3 to 32 letters, digits, '.' or '-', starting and ending with a letter or digit (it names the provider in Cognito, which takes '_' only as the second character, in identity_provider= and in a stack output)")
		} else if strings.EqualFold(name, "COGNITO") {
			v.add(at+".name", name, "want another name: COGNITO stands for the pool's own users")
		}
		if j, dup := names[strings.ToLower(name)]; dup {
			v.add(at+".name", name, fmt.Sprintf("want each provider once: %s[%d] has this name already (social providers have a fixed name, so one of each type)", where, j))
		} else if j, dup := suffixes[p.OutputSuffix()]; dup && name != "" {
			v.add(at+".name", name, fmt.Sprintf("want a name whose letters and digits differ from %s[%d]'s: both would give the stack output SignInUrl%s", where, j, p.OutputSuffix()))
		}
		names[strings.ToLower(name)] = i
		suffixes[p.OutputSuffix()] = i

		v.providerCredentials(at, p)
		v.providerScopes(at, p)
		v.providerMapping(at, p)

		switch p.Type {
		case IdPOIDC, IdPSAML:
			if len(p.Identifiers) > 50 {
				v.add(at+".identifiers", len(p.Identifiers), "want at most 50 identifiers")
			}
			for j, id := range p.Identifiers {
				iat := fmt.Sprintf("%s.identifiers[%d]", at, j)
				if !idpIdentifierPattern.MatchString(id) {
					v.add(iat, id, "want 1 to 40 letters, digits, spaces and + = . @ -, such as an email domain (acme.com)")
				} else if other, dup := identifiers[strings.ToLower(id)]; dup {
					v.add(iat, id, fmt.Sprintf("want each identifier once in the pool: %s routes it already", other))
				}
				identifiers[strings.ToLower(id)] = at
			}
		default:
			if len(p.Identifiers) > 0 {
				v.add(at+".identifiers", p.Identifiers, "want it left out: only OIDC and SAML providers take identifiers")
			}
		}
	}

	if !s.CognitoSignIn && len(s.IdentityProviders) == 0 {
		v.add(v.at("cognitoSignIn"), s.CognitoSignIn, "want true while identityProviders is empty: the app client would offer no way to sign in")
	}
	if s.LinkByEmail && len(s.IdentityProviders) == 0 {
		v.add(v.at("linkByEmail"), s.LinkByEmail, "want false (or leave it out) while identityProviders is empty: it links federated sign-ups to existing users")
	}
	v.linkDomains(s)
}

// linkDomains checks what linkByEmail trusts each provider for: an OIDC or SAML provider must
// own a domain (any provider can assert a verified address at any domain, so its word counts
// only for its own), and each domain has one authority.
func (v *validator) linkDomains(s Stage) {
	where := v.at("identityProviders")
	authority := map[string]string{}
	for i, p := range s.IdentityProviders {
		at := fmt.Sprintf("%s[%d]", where, i)
		if len(p.LinkDomains) > 0 {
			switch {
			case !s.LinkByEmail:
				v.add(at+".linkDomains", p.LinkDomains, "want it left out while linkByEmail is false: it only says which addresses linkByEmail may link")
				continue
			case p.Type == IdPFacebook || p.Type == IdPAmazon:
				v.add(at+".linkDomains", p.LinkDomains, fmt.Sprintf("want it left out: a %s provider hosts no mail domain and sends no verification of its addresses, so linkByEmail never links its sign-ups", p.Type))
				continue
			case len(p.LinkDomains) > 50:
				v.add(at+".linkDomains", len(p.LinkDomains), "want at most 50 domains")
			}
		}
		for j, d := range p.LinkDomains {
			if !domainLabelsPattern.MatchString(d) || len(d) > 253 {
				v.add(fmt.Sprintf("%s.linkDomains[%d]", at, j), d, "want an email domain the provider owns, such as acme.com (exactly: its subdomains are not included)")
			}
		}
		if !s.LinkByEmail {
			continue
		}
		domains := p.TrustedDomains()
		if (p.Type == IdPOIDC || p.Type == IdPSAML) && len(domains) == 0 {
			v.add(at, p.ProviderName(), "want identifiers or linkDomains naming the email domains this provider owns while linkByEmail is true: "+
				"any provider can say an address at any domain is verified, so linkByEmail links its sign-ups only for addresses at its own domains")
		}
		for _, d := range domains {
			for host, hosted := range hostedMailDomains {
				if host != p.Type && slices.Contains(hosted, d) {
					v.add(at, d, fmt.Sprintf("want only domains %s owns: %s addresses belong to %s, and trusting another provider for them would let it take over their users", p.ProviderName(), d, socialProviderNames[host]))
				}
			}
			if other, dup := authority[d]; dup {
				v.add(at, d, fmt.Sprintf("want one provider trusted for each domain: %s is trusted for %s already (linkDomains, identifiers, or the mail domains Google and Apple host)", other, d))
			}
			authority[d] = p.ProviderName()
		}
	}
}

// providerCredentials checks what each type needs to reach its provider.
func (v *validator) providerCredentials(at string, p IdentityProvider) {
	needs := func(key, val, want string) {
		if val == "" {
			v.add(at+"."+key, val, want)
		}
	}
	refuse := func(key string, set bool) {
		if set {
			v.add(at+"."+key, "(set)", fmt.Sprintf("want it left out: a %s provider does not take %s", p.Type, key))
		}
	}
	if p.Type != IdPSAML {
		needs("clientId", p.ClientID, "want the client id (app id) the provider issued for this pool")
		if strings.ContainsAny(p.ClientID, " \t\r\n") || len(p.ClientID) > 2048 {
			v.add(at+".clientId", p.ClientID, "want an id without spaces, at most 2048 characters")
		}
	}
	switch p.Type {
	case IdPGoogle, IdPFacebook, IdPAmazon, IdPOIDC:
		v.secret(at+".clientSecret", p.ClientSecret)
	default:
		refuse("clientSecret", p.ClientSecret != nil)
	}
	if p.Type == IdPApple {
		if !appleIDPattern.MatchString(p.TeamID) {
			v.add(at+".teamId", p.TeamID, "want the 10-character Apple team id (capital letters and digits)")
		}
		if !appleIDPattern.MatchString(p.KeyID) {
			v.add(at+".keyId", p.KeyID, "want the 10-character id of the Sign in with Apple key (capital letters and digits)")
		}
		v.secret(at+".privateKey", p.PrivateKey)
	} else {
		refuse("teamId", p.TeamID != "")
		refuse("keyId", p.KeyID != "")
		refuse("privateKey", p.PrivateKey != nil)
	}
	if p.Type == IdPOIDC {
		if u, err := url.Parse(p.Issuer); err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			v.add(at+".issuer", p.Issuer, "want the provider's https issuer URL, such as https://acme.okta.com (Cognito reads <issuer>/.well-known/openid-configuration)")
		}
		if m := p.AttributesRequestMethod; m != "" && m != "GET" && m != "POST" {
			v.add(at+".attributesRequestMethod", m, `want "GET" or "POST" (how Cognito calls the userinfo endpoint)`)
		}
	} else {
		refuse("issuer", p.Issuer != "")
		refuse("attributesRequestMethod", p.AttributesRequestMethod != "")
	}
	if p.Type == IdPSAML {
		switch {
		case p.MetadataURL != "" && p.MetadataFile != "":
			v.add(at, "metadataUrl and metadataFile", "want exactly one of metadataUrl or metadataFile")
		case p.MetadataURL == "" && p.MetadataFile == "":
			v.add(at+".metadataUrl", "", "want the https URL of the provider's SAML metadata, or metadataFile: exactly one of the two")
		case p.MetadataURL != "":
			if u, err := url.Parse(p.MetadataURL); err != nil || u.Scheme != "https" || u.Host == "" {
				v.add(at+".metadataUrl", p.MetadataURL, "want an https URL")
			}
		}
	} else {
		refuse("metadataUrl", p.MetadataURL != "")
		refuse("metadataFile", p.MetadataFile != "")
	}
}

func (v *validator) secret(at string, ref *SecretRef) {
	switch {
	case ref == nil:
		v.problems = append(v.problems, problem.Problem{Where: at, Want: "missing; " + secretRefWant + ": the secret stays in AWS Secrets Manager and the template only refers to it"})
		return
	case ref.refused:
		return
	}
	id := ref.SecretsManager
	if !(secretNamePattern.MatchString(id) && !strings.HasPrefix(id, "arn:")) && !secretARNPattern.MatchString(id) {
		v.add(at+".secretsManager", id, "want a Secrets Manager secret name (letters, digits and /_+=.@-) or its ARN")
	}
	if ref.Field == "" || len(ref.Field) > 256 || strings.ContainsAny(ref.Field, ":{} \t\r\n") {
		// A colon or brace would end the {{resolve:secretsmanager:...}} reference early.
		v.add(at+".field", ref.Field, "want the key of the value in the secret's JSON, such as \"clientSecret\", without :, braces or spaces")
	}
}

func (v *validator) providerScopes(at string, p IdentityProvider) {
	if p.Type == IdPSAML {
		if len(p.Scopes) > 0 {
			v.add(at+".scopes", p.Scopes, "want it left out: SAML has no scopes")
		}
		return
	}
	for j, sc := range p.Scopes {
		if sc == "" || strings.ContainsAny(sc, " ,\t\r\n\"") {
			v.add(fmt.Sprintf("%s.scopes[%d]", at, j), sc, "want one scope without spaces, commas or quotes")
		}
	}
	if p.Type == IdPOIDC && len(p.Scopes) > 0 && !slices.Contains(p.Scopes, "openid") {
		v.add(at+".scopes", p.Scopes, `want "openid" among them: Cognito signs in with OIDC providers through OpenID Connect`)
	}
}

func (v *validator) providerMapping(at string, p IdentityProvider) {
	m := p.EffectiveMapping()
	for _, attr := range RequiredPoolAttributes {
		if m[attr] == "" {
			v.add(at+".attributeMapping", m, fmt.Sprintf("want %q mapped to a provider attribute: the pool requires %s, and Cognito refuses a federated sign-up without them",
				attr, strings.Join(RequiredPoolAttributes, " and ")))
		}
	}
	for _, attr := range sortedKeys(p.AttributeMapping) {
		if !slices.Contains(poolAttributes, attr) {
			v.add(fmt.Sprintf("%s.attributeMapping.%s", at, attr), p.AttributeMapping[attr], "want a standard pool attribute as the key: "+strings.Join(poolAttributes, ", "))
		} else if strings.HasSuffix(attr, "_verified") {
			v.add(fmt.Sprintf("%s.attributeMapping.%s", at, attr), p.AttributeMapping[attr], "want it left out: Cognito writes a mapped attribute through the app client, "+
				"which would have to let every user write it and so mark any address verified (linkByEmail trusts a provider for its domains instead)")
		} else if n := len(p.AttributeMapping[attr]); n < 1 || n > 131072 {
			v.add(fmt.Sprintf("%s.attributeMapping.%s", at, attr), p.AttributeMapping[attr], "want the provider's attribute name")
		}
	}
}

// maxMetadataBytes is Cognito's limit on a ProviderDetails value.
const maxMetadataBytes = 131072

// SAMLMetadata reads the metadata file of every SAML provider that names one (relative to
// projectDir unless absolute), keyed by provider name. Every unreadable or unlikely file is a
// problem naming the setting.
func (c Config) SAMLMetadata(projectDir string) (map[string]string, error) {
	v := validator{stage: KeyStages + "." + c.StageName, fromDefaults: c.fromDefaults}
	out := map[string]string{}
	for i, p := range c.IdentityProviders {
		if p.Type != IdPSAML || p.MetadataFile == "" {
			continue
		}
		at := fmt.Sprintf("%s[%d].metadataFile", v.at("identityProviders"), i)
		path := p.MetadataFile
		if !filepath.IsAbs(path) {
			path = filepath.Join(projectDir, path)
		}
		b, err := os.ReadFile(path)
		switch {
		case err != nil:
			v.add(at, p.MetadataFile, fmt.Sprintf("want a readable SAML metadata file: %v (a relative path starts at the project root)", err))
		case len(b) > maxMetadataBytes:
			v.add(at, p.MetadataFile, fmt.Sprintf("want at most %d bytes of metadata (Cognito's limit), it has %d; use metadataUrl instead", maxMetadataBytes, len(b)))
		case !strings.Contains(string(b), "EntityDescriptor"):
			v.add(at, p.MetadataFile, "want SAML metadata XML (an EntityDescriptor), as the provider's console downloads it")
		default:
			out[p.ProviderName()] = string(b)
		}
	}
	if len(v.problems) > 0 {
		return nil, v.problems
	}
	return out, nil
}
