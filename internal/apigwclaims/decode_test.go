package apigwclaims_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/apigwclaims"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

const (
	alice  = testkit.Subject
	bob    = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
	client = testkit.ClientID
	issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab12Cd34E"
)

var (
	authTime = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	expires  = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
)

func aliceID(groups ...string) apigwclaims.Claims {
	return apigwclaims.Claims{
		Subject: alice, TokenUse: "id", ClientID: client, Username: alice,
		Email: "alice@example.com", EmailVerified: true, Groups: groups, Issuer: issuer,
		AuthTime: authTime, IssuedAt: authTime, ExpiresAt: expires,
	}
}

func TestClaimsFromRequestFixtures(t *testing.T) {
	aliceAccess := apigwclaims.Claims{
		Subject: alice, TokenUse: "access", ClientID: client, Username: alice,
		Groups: []string{"admin", "users"}, Scopes: []string{"demo-api/read", "demo-api/write"},
		Issuer: issuer, AuthTime: authTime, IssuedAt: authTime, ExpiresAt: expires,
	}
	bobRead := apigwclaims.Claims{
		Subject: bob, TokenUse: "access", ClientID: client, Username: bob,
		Scopes: []string{"demo-api/read"}, Issuer: issuer,
		AuthTime: authTime, IssuedAt: authTime, ExpiresAt: expires,
	}
	tokenAuthorizer := aliceID("admin", "users")
	tokenAuthorizer.Issuer = "" // that authorizer passes on only what it chooses to

	tests := []struct {
		fixture string
		want    apigwclaims.Claims
		wantErr error
	}{
		{fixture: "health-public", wantErr: apigwclaims.ErrNoClaims},
		{fixture: "me-missing-claims", wantErr: apigwclaims.ErrNoClaims},
		{fixture: "me-malformed-claims", wantErr: apigwclaims.ErrMalformed},
		{fixture: "me-id-token", want: aliceID("admin", "users")},
		{fixture: "me-id-token-bracket-groups", want: aliceID("admin", "users")},
		{fixture: "admin-bracket-groups", want: aliceID("users", "admin")},
		{fixture: "me-token-authorizer", want: tokenAuthorizer},
		{fixture: "items-get-access-token", want: aliceAccess},
		{fixture: "items-post-read-scope", want: bobRead},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			got, err := apigwclaims.ClaimsFromRequest(testkit.ProxyEvent(t, tt.fixture).RequestContext)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("claims:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// base is the smallest set of claims that parses.
func base(extra map[string]any) map[string]any {
	m := map[string]any{"sub": alice, "token_use": "id", "aud": client}
	for k, v := range extra {
		if v == nil {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	return m
}

func TestFromAuthorizerErrors(t *testing.T) {
	tests := []struct {
		name       string
		authorizer map[string]any
		wantErr    error
		wantInErr  string
	}{
		{"nil map", nil, apigwclaims.ErrNoClaims, ""},
		{"empty map", map[string]any{}, apigwclaims.ErrNoClaims, ""},
		{"lambda authorizer without claims", map[string]any{"principalId": "user", "integrationLatency": 12.0}, apigwclaims.ErrNoClaims, ""},
		{"empty claims", map[string]any{"claims": map[string]any{}}, apigwclaims.ErrNoClaims, ""},
		{"claims is a string", map[string]any{"claims": `{"sub":"x"}`}, apigwclaims.ErrMalformed, "claims: want an object"},
		{"claims is null", map[string]any{"claims": nil}, apigwclaims.ErrMalformed, "claims: want an object"},
		{"missing sub", map[string]any{"claims": base(map[string]any{"sub": nil})}, apigwclaims.ErrMalformed, "sub: missing"},
		{"empty sub", map[string]any{"claims": base(map[string]any{"sub": ""})}, apigwclaims.ErrMalformed, "sub: missing"},
		{"sub is a number", map[string]any{"claims": base(map[string]any{"sub": 42.0})}, apigwclaims.ErrMalformed, "sub: want a string"},
		{"missing token_use", map[string]any{"claims": base(map[string]any{"token_use": nil})}, apigwclaims.ErrMalformed, "token_use"},
		{"refresh token_use", map[string]any{"claims": base(map[string]any{"token_use": "refresh"})}, apigwclaims.ErrMalformed, `got "refresh"`},
		{"aud is a list", map[string]any{"claims": base(map[string]any{"aud": []any{client}})}, apigwclaims.ErrMalformed, "aud: want a string"},
		{"scope is a number", map[string]any{"claims": base(map[string]any{"token_use": "access", "client_id": client, "scope": 1.0})}, apigwclaims.ErrMalformed, "scope"},
		{"email_verified yes", map[string]any{"claims": base(map[string]any{"email_verified": "yes"})}, apigwclaims.ErrMalformed, "email_verified"},
		{"email_verified number", map[string]any{"claims": base(map[string]any{"email_verified": 1.0})}, apigwclaims.ErrMalformed, "email_verified"},
		{"groups is a number", map[string]any{"claims": base(map[string]any{"cognito:groups": 7.0})}, apigwclaims.ErrMalformed, "cognito:groups"},
		{"groups list of numbers", map[string]any{"claims": base(map[string]any{"cognito:groups": []any{"admin", 7.0}})}, apigwclaims.ErrMalformed, "cognito:groups[1]"},
		{"group name with a space", map[string]any{"claims": base(map[string]any{"cognito:groups": []any{"admin users"}})}, apigwclaims.ErrMalformed, "cognito:groups[0]"},
		{"exp garbage", map[string]any{"claims": base(map[string]any{"exp": "soon"})}, apigwclaims.ErrMalformed, "exp: want Unix seconds"},
		{"exp not UTC", map[string]any{"claims": base(map[string]any{"exp": "Sun Nov 22 10:00:00 PST 2026"})}, apigwclaims.ErrMalformed, "exp: want a UTC date"},
		{"exp negative", map[string]any{"claims": base(map[string]any{"exp": "-1"})}, apigwclaims.ErrMalformed, "out of range"},
		{"exp too far", map[string]any{"claims": base(map[string]any{"exp": "99999999999999"})}, apigwclaims.ErrMalformed, "out of range"},
		{"iat fraction", map[string]any{"claims": base(map[string]any{"iat": 1.5})}, apigwclaims.ErrMalformed, "iat: want whole Unix seconds"},
		{"auth_time bool", map[string]any{"claims": base(map[string]any{"auth_time": true})}, apigwclaims.ErrMalformed, "auth_time"},
		{"long garbage is cut short", map[string]any{"claims": base(map[string]any{"token_use": strings.Repeat("x", 500)})}, apigwclaims.ErrMalformed, `"...`},
		// Dates: the first value refused past each edge that TestDateShapes accepts.
		{"exp a second before Unix 0", map[string]any{"claims": base(map[string]any{"exp": -1.0})}, apigwclaims.ErrMalformed, "exp: want whole Unix seconds"},
		{"exp a second into year 10000", map[string]any{"claims": base(map[string]any{"exp": 253402300800.0})}, apigwclaims.ErrMalformed, "exp: want whole Unix seconds"},
		{"exp string a second into year 10000", map[string]any{"claims": base(map[string]any{"exp": "253402300800"})}, apigwclaims.ErrMalformed, "out of range"},
		{"exp string a millisecond before Unix 0", map[string]any{"claims": base(map[string]any{"exp": "-0.001"})}, apigwclaims.ErrMalformed, "out of range"},
		{"exp string half a second into year 10000", map[string]any{"claims": base(map[string]any{"exp": "253402300799.5"})}, apigwclaims.ErrMalformed, "out of range"},
		{"exp string starting with '/'", map[string]any{"claims": base(map[string]any{"exp": "/1795341600"})}, apigwclaims.ErrMalformed, "exp: want Unix seconds"},
		{"exp string starting with ':'", map[string]any{"claims": base(map[string]any{"exp": ":1795341600"})}, apigwclaims.ErrMalformed, "exp: want Unix seconds"},
		{"exp string starting with '.'", map[string]any{"claims": base(map[string]any{"exp": ".5"})}, apigwclaims.ErrMalformed, "exp: want Unix seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := apigwclaims.FromAuthorizer(tt.authorizer)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantInErr) {
				t.Errorf("err = %q, want it to mention %q", err, tt.wantInErr)
			}
			if len(err.Error()) > 200 {
				t.Errorf("err is %d bytes long; claim values must be cut short", len(err.Error()))
			}
			if !reflect.DeepEqual(got, apigwclaims.Claims{}) {
				t.Errorf("claims = %+v, want zero on error", got)
			}
		})
	}
}

// TestLongValuesCutShort: an error shows a claim value of up to 40 bytes whole, and cuts a
// longer one to its first 40.
func TestLongValuesCutShort(t *testing.T) {
	x40 := strings.Repeat("x", 40)
	for _, tc := range []struct{ value, wantEnd string }{
		{x40[:39], `got "` + x40[:39] + `"`},
		{x40, `got "` + x40 + `"`},
		{x40 + "y", `got "` + x40 + `"...`},
	} {
		_, err := apigwclaims.FromAuthorizer(map[string]any{"claims": base(map[string]any{"token_use": tc.value})})
		if !errors.Is(err, apigwclaims.ErrMalformed) || !strings.HasSuffix(err.Error(), tc.wantEnd) {
			t.Errorf("token_use of %d bytes: %v, want it to end in %s", len(tc.value), err, tc.wantEnd)
		}
	}
}

func TestGroupShapes(t *testing.T) {
	tests := []struct {
		in   any
		want []string
	}{
		{nil, nil},
		{"", []string{}},
		{"admin", []string{"admin"}},
		{"admin,users", []string{"admin", "users"}},
		{" admin , users ", []string{"admin", "users"}},
		{"[admin users]", []string{"admin", "users"}},
		{"[admin]", []string{"admin"}},
		{"[]", []string{}},
		{"[admin, users]", []string{"admin", "users"}},
		{"us-east-1_Ab12Cd34E_Google,admin", []string{"us-east-1_Ab12Cd34E_Google", "admin"}},
		{[]any{"admin", "users"}, []string{"admin", "users"}},
		{[]any{}, []string{}},
	}
	for _, tt := range tests {
		c, err := apigwclaims.FromAuthorizer(map[string]any{"claims": base(map[string]any{"cognito:groups": tt.in})})
		if err != nil {
			t.Errorf("%#v: %v", tt.in, err)
			continue
		}
		if len(c.Groups) != len(tt.want) || (len(tt.want) > 0 && !reflect.DeepEqual(c.Groups, tt.want)) {
			t.Errorf("%#v: groups = %q, want %q", tt.in, c.Groups, tt.want)
		}
	}
}

func TestDateShapes(t *testing.T) {
	want := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	maxDate := time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	tests := []struct {
		in   any
		want time.Time
	}{
		{"Sun Nov 22 10:00:00 UTC 2026", want},
		{"Sun Nov 22 10:00:00 GMT 2026", want},
		{"1795341600", want},
		{1795341600.0, want},
		{"Mon Nov  2 10:00:00 UTC 2026", time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)},
		{"+1795341600", want}, // strconv's sign
		{"1795341600.5", want.Add(500 * time.Millisecond)},
		// The edges: Unix 0 and the last second of year 9999, in every shape.
		{"0", time.Unix(0, 0)},
		{0.0, time.Unix(0, 0)},
		{"0.0", time.Unix(0, 0)},
		{"-0", time.Unix(0, 0)},
		{"9", time.Unix(9, 0)},
		{"253402300799", maxDate},
		{253402300799.0, maxDate},
		{"253402300799.0", maxDate},
		{"", time.Time{}},
		{nil, time.Time{}},
	}
	for _, tt := range tests {
		c, err := apigwclaims.FromAuthorizer(map[string]any{"claims": base(map[string]any{"exp": tt.in})})
		if err != nil {
			t.Errorf("%#v: %v", tt.in, err)
			continue
		}
		if !c.ExpiresAt.Equal(tt.want) || c.ExpiresAt.Location() != time.UTC {
			t.Errorf("%#v: exp = %v, want %v in UTC", tt.in, c.ExpiresAt, tt.want)
		}
	}
}

func TestEmailVerified(t *testing.T) {
	for in, want := range map[any]bool{"true": true, "false": false, true: true, false: false, "": false} {
		c, err := apigwclaims.FromAuthorizer(map[string]any{"claims": base(map[string]any{"email_verified": in})})
		if err != nil || c.EmailVerified != want {
			t.Errorf("%#v: email_verified = %v, %v; want %v", in, c.EmailVerified, err, want)
		}
	}
}

func TestAccessTokenFields(t *testing.T) {
	c, err := apigwclaims.FromAuthorizer(map[string]any{"claims": map[string]any{
		"sub": bob, "token_use": "access", "client_id": client, "username": "bob",
		"aud": "ignored-in-access-tokens", "cognito:username": "ignored-too",
		"scope": "  demo-api/read\tdemo-api/write  openid ",
	}})
	if err != nil {
		t.Fatal(err)
	}
	if c.ClientID != client || c.Username != "bob" {
		t.Errorf("client id %q, username %q: want client_id and username from the access token", c.ClientID, c.Username)
	}
	if want := []string{"demo-api/read", "demo-api/write", "openid"}; !reflect.DeepEqual(c.Scopes, want) {
		t.Errorf("scopes = %q, want %q", c.Scopes, want)
	}

	// An ID token has no scopes, whatever it carries in a scope claim.
	c, err = apigwclaims.FromAuthorizer(map[string]any{"claims": base(map[string]any{"scope": "demo-api/read", "client_id": "other"})})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Scopes) != 0 || c.ClientID != client {
		t.Errorf("ID token: scopes %q, client id %q; want none and aud", c.Scopes, c.ClientID)
	}
}

// FuzzClaimsFromRequest feeds whole events, seeded from the fixtures, through the parser: it must
// never panic, and whatever it accepts must be usable.
func FuzzClaimsFromRequest(f *testing.F) {
	for _, name := range testkit.ProxyEventFiles(f) {
		f.Add(testkit.ReadFile(f, name))
	}
	f.Add([]byte(`{"requestContext":{"authorizer":{"claims":{"sub":"s","token_use":"access","scope":"a b","cognito:groups":"[x y]","exp":"1"}}}}`))
	f.Add([]byte(`{"requestContext":{"authorizer":{"sub":"s","token_use":"id","cognito:groups":["x",1],"exp":1e300}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var ev events.APIGatewayProxyRequest
		if json.Unmarshal(data, &ev) != nil {
			return
		}
		c, err := apigwclaims.ClaimsFromRequest(ev.RequestContext)
		if err != nil {
			if !errors.Is(err, apigwclaims.ErrNoClaims) && !errors.Is(err, apigwclaims.ErrMalformed) {
				t.Fatalf("error %v wraps neither ErrNoClaims nor ErrMalformed", err)
			}
			return
		}
		if c.Subject == "" || (c.TokenUse != apigwclaims.TokenUseID && c.TokenUse != apigwclaims.TokenUseAccess) {
			t.Fatalf("accepted claims without sub or a known token_use: %+v", c)
		}
		for _, g := range c.Groups {
			if g == "" || strings.ContainsFunc(g, unicode.IsSpace) {
				t.Fatalf("bad group %q in %q", g, c.Groups)
			}
		}
		for _, s := range c.Scopes {
			if s == "" || strings.ContainsFunc(s, unicode.IsSpace) {
				t.Fatalf("bad scope %q in %q", s, c.Scopes)
			}
		}
		for _, tm := range []time.Time{c.AuthTime, c.IssuedAt, c.ExpiresAt} {
			if tm.Year() > 9999 || (!tm.IsZero() && tm.Location() != time.UTC) {
				t.Fatalf("bad time %v", tm)
			}
		}
	})
}
