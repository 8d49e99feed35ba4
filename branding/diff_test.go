package branding

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestSameValue(t *testing.T) {
	n := func(s string) json.Number { return json.Number(s) }
	for _, tt := range []struct {
		a, b any
		want bool
	}{
		{n("8"), n("8.0"), true},
		{n("8"), n("8.5"), false},
		{"AAAAAAAA", "aaaaaaaa", true},
		{"LIGHT", "light", false},
		{[]any{"ICO", "SVG"}, []any{"ICO", "SVG"}, true},
		{[]any{"ICO", "SVG"}, []any{"SVG", "ICO"}, false},
		{map[string]any{"a": n("1")}, map[string]any{"a": n("1.0")}, true},
		{map[string]any{"a": n("1")}, map[string]any{"a": n("1"), "b": true}, false},
		{true, "true", false},
		{nil, nil, true},
	} {
		if got := sameValue(tt.a, tt.b); got != tt.want {
			t.Errorf("sameValue(%v, %v) = %v", tt.a, tt.b, got)
		}
	}
}

// Settings the file leaves out are no difference when they hold Cognito's default; a
// UseCognitoProvidedValues mismatch is one line, not a list of every setting.
func TestDiffStyles(t *testing.T) {
	custom := &Style{Settings: map[string]any{"components": map[string]any{"form": map[string]any{"borderRadius": json.Number("20")}}}}
	merged := &Style{Settings: DefaultSettings()}
	merged.Settings["components"].(map[string]any)["form"].(map[string]any)["borderRadius"] = json.Number("20.0")
	defaults := &Style{UseCognitoProvidedValues: true}
	for _, tt := range []struct {
		name           string
		deployed, file *Style
		want           []string
	}{
		{"merged deployed, partial file", merged, custom, nil},
		{"defaults deployed", defaults, custom, []string{"UseCognitoProvidedValues: deployed true, file false"}},
		{"custom deployed, file asks for defaults", merged, defaults, []string{"UseCognitoProvidedValues: deployed false, file true"}},
		{"both defaults", defaults, defaults, nil},
		{"deployed key unknown to the defaults", &Style{Settings: map[string]any{"components": map[string]any{"newThing": true}}}, &Style{Settings: map[string]any{}},
			[]string{"Settings.components.newThing: deployed true; not in the file: left behind"}},
		{"file key not deployed", &Style{Settings: map[string]any{"components": map[string]any{"form": map[string]any{}}}}, custom,
			[]string{"Settings.components.form.borderRadius: file 20; not deployed: deploy the file"}},
		{"file key Cognito does not know", &Style{Settings: map[string]any{"components": map[string]any{"form": map[string]any{}}}},
			&Style{Settings: map[string]any{"components": map[string]any{"form": map[string]any{"borderRadiuss": json.Number("20")}}}},
			[]string{"Settings.components.form.borderRadiuss: file 20; not deployed: Cognito does not know the key"}},
		{"provider's key under idpButton.custom, which takes any", &Style{Settings: map[string]any{"components": map[string]any{"idpButton": map[string]any{"custom": map[string]any{}}}}},
			&Style{Settings: map[string]any{"components": map[string]any{"idpButton": map[string]any{"custom": map[string]any{"AcmeSSO": map[string]any{}}}}}},
			[]string{"Settings.components.idpButton.custom.AcmeSSO: file {}; not deployed: deploy the file"}},
		{"object against a value", &Style{Settings: map[string]any{"components": map[string]any{"form": "x"}}}, custom,
			[]string{`Settings.components.form: deployed "x", file {"borderRadius":20}`}},
	} {
		var got []string
		for _, d := range Diff(tt.deployed, tt.file) {
			got = append(got, d.String())
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
			continue
		}
		for i := range got {
			if !strings.HasPrefix(got[i], tt.want[i]) {
				t.Errorf("%s: %q, want %q", tt.name, got[i], tt.want[i])
			}
		}
	}
}

// Button icons are told apart by their provider: one per provider, each compared with its own.
func TestDiffButtonIcons(t *testing.T) {
	icon := func(provider, bytes string) Asset {
		return Asset{Category: IdPButtonIcon, ColorMode: "DYNAMIC", Extension: "SVG", Bytes: bytes, ResourceId: provider}
	}
	deployed := &Style{Settings: map[string]any{}, Assets: []Asset{icon("Okta", "PHN2Zz4="), icon("AcmeSSO", "PHN2Zy8+")}}
	file := &Style{Settings: map[string]any{}, Assets: []Asset{icon("AcmeSSO", "PHN2Zy8+"), icon("Entra", "PHN2Zz4=")}}
	type pathKind struct {
		path string
		kind DiffKind
	}
	var got []pathKind
	for _, d := range Diff(deployed, file) {
		got = append(got, pathKind{d.Path, d.Kind})
	}
	want := []pathKind{{"Assets[IDP_BUTTON_ICON,DYNAMIC,Entra]", NotDeployed}, {"Assets[IDP_BUTTON_ICON,DYNAMIC,Okta]", LeftBehind}}
	if !slices.Equal(got, want) {
		t.Errorf("differences %v, want %v", got, want)
	}
}

// An asset is summarised by type, size and hash; one that is not base64 says so.
func TestAssetSummary(t *testing.T) {
	for _, tt := range []struct {
		a    Asset
		want string
	}{
		{Asset{Extension: "SVG", Bytes: "PHN2Zy8+"}, "SVG, 6 bytes, sha256 d4dc56669143034f"}, // <svg/>
		{Asset{Extension: "PNG", Bytes: "not base64!"}, "PNG, not valid base64"},
	} {
		if got := assetSummary(tt.a); got != tt.want {
			t.Errorf("assetSummary(%+v) = %q, want %q", tt.a, got, tt.want)
		}
	}
}

// A stage deploys a button icon only for one of its providers.
func TestForProviders(t *testing.T) {
	s := &Style{Assets: []Asset{
		{Category: "FORM_LOGO", ColorMode: "DYNAMIC"},
		{Category: IdPButtonIcon, ColorMode: "DYNAMIC", ResourceId: "AcmeSSO"},
		{Category: IdPButtonIcon, ColorMode: "DYNAMIC", ResourceId: "Okta"},
		{Category: IdPButtonIcon, ColorMode: "DYNAMIC"},
	}}
	kept, left := s.ForProviders([]string{"Okta", "Google"})
	if len(kept.Assets) != 2 || kept.Assets[0].Category != "FORM_LOGO" || kept.Assets[1].ResourceId != "Okta" || !slices.Equal(left, []int{1, 3}) {
		t.Errorf("kept %+v, left %v", kept.Assets, left)
	}
	if len(s.Assets) != 4 {
		t.Error("ForProviders changed the style it was given")
	}
}
