package origin_test

import (
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/origin"
)

func TestCheck(t *testing.T) {
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
		got := origin.Check(tc.origin)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("Check(%q) = %q, want %q", tc.origin, got, tc.want)
		}
	}
}

func TestAllowed(t *testing.T) {
	allowed := []string{"https://app.example.com", "http://localhost:3000"}
	for o, want := range map[string]bool{
		"https://app.example.com": true, "http://localhost:3000": true,
		// What a browser never sends does not match, as in API Gateway.
		"https://app.example.com/": false, "HTTPS://APP.EXAMPLE.COM": false,
		"https://evil.example": false, "null": false, "": false,
	} {
		if got := origin.Allowed(allowed, o); got != want {
			t.Errorf("Allowed(%q) = %v, want %v", o, got, want)
		}
	}
	if !origin.Allowed([]string{"*"}, "https://any.example") || origin.Allowed([]string{"*"}, "") {
		t.Error(`"*" must allow any origin, and only a request with one`)
	}
}

func TestGatewayError(t *testing.T) {
	for _, tc := range []struct {
		allowed []string
		want    string
	}{
		{nil, ""},
		{[]string{}, ""},
		{[]string{"*"}, "*"},
		{[]string{"https://app.example.com", "http://localhost:3000"}, "https://app.example.com"},
	} {
		if got := origin.GatewayError(tc.allowed); got != tc.want {
			t.Errorf("GatewayError(%q) = %q, want %q", tc.allowed, got, tc.want)
		}
	}
}
