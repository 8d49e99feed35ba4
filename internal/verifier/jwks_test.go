package verifier

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

func TestNewFailsClosedWithoutJWKS(t *testing.T) {
	serve := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			w.Write([]byte(body))
		}
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc // nil: nothing listening
	}{
		{"unreachable", nil},
		{"HTTP 500", serve(http.StatusInternalServerError, `{"keys":[]}`)},
		{"HTTP 404", serve(http.StatusNotFound, "")},
		{"not JSON", serve(http.StatusOK, "<html>")},
		{"empty key set", serve(http.StatusOK, `{"keys":[]}`)},
		{"only unsupported keys", serve(http.StatusOK, `{"keys":[{"kty":"OKP","crv":"X448","x":"AA","kid":"x"}]}`)},
		{"hangs", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.handler
			srv := httptest.NewServer(h)
			if h == nil {
				srv.Close()
			} else {
				defer srv.Close()
			}
			start := time.Now()
			v, err := New(context.Background(), Config{
				Issuer: srv.URL + "/" + testPool, ClientIDs: []string{testkit.ClientID}, FetchTimeout: 300 * time.Millisecond,
			})
			if !errors.Is(err, ErrJWKSUnavailable) || v != nil {
				t.Fatalf("New: %v, want ErrJWKSUnavailable", err)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("New took %v with a 300ms fetch timeout", d)
			}
		})
	}
}

// jwkset starts its refresh goroutine before the first fetch and does not stop it when that
// fetch fails; New must cancel it.
func TestFailedNewLeaksNoGoroutine(t *testing.T) {
	srv := httptest.NewServer(nil)
	srv.Close()
	before := runtime.NumGoroutine()
	for range 20 {
		if _, err := New(context.Background(), Config{Issuer: srv.URL + "/" + testPool, ClientIDs: []string{testkit.ClientID}}); err == nil {
			t.Fatal("New succeeded without a JWKS")
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before+5 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+5 {
		t.Errorf("%d goroutines after 20 failed New calls, %d before", n, before)
	}
}

func TestJWKSOutageKeepsKnownKeysAndFailsClosed(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.CacheSize = -1; c.RefetchInterval = 50 * time.Millisecond })
	ctx := context.Background()
	f.is.SetDown(true)

	if _, err := f.v.Verify(ctx, f.id(), TokenUseID); err != nil {
		t.Fatalf("known key during outage: %v", err)
	}
	newTok := f.rotated(rotatedKid, f.idClaims())
	_, err := f.v.Verify(ctx, newTok, TokenUseID)
	if !errors.Is(err, ErrUnknownKey) || !errors.Is(err, ErrJWKSUnavailable) {
		t.Fatalf("unknown kid during outage: %v, want ErrUnknownKey and ErrJWKSUnavailable", err)
	}

	// Cognito comes back with a rotated key: picked up on the next permitted refetch.
	f.is.SetKeys(t, poolJWK(), rotatedJWK())
	f.is.SetDown(false)
	time.Sleep(60 * time.Millisecond)
	if _, err := f.v.Verify(ctx, newTok, TokenUseID); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
}

func TestUnknownKidRefetchesOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if n := f.is.Requests(); n != 1 {
		t.Fatalf("%d fetches at start, want 1", n)
	}

	// Cognito rotates: the JWKS gains a key that signs new tokens.
	f.is.SetKeys(t, poolJWK(), rotatedJWK())
	tok := f.rotated(rotatedKid, f.idClaims())
	if _, err := f.v.Verify(ctx, tok, TokenUseID); err != nil {
		t.Fatalf("rotated key: %v", err)
	}
	if _, err := f.v.Verify(ctx, f.rotated(rotatedKid, f.accessClaims()), TokenUseAccess); err != nil {
		t.Fatalf("rotated key, second token: %v", err)
	}
	if _, err := f.v.Verify(ctx, f.id(), TokenUseID); err != nil {
		t.Fatalf("old key: %v", err)
	}
	if n := f.is.Requests(); n != 2 {
		t.Errorf("%d fetches, want 2 (start and one refetch)", n)
	}
}

func TestRefetchIsRateLimited(t *testing.T) {
	f := newFixture(t) // default RefetchInterval: 1 min
	ctx := context.Background()
	forged := func(i int) string {
		return f.is.Forge(t, fmt.Sprintf("forged-%d", i), f.idClaims())
	}
	tokens := make([]string, 200)
	for i := range tokens {
		tokens[i] = forged(i)
	}

	start := time.Now()
	for _, tok := range tokens[:100] {
		if _, err := f.v.Verify(ctx, tok, TokenUseID); !errors.Is(err, ErrUnknownKey) {
			t.Fatalf("forged kid: %v", err)
		}
	}
	var wg sync.WaitGroup
	for _, tok := range tokens[100:] {
		wg.Go(func() {
			if _, err := f.v.Verify(ctx, tok, TokenUseID); !errors.Is(err, ErrUnknownKey) {
				t.Errorf("forged kid: %v", err)
			}
		})
	}
	wg.Wait()
	if n := f.is.Requests(); n > 2 {
		t.Errorf("%d JWKS fetches for 200 forged kids, want at most 2", n)
	}
	// Refused callers do not queue behind the limiter.
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("flood took %v", d)
	}
	if _, err := f.v.Verify(ctx, f.id(), TokenUseID); err != nil {
		t.Fatalf("genuine token after the flood: %v", err)
	}
}

func TestRefetchAllowedAgainAfterInterval(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.RefetchInterval = 100 * time.Millisecond })
	ctx := context.Background()
	tok := f.rotated(rotatedKid, f.idClaims())

	if _, err := f.v.Verify(ctx, tok, TokenUseID); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("before rotation: %v", err)
	}
	f.is.SetKeys(t, poolJWK(), rotatedJWK())
	// The limiter's next slot is within FetchTimeout, so this call waits for it and refetches.
	start := time.Now()
	if _, err := f.v.Verify(ctx, tok, TokenUseID); err != nil {
		t.Fatalf("after rotation: %v", err)
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("refetch after %v, expected to wait for the limiter", d)
	}
	if n := f.is.Requests(); n != 3 {
		t.Errorf("%d fetches, want 3", n)
	}
}

func TestBackgroundRefreshDropsRemovedKeys(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.RefreshInterval = 50 * time.Millisecond; c.CacheSize = -1 })
	f.is.SetKeys(t, rotatedJWK())
	deadline := time.Now().Add(3 * time.Second)
	for f.is.Requests() < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // let the refresh store its keys
	if _, err := f.v.Verify(context.Background(), f.id(), TokenUseID); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("token of a removed key: %v, want ErrUnknownKey", err)
	}
}

func TestJWKSKeyProperties(t *testing.T) {
	short, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	bitShort, err := rsa.GenerateKey(rand.Reader, minRSABits-1) // 2047 bits
	if err != nil {
		t.Fatal(err)
	}
	ec, _ := testkit.ECKey().PublicKey.Bytes() // 0x04 || X || Y
	ecJWK := map[string]any{"kty": "EC", "crv": "P-256", "kid": "ec-key", "use": "sig", "alg": "ES256", "x": testkit.B64(ec[1:33]), "y": testkit.B64(ec[33:])}
	f := newFixture(t)
	pool := testkit.Key("pool")
	withKID := func(kid string, kv ...any) map[string]any {
		return testkit.Edit(testkit.JWK(kid, pool), kv...)
	}
	f.is.SetKeys(t,
		poolJWK(),
		withKID("enc-key", "use", "enc"),
		withKID("rs512-key", "alg", "RS512"),
		withKID("no-alg-no-use", "alg", testkit.Absent, "use", testkit.Absent),
		testkit.JWK("short-key", short),
		testkit.JWK("2047-bit-key", bitShort),
		ecJWK,
		testkit.Edit(ecJWK, "kid", "ec-key-no-alg", "alg", testkit.Absent),
	)
	tests := []struct {
		kid  string
		priv *rsa.PrivateKey
		want error
	}{
		{"enc-key", pool, ErrUnknownKey},
		{"rs512-key", pool, ErrAlgorithm},
		{"no-alg-no-use", pool, nil},
		{"short-key", short, ErrUnknownKey},
		{"2047-bit-key", bitShort, ErrUnknownKey},
		{testkit.Kid, pool, nil}, // 2048 bits, the least accepted
		{"ec-key", pool, ErrAlgorithm},
		{"ec-key-no-alg", pool, ErrUnknownKey},
	}
	for _, tc := range tests {
		t.Run(tc.kid, func(t *testing.T) {
			tok := testkit.Sign(t, jwt.SigningMethodRS256, tc.priv, testkit.Header("kid", tc.kid), f.idClaims())
			if _, err := f.v.Verify(context.Background(), tok, TokenUseID); !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
		})
	}
}

// waitForFetches waits until the JWKS server has answered n requests and the verifier has had
// a moment to store or refuse what it got.
func waitForFetches(t *testing.T, s *testkit.Issuer, n int64) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for s.Requests() < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if s.Requests() < n {
		t.Fatalf("%d JWKS fetches, want %d", s.Requests(), n)
	}
	time.Sleep(30 * time.Millisecond)
}

// TestRefreshWithoutUsableKeysKeepsLastGoodSet: a refresh that brings no key able to verify a
// token (or an ambiguous set) keeps the keys there were, is logged, and counts as a JWKS fault.
func TestRefreshWithoutUsableKeysKeepsLastGoodSet(t *testing.T) {
	short, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		keys   []map[string]any
		reason string
	}{
		{"empty key set", nil, "no usable keys"},
		{"only unsupported key types", []map[string]any{{"kty": "OKP", "crv": "X448", "x": "AA", "kid": "x"}}, "no usable keys"},
		{"only encryption keys", []map[string]any{testkit.Edit(rotatedJWK(), "use", "enc")}, "no usable keys"},
		{"only short keys", []map[string]any{testkit.JWK("short", short)}, "no usable keys"},
		{"duplicated kid", []map[string]any{rotatedJWK(), testkit.JWK(rotatedKid, testkit.Key("attacker"))}, "a kid appears twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			f := newFixture(t, func(c *Config) {
				c.RefreshInterval = 40 * time.Millisecond
				c.CacheSize = -1 // every Verify looks the key up
				c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
			})
			f.is.SetKeys(t, tc.keys...)
			waitForFetches(t, f.is, 2)
			if _, err := f.v.Verify(context.Background(), f.id(), TokenUseID); err != nil {
				t.Fatalf("token of the last good key: %v", err)
			}
			unknown := f.rotated("new-kid", f.idClaims())
			if _, err := f.v.Verify(context.Background(), unknown, TokenUseID); !errors.Is(err, ErrJWKSUnavailable) {
				t.Errorf("unknown kid while the JWKS is bad: %v, want ErrJWKSUnavailable", err)
			}
			if !strings.Contains(logs.String(), "JWKS fetch failed; the last good keys stay in use") || !strings.Contains(logs.String(), tc.reason) {
				t.Errorf("log does not say why: %s", logs.String())
			}
		})
	}
	t.Run("at start", func(t *testing.T) {
		is := testkit.New(t, testPool)
		is.SetKeys(t, rotatedJWK(), testkit.JWK(rotatedKid, testkit.Key("pool")))
		_, err := New(context.Background(), Config{Issuer: is.Issuer(), ClientIDs: []string{testkit.ClientID}})
		// The root cause, without jwkset's wrapping sentences.
		if want := "JWKS unavailable: a kid appears twice at " + is.Issuer() + "/.well-known/jwks.json"; !errors.Is(err, ErrJWKSUnavailable) || err.Error() != want {
			t.Errorf("New with a duplicated kid: %v, want %q", err, want)
		}
	})
}

// TestCacheDropsRemovedKeys: once a refresh removes a key, a token it signed is refused even if
// it was verified (and cached) before.
func TestCacheDropsRemovedKeys(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.RefreshInterval = 40 * time.Millisecond })
	tok := f.id()
	if _, err := f.v.Verify(context.Background(), tok, TokenUseID); err != nil {
		t.Fatal(err)
	}
	newTok := f.rotated(rotatedKid, f.idClaims())
	if _, err := f.v.Verify(context.Background(), newTok, TokenUseID); !errors.Is(err, ErrUnknownKey) {
		t.Fatal(err)
	}
	f.is.SetKeys(t, rotatedJWK())
	waitForFetches(t, f.is, f.is.Requests()+1)
	if _, err := f.v.Verify(context.Background(), tok, TokenUseID); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("cached token of a removed key: %v, want ErrUnknownKey", err)
	}
	if _, err := f.v.Verify(context.Background(), newTok, TokenUseID); err != nil {
		t.Errorf("token of the new key: %v", err)
	}
}

// TestCancelledCallerIsNotAJWKSFault: a caller who hangs up during an unknown-kid refetch does
// not mark a healthy JWKS as down for everyone else.
func TestCancelledCallerIsNotAJWKSFault(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.RefetchInterval = 10 * time.Millisecond; c.CacheSize = -1 })
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(150 * time.Millisecond) // Cognito taking its time, well within FetchTimeout
		w.Write(f.is.JWKS())
	}))
	defer slow.Close()
	v, err := New(context.Background(), Config{Issuer: f.is.Issuer(), JWKSURL: slow.URL + "/" + testPool + "/.well-known/jwks.json",
		ClientIDs: []string{testkit.ClientID}, RefetchInterval: 10 * time.Millisecond, CacheSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	v.now = func() time.Time { return f.now }

	forged := func(kid string) string { return f.rotated(kid, f.idClaims()) }
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	v.Verify(ctx, forged("gone-1"), TokenUseID) // hangs up mid-refetch
	time.Sleep(20 * time.Millisecond)
	if v.fetches.down() {
		t.Fatal("a cancelled caller marked the JWKS as down")
	}
	if _, err := v.Verify(context.Background(), forged("gone-2"), TokenUseID); errors.Is(err, ErrJWKSUnavailable) || !errors.Is(err, ErrUnknownKey) {
		t.Errorf("next unknown kid: %v, want ErrUnknownKey without ErrJWKSUnavailable", err)
	}
}

// TestJWKSBodyIsCapped: a huge JWKS answer is cut off at MaxJWKSBytes, at start and on refresh,
// with a clear error, instead of being read whole.
func TestJWKSBodyIsCapped(t *testing.T) {
	huge := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"keys":[`)
		chunk := bytes.Repeat([]byte(" "), 1<<20)
		for range 200 { // 200 MiB, unless the reader hangs up first
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		io.WriteString(w, `]}`)
	})
	srv := httptest.NewServer(huge)
	defer srv.Close()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := New(context.Background(), Config{Issuer: srv.URL + "/" + testPool, ClientIDs: []string{testkit.ClientID}})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrJWKSUnavailable) || !strings.Contains(err.Error(), "JWKS response over 1048576 bytes") {
		t.Errorf("New with a 200 MiB JWKS: %v", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 32<<20 {
		t.Errorf("reading the JWKS allocated %d MiB", grew>>20)
	}

	// On refresh: the last good keys stay.
	f := newFixture(t, func(c *Config) { c.RefreshInterval = 40 * time.Millisecond; c.CacheSize = -1 })
	f.is.Override(huge)
	deadline := time.Now().Add(3 * time.Second)
	for !f.v.fetches.down() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if !f.v.fetches.down() {
		t.Error("a huge JWKS is not counted as a JWKS fault")
	}
	if _, err := f.v.Verify(context.Background(), f.id(), TokenUseID); err != nil {
		t.Errorf("after a huge refresh: %v", err)
	}
}

// TestJWKSSizeEdges: New takes a JWKS answer of exactly MaxJWKSBytes, and not a byte more.
func TestJWKSSizeEdges(t *testing.T) {
	keys, err := json.Marshal(map[string]any{"keys": []any{poolJWK()}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		size int
		ok   bool
	}{{MaxJWKSBytes, true}, {MaxJWKSBytes + 1, false}} {
		body := append(bytes.Repeat([]byte(" "), tc.size-len(keys)), keys...) // JSON white space first
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
		v, err := New(context.Background(), Config{Issuer: srv.URL + "/" + testPool, ClientIDs: []string{testkit.ClientID}})
		srv.Close()
		switch {
		case tc.ok && err != nil:
			t.Errorf("JWKS of %d bytes: %v", tc.size, err)
		case !tc.ok && !errors.Is(err, ErrJWKSUnavailable):
			t.Errorf("JWKS of %d bytes: %v, want ErrJWKSUnavailable", tc.size, err)
		case !tc.ok && !strings.Contains(err.Error(), "JWKS response over 1048576 bytes"):
			t.Errorf("JWKS of %d bytes: %v, want it to say the answer is too large", tc.size, err)
		}
		if v != nil {
			v.Close()
		}
	}
}

// TestCappedBodyRead: each Read stops at the cap, reporting the answer too large as soon as a
// byte past it arrives.
func TestCappedBodyRead(t *testing.T) {
	tests := []struct {
		name              string
		body, left, buf   int
		wantN             int
		wantErr, wantMore bool // wantMore: the read ends without an error
	}{
		{"body of the bytes left", 3, 3, 10, 3, false, true},
		{"body a byte over", 4, 3, 10, 3, true, false},
		{"buffer of the bytes left", 4, 3, 3, 3, false, true},
		{"nothing left, a byte more", 1, 0, 10, 0, true, false},
		{"empty buffer", 4, 3, 0, 0, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := &cappedBody{ReadCloser: io.NopCloser(bytes.NewReader(make([]byte, tc.body))), left: int64(tc.left)}
			n, err := b.Read(make([]byte, tc.buf))
			if n != tc.wantN || errors.Is(err, errJWKSTooLarge) != tc.wantErr || (tc.wantMore && err != nil) {
				t.Errorf("Read = %d, %v; want %d bytes, too large %v", n, err, tc.wantN, tc.wantErr)
			}
		})
	}
}

// TestRefetchLimiter: one refetch for an unknown kid, then none until the interval has passed,
// on the limiter's own clock. rate.Limiter counts in float64 seconds and rounds waits down to
// whole nanoseconds, so "just before" is a microsecond before.
func TestRefetchLimiter(t *testing.T) {
	for _, interval := range []time.Duration{DefaultRefetchInterval, 10 * time.Millisecond} {
		lim := refetchLimiter(interval)
		for _, step := range []struct {
			at time.Duration
			ok bool
		}{
			{0, true}, {0, false}, {interval - time.Microsecond, false}, {interval, true},
			{2*interval - time.Microsecond, false}, {2 * interval, true},
		} {
			if got := lim.AllowN(testNow.Add(step.at), 1); got != step.ok {
				t.Errorf("interval %v: refetch at %v allowed %v, want %v", interval, step.at, got, step.ok)
			}
		}
	}
}

// TestCappedBody: the cap allows exactly MaxJWKSBytes.
func TestCappedBody(t *testing.T) {
	for n, wantErr := range map[int]bool{MaxJWKSBytes - 1: false, MaxJWKSBytes: false, MaxJWKSBytes + 1: true} {
		b := &cappedBody{ReadCloser: io.NopCloser(bytes.NewReader(make([]byte, n))), left: MaxJWKSBytes}
		got, err := io.ReadAll(b)
		if (err != nil) != wantErr || (!wantErr && len(got) != n) {
			t.Errorf("%d bytes: read %d, %v", n, len(got), err)
		}
	}
}
