// Package apigwclaims is API Gateway's claims format, both ways: Encode writes a verified token's
// claims the way API Gateway's Cognito user pools authorizer hands them to the backend (the local
// gateway and the Lambda token authorizer use it), and ClaimsFromRequest reads them back out of
// a REST proxy event (the proxy handler uses it).
//
// API Gateway's Cognito user pools authorizer puts the verified token's claims in
// requestContext.authorizer.claims, and it flattens every value to a string on the way:
// "email_verified": "true", "auth_time": "1795338000", "exp": "Sun Nov 22 10:00:00 UTC 2026"
// (Java's Date.toString), "cognito:groups": "admin,users" (or "[admin users]"). A Lambda token
// authorizer puts its context keys straight into requestContext.authorizer instead. Both shapes
// are read here; anything else is an error, never a panic.
//
// The authorizer has already checked the signature, issuer, expiry and method scopes. What it does
// not check (the app client, groups) is up to the caller of this package.
package apigwclaims

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/jwtvalue"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// Token uses, as Cognito writes them in token_use.
const (
	TokenUseID     = routes.TokenUseID
	TokenUseAccess = routes.TokenUseAccess
)

// ErrNoClaims means the event carries no caller identity at all: the method has no authorizer,
// or the authorizer sent nothing we recognise.
var ErrNoClaims = errors.New("no authorizer claims in the request")

// ErrMalformed wraps every reason the claims that are there cannot be used.
var ErrMalformed = errors.New("malformed authorizer claims")

// Claims is the caller's identity, typed.
type Claims struct {
	Subject  string // sub: the user's stable id
	TokenUse string // TokenUseID or TokenUseAccess
	// ClientID is the app client the token was issued to: aud in an ID token, client_id in an
	// access token.
	ClientID string
	// Username is cognito:username in an ID token, username in an access token.
	Username      string
	Email         string // ID tokens only
	EmailVerified bool   // ID tokens only
	Groups        []string
	Scopes        []string // access tokens only: scope split on spaces
	Issuer        string
	AuthTime      time.Time // zero when absent
	IssuedAt      time.Time // zero when absent
	ExpiresAt     time.Time // zero when absent
}

// Caller is what the route table's access rule (routes.Route.Decide) needs of the claims;
// client is the name of the app client c.ClientID belongs to.
func (c Claims) Caller(client string) routes.Caller {
	return routes.Caller{TokenUse: c.TokenUse, Client: client, Scopes: c.Scopes, Groups: c.Groups}
}

// ClaimsFromRequest reads the caller's claims from a REST proxy event's request context. It
// returns an error wrapping ErrNoClaims when there are none, ErrMalformed when they cannot be read.
func ClaimsFromRequest(rc events.APIGatewayProxyRequestContext) (Claims, error) {
	return FromAuthorizer(rc.Authorizer)
}

// FromAuthorizer reads claims from requestContext.authorizer: the Cognito user pools authorizer's
// {"claims": {...}}, or a Lambda authorizer's context with the claims as top-level keys.
func FromAuthorizer(authorizer map[string]any) (Claims, error) {
	if len(authorizer) == 0 {
		return Claims{}, ErrNoClaims
	}
	raw, ok := authorizer["claims"]
	if !ok {
		// A Lambda authorizer's context sits beside principalId and integrationLatency.
		if _, hasSub := authorizer["sub"]; !hasSub {
			if _, hasUse := authorizer["token_use"]; !hasUse {
				return Claims{}, ErrNoClaims
			}
		}
		return parse(authorizer)
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return Claims{}, malformed("claims: want an object, got %s", typeName(raw))
	}
	if len(m) == 0 {
		return Claims{}, ErrNoClaims
	}
	return parse(m)
}

func parse(m map[string]any) (Claims, error) {
	var c Claims
	var err error
	str := func(key string) string {
		if err != nil {
			return ""
		}
		var s string
		s, err = stringClaim(m, key)
		return s
	}
	c.Subject = str("sub")
	c.TokenUse = str("token_use")
	c.Issuer = str("iss")
	c.Email = str("email")
	switch c.TokenUse {
	case TokenUseID:
		c.ClientID = str("aud")
		c.Username = str("cognito:username")
	case TokenUseAccess:
		c.ClientID = str("client_id")
		c.Username = str("username")
		c.Scopes = strings.Fields(str("scope"))
	}
	if err != nil {
		return Claims{}, err
	}
	if c.Subject == "" {
		return Claims{}, malformed("sub: missing")
	}
	if c.TokenUse != TokenUseID && c.TokenUse != TokenUseAccess {
		return Claims{}, malformed("token_use: want %q or %q, got %s", TokenUseID, TokenUseAccess, quote(c.TokenUse))
	}
	if c.EmailVerified, err = boolClaim(m, "email_verified"); err != nil {
		return Claims{}, err
	}
	if c.Groups, err = groupsClaim(m, "cognito:groups"); err != nil {
		return Claims{}, err
	}
	if c.AuthTime, err = timeClaim(m, "auth_time"); err != nil {
		return Claims{}, err
	}
	if c.IssuedAt, err = timeClaim(m, "iat"); err != nil {
		return Claims{}, err
	}
	if c.ExpiresAt, err = timeClaim(m, "exp"); err != nil {
		return Claims{}, err
	}
	return c, nil
}

// stringClaim returns "" for a missing or null claim and an error for a non-string one.
func stringClaim(m map[string]any, key string) (string, error) {
	switch v := m[key].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	default:
		return "", malformed("%s: want a string, got %s", key, typeName(v))
	}
}

// boolClaim takes "true"/"false" (the authorizer's strings) or a JSON boolean.
func boolClaim(m map[string]any, key string) (bool, error) {
	switch v := m[key].(type) {
	case nil:
		return false, nil
	case bool:
		return v, nil
	case string:
		switch v {
		case "true":
			return true, nil
		case "false", "":
			return false, nil
		}
		return false, malformed("%s: want \"true\" or \"false\", got %s", key, quote(v))
	default:
		return false, malformed("%s: want a boolean, got %s", key, typeName(v))
	}
}

// groupsClaim reads cognito:groups in any of the shapes it arrives in: "admin,users" (REST API
// Cognito authorizer), "[admin users]" (Go-style flattening, as HTTP API JWT authorizers do), or
// a real JSON array. Group names cannot contain white space (Cognito's GroupType name pattern is
// [\p{L}\p{M}\p{S}\p{N}\p{P}]+), so splitting on it is safe. They may contain commas, which the
// comma-flattened form cannot tell apart from separators; Cognito gives us no better option.
func groupsClaim(m map[string]any, key string) ([]string, error) {
	switch v := m[key].(type) {
	case nil:
		return nil, nil
	case string:
		s := strings.TrimSpace(v)
		if len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']' {
			s = s[1 : len(s)-1]
		}
		return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }), nil
	case []any:
		groups := make([]string, 0, len(v))
		for i, g := range v {
			s, ok := g.(string)
			if !ok || s == "" || strings.ContainsFunc(s, unicode.IsSpace) {
				return nil, malformed("%s[%d]: want a group name, got %s", key, i, typeName(g))
			}
			groups = append(groups, s)
		}
		return groups, nil
	default:
		return nil, malformed("%s: want a string or a list, got %s", key, typeName(v))
	}
}

// javaDate is Java's Date.toString() layout, which the Cognito authorizer uses for exp and iat.
const javaDate = time.UnixDate // "Mon Jan _2 15:04:05 MST 2006"

// timeClaim reads a date claim: Unix seconds as a string or a JSON number, or a Java date string.
func timeClaim(m map[string]any, key string) (time.Time, error) {
	switch v := m[key].(type) {
	case nil:
		return time.Time{}, nil
	case float64:
		if v != math.Trunc(v) || v < 0 || v > jwtvalue.MaxUnix {
			return time.Time{}, malformed("%s: want whole Unix seconds, got %v", key, v)
		}
		return time.Unix(int64(v), 0).UTC(), nil
	case string:
		if v == "" {
			return time.Time{}, nil
		}
		// Only a string starting like a number can be Unix seconds: try it first for those
		// alone, since a failed ParseInt allocates its error (two allocations per date).
		if c := v[0]; ('0' <= c && c <= '9') || c == '-' || c == '+' {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				if n < 0 || n > jwtvalue.MaxUnix {
					return time.Time{}, malformed("%s: Unix seconds out of range: %d", key, n)
				}
				return time.Unix(n, 0).UTC(), nil
			}
			// A JWT NumericDate may have a fraction, and Encode passes it on as written.
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				if !(f >= 0 && f <= jwtvalue.MaxUnix) {
					return time.Time{}, malformed("%s: Unix seconds out of range: %s", key, quote(v))
				}
				sec, frac := math.Modf(f)
				return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
			}
		}
		t, err := time.Parse(javaDate, v)
		if err != nil {
			return time.Time{}, malformed("%s: want Unix seconds or a date such as %q, got %s", key, "Sun Nov 22 10:00:00 UTC 2026", quote(v))
		}
		// Go gives an unknown zone abbreviation a zero offset; only UTC (what API Gateway
		// writes) and GMT really are.
		if name, _ := t.Zone(); name != "UTC" && name != "GMT" {
			return time.Time{}, malformed("%s: want a UTC date, got %s", key, quote(v))
		}
		return t.UTC(), nil
	default:
		return time.Time{}, malformed("%s: want a string or a number, got %s", key, typeName(v))
	}
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
}

// quote shows a claim value in an error, cut short: errors end up in logs.
func quote(s string) string {
	const max = 40
	if len(s) > max {
		return strconv.Quote(s[:max]) + "..."
	}
	return strconv.Quote(s)
}

// typeName names a decoded JSON value's type without echoing the value.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
