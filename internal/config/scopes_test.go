package config

import (
	"slices"
	"testing"
)

func TestAppClientScopes(t *testing.T) {
	for _, tc := range []struct {
		name string
		rs   ResourceServer
		want []string
	}{
		{"no resource server", ResourceServer{}, []string{"openid", "email", "profile"}},
		{"two scopes", ResourceServer{Identifier: "demo-api", Scopes: []Scope{{Name: "read"}, {Name: "write"}}},
			[]string{"openid", "email", "profile", "demo-api/read", "demo-api/write"}},
	} {
		if got := (Stage{ResourceServer: tc.rs}).AppClientScopes(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v; want %v", tc.name, got, tc.want)
		}
	}
}
