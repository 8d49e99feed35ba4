package suggest

import "testing"

func TestClosest(t *testing.T) {
	known := []string{"backgroundColor", "borderColor", "textColor", "lightMode", "darkMode", "stage", "domainPrefix",
		"brandingFile", "callbackUrls", "logoutUrls", "waf"}
	for _, tt := range []struct{ key, want string }{
		{"backgroundcolor", "backgroundColor"}, // case only
		{"bordrColor", "borderColor"},
		{"ligthMode", "lightMode"}, // two letters swapped: distance 2
		{"darkmod", "darkMode"},
		{"stgae", "stage"},
		{"domainprefx", "domainPrefix"},
		{"branding", "brandingFile"}, // cut short
		{"callback", "callbackUrls"},
		{"logouts", "logoutUrls"},
		{"wfa", "waf"},
		{"ab", ""}, // nothing of it left in waf
		{"size", ""},
		{"x", ""},
		{"", ""},
	} {
		if got := Closest(tt.key, known); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
	if got := Closest("anything", nil); got != "" {
		t.Errorf("no candidates: %q", got)
	}
}
