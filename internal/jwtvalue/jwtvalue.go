// Package jwtvalue reads the JSON value types of JWT claims as the project accepts them, the
// same way in the verifier (a token's payload) and in apigwclaims.Encode (which writes them
// into API Gateway's claims map; reading that map back is apigwclaims' own job).
package jwtvalue

import (
	"encoding/json"
	"math"
	"time"
)

// MaxUnix is 9999-12-31T23:59:59Z: a later "time" is not a plausible date.
const MaxUnix = 253402300799

// NumericDate reads a JWT NumericDate (RFC 7519: seconds since the epoch, whole or with a
// fraction), from 1970 up to year 9999.
func NumericDate(n json.Number) (time.Time, bool) {
	if i, err := n.Int64(); err == nil {
		return time.Unix(i, 0), i >= 0 && i <= MaxUnix
	}
	f, err := n.Float64()
	if err != nil || !(f >= 0 && f <= MaxUnix) { // also refuses NaN
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true
}

// StringList reads a JSON array of strings, such as cognito:groups.
func StringList(v any) ([]string, bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, len(list))
	for i, e := range list {
		if out[i], ok = e.(string); !ok {
			return nil, false
		}
	}
	return out, true
}
