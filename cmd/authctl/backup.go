package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/cognito-apigw/cognito-apigw/internal/problem"
)

// The file `authctl export` writes and `authctl import` reads (docs/backup.md): JSON Lines, a
// header line, one line a user, and an end line with the count. A file without its end line
// (an export that died half way, a copy cut short) is refused whole, so a partial backup cannot
// pass for a complete one, whether it went to a file or through a pipe.

// Kinds of line.
const (
	kindHeader = "cognito-users"
	kindUser   = "user"
	kindEnd    = "end"
)

// exportVersion is the format's version; import refuses others.
const exportVersion = 1

// maxExportLine bounds one line: a user has at most 50 custom attributes of 2048 characters
// besides the standard ones, far below it.
const maxExportLine = 1 << 20

// exportHeader is the first line.
type exportHeader struct {
	Kind       string    `json:"kind"`
	Version    int       `json:"version"`
	UserPoolID string    `json:"userPoolId"`
	App        string    `json:"app,omitempty"`
	Stage      string    `json:"stage,omitempty"`
	ExportedAt time.Time `json:"exportedAt"`
}

// userRecord is one user as ListUsers and the pool's groups describe it.
type userRecord struct {
	Kind     string `json:"kind"`
	Username string `json:"username"`
	// Sub is the user's immutable id in the old pool; import cannot keep it (Cognito assigns
	// a new one) and prints the old -> new mapping instead.
	Sub     string `json:"sub"`
	Status  string `json:"status"`
	Enabled bool   `json:"enabled"`
	// Created and Modified are Cognito's dates; a new pool sets its own.
	Created  time.Time `json:"created"`
	Modified time.Time `json:"modified"`
	// Attributes are the user's attributes but sub and identities, by name.
	Attributes map[string]string `json:"attributes"`
	Groups     []string          `json:"groups"`
	// Identities are the identity-provider accounts linked to the user (Cognito's identities
	// attribute): an external user's own, or those linked to a pool user.
	Identities []identity `json:"identities"`
}

// identity is one entry of Cognito's identities attribute.
type identity struct {
	ProviderName string `json:"providerName"`
	ProviderType string `json:"providerType,omitempty"`
	// UserID is the user's id at the provider (its sub, or a SAML NameID): what
	// AdminLinkProviderForUser's Cognito_Subject names.
	UserID  string `json:"userId"`
	Primary bool   `json:"primary,omitempty"`
	// DateCreated is when the link was made, in milliseconds since 1970, as Cognito writes it.
	DateCreated int64 `json:"dateCreated,omitempty"`
}

// exportEnd is the last line.
type exportEnd struct {
	Kind  string `json:"kind"`
	Users int    `json:"users"`
}

// Attributes the export keeps apart from the others and import never writes: Cognito sets sub
// itself, and identities follow from AdminLinkProviderForUser.
const (
	attrSub        = "sub"
	attrIdentities = "identities"
)

// Statuses of a user (Cognito's UserStatusType) that import treats apart.
const (
	statusUnconfirmed = "UNCONFIRMED"
	statusExternal    = "EXTERNAL_PROVIDER"
)

// knownStatuses are the statuses a user line may carry.
var knownStatuses = []string{"UNCONFIRMED", "CONFIRMED", "EXTERNAL_PROVIDER", "RESET_REQUIRED", "FORCE_CHANGE_PASSWORD", "UNKNOWN", "ARCHIVED", "COMPROMISED"}

// exportFile is what a complete, valid export holds, besides its users: what import checks
// the target pool against before it creates anyone.
type exportFile struct {
	Header exportHeader
	Users  int
	// Groups and Attributes are the group and attribute names the users use, each with the
	// first line that does.
	Groups     map[string]int
	Attributes map[string]int
}

// maxProblems is how many problems of a file are listed; a file of a million bad lines needs
// no million-line answer.
const maxProblems = 20

// checkExport reads a whole export and reports every problem it has, each naming the file and
// line, or describes it. fn, if not nil, sees each valid user with its line number.
func checkExport(name string, r io.Reader, fn func(line int, u userRecord) error) (exportFile, error) {
	f := exportFile{Groups: map[string]int{}, Attributes: map[string]int{}}
	bad := &cappedProblems{file: name}
	subs := map[string]int{}
	br := bufio.NewReaderSize(r, 64<<10)
	// userLines counts the user lines, valid or not, for the end line's count.
	line, ended, userLines := 0, 0, 0
	for {
		raw, err := readLine(br)
		if errors.Is(err, io.EOF) && raw == nil {
			break
		}
		line++
		if err != nil && !errors.Is(err, io.EOF) {
			if errors.Is(err, errLineTooLong) {
				bad.add(line, 1, "line longer than %d bytes: not a line authctl export writes", maxExportLine)
				continue
			}
			return f, fmt.Errorf("reading %s: %w", name, err)
		}
		if ended > 0 {
			bad.add(line, 1, "a line after the end line (line %d): the file was changed after the export", ended)
			break
		}
		var kind struct {
			Kind string `json:"kind"`
		}
		if err := json.Unmarshal(raw, &kind); err != nil {
			bad.add(line, jsonColumn(raw, err), "not a JSON object: %s", jsonMessage(err))
			continue
		}
		switch {
		case line == 1 && kind.Kind != kindHeader:
			bad.add(line, 1, `want the header line {"kind":%q,"version":%d,...} that authctl export writes first: is this an export?`, kindHeader, exportVersion)
			if kind.Kind != kindUser {
				return f, bad.err()
			}
		case line == 1:
			if err := strictDecode(raw, &f.Header); err != nil {
				bad.add(line, 1, "header: %s", jsonMessage(err))
			} else if f.Header.Version != exportVersion {
				bad.add(line, 1, "header: version %d; this authctl reads version %d", f.Header.Version, exportVersion)
			}
			continue
		}
		switch kind.Kind {
		case kindUser:
			userLines++
			u, ok := f.readUser(line, raw, subs, bad)
			if ok && fn != nil && len(bad.list) == 0 {
				if err := fn(line, u); err != nil {
					return f, err
				}
			}
		case kindEnd:
			var end exportEnd
			if err := strictDecode(raw, &end); err != nil {
				bad.add(line, 1, "end: %s", jsonMessage(err))
			} else if end.Users != userLines {
				bad.add(line, 1, "the end line counts %d users, the file holds %d: lines were added or removed after the export", end.Users, userLines)
			}
			ended = line
		case kindHeader:
			bad.add(line, 1, "a second header line: two exports joined into one file?")
		default:
			bad.add(line, 1, `kind %q; want "user" or "end"`, kind.Kind)
		}
	}
	switch {
	case line == 0:
		bad.add(0, 1, "empty: want an export written by authctl export")
	case ended == 0 && len(bad.list) == 0:
		// The usual interruption: the writer stopped before the end line.
		bad.add(line, 1, "ends after %d users without the end line: the export was interrupted or the file cut short; export again", f.Users)
	}
	return f, bad.err()
}

// readUser checks one user line and counts it into f (its groups and attributes by the first
// line naming them); ok is false when bad was told what is wrong with it.
func (f *exportFile) readUser(line int, raw []byte, subs map[string]int, bad *cappedProblems) (u userRecord, ok bool) {
	if err := strictDecode(raw, &u); err != nil {
		bad.add(line, 1, "user: %s", jsonMessage(err))
		return u, false
	}
	if msg := checkUser(u); msg != "" {
		bad.add(line, 1, "user %s: %s", userName(u), msg)
		return u, false
	}
	if first, dup := subs[u.Sub]; dup {
		bad.add(line, 1, "user %s: sub %s is also on line %d: each user once", userName(u), u.Sub, first)
		return u, false
	}
	subs[u.Sub] = line
	f.Users++
	for _, g := range u.Groups {
		if _, seen := f.Groups[g]; !seen {
			f.Groups[g] = line
		}
	}
	for a := range u.Attributes {
		if _, seen := f.Attributes[a]; !seen {
			f.Attributes[a] = line
		}
	}
	return u, true
}

// cappedProblems collects the first maxProblems problems of one file and counts the rest, so a
// file of another kind does not print a line per line.
type cappedProblems struct {
	file string
	list problem.List
	more int
}

func (c *cappedProblems) add(line, col int, format string, a ...any) {
	if len(c.list) == maxProblems {
		c.more++
		return
	}
	c.list = append(c.list, problem.Problem{File: c.file, Line: line, Column: max(col, 1), Want: fmt.Sprintf(format, a...)})
}

// err is the problems as one error, or nil when there are none.
func (c *cappedProblems) err() error {
	if c.more > 0 {
		c.list = append(c.list, problem.Problem{File: c.file, Want: fmt.Sprintf("and %d more problems", c.more)})
	}
	if len(c.list) == 0 {
		return nil
	}
	return c.list
}

// checkUser checks what import relies on in a user line.
func checkUser(u userRecord) string {
	switch {
	case u.Sub == "":
		return "no sub"
	case u.Username == "":
		return "no username"
	case !slices.Contains(knownStatuses, u.Status):
		return fmt.Sprintf("status %q; want one of %s", u.Status, strings.Join(knownStatuses, ", "))
	case u.Attributes == nil:
		return "no attributes"
	}
	for _, a := range []string{attrSub, attrIdentities} {
		if _, ok := u.Attributes[a]; ok {
			return fmt.Sprintf("attribute %s belongs in the line's own %q field", a, a)
		}
	}
	for i, id := range u.Identities {
		if id.ProviderName == "" || id.UserID == "" {
			return fmt.Sprintf("identities[%d] needs providerName and userId", i)
		}
	}
	for _, g := range u.Groups {
		if g == "" {
			return "an empty group name"
		}
	}
	return ""
}

// userName is how messages name a user: the email where there is one.
func userName(u userRecord) string {
	if e := u.Attributes["email"]; e != "" {
		return e
	}
	if u.Username != "" {
		return u.Username
	}
	return "(no username)"
}

// strictDecode decodes one line, refusing unknown fields: a hand edit that misspells one
// would otherwise drop it silently.
func strictDecode(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}

var errLineTooLong = errors.New("line too long")

// readLine reads one line without its newline, up to maxExportLine bytes.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, isPrefix, err := br.ReadLine()
		line = append(line, chunk...)
		if err != nil {
			if len(line) > 0 && errors.Is(err, io.EOF) {
				return line, nil
			}
			return nil, err
		}
		if len(line) > maxExportLine {
			for isPrefix { // skip the rest of the line
				if _, isPrefix, err = br.ReadLine(); err != nil {
					break
				}
			}
			return nil, errLineTooLong
		}
		if !isPrefix {
			return bytes.TrimSuffix(line, []byte("\r")), nil
		}
	}
}

// jsonColumn is the 1-based column of a JSON syntax error in raw.
func jsonColumn(raw []byte, err error) int {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return int(syn.Offset)
	}
	return 1
}

// jsonMessage is a JSON error without the package's prefix.
func jsonMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "json: ")
}
