package loopback

import (
	"net/url"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/ascii"
)

// IsHost is the one loopback rule of the project, Cognito's: the hosts for which it accepts
// plain-http callback and sign-out URLs (localhost, 127.0.0.1 and [::1]; host as
// url.URL.Hostname gives it, without brackets). Other 127.0.0.0/8 addresses are loopback to
// the kernel but not to Cognito, so they are not here either: a URL this accepts can be
// registered on an app client.
func IsHost(host string) bool {
	return ascii.EqualFold(host, "localhost") || host == "127.0.0.1" || host == "::1"
}

// IsURL reports whether raw is an http or https URL whose host IsHost, without
// user:password@ (which hides the real host from a reader: http://localhost@evil.example).
func IsURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.User != nil {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return (scheme == "http" || scheme == "https") && IsHost(u.Hostname())
}
