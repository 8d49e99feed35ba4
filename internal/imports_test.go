package internal_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/cognito-apigw/cognito-apigw/"

// TestImportDirection: shared code never links the Lambda's packages, and the configuration
// links only the route table, the name suggestions, the linking rule and the problem list of
// this module, so that config, the stacks and the CLIs do not carry the handler with them.
func TestImportDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, module+"lambda") {
			t.Errorf("a package under internal/ depends on %s", p)
		}
	}
	out, err = exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "./config").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		switch strings.TrimPrefix(p, module) {
		case "internal/config", "internal/routes", "internal/suggest", "internal/linking", "internal/ascii", "internal/problem":
		default:
			if strings.HasPrefix(p, module) {
				t.Errorf("internal/config depends on %s; want internal/routes, internal/suggest, internal/linking and internal/problem only", p)
			}
		}
	}
}
