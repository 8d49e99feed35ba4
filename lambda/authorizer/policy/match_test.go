package policy

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/routes"
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

// TestCacheCap: the Rules of at most maxCached token kinds are kept; later kinds are built
// each time and not stored, so the cache cannot grow without bound.
func TestCacheCap(t *testing.T) {
	// Eleven scoped routes, one scope each: 2^11 token kinds, each with its own Rules.
	var table routes.Table
	var scopes []string
	for i := range 11 {
		scope := fmt.Sprintf("api/s%d", i)
		scopes = append(scopes, scope)
		table = append(table, routes.Route{Method: "GET", Path: fmt.Sprintf("/r%d", i), Access: routes.Scoped, Scopes: []string{scope}})
	}
	b, err := NewBuilder(table)
	if err != nil {
		t.Fatal(err)
	}
	kind := func(mask int) routes.Caller {
		tok := routes.Caller{Client: routes.WebClient, TokenUse: routes.TokenUseAccess}
		for i, s := range scopes {
			if mask&(1<<i) != 0 {
				tok.Scopes = append(tok.Scopes, s)
			}
		}
		return tok
	}
	stored := func() int {
		n := 0
		b.cache.Range(func(any, any) bool { n++; return true })
		return n
	}
	for mask := range maxCached {
		b.Rules(kind(mask))
	}
	if got := stored(); got != maxCached {
		t.Fatalf("after %d token kinds: %d cached, want all of them", maxCached, got)
	}
	last := b.Rules(kind(maxCached))
	if got := stored(); got != maxCached {
		t.Errorf("after %d token kinds: %d cached, want %d", maxCached+1, got, maxCached)
	}
	// Uncached Rules are still right, and the same each time; cached kinds still answer.
	if again := b.Rules(kind(maxCached)); !slices.Equal(last.Allow, again.Allow) || !slices.Equal(last.Deny, again.Deny) {
		t.Errorf("uncached rules differ: %+v and %+v", last, again)
	}
	if want := []string{"GET/r10"}; !slices.Equal(last.Allow, want) {
		t.Errorf("kind %d: allow %q, want %q", maxCached, last.Allow, want)
	}
	if first := b.Rules(kind(1)); !slices.Equal(first.Allow, []string{"GET/r0"}) || stored() != maxCached {
		t.Errorf("kind 1: %+v, %d cached", first, stored())
	}
}
