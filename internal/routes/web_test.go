package routes_test

import (
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LocalHost": true, "127.0.0.1": true, "::1": true,
		// Loopback to the kernel, not to Cognito's callback URL rule: one rule, Cognito's.
		"127.0.0.2": false, "127.1": false, "0:0:0:0:0:0:0:1": false, "[::1]": false,
		"localhost.": false, "localhost.example.com": false, "example.com": false, "": false,
		// strings.EqualFold folds the long s (U+017F) to s: not the name localhost.
		"localho\u017Ft": false, "LOCALHO\u017FT": false,
	} {
		if got := routes.IsLoopbackHost(host); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestIsLoopbackURL(t *testing.T) {
	for raw, want := range map[string]bool{
		"http://localhost:3000/auth/callback": true, "https://127.0.0.1:8443": true, "http://[::1]:8080/": true,
		"HTTP://LOCALHOST": true, "http://127.0.0.2:8080": false, "http://localhost.evil.example": false,
		"myapp://localhost": false, "localhost:3000": false, "": false, "http://user@example.com@localhost/": false,
	} {
		if got := routes.IsLoopbackURL(raw); got != want {
			t.Errorf("IsLoopbackURL(%q) = %v, want %v", raw, got, want)
		}
	}
}

func TestCheckOrigin(t *testing.T) {
	tests := []struct{ origin, want string }{ // want: "" or a substring of the message
		{"*", ""},
		{"https://app.example.com", ""},
		{"https://app.example.com:8443", ""},
		{"http://localhost:3000", ""},
		{"http://127.0.0.1:3000", ""},
		{"http://[::1]:3000", ""},
		{"https://[2001:db8::1]", ""},
		{"https://app.example.com/", "did you mean https://app.example.com?"},
		{"HTTPS://App.Example.com", "did you mean https://app.example.com?"},
		{"https://app.example.com:443", "did you mean https://app.example.com?"},
		{"http://localhost:80", "did you mean http://localhost?"},
		{"https://[2001:DB8::1]", "did you mean https://[2001:db8::1]?"},
		{"https://app.example.com/path", "without a path, such as https://app.example.com"},
		{"http://app.example.com", "want https"},
		{"http://127.0.0.2:3000", "want https"},
		{"ftp://app.example.com", "want an http(s) origin"},
		{"https://*.example.com", "wildcards"},
		{"app.example.com", "want an origin: scheme://host[:port] with no path, such as https://app.example.com; did you mean https://app.example.com?"},
		{"localhost:3000", "did you mean http://localhost:3000?"},
		{"localhost:3000/app", "want an origin"},
		{"https://app.example.com?x=1", "want an origin"},
		{"https://user@app.example.com", "want an origin"},
		{"", "want an origin"},
	}
	for _, tc := range tests {
		got := routes.CheckOrigin(tc.origin)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("CheckOrigin(%q) = %q, want %q", tc.origin, got, tc.want)
		}
	}
}

func TestOriginAllowed(t *testing.T) {
	allowed := []string{"https://app.example.com", "http://localhost:3000"}
	for origin, want := range map[string]bool{
		"https://app.example.com": true, "http://localhost:3000": true,
		// What a browser never sends does not match, as in API Gateway.
		"https://app.example.com/": false, "HTTPS://APP.EXAMPLE.COM": false,
		"https://evil.example": false, "null": false, "": false,
	} {
		if got := routes.OriginAllowed(allowed, origin); got != want {
			t.Errorf("OriginAllowed(%q) = %v, want %v", origin, got, want)
		}
	}
	if !routes.OriginAllowed([]string{"*"}, "https://any.example") || routes.OriginAllowed([]string{"*"}, "") {
		t.Error(`"*" must allow any origin, and only a request with one`)
	}
}

func TestGatewayErrorOrigin(t *testing.T) {
	for _, tc := range []struct {
		allowed []string
		want    string
	}{
		{nil, ""},
		{[]string{}, ""},
		{[]string{"*"}, "*"},
		{[]string{"https://app.example.com", "http://localhost:3000"}, "https://app.example.com"},
	} {
		if got := routes.GatewayErrorOrigin(tc.allowed); got != tc.want {
			t.Errorf("GatewayErrorOrigin(%q) = %q, want %q", tc.allowed, got, tc.want)
		}
	}
}
