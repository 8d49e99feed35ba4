package fnenv

import (
	"reflect"
	"strings"
	"testing"
)

func TestFormatMachineClients(t *testing.T) {
	for _, tc := range []struct {
		ids  map[string]string
		want string
	}{
		{nil, ""},
		{map[string]string{"reporting": "abc"}, "reporting=abc"},
		// Sorted as pairs, as the templates have always been: "rep-x=" before "rep=".
		{map[string]string{"reporting": "abc", "billing": "def", "rep": "g", "rep-x": "h"}, "billing=def,rep-x=h,rep=g,reporting=abc"},
	} {
		if got := FormatMachineClients(tc.ids, strings.Join); got != tc.want {
			t.Errorf("FormatMachineClients(%v) = %q, want %q", tc.ids, got, tc.want)
		}
	}
}

func TestParseMachineClients(t *testing.T) {
	got, err := ParseMachineClients(" reporting = abc123 ,billing=def456,, " + name32 + "=ghi789")
	want := map[string]string{"reporting": "abc123", "billing": "def456", name32: "ghi789"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ParseMachineClients = %v, %v; want %v", got, err, want)
	}
	if got, err := ParseMachineClients(""); err != nil || got == nil || len(got) != 0 {
		t.Errorf("ParseMachineClients(\"\") = %#v, %v; want an empty map", got, err)
	}
	if got, err := ParseMachineClients("billing=def456,reporting=a=b"); err != nil || got["reporting"] != "a=b" {
		t.Errorf("ParseMachineClients = %v, %v; want the id to be everything after the first =", got, err)
	}
	for in, msg := range map[string]string{
		"reporting":               "want name=client id",
		"reporting=":              "want name=client id",
		"reporting= ":             "want name=client id",
		"=abc123":                 "want a client name",
		"Reporting=abc123":        "want a client name",
		"web=abc123":              `other than "web"`,
		name32 + "x=abc123":       "want a client name",
		"reporting=a,reporting=b": `"reporting" appears twice`,
	} {
		got, err := ParseMachineClients(in)
		if err == nil || !strings.HasPrefix(err.Error(), "machine clients: ") || !strings.Contains(err.Error(), msg) || got != nil {
			t.Errorf("ParseMachineClients(%q) = %v, %v; want no map and an error with %q", in, got, err, msg)
		}
	}
	// Every bad pair at once, one line each.
	_, err = ParseMachineClients("a,B=1,web=2,ok=3")
	if err == nil || strings.Count(err.Error(), "\n") != 2 {
		t.Errorf("ParseMachineClients with three bad pairs: %v, want three lines", err)
	}
}

func TestClientNames(t *testing.T) {
	c := Clients{Web: []string{"web1", "web2"}, Machine: map[string]string{"reporting": "m1", "billing": "m2"}}
	names, err := c.Names()
	if want := map[string]string{"web1": "web", "web2": "web", "m1": "reporting", "m2": "billing"}; err != nil || !reflect.DeepEqual(names, want) {
		t.Errorf("Names = %v, %v; want %v", names, err, want)
	}
	if got, want := c.IDs(), []string{"web1", "web2", "m2", "m1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("IDs = %q, want %q (web clients, then machine clients by name)", got, want)
	}
	// One id under two names would let map order decide which routes its tokens may call.
	for _, machine := range []map[string]string{{"a": "m1", "b": "m1"}, {"a": "web1"}} {
		if _, err := (Clients{Web: []string{"web1"}, Machine: machine}).Names(); err == nil || !strings.Contains(err.Error(), "one name per client") {
			t.Errorf("Names(%v): %v, want a refusal", machine, err)
		}
	}
	// Client names of up to 32 characters.
	if names, err := (Clients{Machine: map[string]string{name32: "m1"}}).Names(); err != nil || names["m1"] != name32 {
		t.Errorf("Names with a 32-character name = %v, %v", names, err)
	}
	// Every bad entry at once, one line each: a name that is no client name, the web client's
	// name, no id, a name of 33 characters.
	_, err = (Clients{Machine: map[string]string{"Bad": "m1", "web": "m2", "billing": "", name32 + "x": "m3"}}).Names()
	for _, want := range []string{`"Bad"="m1"`, `"web"="m2"`, `"billing"=""`, `"` + name32 + `x"="m3"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Names: %v, want %s refused", err, want)
		}
	}
	if err == nil || strings.Count(err.Error(), "\n") != 3 {
		t.Errorf("Names: %v, want four lines", err)
	}
}
