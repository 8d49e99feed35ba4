package config

import (
	"slices"
	"testing"
)

func TestAppClientScopes(t *testing.T) {
	readWrite := ResourceServer{Identifier: "demo-api", Scopes: []Scope{{Name: "read"}, {Name: "write"}}}
	for _, tc := range []struct {
		name        string
		stage       Stage
		want, group []string
	}{
		{"no resource server", Stage{}, []string{"openid", "email", "profile"}, nil},
		{"two scopes", Stage{ResourceServer: readWrite},
			[]string{"openid", "email", "profile", "demo-api/read", "demo-api/write"}, nil},
		// A non-member asking /oauth2/authorize for a group's scope must not get it: the
		// client does not allow it, only the trigger adds it.
		{"a group's scope", Stage{ResourceServer: readWrite, GroupScopes: map[string][]string{"admin": {"demo-api/write"}}},
			[]string{"openid", "email", "profile", "demo-api/read"}, []string{"demo-api/write"}},
		{"two groups, one scope each", Stage{ResourceServer: readWrite, GroupScopes: map[string][]string{"admin": {"demo-api/write"}, "ops": {"demo-api/write", "demo-api/read"}}},
			[]string{"openid", "email", "profile"}, []string{"demo-api/read", "demo-api/write"}},
	} {
		if got := tc.stage.AppClientScopes(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: AppClientScopes %v; want %v", tc.name, got, tc.want)
		}
		if got := tc.stage.GroupOnlyScopes(); !slices.Equal(got, tc.group) {
			t.Errorf("%s: GroupOnlyScopes %v; want %v", tc.name, got, tc.group)
		}
	}
}
