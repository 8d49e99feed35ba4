package ascii

import (
	"strings"
	"testing"
)

func TestEqualFold(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"acme.io", "ACME.io", true},
		{"LocalHost", "localhost", true},
		{"", "", true},
		{"acme.io", "acme.com", false},
		{"acme.io", "acme.i", false},
		{"@", "`", false}, // one apart from A and a: not letters
		{"[", "{", false},
		{"\u212Aelvin.example", "kelvin.example", false}, // the Kelvin sign, which strings.EqualFold folds to k
		{"localho\u017Ft", "localhost", false},           // the long s
		{"é", "É", false},                                // only ASCII letters fold
	} {
		if got := EqualFold(tc.a, tc.b); got != tc.want {
			t.Errorf("EqualFold(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
		if got := EqualFold(tc.b, tc.a); got != tc.want {
			t.Errorf("EqualFold(%q, %q) = %v, want %v", tc.b, tc.a, got, tc.want)
		}
	}
	// What this package is for: the standard library says otherwise.
	if !strings.EqualFold("\u212Aelvin.example", "kelvin.example") {
		t.Fatal("strings.EqualFold no longer folds the Kelvin sign; the reason for this package changed")
	}
}

func TestHasPrefixFold(t *testing.T) {
	for _, tc := range []struct {
		s, prefix string
		want      bool
	}{
		{"Google_1048", "google", true},
		{"google", "google", true},
		{"goog", "google", false},
		{"\u212Aeycloak_1", "keycloak", false},
	} {
		if got := HasPrefixFold(tc.s, tc.prefix); got != tc.want {
			t.Errorf("HasPrefixFold(%q, %q) = %v, want %v", tc.s, tc.prefix, got, tc.want)
		}
	}
}
