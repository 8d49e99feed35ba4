package verifier

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/MicahParks/jwkset"
	"golang.org/x/time/rate"
)

// minRSABits refuses weak keys even if a JWKS served one; Cognito uses 2048-bit keys.
const minRSABits = 2048

// fetchLog tells whether the latest JWKS fetch failed. jwkset reports failures through
// RefreshErrorHandler and success only by replacing the stored keys, so both are hooked here.
type fetchLog struct {
	seq        atomic.Int64
	lastOK     atomic.Int64
	lastFailed atomic.Int64
}

func (f *fetchLog) ok()        { f.lastOK.Store(f.seq.Add(1)) }
func (f *fetchLog) failed()    { f.lastFailed.Store(f.seq.Add(1)) }
func (f *fetchLog) down() bool { return f.lastFailed.Load() > f.lastOK.Load() }

// loggedStore is the in-memory key store that jwkset fills after each successful fetch.
type loggedStore struct {
	*jwkset.MemoryJWKSet
	log *fetchLog
}

func (s loggedStore) KeyReplaceAll(ctx context.Context, keys []jwkset.JWK) error {
	err := s.MemoryJWKSet.KeyReplaceAll(ctx, keys)
	if err == nil {
		s.log.ok()
	}
	return err
}

// newKeyStore builds jwkset's HTTP client storage: one fetch now, a background refresh, and a
// refetch when a token names an unknown kid, at most one per RefetchInterval.
//
// jwkset's refetch waits on the limiter (rate.Limiter.Wait) rather than giving up at once, with
// RateLimitWaitMax as the deadline for both the wait and the fetch itself. Setting it to
// FetchTimeout means a caller either waits at most that long for the next permitted fetch or,
// when the next one is further away (the usual case), fails at once with ErrUnknownKey.
//
// keyfunc.NewDefaultOverrideCtx builds the same thing but starts with an empty key set when the
// first fetch fails, offers no hook to see fetches succeed, and its Keyfunc tries every key
// for a token without kid; so jwkset is used directly, with Verifier.key in place of Keyfunc.
func newKeyStore(ctx context.Context, cfg Config) (jwkset.Storage, *fetchLog, error) {
	log := &fetchLog{}
	refresh := cfg.RefreshInterval
	if refresh < 0 {
		refresh = 0 // jwkset starts no refresh goroutine
	}
	remote, err := jwkset.NewStorageFromHTTP(cfg.JWKSURL, jwkset.HTTPClientStorageOptions{
		Client:              cfg.HTTPClient,
		Ctx:                 ctx,
		HTTPTimeout:         cfg.FetchTimeout,
		RefreshInterval:     refresh,
		RefreshErrorHandler: func(context.Context, error) { log.failed() },
		Storage:             loggedStore{MemoryJWKSet: jwkset.NewMemoryStorage(), log: log},
	})
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrJWKSUnavailable, err)
	}
	keys, err := jwkset.NewHTTPClient(jwkset.HTTPClientOptions{
		HTTPURLs:          map[string]jwkset.Storage{cfg.JWKSURL: remote},
		RateLimitWaitMax:  cfg.FetchTimeout,
		RefreshUnknownKID: rate.NewLimiter(rate.Every(cfg.RefetchInterval), 1),
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
	jwk, err := v.keys.KeyRead(ctx, kid)
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
