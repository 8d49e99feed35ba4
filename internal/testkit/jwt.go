package testkit

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

type absent struct{}

// Absent, as a value given to Edit (and so to Header, IDClaims and AccessClaims), removes the
// name instead of setting it.
var Absent any = absent{}

// keys holds a func() *rsa.PrivateKey per name: each key is generated once per test binary, on
// first use, as RSA generation is slow (more so under -race).
var keys sync.Map

// Key is the RSA-2048 key of name, the same for the whole test binary. "pool" signs the
// Issuer's tokens and is in its JWKS; "attacker" signs Forge's; any other name ("rotated",
// "otherpool") is a key no JWKS holds until a test puts it there.
func Key(name string) *rsa.PrivateKey {
	gen, _ := keys.LoadOrStore(name, sync.OnceValue(func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		return k
	}))
	return gen.(func() *rsa.PrivateKey)()
}

// ECKey is a P-256 key, the same for the whole test binary: a kind of key Cognito never uses.
var ECKey = sync.OnceValue(func() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
})

// JWK renders key's public half under kid the way Cognito's JWKS does.
func JWK(kid string, key *rsa.PrivateKey) map[string]any {
	return map[string]any{
		"alg": "RS256", "kty": "RSA", "use": "sig", "kid": kid,
		"e": B64(big.NewInt(int64(key.E)).Bytes()),
		"n": B64(key.N.Bytes()),
	}
}

// Header is the header of the pool's tokens as Cognito writes it, {"alg":"RS256","kid":Kid},
// with name, value pairs set or, for Absent, removed.
func Header(kv ...any) map[string]any {
	return Edit(map[string]any{"alg": "RS256", "kid": Kid}, kv...)
}

// Sign builds a compact JWT by hand, so that a test controls every byte of it: any header,
// any payload (a string is JSON too, but no claim set), any method and key.
func Sign(t testing.TB, method jwt.SigningMethod, key any, header map[string]any, payload any) string {
	t.Helper()
	return signInput(t, method, key, B64JSON(t, header)+"."+B64JSON(t, payload))
}

// signInput appends the signature of input, the token's "header.payload".
func signInput(t testing.TB, method jwt.SigningMethod, key any, input string) string {
	t.Helper()
	sig, err := method.Sign(input, key)
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + B64(sig)
}

// B64 is b in a token's encoding: base64url without padding.
func B64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// B64JSON is v as JSON in a token's encoding.
func B64JSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return B64(b)
}

// Edit returns a copy of m with name, value pairs set or, where the value is Absent, removed.
func Edit(m map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(m)+len(kv)/2)
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == Absent {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

// Tamper replaces old with new in token's payload and keeps its header and signature: a token
// the pool never signed. The test fails if the payload does not hold old.
func Tamper(t testing.TB, token, old, new string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %d parts", len(parts))
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(payload, []byte(old)) {
		t.Fatalf("nothing to tamper with: no %q in the payload", old)
	}
	return parts[0] + "." + B64(bytes.Replace(payload, []byte(old), []byte(new), 1)) + "." + parts[2]
}
