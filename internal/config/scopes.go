package config

// AppClientScopes are the OAuth scopes the stage's app client allows, as the auth stack
// registers them: the OpenID ones, then the resource server's. Clients that sign in (authctl
// login, the web app) ask for these so that the access token can call the scoped routes.
func (s Stage) AppClientScopes() []string {
	return append([]string{"openid", "email", "profile"}, s.ResourceServer.FullNames()...)
}
