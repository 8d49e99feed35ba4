// Package testkit is the tests' shared kit; imported by _test.go files only.
//
// Its Issuer plays a Cognito user pool on loopback: an httptest server serves the pool's JWKS
// at <server>/<pool id>/.well-known/jwks.json, and Mint signs RS256 tokens with the pool's
// key. SampleRoutes is the sample app's route table. SyncBuffer holds logs written by
// goroutines while a test reads them.
package testkit

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The pool key's kid, and the app client and sub of IDClaims and AccessClaims (alice).
const (
	Kid      = "pool-kid-1"
	ClientID = "4n7d2kq8v1l5h9s3c6b0x2m7pa"
	Subject  = "5c8f1e2a-7b3d-4e6f-9a1b-2c3d4e5f6a7b"
)

type absent struct{}

// Absent, as a claim value given to IDClaims or AccessClaims, removes the claim.
var Absent any = absent{}

// Keys are generated once per test binary: RSA generation is slow, more so under -race.
var keys = sync.OnceValue(func() map[string]*rsa.PrivateKey {
	m := map[string]*rsa.PrivateKey{}
	for _, name := range []string{"pool", "attacker"} {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		m[name] = k
	}
	return m
})

// Issuer is a user pool whose JWKS an httptest server serves until the test ends.
type Issuer struct {
	issuer string
	down   atomic.Bool
}

// New starts the JWKS server of pool; it answers 404 on any other path.
func New(t testing.TB, pool string) *Issuer {
	t.Helper()
	pub := keys()["pool"].PublicKey
	jwks, err := json.Marshal(map[string]any{"keys": []any{map[string]any{
		"kty": "RSA", "alg": "RS256", "use": "sig", "kid": Kid,
		"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	is := &Issuer{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if is.down.Load() {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		if r.URL.Path != "/"+pool+"/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(jwks)
	}))
	t.Cleanup(srv.Close)
	is.issuer = srv.URL + "/" + pool
	return is
}

// Issuer is the pool's issuer URL, <server>/<pool id>: the iss claim and the verifier's Issuer.
func (is *Issuer) Issuer() string { return is.issuer }

// SetDown makes the JWKS server answer 503 on every path while down is true.
func (is *Issuer) SetDown(down bool) { is.down.Store(down) }

// IDClaims and AccessClaims mirror what Cognito puts in its tokens, on the real clock (a
// verifier checks exp against time.Now), with name, value pairs set or, for Absent, removed.
func (is *Issuer) IDClaims(kv ...any) map[string]any {
	now := time.Now().Unix()
	return edit(map[string]any{
		"sub": Subject, "cognito:groups": []string{"admin", "users"}, "email_verified": true,
		"iss": is.issuer, "cognito:username": "alice", "origin_jti": "0b6b1c3e-origin", "aud": ClientID,
		"event_id": "e7f8-event", "token_use": "id", "auth_time": now - 60, "exp": now + 3600,
		"iat": now - 60, "jti": "9c0d-jti", "email": "alice@example.com",
	}, kv)
}

func (is *Issuer) AccessClaims(kv ...any) map[string]any {
	now := time.Now().Unix()
	return edit(map[string]any{
		"sub": Subject, "cognito:groups": []string{"admin"}, "iss": is.issuer, "version": 2,
		"client_id": ClientID, "origin_jti": "0b6b1c3e-origin", "event_id": "e7f8-event",
		"token_use": "access", "scope": "openid demo-api/read", "auth_time": now - 60,
		"exp": now + 3600, "iat": now - 60, "jti": "9c0d-jti", "username": "alice",
	}, kv)
}

func edit(m map[string]any, kv []any) map[string]any {
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == Absent {
			delete(m, kv[i].(string))
		} else {
			m[kv[i].(string)] = kv[i+1]
		}
	}
	return m
}

// Mint signs claims as the pool does: RS256 with the pool's key, under Kid.
func (is *Issuer) Mint(t testing.TB, claims map[string]any) string {
	t.Helper()
	return sign(t, keys()["pool"], Kid, claims)
}

// Forge signs claims RS256 with a key the pool never published, under kid (Kid, or one
// the JWKS lacks).
func (is *Issuer) Forge(t testing.TB, kid string, claims map[string]any) string {
	t.Helper()
	return sign(t, keys()["attacker"], kid, claims)
}

// MintRaw signs payload bytes exactly as given with the pool's key, for payloads no JSON
// encoder writes (trailing data, a claim twice).
func (is *Issuer) MintRaw(t testing.TB, payload string) string {
	t.Helper()
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","kid":"` + Kid + `","typ":"JWT"}`))
	input := header + "." + base64.RawURLEncoding.EncodeToString([]byte(payload))
	sig, err := jwt.SigningMethodRS256.Sign(input, keys()["pool"])
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func sign(t testing.TB, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims(claims))
	tok.Header["kid"] = kid
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// SyncBuffer collects what goroutines (a server, a process's pipes) write while the test
// reads it. Its zero value is ready to use.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
