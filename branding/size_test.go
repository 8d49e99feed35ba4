package branding

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The size rules need files too big to commit, so these tests write them.

// pngOf returns n bytes that pass as a PNG.
func pngOf(n int) []byte {
	b := make([]byte, n)
	copy(b, "\x89PNG\r\n\x1a\n")
	return b
}

func writeStyle(t *testing.T, dir string, assets []map[string]any) string {
	t.Helper()
	doc, _ := json.Marshal(map[string]any{"Settings": map[string]any{"components": map[string]any{}}, "Assets": assets})
	file := filepath.Join(dir, "style.json")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestAssetSizeEdges: an image of 750,000 bytes (1,000,000 base64 characters, the most Cognito
// takes) passes the asset rule, inline or as a file; 750,001 bytes (1,000,004 characters, base64
// comes in fours) is refused. An image that big is over the template budget as well.
func TestAssetSizeEdges(t *testing.T) {
	const budget = "bytes as JSON; at most 800000 fit in the stack's CloudFormation template"
	inlineOver := []want{
		{"Assets[0].Bytes", []string{"is 1000004 base64 characters; Cognito takes at most 1000000 (750000 bytes of image)"}},
		{"", []string{"the style is 1000", budget}},
	}
	tests := []struct {
		name   string
		size   int
		asFile bool
		want   []want
	}{
		{"inline, at the limit", 750_000, false, []want{{"", []string{"the style is 1000", budget}}}},
		{"inline, one byte over", 750_001, false, inlineOver},
		{"inline, three bytes over", 750_003, false, inlineOver},
		{"file, at the limit", 750_000, true, []want{{"", []string{"the style is 1000", budget}}}},
		{"file, one byte over", 750_001, true, []want{
			{"Assets[0].File", []string{`got "big.png"; is 750001 bytes, 1000004 in base64; Cognito takes at most 1000000 base64 characters (750000 bytes)`}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			asset := map[string]any{"Category": "FORM_LOGO", "ColorMode": "LIGHT"}
			if tt.asFile {
				os.WriteFile(filepath.Join(dir, "big.png"), pngOf(tt.size), 0o644)
				asset["File"] = "big.png"
			} else {
				asset["Extension"], asset["Bytes"] = "PNG", base64.StdEncoding.EncodeToString(pngOf(tt.size))
			}
			file := writeStyle(t, dir, []map[string]any{asset})
			_, err := LoadWithRoot(file, dir)
			assertProblems(t, err, file, tt.want)
		})
	}
}

func TestTemplateBudget(t *testing.T) {
	dir := t.TempDir()
	var assets []map[string]any
	for i, c := range []string{"PAGE_BACKGROUND", "FORM_BACKGROUND"} {
		name := fmt.Sprintf("bg%d.png", i)
		os.WriteFile(filepath.Join(dir, name), pngOf(310_000), 0o644)
		assets = append(assets, map[string]any{"Category": c, "ColorMode": "LIGHT", "File": name})
	}
	file := writeStyle(t, dir, assets)
	_, err := LoadWithRoot(file, dir)
	assertProblems(t, err, file, []want{{"", []string{"the style is 826873 bytes as JSON", "at most 800000 fit in the stack's CloudFormation template (limit 1 MB)"}}})

	// Under the budget: loads, and EncodedSize says how much of it the style takes.
	os.WriteFile(filepath.Join(dir, "bg1.png"), pngOf(100), 0o644)
	s, err := LoadWithRoot(file, dir)
	if err != nil {
		t.Fatal(err)
	}
	if n := s.EncodedSize(); n < 413_333 || n > 414_000 {
		t.Errorf("EncodedSize = %d, want about 413,500", n)
	}
}

// styleOfSize writes a branding file whose style is exactly n bytes by EncodedSize, padded with
// a string under components.idpButton.custom, which takes keys of the user's choosing (so the
// padding raises no warning).
func styleOfSize(t *testing.T, dir string, n int) string {
	t.Helper()
	custom := map[string]any{"pad": ""}
	settings := map[string]any{"components": map[string]any{"idpButton": map[string]any{"custom": custom}}}
	s := &Style{Settings: settings}
	custom["pad"] = strings.Repeat("a", n-s.EncodedSize())
	if got := s.EncodedSize(); got != n {
		t.Fatalf("padded style is %d bytes, want %d", got, n)
	}
	doc, _ := json.Marshal(map[string]any{"Settings": settings})
	file := filepath.Join(dir, "style.json")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestStyleSizeEdges: the style may take TemplateBudget bytes of the template, and a request
// (the style plus requestOverhead for the pool and client ids) MaxRequestBytes; a byte more is
// refused.
func TestStyleSizeEdges(t *testing.T) {
	template := func(n string) want {
		return want{"", []string{"the style is " + n + " bytes as JSON; at most 800000 fit in the stack's CloudFormation template (limit 1 MB)"}}
	}
	tests := []struct {
		size int
		want []want
	}{
		{TemplateBudget, nil},
		{TemplateBudget + 1, []want{template("800001")}},
		{MaxRequestBytes - requestOverhead, []want{template("1999488")}},
		{MaxRequestBytes - requestOverhead + 1, []want{
			{"", []string{"the style is 1999489 bytes as JSON, 2000001 with the pool and client ids; Cognito takes at most 2000000 bytes per request (2 MB)"}},
			template("1999489"),
		}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.size), func(t *testing.T) {
			file := styleOfSize(t, t.TempDir(), tt.size)
			s, err := LoadWithRoot(file, filepath.Dir(file))
			if tt.want != nil {
				assertProblems(t, err, file, tt.want)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n := s.EncodedSize(); n != tt.size || len(s.Warnings) > 0 {
				t.Errorf("EncodedSize = %d, warnings %v", n, s.Warnings)
			}
		})
	}
}

// Only a style built in code (not loaded from JSON) can fail to encode; it counts as too big
// for a request, so nothing lets it through.
func TestEncodedSizeUnencodable(t *testing.T) {
	s := &Style{Settings: map[string]any{"components": map[string]any{"x": math.NaN()}}}
	if n := s.EncodedSize(); n <= MaxRequestBytes {
		t.Errorf("EncodedSize = %d, want more than %d", n, MaxRequestBytes)
	}
}

func TestRequestLimit(t *testing.T) {
	dir := t.TempDir()
	var assets []map[string]any
	for i, c := range []string{"PAGE_BACKGROUND", "FORM_BACKGROUND", "PAGE_HEADER_BACKGROUND"} {
		name := fmt.Sprintf("bg%d.png", i)
		os.WriteFile(filepath.Join(dir, name), pngOf(700_000), 0o644)
		assets = append(assets, map[string]any{"Category": c, "ColorMode": "DARK", "File": name})
	}
	file := writeStyle(t, dir, assets)
	_, err := LoadWithRoot(file, dir)
	assertProblems(t, err, file, []want{
		{"", []string{"Cognito takes at most 2000000 bytes per request (2 MB)"}},
		{"", []string{"at most 800000 fit"}},
	})
}

func TestSymlinks(t *testing.T) {
	repo := t.TempDir()
	outside := t.TempDir()
	os.WriteFile(filepath.Join(repo, "go.mod"), []byte("module x\n"), 0o644)
	os.MkdirAll(filepath.Join(repo, "branding", "assets"), 0o755)
	os.MkdirAll(filepath.Join(repo, "art"), 0o755)
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)
	os.WriteFile(filepath.Join(outside, "secret.svg"), svg, 0o644)
	os.WriteFile(filepath.Join(repo, "art", "logo.svg"), svg, 0o644)
	for link, target := range map[string]string{
		"assets/in.svg":  filepath.Join(repo, "art", "logo.svg"),
		"assets/out.svg": filepath.Join(outside, "secret.svg"),
	} {
		if err := os.Symlink(target, filepath.Join(repo, "branding", link)); err != nil {
			t.Skip("no symlinks here:", err)
		}
	}
	file := writeStyle(t, filepath.Join(repo, "branding"), []map[string]any{
		{"Category": "FORM_LOGO", "ColorMode": "LIGHT", "File": "assets/in.svg"},     // symlink inside the repo
		{"Category": "FORM_LOGO", "ColorMode": "DARK", "File": "../art/logo.svg"},    // up, but still inside
		{"Category": "FORM_LOGO", "ColorMode": "DYNAMIC", "File": "assets/out.svg"},  // symlink out of it
		{"Category": "PAGE_BACKGROUND", "ColorMode": "LIGHT", "File": "../../x.svg"}, // plain path out of it
	})
	_, err := Load(file) // root: the directory with go.mod
	assertProblems(t, err, file, []want{
		{"Assets[2].File", []string{`got "assets/out.svg"; resolves to ` + filepath.Join(evalSymlinks(t, outside), "secret.svg"), "outside the repository root " + evalSymlinks(t, repo)}},
		{"Assets[3].File", []string{"file not found"}},
	})
	os.WriteFile(filepath.Join(filepath.Dir(repo), "x.svg"), svg, 0o644)
	_, err = Load(file)
	if err == nil || !strings.Contains(err.Error(), `Assets[3].File: got "../../x.svg"; resolves to`) {
		t.Errorf("a path up and out of the repository passed: %v", err)
	}
}

func evalSymlinks(t *testing.T, p string) string {
	t.Helper()
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func jsonNumber(s string) json.Number { return json.Number(s) }

// TestBase64LineBreaks: wrapped base64 (as some tools write it) is accepted and sent unwrapped.
func TestBase64LineBreaks(t *testing.T) {
	dir := t.TempDir()
	b64 := base64.StdEncoding.EncodeToString(pngOf(100))
	wrapped := b64[:76] + "\n" + b64[76:]
	file := writeStyle(t, dir, []map[string]any{{"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "PNG", "Bytes": wrapped}})
	s, err := LoadWithRoot(file, dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Assets[0].Bytes != b64 {
		t.Errorf("Bytes kept the line break")
	}
}
