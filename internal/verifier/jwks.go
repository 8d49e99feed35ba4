package verifier

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/MicahParks/jwkset"
	"golang.org/x/time/rate"
)

// minRSABits refuses weak keys even if a JWKS served one; Cognito uses 2048-bit keys.
const minRSABits = 2048

// fetchLog tells whether the latest JWKS fetch failed. jwkset reports failures through
// RefreshErrorHandler and success only by replacing the stored keys, so both are hooked here.
type fetchLog struct{ lastFailed atomic.Bool }

func (f *fetchLog) ok()        { f.lastFailed.Store(false) }
func (f *fetchLog) failed()    { f.lastFailed.Store(true) }
func (f *fetchLog) down() bool { return f.lastFailed.Load() }

// MaxJWKSBytes caps a JWKS response. Cognito's has two keys, about 1 KB; anything near the cap
// is not a JWKS, and reading it whole could exhaust a small Lambda's memory.
const MaxJWKSBytes = 1 << 20

// errJWKSTooLarge, errNoUsableKeys and errDuplicateKid make a fetched key set unusable.
var (
	errJWKSTooLarge = fmt.Errorf("JWKS response over %d bytes", MaxJWKSBytes)
	errNoUsableKeys = errors.New("no usable keys (RSA signing keys of at least 2048 bits)")
	errDuplicateKid = errors.New("a kid appears twice")
)

// guardedStore is the in-memory key store that jwkset fills after each fetch. It refuses a key
// set that could not verify a single Cognito token, or that names a kid twice (which key would
// be meant is unknowable), so that a bad refresh keeps the last good set instead of removing
// every key; jwkset then reports the refusal as a failed refresh. When a set is stored, cached
// verifications of keys that left it are dropped.
type guardedStore struct {
	*jwkset.MemoryJWKSet
	log     *fetchLog
	removed func(kept map[string]bool) // nil when nothing is cached
}

func (s guardedStore) KeyReplaceAll(ctx context.Context, keys []jwkset.JWK) error {
	kids := make(map[string]bool, len(keys))
	usable := false
	for _, k := range keys {
		kid := k.Marshal().KID
		if kids[kid] {
			return errDuplicateKid
		}
		kids[kid] = true
		if _, err := rsaKey(k); err == nil {
			usable = true
		}
	}
	if !usable {
		return errNoUsableKeys
	}
	if err := s.MemoryJWKSet.KeyReplaceAll(ctx, keys); err != nil {
		return err
	}
	s.log.ok()
	if s.removed != nil {
		s.removed(kids)
	}
	return nil
}

// cappedTransport ends a response body with errJWKSTooLarge past MaxJWKSBytes.
type cappedTransport struct{ base http.RoundTripper }

func (t cappedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err == nil {
		resp.Body = &cappedBody{ReadCloser: resp.Body, left: MaxJWKSBytes}
	}
	return resp, err
}

type cappedBody struct {
	io.ReadCloser
	left int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	p = p[:min(int64(len(p)), b.left+1)] // one byte past the cap tells a body of exactly the cap from a longer one
	n, err := b.ReadCloser.Read(p)
	if int64(n) > b.left {
		n, b.left = int(b.left), 0
		return n, errJWKSTooLarge
	}
	b.left -= int64(n)
	return n, err
}

// newKeyStore builds jwkset's HTTP client storage: one fetch now, a background refresh, and a
// refetch when a token names an unknown kid, at most one per RefetchInterval.
//
// jwkset's refetch waits on the limiter (rate.Limiter.Wait) rather than giving up at once, with
// RateLimitWaitMax as the deadline for both the wait and the fetch itself. Setting it to
// FetchTimeout means a caller either waits at most that long for the next permitted fetch or,
// when the next one is further away (the usual case), fails at once with ErrUnknownKey.
//
// keyfunc v3 (v3.9.2, on the same jwkset) builds the same thing, but offers no hook to see
// fetches succeed or to refuse a key set before it replaces the last good one (guardedStore),
// and its Keyfunc tries every key for a token without kid; so jwkset is used directly, with
// Verifier.key in place of Keyfunc.
//
// Every failed fetch, refused key sets included, is logged and counted: while the latest fetch
// has failed, a token with an unknown kid gets ErrJWKSUnavailable rather than ErrUnknownKey.
func newKeyStore(ctx context.Context, cfg Config, c *cache) (jwkset.Storage, *fetchLog, error) {
	log := &fetchLog{}
	refresh := max(cfg.RefreshInterval, 0) // negative: 0, for which jwkset starts no refresh goroutine
	client := *cfg.HTTPClient
	base := client.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	client.Transport = cappedTransport{base: base}
	store := guardedStore{MemoryJWKSet: jwkset.NewMemoryStorage(), log: log}
	if c != nil {
		store.removed = c.keepOnly
	}
	remote, err := jwkset.NewStorageFromHTTP(cfg.JWKSURL, jwkset.HTTPClientStorageOptions{
		Client:          &client,
		Ctx:             ctx,
		HTTPTimeout:     cfg.FetchTimeout,
		RefreshInterval: refresh,
		RefreshErrorHandler: func(_ context.Context, err error) {
			log.failed()
			cfg.Logger.Warn("JWKS fetch failed; the last good keys stay in use", "url", cfg.JWKSURL, "reason", err.Error())
		},
		Storage: store,
	})
	switch {
	case errors.Is(err, errNoUsableKeys), errors.Is(err, errDuplicateKid), errors.Is(err, errJWKSTooLarge):
		return nil, nil, fmt.Errorf("%w: %s at %s", ErrJWKSUnavailable, rootCause(err), cfg.JWKSURL)
	case err != nil:
		return nil, nil, fmt.Errorf("%w: %v", ErrJWKSUnavailable, err)
	}
	keys, err := jwkset.NewHTTPClient(jwkset.HTTPClientOptions{
		HTTPURLs:          map[string]jwkset.Storage{cfg.JWKSURL: remote},
		RateLimitWaitMax:  cfg.FetchTimeout,
		RefreshUnknownKID: refetchLimiter(cfg.RefetchInterval),
	})
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrJWKSUnavailable, err)
	}
	all, err := keys.KeyReadAll(ctx)
	if err != nil || len(all) == 0 {
		return nil, nil, fmt.Errorf("%w: no usable keys at %s", ErrJWKSUnavailable, cfg.JWKSURL)
	}
	return keys, log, nil
}

// refetchLimiter permits one refetch for an unknown kid, then the next one interval later.
func refetchLimiter(interval time.Duration) *rate.Limiter {
	return rate.NewLimiter(rate.Every(interval), 1)
}

// key returns the RSA public key that the token header's kid names. Only kid is read from the
// header: jku, x5u, jwk and x5c would let the token choose its own key, so they are ignored.
func (v *Verifier) key(ctx context.Context, header map[string]any) (*rsa.PublicKey, error) {
	if _, ok := header["crit"]; ok {
		// No extension is understood, so RFC 7515 4.1.11 requires rejecting any crit.
		return nil, fmt.Errorf("%w: crit header not supported", ErrMalformed)
	}
	kid, _ := header["kid"].(string)
	if kid == "" {
		return nil, fmt.Errorf("%w: no kid", ErrUnknownKey)
	}
	// The refetch for an unknown kid must not run under the caller's context: a caller who hangs
	// up would make it fail, and a failed fetch reports the JWKS as down to everyone. jwkset
	// bounds the wait and the fetch by FetchTimeout (RateLimitWaitMax).
	jwk, err := v.keys.KeyRead(context.WithoutCancel(ctx), kid)
	if err != nil {
		// jwkset's errors quote the kid (token data), so they are not wrapped.
		if v.fetches.down() {
			return nil, fmt.Errorf("%w: %w", ErrUnknownKey, ErrJWKSUnavailable)
		}
		if errors.Is(err, jwkset.ErrKeyNotFound) {
			return nil, fmt.Errorf("%w: kid not in JWKS", ErrUnknownKey)
		}
		return nil, fmt.Errorf("%w: kid not in JWKS, refetch rate limited", ErrUnknownKey)
	}
	return rsaKey(jwk)
}

// rsaKey returns the key if it can verify a Cognito token: RSA, for signatures, RS256 (or no
// alg or use stated), at least minRSABits.
func rsaKey(jwk jwkset.JWK) (*rsa.PublicKey, error) {
	m := jwk.Marshal()
	if m.USE != "" && m.USE != jwkset.UseSig {
		return nil, fmt.Errorf("%w: key not for signatures", ErrUnknownKey)
	}
	if m.ALG != "" && m.ALG != jwkset.AlgRS256 {
		return nil, fmt.Errorf("%w: key is for another algorithm", ErrAlgorithm)
	}
	var pub *rsa.PublicKey
	switch k := jwk.Key().(type) {
	case *rsa.PublicKey:
		pub = k
	case *rsa.PrivateKey:
		pub = &k.PublicKey
	default:
		return nil, fmt.Errorf("%w: key is not RSA", ErrUnknownKey)
	}
	if pub.N.BitLen() < minRSABits {
		return nil, fmt.Errorf("%w: RSA key too short", ErrUnknownKey)
	}
	return pub, nil
}

// rootCause is the innermost error of a chain, without jwkset's wrapping sentences.
func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}
