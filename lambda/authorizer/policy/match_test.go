package policy

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// TestMatch compares match with a regular expression on random patterns and strings over a
// small alphabet, where "*", "?" and "/" meet often.
func TestMatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(alphabet string) string {
		b := make([]byte, rng.IntN(8))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	for range 20000 {
		pattern, s := random("ab/*?"), random("ab/*")
		q := regexp.QuoteMeta(pattern)
		q = strings.ReplaceAll(strings.ReplaceAll(q, `\*`, `.*`), `\?`, `.`)
		want := regexp.MustCompile(`(?s)^` + q + `$`).MatchString(s)
		if got := match(pattern, s); got != want {
			t.Fatalf("match(%q, %q) = %v, want %v", pattern, s, got, want)
		}
	}
}

func TestLonger(t *testing.T) {
	for pattern, want := range map[string]string{
		"GET/items":         "",
		"GET/items/*":       "GET/items/*/*",
		"*/things/*":        "*/*/things/* */things/*/*",
		"GET/a/*/b/*":       "GET/a/*/*/b/* GET/a/*/b/*/*",
		"GET/":              "",
		"DELETE/items/*/to": "DELETE/items/*/*/to",
	} {
		if got := strings.Join(longer(pattern), " "); got != want {
			t.Errorf("longer(%q) = %q, want %q", pattern, got, want)
		}
	}
}
