package testkit

import "maps"

// Env returns a copy of env with the variables kv (name, value, name, value, ...) set: a
// function's environment as its stack writes it, with a few variables changed.
func Env(env map[string]string, kv ...string) map[string]string {
	out := maps.Clone(env)
	if out == nil {
		out = map[string]string{}
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}
