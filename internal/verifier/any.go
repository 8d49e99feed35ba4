package verifier

import (
	"context"
	"fmt"
)

// VerifyAny verifies a token of either use, for callers such as a Lambda token authorizer that
// learn which routes a token may call only from the token itself. It reads token_use from the
// still unverified payload, then verifies the token for that use, which checks the claim again
// once the signature is known to be good; Claims.TokenUse says which use it was.
func (v *Verifier) VerifyAny(ctx context.Context, token string) (*Claims, error) {
	return v.verifyToken(ctx, token, "")
}

// tokenUseOf reads token_use from a payload decoded by decodePayload.
func tokenUseOf(claims map[string]any) (TokenUse, error) {
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
