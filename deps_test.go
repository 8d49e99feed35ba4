package main

import (
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// jsii-runtime-go before v1.142.0 waited for its Node process twice at exit and printed
// "Runtime process exited abnormally: waitid: no child processes" into some syntheses; the
// README's troubleshooting section says the pinned version no longer does.
func TestJsiiRuntimeWaitsOnce(t *testing.T) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("no build info")
	}
	for _, dep := range info.Deps {
		if dep.Path == "github.com/aws/jsii-runtime-go" {
			if !atLeast(dep.Version, 1, 142) {
				t.Errorf("jsii-runtime-go %s prints a waitid error at exit; pin v1.142.0 or later (see README, Troubleshooting)", dep.Version)
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
