//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// runSmoke runs `authctl smoke` against the local stack, as a deployed stage is checked: the
// same command, the same journeys. What cognito-local lacks must be printed as skipped, and
// everything else must pass.
func runSmoke(t *testing.T, tools tool) {
	t.Helper()
	code, stdout, stderr := tools.run("", "smoke")
	t.Logf("authctl smoke:\n%s%s", stdout, stderr)
	if code != 0 {
		t.Fatalf("authctl smoke against the local stack: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^ok +public route +GET /health: 200`),
		regexp.MustCompile(`(?m)^ok +discovery document `),
		regexp.MustCompile(`(?m)^ok +JWKS `),
		regexp.MustCompile(`(?m)^ok +CORS preflight, allowed origin +OPTIONS /me from http://localhost:3000`),
		regexp.MustCompile(`(?m)^ok +CORS preflight, foreign origin `),
		regexp.MustCompile(`(?m)^ok +sign-in \(throwaway user\) +created smoke-`),
		regexp.MustCompile(`(?m)^ok +signed-in user's /me +GET /me: 200 with the ID token, 401 with the access token`),
		regexp.MustCompile(`(?m)^ok +scoped route +GET /items: 200 with the access token`),
		regexp.MustCompile(`(?m)^ok +refused route +GET /admin: 403 not_in_group`),
		regexp.MustCompile(`(?m)^skip +machine client +cognito-local has no client credentials`),
		regexp.MustCompile(`(?m)^ok +refresh `),
		regexp.MustCompile(`(?m)^skip +revocation +cognito-local has no /oauth2/revoke`),
		regexp.MustCompile(`(?m)^ok +cleanup +deleted the throwaway user smoke-`),
		regexp.MustCompile(`(?m)^smoke check passed: 10 journeys, 2 skipped$`),
	} {
		if !want.MatchString(stdout) {
			t.Errorf("authctl smoke's report lacks %s", want)
		}
	}
	// A broken journey stops the walk with exit 1 and a line naming it: here the API is
	// somewhere nothing answers.
	dead := filepath.Join(t.TempDir(), "dead-outputs.json")
	b, err := os.ReadFile(tools.outputs)
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]map[string]string
	json.Unmarshal(b, &file)
	file["demo-api-dev-api"]["ApiUrl"] = "http://127.0.0.1:1/"
	b, _ = json.Marshal(file)
	os.WriteFile(dead, b, 0o644)
	broken := tools
	broken.outputs = dead
	code, stdout, stderr = broken.run("", "smoke")
	if code != 1 || !strings.Contains(stdout, "FAIL  public route") || !strings.Contains(stderr, `journey "public route" is broken`) {
		t.Errorf("smoke against a dead API: exit %d; want 1 naming the public route\n%s%s", code, stdout, stderr)
	}
}

// runNewman generates the Postman collection with cmd/apidoc, as a user would, and runs it
// with newman (pinned in package.json) with the tokens authctl printed as shell exports in
// the collection's variables: every request must pass its status and body assertions.
func runNewman(t *testing.T, ctx context.Context, root, tmp, apidoc string, tools tool, exports string) {
	t.Helper()
	collection := filepath.Join(tmp, "postman.json")
	cmd := exec.CommandContext(ctx, apidoc, "-cdk-json", tools.cdkJSON, "-outputs", tools.outputs, "-format", "postman", "-out", collection)
	cmd.Env = append(os.Environ(), toolEnv()...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("apidoc -format postman: %v\n%s", err, out)
	}
	report := filepath.Join(tmp, "newman.json")
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	newman := exec.CommandContext(ctx, filepath.Join(root, "node_modules", ".bin", "newman"), "run", collection,
		"--env-var", "idToken="+exportedValue(t, exports, "ID_TOKEN"),
		"--env-var", "accessToken="+exportedValue(t, exports, "ACCESS_TOKEN"),
		"--reporters", "cli,json", "--reporter-json-export", report, "--color", "off", "--disable-unicode")
	newman.Env = append(os.Environ(), "NO_COLOR=1")
	out, err := newman.CombinedOutput()
	if err != nil {
		t.Fatalf("newman run: %v\n%s", err, out)
	}
	var summary struct {
		Run struct {
			Stats map[string]struct{ Total, Failed int } `json:"stats"`
		} `json:"run"`
	}
	b, _ := os.ReadFile(report)
	if err := json.Unmarshal(b, &summary); err != nil {
		t.Fatalf("newman's JSON report: %v", err)
	}
	req, asserts := summary.Run.Stats["requests"], summary.Run.Stats["assertions"]
	t.Logf("newman: %d requests (%d failed), %d assertions (%d failed)", req.Total, req.Failed, asserts.Total, asserts.Failed)
	if req.Total == 0 || asserts.Total < 2*req.Total || asserts.Failed != 0 || req.Failed != 0 {
		t.Errorf("newman: %d requests, %d assertions, %d failed; want at least two assertions per request and none failed\n%s", req.Total, asserts.Total, asserts.Failed, out)
	}
	// Without tokens the protected requests get 401 and newman fails the run: the assertions bite.
	bare := exec.CommandContext(ctx, filepath.Join(root, "node_modules", ".bin", "newman"), "run", collection, "--reporters", "cli", "--color", "off", "--disable-unicode")
	if out, err := bare.CombinedOutput(); err == nil || !strings.Contains(string(out), "expected response to have status code 200 but got 401") {
		t.Errorf("newman without tokens: %v; want a failed run with the 401s asserted\n%s", err, out)
	}
}
