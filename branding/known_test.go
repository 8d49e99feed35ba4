package branding

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeepKeys: keys below the top level that Cognito's default style lacks, and values of
// another type than the default's, are warnings (the file still loads), one per line, with
// the path, the value, what is allowed and the nearest known key.
func TestDeepKeys(t *testing.T) {
	s, err := LoadWithRoot("testdata/warn-deep-keys.json", "testdata")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join("testdata", "warn-deep-keys.json")
	want := []string{
		file + `: Settings.categories.auth.authMethodOrder[0][0].typ: got "FEDERATED"; unknown key: not in Cognito's default style, so Cognito probably ignores it (keys are case-sensitive); known here: display, type; did you mean "type"?`,
		file + `: Settings.categories.form.displayGraphics: got "true"; true or false here, as in Cognito's default style (true), not a string`,
		file + `: Settings.componentClasses.buttons.borderRadiuss: got 20.0; unknown key: not in Cognito's default style, so Cognito probably ignores it (keys are case-sensitive); known here: borderRadius; did you mean "borderRadius"?`,
		file + `: Settings.components.favicon.enabledTypes[1]: got 2; a string here, as in Cognito's default style ("ICO"), not a number`,
		file + `: Settings.components.form.borderRadius: got "8px"; a number here, as in Cognito's default style (8.0), not a string`,
		file + `: Settings.components.form.ligthMode: got {"backgroundColor":"ffffffff"}; unknown key: not in Cognito's default style, so Cognito probably ignores it (keys are case-sensitive); known here: backgroundImage, borderRadius, darkMode, lightMode, logo; did you mean "lightMode"?`,
		file + `: Settings.components.form.logo.Location: got "START"; unknown key: not in Cognito's default style, so Cognito probably ignores it (keys are case-sensitive); known here: enabled, formInclusion, location, position; did you mean "location"?`,
		file + `: Settings.components.pageBackground.image.zzzzzzzz: got 1; unknown key: not in Cognito's default style, so Cognito probably ignores it (keys are case-sensitive); known here: enabled`,
		file + `: Settings.components.primaryButton.lightMode.defaults.backgroundColr: got "0972d3ff"; unknown key: not in Cognito's default style, so Cognito probably ignores it (keys are case-sensitive); known here: backgroundColor, textColor; did you mean "backgroundColor"?`,
	}
	var got []string
	for _, w := range s.Warnings {
		got = append(got, w.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The committed style, Cognito's own defaults and the valid fixtures give no warnings.
func TestNoDeepWarnings(t *testing.T) {
	for _, file := range []string{"style.json", "testdata/valid-files.json", "testdata/valid-inline.json", "testdata/valid-raw-export.json", "testdata/valid-cognito-defaults.json"} {
		s, err := Load(file)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, w := range s.Warnings {
			t.Errorf("%s: %s", file, w)
		}
	}
}

// Warnings are kept when the file has errors too, so that check can print both.
func TestWarningsWithErrors(t *testing.T) {
	l := &loader{file: "f.json"}
	l.load([]byte(`{"Settings": {"components": {"form": {"lightMode": {"backgroundColor": 5}, "borderRadiuss": 1}}}}`))
	err := l.err().(*Error)
	if len(err.Problems) != 1 || !strings.HasPrefix(err.Problems[0].String(), "f.json: Settings.components.form.lightMode.backgroundColor: got 5; a colour") {
		t.Errorf("problems %v", err.Problems)
	}
	if len(err.Warnings) != 1 || err.Warnings[0].Where != "Settings.components.form.borderRadiuss" {
		t.Errorf("warnings %v", err.Warnings)
	}
	if strings.Contains(err.Error(), "borderRadiuss") {
		t.Errorf("Error() lists warnings: %s", err)
	}
}

// A string where the default holds a colour must be one, whatever its key is called; colour
// keys are left to the colour check, which reports them as errors.
func TestDeepColourValue(t *testing.T) {
	l := &loader{file: "f.json"}
	l.deep("blue", "0972d3ff", "Settings.x.tint", "tint")
	l.deep("0972d3ff", "0972d3ff", "Settings.x.tint", "tint")
	l.deep(5, "0972d3ff", "Settings.x.textColor", "textColor")
	if len(l.warnings) != 1 || l.warnings[0].String() != `f.json: Settings.x.tint: got "blue"; a colour here, as in Cognito's default style ("0972d3ff"): 8 hex digits RRGGBBAA without '#'` {
		t.Errorf("warnings %v", l.warnings)
	}
}

// DefaultSettings hands out a copy: changing it does not change the check.
func TestDefaultSettingsCopy(t *testing.T) {
	d := DefaultSettings()
	d["components"].(map[string]any)["form"] = "gone"
	again, _ := json.Marshal(DefaultSettings()["components"].(map[string]any)["form"])
	if string(again) == `"gone"` {
		t.Error("DefaultSettings shares its tree")
	}
}

// A provider's button icon without ResourceId is a warning: it names no provider, so no stage
// deploys it.
func TestButtonIconWithoutProvider(t *testing.T) {
	root, _ := filepath.Abs("testdata")
	l := &loader{file: "f.json", root: root, dir: root}
	l.load([]byte(`{"Settings": {}, "Assets": [
		{"Category": "IDP_BUTTON_ICON", "ColorMode": "DYNAMIC", "File": "assets/logo.svg"},
		{"Category": "IDP_BUTTON_ICON", "ColorMode": "DYNAMIC", "File": "assets/logo.svg", "ResourceId": "Okta"}]}`))
	if len(l.problems) > 0 {
		t.Fatal(l.err())
	}
	want := `f.json: Assets[0]: an IDP_BUTTON_ICON without ResourceId belongs to no provider's button; set ResourceId to the identity provider's name (the stacks deploy an icon only for a provider of the stage)`
	if len(l.warnings) != 1 || l.warnings[0].String() != want {
		t.Errorf("warnings %v; want only %s", l.warnings, want)
	}
}
