package branding

import (
	"bytes"
	"encoding/base64"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

// TestSaveRoundTrip: a style with inline assets, saved as a folder with asset files, loads back
// as the same style; saving it again changes no byte.
func TestSaveRoundTrip(t *testing.T) {
	for _, fixture := range []string{"valid-inline.json", "valid-files.json", "valid-raw-export.json", "valid-cognito-defaults.json"} {
		t.Run(fixture, func(t *testing.T) {
			orig, err := LoadWithRoot(filepath.Join("testdata", fixture), "testdata")
			if err != nil {
				t.Fatal(err)
			}
			dir, files := saveNew(t, orig)
			if len(files) != 1+len(orig.Assets) {
				t.Errorf("wrote %v", files)
			}
			back, err := LoadWithRoot(filepath.Join(dir, "style.json"), dir)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back.Settings, orig.Settings) || back.UseCognitoProvidedValues != orig.UseCognitoProvidedValues {
				t.Errorf("Settings changed in the round trip")
			}
			if !sameAssets(back.Assets, orig.Assets) {
				t.Errorf("assets changed in the round trip:\n%v\n%v", back.Assets, orig.Assets)
			}

			if _, err := os.Stat(filepath.Join(dir, AssetDir)); len(orig.Assets) == 0 && !os.IsNotExist(err) {
				t.Errorf("a style without assets got an %s folder (%v)", AssetDir, err)
			}

			// Files already right are not rewritten: their modification times stay.
			before := testkit.DirFiles(t, dir)
			past := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
			for _, f := range files {
				if err := os.Chtimes(filepath.Join(dir, f), past, past); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := Save(dir, "style.json", back); err != nil {
				t.Fatal(err)
			}
			if after := testkit.DirFiles(t, dir); !maps.Equal(before, after) {
				t.Errorf("saving the loaded style again changed files")
			}
			for _, f := range files {
				if info, err := os.Stat(filepath.Join(dir, f)); err != nil || !info.ModTime().Equal(past) {
					t.Errorf("saving the loaded style again rewrote %s", f)
				}
			}
		})
	}
}

func TestSaveFormat(t *testing.T) {
	s := &Style{
		Settings: map[string]any{"components": map[string]any{"form": map[string]any{"borderRadius": jsonNumber("8.0"), "logo": map[string]any{"enabled": true}}}, "categories": map[string]any{}},
		Assets: []Asset{
			{Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "PNG", Bytes: encodeFile(t, "testdata/assets/icon.png"), ResourceId: "r1"},
			{Category: "FAVICON_ICO", ColorMode: "DYNAMIC", Extension: "ICO", Bytes: encodeFile(t, "testdata/assets/favicon.ico")},
			{Category: "PAGE_BACKGROUND", ColorMode: "DARK", Extension: "JPEG", Bytes: encodeFile(t, "testdata/assets/photo.jpg")},
			{Category: "IDP_BUTTON_ICON", ColorMode: "DYNAMIC", Extension: "SVG", Bytes: encodeFile(t, "testdata/assets/logo.svg"), ResourceId: "Okta"},
			{Category: "IDP_BUTTON_ICON", ColorMode: "DYNAMIC", Extension: "SVG", Bytes: encodeFile(t, "testdata/assets/logo.svg"), ResourceId: "Acme SSO"},
		},
	}
	dir, files := saveNew(t, s)
	// A provider's button icon is named after its provider, so two providers' icons never clash.
	wantFiles := []string{"style.json", "assets/favicon-ico-dynamic.ico", "assets/page-background-dark.jpg", "assets/form-logo-light.png",
		"assets/idp-button-icon-acme-sso-dynamic.svg", "assets/idp-button-icon-okta-dynamic.svg"}
	if !slices.Equal(files, wantFiles) {
		t.Errorf("files = %v, want %v", files, wantFiles)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "style.json"))
	want := `{
  "Settings": {
    "categories": {},
    "components": {
      "form": {
        "borderRadius": 8.0,
        "logo": {
          "enabled": true
        }
      }
    }
  },
  "Assets": [
    {
      "Category": "FAVICON_ICO",
      "ColorMode": "DYNAMIC",
      "File": "assets/favicon-ico-dynamic.ico"
    },
    {
      "Category": "PAGE_BACKGROUND",
      "ColorMode": "DARK",
      "File": "assets/page-background-dark.jpg"
    },
    {
      "Category": "FORM_LOGO",
      "ColorMode": "LIGHT",
      "File": "assets/form-logo-light.png",
      "ResourceId": "r1"
    },
    {
      "Category": "IDP_BUTTON_ICON",
      "ColorMode": "DYNAMIC",
      "File": "assets/idp-button-icon-acme-sso-dynamic.svg",
      "ResourceId": "Acme SSO"
    },
    {
      "Category": "IDP_BUTTON_ICON",
      "ColorMode": "DYNAMIC",
      "File": "assets/idp-button-icon-okta-dynamic.svg",
      "ResourceId": "Okta"
    }
  ]
}
`
	if string(got) != want {
		t.Errorf("style.json =\n%s\nwant\n%s", got, want)
	}
	png, _ := os.ReadFile("testdata/assets/icon.png")
	if b, _ := os.ReadFile(filepath.Join(dir, "assets/form-logo-light.png")); !bytes.Equal(b, png) {
		t.Errorf("form-logo-light.png does not hold the image")
	}
}

func sameAssets(a, b []Asset) bool {
	key := func(x Asset) string {
		return x.Category + "/" + x.ColorMode + "/" + x.Extension + "/" + x.ResourceId + "/" + x.Bytes
	}
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		ka[i] = key(a[i])
	}
	for i := range b {
		kb[i] = key(b[i])
	}
	slices.Sort(ka)
	slices.Sort(kb)
	return slices.Equal(ka, kb)
}

// saveNew saves s as style.json in a folder of its own, and returns the folder and the files
// Save wrote.
func saveNew(t *testing.T, s *Style) (dir string, files []string) {
	t.Helper()
	dir = t.TempDir()
	files, err := Save(dir, "style.json", s)
	if err != nil {
		t.Fatal(err)
	}
	return dir, files
}

func encodeFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

func mustDecode(t *testing.T, b64 string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The committed sample is in the form pull writes, so pulling it back after a deploy that
// changed nothing gives no diff.
func TestSampleIsInPulledForm(t *testing.T) {
	s, err := Load("style.json")
	if err != nil {
		t.Fatal(err)
	}
	dir, files := saveNew(t, s)
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("pull would write %s, which the sample does not have: %v", f, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("pull would rewrite %s", f)
		}
	}
	committed, _ := filepath.Glob(filepath.Join(AssetDir, "*"))
	if len(committed) != len(files)-1 {
		t.Errorf("assets/ holds %v; pull writes %v", committed, files[1:])
	}
}

// A ResourceId from the API is not checked before Save names a file after it: the name keeps
// only letters, digits and '-', so it stays inside assets/.
func TestSaveNamesFromOddResourceIds(t *testing.T) {
	svg := encodeFile(t, "testdata/assets/logo.svg")
	s := &Style{Assets: []Asset{
		{Category: IdPButtonIcon, ColorMode: "DYNAMIC", Extension: "SVG", Bytes: svg, ResourceId: "../../etc/x"},
		{Category: IdPButtonIcon, ColorMode: "LIGHT", Extension: "SVG", Bytes: svg, ResourceId: "Zürich SSO"},
		{Category: IdPButtonIcon, ColorMode: "DARK", Extension: "SVG", Bytes: svg, ResourceId: "Az09"}, // the ends of each range kept
	}}
	dir, files := saveNew(t, s)
	want := []string{"style.json", "assets/idp-button-icon-------etc-x-dynamic.svg", "assets/idp-button-icon-az09-dark.svg", "assets/idp-button-icon-z-rich-sso-light.svg"}
	if !slices.Equal(files, want) {
		t.Errorf("files %q, want %q", files, want)
	}
	for _, f := range files[1:] {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

// Providers whose names differ only in case and punctuation would share a file name; the
// second and third are numbered, and the style loads back with each icon under its provider.
func TestSaveNameClash(t *testing.T) {
	icon := func(provider, file string) Asset {
		return Asset{Category: IdPButtonIcon, ColorMode: "DYNAMIC", Extension: "SVG", Bytes: encodeFile(t, file), ResourceId: provider}
	}
	s := &Style{Settings: map[string]any{}, Assets: []Asset{
		icon("acme-sso", "testdata/assets/logo.svg"),
		icon("Acme SSO", "testdata/assets/safe-refs.svg"),
		icon("ACME_SSO", "testdata/assets/logo.svg"),
	}}
	dir, files := saveNew(t, s)
	want := []string{"style.json", "assets/idp-button-icon-acme-sso-dynamic.svg", "assets/idp-button-icon-acme-sso-dynamic-2.svg", "assets/idp-button-icon-acme-sso-dynamic-3.svg"}
	if !slices.Equal(files, want) {
		t.Errorf("files %q, want %q", files, want)
	}
	back, err := LoadWithRoot(filepath.Join(dir, "style.json"), dir)
	if err != nil {
		t.Fatal(err)
	}
	if !sameAssets(back.Assets, s.Assets) {
		t.Errorf("assets changed in the round trip:\n%v\n%v", back.Assets, s.Assets)
	}
}
