package apidoc

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var updateDocs = flag.Bool("update", false, "rewrite the table of error codes in docs/configuration.md")

// The table of error codes in docs/configuration.md sits between these lines.
const (
	errorTableStart = "<!-- error codes: generated from internal/api's ErrorCodes; go test ./internal/apidoc -run TestErrorTableInDocs -update -->\n"
	errorTableEnd   = "<!-- end of error codes -->\n"
)

// TestErrorTableInDocs: the page's table of error codes is ErrorTable, so the codes are written
// once (internal/api) and the page cannot drift from what the handler answers.
func TestErrorTableInDocs(t *testing.T) {
	const page = "../../docs/configuration.md"
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	before, rest, ok := strings.Cut(doc, errorTableStart)
	table, after, ok2 := strings.Cut(rest, errorTableEnd)
	if !ok || !ok2 {
		t.Fatalf("%s has no table of error codes between %q and %q", page, errorTableStart, errorTableEnd)
	}
	want := "\n" + ErrorTable() + "\n"
	if table == want {
		return
	}
	if *updateDocs {
		if err := os.WriteFile(page, []byte(before+errorTableStart+want+errorTableEnd+after), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the table of error codes in %s is not ErrorTable(); run go test ./internal/apidoc -run TestErrorTableInDocs -update", page)
}
