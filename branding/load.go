package branding

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cognito-apigw/cognito-apigw/internal/problem"
)

// Load reads and validates a branding file. Asset files must stay inside the repository, taken
// as the nearest directory above the branding file that holds a go.mod (or the branding file's
// own directory when there is none). On failure the error is an *Error listing every problem.
func Load(path string) (*Style, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &Error{Problems: problem.List{{File: path, Want: err.Error()}}}
	}
	return LoadWithRoot(path, findRoot(filepath.Dir(abs)))
}

// LoadWithRoot is Load with an explicit repository root: asset files must resolve (symlinks
// followed) to somewhere inside root.
func LoadWithRoot(path, root string) (*Style, error) {
	l := &loader{file: path, dir: filepath.Dir(path)}
	data, err := os.ReadFile(path)
	if err != nil {
		l.add("", "", "cannot read the branding file: %v", unwrapPathError(err))
		return nil, l.err()
	}
	if l.root, err = filepath.EvalSymlinks(root); err == nil {
		l.root, err = filepath.Abs(l.root)
	}
	if err != nil {
		l.add("", "", "cannot resolve the repository root %q: %v", root, unwrapPathError(err))
		return nil, l.err()
	}
	s := l.load(data)
	if len(l.problems) > 0 {
		return nil, l.err()
	}
	s.Warnings = l.warnings
	return s, nil
}

// findRoot returns the nearest directory from dir upwards that holds a go.mod, or dir.
func findRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

type loader struct {
	file     string // as given, for messages
	dir      string // the branding file's directory: asset paths are relative to it
	root     string // resolved repository root
	problems problem.List
	warnings problem.List
}

func (l *loader) add(path, value, format string, args ...any) {
	l.problems = append(l.problems, problem.Problem{File: l.file, Where: path, Value: value, Want: fmt.Sprintf(format, args...)})
}

// warn records a setting that Cognito takes but probably not as meant.
func (l *loader) warn(path, value, format string, args ...any) {
	l.warnings = append(l.warnings, problem.Problem{File: l.file, Where: path, Value: value, Want: fmt.Sprintf(format, args...)})
}

func (l *loader) err() error {
	return &Error{Problems: l.problems, Warnings: l.warnings}
}

// Keys of the style object. The read-only ones are what describe-managed-login-branding-by-client
// prints besides the style; they are dropped because pool and client come from the stack.
var (
	styleKeys    = []string{"UseCognitoProvidedValues", "Settings", "Assets"}
	readOnlyKeys = []string{"ManagedLoginBrandingId", "UserPoolId", "CreationDate", "LastModifiedDate"}
	settingsKeys = []string{"categories", "componentClasses", "components"}
)

func (l *loader) load(data []byte) *Style {
	doc, ok := l.decode(data)
	if !ok {
		return nil
	}
	top, ok := doc.(map[string]any)
	if !ok {
		l.add("", problem.Show(doc), "a branding file must be a JSON object")
		return nil
	}
	prefix := ""
	if inner, wrapped := top["ManagedLoginBranding"]; wrapped {
		// The CLI's output: {"ManagedLoginBranding": {...}} and nothing else.
		for _, k := range sortedKeys(top) {
			if k != "ManagedLoginBranding" {
				l.add(k, "", "unknown key next to ManagedLoginBranding; remove it")
			}
		}
		if top, ok = inner.(map[string]any); !ok {
			l.add("ManagedLoginBranding", problem.Show(inner), "must be a JSON object (the style)")
			return nil
		}
		prefix = "ManagedLoginBranding."
	}
	l.checkStyleKeys(top, prefix)

	s := &Style{}
	if v, ok := top["UseCognitoProvidedValues"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			l.add(prefix+"UseCognitoProvidedValues", problem.Show(v), "must be true or false")
		}
		s.UseCognitoProvidedValues = b
	}
	hasSettings := top["Settings"] != nil
	if hasSettings {
		s.Settings = l.settings(top["Settings"], prefix+"Settings")
	}
	switch {
	case s.UseCognitoProvidedValues && hasSettings:
		l.add(prefix+"Settings", "", "set either Settings or UseCognitoProvidedValues: true, not both")
	case !s.UseCognitoProvidedValues && !hasSettings:
		l.add(strings.TrimSuffix(prefix, "."), "", "needs Settings (your style) or UseCognitoProvidedValues: true (Cognito's default style)")
	}

	s.Assets = l.assets(top["Assets"], prefix+"Assets")
	if s.UseCognitoProvidedValues && len(s.Assets) > 0 {
		l.add(prefix+"Assets", "", "must be empty with UseCognitoProvidedValues: true, which uses Cognito's own images")
	}

	size := s.EncodedSize()
	if size+requestOverhead > MaxRequestBytes {
		l.add("", "", "the style is %d bytes as JSON, %d with the pool and client ids; Cognito takes at most %d bytes per request (2 MB); use smaller or fewer images", size, size+requestOverhead, MaxRequestBytes)
	}
	if size > TemplateBudget {
		l.add("", "", "the style is %d bytes as JSON; at most %d fit in the stack's CloudFormation template (limit 1 MB); use smaller or fewer images", size, TemplateBudget)
	}
	return s
}

func (l *loader) checkStyleKeys(top map[string]any, prefix string) {
	bare := false
	for _, k := range sortedKeys(top) {
		switch {
		case slices.Contains(styleKeys, k), slices.Contains(readOnlyKeys, k):
		case k == "ClientId":
			l.add(prefix+k, "", "the app client comes from the stack; remove it")
		case slices.Contains(settingsKeys, k):
			bare = true
		default:
			l.add(prefix+k, "", "unknown key (keys are case-sensitive); allowed: %s; ignored: %s",
				strings.Join(styleKeys, ", "), strings.Join(readOnlyKeys, ", "))
		}
	}
	if bare {
		l.add(strings.TrimSuffix(prefix, "."), "", "this looks like a bare Settings document; put it under \"Settings\": {\"Settings\": {...}}")
	}
}

// decode parses the file, keeping numbers as written and reporting syntax errors with their
// line and column.
func (l *loader) decode(data []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	err := dec.Decode(&doc)
	if err == nil {
		// Anything after the value is a mistake too, e.g. two objects pasted one after another.
		end := dec.InputOffset()
		var extra any
		if err = dec.Decode(&extra); err == io.EOF {
			return doc, true
		} else if err == nil {
			rest := bytes.TrimLeft(data[end:], " \t\r\n")
			return l.syntax(data, int64(len(data)-len(rest))+1, "unexpected data after the top-level value")
		}
	}
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return l.syntax(data, syn.Offset, syn.Error())
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return l.syntax(data, int64(len(data)), "unexpected end of JSON input")
	}
	return l.syntax(data, dec.InputOffset(), err.Error())
}

func (l *loader) syntax(data []byte, offset int64, msg string) (any, bool) {
	before := data[:min(offset, int64(len(data)))]
	line := bytes.Count(before, []byte("\n")) + 1
	col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	if col == 0 {
		col = 1
	}
	l.problems = append(l.problems, problem.Problem{File: l.file, Line: line, Column: col, Want: "invalid JSON: " + msg})
	return nil, false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// unwrapPathError drops the path from an *os.PathError: the problem line names the file already.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
