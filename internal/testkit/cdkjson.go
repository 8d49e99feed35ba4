package testkit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// EditCDKJSON writes a copy of the cdk.json at path, its "context" changed by edit, into a
// directory of the test's own and returns the copy's path.
func EditCDKJSON(t testing.TB, path string, edit func(context map[string]any)) string {
	t.Helper()
	var doc map[string]any
	ReadJSON(t, path, &doc)
	context, ok := doc["context"].(map[string]any)
	if !ok {
		t.Fatalf("%s: no context object", path)
	}
	edit(context)
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "cdk.json")
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}
