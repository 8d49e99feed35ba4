package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/apidoc"
	"github.com/cognito-apigw/cognito-apigw/internal/cdkjson"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const cdkJSON = "../../cdk.json"

func testRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUsage(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.json")
	out := filepath.Join(t.TempDir(), "doc.json")
	deployed := "testdata/deployed.outputs.json"
	noIssuer := writeFile(t, "outputs.json", `{"demo-api-dev-auth": {"ClientId": "c"}}`)
	noClient := writeFile(t, "outputs.json", `{"demo-api-dev-auth": {"IssuerUrl": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x", "ManagedLoginUrl": "https://x.auth.eu-west-1.amazoncognito.com"}}`)
	noDomain := writeFile(t, "outputs.json", `{"demo-api-dev-auth": {"ClientId": "c", "IssuerUrl": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x"}}`)
	badMachine := writeFile(t, "outputs.json", `{"demo-api-dev-auth": {"ClientId": "c", "IssuerUrl": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x", "ManagedLoginUrl": "https://x.auth.eu-west-1.amazoncognito.com", "MachineClients": "reporting"}}`)
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"-h"}, 0, "Usage: apidoc -outputs FILE"},
		{[]string{"-fromat", "openapi"}, 2, "flag provided but not defined: -fromat"},
		{[]string{"-cdk-json", cdkJSON, "-outputs", deployed, "-out", out, "stray"}, 2, `unexpected argument "stray"`},
		{[]string{"-cdk-json", cdkJSON, "-outputs", deployed, "-out", out, "-format", "yaml"}, 2, `-format "yaml": want openapi or postman`},
		{[]string{"-cdk-json", cdkJSON, "-outputs", deployed}, 2, "-out is required"},
		{[]string{"-cdk-json", missing, "-outputs", deployed, "-out", out}, 2, "apidoc: the project settings " + missing + " do not exist"},
		{[]string{"-cdk-json", cdkJSON, "-stage", "qa", "-outputs", deployed, "-out", out}, 2, "want one of the stages in cdk.json: dev, prod"},
		{[]string{"-cdk-json", cdkJSON, "-outputs", missing, "-out", out}, 2, "-outputs: outputs file " + missing + " does not exist"},
		{[]string{"-cdk-json", cdkJSON, "-stage", "prod", "-outputs", deployed, "-out", out}, 2, "-outputs: outputs file " + deployed + ": no such stack in the outputs file: want demo-api-prod-auth"},
		{[]string{"-cdk-json", cdkJSON, "-outputs", noIssuer, "-out", out}, 2, "-outputs " + noIssuer + ": no IssuerUrl output for stage dev"},
		{[]string{"-cdk-json", cdkJSON, "-outputs", noClient, "-out", out}, 2, "no ClientId output for stage dev"},
		{[]string{"-cdk-json", cdkJSON, "-outputs", noDomain, "-out", out}, 2, "-outputs " + noDomain + ": no managed-login domain"},
		{[]string{"-cdk-json", cdkJSON, "-outputs", badMachine, "-out", out}, 2, "MachineClients output: machine clients: got \"reporting\"; want name=client id"},
		{[]string{"-cdk-json", cdkJSON, "-outputs", deployed, "-out", out, "-redirect-uri", "https://evil.example/cb"}, 2, `-redirect-uri "https://evil.example/cb": want one of stage dev's callbackUrls: http://localhost:3000/auth/callback, http://127.0.0.1:8976/callback`},
		{[]string{"-cdk-json", cdkJSON, "-outputs", deployed, "-out", filepath.Join(missing, "doc.json")}, 1, "apidoc: open " + filepath.Join(missing, "doc.json")},
	}
	for _, tc := range tests {
		code, _, stderr := testRun(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.err) {
			t.Errorf("%v:\nexit %d, stderr %q\nwant exit %d and %q", tc.args, code, stderr, tc.code, tc.err)
		}
		if strings.Contains(stderr, "goroutine ") {
			t.Errorf("%v: a Go stack trace: %s", tc.args, stderr)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed run wrote the output file")
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testkit.Golden(t, filepath.Join("testdata", name), got, *update)
}

// TestGolden: the stage's documents, byte for byte, for a deployed stage and a local run.
// .ci/run lints the OpenAPI ones with @redocly/cli.
func TestGolden(t *testing.T) {
	tests := []struct{ outputs, format, golden string }{
		{"testdata/deployed.outputs.json", "openapi", "openapi.golden.json"},
		{"testdata/local.outputs.json", "openapi", "openapi.local.golden.json"},
		{"testdata/deployed.outputs.json", "postman", "postman.golden.json"},
		{"testdata/local.outputs.json", "postman", "postman.local.golden.json"},
	}
	for _, tc := range tests {
		t.Run(tc.golden, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "doc.json")
			code, _, stderr := testRun(t, "-cdk-json", cdkJSON, "-outputs", tc.outputs, "-format", tc.format, "-out", out)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			got := testkit.ReadFile(t, out)
			golden(t, tc.golden, got)
			// The same inputs again: the same bytes, on standard output too.
			_, stdout, _ := testRun(t, "-cdk-json", cdkJSON, "-outputs", tc.outputs, "-format", tc.format, "-out", "-")
			if stdout != string(got) {
				t.Error("a second run (-out -) printed other bytes")
			}
		})
	}
	// What the handler serves at GET /openapi.json for the dev table: placeholders for the URLs.
	cfg, err := cdkjson.Load(cdkJSON, "dev")
	if err != nil {
		t.Fatal(err)
	}
	served, err := apidoc.OpenAPI(cfg.Routes, apidoc.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "openapi.served.golden.json", served)
}

func TestLocalURLs(t *testing.T) {
	_, stdout, _ := testRun(t, "-cdk-json", cdkJSON, "-outputs", "testdata/local.outputs.json", "-out", "-")
	for _, want := range []string{
		`"authorizationUrl": "http://localhost:9229/oauth2/authorize"`,
		`"tokenUrl": "http://localhost:9229/oauth2/token"`,
		`"openIdConnectUrl": "http://localhost:9229/local_5d2Nq8xY/.well-known/openid-configuration"`,
		`"url": "http://127.0.0.1:8080"`,
		"cognito-local",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("local document: no %s", want)
		}
	}
	if strings.Contains(stdout, "amazoncognito.com") || strings.Contains(stdout, "amazonaws.com") {
		t.Error("local document names AWS URLs")
	}
}

// TestRouteChangeChangesDocument: the document follows cdk.json's route table.
func TestRouteChangeChangesDocument(t *testing.T) {
	path := testkit.EditCDKJSON(t, cdkJSON, func(context map[string]any) {
		defaults := context["defaults"].(map[string]any)
		table := defaults["routes"].([]any)
		table[1].(map[string]any)["groups"] = []string{"admin"} // GET /me for admins only
		defaults["routes"] = append(table, map[string]any{"method": "GET", "path": "/openapi.json", "access": "public"})
	})

	_, base, _ := testRun(t, "-cdk-json", cdkJSON, "-outputs", "testdata/deployed.outputs.json", "-out", "-")
	code, got, stderr := testRun(t, "-cdk-json", path, "-outputs", "testdata/deployed.outputs.json", "-out", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got == base {
		t.Fatal("the document did not change with the route table")
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]any `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal([]byte(got), &doc); err != nil {
		t.Fatal(err)
	}
	if _, ok := doc.Paths["/openapi.json"]["get"]; !ok {
		t.Error("the added route GET /openapi.json is not in the document")
	}
	if _, ok := doc.Paths["/me"]["get"].Responses["403"]; !ok {
		t.Error("GET /me with a group: no 403 not_in_group")
	}
}
