package internal_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/cognito-apigw/cognito-apigw/"

// configDeps are the only packages of this module internal/config may link, so that config,
// the stacks and the CLIs do not carry the handler with them: the route table, the name
// suggestions, the linking rule, the loopback and origin rules (callback URLs and CORS origins
// are checked by the same rules the functions and CLIs apply), and the functions' contract
// (the route table's size is checked as ROUTE_TABLE carries it; -c lists are split as the
// functions split theirs), the one problem list, the handler's endpoint list (plain data: no
// public route for an endpoint that needs a caller), the stack and output names (a leaf: the
// CI stack's output keys, one per GitHub environment, must differ), with what those link.
var configDeps = []string{
	"internal/config", "internal/routes", "internal/suggest", "internal/linking", "internal/ascii",
	"internal/loopback", "internal/origin", "internal/fnenv", "internal/problem", "internal/api",
	"internal/names",
}

// TestImportDirection: shared code never links the Lambda's packages, and the configuration
// links only configDeps of this module.
func TestImportDirection(t *testing.T) {
	for _, p := range deps(t, "./...") {
		if strings.HasPrefix(p, module+"lambda") {
			t.Errorf("a package under internal/ depends on %s", p)
		}
	}
	for _, p := range deps(t, "./config") {
		name, ours := strings.CutPrefix(p, module)
		if !ours {
			continue
		}
		allowed := false
		for _, d := range configDeps {
			allowed = allowed || name == d
		}
		if !allowed {
			t.Errorf("internal/config depends on %s; want only %s", p, strings.Join(configDeps, ", "))
		}
	}
}

// TestContractLinksNoCDK: the functions' contract (internal/fnenv) and the rules it applies are
// linked into every Lambda binary, so they never link the CDK or jsii.
func TestContractLinksNoCDK(t *testing.T) {
	for _, p := range deps(t, "./fnenv") {
		if strings.HasPrefix(p, "github.com/aws/aws-cdk-go/") || strings.HasPrefix(p, "github.com/aws/jsii-runtime-go") || strings.HasPrefix(p, "github.com/aws/constructs-go/") {
			t.Errorf("internal/fnenv depends on %s", p)
		}
	}
}

// deps lists the packages pattern links, itself included.
func deps(t *testing.T, pattern string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", pattern).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pattern, err)
	}
	return strings.Fields(string(out))
}
