package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
)

// editExport changes the export the fake Cognito sends: edit gets the ManagedLoginBranding object.
func editExport(t *testing.T, edit func(style map[string]any)) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(exportJSON(t, false)))
	dec.UseNumber()
	var doc map[string]map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	edit(doc["ManagedLoginBranding"])
	b, _ := json.Marshal(doc)
	return b
}

func at(m map[string]any, path ...string) map[string]any {
	for _, k := range path {
		m = m[k].(map[string]any)
	}
	return m
}

// TestDiff pulls a style, compares it with the deployed one (no differences, exit 0), then
// changes both sides and expects each kind of difference by JSON path (exit 1).
func TestDiff(t *testing.T) {
	reply := exportJSON(t, false)
	srv, requests := fakeCognito(t, func() (int, []byte) { return 200, reply })
	dir := filepath.Join(t.TempDir(), "branding")
	ids := []string{"-user-pool-id", "eu-west-1_AbCdEfGhI", "-client-id", "1example23456789", "-region", "eu-west-1", "-endpoint", srv.URL}
	if code, _, stderr := testCLI(t, append([]string{"pull", "-dir", dir}, ids...)...); code != 0 {
		t.Fatalf("pull: exit %d: %s", code, stderr)
	}
	file := filepath.Join(dir, "style.json")

	code, stdout, stderr := testCLI(t, append(append([]string{"diff"}, ids...), file)...)
	if code != 0 || stderr != "" || stdout != "no differences: the style deployed for client 1example23456789 is "+file+"\n" {
		t.Fatalf("unchanged: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if got := (*requests)[len(*requests)-1]; got["ReturnMergedResources"] != true {
		t.Errorf("diff asked without merged resources: %v", got)
	}

	// Deployed: the form logo switched on (a key the file will not have), 8 written as 8, the
	// pending colour in lower case (neither is a difference).
	reply = editExport(t, func(style map[string]any) {
		s := style["Settings"].(map[string]any)
		at(s, "components", "form", "logo")["enabled"] = true
		at(s, "componentClasses", "input")["borderRadius"] = json.Number("8")
		at(s, "componentClasses", "statusIndicator", "lightMode", "pending")["indicatorColor"] = "aaaaaaaa"
	})
	// The file: another button radius, no components.form, a key Cognito does not know, the
	// form logo gone, another favicon, a new dark logo.
	var doc map[string]any
	b, _ := os.ReadFile(file)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	s := doc["Settings"].(map[string]any)
	at(s, "componentClasses", "buttons")["borderRadius"] = json.Number("20.0")
	at(s, "componentClasses", "buttons")["borderRadiuss"] = json.Number("20.0")
	delete(at(s, "components"), "form")
	doc["Assets"] = []any{
		map[string]any{"Category": "FAVICON_ICO", "ColorMode": "DYNAMIC", "File": "assets/other.ico"},
		map[string]any{"Category": "FORM_LOGO", "ColorMode": "DARK", "File": "assets/form-logo-light.svg"},
		map[string]any{"Category": "PAGE_BACKGROUND", "ColorMode": "DARK", "File": "assets/page-background-dark.jpg"},
	}
	ico, _ := os.ReadFile(filepath.Join(testdata, "assets", "favicon.ico"))
	os.WriteFile(filepath.Join(dir, "assets", "other.ico"), append(ico, 0), 0o644)
	b, _ = json.MarshalIndent(doc, "", "  ")
	os.WriteFile(file, b, 0o644)

	code, stdout, stderr = testCLI(t, append(append([]string{"diff"}, ids...), file)...)
	if code != 1 || stderr != "" {
		t.Fatalf("drift: exit %d, stderr %q", code, stderr)
	}
	sum := func(name string) string {
		b, _ := os.ReadFile(filepath.Join(testdata, "assets", name))
		return assetHash(b)
	}
	want := []string{
		`Settings.componentClasses.buttons.borderRadius: deployed 8.0, file 20.0`,
		`Settings.componentClasses.buttons.borderRadiuss: file 20.0; not deployed: Cognito does not know the key and ignored it (see branding check's warnings)`,
		`Settings.components.form.logo.enabled: deployed true; not in the file: left behind, because Cognito applies updates as a patch`,
		`Assets[FAVICON_ICO,DYNAMIC]: deployed ICO, ` + itoa(len(ico)) + ` bytes, sha256 ` + sum("favicon.ico") + `, file ICO, ` + itoa(len(ico)+1) + ` bytes, sha256 ` + assetHash(append(ico, 0)),
		`Assets[FORM_LOGO,LIGHT]: deployed SVG, ` + itoa(len(readFile(t, "logo.svg"))) + ` bytes, sha256 ` + sum("logo.svg") + `; not in the file: left behind, because Cognito applies updates as a patch`,
		`Assets[FORM_LOGO,DARK]: file SVG, ` + itoa(len(readFile(t, "logo.svg"))) + ` bytes, sha256 ` + sum("logo.svg") + `; not deployed: deploy the file`,
		`6 differences between the style deployed for client 1example23456789 and ` + file,
		`to remove what is left behind: set those keys and assets in ` + file + ` to what you want`,
	}
	wantLines(t, stdout, want)
}

// With -outputs the ids (and Region and endpoint) come from the outputs file, and the file
// compared is the stage's brandingFile in cdk.json.
func TestDiffOutputs(t *testing.T) {
	srv, requests := fakeCognito(t, func() (int, []byte) { return 200, exportJSON(t, false) })
	outFile := filepath.Join(t.TempDir(), "cdk-outputs.json")
	b, err := outputs.Marshal("demo-api", "dev", outputs.Stage{UserPoolID: "eu-west-1_Out", ClientID: "outclient", Region: "eu-west-1", CognitoEndpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(outFile, b, 0o644)
	code, stdout, stderr := testCLI(t, "diff", "-outputs", outFile, "-cdk-json", "../../cdk.json")
	if code != 1 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	// The committed style has its own colours: the Cognito defaults deployed differ.
	if !strings.Contains(stdout, "between the style deployed for client outclient and "+filepath.Join("../..", "branding/style.json")+"\n") ||
		!strings.Contains(stdout, "Settings.categories.global.colorSchemeMode: deployed \"LIGHT\", file \"DYNAMIC\"\n") {
		t.Errorf("stdout:\n%s", stdout)
	}
	// The file's button icon for prod's provider is not what dev deploys, so it is no difference.
	if strings.Contains(stdout, "IDP_BUTTON_ICON") {
		t.Errorf("dev has no identity providers, yet the diff names a button icon:\n%s", stdout)
	}
	if got := (*requests)[0]; got["UserPoolId"] != "eu-west-1_Out" || got["ClientId"] != "outclient" {
		t.Errorf("request %v", got)
	}
}

// Without ids or -outputs, diff reads the deploy's outputs file where it runs.
func TestDiffDefaultOutputs(t *testing.T) {
	reply := exportJSON(t, false)
	srv, requests := fakeCognito(t, func() (int, []byte) { return 200, reply })
	cdk, err := filepath.Abs("../../cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	b, _ := outputs.Marshal("demo-api", "dev", outputs.Stage{UserPoolID: "eu-west-1_Def", ClientID: "defclient", Region: "eu-west-1", CognitoEndpoint: srv.URL})
	os.WriteFile(outputs.DefaultFile, b, 0o644)
	code, stdout, stderr := testCLI(t, "diff", "-cdk-json", cdk)
	if code != 1 || stderr != "" || !strings.Contains(stdout, "between the style deployed for client defclient and ") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if got := (*requests)[0]; got["UserPoolId"] != "eu-west-1_Def" {
		t.Errorf("request %v", got)
	}
}

func TestDiffErrors(t *testing.T) {
	srv, _ := fakeCognito(t, func() (int, []byte) {
		return 400, []byte(`{"__type": "ResourceNotFoundException", "message": "No managed login branding for client"}`)
	})
	valid := testdata + "/valid-inline.json"
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{valid}, "branding diff: pass -user-pool-id and -client-id, or -outputs FILE"},
		{[]string{"-user-pool-id", "p", "-client-id", "c", "a.json", "b.json"}, `branding diff: unexpected argument "b.json"`},
		{[]string{"-outputs", "nope.json", "-cdk-json", "../../cdk.json"}, "branding diff: -outputs: outputs file nope.json does not exist"},
		{[]string{"-user-pool-id", "p", "-client-id", "c", "-cdk-json", "nope.json"}, "branding diff: the project settings nope.json do not exist"},
		{[]string{"-user-pool-id", "p", "-client-id", "c", testdata + "/invalid-enums.json"}, "branding diff: " + testdata + "/invalid-enums.json cannot be deployed as it is; fix it first:\n" + testdata + `/invalid-enums.json: Assets[0].Category: got "LOGO"`},
		{[]string{"-user-pool-id", "p", "-client-id", "c", "-region", "eu-west-1", "-endpoint", srv.URL, valid}, "branding diff: operation error Cognito Identity Provider: DescribeManagedLoginBrandingByClient"},
	} {
		code, stdout, stderr := testCLI(t, append([]string{"diff"}, tt.args...)...)
		if code != 2 || stdout != "" || !strings.HasPrefix(stderr, tt.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, code, stdout, stderr, tt.want)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// assetHash is how diff names an asset's content: the first 16 hex digits of its SHA-256.
func assetHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:16]
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdata, "assets", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
