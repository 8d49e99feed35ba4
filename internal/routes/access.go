package routes

import "slices"

// Token uses, as Cognito writes them in the token_use claim.
const (
	TokenUseID     = "id"
	TokenUseAccess = "access"
)

// TokenUse is the token_use claim the route's token must carry ("" for public routes).
func (a Access) TokenUse() string {
	switch a {
	case Protected:
		return TokenUseID
	case Scoped:
		return TokenUseAccess
	}
	return ""
}

// WebClient is the name of the stage's own app client, the one people sign in with.
const WebClient = "web"

// Caller is what the access rule needs to know of a verified token.
type Caller struct {
	TokenUse string // "" when the request carries no token
	// Client names the app client the token was issued to: WebClient or a machine client.
	Client string
	Scopes []string
	Groups []string
}

// Verdict is the outcome of the access rule: Allowed, or the error code the API answers with
// (docs/configuration.md lists them).
type Verdict string

const (
	Allowed Verdict = ""
	// DeniedUnauthenticated: a non-public route called without a token (401).
	DeniedUnauthenticated Verdict = "unauthenticated"
	// DeniedWrongTokenUse: an ID token where an access token is needed, or the reverse (401).
	DeniedWrongTokenUse Verdict = "wrong_token_use"
	// DeniedClient: a token of an app client the route does not take, such as a machine
	// client's on a route for signed-in users (403).
	DeniedClient Verdict = "client_not_allowed_here"
	// DeniedInsufficientScope: an access token without one of the route's scopes (403).
	DeniedInsufficientScope Verdict = "insufficient_scope"
	// DeniedNotInGroup: a caller in none of the route's groups (403).
	DeniedNotInGroup Verdict = "not_in_group"
)

// Decide is the one rule of who may call a route: the proxy handler, the Lambda token
// authorizer's policy and the local gateway all ask it. The checks run in the order API Gateway
// applies them (token use, then scopes), then the route's app clients and groups, which API
// Gateway leaves to the backend. Whether the token's client is one of the stage's at all is
// checked where the token is verified.
func (r Route) Decide(c Caller) Verdict {
	if r.Access == Public {
		return Allowed
	}
	if c.TokenUse == "" {
		return DeniedUnauthenticated
	}
	if c.TokenUse != r.Access.TokenUse() {
		return DeniedWrongTokenUse
	}
	if r.Access == Scoped && !anyOf(r.Scopes, c.Scopes) {
		return DeniedInsufficientScope
	}
	if !slices.Contains(r.AllowedClients(), c.Client) {
		return DeniedClient
	}
	if len(r.Groups) > 0 && !anyOf(r.Groups, c.Groups) {
		return DeniedNotInGroup
	}
	return Allowed
}

func anyOf(want, have []string) bool {
	return slices.ContainsFunc(want, func(s string) bool { return slices.Contains(have, s) })
}
