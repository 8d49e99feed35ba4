// Package origin is the project's one rule of what an allowed CORS origin is and how a
// request's Origin is matched against the allowed ones: the configuration checks cors
// allowOrigins with it, the API stack and the local gateway take the origin of API Gateway's
// own error replies from it, and the proxy handler and cmd/local's web app answer with it.
package origin

import (
	"net/url"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/loopback"
)

// Check is the one rule for an allowed CORS origin. It reports what is wrong with o, or "" when
// o is "*" or exactly what a browser sends as Origin: scheme://host[:port], lower case, no
// default port, no path (not even "/"). API Gateway compares origins as strings, so a
// configured "https://app.example.com/" would never match; the message offers the right form.
// Plain http is for loopback origins only, as for callback URLs.
func Check(o string) string {
	if o == "*" {
		return ""
	}
	u, err := url.Parse(o)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		want := "want an origin: scheme://host[:port] with no path, such as https://app.example.com"
		if h, err := url.Parse("http://" + o); err == nil && !strings.Contains(o, "://") && h.Host != "" && h.User == nil && strings.Trim(h.Path, "/") == "" {
			scheme := "https://"
			if loopback.IsHost(h.Hostname()) {
				scheme = "http://"
			}
			want += "; did you mean " + scheme + strings.ToLower(h.Host) + "?"
		}
		return want
	}
	if strings.Contains(u.Host, "*") {
		return "want an exact origin; wildcards are not allowed inside an origin (use \"*\" alone for any)"
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme == "http" && !loopback.IsHost(u.Hostname()):
		return "want https; plain http is allowed only for localhost, 127.0.0.1 and [::1]"
	case scheme != "http" && scheme != "https":
		return "want an http(s) origin"
	}
	canonical := scheme + "://" + strings.ToLower(u.Hostname())
	if strings.Contains(u.Hostname(), ":") {
		canonical = scheme + "://[" + strings.ToLower(u.Hostname()) + "]"
	}
	if port := u.Port(); port != "" && !(scheme == "https" && port == "443") && !(scheme == "http" && port == "80") {
		canonical += ":" + port
	}
	if u.Path != "" && u.Path != "/" {
		return "want an origin without a path, such as " + canonical
	}
	if o != canonical {
		return "want the origin exactly as a browser sends it: did you mean " + canonical + "?"
	}
	return ""
}

// Allowed reports whether the Origin header of a request is one of the allowed origins
// (checked with Check); "*" allows any. Browsers send the exact form, so this compares strings,
// as API Gateway does.
func Allowed(allowed []string, origin string) bool {
	if origin == "" {
		return false
	}
	for _, a := range allowed {
		if a == "*" || a == origin {
			return true
		}
	}
	return false
}

// GatewayError is the Access-Control-Allow-Origin of API Gateway's own error replies (the
// authorizer's 401 and 403, throttling's 429, 5XX), "" when CORS is off. A gateway response has
// fixed headers: it cannot check the caller's Origin against a list, and reflecting the header
// would let any site read those replies. So it names the first configured origin (or "*"), and
// pages on the other origins see those replies as CORS errors; the handler's own replies check
// the Origin per request and serve every configured origin.
func GatewayError(allowed []string) string {
	if len(allowed) == 0 {
		return ""
	}
	return allowed[0]
}

// RequestHeaders are the request headers a browser on an allowed origin may send the API:
// the token, the JSON body's type, and POST /items' Idempotency-Key. The API stack's CORS
// preflight (and its error replies) and the local gateway's say these.
var RequestHeaders = []string{"Authorization", "Content-Type", "Idempotency-Key"}

// ReplyHeaders are the reply headers such a page may read besides the CORS-safelisted ones:
// the RFC 6750 challenge of a refusal, POST /items' Idempotent-Replayed, and the Retry-After
// of a request to come back to. The proxy handler says these.
var ReplyHeaders = []string{"WWW-Authenticate", "Idempotent-Replayed", "Retry-After"}
