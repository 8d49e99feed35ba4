package problem

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

// TestString: every part of a line only when set, in the one order config, routes and
// branding share.
func TestString(t *testing.T) {
	for _, tt := range []struct {
		p    Problem
		want string
	}{
		{At("stages.dev.routes[2].method", "get", "want GET"), `stages.dev.routes[2].method: got "get"; want GET`},
		{At("w", []string(nil), "want some"), "w: got null; want some"},
		{Problem{Where: "-c logoutUrls", Value: "an empty value", Want: "want URLs"}, "-c logoutUrls: got an empty value; want URLs"},
		{Problem{Where: "stages.dev.retain", Want: "unknown setting"}, "stages.dev.retain: unknown setting"},
		{Problem{File: "b.json", Where: "Assets[3].Category", Value: `"X"`, Want: "unknown"}, `b.json: Assets[3].Category: got "X"; unknown`},
		{Problem{File: "b.json", Where: "Assets", Want: "too many"}, `b.json: Assets: too many`},
		{Problem{File: "b.json", Value: `["Settings"]`, Want: "want an object"}, `b.json: got ["Settings"]; want an object`},
		{Problem{File: "b.json", Line: 2, Column: 7, Want: "invalid JSON"}, `b.json:2:7: invalid JSON`},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

// TestList: one line a problem; no problems is no error, not an empty one.
func TestList(t *testing.T) {
	var l List
	if l.Err() != nil {
		t.Errorf("an empty list is the error %v", l.Err())
	}
	l.Add("a", 1, "want 2")
	l = append(l, Problem{Where: "b", Want: "missing"})
	var got List
	if !errors.As(l.Err(), &got) || len(got) != 2 {
		t.Fatalf("Err() = %#v", l.Err())
	}
	if want := "a: got 1; want 2\nb: missing"; l.Error() != want {
		t.Errorf("Error() = %q, want %q", l.Error(), want)
	}
}

// TestShow: values are shown as JSON, a string whole up to 80 characters (not bytes) and cut
// after that with its length; other values cut by the length of their JSON; HTML characters
// are not escaped.
func TestShow(t *testing.T) {
	e := func(n int) string { return strings.Repeat("é", n) }
	for _, tt := range []struct {
		v    any
		want string
	}{
		{"LIGHT", `"LIGHT"`},
		{[]any{"a", 1.5}, `["a",1.5]`},
		{json.RawMessage(`{"a": 8.0}`), `{"a":8.0}`}, // numbers as written
		{"https://a.example.com/cb?x=1&y=<2>", `"https://a.example.com/cb?x=1&y=<2>"`},
		{e(80), `"` + e(80) + `"`},
		{e(81), `"` + e(80) + `..." (81 characters)`},
		{"\n" + e(200), `"\n` + e(79) + `..." (201 characters)`}, // a base64 blob, say
		{[]string{e(40), e(40)}, `["` + e(40) + `","` + e(35) + `... (87 characters of JSON)`},
		{math.Inf(1), "+Inf"}, // not JSON (only from code)
	} {
		if got := Show(tt.v); got != tt.want {
			t.Errorf("Show(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
