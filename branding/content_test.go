package branding

import (
	"strings"
	"testing"
)

// TestContentProblems: the bytes must start as the extension says; the shortest header that
// passes is accepted, one byte less (or one wrong byte) is not.
func TestContentProblems(t *testing.T) {
	for _, tt := range []struct {
		ext, data, want string
	}{
		{"ICO", "\x00\x00\x01\x00", ""},
		{"ICO", "\x00\x00\x02\x00", "the content is not an ICO image"}, // a cursor
		{"PNG", "\x89PNG\r\n\x1a\n", ""},
		{"PNG", "\x89PNG\r\n\x1a", "the content is not a PNG image"},
		{"JPEG", "\xff\xd8\xff", ""},
		{"JPEG", "\xff\xd8", "the content is not a JPEG image"},
		{"WEBP", "RIFF\x04\x00\x00\x00WEBP", ""}, // RIFF, the size, WEBP: 12 bytes
		{"WEBP", "RIFF\x04\x00\x00\x00WEB", "the content is not a WEBP image"},
		{"WEBP", "RIFF\x04\x00\x00\x00WAVE", "the content is not a WEBP image"},
		{"WEBP", "RIFX\x04\x00\x00\x00WEBP", "the content is not a WEBP image"},
		{"SVG", `<svg xmlns="http://www.w3.org/2000/svg"/>`, ""},
		{"SVG", "<svg", "the SVG is not well-formed XML"},
	} {
		got := strings.Join(contentProblems(tt.ext, []byte(tt.data)), "\n")
		if tt.want == "" && got != "" || !strings.HasPrefix(got, tt.want) {
			t.Errorf("contentProblems(%s, %q) = %q, want %q", tt.ext, tt.data, got, tt.want)
		}
	}
}

// TestCSSExternal: url(...) anywhere in CSS text, the first that leaves the file, as written
// (lower case, quotes and spaces trimmed).
func TestCSSExternal(t *testing.T) {
	for _, tt := range []struct {
		css, want string
	}{
		{"fill: #0972d3", ""},
		{"url(#grad)", ""},
		{"url(http://example.com/p.svg)", "url(http://example.com/p.svg)"}, // url( at the very start
		{"fill: URL( 'HTTPS://Example.com/p.svg' )", "url(https://example.com/p.svg)"},
		{"fill: url(#a); stroke: url(//example.com/p.svg#b)", "url(//example.com/p.svg#b)"},
		{"url(data:image/png;base64,AAAA)", ""},
		{"url() url(#a)", ""}, // an empty url() refers to nothing
		{"url() url(http://example.com/p.svg)", "url(http://example.com/p.svg)"},
		{"fill: url(http://example.com/p.svg", "url(http://example.com/p.svg)"}, // not closed
		{"@IMPORT 'theme.css';", "@import"},
	} {
		if got := cssExternal(tt.css); got != tt.want {
			t.Errorf("cssExternal(%q) = %q, want %q", tt.css, got, tt.want)
		}
	}
}
