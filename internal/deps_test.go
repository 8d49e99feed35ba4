package internal_test

import (
	"fmt"
	"go/version"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// jsii-runtime-go before v1.142.0 waited for its Node process twice at exit and printed
// "Runtime process exited abnormally: waitid: no child processes" into some syntheses; the
// docs/troubleshooting.md says the pinned version no longer does. The version is the one the
// app (the module's root package) links, as go list resolves it.
func TestJsiiRuntimeWaitsOnce(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{.Path}} {{.Version}}{{end}}", strings.TrimSuffix(module, "/")).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for line := range strings.Lines(string(out)) {
		if version, ok := strings.CutPrefix(strings.TrimSpace(line), "github.com/aws/jsii-runtime-go "); ok {
			if !atLeast(version, 1, 142) {
				t.Errorf("jsii-runtime-go %s prints a waitid error at exit; pin v1.142.0 or later (see docs/troubleshooting.md)", version)
			}
			return
		}
	}
	t.Fatal("jsii-runtime-go is not a dependency of the app")
}

// atLeast reports whether version vMAJOR.MINOR.PATCH is at least major.minor.
func atLeast(version string, major, minor int) bool {
	parts := strings.SplitN(strings.TrimPrefix(version, "v"), ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, err1 := strconv.Atoi(parts[0])
	mi, err2 := strconv.Atoi(parts[1])
	return err1 == nil && err2 == nil && (ma > major || ma == major && mi >= minor)
}

func TestAtLeast(t *testing.T) {
	for v, want := range map[string]bool{"v1.142.0": true, "v1.142.1": true, "v2.0.0": true, "v1.141.9": false, "v1.99.0": false, "(devel)": false} {
		if got := atLeast(v, 1, 142); got != want {
			t.Errorf("atLeast(%q, 1, 142) = %v, want %v", v, got, want)
		}
	}
}

// firstFixedGo is the first Go release without the standard library vulnerabilities that
// govulncheck found reachable from this code in go1.26.8 (net/http, crypto/tls, crypto/x509,
// html/template; fixed in go1.26.9 and go1.26.10). go.mod's go line must not go below it.
const firstFixedGo = "go1.26.10"

// The go line is what makes every go command here, and so the Lambda build, use a fixed
// toolchain: an older Go fetches this one (GOTOOLCHAIN=auto) or refuses to build.
func TestGoLineHasSecurityFixes(t *testing.T) {
	line, err := goLine("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if version.Compare("go"+line, firstFixedGo) < 0 {
		t.Errorf("go.mod says go %s; the Lambdas would be built with a Go that has known reachable vulnerabilities, want %s or later", line, strings.TrimPrefix(firstFixedGo, "go"))
	}
}

// goLine returns the version on the go line of a go.mod file, e.g. "1.26.10".
func goLine(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	for l := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "go "); ok {
			return strings.TrimSpace(v), nil
		}
	}
	return "", fmt.Errorf("%s has no go line", path)
}
