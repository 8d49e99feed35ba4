package verifier

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// VerifyAny verifies a token of either use, for callers such as a Lambda token authorizer that
// learn which routes a token may call only from the token itself. It reads token_use from the
// still unverified payload and then runs Verify for that use, which checks the claim again
// once the signature is known to be good; Claims.TokenUse says which use it was.
func (v *Verifier) VerifyAny(ctx context.Context, token string) (*Claims, error) {
	if len(token) > v.maxSize {
		return nil, ErrTokenTooLarge
	}
	if err := checkShape(token); err != nil {
		return nil, err
	}
	use, err := peekTokenUse(token)
	if err != nil {
		return nil, err
	}
	return v.Verify(ctx, token, use)
}

// peekTokenUse reads token_use from a token that has passed checkShape. Only that one claim is
// decoded, and exactly by that name: encoding/json would match struct fields case-insensitively.
func peekTokenUse(token string) (TokenUse, error) {
	payload := token[strings.IndexByte(token, '.')+1 : strings.LastIndexByte(token, '.')]
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return "", fmt.Errorf("%w: cannot decode", ErrMalformed)
	}
	var claims map[string]json.RawMessage
	if err := json.Unmarshal(b, &claims); err != nil {
		return "", fmt.Errorf("%w: cannot decode", ErrMalformed)
	}
	var use string
	if raw, ok := claims["token_use"]; !ok || json.Unmarshal(raw, &use) != nil {
		return "", fmt.Errorf("%w: token_use missing or not a string", ErrTokenUse)
	}
	switch TokenUse(use) {
	case TokenUseID, TokenUseAccess:
		return TokenUse(use), nil
	}
	return "", fmt.Errorf("%w: want id or access token", ErrTokenUse)
}
