// Package ascii compares names the way DNS and the project's rules do: letters fold in ASCII
// only. strings.EqualFold folds Unicode too, so the Kelvin sign (U+212A) would equal "k" and the
// long s (U+017F) "s", and "locaſhost" or "\u212Aelvin.example" would pass for names they are not.
package ascii

// EqualFold reports whether a and b are equal with ASCII letters compared without case; every
// other byte must be the same.
func EqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// HasPrefixFold reports whether s begins with prefix, compared as EqualFold does.
func HasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && EqualFold(s[:len(prefix)], prefix)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
