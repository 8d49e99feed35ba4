package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/branding"
)

// colourPaths lists the JSON paths of every colour in a Settings tree.
func colourPaths(v any, path string, out *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			p := path + "." + k
			if _, ok := x.(string); ok && (k == "color" || strings.HasSuffix(k, "Color")) {
				*out = append(*out, p)
			}
			colourPaths(x, p, out)
		}
	}
}

// TestPreview renders the committed style: every colour path of the style and of Cognito's
// defaults has a swatch, the images are inline, and nothing is loaded from elsewhere.
func TestPreview(t *testing.T) {
	t.Chdir("../..")
	out := filepath.Join(t.TempDir(), "preview.html")
	code, stdout, stderr := testCLI(t, "preview", "-out", out)
	if code != 0 || stdout != out+"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	b, _ := os.ReadFile(out)
	html := string(b)
	s, err := branding.Load("branding/style.json")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	colourPaths(s.Settings, "Settings", &paths)
	colourPaths(branding.DefaultSettings(), "Settings", &paths)
	if len(paths) < 100 {
		t.Fatalf("only %d colour paths", len(paths))
	}
	for _, p := range paths {
		if !strings.Contains(html, `<span class="path">`+p+`</span>`) {
			t.Errorf("no swatch for %s", p)
		}
	}
	// A value the file sets is shown as it is; one it leaves to Cognito is marked default.
	if !strings.Contains(html, `<span class="path">Settings.components.primaryButton.lightMode.defaults.backgroundColor</span> <code>0f766eff</code></span>`) {
		t.Error("the primary button's light colour is missing")
	}
	for _, want := range []string{
		"A preview of the style's values, not Cognito's page",
		`content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"`,
		`<img src="data:image/svg&#43;xml;base64,`, // the form logo, in the sketch and the list (&#43; is +)
		`<img src="data:image/x-icon;base64,`,
		"<code>components.form.logo.enabled = true</code>",
		"logo in the sign-in form",
		"browser tab icon",
		// The provider's button, with its icon, in each mode's sketch, and the icon's provider in the list.
		`alt="">AcmeSSO</div>`,
		"<code>ResourceId</code> <code>AcmeSSO</code>",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Base64 holds slashes: look at the page without its data: URLs.
	bare := regexp.MustCompile(`"data:[^"]*"`).ReplaceAllString(html, `""`)
	if m := regexp.MustCompile(`(?i)https?:|//[a-z]|@import|url\(`).FindString(bare); m != "" {
		t.Errorf("the page refers to something outside itself: %q", m)
	}
	if strings.Contains(html, "ZgotmplZ") {
		t.Error("html/template refused a value")
	}
}

// Keys and values come from a file under review: the page escapes them.
func TestPreviewEscapes(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "style.json")
	os.WriteFile(file, []byte(`{"Settings": {
		"categories": {"global": {"colorSchemeMode": "<img src=x onerror=alert(1)>"}},
		"components": {"form": {"lightMode": {"</td><script>alert(2)</script>Color": "ff0000ff"}}}}}`), 0o644)
	out := filepath.Join(dir, "preview.html")
	if code, _, stderr := testCLI(t, "preview", "-out", out, file); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(out)
	html := string(b)
	if strings.Contains(html, "<script>") || strings.Contains(html, "<img src=x") {
		t.Errorf("hostile input reached the page unescaped")
	}
	for _, want := range []string{"&lt;img src=x onerror=alert(1)&gt;", "Settings.components.form.lightMode.&lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt;Color"} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestPreviewErrors(t *testing.T) {
	code, _, stderr := testCLI(t, "preview", "-out", filepath.Join(t.TempDir(), "p.html"), testdata+"/invalid-colours.json")
	if code != 1 || !strings.HasPrefix(stderr, "branding preview: "+testdata+"/invalid-colours.json has problems:\n") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = testCLI(t, "preview", "-out", filepath.Join(t.TempDir(), "no", "p.html"), testdata+"/valid-inline.json")
	if code != 1 || !strings.Contains(stderr, "p.html: no such file or directory") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr = testCLI(t, "preview", "a.json", "b.json"); code != 2 {
		t.Errorf("two files: exit %d, stderr %q", code, stderr)
	}
}

// A provider's button follows its icon's color mode, and shows no icon where the style turns
// provider icons off.
func TestPreviewProviderButtons(t *testing.T) {
	icon := func(mode, provider string) branding.Asset {
		return branding.Asset{Category: branding.IdPButtonIcon, ColorMode: mode, Extension: "SVG", Bytes: "PHN2Zy8+", ResourceId: provider}
	}
	okta := icon("LIGHT", "Okta")
	acmeDynamic, acmeDark := icon("DYNAMIC", "AcmeSSO"), icon("DARK", "AcmeSSO")
	acmeDark.Bytes = "PHN2ZyAvPg=="
	s := &branding.Style{Settings: map[string]any{}, Assets: []branding.Asset{okta, acmeDynamic, acmeDark}}
	p := previewData("style.json", s)
	// Each provider once in both modes; its icon for the mode, else the DYNAMIC one, else none.
	for i, want := range [][]providerButton{
		{{"Okta", dataURL(okta)}, {"AcmeSSO", dataURL(acmeDynamic)}},
		{{"Okta", ""}, {"AcmeSSO", dataURL(acmeDark)}},
	} {
		if got := p.Modes[i].Providers; !slices.Equal(got, want) {
			t.Errorf("%s: buttons %v, want %v", p.Modes[i].Name, got, want)
		}
	}

	s.Settings = map[string]any{"componentClasses": map[string]any{"idpButtons": map[string]any{"icons": map[string]any{"enabled": false}}}}
	for _, b := range previewData("style.json", s).Modes[0].Providers {
		if b.Icon != "" {
			t.Errorf("%s button shows its icon with icons off", b.Name)
		}
	}
}
