package testkit

import (
	"io/fs"
	"os"
	"testing"
)

// DirFiles is every file under dir with its content, keyed by its slash-separated path
// relative to dir: a snapshot to compare a written folder with, or the test fails.
func DirFiles(t testing.TB, dir string) map[string]string {
	t.Helper()
	root := os.DirFS(dir)
	files := map[string]string{}
	err := fs.WalkDir(root, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(root, path)
		files[path] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
