package fnenv

import (
	"encoding/json"

	"github.com/cognito-apigw/cognito-apigw/internal/linking"
)

// PreSignUp is what the auth stack hands the pre sign-up trigger (lambda/presignup) of a stage
// with linkByEmail.
type PreSignUp struct {
	// Authorities are the pool's identity providers and the email domains each vouches for.
	Authorities []linking.Authority
}

// Env is the trigger's environment.
func (p PreSignUp) Env() map[string]string {
	b, _ := json.Marshal(p.Authorities) // strings and lists of strings: Marshal cannot fail
	return map[string]string{EnvLinkAuthorities: string(b)}
}

// ReadPreSignUp reads what Env wrote through getenv (os.Getenv in the function): at least one
// provider, each with a name. It reports every problem at once, one line each.
func ReadPreSignUp(getenv func(string) string) (PreSignUp, error) {
	var p problems
	const want = `the identity providers as JSON, [{"provider":"<name in Cognito>","domains":["<email domain>",...]},...]`
	var cfg PreSignUp
	if readJSON(getenv, EnvLinkAuthorities, want, &cfg.Authorities, &p) {
		if len(cfg.Authorities) == 0 {
			p.add(EnvLinkAuthorities, "names no provider; want %s", want)
		}
		for i, a := range cfg.Authorities {
			if a.Provider == "" {
				p.add(EnvLinkAuthorities, "entry %d has no provider; want the provider's name in Cognito", i)
			}
		}
	}
	if len(p) > 0 {
		return PreSignUp{}, p.err()
	}
	return cfg, nil
}
