package verifier

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cognito-apigw/cognito-apigw/internal/jwtvalue"

	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

// attackerServer would serve the attacker's JWKS if the verifier ever followed jku or x5u.
func attackerServer(t *testing.T, jwk map[string]any) (*httptest.Server, *atomic.Int64) {
	var hits atomic.Int64
	body, _ := json.Marshal(map[string]any{"keys": []any{jwk}})
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s, &hits
}

func TestVerifyAdversarialTokens(t *testing.T) {
	f := newFixture(t)
	now := f.now.Unix()
	pool := testkit.Key("pool")
	attacker, attackerKid := testkit.Key("attacker"), "attacker-kid"
	evil, evilHits := attackerServer(t, testkit.JWK(attackerKid, attacker))
	otherPool := testkit.Key("otherpool") // another pool's key, which that pool publishes under the same kid
	pubDER, _ := x509.MarshalPKIXPublicKey(&pool.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	jwkBytes, _ := json.Marshal(poolJWK())

	// Helpers that take a good token apart.
	parts := func(tok string) []string { return strings.Split(tok, ".") }
	join := func(p ...string) string { return strings.Join(p, ".") }
	unsigned := func(h map[string]any, sig string) string {
		return testkit.B64JSON(t, h) + "." + testkit.B64JSON(t, f.idClaims()) + "." + sig
	}
	withSig := func(p []string, sig string) string { return join(p[0], p[1], sig) }
	flipMiddle := func(s string) string {
		b := []byte(s)
		i := len(b) / 2
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	nonCanonical := func(s string) string { // set the unused low bits of the last character
		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		last := strings.IndexByte(alphabet, s[len(s)-1])
		return s[:len(s)-1] + string(alphabet[last|1])
	}
	signed := func(m jwt.SigningMethod, k any, h map[string]any) string {
		return testkit.Sign(t, m, k, h, f.idClaims())
	}
	jwkHeader := func(kid string) map[string]any {
		return testkit.Header("kid", kid, "jwk", testkit.JWK(attackerKid, attacker))
	}

	tests := []struct {
		name  string
		use   TokenUse
		token string
		want  error // nil: accepted
	}{
		// Accepted.
		{"valid ID token", TokenUseID, f.id(), nil},
		{"valid access token", TokenUseAccess, f.access(), nil},
		{"nbf within leeway", TokenUseID, f.id("nbf", now+3), nil},
		{"iat within leeway", TokenUseID, f.id("iat", now+4), nil},
		{"fractional exp", TokenUseID, f.id("exp", float64(now)+3600.5), nil},
		{"typ JWT header", TokenUseID, f.rs256(testkit.Header("typ", "JWT"), f.idClaims()), nil},
		{"jku on a genuine token is ignored", TokenUseID, f.rs256(testkit.Header("jku", evil.URL), f.idClaims()), nil},

		// Algorithm.
		{"alg none", TokenUseID, unsigned(testkit.Header("alg", "none"), "AA"), ErrAlgorithm},
		{"alg none, empty signature", TokenUseID, unsigned(testkit.Header("alg", "none"), ""), ErrMalformed},
		{"alg None", TokenUseID, unsigned(testkit.Header("alg", "None"), "AA"), ErrAlgorithm},
		{"alg missing", TokenUseID, f.rs256(testkit.Header("alg", testkit.Absent), f.idClaims()), ErrAlgorithm},
		{"alg rs256 lower case", TokenUseID, f.rs256(testkit.Header("alg", "rs256"), f.idClaims()), ErrAlgorithm},
		{"HS256 keyed with the public key PEM", TokenUseID, signed(jwt.SigningMethodHS256, pubPEM, testkit.Header("alg", "HS256")), ErrAlgorithm},
		{"HS256 keyed with the JWK", TokenUseID, signed(jwt.SigningMethodHS256, jwkBytes, testkit.Header("alg", "HS256")), ErrAlgorithm},
		{"RS384", TokenUseID, signed(jwt.SigningMethodRS384, pool, testkit.Header("alg", "RS384")), ErrAlgorithm},
		{"RS512", TokenUseID, signed(jwt.SigningMethodRS512, pool, testkit.Header("alg", "RS512")), ErrAlgorithm},
		{"PS256", TokenUseID, signed(jwt.SigningMethodPS256, pool, testkit.Header("alg", "PS256")), ErrAlgorithm},
		{"ES256", TokenUseID, signed(jwt.SigningMethodES256, testkit.ECKey(), testkit.Header("alg", "ES256")), ErrAlgorithm},

		// Key id.
		{"unknown kid", TokenUseID, f.rs256(testkit.Header("kid", "no-such-kid"), f.idClaims()), ErrUnknownKey},
		{"missing kid", TokenUseID, f.rs256(testkit.Header("kid", testkit.Absent), f.idClaims()), ErrUnknownKey},
		{"empty kid", TokenUseID, f.rs256(testkit.Header("kid", ""), f.idClaims()), ErrUnknownKey},
		{"numeric kid", TokenUseID, f.rs256(testkit.Header("kid", 1), f.idClaims()), ErrUnknownKey},

		// Header injection: the token must not choose its own key.
		{"jku to attacker JWKS", TokenUseID, signed(jwt.SigningMethodRS256, attacker, testkit.Header("kid", attackerKid, "jku", evil.URL)), ErrUnknownKey},
		{"x5u to attacker", TokenUseID, signed(jwt.SigningMethodRS256, attacker, testkit.Header("kid", attackerKid, "x5u", evil.URL)), ErrUnknownKey},
		{"embedded jwk, attacker kid", TokenUseID, signed(jwt.SigningMethodRS256, attacker, jwkHeader(attackerKid)), ErrUnknownKey},
		{"embedded jwk, pool kid", TokenUseID, signed(jwt.SigningMethodRS256, attacker, jwkHeader(testkit.Kid)), ErrSignature},
		{"jku and pool kid, attacker signature", TokenUseID, signed(jwt.SigningMethodRS256, attacker, testkit.Header("jku", evil.URL)), ErrSignature},
		{"another pool's key with the same kid", TokenUseID, signed(jwt.SigningMethodRS256, otherPool, testkit.Header()), ErrSignature},
		{"crit header", TokenUseID, f.rs256(testkit.Header("crit", []string{"exp"}, "exp", now), f.idClaims()), ErrMalformed},

		// Time.
		{"expired", TokenUseID, f.id("exp", now-1), ErrExpired},
		{"exp equal to now", TokenUseID, f.id("exp", now), ErrExpired},
		{"expired within leeway (no leeway on exp)", TokenUseAccess, f.access("exp", now-2), ErrExpired},
		{"future nbf", TokenUseID, f.id("nbf", now+60), ErrNotYetValid},
		{"future iat", TokenUseID, f.id("iat", now+60), ErrNotYetValid},
		{"missing exp", TokenUseID, f.id("exp", testkit.Absent), ErrClaims},
		{"exp as string", TokenUseID, f.id("exp", "2099-01-01"), ErrClaims},
		{"exp null", TokenUseID, f.id("exp", nil), ErrClaims},
		{"exp negative", TokenUseID, f.id("exp", -1), ErrClaims},
		{"exp far beyond year 9999", TokenUseID, f.id("exp", 1e300), ErrClaims},
		{"iat as string", TokenUseID, f.id("iat", "yesterday"), ErrClaims},
		// Edges (nbf and iat against the leeway: TestLeeway): the last value accepted, the first refused.
		{"exp a millisecond after now", TokenUseID, f.id("exp", float64(now)+0.001), nil},
		{"dates at Unix 0", TokenUseID, f.id("iat", 0, "nbf", 0, "auth_time", 0), nil},
		{"iat a second before Unix 0", TokenUseID, f.id("iat", -1), ErrClaims},
		{"nbf a millisecond before Unix 0", TokenUseID, f.id("nbf", -0.001), ErrClaims},
		{"auth_time a second before Unix 0", TokenUseID, f.id("auth_time", -1), ErrClaims},
		{"exp at the end of year 9999", TokenUseID, f.id("exp", jwtvalue.MaxUnix), nil},
		{"exp a second into year 10000", TokenUseID, f.id("exp", jwtvalue.MaxUnix+1), ErrClaims},
		{"exp half a second into year 10000", TokenUseID, f.id("exp", jwtvalue.MaxUnix+0.5), ErrClaims},

		// Issuer.
		{"issuer of another pool", TokenUseID, f.id("iss", f.is.URL+"/us-east-1_OtherPool"), ErrIssuer},
		{"issuer with trailing slash", TokenUseID, f.id("iss", f.is.Issuer()+"/"), ErrIssuer},
		{"issuer in another case", TokenUseID, f.id("iss", strings.ToLower(f.is.Issuer())), ErrIssuer},
		{"issuer with https instead of http", TokenUseID, f.id("iss", "https"+strings.TrimPrefix(f.is.Issuer(), "http")), ErrIssuer},
		{"missing issuer", TokenUseID, f.id("iss", testkit.Absent), ErrIssuer},
		{"issuer as array", TokenUseID, f.id("iss", []string{f.is.Issuer()}), ErrIssuer},

		// Token use.
		{"token_use refresh", TokenUseID, f.id("token_use", "refresh"), ErrTokenUse},
		{"token_use upper case", TokenUseID, f.id("token_use", "ID"), ErrTokenUse},
		{"missing token_use", TokenUseID, f.id("token_use", testkit.Absent), ErrTokenUse},
		{"ID token where access is wanted", TokenUseAccess, f.id(), ErrTokenUse},
		{"access token where ID is wanted", TokenUseID, f.access(), ErrTokenUse},
		{"unsupported use requested", TokenUse("refresh"), f.id(), ErrTokenUse},

		// App client.
		{"aud of another client", TokenUseID, f.id("aud", "not-our-client"), ErrClient},
		{"aud empty", TokenUseID, f.id("aud", ""), ErrClient},
		{"aud missing, client_id allowed", TokenUseID, f.id("aud", testkit.Absent, "client_id", testkit.ClientID), ErrClient},
		{"aud as array holding our client", TokenUseID, f.id("aud", []string{testkit.ClientID}), ErrClient},
		{"client_id of another client", TokenUseAccess, f.access("client_id", "not-our-client"), ErrClient},
		{"access token with aud but no client_id", TokenUseAccess, f.access("client_id", testkit.Absent, "aud", testkit.ClientID), ErrClient},

		// Other claims.
		{"missing sub", TokenUseID, f.id("sub", testkit.Absent), ErrClaims},
		{"groups as a string", TokenUseID, f.id("cognito:groups", "admins"), ErrClaims},
		{"groups holding a number", TokenUseID, f.id("cognito:groups", []any{"admins", 7}), ErrClaims},
		{"email_verified not boolean", TokenUseID, f.id("email_verified", "yes"), ErrClaims},
		{"email_verified as a number", TokenUseID, f.id("email_verified", 1), ErrClaims},
		{"email_verified as a list", TokenUseID, f.id("email_verified", []any{true}), ErrClaims},
		{"email_verified null", TokenUseID, f.id("email_verified", nil), ErrClaims},
		{"scope as a list", TokenUseAccess, f.access("scope", []string{"api/read"}), ErrClaims},

		// Tampering and encoding.
		{"tampered payload", TokenUseID, join(parts(f.id())[0], testkit.B64JSON(t, f.idClaims("cognito:groups", []string{"admins", "root"})), parts(f.id())[2]), ErrSignature},
		{"tampered signature", TokenUseID, withSig(parts(f.id()), flipMiddle(parts(f.id())[2])), ErrSignature},
		{"signature of another token", TokenUseID, withSig(parts(f.id()), parts(f.access())[2]), ErrSignature},
		{"tampered header", TokenUseID, join(testkit.B64JSON(t, testkit.Header("typ", "JWT")), parts(f.id())[1], parts(f.id())[2]), ErrSignature},
		{"non-canonical base64 signature", TokenUseID, withSig(parts(f.id()), nonCanonical(parts(f.id())[2])), ErrMalformed},
		{"empty signature", TokenUseID, withSig(parts(f.id()), ""), ErrMalformed},
		{"two segments", TokenUseID, join(parts(f.id())[:2]...), ErrMalformed},
		{"four segments", TokenUseID, f.id() + ".AAAA", ErrMalformed},
		{"empty token", TokenUseID, "", ErrMalformed},
		{"bad base64 character", TokenUseID, "*" + f.id(), ErrMalformed},
		{"base64 padding", TokenUseID, join(parts(f.id())[0]+"=", parts(f.id())[1], parts(f.id())[2]), ErrMalformed},
		{"standard base64 alphabet", TokenUseID, strings.NewReplacer("-", "+", "_", "/").Replace(f.id()), ErrMalformed},
		{"header not JSON", TokenUseID, join(testkit.B64([]byte("{not json")), parts(f.id())[1], parts(f.id())[2]), ErrMalformed},
		{"header a JSON array", TokenUseID, join(testkit.B64([]byte(`["RS256"]`)), parts(f.id())[1], parts(f.id())[2]), ErrMalformed},
		{"signed payload not JSON", TokenUseID, f.rs256(testkit.Header(), "just a string"), ErrMalformed},
		{"oversized", TokenUseID, f.id("padding", strings.Repeat("x", 8<<10)), ErrTokenTooLarge},
		{"exactly the 8 KiB size cap", TokenUseID, f.idOfLength(DefaultMaxTokenSize), nil},
		{"a byte over the 8 KiB size cap", TokenUseID, f.idOfLength(DefaultMaxTokenSize + 1), ErrTokenTooLarge},
		{"leading space", TokenUseID, " " + f.id(), ErrMalformed},
		{"trailing newline", TokenUseID, f.id() + "\n", ErrMalformed},
		{"newline inside", TokenUseID, strings.Replace(f.id(), ".", ".\n", 1), ErrMalformed},
		{"Bearer prefix", TokenUseID, "Bearer " + f.id(), ErrMalformed},
	}
	if len(tests) < 30 {
		t.Fatalf("only %d cases", len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Twice: the second call may be answered by the cache and must agree.
			for range 2 {
				c, err := f.v.Verify(context.Background(), tc.token, tc.use)
				if tc.want == nil {
					if err != nil {
						t.Fatalf("rejected: %v", err)
					}
					if c.Subject == "" || c.TokenUse != tc.use {
						t.Fatalf("claims %+v", c)
					}
					continue
				}
				t.Log(err)
				if !errors.Is(err, tc.want) {
					t.Fatalf("error %v, want %v", err, tc.want)
				}
				if c != nil {
					t.Fatal("claims returned with an error")
				}
				for _, p := range strings.Split(tc.token, ".") {
					if len(p) >= 8 && strings.Contains(err.Error(), p) {
						t.Fatalf("error message %q quotes the token", err)
					}
				}
				for _, kid := range []string{testkit.Kid, attackerKid, "no-such-kid"} {
					if strings.Contains(err.Error(), kid) {
						t.Fatalf("error message %q quotes the kid", err)
					}
				}
			}
		})
	}
	if n := evilHits.Load(); n != 0 {
		t.Errorf("attacker's server was fetched %d times", n)
	}
}

func TestVerifyClaims(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id, err := f.v.Verify(ctx, f.id(), TokenUseID)
	if err != nil {
		t.Fatal(err)
	}
	if id.Subject != testkit.Subject || id.Username != "alice" ||
		id.Email != "alice@example.com" || !id.EmailVerified || id.ClientID != testkit.ClientID ||
		id.Issuer != f.is.Issuer() || id.TokenUse != TokenUseID ||
		strings.Join(id.Groups, ",") != "admin,users" || len(id.Scopes) != 0 {
		t.Errorf("ID claims %+v", id)
	}
	if !id.ExpiresAt.Equal(f.now.Add(3600e9)) || !id.IssuedAt.Equal(f.now.Add(-60e9)) || !id.AuthTime.Equal(f.now.Add(-60e9)) {
		t.Errorf("ID times exp %v iat %v auth_time %v", id.ExpiresAt, id.IssuedAt, id.AuthTime)
	}
	if id.Raw["event_id"] != "e7f8-event" {
		t.Errorf("raw claims %v", id.Raw)
	}

	acc, err := f.v.Verify(ctx, f.access("scope", "openid email api/read api/write"), TokenUseAccess)
	if err != nil {
		t.Fatal(err)
	}
	if acc.Username != "alice" || acc.ClientID != testkit.ClientID || acc.TokenUse != TokenUseAccess ||
		strings.Join(acc.Scopes, "|") != "openid|email|api/read|api/write" || strings.Join(acc.Groups, ",") != "admin" {
		t.Errorf("access claims %+v", acc)
	}

	// Cognito leaves cognito:groups out for users in no group; email_verified may come as a string.
	none, err := f.v.Verify(ctx, f.id("cognito:groups", testkit.Absent, "email_verified", "false"), TokenUseID)
	if err != nil {
		t.Fatal(err)
	}
	if none.Groups != nil || none.EmailVerified {
		t.Errorf("claims %+v", none)
	}
}

func TestVerifyConcurrent(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.CacheSize = 4 })
	tokens := []struct {
		tok string
		use TokenUse
		ok  bool
	}{
		{f.id(), TokenUseID, true},
		{f.access(), TokenUseAccess, true},
		{f.id("jti", "2"), TokenUseID, true},
		{f.access("jti", "2"), TokenUseAccess, true},
		{f.access("jti", "3"), TokenUseAccess, true},
		{f.id(), TokenUseAccess, false},
		{f.id("exp", f.now.Unix()-10), TokenUseID, false},
	}
	var wg sync.WaitGroup
	var wrong atomic.Int64
	for g := range 8 {
		wg.Go(func() {
			for i := range 40 {
				tc := tokens[(g+i)%len(tokens)]
				if _, err := f.v.Verify(context.Background(), tc.tok, tc.use); (err == nil) != tc.ok {
					wrong.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := wrong.Load(); n != 0 {
		t.Fatalf("%d wrong verdicts", n)
	}
	if n := f.v.cache.len(); n > 4 {
		t.Errorf("cache holds %d entries, limit 4", n)
	}
}

func TestNewConfig(t *testing.T) {
	good := Config{Issuer: testkit.New(t, testPool).Issuer(), ClientIDs: []string{testkit.ClientID}}
	tests := []struct {
		name string
		edit func(*Config)
	}{
		{"no issuer", func(c *Config) { c.Issuer = "" }},
		{"relative issuer", func(c *Config) { c.Issuer = "cognito-idp.us-east-1.amazonaws.com/" + testPool }},
		{"plain http to a remote host", func(c *Config) { c.Issuer = "http://cognito-idp.us-east-1.amazonaws.com/" + testPool }},
		{"issuer with trailing slash", func(c *Config) { c.Issuer += "/" }},
		{"issuer with query", func(c *Config) { c.Issuer += "?x=1" }},
		{"JWKS URL not https", func(c *Config) { c.JWKSURL = "ftp://example.com/jwks.json" }},
		{"no client ids", func(c *Config) { c.ClientIDs = nil }},
		{"empty client id", func(c *Config) { c.ClientIDs = []string{testkit.ClientID, " "} }},
		{"leeway too large", func(c *Config) { c.Leeway = time.Hour }},
		{"leeway a nanosecond over 5 min", func(c *Config) { c.Leeway = 5*time.Minute + 1 }},
		{"negative max size", func(c *Config) { c.MaxTokenSize = -1 }},
		{"negative fetch timeout", func(c *Config) { c.FetchTimeout = -1 }},
		{"negative refetch interval", func(c *Config) { c.RefetchInterval = -1 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := good
			tc.edit(&cfg)
			if _, err := New(context.Background(), cfg); !errors.Is(err, ErrConfig) {
				t.Fatalf("error %v, want ErrConfig", err)
			}
		})
	}
	v, err := New(context.Background(), good)
	if err != nil {
		t.Fatal(err)
	}
	v.Close()
}

// TestStrictPayload: a correctly signed payload that is more or less than one JSON object with
// each claim once is refused by Verify and VerifyAny alike, so that the token authorizer and
// the local server agree on every token.
func TestStrictPayload(t *testing.T) {
	f := newFixture(t)
	good, err := json.Marshal(f.idClaims())
	if err != nil {
		t.Fatal(err)
	}
	obj := string(good)
	tests := []struct{ name, payload string }{
		{"trailing garbage", obj + "garbage"},
		{"trailing object", obj + `{"token_use":"access"}`},
		{"trailing brace", obj + "}"},
		{"duplicate token_use", `{"token_use":"access",` + obj[1:]},
		{"duplicate sub", obj[:len(obj)-1] + `,"sub":"someone-else"}`},
		{"duplicate sub, escaped", obj[:len(obj)-1] + `,"s\u0075b":"someone-else"}`},
		{"array", "[" + obj + "]"},
		{"string", `"` + "x" + `"`},
		{"truncated", obj[:len(obj)-1]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			token := f.is.MintRaw(t, tc.payload)
			if _, err := f.v.Verify(context.Background(), token, TokenUseID); !errors.Is(err, ErrMalformed) {
				t.Errorf("Verify: %v, want ErrMalformed", err)
			}
			if _, err := f.v.VerifyAny(context.Background(), token); !errors.Is(err, ErrMalformed) {
				t.Errorf("VerifyAny: %v, want ErrMalformed", err)
			}
		})
	}
	// Trailing white space is still one JSON value, as JSON.parse (and so aws-jwt-verify) reads it.
	if _, err := f.v.Verify(context.Background(), f.is.MintRaw(t, obj+" \n"), TokenUseID); err != nil {
		t.Errorf("trailing white space: %v", err)
	}
}

func TestTopLevelMembers(t *testing.T) {
	for in, want := range map[string]int{
		`{}`:      0,
		`{"a":1}`: 1,
		`{"a":{"b":1,"c":[1,{"d":2}]},"e":"x:y"}`: 2,
		`{"a\":b":"c:d","e":"\\"}`:                2, // escaped quote and backslash inside strings
		` { "a" : [ ":" ] , "b" : null } `:        2,
	} {
		if got := topLevelMembers([]byte(in)); got != want {
			t.Errorf("topLevelMembers(%s) = %d, want %d", in, got, want)
		}
	}
}

// TestConfigDefaults: zero means the default, and the values next to zero and to each limit
// are kept as given.
func TestConfigDefaults(t *testing.T) {
	good := Config{Issuer: "https://cognito-idp.us-east-1.amazonaws.com/" + testPool, ClientIDs: []string{testkit.ClientID}}
	tests := []struct {
		name string
		edit func(*Config)
		got  func(Config) any
		want any
	}{
		{"leeway zero: 5 s", func(c *Config) { c.Leeway = 0 }, func(c Config) any { return c.Leeway }, 5 * time.Second},
		{"leeway a nanosecond below zero: none", func(c *Config) { c.Leeway = -1 }, func(c Config) any { return c.Leeway }, time.Duration(0)},
		{"leeway a nanosecond", func(c *Config) { c.Leeway = 1 }, func(c Config) any { return c.Leeway }, time.Duration(1)},
		{"leeway at its 5 min maximum", func(c *Config) { c.Leeway = 5 * time.Minute }, func(c Config) any { return c.Leeway }, 5 * time.Minute},
		{"max token size zero: 8 KiB", func(c *Config) { c.MaxTokenSize = 0 }, func(c Config) any { return c.MaxTokenSize }, 8192},
		{"max token size 1", func(c *Config) { c.MaxTokenSize = 1 }, func(c Config) any { return c.MaxTokenSize }, 1},
		{"fetch timeout zero: 5 s", func(c *Config) { c.FetchTimeout = 0 }, func(c Config) any { return c.FetchTimeout }, 5 * time.Second},
		{"fetch timeout zero: the HTTP client's too", func(c *Config) { c.FetchTimeout = 0 }, func(c Config) any { return c.HTTPClient.Timeout }, 5 * time.Second},
		{"fetch timeout a nanosecond", func(c *Config) { c.FetchTimeout = 1 }, func(c Config) any { return c.FetchTimeout }, time.Duration(1)},
		{"refetch interval zero: 1 min", func(c *Config) { c.RefetchInterval = 0 }, func(c Config) any { return c.RefetchInterval }, time.Minute},
		{"refetch interval a nanosecond", func(c *Config) { c.RefetchInterval = 1 }, func(c Config) any { return c.RefetchInterval }, time.Duration(1)},
		{"refresh interval zero: 1 h", func(c *Config) { c.RefreshInterval = 0 }, func(c Config) any { return c.RefreshInterval }, time.Hour},
		{"refresh interval a nanosecond below zero: off", func(c *Config) { c.RefreshInterval = -1 }, func(c Config) any { return c.RefreshInterval }, time.Duration(-1)},
		{"refresh interval a nanosecond", func(c *Config) { c.RefreshInterval = 1 }, func(c Config) any { return c.RefreshInterval }, time.Duration(1)},
		{"cache size zero: 1000", func(c *Config) { c.CacheSize = 0 }, func(c Config) any { return c.CacheSize }, 1000},
		{"cache size -1: off", func(c *Config) { c.CacheSize = -1 }, func(c Config) any { return c.CacheSize }, -1},
		{"cache size 1", func(c *Config) { c.CacheSize = 1 }, func(c Config) any { return c.CacheSize }, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := good
			tc.edit(&cfg)
			got, err := cfg.withDefaults()
			if err != nil {
				t.Fatal(err)
			}
			if tc.got(got) != tc.want {
				t.Errorf("got %v, want %v", tc.got(got), tc.want)
			}
		})
	}
}

// TestLeeway: nbf and iat may be ahead of the clock by the leeway and not a millisecond more.
func TestLeeway(t *testing.T) {
	tests := []struct {
		name   string
		leeway time.Duration
		last   float64 // seconds after now: the latest nbf or iat accepted
	}{
		{"default", 0, 5},
		{"none", -time.Nanosecond, 0},
		{"one second", time.Second, 1},
		{"the 5 min maximum", 5 * time.Minute, 300},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, func(c *Config) { c.Leeway = tc.leeway })
			now := float64(f.now.Unix())
			for _, claim := range []string{"nbf", "iat"} {
				if _, err := f.v.Verify(context.Background(), f.id(claim, now+tc.last), TokenUseID); err != nil {
					t.Errorf("%s %v s ahead: %v", claim, tc.last, err)
				}
				if _, err := f.v.Verify(context.Background(), f.id(claim, now+tc.last+0.001), TokenUseID); !errors.Is(err, ErrNotYetValid) {
					t.Errorf("%s %v s ahead: %v, want ErrNotYetValid", claim, tc.last+0.001, err)
				}
			}
		})
	}
}

// TestExpiryEdges: a token is good until the nanosecond before its exp, from the cache too.
func TestExpiryEdges(t *testing.T) {
	for _, tc := range []struct {
		name      string
		cacheSize int
	}{{"uncached", -1}, {"cached", 0}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, func(c *Config) { c.CacheSize = tc.cacheSize })
			exp := f.now.Add(time.Minute)
			tok := f.id("exp", exp.Unix())
			for _, step := range []struct {
				at   time.Time
				want error
			}{{f.now, nil}, {exp.Add(-time.Nanosecond), nil}, {exp, ErrExpired}} {
				f.now = step.at
				if _, err := f.v.Verify(context.Background(), tok, TokenUseID); !errors.Is(err, step.want) {
					t.Errorf("at exp%+v: %v, want %v", step.at.Sub(exp), err, step.want)
				}
			}
		})
	}
}
