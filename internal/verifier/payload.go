package verifier

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// decodePayload is the one decoding of a token's payload, for Verify and VerifyAny alike: a
// single JSON object, numbers as json.Number, each top-level claim once, and nothing after it.
// A decoder that stops after the first value would accept `{...}{"token_use":"access"}`, and
// one that keeps the last of two claims of a name would read a token differently from one that
// keeps the first; Cognito writes neither, so both are refused. token has passed checkShape.
func decodePayload(token string) (map[string]any, error) {
	payload := token[strings.IndexByte(token, '.')+1 : strings.LastIndexByte(token, '.')]
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot decode", ErrMalformed)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("%w: payload is not a JSON object", ErrMalformed)
	}
	claims := map[string]any{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%w: cannot decode", ErrMalformed)
		}
		name := t.(string) // a key, since the decoder checks the syntax
		if _, dup := claims[name]; dup {
			return nil, fmt.Errorf("%w: claim %q appears twice", ErrMalformed, clip(name))
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%w: cannot decode", ErrMalformed)
		}
		claims[name] = v
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, fmt.Errorf("%w: cannot decode", ErrMalformed)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the payload object", ErrMalformed)
	}
	return claims, nil
}

// clip shortens a claim name for an error message: errors are logged, and names come from the
// (possibly unsigned) token.
func clip(s string) string {
	if len(s) > 32 {
		return s[:32] + "..."
	}
	return s
}
