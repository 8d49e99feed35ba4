// Package verifier checks Amazon Cognito user pool JWTs the way API Gateway's Cognito
// authorizer and aws-jwt-verify do, and at least as strictly: RS256 only, a kid found in the
// pool's JWKS, exact issuer, required exp, token_use and app client checks. It serves the
// local API server and a Lambda token authorizer, so it must not import the CDK.
package verifier

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"

	"github.com/cognito-apigw/cognito-apigw/internal/loopback"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// TokenUse is the token_use claim a caller wants: Cognito issues "id" and "access" tokens.
type TokenUse string

const (
	TokenUseID     TokenUse = routes.TokenUseID
	TokenUseAccess TokenUse = routes.TokenUseAccess
)

// Errors returned by Verify (wrapped; test with errors.Is). Their messages never contain the
// token or any part of it, so they are safe to log.
var (
	ErrTokenTooLarge   = errors.New("token too large")
	ErrMalformed       = errors.New("token malformed")
	ErrAlgorithm       = errors.New("token algorithm not allowed")
	ErrUnknownKey      = errors.New("token signing key unknown")
	ErrSignature       = errors.New("token signature invalid")
	ErrExpired         = errors.New("token expired")
	ErrNotYetValid     = errors.New("token not yet valid")
	ErrIssuer          = errors.New("token issuer not accepted")
	ErrTokenUse        = errors.New("token use not accepted")
	ErrClient          = errors.New("token app client not accepted")
	ErrClaims          = errors.New("token claims invalid")
	ErrJWKSUnavailable = errors.New("JWKS unavailable")
	ErrConfig          = errors.New("verifier config invalid")
)

// Defaults for the zero values of Config.
const (
	DefaultFetchTimeout    = 5 * time.Second
	DefaultLeeway          = 5 * time.Second
	DefaultMaxTokenSize    = 8 << 10
	DefaultRefetchInterval = time.Minute
	DefaultRefreshInterval = time.Hour
	DefaultCacheSize       = 1000

	// maxLeeway keeps the leeway "small": it only absorbs clock skew.
	maxLeeway = 5 * time.Minute
)

// Config says which tokens a Verifier accepts and how it gets the pool's keys.
type Config struct {
	// Issuer is compared byte for byte with the iss claim:
	// https://cognito-idp.<region>.amazonaws.com/<pool id>, or for a local issuer
	// http://localhost:<port>/<pool id> (plain http is accepted for loopback hosts only).
	Issuer string
	// JWKSURL defaults to Issuer + "/.well-known/jwks.json".
	JWKSURL string
	// ClientIDs are the app clients whose tokens are accepted: the aud claim of ID tokens and
	// the client_id claim of access tokens must be one of them. Required.
	ClientIDs []string
	// HTTPClient fetches the JWKS. Default: a client with FetchTimeout as its timeout.
	HTTPClient *http.Client
	// FetchTimeout bounds each JWKS fetch, and a Verify call's wait for the refetch rate
	// limiter plus the refetch itself (see RefetchInterval). Default 5 s.
	FetchTimeout time.Duration
	// Leeway tolerates clock skew on nbf and iat only; exp gets none, as with aws-jwt-verify's
	// default. Zero means 5 s, a negative value means none; at most 5 min.
	Leeway time.Duration
	// MaxTokenSize caps the token length in bytes, checked before any decoding. Default 8 KiB.
	MaxTokenSize int
	// RefetchInterval is the least time between JWKS fetches triggered by an unknown kid, so a
	// flood of forged kids cannot turn into a flood of requests to Cognito. A Verify call that
	// needs a refetch waits for it only if the next one is due within FetchTimeout, and
	// otherwise fails at once with ErrUnknownKey. Default 1 min.
	RefetchInterval time.Duration
	// RefreshInterval is how often the JWKS is refreshed in the background, so removed keys
	// stop being accepted. Zero means 1 h, a negative value disables it.
	RefreshInterval time.Duration
	// CacheSize bounds the cache of verified tokens (entries). Zero means 1000, a negative
	// value disables the cache.
	CacheSize int
	// Logger receives failed JWKS fetches (never token data). Default: slog.Default().
	Logger *slog.Logger
}

// Verifier verifies Cognito tokens. It is safe for concurrent use.
type Verifier struct {
	issuer  string
	clients map[string]bool
	maxSize int
	leeway  time.Duration
	keys    jwkset.Storage
	fetches *fetchLog
	parser  *jwt.Parser
	cache   *cache
	now     func() time.Time // replaced in tests
	cancel  context.CancelFunc
}

// New checks cfg and loads the JWKS once, failing with ErrJWKSUnavailable if it cannot, so a
// misconfigured pool shows up at cold start rather than as 401s. ctx bounds the life of the
// background refresh: cancel it, or call Close, to stop it.
func New(ctx context.Context, cfg Config) (*Verifier, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	var c *cache
	if cfg.CacheSize > 0 {
		c = newCache(cfg.CacheSize)
	}
	ctx, cancel := context.WithCancel(ctx)
	keys, fetches, err := newKeyStore(ctx, cfg, c)
	if err != nil {
		cancel() // jwkset has already started its refresh goroutine
		return nil, err
	}
	v := &Verifier{
		issuer:  cfg.Issuer,
		clients: make(map[string]bool, len(cfg.ClientIDs)),
		maxSize: cfg.MaxTokenSize,
		leeway:  cfg.Leeway,
		keys:    keys,
		fetches: fetches,
		cache:   c,
		now:     time.Now,
		cancel:  cancel,
		// Claims are checked by checkClaims, not by jwt's validator: exp gets no leeway and
		// numeric dates must be sane numbers, which jwt does not enforce.
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{"RS256"}),
			jwt.WithStrictDecoding(),
			jwt.WithJSONNumber(),
			jwt.WithoutClaimsValidation(),
		),
	}
	for _, id := range cfg.ClientIDs {
		v.clients[id] = true
	}
	return v, nil
}

// Close stops the background JWKS refresh. Verify keeps working with the keys it has.
func (v *Verifier) Close() { v.cancel() }

// Verify checks a bare token (no "Bearer " prefix: see TokenFromAuthorizationHeader) and
// returns its claims. The returned Claims may be shared with other callers through the cache:
// treat them as read-only.
func (v *Verifier) Verify(ctx context.Context, token string, use TokenUse) (*Claims, error) {
	if use != TokenUseID && use != TokenUseAccess {
		return nil, fmt.Errorf("%w: unsupported use requested", ErrTokenUse)
	}
	return v.verifyToken(ctx, token, use)
}

// verifyToken is Verify, and VerifyAny when use is "": then the use is the token's own
// token_use, read from the decoded payload and checked again once the signature is good.
func (v *Verifier) verifyToken(ctx context.Context, token string, use TokenUse) (*Claims, error) {
	if len(token) > v.maxSize {
		return nil, ErrTokenTooLarge
	}
	if err := checkShape(token); err != nil {
		return nil, err
	}
	var sum [32]byte
	if v.cache != nil {
		sum = sha256.Sum256([]byte(token))
		for _, u := range []TokenUse{TokenUseID, TokenUseAccess} {
			if use != "" && u != use {
				continue
			}
			if c, ok := v.cache.get(cacheKey{sum: sum, use: u}, v.now()); ok {
				if c == nil {
					return nil, ErrExpired
				}
				return c, nil
			}
		}
	}
	// The claims checked are those of decodePayload; the JWT library's own decoding, which
	// would accept trailing data, only serves its signature check.
	raw, err := decodePayload(token)
	if err != nil {
		return nil, err
	}
	if use == "" {
		if use, err = tokenUseOf(raw); err != nil {
			return nil, err
		}
	}
	c, kid, err := v.verify(ctx, token, raw, use)
	if err != nil {
		return nil, err
	}
	if v.cache != nil {
		v.cache.put(cacheKey{sum: sum, use: use}, c, kid)
	}
	return c, nil
}

// verify checks the signature of a token whose payload decodes to raw, then the claims, and
// returns them with the kid of the key that signed it.
func (v *Verifier) verify(ctx context.Context, token string, raw map[string]any, use TokenUse) (*Claims, string, error) {
	var keyErr error
	parsed, err := v.parser.ParseWithClaims(token, &signatureOnly{}, func(t *jwt.Token) (any, error) {
		k, err := v.key(ctx, t.Header)
		keyErr = err
		return k, err
	})
	switch {
	case keyErr != nil:
		return nil, "", keyErr
	case err == nil:
	case errors.Is(err, jwt.ErrTokenMalformed):
		return nil, "", fmt.Errorf("%w: cannot decode", ErrMalformed)
	case parsed != nil && parsed.Header["alg"] != "RS256":
		// Wrong, unknown or missing alg: refused by WithValidMethods before any key lookup.
		return nil, "", ErrAlgorithm
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return nil, "", ErrSignature
	default:
		return nil, "", ErrMalformed
	}
	c, err := v.checkClaims(raw, use)
	kid, _ := parsed.Header["kid"].(string) // key has checked it
	return c, kid, err
}

// signatureOnly stands in for the claims in the JWT library's parse, which then only checks the
// header and signature: decodePayload has decoded the claims already, strictly, and a second
// decoding into a map would cost as much again.
type signatureOnly struct{ jwt.RegisteredClaims }

func (*signatureOnly) UnmarshalJSON([]byte) error { return nil }

// checkShape accepts exactly three non-empty base64url segments (no padding, no whitespace),
// before any decoding: Go's base64 decoder would otherwise skip embedded newlines.
func checkShape(token string) error {
	dots, empty := 0, true // empty: the current segment has no byte yet
	for i := 0; i < len(token); i++ {
		c := token[i]
		if base64URL[c] { // a table: this loop runs over every byte of every token
			empty = false
			continue
		}
		if c != '.' {
			return fmt.Errorf("%w: character outside base64url", ErrMalformed)
		}
		if empty {
			return fmt.Errorf("%w: empty segment", ErrMalformed)
		}
		dots++
		empty = true
	}
	if dots != 2 {
		return fmt.Errorf("%w: want 3 segments", ErrMalformed)
	}
	if empty {
		return fmt.Errorf("%w: empty segment", ErrMalformed)
	}
	return nil
}

// base64URL marks the bytes of the unpadded base64url alphabet.
var base64URL = func() (t [256]bool) {
	for _, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" {
		t[c] = true
	}
	return t
}()

func (c Config) withDefaults() (Config, error) {
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }

	if err := checkURL(c.Issuer); err != nil {
		bad("issuer: %v", err)
	} else if strings.HasSuffix(c.Issuer, "/") {
		bad("issuer must not end with /")
	}
	if c.JWKSURL == "" {
		c.JWKSURL = c.Issuer + "/.well-known/jwks.json"
	} else if err := checkURL(c.JWKSURL); err != nil {
		bad("JWKS URL: %v", err)
	}
	if len(c.ClientIDs) == 0 {
		bad("at least one client id is required")
	}
	for _, id := range c.ClientIDs {
		if strings.TrimSpace(id) == "" {
			bad("empty client id")
		}
	}
	if c.FetchTimeout < 0 || c.MaxTokenSize < 0 || c.RefetchInterval < 0 {
		bad("negative fetch timeout, max token size or refetch interval")
	}
	if c.FetchTimeout == 0 {
		c.FetchTimeout = DefaultFetchTimeout
	}
	switch {
	case c.Leeway == 0:
		c.Leeway = DefaultLeeway
	case c.Leeway < 0:
		c.Leeway = 0
	case c.Leeway > maxLeeway:
		bad("leeway %v is over %v", c.Leeway, maxLeeway)
	}
	if c.MaxTokenSize == 0 {
		c.MaxTokenSize = DefaultMaxTokenSize
	}
	if c.RefetchInterval == 0 {
		c.RefetchInterval = DefaultRefetchInterval
	}
	if c.RefreshInterval == 0 {
		c.RefreshInterval = DefaultRefreshInterval
	}
	if c.CacheSize == 0 {
		c.CacheSize = DefaultCacheSize
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: c.FetchTimeout}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if len(problems) > 0 {
		return c, fmt.Errorf("%w: %s", ErrConfig, strings.Join(problems, "; "))
	}
	return c, nil
}

// checkURL wants an absolute https URL, or plain http to a loopback host for local issuers.
func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q is not an absolute URL without query or fragment", s)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if loopback.IsHost(u.Hostname()) {
			return nil
		}
	}
	return fmt.Errorf("%q must use https (http only for localhost, 127.0.0.1 and [::1])", s)
}
