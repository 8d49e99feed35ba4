package fnenv

import "encoding/json"

// PreToken is what the auth stack hands the pre token generation trigger (lambda/pretoken) of
// a stage with groupScopes or extraClaims: what it adds to the tokens of a user sign-in. Its
// environment variable holds it as JSON.
type PreToken struct {
	// GroupScopes: the members of a group get these custom scopes in their access token.
	GroupScopes map[string][]string `json:"groupScopes,omitempty"`
	// ExtraClaims are added to every ID token, such as a fixed tenant.
	ExtraClaims map[string]string `json:"extraClaims,omitempty"`
	// Scopes are every scope the resource server defines: the trigger adds no other.
	Scopes []string `json:"scopes"`
}

// Env is the trigger's environment.
func (t PreToken) Env() map[string]string {
	b, _ := json.Marshal(t) // maps and lists of strings: Marshal cannot fail
	return map[string]string{EnvPreTokenSettings: string(b)}
}

// ReadPreToken reads what Env wrote through getenv (os.Getenv in the function). It reports
// every problem at once, one line each.
func ReadPreToken(getenv func(string) string) (PreToken, error) {
	var p problems
	var t PreToken
	if !readJSON(getenv, EnvPreTokenSettings, `the settings as JSON, {"groupScopes":{...},"extraClaims":{...},"scopes":[...]}`, &t, &p) {
		return PreToken{}, p.err()
	}
	return t, nil
}
