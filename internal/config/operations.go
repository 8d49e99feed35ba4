package config

import (
	"net"
	"net/url"
	"slices"

	"github.com/cognito-apigw/cognito-apigw/internal/loopback"
)

// What running a stage in production takes beside the pool and the API: a web ACL on the user
// pool (userPoolWaf), the pool's sign-in logs (signInLogs) and X-Ray tracing (tracing). The
// settings are documented in docs/configuration.md and explained in docs/operations.md.

// defaultUserPoolRateLimit is the user pool web ACL's per-IP limit in 5 minutes. A sign-in
// through managed login is a handful of requests (authorize, the login page and its form,
// the token exchange) and a signed-in browser refreshes its tokens about once an hour, so
// this lets an office behind one address sign in about a hundred people in 5 minutes while a
// single address guessing passwords is stopped after a few hundred tries.
const defaultUserPoolRateLimit = 500

// WAF's range for a rate-based rule's limit, in requests per 5 minutes.
const (
	minWAFRateLimit = 10
	maxWAFRateLimit = 2_000_000_000
)

func (v *validator) operations(s Stage) {
	v.wafRateLimit("userPoolWaf.rateLimit", s.UserPoolWAF.RateLimit)
}

// wafRateLimit checks the per-IP limit of a web ACL's rate-based rule, the stage setting key.
func (v *validator) wafRateLimit(key string, r int) {
	if r < minWAFRateLimit || r > maxWAFRateLimit {
		v.add(v.at(key), r, "want 10 to 2000000000 requests per IP address in 5 minutes (WAF's range)")
	}
}

// RedirectsToLoopback reports whether one of the stage's callback or sign-out URLs is on a
// loopback host (loopback.IsURL). Signing in and out then sends
// redirect_uri=http://localhost... or logout_uri=http://localhost... in the query string, which
// AWS's common rule set takes for an attempt to reach the EC2 metadata service.
func (s Stage) RedirectsToLoopback() bool {
	return slices.ContainsFunc(s.CallbackURLs, loopback.IsURL) || slices.ContainsFunc(s.LogoutURLs, loopback.IsURL)
}

// RedirectsToIPv4 reports whether one of the stage's callback or sign-out URLs names its host
// by an IPv4 address (http://127.0.0.1:8976/callback): AWS's common rule set takes such a URL in
// a query argument for remote file inclusion.
func (s Stage) RedirectsToIPv4() bool {
	onIPv4 := func(raw string) bool {
		u, err := url.Parse(raw)
		if err != nil {
			return false
		}
		ip := net.ParseIP(u.Hostname())
		return ip != nil && ip.To4() != nil
	}
	return slices.ContainsFunc(s.CallbackURLs, onIPv4) || slices.ContainsFunc(s.LogoutURLs, onIPv4)
}

// SignInEventLogs reports whether the pool has user sign-in events to deliver (Cognito's
// userAuthEvents source): threat protection writes them, and only on the PLUS feature plan.
func (s Stage) SignInEventLogs() bool {
	return s.SignInLogs && s.ThreatProtection && s.EffectiveFeaturePlan() == "PLUS"
}

// OperationWarnings are what synth should say about how a valid stage is run: a production
// stage whose alarms tell nobody, and a login domain that identity providers and passkeys must
// follow. One line each, naming the setting; Warnings covers the rest.
func (c Config) OperationWarnings() []string {
	return append(c.alarmWarnings(), c.domainWarnings()...)
}
