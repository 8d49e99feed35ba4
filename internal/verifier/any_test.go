package verifier

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

func TestVerifyAny(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		token string
		want  TokenUse
	}{
		{"id token", f.id(), TokenUseID},
		{"access token", f.access(), TokenUseAccess},
	} {
		c, err := f.v.VerifyAny(ctx, tc.token)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if c.TokenUse != tc.want || c.ClientID != testkit.ClientID {
			t.Errorf("%s: use %q client %q", tc.name, c.TokenUse, c.ClientID)
		}
	}

	// The peeked token_use decides which checks run, so every rule of Verify still applies.
	p := strings.Split(f.id(), ".")
	forged := f.rs256(testkit.Header(), f.idClaims()) // a fresh signature over the same claims
	for _, tc := range []struct {
		name  string
		token string
		want  error
	}{
		{"no token_use", f.id("token_use", testkit.Absent), ErrTokenUse},
		{"token_use number", f.id("token_use", 1), ErrTokenUse},
		{"token_use refresh", f.id("token_use", "refresh"), ErrTokenUse},
		{"token_use in other case", f.id("token_use", testkit.Absent, "TOKEN_USE", "id"), ErrTokenUse},
		{"ID token with access client claim only", f.id("aud", testkit.Absent, "client_id", testkit.ClientID), ErrClient},
		{"access token relabelled as id", p[0] + "." + testkit.B64JSON(t, f.accessClaims("token_use", "id")) + "." + p[2], ErrSignature},
		{"expired", f.access("exp", f.now.Unix()-1), ErrExpired},
		{"wrong issuer", f.id("iss", "https://cognito-idp.us-east-1.amazonaws.com/other"), ErrIssuer},
		{"payload not JSON", p[0] + "." + testkit.B64([]byte("not json")) + "." + p[2], ErrMalformed},
		{"payload not base64", p[0] + ".!!!." + p[2], ErrMalformed},
		{"two segments", p[0] + "." + p[1], ErrMalformed},
		{"too large", strings.Repeat("a", DefaultMaxTokenSize+1), ErrTokenTooLarge},
		{"signature of another token", p[0] + "." + p[1] + "." + strings.Split(f.access(), ".")[2], ErrSignature},
	} {
		if _, err := f.v.VerifyAny(ctx, tc.token); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := f.v.VerifyAny(ctx, forged); err != nil {
		t.Errorf("re-signed token: %v", err)
	}
}
