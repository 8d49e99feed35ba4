package loopback

import "testing"

func TestIsHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LocalHost": true, "127.0.0.1": true, "::1": true,
		// Loopback to the kernel, not to Cognito's callback URL rule: one rule, Cognito's.
		"127.0.0.2": false, "127.1": false, "0:0:0:0:0:0:0:1": false, "[::1]": false,
		"localhost.": false, "localhost.example.com": false, "example.com": false, "": false,
		// strings.EqualFold folds the long s (U+017F) to s: not the name localhost.
		"localho\u017Ft": false, "LOCALHO\u017FT": false,
	} {
		if got := IsHost(host); got != want {
			t.Errorf("IsHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestIsURL(t *testing.T) {
	for raw, want := range map[string]bool{
		"http://localhost:3000/auth/callback": true, "https://127.0.0.1:8443": true, "http://[::1]:8080/": true,
		"HTTP://LOCALHOST": true, "http://127.0.0.2:8080": false, "http://localhost.evil.example": false,
		"myapp://localhost": false, "localhost:3000": false, "": false, "http://user@example.com@localhost/": false,
	} {
		if got := IsURL(raw); got != want {
			t.Errorf("IsURL(%q) = %v, want %v", raw, got, want)
		}
	}
}
