package verifier

import (
	"testing"
)

func TestTokenFromAuthorizationHeader(t *testing.T) {
	tests := []struct {
		header, token string
		ok            bool
	}{
		{"eyJ.eyJ.sig", "eyJ.eyJ.sig", true},
		{"Bearer eyJ.eyJ.sig", "eyJ.eyJ.sig", true},
		{"bearer eyJ.eyJ.sig", "eyJ.eyJ.sig", true},
		{"BEARER eyJ.eyJ.sig", "eyJ.eyJ.sig", true},
		{"Bearer    eyJ.eyJ.sig", "eyJ.eyJ.sig", true},
		{"  eyJ.eyJ.sig \t", "eyJ.eyJ.sig", true},
		{"", "", false},
		{"   ", "", false},
		{"Bearer", "", false},
		{"Bearer ", "", false},
		{"Basic dXNlcjpwYXNz", "", false},
		{"Token eyJ.eyJ.sig", "", false},
		{"Bearer eyJ.eyJ.sig extra", "", false},
		{"Bearer\teyJ.eyJ.sig", "", false},
		{"Bearer \teyJ.eyJ.sig", "", false},
		{"Bearerx eyJ.eyJ.sig", "", false},
		{"Bearer Bearer eyJ.eyJ.sig", "", false},
	}
	for _, tc := range tests {
		tok, ok := TokenFromAuthorizationHeader(tc.header)
		if tok != tc.token || ok != tc.ok {
			t.Errorf("TokenFromAuthorizationHeader(%q) = %q, %v; want %q, %v", tc.header, tok, ok, tc.token, tc.ok)
		}
	}
}
