package verifier

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cognito-apigw/cognito-apigw/internal/jwtvalue"
)

// Claims are the verified claims of a Cognito token.
type Claims struct {
	Subject string
	// Username is cognito:username in ID tokens and username in access tokens.
	Username      string
	Email         string
	EmailVerified bool
	Groups        []string // cognito:groups
	TokenUse      TokenUse
	Scopes        []string // scope, split on spaces (access tokens)
	// ClientID is aud in ID tokens and client_id in access tokens.
	ClientID  string
	Issuer    string
	AuthTime  time.Time // zero if absent
	IssuedAt  time.Time // zero if absent
	ExpiresAt time.Time
	// Raw holds every claim as decoded from JSON, numbers as json.Number.
	Raw map[string]any
}

// checkClaims applies the claim rules to a token whose signature has been verified.
func (v *Verifier) checkClaims(raw map[string]any, use TokenUse) (*Claims, error) {
	c := &Claims{Raw: raw, TokenUse: use}
	if c.Issuer, _ = raw["iss"].(string); c.Issuer != v.issuer {
		return nil, ErrIssuer
	}
	if got, _ := raw["token_use"].(string); got != string(use) {
		return nil, fmt.Errorf("%w: want %s token", ErrTokenUse, use)
	}
	clientClaim := "aud"
	if use == TokenUseAccess {
		clientClaim = "client_id"
	}
	// A single string only: Cognito never issues an aud array, so one is not from Cognito.
	if c.ClientID, _ = raw[clientClaim].(string); !v.clients[c.ClientID] {
		return nil, fmt.Errorf("%w: %s not an allowed client", ErrClient, clientClaim)
	}

	now := v.now()
	exp, ok, err := numericDate(raw, "exp")
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return nil, fmt.Errorf("%w: exp required", ErrClaims)
	case !now.Before(exp):
		return nil, ErrExpired
	}
	c.ExpiresAt = exp
	for _, name := range []string{"nbf", "iat"} {
		t, _, err := numericDate(raw, name)
		if err != nil {
			return nil, err
		}
		if t.After(now.Add(v.leeway)) {
			return nil, fmt.Errorf("%w: %s in the future", ErrNotYetValid, name)
		}
		if name == "iat" {
			c.IssuedAt = t
		}
	}
	if c.AuthTime, _, err = numericDate(raw, "auth_time"); err != nil {
		return nil, err
	}

	if c.Subject, ok = raw["sub"].(string); !ok || c.Subject == "" {
		return nil, fmt.Errorf("%w: sub required", ErrClaims)
	}
	usernameClaim := "cognito:username"
	if use == TokenUseAccess {
		usernameClaim = "username"
	}
	if c.Username, err = optString(raw, usernameClaim); err != nil {
		return nil, err
	}
	if c.Email, err = optString(raw, "email"); err != nil {
		return nil, err
	}
	if ev, ok := raw["email_verified"]; ok {
		switch ev {
		case true, "true": // some issuers send the string
			c.EmailVerified = true
		case false, "false":
		default:
			return nil, fmt.Errorf("%w: email_verified not a boolean", ErrClaims)
		}
	}
	if g, ok := raw["cognito:groups"]; ok {
		if c.Groups, ok = jwtvalue.StringList(g); !ok {
			return nil, fmt.Errorf("%w: cognito:groups not a list of strings", ErrClaims)
		}
	}
	scope, err := optString(raw, "scope")
	if err != nil {
		return nil, err
	}
	c.Scopes = strings.Fields(scope)
	return c, nil
}

// numericDate reads a NumericDate claim: a non-negative number of seconds up to year 9999.
func numericDate(raw map[string]any, name string) (time.Time, bool, error) {
	v, ok := raw[name]
	if !ok {
		return time.Time{}, false, nil
	}
	bad := func() (time.Time, bool, error) {
		return time.Time{}, false, fmt.Errorf("%w: %s not a valid date", ErrClaims, name)
	}
	n, isNum := v.(json.Number)
	if !isNum {
		return bad()
	}
	t, valid := jwtvalue.NumericDate(n)
	if !valid {
		return bad()
	}
	return t, true, nil
}

func optString(raw map[string]any, name string) (string, error) {
	switch s := raw[name].(type) {
	case nil:
		if _, present := raw[name]; present {
			return "", fmt.Errorf("%w: %s is null", ErrClaims, name)
		}
		return "", nil
	case string:
		return s, nil
	default:
		return "", fmt.Errorf("%w: %s not a string", ErrClaims, name)
	}
}

// TokenFromAuthorizationHeader extracts the token from an Authorization header value, which
// API Gateway's Cognito authorizer accepts either bare or as "Bearer <token>" (scheme
// case-insensitive). It reports false for an empty value, another scheme, or a token with
// spaces in it; the token's format is left to Verify.
func TokenFromAuthorizationHeader(h string) (string, bool) {
	h = strings.TrimSpace(h)
	if scheme, rest, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "bearer") {
		h = strings.TrimLeft(rest, " ")
	}
	if h == "" || strings.EqualFold(h, "bearer") || strings.ContainsAny(h, " \t") {
		return "", false
	}
	return h, true
}
