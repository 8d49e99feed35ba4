package testkit

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// ReadFile is the file at path (relative to the test's package directory), or the test fails.
func ReadFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ReadJSON decodes the JSON file at path into v, or the test fails: aws-lambda-go's
// events/test ReadJSONFromFile, decoded.
func ReadJSON(t testing.TB, path string, v any) {
	t.Helper()
	if err := json.Unmarshal(ReadFile(t, path), v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// proxyEvents is where the sample API Gateway proxy events are, from the module root.
const proxyEvents = "lambda/proxy/handler/testdata"

// ProxyEvent is the sample API Gateway proxy event <name>.json, as the proxy Lambda receives
// it: the Cognito authorizer's claims in its request context, or none on a public route.
func ProxyEvent(t testing.TB, name string) events.APIGatewayProxyRequest {
	t.Helper()
	var ev events.APIGatewayProxyRequest
	ReadJSON(t, filepath.Join(moduleRoot(t), proxyEvents, name+".json"), &ev)
	return ev
}

// ProxyEventFiles are the paths of all the sample proxy events.
func ProxyEventFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(moduleRoot(t), proxyEvents, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample proxy events in %s: %v", proxyEvents, err)
	}
	return files
}

// moduleRoot is the directory of go.mod above the test's package directory.
func moduleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// Golden compares got with the file at path or, when update is true (each package's -update
// flag), writes got there instead.
func Golden(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	line := 0
	for line < len(g) && line < len(w) && bytes.Equal(g[line], w[line]) {
		line++
	}
	at := func(lines [][]byte) string {
		if line < len(lines) {
			return string(lines[line])
		}
		return "(end of file)"
	}
	t.Errorf("%s differs from the output from line %d (if the change is intended: go test -update, and review the diff)\n got: %s\nwant: %s",
		path, line+1, at(g), at(w))
}
