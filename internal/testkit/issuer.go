// Package testkit is the tests' shared kit; imported by _test.go files only.
//
// Its Issuer plays a Cognito user pool on loopback: an httptest server serves the pool's JWKS
// at <server>/<pool id>/.well-known/jwks.json, and Mint signs RS256 tokens with the pool's
// key. Key, JWK, Header, Sign, Edit and Tamper build the keys, key sets and tokens no pool
// would (jwt.go). ReadJSON, ProxyEvent and Golden read the tests' sample events and golden
// files (readjson.go); DirFiles snapshots a folder's files; EditCDKJSON writes an edited copy
// of cdk.json; SampleRoutes is the sample app's route table; Env changes a few variables of a
// function's environment. SyncBuffer holds logs written by goroutines while a test reads them.
package testkit

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The pool key's kid, and the app client and sub of IDClaims and AccessClaims (alice).
// OtherClientID is an app client of the pool that the tests' stage does not accept.
const (
	Kid           = "pool-kid-1"
	ClientID      = "4n7d2kq8v1l5h9s3c6b0x2m7pa"
	OtherClientID = "7f3k9w2q5z8x1c4v6b0n3m5l8j"
	Subject       = "5c8f1e2a-7b3d-4e6f-9a1b-2c3d4e5f6a7b"
)

// Issuer is a user pool whose JWKS an httptest server serves until the test ends. A test may
// swap the key set (SetKeys), break the server (SetDown, Override) and count its requests.
type Issuer struct {
	*httptest.Server
	issuer   string
	jwks     atomic.Pointer[[]byte]
	down     atomic.Bool
	requests atomic.Int64
	override atomic.Pointer[http.HandlerFunc]
}

// New starts the JWKS server of pool, serving the pool key under Kid; it answers 404 on any
// other path.
func New(t testing.TB, pool string) *Issuer {
	t.Helper()
	is := &Issuer{}
	is.SetKeys(t, JWK(Kid, Key("pool")))
	is.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		is.requests.Add(1)
		if h := is.override.Load(); h != nil {
			(*h)(w, r)
			return
		}
		if is.down.Load() {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		if r.URL.Path != "/"+pool+"/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(is.JWKS())
	}))
	t.Cleanup(is.Close)
	is.issuer = is.URL + "/" + pool
	return is
}

// Issuer is the pool's issuer URL, <server>/<pool id>: the iss claim and the verifier's Issuer.
func (is *Issuer) Issuer() string { return is.issuer }

// SetKeys makes the server publish keys (JWK's, or any JSON objects) from now on: a rotation,
// a key removed, a key set no verifier should take.
func (is *Issuer) SetKeys(t testing.TB, keys ...map[string]any) {
	t.Helper()
	if keys == nil {
		keys = []map[string]any{}
	}
	b, err := json.Marshal(map[string]any{"keys": keys})
	if err != nil {
		t.Fatal(err)
	}
	is.jwks.Store(&b)
}

// JWKS is the key set the server publishes now.
func (is *Issuer) JWKS() []byte { return *is.jwks.Load() }

// SetDown makes the JWKS server answer 503 on every path while down is true.
func (is *Issuer) SetDown(down bool) { is.down.Store(down) }

// Override makes h answer every request from now on instead of the JWKS server.
func (is *Issuer) Override(h http.HandlerFunc) { is.override.Store(&h) }

// Requests is how many requests the server has had, on any path, answered or not.
func (is *Issuer) Requests() int64 { return is.requests.Load() }

// IDClaims and AccessClaims mirror what Cognito puts in its tokens, on the real clock (a
// verifier checks exp against time.Now), with name, value pairs set or, for Absent, removed.
func (is *Issuer) IDClaims(kv ...any) map[string]any { return is.IDClaimsAt(time.Now(), kv...) }

func (is *Issuer) AccessClaims(kv ...any) map[string]any {
	return is.AccessClaimsAt(time.Now(), kv...)
}

// IDClaimsAt and AccessClaimsAt are IDClaims and AccessClaims issued a minute before now and
// expiring an hour after it, for a verifier on a fixed clock.
func (is *Issuer) IDClaimsAt(now time.Time, kv ...any) map[string]any {
	at := now.Unix()
	return Edit(map[string]any{
		"sub": Subject, "cognito:groups": []string{"admin", "users"}, "email_verified": true,
		"iss": is.issuer, "cognito:username": "alice", "origin_jti": "0b6b1c3e-origin", "aud": ClientID,
		"event_id": "e7f8-event", "token_use": "id", "auth_time": at - 60, "exp": at + 3600,
		"iat": at - 60, "jti": "9c0d-jti", "email": "alice@example.com",
	}, kv...)
}

func (is *Issuer) AccessClaimsAt(now time.Time, kv ...any) map[string]any {
	at := now.Unix()
	return Edit(map[string]any{
		"sub": Subject, "cognito:groups": []string{"admin"}, "iss": is.issuer, "version": 2,
		"client_id": ClientID, "origin_jti": "0b6b1c3e-origin", "event_id": "e7f8-event",
		"token_use": "access", "scope": "openid demo-api/read", "auth_time": at - 60,
		"exp": at + 3600, "iat": at - 60, "jti": "9c0d-jti", "username": "alice",
	}, kv...)
}

// Mint signs claims as the pool does: RS256 with the pool's key, under Header().
func (is *Issuer) Mint(t testing.TB, claims map[string]any) string {
	t.Helper()
	return Sign(t, jwt.SigningMethodRS256, Key("pool"), Header(), claims)
}

// Forge signs claims RS256 with a key the pool never published, under kid (Kid, or one
// the JWKS lacks).
func (is *Issuer) Forge(t testing.TB, kid string, claims map[string]any) string {
	t.Helper()
	return Sign(t, jwt.SigningMethodRS256, Key("attacker"), Header("kid", kid), claims)
}

// MintRaw signs payload bytes exactly as given with the pool's key, for payloads no JSON
// encoder writes (trailing data, a claim twice).
func (is *Issuer) MintRaw(t testing.TB, payload string) string {
	t.Helper()
	return signInput(t, jwt.SigningMethodRS256, Key("pool"), B64JSON(t, Header())+"."+B64([]byte(payload)))
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
