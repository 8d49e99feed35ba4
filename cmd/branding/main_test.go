package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	code, stdout, stderr := testCLI(t, "check", "-root", testdata, testdata+"/valid-files.json", testdata+"/valid-raw-export.json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if want := "OK: 2 branding files, 9 assets; largest style "; !strings.HasPrefix(stdout, want) || strings.Count(stdout, "\n") != 1 {
		t.Errorf("stdout %q, want one line starting %q", stdout, want)
	}
}

func TestCheckProblems(t *testing.T) {
	code, stdout, stderr := testCLI(t, "check", "-root", testdata, testdata+"/valid-inline.json", testdata+"/invalid-enums.json", testdata+"/invalid-json-syntax.json")
	if code != 1 || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	want := []string{
		testdata + `/invalid-enums.json: Assets[0].Category: got "LOGO"; unknown category`,
		testdata + `/invalid-enums.json: Assets[1].ColorMode: got "light"`,
		testdata + `/invalid-enums.json: Assets[2].Category: missing`,
		testdata + `/invalid-enums.json: Assets[3].ColorMode: missing`,
		testdata + `/invalid-json-syntax.json:4:36: invalid JSON`,
		"5 problems in 2 files",
	}
	wantLines(t, stderr, want)
}

// wantLines checks that output has one line for each of want, starting with it.
func wantLines(t *testing.T, output string, want []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(output, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), output)
	}
	for i := range want {
		if !strings.HasPrefix(lines[i], want[i]) {
			t.Errorf("line %d:\n got %s\nwant %s", i, lines[i], want[i])
		}
	}
}

// Deep key and type findings are warnings: printed, counted, exit 0; -strict makes them
// problems (exit 1).
func TestCheckWarnings(t *testing.T) {
	file := testdata + "/warn-deep-keys.json"
	code, stdout, stderr := testCLI(t, "check", "-root", testdata, file)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if len(lines) != 9 || lines[2] != "warning: "+file+`: Settings.componentClasses.buttons.borderRadiuss: got 20.0; unknown key: not in Cognito's default style, so Cognito probably ignores it (keys are case-sensitive); known here: borderRadius; did you mean "borderRadius"?` {
		t.Errorf("stderr:\n%s", stderr)
	}
	if !strings.HasPrefix(stdout, "OK: 1 branding file, 0 assets;") || !strings.HasSuffix(stdout, "; 9 warnings (-strict makes them problems)\n") {
		t.Errorf("stdout %q", stdout)
	}

	code, stdout, stderr = testCLI(t, "check", "-strict", "-root", testdata, file, testdata+"/valid-files.json")
	lines = strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if code != 1 || stdout != "" || len(lines) != 10 || strings.HasPrefix(lines[0], "warning:") || lines[9] != "9 problems in 1 file" {
		t.Errorf("-strict: exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}

	// Errors and warnings of one file are both printed.
	code, _, stderr = testCLI(t, "check", "-root", testdata, testdata+"/invalid-colours.json")
	if code != 1 || !strings.Contains(stderr, "\nwarning: "+testdata+"/invalid-colours.json: Settings.componentClasses.palette: got ") ||
		!strings.HasSuffix(stderr, "\n6 problems in 1 file; 1 warning (-strict makes them problems)\n") {
		t.Errorf("invalid-colours: exit %d, stderr:\n%s", code, stderr)
	}
}

// docs/branding.md's example warning is what check prints for that typo.
func TestCheckReadmeWarning(t *testing.T) {
	readme, err := os.ReadFile("../../docs/branding.md")
	if err != nil {
		t.Fatal(err)
	}
	var quoted string
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "    warning: branding/style.json: ") {
			quoted = strings.TrimPrefix(line, "    ")
		}
	}
	if quoted == "" {
		t.Fatal("docs/branding.md quotes no branding warning")
	}
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "branding"), 0o755)
	os.WriteFile(filepath.Join(dir, "branding", "style.json"), []byte(`{"Settings": {"componentClasses": {"buttons": {"borderRadiuss": 20.0}}}}`), 0o644)
	t.Chdir(dir)
	code, _, stderr := testCLI(t, "check")
	if code != 0 || stderr != quoted+"\n" {
		t.Errorf("exit %d, stderr %q; docs/branding.md quotes %q", code, stderr, quoted)
	}
}

// TestCheckDefault checks the repository's own style, as a pre-commit hook would.
func TestCheckDefault(t *testing.T) {
	t.Chdir("../..")
	code, stdout, stderr := testCLI(t, "check")
	if code != 0 || !strings.HasPrefix(stdout, "OK: 1 branding file, 6 assets;") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{nil, 2, "Usage:"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"check", "-frob"}, 2, "flag provided but not defined: -frob"},
		{[]string{"pull", "-client-id", "c"}, 2, "-user-pool-id and -client-id are required"},
		{[]string{"pull", "-user-pool-id"}, 2, "flag needs an argument"},
		{[]string{"check", "-h"}, 0, "Usage:"},
		// A command's -h shows its usage line and its own flags.
		{[]string{"pull", "-h"}, 0, "Usage: branding pull -user-pool-id ID"},
		{[]string{"pull", "-h"}, 0, "  -dir folder\n"},
		{[]string{"diff", "-h"}, 0, "  -outputs file\n"},
		{[]string{"diff", "-x"}, 2, "branding diff: flag provided but not defined: -x\nRun \"branding diff -h\" for help.\n"},
	}
	for _, tt := range tests {
		code, _, stderr := testCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.err) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr, tt.code, tt.err)
		}
	}
	if code, stdout, _ := testCLI(t, "help"); code != 0 || !strings.Contains(stdout, "branding pull") {
		t.Errorf("help: exit %d, %q", code, stdout)
	}
}
