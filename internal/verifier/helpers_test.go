package verifier

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	testPool   = "us-east-1_TestPool1"
	testClient = "5ab1clientidforthetests"
)

// testNow is the fixed clock of most tests: Sun Nov 22 10:00:00 UTC 2026.
var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

type testKey struct {
	kid  string
	priv *rsa.PrivateKey
}

// Keys are generated once per test binary: RSA generation is slow under -race.
var testKeys = sync.OnceValue(func() map[string]*rsa.PrivateKey {
	m := map[string]*rsa.PrivateKey{}
	for _, name := range []string{"pool", "rotated", "attacker", "otherpool"} {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		m[name] = k
	}
	return m
})

var testECKey = sync.OnceValue(func() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
})

func newTestKey(name, kid string) testKey { return testKey{kid: kid, priv: testKeys()[name]} }

// rsaJWK renders a public key the way Cognito's JWKS does.
func rsaJWK(k testKey) map[string]any {
	return map[string]any{
		"alg": "RS256", "kty": "RSA", "use": "sig", "kid": k.kid,
		"e": b64(big.NewInt(int64(k.priv.E)).Bytes()),
		"n": b64(k.priv.N.Bytes()),
	}
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func b64JSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b64(b)
}

// jwksServer serves a JWKS that tests can swap or break, and counts requests.
type jwksServer struct {
	*httptest.Server
	body     atomic.Pointer[[]byte]
	fail     atomic.Bool
	requests atomic.Int64
	// override, when set, answers instead of the JWKS (requests are still counted).
	override atomic.Pointer[http.HandlerFunc]
}

func newJWKSServer(t testing.TB, keys ...map[string]any) *jwksServer {
	t.Helper()
	s := &jwksServer{}
	s.setKeys(t, keys...)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		if h := s.override.Load(); h != nil {
			(*h)(w, r)
			return
		}
		if s.fail.Load() || r.URL.Path != "/"+testPool+"/.well-known/jwks.json" {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(*s.body.Load())
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) setKeys(t testing.TB, keys ...map[string]any) {
	t.Helper()
	if keys == nil {
		keys = []map[string]any{}
	}
	b, err := json.Marshal(map[string]any{"keys": keys})
	if err != nil {
		t.Fatal(err)
	}
	s.body.Store(&b)
}

func (s *jwksServer) issuer() string { return s.URL + "/" + testPool }

// fixture is a verifier for the pool key, on a fixed clock.
type fixture struct {
	t   testing.TB
	srv *jwksServer
	key testKey
	v   *Verifier
	now time.Time
}

func newFixture(t testing.TB, configure ...func(*Config)) *fixture {
	t.Helper()
	f := &fixture{t: t, key: newTestKey("pool", "pool-kid-1"), now: testNow}
	f.srv = newJWKSServer(t, rsaJWK(f.key))
	cfg := Config{Issuer: f.srv.issuer(), ClientIDs: []string{"another-client", testClient}}
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

// claims are a token's payload.
type claims map[string]any

var absent = struct{}{}

func (c claims) with(kv ...any) claims { return edit(c, kv...) }

// idClaims and accessClaims mirror what Cognito puts in its tokens.
func (f *fixture) idClaims() claims {
	now := f.now.Unix()
	return claims{
		"sub": "a1b2c3d4-0000-4000-8000-123456789abc", "cognito:groups": []string{"admins", "readers"},
		"email_verified": true, "iss": f.srv.issuer(), "cognito:username": "alice",
		"origin_jti": "0b6b1c3e-origin", "aud": testClient, "event_id": "e7f8-event",
		"token_use": "id", "auth_time": now - 60, "exp": now + 3600, "iat": now - 60,
		"jti": "9c0d-jti", "email": "alice@example.com",
	}
}

func (f *fixture) accessClaims() claims {
	now := f.now.Unix()
	return claims{
		"sub": "a1b2c3d4-0000-4000-8000-123456789abc", "cognito:groups": []string{"admins"},
		"iss": f.srv.issuer(), "version": 2, "client_id": testClient, "origin_jti": "0b6b1c3e-origin",
		"event_id": "e7f8-event", "token_use": "access", "scope": "openid email api/read api/write",
		"auth_time": now - 60, "exp": now + 3600, "iat": now - 60, "jti": "9c0d-jti", "username": "alice",
	}
}

func (f *fixture) header() map[string]any { return map[string]any{"kid": f.key.kid, "alg": "RS256"} }

// sign builds a compact JWT by hand so that tests control every byte of header and payload.
func sign(t testing.TB, method jwt.SigningMethod, k any, header map[string]any, payload any) string {
	t.Helper()
	input := b64JSON(t, header) + "." + b64JSON(t, payload)
	sig, err := method.Sign(input, k)
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + b64(sig)
}

func (f *fixture) rs256(header map[string]any, payload any) string {
	return sign(f.t, jwt.SigningMethodRS256, f.key.priv, header, payload)
}

// idOfLength is a valid ID token of exactly n bytes, padded in a claim, and in the header for
// the lengths that the base64 of the payload alone skips.
func (f *fixture) idOfLength(n int) string {
	f.t.Helper()
	sigLen := len(b64(make([]byte, f.key.priv.Size())))
	for pad := range 4 {
		h := edit(f.header(), "pad", strings.Repeat("x", pad))
		padded := func(k int) claims { return f.idClaims().with("padding", strings.Repeat("x", k)) }
		length := func(c claims) int { return len(b64JSON(f.t, h)) + 1 + len(b64JSON(f.t, c)) + 1 + sigLen }
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

func (f *fixture) id(kv ...any) string     { return f.rs256(f.header(), f.idClaims().with(kv...)) }
func (f *fixture) access(kv ...any) string { return f.rs256(f.header(), f.accessClaims().with(kv...)) }

// edit returns a copy of m with name, value pairs set, or deleted where the value is absent.
func edit(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == absent {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}
