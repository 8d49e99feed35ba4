// Package pretoken holds the settings of the pre token generation trigger, written by the auth
// stack into the function's environment and read by lambda/pretoken. It has no CDK imports.
package pretoken

import (
	"encoding/json"
	"fmt"
)

// EnvSettings is the environment variable that carries the encoded Settings.
const EnvSettings = "PRE_TOKEN_SETTINGS"

// Settings say what the trigger adds to the tokens of a user sign-in.
type Settings struct {
	// GroupScopes: the members of a group get these custom scopes in their access token.
	GroupScopes map[string][]string `json:"groupScopes,omitempty"`
	// ExtraClaims are added to every ID token, such as a fixed tenant.
	ExtraClaims map[string]string `json:"extraClaims,omitempty"`
	// Scopes are every scope the resource server defines: the trigger adds no other.
	Scopes []string `json:"scopes"`
}

// Encode renders the settings for EnvSettings.
func (s Settings) Encode() (string, error) {
	b, err := json.Marshal(s)
	return string(b), err
}

// Decode reads what Encode wrote.
func Decode(v string) (Settings, error) {
	var s Settings
	if err := json.Unmarshal([]byte(v), &s); err != nil {
		return Settings{}, fmt.Errorf("%s: %w", EnvSettings, err)
	}
	return s, nil
}
