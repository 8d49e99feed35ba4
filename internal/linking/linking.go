// Package linking is the rule for whose word the pre sign-up trigger takes that an email
// address belongs to the person signing in: the trigger links a federated sign-up to an
// existing user only where the provider is an authority for the address's domain. The auth
// stack hands each provider's Authority to the trigger (internal/fnenv's PreSignUp) and
// lambda/presignup applies the rule; the package has no CDK imports.
package linking

import (
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/ascii"
)

// Authority is what one identity provider is trusted for.
type Authority struct {
	// Provider is the provider's name in Cognito.
	Provider string `json:"provider"`
	// Domains are the email domains whose addresses the provider vouches for; exact names,
	// not their subdomains.
	Domains []string `json:"domains"`
}

// Vouches reports whether the provider's word that email is its user's is enough to link: the
// address is at one of its domains (exactly: not a subdomain). A provider's email_verified is
// not asked: any provider can send it for any address, and the app client could not let the
// provider write it without letting every user write it too.
func (a Authority) Vouches(email string) bool {
	domain, ok := Domain(email)
	if !ok {
		return false
	}
	for _, d := range a.Domains {
		if ascii.EqualFold(d, domain) {
			return true
		}
	}
	return false
}

// Domain is the part of an address after its last @; ok is false when there is none or the
// address has no local part.
func Domain(email string) (domain string, ok bool) {
	i := strings.LastIndex(email, "@")
	if i <= 0 || i == len(email)-1 {
		return "", false
	}
	return email[i+1:], true
}

// SameMailbox reports whether a and b are one mailbox: the same local part exactly (a mail
// server may tell Alice@ from alice@) and the same domain, its letters compared in ASCII.
func SameMailbox(a, b string) bool {
	i := strings.LastIndex(a, "@")
	return i > 0 && strings.LastIndex(b, "@") == i && a[:i] == b[:i] && ascii.EqualFold(a[i:], b[i:])
}
