// Package suggest finds the known name a user most likely meant, for the "did you mean" of
// the project's error messages (cdk.json keys, -c keys, branding keys). It imports nothing of
// the module, so the configuration may use it.
package suggest

import "strings"

// Closest is the candidate that key most likely misspells or cuts short: one equal to it but
// for case, else the nearest by edit distance (case ignored) when that is within a third of
// the longer of the two, at least 2 (borderRadiuss, ligthMode, callback for callbackUrls), and
// leaves something of key (ab is not waf); "" when none is that close.
func Closest(key string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		if strings.EqualFold(c, key) {
			return c
		}
		if d := editDistance(strings.ToLower(key), strings.ToLower(c)); bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if bestDist >= 0 && bestDist <= max(2, max(len(key), len(best))/3) && bestDist < len(key) {
		return best
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b, by bytes (keys are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
