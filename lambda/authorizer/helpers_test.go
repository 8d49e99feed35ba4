package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/golang-jwt/jwt/v5"

	"github.com/cognito-apigw/cognito-apigw/internal/routes"
	"github.com/cognito-apigw/cognito-apigw/internal/verifier"
	"github.com/cognito-apigw/cognito-apigw/lambda/authorizer/policy"
)

const (
	pool        = "us-east-1_AuthzTest1"
	client      = "4n7d2kq8v1l5h9s3c6b0x2m7pa"
	otherClient = "7f3k9w2q5z8x1c4v6b0n3m5l8j"
	alice       = "5c8f1e2a-7b3d-4e6f-9a1b-2c3d4e5f6a7b"
	poolKid     = "pool-kid-1"
	stage       = "arn:aws:execute-api:us-east-1:123456789012:k3x9w2v7q1/prod/"
)

// sampleTable is the route table in cdk.json.
var sampleTable = routes.Table{
	{Method: "GET", Path: "/health", Access: routes.Public},
	{Method: "GET", Path: "/me", Access: routes.Protected},
	{Method: "GET", Path: "/items", Access: routes.Scoped, Scopes: []string{"demo-api/read"}},
	{Method: "POST", Path: "/items", Access: routes.Scoped, Scopes: []string{"demo-api/write"}},
	{Method: "GET", Path: "/admin", Access: routes.Protected, Groups: []string{"admin"}},
}

// Keys are generated once per test binary: RSA generation is slow.
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

// syncBuffer collects log lines from concurrent invocations.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fixture is an authorizer over the sample table whose pool's JWKS an httptest server serves.
type fixture struct {
	t      testing.TB
	issuer string
	down   atomic.Bool // the JWKS server answers 503
	a      *authorizer
	logs   *syncBuffer
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{t: t, logs: &syncBuffer{}}
	pub := keys()["pool"].PublicKey
	jwks, err := json.Marshal(map[string]any{"keys": []any{map[string]any{
		"kty": "RSA", "alg": "RS256", "use": "sig", "kid": poolKid,
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes()),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.down.Load() || r.URL.Path != "/"+pool+"/.well-known/jwks.json" {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(jwks)
	}))
	t.Cleanup(srv.Close)
	f.issuer = srv.URL + "/" + pool

	// newAuthorizer would do the same from the environment; a long refetch interval keeps
	// forged kids (the fuzz target makes many) from hitting the server.
	v, err := verifier.New(context.Background(), verifier.Config{
		Issuer: f.issuer, ClientIDs: []string{client}, RefetchInterval: time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.Close)
	b, err := policy.NewBuilder(sampleTable)
	if err != nil {
		t.Fatal(err)
	}
	f.a = &authorizer{tokens: v, policies: b, log: slog.New(slog.NewJSONHandler(f.logs, nil))}
	return f
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// absent, as a claim value, removes the claim.
var absent = struct{}{}

func edit(m map[string]any, kv ...any) map[string]any {
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == absent {
			delete(m, kv[i].(string))
		} else {
			m[kv[i].(string)] = kv[i+1]
		}
	}
	return m
}

// idClaims and accessClaims mirror what Cognito puts in its tokens, on the real clock: the
// verifier checks exp against time.Now.
func (f *fixture) idClaims(kv ...any) map[string]any {
	now := time.Now().Unix()
	return edit(map[string]any{
		"sub": alice, "cognito:groups": []string{"admin", "users"}, "email_verified": true,
		"iss": f.issuer, "cognito:username": "alice", "origin_jti": "0b6b1c3e-origin", "aud": client,
		"event_id": "e7f8-event", "token_use": "id", "auth_time": now - 60, "exp": now + 3600,
		"iat": now - 60, "jti": "9c0d-jti", "email": "alice@example.com",
	}, kv...)
}

func (f *fixture) accessClaims(kv ...any) map[string]any {
	now := time.Now().Unix()
	return edit(map[string]any{
		"sub": alice, "cognito:groups": []string{"admin"}, "iss": f.issuer, "version": 2,
		"client_id": client, "origin_jti": "0b6b1c3e-origin", "event_id": "e7f8-event",
		"token_use": "access", "scope": "openid demo-api/read", "auth_time": now - 60,
		"exp": now + 3600, "iat": now - 60, "jti": "9c0d-jti", "username": "alice",
	}, kv...)
}

// sign makes an RS256 token with the pool's key (or another) and kid.
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

func (f *fixture) token(claims map[string]any) string {
	return sign(f.t, keys()["pool"], poolKid, claims)
}

// loadRequest reads a TOKEN event from testdata, with token in place of {{token}}.
func loadRequest(t testing.TB, name, token string) events.APIGatewayCustomAuthorizerRequest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var req events.APIGatewayCustomAuthorizerRequest
	if err := json.Unmarshal(bytes.ReplaceAll(b, []byte("{{token}}"), []byte(token)), &req); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if req.Type != "TOKEN" || !strings.HasPrefix(req.MethodArn, stage) {
		t.Fatalf("%s: not a TOKEN event for the test stage: %+v", name, req)
	}
	return req
}
