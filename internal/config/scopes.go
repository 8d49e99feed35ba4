package config

import "slices"

// AppClientScopes are the OAuth scopes the stage's app client allows, as the auth stack
// registers them: the OpenID ones, then the resource server's that no group is granted.
// Clients that sign in (authctl login, the web app) ask for these so that the access token can
// call the scoped routes.
//
// A scope in groupScopes is left out: anyone who may sign up could ask /oauth2/authorize for a
// scope the client allows, so a group's scope would be everyone's. The pre token generation
// trigger adds it to the access tokens of the group's members instead (Cognito's "Pre token
// generation Lambda trigger" page sets no limit on the scopes scopesToAdd may name).
func (s Stage) AppClientScopes() []string {
	out := []string{"openid", "email", "profile"}
	groupOnly := s.GroupOnlyScopes()
	for _, sc := range s.ResourceServer.FullNames() {
		if !slices.Contains(groupOnly, sc) {
			out = append(out, sc)
		}
	}
	return out
}

// GroupOnlyScopes are the scopes groupScopes grants, in resource-server order: only members of
// those groups (and machine clients that hold them) get them.
func (s Stage) GroupOnlyScopes() []string {
	var out []string
	for _, sc := range s.ResourceServer.FullNames() {
		for _, granted := range s.GroupScopes {
			if slices.Contains(granted, sc) && !slices.Contains(out, sc) {
				out = append(out, sc)
			}
		}
	}
	return out
}
