package branding

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Problem is one thing wrong with a branding file.
type Problem struct {
	File   string // the branding file, as passed to Load
	Line   int    // set only for JSON syntax errors (1-based, 0 when unknown)
	Column int    // as Line
	Path   string // JSON path in the file, e.g. Assets[3].Category; "" for the file as a whole
	Value  string // the offending value as JSON (abbreviated); "" when it is missing or not the point
	Msg    string // what is wrong and what is allowed
}

// String renders the problem as one line: "file: path = value: message".
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", p.Line, p.Column)
	}
	b.WriteString(": ")
	if p.Path != "" {
		b.WriteString(p.Path)
		if p.Value != "" {
			b.WriteString(" = " + p.Value)
		}
		b.WriteString(": ")
	} else if p.Value != "" {
		b.WriteString(p.Value + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Error is what Load returns when a branding file cannot be used: every problem found, in a
// stable order (object keys sorted, arrays in order). Use errors.As to get the problems.
type Error struct {
	Problems []Problem
	// Warnings are found as well, as in Style.Warnings; Error() does not list them.
	Warnings []Problem
}

// Error lists the problems one per line.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// showValue renders a JSON value for a message, cut short so a base64 blob does not flood it.
func showValue(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	const max = 60
	if s := []rune(string(b)); len(s) > max {
		return fmt.Sprintf("%s... (%d characters)", string(s[:max]), len(s))
	}
	return string(b)
}
