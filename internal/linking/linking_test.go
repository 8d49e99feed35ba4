package linking

import "testing"

func TestVouches(t *testing.T) {
	google := Authority{Provider: "Google", Domains: []string{"gmail.com", "googlemail.com"}}
	sso := Authority{Provider: "AcmeSSO", Domains: []string{"acme.example"}}
	for _, tc := range []struct {
		name  string
		a     Authority
		email string
		want  bool
	}{
		{"Google for a Gmail address", google, "alice@gmail.com", true},
		{"domain in another case", google, "alice@GMail.com", true},
		{"Google for an address it does not host", google, "victim@acme.example", false},
		{"an enterprise provider for its own domain", sso, "alice@acme.example", true},
		// The takeover this package exists for: an enterprise provider (or one whose users may
		// set their own verified address) asserting somebody's Gmail address.
		{"an enterprise provider for a Gmail address", sso, "victim@gmail.com", false},
		{"a subdomain of its domain", sso, "alice@eu.acme.example", false},
		{"a domain that ends like its domain", sso, "alice@evilacme.example", false},
		{"a domain that starts like its domain", sso, "alice@acme.example.evil", false},
		{"the Kelvin sign in the domain", Authority{Provider: "K", Domains: []string{"kelvin.example"}}, "alice@\u212Aelvin.example", false},
		{"two @, the last one counts", sso, "victim@gmail.com@acme.example", true},
		{"no domain", sso, "alice@", false},
		{"no local part", sso, "@acme.example", false},
		{"no @", sso, "acme.example", false},
		{"no domains at all", Authority{Provider: "Facebook"}, "alice@gmail.com", false},
	} {
		if got := tc.a.Vouches(tc.email); got != tc.want {
			t.Errorf("%s: %s.Vouches(%q) = %v, want %v", tc.name, tc.a.Provider, tc.email, got, tc.want)
		}
	}
}

func TestDomain(t *testing.T) {
	for _, tc := range []struct {
		email, domain string
		ok            bool
	}{
		{"alice@acme.io", "acme.io", true},
		{"a@b", "b", true},
		{"victim@gmail.com@acme.io", "acme.io", true},
		{"alice@", "", false},
		{"@acme.io", "", false},
		{"@", "", false},
		{"acme.io", "", false},
		{"", "", false},
	} {
		if domain, ok := Domain(tc.email); domain != tc.domain || ok != tc.ok {
			t.Errorf("Domain(%q) = %q, %v; want %q, %v", tc.email, domain, ok, tc.domain, tc.ok)
		}
	}
}

func TestSameMailbox(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"alice@acme.io", "alice@acme.io", true},
		{"alice@acme.io", "alice@ACME.IO", true},
		{"Alice@acme.io", "alice@acme.io", false}, // the local part may be case-sensitive
		{"alice@\u212Aacme.io", "alice@kacme.io", false},
		{"alice@acme.io", "alice@acme.com", false},
		{"@acme.io", "@acme.io", false},
		{"alice@acme.io", "@acme.io", false},
		{"@acme.io", "alice@acme.io", false},
		{"alice@acme.io", "alicea@cme.io", false},
		{"alice", "alice", false},
		{"alice@", "alice@", true}, // the same string, if no address
		{"a@b@acme.io", "a@b@ACME.io", true},
	} {
		if got := SameMailbox(tc.a, tc.b); got != tc.want {
			t.Errorf("SameMailbox(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
