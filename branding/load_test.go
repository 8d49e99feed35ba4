package branding

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// want is one expected problem: its exact JSON path and parts of its line.
type want struct {
	path  string
	parts []string
}

const allExt = "allowed: ICO, JPEG, PNG, SVG, WEBP"

// TestInvalidFixtures loads each invalid fixture in testdata/ (with testdata/ as the repository
// root) and expects exactly the listed problems, in order.
func TestInvalidFixtures(t *testing.T) {
	tests := []struct {
		file string
		want []want
	}{
		{"invalid-json-syntax.json", []want{{"", []string{"invalid-json-syntax.json:4:36: invalid JSON", "looking for beginning of object key"}}}},
		{"invalid-trailing-data.json", []want{{"", []string{":2:3: invalid JSON: unexpected data after the top-level value"}}}},
		{"invalid-not-object.json", []want{{"", []string{`got ["Settings"]; a branding file must be a JSON object`}}}},
		{"invalid-both.json", []want{{"Settings", []string{"either Settings or UseCognitoProvidedValues: true, not both"}}}},
		{"invalid-neither.json", []want{{"", []string{"needs Settings", "or UseCognitoProvidedValues: true"}}}},
		{"invalid-defaults-with-assets.json", []want{{"Assets", []string{"must be empty with UseCognitoProvidedValues: true"}}}},
		{"invalid-style-keys.json", []want{
			{"ClientId", []string{"comes from the stack"}},
			{"settings", []string{"unknown key (keys are case-sensitive); allowed: UseCognitoProvidedValues, Settings, Assets"}},
			{"UseCognitoProvidedValues", []string{`got "no"; must be true or false`}},
		}},
		{"../defaults/cognito-default-settings.json", []want{
			{"", []string{`bare Settings document; put it under "Settings"`}},
			{"", []string{"needs Settings"}},
		}},
		{"invalid-wrapper.json", []want{
			{"ResponseMetadata", []string{"unknown key next to ManagedLoginBranding"}},
			{"ManagedLoginBranding", []string{`got "style"; must be a JSON object`}},
		}},
		{"invalid-wrapped-problem.json", []want{
			{"ManagedLoginBranding.Settings.components.form.lightMode.backgroundColor", []string{`got "#ffffffff"`, `use "ffffffff"`}},
			{"ManagedLoginBranding.Assets[0].Extension", []string{`got "JPG"; unknown extension (Cognito calls JPG files JPEG); ` + allExt}},
		}},
		{"invalid-enums.json", []want{
			{"Assets[0].Category", []string{`got "LOGO"; unknown category`, "allowed: FAVICON_ICO, FAVICON_SVG,", "FORM_LOGO, IDP_BUTTON_ICON"}},
			{"Assets[1].ColorMode", []string{`got "light"; unknown color mode (values are case-sensitive); allowed: LIGHT, DARK, DYNAMIC`}},
			{"Assets[2].Category", []string{"missing; allowed: FAVICON_ICO"}},
			{"Assets[3].ColorMode", []string{"missing; allowed: LIGHT, DARK, DYNAMIC"}},
		}},
		{"invalid-extension.json", []want{
			{"Assets[0].Extension", []string{`got "JPG"; unknown extension (Cognito calls JPG files JPEG); ` + allExt}},
			{"Assets[1].Extension", []string{`got "svg"; unknown extension; ` + allExt}},
			{"Assets[2].Extension", []string{"missing; " + allExt}},
			{"Assets[3].Extension", []string{"got 5; must be a string"}},
		}},
		{"invalid-extension-for-category.json", []want{
			{"Assets[0].Extension", []string{`got "PNG"; PNG is not allowed for FAVICON_ICO; allowed: ICO`}},
			{"Assets[1].Extension", []string{`got "WEBP"; WEBP is not allowed for FORM_LOGO; allowed: PNG, SVG, JPEG`}},
			{"Assets[2].File", []string{`got "assets/icon.png"; PNG is not allowed for IDP_BUTTON_ICON; allowed: ICO, SVG`}},
			{"Assets[3].File", []string{`got "assets/favicon.ico"; ICO is not allowed for FAVICON_SVG; allowed: SVG`}},
		}},
		{"invalid-extension-mismatch.json", []want{
			{"Assets[0].Extension", []string{`got "PNG"; does not match the file name "assets/logo.svg", which means SVG`}},
			{"Assets[1].File", []string{`got "assets/logo.gif"; file not found`}},
			{"Assets[1].File", []string{"the file name must end in .ico, .jpg, .jpeg, .png, .svg or .webp"}},
		}},
		{"invalid-content.json", []want{
			{"Assets[0].File", []string{"the content is not a PNG image"}},
			{"Assets[1].File", []string{"the content is not an ICO image"}},
			{"Assets[2].Bytes", []string{"the content is not a JPEG image"}},
			{"Assets[3].File", []string{`got "assets/empty.svg"; the file is empty`}},
		}},
		{"invalid-base64.json", []want{
			{"Assets[0].Bytes", []string{`got "not base64!"; not valid base64`, "input byte 3"}},
			{"Assets[1].Bytes", []string{"is empty"}},
			{"Assets[2].Bytes", []string{"got 12; must be a string"}},
		}},
		{"invalid-files.json", []want{
			{"Assets[0].File", []string{`got "assets/missing.svg"; file not found (looked for ` + filepath.Join("testdata", "assets", "missing.svg")}},
			{"Assets[1].File", []string{`got "/etc/hostname.svg"; must be relative to the branding file's directory`}},
			{"Assets[2].File", []string{`got "../assets/form-logo-dynamic.svg"; resolves to `, "outside the repository root"}},
			{"Assets[3]", []string{"set either Bytes (base64) or File, not both"}},
			{"Assets[4]", []string{"needs Bytes (the image in base64) or File"}},
			{"Assets[5].File", []string{`got "assets"; is not a regular file`}},
			{"Assets[5].File", []string{"the file name must end in"}},
			{"Assets[6].File", []string{`got ""; is empty`}},
		}},
		{"invalid-duplicate.json", []want{
			{"Assets[2]", []string{"a second FORM_LOGO asset for color mode LIGHT (first at Assets[0])"}},
			{"Assets[5]", []string{`a second IDP_BUTTON_ICON asset for color mode DYNAMIC and ResourceId "AcmeSSO" (first at Assets[3])`}},
		}},
		{"invalid-too-many-assets.json", []want{{"Assets", []string{"has 41 assets; Cognito takes at most 40"}}}}, // valid-max-assets.json has 40
		{"invalid-settings-keys.json", []want{
			{"Settings.ComponentClasses", []string{"unknown key (Cognito ignores it); known: categories, componentClasses, components; did you mean \"componentClasses\"?"}},
			{"Settings.component", []string{"unknown key", `did you mean "components"?`}},
		}},
		{"invalid-settings-not-object.json", []want{{"Settings", []string{`got "components"; must be a JSON object`}}}},
		{"invalid-colours.json", []want{
			{"Settings.componentClasses.palette[0].textColor", []string{`got "#abc"; a colour is 8 hex digits RRGGBBAA without '#'`}},
			{"Settings.components.form.darkMode.borderColor", []string{`got "blue"; a colour is 8 hex digits`}},
			{"Settings.components.form.lightMode.backgroundColor", []string{`got "#0972d3ff"`, `use "0972d3ff"`}},
			{"Settings.components.form.lightMode.borderColor", []string{`got "0972d3"`, `add the alpha, e.g. "0972d3ff"`}},
			{"Settings.components.pageBackground.darkMode.color", []string{`got "0f1b2aff00"`}},
			{"Settings.components.pageBackground.lightMode.color", []string{"got 12;", "as a string"}},
		}},
		// 8 digits pass, in either case; 7 and 9 are the first refused on either side.
		{"invalid-colour-digits.json", []want{
			{"Settings.components.form.darkMode.backgroundColor", []string{`got "0972d3ff0"; a colour is 8 hex digits RRGGBBAA without '#', e.g. "0972d3ff"`}},
			{"Settings.components.form.lightMode.borderColor", []string{`got "0972d3f"; a colour is 8 hex digits RRGGBBAA without '#', e.g. "0972d3ff"`}},
		}},
		{"invalid-resource-id.json", []want{
			{"Assets[0].ResourceId", []string{`got ""; must be 1 to 40 letters, digits, '_', '-' or spaces`}},
			{"Assets[1].ResourceId", []string{`got "a-resource-id-that-is-longer-than-40-chars"; must be 1 to 40`}},
			{"Assets[2].ResourceId", []string{`got "logo/1"; must be 1 to 40`}},
			{"Assets[3].ResourceId", []string{"got 7; must be a string"}},
			// 1 and 40 characters pass (Assets[5] and [6]); 0 and 41 are the first refused.
			{"Assets[7].ResourceId", []string{`got "resource id of exactly 41 characters 1234"; must be 1 to 40`}},
		}},
		{"invalid-svg.json", []want{
			{"Assets[0].File", []string{"SVG line 3: <script> element"}},
			{"Assets[1].File", []string{"SVG line 1: event handler attribute onload on <svg>"}},
			{"Assets[2].File", []string{`xlink:href="https://example.com/tracker.png" on <image> is an external reference`}},
			{"Assets[3].File", []string{`href=" Java\tScript:alert(1)" on <a> is a script URL`}},
			{"Assets[4].File", []string{"SVG line 2: <foreignObject> element"}},
			{"Assets[5].File", []string{"SVG line 2: <style> references @import"}},
			{"Assets[5].File", []string{"SVG line 3: style on <rect> references url(http://example.com/p.svg#x)"}},
			{"Assets[6].File", []string{"the root element is <html>, not <svg>"}},
			{"Assets[7].File", []string{"not well-formed XML", "line 3"}},
			{"Assets[8].Bytes", []string{"<script> element"}},
		}},
		{"invalid-asset-shape.json", []want{
			{"Assets[0]", []string{`got "assets/logo.svg"; an asset must be a JSON object`}},
			{"Assets[1].Size", []string{"unknown asset key (keys are case-sensitive); allowed: Category, ColorMode, Extension, Bytes, File, ResourceId"}},
			{"Assets[1].file", []string{"unknown asset key"}},
		}},
		{"invalid-assets-not-array.json", []want{{"Assets", []string{"must be a JSON array of assets"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			file := filepath.Join("testdata", tt.file)
			s, err := LoadWithRoot(file, "testdata")
			if s != nil {
				t.Errorf("got a style along with the error")
			}
			assertProblems(t, err, file, tt.want)
		})
	}
}

func assertProblems(t *testing.T, err error, file string, want []want) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v (%T), want *Error", err, err)
	}
	if len(e.Problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(e.Problems), len(want), err)
	}
	for i, p := range e.Problems {
		if i >= len(want) {
			break
		}
		line := p.String()
		if p.Where != want[i].path {
			t.Errorf("problem %d: path %q, want %q\n%s", i, p.Where, want[i].path, line)
		}
		if p.File != file || !strings.HasPrefix(line, file+":") {
			t.Errorf("problem %d does not name the file %s: %s", i, file, line)
		}
		for _, part := range want[i].parts {
			if !strings.Contains(line, part) {
				t.Errorf("problem %d: %q lacks %q", i, line, part)
			}
		}
	}
}

func TestValidFixtures(t *testing.T) {
	tests := []struct {
		file   string
		assets int
	}{
		{"valid-inline.json", 3},
		{"valid-files.json", 7},
		{"valid-raw-export.json", 2},
		{"valid-cognito-defaults.json", 0},
		{"valid-max-assets.json", 40}, // one more is invalid-too-many-assets.json
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s, err := LoadWithRoot(filepath.Join("testdata", tt.file), "testdata")
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Assets) != tt.assets {
				t.Errorf("got %d assets, want %d", len(s.Assets), tt.assets)
			}
		})
	}
}

func TestValidFiles(t *testing.T) {
	s, err := LoadWithRoot("testdata/valid-files.json", "testdata")
	if err != nil {
		t.Fatal(err)
	}
	// The extension comes from the file name when the field is absent; .jpg means JPEG.
	wantExt := []string{"SVG", "SVG", "ICO", "JPEG", "JPEG", "ICO", "PNG"}
	for i, a := range s.Assets {
		if a.Extension != wantExt[i] {
			t.Errorf("Assets[%d].Extension = %q, want %q", i, a.Extension, wantExt[i])
		}
	}
	logo, _ := os.ReadFile("testdata/assets/logo.svg")
	if got := mustDecode(t, s.Assets[0].Bytes); string(got) != string(logo) {
		t.Errorf("Assets[0].Bytes does not hold logo.svg")
	}
}

func TestCognitoDefaults(t *testing.T) {
	s, err := LoadWithRoot("testdata/valid-cognito-defaults.json", "testdata")
	if err != nil {
		t.Fatal(err)
	}
	if !s.UseCognitoProvidedValues || s.Settings != nil || s.Assets != nil {
		t.Errorf("got %+v, want only UseCognitoProvidedValues", s)
	}
}

// TestRawExport: the shared sample Settings, wrapped as describe-managed-login-branding-by-client
// prints it, loads with the read-only fields dropped and every value as written.
func TestRawExport(t *testing.T) {
	s, err := LoadWithRoot("testdata/valid-raw-export.json", "testdata")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.Settings, DefaultSettings()) {
		t.Errorf("Settings differ from the sample")
	}
	form := s.Settings["components"].(map[string]any)["form"].(map[string]any)
	if got := form["borderRadius"]; got != json.Number("8.0") {
		t.Errorf("borderRadius = %#v, want json.Number(\"8.0\")", got)
	}
	if s.UseCognitoProvidedValues || len(s.Assets) != 2 || s.Assets[0].ResourceId != "a1b2c3d4e5f6" {
		t.Errorf("got %+v", s.Assets)
	}
	// What the stack puts in the template has no read-only field.
	b, _ := json.Marshal(wireStyle(s))
	for _, key := range readOnlyKeys {
		if strings.Contains(string(b), `"`+key+`"`) {
			t.Errorf("%s survived loading", key)
		}
	}
}

// TestRawExportBuilt wraps the sample at test time, with the numeric dates the API returns.
func TestRawExportBuilt(t *testing.T) {
	settings, err := os.ReadFile("defaults/cognito-default-settings.json")
	if err != nil {
		t.Fatal(err)
	}
	doc := `{"ManagedLoginBranding": {"ManagedLoginBrandingId": "0b8f3c2e-6a1d-4f5e-9c7b-2d4e6f8a0b1c",
		"UserPoolId": "eu-west-1_AbCdEfGhI", "UseCognitoProvidedValues": false,
		"CreationDate": 1.736936430123E9, "LastModifiedDate": 1738396800.456,
		"Settings": ` + string(settings) + `, "Assets": []}}`
	file := filepath.Join(t.TempDir(), "export.json")
	os.WriteFile(file, []byte(doc), 0o644)
	s, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.Settings, DefaultSettings()) || len(s.Assets) != 0 {
		t.Errorf("the export did not load as the sample")
	}
}

// TestSampleStyle: the style the default stage deploys loads clean, shows its logo and fits.
func TestSampleStyle(t *testing.T) {
	s, err := Load("style.json")
	if err != nil {
		t.Fatal(err)
	}
	logo := s.Settings["components"].(map[string]any)["form"].(map[string]any)["logo"].(map[string]any)
	if logo["enabled"] != true {
		t.Errorf("components.form.logo.enabled is not true: the logo would not show")
	}
	cats := map[string]bool{}
	for _, a := range s.Assets {
		cats[a.Category] = true
	}
	for _, c := range []string{"FORM_LOGO", "FAVICON_ICO", "FAVICON_SVG"} {
		if !cats[c] {
			t.Errorf("no %s asset", c)
		}
	}
	// Every top-level and second-level part of Cognito's default document is there.
	def := DefaultSettings()
	for top, v := range def {
		for key := range v.(map[string]any) {
			if _, ok := s.Settings[top].(map[string]any)[key]; !ok {
				t.Errorf("Settings.%s.%s is missing", top, key)
			}
		}
	}
	if n := s.EncodedSize(); n > 50_000 {
		t.Errorf("sample style is %d bytes; keep it small", n)
	}
}

func TestLoadUnreadable(t *testing.T) {
	_, err := Load("testdata/no-such-file.json")
	assertProblems(t, err, "testdata/no-such-file.json", []want{{"", []string{"cannot read the branding file: no such file or directory"}}})
}

func TestFindRoot(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644)
	deep := filepath.Join(root, "a", "b")
	os.MkdirAll(deep, 0o755)
	if got := findRoot(deep); got != root {
		t.Errorf("findRoot = %s, want %s", got, root)
	}
	// This package's own root is the module.
	wd, _ := os.Getwd()
	if got := findRoot(wd); got != filepath.Dir(wd) {
		t.Errorf("findRoot(%s) = %s", wd, got)
	}
}

func TestJoinKey(t *testing.T) {
	if got := joinKey("Settings", "a.b"); got != `Settings["a.b"]` {
		t.Errorf("got %s", got)
	}
	if got := joinKey("Settings", "form"); got != "Settings.form" {
		t.Errorf("got %s", got)
	}
}
