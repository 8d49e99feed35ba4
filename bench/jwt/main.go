// Command jwt is the Go half of the token-verification benchmark in bench/run.
//
//	go run ./bench/jwt mint -dir D [-n 100]       # key, JWKS and tokens into D
//	go run ./bench/jwt verify -dir D [-seconds 1] # internal/verifier over those tokens
//
// mint writes an RSA-2048 JWKS (jwks.json) and n distinct Cognito-shaped ID and access tokens
// (tokens.json), issued by https://cognito-idp.us-east-1.amazonaws.com/<pool>, valid for two
// hours. bench/jwt/verify.cjs verifies the very same tokens with aws-jwt-verify (npm), fed the
// same JWKS through cacheJwks. verify serves the JWKS on a loopback httptest server (the only
// network traffic) and measures, single-threaded (GOMAXPROCS=1; bench/run also pins both sides
// to one CPU):
//
//   - uncached: the verifier with its verified-token cache disabled (CacheSize -1), so every
//     call pays for the RSA-2048 signature check and the claim checks;
//   - cached: the default verifier after one pass over the tokens, so every call is a cache hit
//     (SHA-256 of the token and a lookup), the case of a client reusing its token;
//   - rsa: crypto/rsa.VerifyPKCS1v15 alone on each token, the floor the uncached figure pays.
//
// It prints one JSON object per line: {"impl","kind","mode","ops","seconds","perSec","nsPerOp"}.
package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cognito-apigw/cognito-apigw/internal/verifier"
)

const (
	region   = "us-east-1"
	poolID   = "us-east-1_BenchPool1"
	clientID = "3bench7client0id4tokens9x"
	kid      = "bench-kid-1"
)

// Tokens is tokens.json, read by both halves of the benchmark.
type Tokens struct {
	Region     string   `json:"region"`
	UserPoolID string   `json:"userPoolId"`
	ClientID   string   `json:"clientId"`
	Issuer     string   `json:"issuer"`
	ID         []string `json:"id"`
	Access     []string `json:"access"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: jwt mint|verify -dir D [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	dir := fs.String("dir", "", "directory for jwks.json and tokens.json")
	n := fs.Int("n", 100, "mint: distinct tokens of each kind")
	seconds := fs.Float64("seconds", 1, "verify: measuring time per case")
	fs.Parse(os.Args[2:])
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "-dir is required")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "mint":
		err = mint(*dir, *n)
	case "verify":
		err = verify(*dir, time.Duration(*seconds*float64(time.Second)))
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "jwt:", err)
		os.Exit(1)
	}
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func mint(dir string, n int) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	jwks := map[string]any{"keys": []map[string]any{{
		"alg": "RS256", "e": b64(big.NewInt(int64(key.E)).Bytes()), "kid": kid,
		"kty": "RSA", "n": b64(key.N.Bytes()), "use": "sig",
	}}}
	issuer := "https://cognito-idp." + region + ".amazonaws.com/" + poolID
	t := Tokens{Region: region, UserPoolID: poolID, ClientID: clientID, Issuer: issuer}
	now := time.Now().Unix()
	for i := range n {
		sub := fmt.Sprintf("%08x-1b2c-4d3e-8f40-%012x", i, i*7919)
		common := jwt.MapClaims{
			"sub": sub, "iss": issuer, "origin_jti": fmt.Sprintf("0b6b1c3e-%04x-4a5b-9c6d-7e8f9a0b1c2d", i),
			"event_id":  fmt.Sprintf("e7f8a9b0-%04x-4c1d-8e2f-3a4b5c6d7e8f", i),
			"auth_time": now - 60, "iat": now - 60, "exp": now + 7200,
			"jti": fmt.Sprintf("9c0d1e2f-%04x-4a3b-8c4d-5e6f7a8b9c0d", i),
		}
		id := jwt.MapClaims{"cognito:groups": []string{"admin", "users"}, "email_verified": true,
			"cognito:username": sub, "aud": clientID, "token_use": "id", "email": fmt.Sprintf("user%d@example.com", i)}
		access := jwt.MapClaims{"cognito:groups": []string{"admin"}, "version": 2, "client_id": clientID,
			"token_use": "access", "scope": "openid email demo-api/read demo-api/write", "username": sub}
		for _, c := range []jwt.MapClaims{id, access} {
			for k, v := range common {
				c[k] = v
			}
		}
		for _, c := range []struct {
			claims jwt.MapClaims
			out    *[]string
		}{{id, &t.ID}, {access, &t.Access}} {
			tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c.claims)
			tok.Header["kid"] = kid
			s, err := tok.SignedString(key)
			if err != nil {
				return err
			}
			*c.out = append(*c.out, s)
		}
	}
	if err := writeJSON(filepath.Join(dir, "jwks.json"), jwks); err != nil {
		return err
	}
	return writeJSON(filepath.Join(dir, "tokens.json"), t)
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

type result struct {
	Impl    string  `json:"impl"`
	Kind    string  `json:"kind"`
	Mode    string  `json:"mode"`
	Ops     int     `json:"ops"`
	Seconds float64 `json:"seconds"`
	PerSec  float64 `json:"perSec"`
	NsPerOp float64 `json:"nsPerOp"`
}

// measure calls op on the tokens in turn, for about d after a short warm-up.
func measure(tokens []string, d time.Duration, op func(string) error) (result, error) {
	warm := time.Now().Add(d / 5)
	for i := 0; time.Now().Before(warm); i++ {
		if err := op(tokens[i%len(tokens)]); err != nil {
			return result{}, err
		}
	}
	runtime.GC()
	ops := 0
	start := time.Now()
	var elapsed time.Duration
	for elapsed < d {
		for range 64 {
			if err := op(tokens[ops%len(tokens)]); err != nil {
				return result{}, err
			}
			ops++
		}
		elapsed = time.Since(start)
	}
	s := elapsed.Seconds()
	return result{Impl: "go", Ops: ops, Seconds: s, PerSec: float64(ops) / s, NsPerOp: s * 1e9 / float64(ops)}, nil
}

func verify(dir string, d time.Duration) error {
	runtime.GOMAXPROCS(1)
	var toks Tokens
	if err := readJSON(filepath.Join(dir, "tokens.json"), &toks); err != nil {
		return err
	}
	jwksBody, err := os.ReadFile(filepath.Join(dir, "jwks.json"))
	if err != nil {
		return err
	}
	srv, jwksURL := serveJWKS(toks.UserPoolID, jwksBody)
	defer srv.Close()

	ctx := context.Background()
	newVerifier := func(cacheSize int) (*verifier.Verifier, error) {
		return verifier.New(ctx, verifier.Config{
			Issuer:          toks.Issuer, // https://cognito-idp...: the tokens' iss, compared exactly
			JWKSURL:         jwksURL,
			ClientIDs:       []string{toks.ClientID},
			RefreshInterval: -1,
			CacheSize:       cacheSize,
		})
	}
	uncached, err := newVerifier(-1)
	if err != nil {
		return err
	}
	defer uncached.Close()
	cached, err := newVerifier(4 * (len(toks.ID) + len(toks.Access)))
	if err != nil {
		return err
	}
	defer cached.Close()
	pub, err := publicKey(jwksBody)
	if err != nil {
		return err
	}

	enc := json.NewEncoder(os.Stdout)
	for _, k := range []struct {
		kind   string
		use    verifier.TokenUse
		tokens []string
	}{{"id", verifier.TokenUseID, toks.ID}, {"access", verifier.TokenUseAccess, toks.Access}} {
		if len(k.tokens) == 0 {
			return errors.New("tokens.json holds no " + k.kind + " tokens")
		}
		// Correctness first, which also primes the cache.
		if err := checkTokens(ctx, cached, k.tokens, k.use, toks.ClientID); err != nil {
			return fmt.Errorf("%s token: %w", k.kind, err)
		}
		for _, m := range []struct {
			mode string
			op   func(string) error
		}{
			{"uncached", func(t string) error { _, err := uncached.Verify(ctx, t, k.use); return err }},
			{"cached", func(t string) error { _, err := cached.Verify(ctx, t, k.use); return err }},
			{"rsa", func(t string) error { return rsaOnly(pub, t) }},
		} {
			r, err := measure(k.tokens, d, m.op)
			if err != nil {
				return fmt.Errorf("%s %s: %w", k.kind, m.mode, err)
			}
			r.Kind, r.Mode = k.kind, m.mode
			enc.Encode(r)
		}
	}
	return nil
}

// serveJWKS serves the JWKS on loopback where a pool's would be, and returns its URL.
func serveJWKS(userPoolID string, body []byte) (*httptest.Server, string) {
	path := "/" + userPoolID + "/.well-known/jwks.json"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	return srv, srv.URL + path
}

// checkTokens verifies each token and checks its token use and client.
func checkTokens(ctx context.Context, v *verifier.Verifier, tokens []string, use verifier.TokenUse, clientID string) error {
	for _, tok := range tokens {
		c, err := v.Verify(ctx, tok, use)
		if err != nil {
			return fmt.Errorf("refused: %w", err)
		}
		if c.TokenUse != use || c.ClientID != clientID {
			return fmt.Errorf("unexpected claims %+v", c)
		}
	}
	return nil
}

func publicKey(jwksBody []byte) (*rsa.PublicKey, error) {
	var set struct {
		Keys []struct{ N, E string }
	}
	if err := json.Unmarshal(jwksBody, &set); err != nil || len(set.Keys) != 1 {
		return nil, fmt.Errorf("jwks.json: want one key (%v)", err)
	}
	n, err1 := base64.RawURLEncoding.DecodeString(set.Keys[0].N)
	e, err2 := base64.RawURLEncoding.DecodeString(set.Keys[0].E)
	if err := errors.Join(err1, err2); err != nil {
		return nil, err
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
}

// rsaOnly is the signature check alone: SHA-256 of the signing input and RSA PKCS#1 v1.5.
func rsaOnly(pub *rsa.PublicKey, token string) error {
	i := strings.LastIndexByte(token, '.')
	sig, err := base64.RawURLEncoding.DecodeString(token[i+1:])
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(token[:i]))
	return rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig)
}
