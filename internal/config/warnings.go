package config

import (
	"fmt"
	"net/url"
	"strings"
)

// reservedDomains can never host a real app (RFC 2606 and RFC 6761): a URL on one is a
// placeholder from the committed cdk.json that was not replaced.
var reservedDomains = []string{"example.com", "example.net", "example.org", "example", "test", "invalid"}

// isReservedHost reports whether host is a reserved domain or under one.
func isReservedHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, d := range reservedDomains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// Warnings are what synth should say about a valid stage that will not work as deployed: a
// production stage whose callback, sign-out or CORS URLs are still placeholders on a reserved
// example domain (sign-in would redirect to a page nobody serves), whose email addresses are
// placeholders too (SES cannot verify them, so no message is sent), whose identity providers
// are placeholders (Cognito cannot reach them), or that keeps Cognito's own email sender. One
// line each, naming the setting.
func (c Config) Warnings() []string {
	s := c.Stage
	if !s.Production {
		return nil
	}
	var out []string
	check := func(setting string, urls []string) {
		for i, raw := range urls {
			if u, err := url.Parse(raw); err == nil && isReservedHost(u.Hostname()) {
				out = append(out, fmt.Sprintf("stages.%s.%s[%d]: %q is on a reserved example domain; set your app's real URL before you deploy (see docs/deploy.md, \"Deploy\")", c.StageName, setting, i, raw))
			}
		}
	}
	check("callbackUrls", s.CallbackURLs)
	check("logoutUrls", s.LogoutURLs)
	check("cors.allowOrigins", s.CORS.AllowOrigins)
	for i, p := range s.IdentityProviders {
		for _, u := range []struct{ key, raw string }{{"issuer", p.Issuer}, {"metadataUrl", p.MetadataURL}} {
			if parsed, err := url.Parse(u.raw); u.raw != "" && err == nil && isReservedHost(parsed.Hostname()) {
				out = append(out, fmt.Sprintf("%s: %q is on a reserved example domain; set your provider's real %s (and its clientId and secret) before you deploy, or Cognito refuses the provider (see docs/identity-providers.md, \"Identity providers\")", c.where(fmt.Sprintf("identityProviders[%d].%s", i, u.key)), u.raw, u.key))
			}
		}
	}
	if !s.Email.UsesSES() {
		out = append(out, fmt.Sprintf("%s: a production stage keeps Cognito's own email sender, which sends only a small number of messages a day (50 at the time of writing) from a Cognito address: once they are used up, sign-up verification and password-reset codes stop arriving; set email.sender to \"ses\" with a verified SES identity (see docs/identity-providers.md, \"Email through Amazon SES\")", c.where("email.sender")))
	}
	for _, a := range []struct{ key, addr string }{{"email.from", s.Email.From}, {"email.replyTo", s.Email.ReplyTo}} {
		key, addr := a.key, a.addr
		if _, domain, ok := strings.Cut(addr, "@"); ok && s.Email.UsesSES() && isReservedHost(domain) {
			out = append(out, fmt.Sprintf("%s: %q is on a reserved example domain; set an address of a domain you verified in SES before you deploy (see docs/identity-providers.md, \"Email through Amazon SES\")", c.where(key), addr))
		}
	}
	return out
}

// where names a setting of the stage where the user wrote it (the stage or the defaults).
func (c Config) where(key string) string {
	v := validator{stage: KeyStages + "." + c.StageName, fromDefaults: c.fromDefaults}
	return v.at(key)
}
