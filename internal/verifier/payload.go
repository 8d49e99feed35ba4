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
	var claims map[string]any
	if err := dec.Decode(&claims); err != nil || claims == nil {
		return nil, fmt.Errorf("%w: payload is not a JSON object", ErrMalformed)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the payload object", ErrMalformed)
	}
	// encoding/json keeps the last of two members of a name; counting the members tells.
	if topLevelMembers(b) != len(claims) {
		return nil, fmt.Errorf("%w: a claim appears twice", ErrMalformed)
	}
	return claims, nil
}

// topLevelMembers counts the members of the JSON object b, which json.Decoder has accepted as
// one valid object (so the walk need not check the syntax): each member has exactly one ':'
// outside strings at depth 1.
func topLevelMembers(b []byte) int {
	n, depth := 0, 0
	inString, escaped := false, false
	for _, c := range b {
		switch {
		case escaped:
			escaped = false
		case inString:
			switch c {
			case '\\':
				escaped = true
			case '"':
				inString = false
			}
		default:
			switch c {
			case '"':
				inString = true
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			case ':':
				if depth == 1 {
					n++
				}
			}
		}
	}
	return n
}
