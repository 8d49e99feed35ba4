package verifier

import (
	"context"
	"maps"
	"testing"
	"time"
)

func TestAPIGatewayClaims(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	identities := []any{map[string]any{"providerName": "Google", "userId": "1234", "primary": "true"}}
	id, err := f.v.Verify(ctx, f.id("identities", identities, "custom:tier", "gold"), TokenUseID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"sub":              "a1b2c3d4-0000-4000-8000-123456789abc",
		"cognito:groups":   "admins,readers",
		"email_verified":   "true",
		"iss":              f.srv.issuer(),
		"cognito:username": "alice",
		"origin_jti":       "0b6b1c3e-origin",
		"aud":              testClient,
		"event_id":         "e7f8-event",
		"token_use":        "id",
		"auth_time":        "1795341540",
		"exp":              "Sun Nov 22 11:00:00 UTC 2026",
		"iat":              "Sun Nov 22 09:59:00 UTC 2026",
		"jti":              "9c0d-jti",
		"email":            "alice@example.com",
		"custom:tier":      "gold",
		"identities":       `[{"primary":"true","providerName":"Google","userId":"1234"}]`,
	}
	if got := id.APIGatewayClaims(); !maps.Equal(got, want) {
		t.Errorf("ID token claims\n got %v\nwant %v", got, want)
	}

	// Single-digit days are zero-padded, as in Java's Date.toString().
	f.now = time.Date(2026, 12, 5, 7, 7, 6, 0, time.UTC)
	acc, err := f.v.Verify(ctx, f.access("cognito:groups", []string{"solo"}), TokenUseAccess)
	if err != nil {
		t.Fatal(err)
	}
	got := acc.APIGatewayClaims()
	for name, v := range map[string]string{
		"exp": "Sat Dec 05 08:07:06 UTC 2026", "iat": "Sat Dec 05 07:06:06 UTC 2026",
		"cognito:groups": "solo", "version": "2", "client_id": testClient,
		"scope": "openid email api/read api/write", "username": "alice",
	} {
		if got[name] != v {
			t.Errorf("%s = %q, want %q", name, got[name], v)
		}
	}
}

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
	}
	for _, tc := range tests {
		tok, ok := TokenFromAuthorizationHeader(tc.header)
		if tok != tc.token || ok != tc.ok {
			t.Errorf("TokenFromAuthorizationHeader(%q) = %q, %v; want %q, %v", tc.header, tok, ok, tc.token, tc.ok)
		}
	}
}
