package config

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// Every stage setting has a row in docs/configuration.md's table of stage settings, so a new key cannot ship
// undocumented.
func TestReadmeDocumentsEverySetting(t *testing.T) {
	b, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(b), "\n## Stage settings\n")
	section, _, _ = strings.Cut(section, "\n## ")
	var rows []string
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "| `") {
			key, _, _ := strings.Cut(line[1:], "|")
			rows = append(rows, key)
		}
	}
	st := reflect.TypeFor[Stage]()
	for i := range st.NumField() {
		name, _, _ := strings.Cut(st.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		found := false
		for _, r := range rows {
			found = found || strings.Contains(r, "`"+name+"`")
		}
		if !found {
			t.Errorf("stage setting %q has no row in docs/configuration.md's table of stage settings", name)
		}
	}
}
