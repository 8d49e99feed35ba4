// Package problem is the one way the configuration, the route table and the branding files
// report bad input: a Problem per thing wrong, one line each, naming where it is, the bad
// value and what is allowed, and a List that is the error holding them all. It imports
// nothing of the module, so every package may use it.
package problem

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Problem is one thing wrong with the input.
type Problem struct {
	File   string // the file it is in, as the user named it; "" for the CDK context
	Line   int    // 1-based line in File, 0 when unknown (set only for JSON syntax errors)
	Column int    // as Line
	// Where is the setting or JSON path, e.g. stages.dev.routes[2].method; "" for the input
	// as a whole.
	Where string
	// Value is the bad value as the line shows it: Show(v), or a description such as
	// "an empty list" where the value must not be echoed or says nothing; "" for none.
	Value string
	// Want is what is allowed, and why the value is not where that helps.
	Want string
}

// At is the problem of value at where, the value shown by Show.
func At(where string, value any, want string) Problem {
	return Problem{Where: where, Value: Show(value), Want: want}
}

// String is the problem's line: "file:line:column: where: got value; want", each part only
// when set.
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d:%d", p.Line, p.Column)
		}
		b.WriteString(": ")
	}
	if p.Where != "" {
		b.WriteString(p.Where + ": ")
	}
	if p.Value != "" {
		b.WriteString("got " + p.Value + "; ")
	}
	b.WriteString(p.Want)
	return b.String()
}

// List is every problem found, in the order found; as an error it is one line a problem.
type List []Problem

// Add records the problem of value at where.
func (l *List) Add(where string, value any, want string) {
	*l = append(*l, At(where, value, want))
}

func (l List) Error() string {
	lines := make([]string, len(l))
	for i, p := range l {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Err is l as an error, or nil when l is empty (an empty List in an error is not nil).
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// maxShown is how many characters of a value a line shows, so that a base64 blob or an
// email body does not flood it; URLs and ARNs of usual length stay whole.
const maxShown = 80

// Show renders a value for a problem line: as JSON, without HTML escapes so that a URL's &
// stays readable. A longer string is cut after maxShown characters and followed by its own
// length, which is what a length limit is about; other values by the length of their JSON.
func Show(v any) string {
	if s, ok := v.(string); ok {
		r := []rune(s)
		if len(r) <= maxShown {
			return encode(s)
		}
		cut := encode(string(r[:maxShown]))
		return fmt.Sprintf(`%s..." (%d characters)`, cut[:len(cut)-1], len(r))
	}
	s := encode(v)
	if r := []rune(s); len(r) > maxShown {
		return fmt.Sprintf("%s... (%d characters of JSON)", string(r[:maxShown]), len(r))
	}
	return s
}

func encode(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return fmt.Sprint(v) // not JSON, e.g. +Inf: only from code
	}
	return strings.TrimSuffix(buf.String(), "\n")
}
