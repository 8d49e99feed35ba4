package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// CustomDomain is a host name of your own for managed login (loginDomain) or the API
// (apiDomain), with its certificate in AWS Certificate Manager and, optionally, the Route 53
// hosted zone where the stack writes the alias record.
type CustomDomain struct {
	// Name is the host name, such as auth.example.com.
	Name string `json:"name"`
	// CertificateARN is an ACM certificate covering Name: in us-east-1 for loginDomain (Cognito
	// serves it through CloudFront), in the API's Region for apiDomain.
	CertificateARN string `json:"certificateArn"`
	// HostedZoneID is the public Route 53 hosted zone of Name's domain; empty leaves the DNS
	// record to you (the stack outputs its target).
	HostedZoneID string `json:"hostedZoneId"`
}

// LoginCertificateRegion is the only Region whose certificates a user pool's custom domain
// takes: Cognito serves it through CloudFront (CreateUserPoolDomain, CustomDomainConfig).
const LoginCertificateRegion = "us-east-1"

var (
	// An ACM certificate: arn:<partition>:acm:<region>:<account>:certificate/<uuid>.
	acmCertificatePattern = regexp.MustCompile(`^arn:aws(?:-cn|-us-gov)?:acm:([a-z]{2}(?:-[a-z]+)+-\d):\d{12}:certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	// Any ARN, to name the service of one that is not ACM's.
	arnPattern = regexp.MustCompile(`^arn:[a-z-]+:([a-z0-9-]+):`)
	// A Route 53 hosted zone id: Z and upper-case letters and digits, 32 characters at most.
	hostedZonePattern = regexp.MustCompile(`^Z[0-9A-Z]{1,31}$`)
	// One label of a host name: letters, digits and hyphens, not at either end.
	hostLabelPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
)

// CertificateRegion is the Region in the certificate ARN; "" when it is not an ACM certificate
// ARN.
func (d CustomDomain) CertificateRegion() string { return certificateRegion(d.CertificateARN) }

// certificateRegion is the Region in an ACM certificate ARN, or "".
func certificateRegion(arn string) string {
	if m := acmCertificatePattern.FindStringSubmatch(arn); m != nil {
		return m[1]
	}
	return ""
}

// URL is https://<name>.
func (d CustomDomain) URL() string { return "https://" + d.Name }

// domains checks loginDomain and apiDomain.
func (v *validator) domains(s Stage) {
	if d := s.LoginDomain; d != nil {
		where := v.at("loginDomain")
		// Cognito's DomainType takes at most 63 characters, and so does CloudFormation's
		// WebAuthnRelyingPartyID, which follows this domain when passkeys are on.
		v.hostName(where+".name", d.Name, 63, "Cognito's limit for a user pool domain")
		if strings.HasSuffix(d.Name, ".amazoncognito.com") {
			v.add(where+".name", d.Name, "want a domain of your own: <prefix>.auth.<region>.amazoncognito.com is the prefix domain, which domainPrefix sets")
		}
		if region, ok := v.certificate(where+".certificateArn", d.CertificateARN); ok && region != LoginCertificateRegion {
			v.add(where+".certificateArn", d.CertificateARN, fmt.Sprintf("want a certificate in %s, not %s: Cognito serves a custom domain through CloudFront, which takes certificates from %s only; request or import one there", LoginCertificateRegion, region, LoginCertificateRegion))
		}
		v.hostedZone(where+".hostedZoneId", d.HostedZoneID)
	}
	if d := s.APIDomain; d != nil {
		where := v.at("apiDomain")
		v.hostName(where+".name", d.Name, 253, "the limit of a DNS name")
		if strings.HasSuffix(d.Name, ".amazonaws.com") {
			v.add(where+".name", d.Name, "want a domain of your own, not one of AWS's")
		}
		// The stacks are Region-agnostic: the API stack checks the certificate's Region against
		// its own when it deploys (a CloudFormation rule).
		v.certificate(where+".certificateArn", d.CertificateARN)
		v.hostedZone(where+".hostedZoneId", d.HostedZoneID)
		if s.LoginDomain != nil && s.LoginDomain.Name == d.Name {
			v.add(where+".name", d.Name, "want a host name other than loginDomain.name: managed login and the API cannot share one")
		}
	}
}

// hostName checks a domain name of your own: a host name alone, in lower case, of at least two
// labels, at most max characters.
func (v *validator) hostName(where, name string, max int, why string) {
	want := "want a host name such as auth.example.com"
	switch {
	case strings.Contains(name, "://") || strings.ContainsAny(name, "/:?#@"):
		want = "want the host name alone, without scheme, port or path"
		if u, err := url.Parse(name); err == nil && u.Hostname() != "" {
			want += fmt.Sprintf("; did you mean %q?", strings.ToLower(u.Hostname()))
		}
		v.add(where, name, want)
	case strings.HasSuffix(name, "."):
		v.add(where, name, fmt.Sprintf("want it without the final dot; did you mean %q?", strings.TrimSuffix(name, ".")))
	case name != strings.ToLower(name):
		v.add(where, name, fmt.Sprintf("want lower case; did you mean %q?", strings.ToLower(name)))
	case len(name) > max:
		v.add(where, name, fmt.Sprintf("want at most %d characters (%s), it has %d", max, why, len(name)))
	default:
		labels := strings.Split(name, ".")
		if len(labels) < 2 || slices.ContainsFunc(labels, func(l string) bool { return !hostLabelPattern.MatchString(l) }) {
			v.add(where, name, want+": at least two labels of 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen, joined by dots")
		}
	}
}

// certificate checks an ACM certificate ARN and returns its Region.
func (v *validator) certificate(where, arn string) (region string, ok bool) {
	const example = "arn:aws:acm:us-east-1:123456789012:certificate/<id>"
	if region := certificateRegion(arn); region != "" {
		return region, true
	}
	switch m := arnPattern.FindStringSubmatch(arn); {
	case m != nil && m[1] != "acm":
		v.add(where, arn, fmt.Sprintf("want a certificate from AWS Certificate Manager (an %s ARN), not an ARN of %s", example, m[1]))
	default:
		v.add(where, arn, "want an ACM certificate ARN such as "+example)
	}
	return "", false
}

// hostedZone checks an optional Route 53 hosted zone id.
func (v *validator) hostedZone(where, id string) {
	switch {
	case id == "":
	case strings.HasPrefix(id, "/hostedzone/"):
		v.add(where, id, fmt.Sprintf("want the id alone; did you mean %q?", strings.TrimPrefix(id, "/hostedzone/")))
	case !hostedZonePattern.MatchString(id):
		v.add(where, id, "want a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (Z and up to 31 upper-case letters and digits), or leave it out to create the DNS record yourself")
	}
}

// domainWarnings are what synth says about a stage on its own login domain, whatever the stage:
// identity providers must allow the new redirect URI, and passkeys registered on another domain
// stop working. Synth cannot know what was deployed before, so it says so while the domain is
// set, and docs/operations.md says what to do.
func (c Config) domainWarnings() []string {
	d := c.Stage.LoginDomain
	if d == nil {
		return nil
	}
	var what []string
	if names := c.Stage.ProviderNames(); len(names) > 0 {
		what = append(what, fmt.Sprintf("each identity provider (%s) must allow %s/oauth2/idpresponse as redirect URI (and a SAML provider %s/saml2/idpresponse)", strings.Join(names, ", "), d.URL(), d.URL()))
	}
	if slices.Contains(c.Stage.SignIn.Factors, FactorPasskey) {
		what = append(what, fmt.Sprintf("passkeys are bound to %s, so those users registered on another domain stop working and must register again", d.Name))
	}
	if len(what) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%s: managed login moves to %s: %s (see docs/operations.md, \"Your own domains\")", c.where("loginDomain.name"), d.URL(), strings.Join(what, "; "))}
}
