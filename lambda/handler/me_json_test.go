package handler

import (
	"encoding/json"
	"testing"
	"time"
)

// TestMeJSON: the hand-written encoding of GET /me is byte for byte json.Marshal's, and falls
// back to json.Marshal whenever it cannot be.
func TestMeJSON(t *testing.T) {
	auth := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	base := Me{
		Sub: "5c8f1e2a-7b3d-4e6f-9a1b-2c3d4e5f6a7b", Username: "alice", Email: "alice@example.com",
		EmailVerified: true, Groups: []string{"admin", "users"}, TokenUse: "id", Scopes: []string{},
		ClientID: "4n7d2kq8v1l5h9s3c6b0x2m7pa", AuthTime: auth, ExpiresAt: auth.Add(time.Hour),
	}
	edit := func(f func(*Me)) Me { m := base; f(&m); return m }
	tests := []struct {
		name     string
		me       Me
		fallback bool
	}{
		{"id token", base, false},
		{"access token", edit(func(m *Me) {
			m.TokenUse, m.Email, m.EmailVerified, m.Scopes = "access", "", false, []string{"openid", "demo-api/read"}
		}), false},
		{"no times", edit(func(m *Me) { m.AuthTime, m.ExpiresAt = time.Time{}, time.Time{} }), false},
		{"sub-second and zoned times", edit(func(m *Me) {
			m.AuthTime = time.Date(2026, 1, 2, 3, 4, 5, 600, time.FixedZone("x", 5*3600+1800))
		}), false},
		{"empty strings and lists", edit(func(m *Me) { m.Sub, m.Username, m.Groups = "", "", []string{} }), false},
		{"printable ASCII", edit(func(m *Me) { m.Username = " !#$%'()*+,-./09:;=?@AZ[]^_`az{|}~" }), false},
		{"quote", edit(func(m *Me) { m.Username = `a"b` }), true},
		{"backslash", edit(func(m *Me) { m.Email = `a\b@example.com` }), true},
		{"HTML characters", edit(func(m *Me) { m.Groups = []string{"<admin>", "a&b"} }), true},
		{"control character", edit(func(m *Me) { m.Username = "a\nb" }), true},
		{"DEL", edit(func(m *Me) { m.Username = "a\x7fb" }), true},
		{"non-ASCII", edit(func(m *Me) { m.Username = "zoë" }), true},
		{"line separator", edit(func(m *Me) { m.Username = "a\u2028b" }), true},
		{"invalid UTF-8", edit(func(m *Me) { m.Scopes = []string{"a\xffb"} }), true},
		{"nil lists", edit(func(m *Me) { m.Groups, m.Scopes = nil, nil }), true},
		{"year 10000", edit(func(m *Me) { m.ExpiresAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), true},
		{"negative year", edit(func(m *Me) { m.AuthTime = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC) }), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.me.appendJSON(nil)
			if ok == tc.fallback {
				t.Fatalf("appendJSON ok = %v, want %v", ok, !tc.fallback)
			}
			if !ok {
				return
			}
			want, err := json.Marshal(tc.me)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("appendJSON:\n got %s\nwant %s", got, want)
			}
		})
	}
}

func FuzzMeJSON(f *testing.F) {
	f.Add("5c8f1e2a", "alice", "alice@example.com", true, "admin,users", "id", "", "client", int64(1795338000), int64(0))
	f.Add("a\"b", "zoë", "<x>", false, "", "access", "openid demo-api/read", "", int64(-62135596800), int64(253402300800))
	f.Fuzz(func(t *testing.T, sub, username, email string, verified bool, group, use, scope, client string, auth, exp int64) {
		m := Me{Sub: sub, Username: username, Email: email, EmailVerified: verified, Groups: []string{group},
			TokenUse: use, Scopes: []string{scope, client}, ClientID: client,
			AuthTime: time.Unix(auth, 0).UTC(), ExpiresAt: time.Unix(exp, 0)}
		got, ok := m.appendJSON(nil)
		want, err := json.Marshal(m)
		if !ok {
			return // the handler uses json.Marshal
		}
		if err != nil {
			t.Fatalf("appendJSON accepted what json.Marshal refuses: %v", err)
		}
		if string(got) != string(want) {
			t.Fatalf("appendJSON:\n got %s\nwant %s", got, want)
		}
	})
}
