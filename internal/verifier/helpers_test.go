package verifier

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

const (
	testPool = "us-east-1_TestPool1"
	// rotatedKid is the kid under which tests publish testkit.Key("rotated"): the pool's next key.
	rotatedKid = "rotated-kid"
)

// testNow is the fixed clock of most tests: Sun Nov 22 10:00:00 UTC 2026.
var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// fixture is a verifier for testkit's pool, on a fixed clock.
type fixture struct {
	t   testing.TB
	is  *testkit.Issuer
	v   *Verifier
	now time.Time
}

func newFixture(t testing.TB, configure ...func(*Config)) *fixture {
	t.Helper()
	f := &fixture{t: t, is: testkit.New(t, testPool), now: testNow}
	cfg := Config{Issuer: f.is.Issuer(), ClientIDs: []string{"another-client", testkit.ClientID}}
	for _, c := range configure {
		c(&cfg)
	}
	v, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(v.Close)
	v.now = func() time.Time { return f.now }
	f.v = v
	return f
}

// idClaims and accessClaims are a token's payload, issued at the fixture's clock.
func (f *fixture) idClaims(kv ...any) map[string]any     { return f.is.IDClaimsAt(f.now, kv...) }
func (f *fixture) accessClaims(kv ...any) map[string]any { return f.is.AccessClaimsAt(f.now, kv...) }

func (f *fixture) id(kv ...any) string     { return f.is.Mint(f.t, f.idClaims(kv...)) }
func (f *fixture) access(kv ...any) string { return f.is.Mint(f.t, f.accessClaims(kv...)) }

// rs256 signs header and payload with the pool's key.
func (f *fixture) rs256(header map[string]any, payload any) string {
	return testkit.Sign(f.t, jwt.SigningMethodRS256, testkit.Key("pool"), header, payload)
}

// rotated signs an ID token with testkit.Key("rotated") under kid.
func (f *fixture) rotated(kid string, claims map[string]any) string {
	return testkit.Sign(f.t, jwt.SigningMethodRS256, testkit.Key("rotated"), testkit.Header("kid", kid), claims)
}

// idOfLength is a valid ID token of exactly n bytes, padded in a claim, and in the header for
// the lengths that the base64 of the payload alone skips.
func (f *fixture) idOfLength(n int) string {
	f.t.Helper()
	sigLen := len(testkit.B64(make([]byte, testkit.Key("pool").Size())))
	for pad := range 4 {
		h := testkit.Header("pad", strings.Repeat("x", pad))
		padded := func(k int) map[string]any { return f.idClaims("padding", strings.Repeat("x", k)) }
		length := func(c map[string]any) int {
			return len(testkit.B64JSON(f.t, h)) + 1 + len(testkit.B64JSON(f.t, c)) + 1 + sigLen
		}
		for k := max(0, (n-length(padded(0)))*3/4-2); ; k++ {
			c := padded(k)
			if l := length(c); l == n {
				if tok := f.rs256(h, c); len(tok) == n {
					return tok
				}
				f.t.Fatalf("token of %d bytes came out longer", n)
			} else if l > n {
				break
			}
		}
	}
	f.t.Fatalf("no token of %d bytes", n)
	return ""
}

// poolJWK and rotatedJWK are the JWKS entries of the pool's key and of its next one.
func poolJWK() map[string]any    { return testkit.JWK(testkit.Kid, testkit.Key("pool")) }
func rotatedJWK() map[string]any { return testkit.JWK(rotatedKid, testkit.Key("rotated")) }
