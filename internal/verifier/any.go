package verifier

import (
	"context"
	"fmt"
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

// peekTokenUse reads token_use from a token that has passed checkShape, with the same decoding
// Verify uses.
func peekTokenUse(token string) (TokenUse, error) {
	claims, err := decodePayload(token)
	if err != nil {
		return "", err
	}
	use, ok := claims["token_use"].(string)
	if !ok {
		return "", fmt.Errorf("%w: token_use missing or not a string", ErrTokenUse)
	}
	switch TokenUse(use) {
	case TokenUseID, TokenUseAccess:
		return TokenUse(use), nil
	}
	return "", fmt.Errorf("%w: want id or access token", ErrTokenUse)
}
