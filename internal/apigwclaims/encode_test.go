package apigwclaims_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"testing"
	"time"

	"github.com/cognito-apigw/cognito-apigw/internal/apigwclaims"
)

// rawClaims decodes a token payload as the verifier does: numbers as json.Number.
func rawClaims(t *testing.T, payload string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(payload)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

const idPayload = `{
	"sub": "` + alice + `", "cognito:groups": ["admins", "readers"], "email_verified": true,
	"iss": "` + issuer + `", "cognito:username": "alice", "aud": "` + client + `",
	"token_use": "id", "auth_time": 1795341540, "exp": 1795345200, "iat": 1795341540,
	"email": "alice@example.com", "custom:tier": "gold",
	"identities": [{"providerName": "Google", "userId": "1234", "primary": "true"}]
}`

func TestEncode(t *testing.T) {
	got := apigwclaims.Encode(rawClaims(t, idPayload))
	want := map[string]string{
		"sub":              alice,
		"cognito:groups":   "admins,readers",
		"email_verified":   "true",
		"iss":              issuer,
		"cognito:username": "alice",
		"aud":              client,
		"token_use":        "id",
		"auth_time":        "1795341540",
		"exp":              "Sun Nov 22 11:00:00 UTC 2026",
		"iat":              "Sun Nov 22 09:59:00 UTC 2026",
		"email":            "alice@example.com",
		"custom:tier":      "gold",
		"identities":       `[{"primary":"true","providerName":"Google","userId":"1234"}]`,
	}
	if !maps.Equal(got, want) {
		t.Errorf("ID token claims\n got %v\nwant %v", got, want)
	}

	// Single-digit days are zero-padded, as in Java's Date.toString(); one group is a plain string.
	got = apigwclaims.Encode(rawClaims(t, `{"exp": 1796454426, "iat": 1796450766.5, "cognito:groups": ["solo"], "version": 2}`))
	for name, v := range map[string]string{
		"exp": "Sat Dec 05 07:07:06 UTC 2026", "iat": "Sat Dec 05 06:06:06 UTC 2026",
		"cognito:groups": "solo", "version": "2",
	} {
		if got[name] != v {
			t.Errorf("%s = %q, want %q", name, got[name], v)
		}
	}
}

// TestRoundTrip: what Encode writes, ClaimsFromRequest reads back as the token said it.
func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		want    apigwclaims.Claims
	}{
		{"id token", idPayload, apigwclaims.Claims{
			Subject: alice, TokenUse: "id", ClientID: client, Username: "alice",
			Email: "alice@example.com", EmailVerified: true, Groups: []string{"admins", "readers"},
			Issuer: issuer, AuthTime: time.Unix(1795341540, 0).UTC(), IssuedAt: time.Unix(1795341540, 0).UTC(),
			ExpiresAt: time.Unix(1795345200, 0).UTC(),
		}},
		// The verifier takes fractional NumericDates; Encode passes auth_time on as written.
		{"fractional dates", `{"sub": "` + bob + `", "token_use": "access", "client_id": "` + client + `",
			"auth_time": 1795341600.5, "exp": 1795345200.25, "iss": "` + issuer + `"}`, apigwclaims.Claims{
			Subject: bob, TokenUse: "access", ClientID: client, Issuer: issuer, Scopes: []string{},
			AuthTime: time.Unix(1795341600, 5e8).UTC(), ExpiresAt: time.Unix(1795345200, 0).UTC(),
		}},
		{"access token", `{"sub": "` + bob + `", "token_use": "access", "client_id": "` + client + `",
			"username": "bob", "scope": "openid demo-api/read", "exp": 1795345200, "iat": 1795341600,
			"iss": "` + issuer + `"}`, apigwclaims.Claims{
			Subject: bob, TokenUse: "access", ClientID: client, Username: "bob",
			Scopes: []string{"openid", "demo-api/read"}, Issuer: issuer,
			IssuedAt: time.Unix(1795341600, 0).UTC(), ExpiresAt: time.Unix(1795345200, 0).UTC(),
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			encoded := map[string]any{}
			for k, v := range apigwclaims.Encode(rawClaims(t, tc.payload)) {
				encoded[k] = v
			}
			got, err := apigwclaims.FromAuthorizer(map[string]any{"claims": encoded})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("round trip\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}
