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
// example domain (sign-in would redirect to a page nobody serves). One line each, naming the
// setting.
func (c Config) Warnings() []string {
	s := c.Stage
	if !s.Production {
		return nil
	}
	var out []string
	check := func(setting string, urls []string) {
		for i, raw := range urls {
			if u, err := url.Parse(raw); err == nil && isReservedHost(u.Hostname()) {
				out = append(out, fmt.Sprintf("stages.%s.%s[%d]: %q is on a reserved example domain; set your app's real URL before you deploy (see the README's Deploy section)", c.StageName, setting, i, raw))
			}
		}
	}
	check("callbackUrls", s.CallbackURLs)
	check("logoutUrls", s.LogoutURLs)
	check("cors.allowOrigins", s.CORS.AllowOrigins)
	return out
}
