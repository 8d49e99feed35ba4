package main

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/cognito-apigw/cognito-apigw/internal/awsauth/awsauthtest"
)

// The backup commands against the stand-in pool (standin_test.go): pagination, throttling and
// provider links, which cognito-local cannot show; the round trip through cognito-local itself
// is e2e/backup_test.go.

// noBackoff makes the SDK retry at once, so that throttling costs the tests no time.
func noBackoff(t *testing.T) {
	t.Helper()
	retryBackoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	t.Cleanup(func() { retryBackoff = nil })
}

// poolArgs point a command at the stand-in pool.
func poolArgs(srv, pool string) []string {
	return []string{"-cdk-json", cdkJSON, "-endpoint", srv, "-user-pool-id", pool}
}

// oldPool is a pool with the kinds of user export and import treat apart: a pool user with a
// custom attribute in two groups, a disabled one without a verified address, one linked to
// Google (Cognito's string-typed identities), a user of the AcmeSSO provider, and one who
// never confirmed.
func oldPool(t *testing.T) *standInPool {
	p := newStandInPool(t, "eu-west-1_old")
	p.pageSize = 2
	p.schema = append(p.schema, "custom:plan")
	p.add("sub-alice", "CONFIRMED", true, map[string]string{"sub": "sub-alice", "email": "alice@example.com", "email_verified": "true", "name": "Alice", "custom:plan": "gold"}, "admin", "ops")
	p.add("sub-bob", "CONFIRMED", false, map[string]string{"sub": "sub-bob", "email": "bob@example.com", "email_verified": "false", "name": "Bob"}, "ops")
	p.add("sub-carol", "CONFIRMED", true, map[string]string{"sub": "sub-carol", "email": "carol@example.com", "email_verified": "true", "name": "Carol",
		"identities": `[{"userId":"g-123","providerName":"Google","providerType":"Google","issuer":null,"primary":"false","dateCreated":"1700000000000"}]`})
	p.add("AcmeSSO_abc", "EXTERNAL_PROVIDER", true, map[string]string{"sub": "sub-dave", "email": "dave@acme.example", "email_verified": "true", "name": "Dave",
		"identities": `[{"userId":"abc","providerName":"AcmeSSO","providerType":"OIDC","issuer":null,"primary":true,"dateCreated":1700000000001}]`}, "admin")
	p.add("sub-eve", "UNCONFIRMED", true, map[string]string{"sub": "sub-eve", "email": "eve@example.com", "email_verified": "false", "name": "Eve"})
	return p
}

// oldPoolExport is oldPool's users as authctl export writes them to stdout.
func oldPoolExport(t *testing.T) string {
	t.Helper()
	old := oldPool(t)
	code, backup, stderr := testCLI(t, append([]string{"export"}, poolArgs(old.serve().URL, old.id)...)...)
	if code != 0 {
		t.Fatalf("export: exit %d, %s", code, stderr)
	}
	return backup
}

// newPool is a pool to import oldPool's users into: it has their custom attribute and knows
// the given identity providers.
func newPool(t *testing.T, providers ...string) *standInPool {
	p := newStandInPool(t, "eu-west-1_new")
	p.providers = providers
	p.schema = append(p.schema, "custom:plan")
	return p
}

// readExportLines decodes an export: its header, users and end line.
func readExportLines(t *testing.T, data string) (exportHeader, []userRecord, exportEnd) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(data, "\n"), "\n")
	var h exportHeader
	var end exportEnd
	var users []userRecord
	if err := json.Unmarshal([]byte(lines[0]), &h); err != nil {
		t.Fatalf("header %q: %v", lines[0], err)
	}
	for _, l := range lines[1 : len(lines)-1] {
		var u userRecord
		if err := strictDecode([]byte(l), &u); err != nil {
			t.Fatalf("user line %q: %v", l, err)
		}
		users = append(users, u)
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &end); err != nil || end.Kind != kindEnd {
		t.Fatalf("end line %q: %v", lines[len(lines)-1], err)
	}
	return h, users, end
}

func readMapping(t *testing.T, data string) map[string]subMapping {
	t.Helper()
	out := map[string]subMapping{}
	for _, l := range strings.Split(strings.TrimSpace(data), "\n") {
		var m subMapping
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("mapping line %q: %v", l, err)
		}
		out[m.OldSub] = m
	}
	return out
}

func TestExportImportWithStandIn(t *testing.T) {
	awsauthtest.NoRegion(t)
	noBackoff(t)
	old := oldPool(t)
	// Cognito throttles: the first calls of a page and of a create are refused, then served.
	old.throttled["ListUsers"] = 3
	oldSrv := old.serve()
	dir := t.TempDir()
	backup := filepath.Join(dir, "users.jsonl")

	// Export: every page, every group, the links; the file appears once complete.
	code, stdout, stderr := testCLI(t, append([]string{"export", "-out", backup}, poolArgs(oldSrv.URL, old.id)...)...)
	if code != 0 || stdout != "" || !strings.Contains(stderr, "exported 5 users (2 groups) of user pool eu-west-1_old to "+backup) {
		t.Fatalf("export: exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	tokens := []string{}
	for _, in := range old.callsOf("ListUsers") {
		tok, _ := in["PaginationToken"].(string)
		tokens = append(tokens, tok)
		if in["Limit"] != 60.0 {
			t.Errorf("ListUsers Limit %v, want 60 (Cognito's most)", in["Limit"])
		}
	}
	if want := []string{"", "", "", "", "2", "4"}; !slices.Equal(tokens, want) {
		t.Errorf("ListUsers pagination tokens %q, want %q (three throttled tries, then three pages)", tokens, want)
	}
	data, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(backup); info.Mode().Perm() != 0o600 {
		t.Errorf("export file mode %v, want 0600: it holds personal data", info.Mode().Perm())
	}
	header, users, end := readExportLines(t, string(data))
	if header.Kind != kindHeader || header.Version != 1 || header.UserPoolID != old.id || header.App != "demo-api" || header.Stage != "dev" || end.Users != 5 || len(users) != 5 {
		t.Fatalf("header %+v, end %+v, %d users", header, end, len(users))
	}
	alice, carol, dave := users[0], users[2], users[3]
	if alice.Sub != "sub-alice" || alice.Attributes["custom:plan"] != "gold" || !slices.Equal(alice.Groups, []string{"admin", "ops"}) || !alice.Enabled || alice.Status != "CONFIRMED" ||
		!alice.Created.Equal(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("alice %+v", alice)
	}
	if _, kept := alice.Attributes["sub"]; kept {
		t.Error("sub among the attributes; it has a field of its own")
	}
	if users[1].Enabled {
		t.Error("bob exported enabled")
	}
	if len(carol.Identities) != 1 || carol.Identities[0] != (identity{ProviderName: "Google", ProviderType: "Google", UserID: "g-123", DateCreated: 1700000000000}) {
		t.Errorf("carol's identities %+v (Cognito's string-typed form)", carol.Identities)
	}
	if dave.Username != "AcmeSSO_abc" || dave.Status != "EXTERNAL_PROVIDER" || len(dave.Identities) != 1 || !dave.Identities[0].Primary || dave.Identities[0].UserID != "abc" {
		t.Errorf("dave %+v", dave)
	}

	// Import into a new pool that lacks the ops group: refused, naming the group and the
	// line, before anyone is created.
	fresh := newPool(t, "Google", "AcmeSSO")
	fresh.groups["admin"] = nil
	fresh.throttled["AdminCreateUser"] = 2
	freshSrv := fresh.serve()
	args := func(extra ...string) []string {
		return append(append([]string{"import"}, poolArgs(freshSrv.URL, fresh.id)...), extra...)
	}
	code, _, stderr = testCLI(t, args(backup)...)
	if code != 1 || !strings.Contains(stderr, backup+":2:1: group ops: user pool eu-west-1_new has no such group; add it to the stage's groups in cdk.json and deploy, or pass -create-groups") {
		t.Fatalf("missing group: exit %d, %s", code, stderr)
	}
	if n := len(fresh.callsOf("AdminCreateUser")); n != 0 {
		t.Fatalf("%d users created before the missing group was found", n)
	}

	mapFile := filepath.Join(dir, "subs.jsonl")
	code, stdout, stderr = testCLI(t, args("-create-groups", "-map", mapFile, backup)...)
	if code != 0 || stdout != "" {
		t.Fatalf("import: exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	for _, want := range []string{
		"created group ops",
		backup + ":6: user eve@example.com: skipped: never confirmed its sign-up",
		"user pool eu-west-1_new: 4 created, 0 existed already, 1 skipped",
		"Cognito exports no passwords: no message was sent",
		"1 created users have no verified email or phone to reset a password with",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	b, _ := os.ReadFile(mapFile)
	subs := readMapping(t, string(b))
	for _, old := range []string{"sub-alice", "sub-bob", "sub-carol", "sub-dave"} {
		m := subs[old]
		if m.Result != resultCreated || m.NewSub == "" || m.NewSub == old || fresh.user(m.Username) == nil || fresh.user(m.Username).attrs["sub"] != m.NewSub {
			t.Errorf("mapping of %s: %+v", old, m)
		}
	}
	if m := subs["sub-eve"]; m.Result != resultSkipped || m.NewSub != "" || !strings.Contains(m.Reason, "never confirmed") {
		t.Errorf("mapping of eve: %+v", m)
	}

	// What Cognito was asked: no message, nothing unwritable, the same provider accounts.
	for _, in := range fresh.callsOf("AdminCreateUser") {
		if in["MessageAction"] != "SUPPRESS" || in["DesiredDeliveryMediums"] != nil {
			t.Errorf("AdminCreateUser %v: want MessageAction SUPPRESS", in)
		}
	}
	passwords := fresh.callsOf("AdminSetUserPassword")
	if len(passwords) != 2 { // alice and carol: verified addresses; not bob, not dave
		t.Errorf("%d passwords set, want 2: %v", len(passwords), passwords)
	}
	for _, in := range passwords {
		if in["Permanent"] != true || len(in["Password"].(string)) < fresh.minLength {
			t.Errorf("AdminSetUserPassword %v", in)
		}
	}
	links := fresh.callsOf("AdminLinkProviderForUser")
	if len(links) != 2 {
		t.Fatalf("links %v", links)
	}
	for i, want := range []struct{ provider, id, email string }{{"Google", "g-123", "carol@example.com"}, {"AcmeSSO", "abc", "dave@acme.example"}} {
		src, dst := links[i]["SourceUser"].(map[string]any), links[i]["DestinationUser"].(map[string]any)
		if src["ProviderName"] != want.provider || src["ProviderAttributeName"] != "Cognito_Subject" || src["ProviderAttributeValue"] != want.id ||
			dst["ProviderName"] != "Cognito" || dst["ProviderAttributeValue"] != subs["sub-"+strings.Split(want.email, "@")[0]].Username {
			t.Errorf("link %d: %v", i, links[i])
		}
	}
	if u := fresh.user("bob@example.com"); u.enabled || u.status != "FORCE_CHANGE_PASSWORD" {
		t.Errorf("bob: enabled %v, status %s; want disabled, and no password (nothing to reset it with)", u.enabled, u.status)
	}
	if u := fresh.user("dave@acme.example"); u.status != "FORCE_CHANGE_PASSWORD" || u.password != "" {
		t.Errorf("dave, a provider's user: status %s; want no password", u.status)
	}

	// Export the new pool: the same users, but for what a new pool cannot keep.
	code, stdout, stderr = testCLI(t, append([]string{"export"}, poolArgs(freshSrv.URL, fresh.id)...)...)
	if code != 0 {
		t.Fatalf("export of the new pool: exit %d, %s", code, stderr)
	}
	_, again, _ := readExportLines(t, stdout)
	if len(again) != 4 {
		t.Fatalf("%d users in the new pool, want 4", len(again))
	}
	for i, u := range again {
		before := users[i]
		if !maps.Equal(u.Attributes, before.Attributes) || !slices.Equal(u.Groups, before.Groups) || u.Enabled != before.Enabled || len(u.Identities) != len(before.Identities) {
			t.Errorf("user %d after the round trip:\n%+v\nbefore:\n%+v", i, u, before)
		}
		for j := range u.Identities {
			if u.Identities[j].ProviderName != before.Identities[j].ProviderName || u.Identities[j].UserID != before.Identities[j].UserID {
				t.Errorf("user %d identity %d: %+v, before %+v", i, j, u.Identities[j], before.Identities[j])
			}
		}
	}

	// Again: every user exists now, and the mapping is whole on stdout.
	code, stdout, stderr = testCLI(t, args(backup)...)
	if code != 0 || !strings.Contains(stderr, "user pool eu-west-1_new: 0 created, 4 existed already, 1 skipped") {
		t.Fatalf("rerun: exit %d, %s", code, stderr)
	}
	for old, m := range readMapping(t, stdout) {
		if m.NewSub != subs[old].NewSub || (m.Result != resultExisted && old != "sub-eve") {
			t.Errorf("rerun mapping of %s: %+v, first run %+v", old, m, subs[old])
		}
	}
}

// An export that cannot finish leaves nothing that looks like an export: no file with -out,
// and on stdout no end line, which import refuses.
func TestExportThatFailsLeavesNoFile(t *testing.T) {
	awsauthtest.NoRegion(t)
	noBackoff(t)
	for _, tc := range []struct {
		name  string
		setup func(*standInPool)
		want  string
	}{
		{"throttled beyond the retries", func(p *standInPool) { p.throttled["ListUsers"] = 1000 },
			"ListUsers (page 1): TooManyRequestsException: Rate exceeded"},
		{"failing on page 2", func(p *standInPool) { p.failOn["ListUsers"] = standInFailure{2, "InvalidParameterException"} },
			"ListUsers (page 2): InvalidParameterException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := oldPool(t)
			tc.setup(p)
			srv := p.serve()
			dir := t.TempDir()
			out := filepath.Join(dir, "users.jsonl")
			code, _, stderr := testCLI(t, append([]string{"export", "-out", out}, poolArgs(srv.URL, p.id)...)...)
			if code != 1 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, %s; want 1 and %q", code, stderr, tc.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("left behind: %v", entries)
			}
			if tc.name == "throttled beyond the retries" {
				if n := len(p.callsOf("ListUsers")); n != bulkMaxAttempts {
					t.Errorf("%d ListUsers attempts, want %d", n, bulkMaxAttempts)
				}
				return
			}
			// The same to stdout: the stream stops, without its end line.
			p.failOn["ListUsers"] = standInFailure{p.counts["ListUsers"] + 2, "InvalidParameterException"}
			code, stdout, _ := testCLI(t, append([]string{"export"}, poolArgs(srv.URL, p.id)...)...)
			if code != 1 || strings.Contains(stdout, `"kind":"end"`) || !strings.Contains(stdout, `"kind":"user"`) {
				t.Fatalf("stdout: exit %d, %q", code, stdout)
			}
			code, _, stderr = testRun{stdin: stdout}.run(t, "import", "-cdk-json", cdkJSON, "-user-pool-id", "x", "-endpoint", srv.URL, "-")
			if code != 1 || !strings.Contains(stderr, "stdin:3:1: ends after 2 users without the end line: the export was interrupted or the file cut short") {
				t.Errorf("import of the cut stream: exit %d, %s", code, stderr)
			}
		})
	}
}

// Every malformed line of a file is named with its line, at once, and nothing is imported.
func TestImportRefusesMalformedFiles(t *testing.T) {
	awsauthtest.NoRegion(t)
	p := newStandInPool(t, "eu-west-1_new")
	srv := p.serve()
	const header = `{"kind":"cognito-users","version":1,"userPoolId":"eu-west-1_old","exportedAt":"2026-01-01T00:00:00Z"}`
	user := func(sub, extra string) string {
		return `{"kind":"user","username":"` + sub + `","sub":"` + sub + `","status":"CONFIRMED","enabled":true,"created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","attributes":{"email":"` + sub + `@example.com"},"groups":[],"identities":[]` + extra + `}`
	}
	end := func(n string) string { return `{"kind":"end","users":` + n + `}` }
	for _, tc := range []struct {
		name  string
		lines []string
		want  []string
	}{
		{"not JSON", []string{header, user("a", ""), `{"kind":"user",`, end("1")},
			[]string{`:3:15: not a JSON object: unexpected end of JSON input`}},
		{"no header", []string{user("a", ""), end("1")},
			[]string{`:1:1: want the header line {"kind":"cognito-users","version":1,...} that authctl export writes first`}},
		{"not an export", []string{`{"name":"x"}`},
			[]string{`:1:1: want the header line`}},
		{"newer version", []string{strings.Replace(header, `"version":1`, `"version":2`, 1), end("0")},
			[]string{`:1:1: header: version 2; this authctl reads version 1`}},
		{"no end line", []string{header, user("a", ""), user("b", "")},
			[]string{`:3:1: ends after 2 users without the end line: the export was interrupted or the file cut short; export again`}},
		{"wrong count", []string{header, user("a", ""), end("2")},
			[]string{`:3:1: the end line counts 2 users, the file holds 1`}},
		{"line after the end", []string{header, end("0"), user("a", "")},
			[]string{`:3:1: a line after the end line (line 2)`}},
		{"unknown field", []string{header, user("a", `,"password":"x"`), end("1")},
			[]string{`:2:1: user: unknown field "password"`}},
		{"same sub twice", []string{header, user("a", ""), user("a", ""), end("2")},
			[]string{`:3:1: user a@example.com: sub a is also on line 2: each user once`}},
		{"sub among the attributes", []string{header, strings.Replace(user("a", ""), `"attributes":{`, `"attributes":{"sub":"a",`, 1), end("1")},
			[]string{`:2:1: user a@example.com: attribute sub belongs in the line's own "sub" field`}},
		{"unknown status", []string{header, strings.Replace(user("a", ""), "CONFIRMED", "ACTIVE", 1), end("1")},
			[]string{`:2:1: user a@example.com: status "ACTIVE"; want one of UNCONFIRMED, CONFIRMED`}},
		{"link without a user id", []string{header, user("a", `,"x":1`)[:0] + strings.Replace(user("a", ""), `"identities":[]`, `"identities":[{"providerName":"Google"}]`, 1), end("1")},
			[]string{`:2:1: user a@example.com: identities[0] needs providerName and userId`}},
		{"unknown kind", []string{header, `{"kind":"group"}`, end("0")},
			[]string{`:2:1: kind "group"; want "user" or "end"`}},
		{"empty", []string{""}, []string{`empty: want an export written by authctl export`}},
		{"every problem at once", []string{header, `nope`, user("a", `,"x":1`), user("b", ""), user("b", "")},
			[]string{`:2:2: not a JSON object: invalid character 'o'`, `:3:1: user: unknown field "x"`, `:5:1: user b@example.com: sub b is also on line 4`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "users.jsonl")
			os.WriteFile(file, []byte(strings.Join(tc.lines, "\n")), 0o600)
			code, stdout, stderr := testCLI(t, append(append([]string{"import"}, poolArgs(srv.URL, p.id)...), file)...)
			if code != 1 || stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
			}
			for _, want := range tc.want {
				if !strings.Contains(stderr, file+want) && !strings.Contains(stderr, file+": "+want) {
					t.Errorf("stderr lacks %q:\n%s", file+want, stderr)
				}
			}
			if lines := strings.Count(stderr, "\n"); lines != len(tc.want) {
				t.Errorf("%d lines, want %d:\n%s", lines, len(tc.want), stderr)
			}
			if len(p.callsOf("AdminCreateUser"))+len(p.callsOf("DescribeUserPool")) != 0 {
				t.Error("the pool was called for a malformed file")
			}
		})
	}
}

// With -send-invitations Cognito sends its invitation (by email) instead of nothing, and no
// password is set: the temporary one is in the message.
func TestImportSendsInvitationsWhenAsked(t *testing.T) {
	awsauthtest.NoRegion(t)
	backup := oldPoolExport(t)
	fresh := newPool(t, "Google", "AcmeSSO")
	freshSrv := fresh.serve()
	code, _, stderr := testRun{stdin: backup}.run(t, append(append([]string{"import"}, poolArgs(freshSrv.URL, fresh.id)...), "-create-groups", "-send-invitations", "-")...)
	if code != 0 || !strings.Contains(stderr, "each pool user was sent the pool's invitation") {
		t.Fatalf("exit %d, %s", code, stderr)
	}
	for _, in := range fresh.callsOf("AdminCreateUser") {
		external := strings.HasSuffix(in["Username"].(string), "@acme.example")
		if external != (in["MessageAction"] == "SUPPRESS") || (!external && !slices.Equal(anyStrings(in["DesiredDeliveryMediums"]), []string{"EMAIL"})) {
			t.Errorf("AdminCreateUser %v: an invitation by email for pool users, none for a provider's", in)
		}
	}
	if n := len(fresh.callsOf("AdminSetUserPassword")); n != 0 {
		t.Errorf("%d passwords set; the invitation carries the temporary one", n)
	}
}

func anyStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// A user that cannot be finished is deleted again, and the run stops naming file, line and
// call; the users before it stay, so the rerun picks up where it stopped.
func TestImportUndoesAHalfMadeUser(t *testing.T) {
	awsauthtest.NoRegion(t)
	backup := oldPoolExport(t)
	fresh := newPool(t, "AcmeSSO") // no Google: carol's link fails
	freshSrv := fresh.serve()
	file := filepath.Join(t.TempDir(), "users.jsonl")
	os.WriteFile(file, []byte(backup), 0o600)
	code, stdout, stderr := testCLI(t, append(append([]string{"import"}, poolArgs(freshSrv.URL, fresh.id)...), "-create-groups", file)...)
	want := file + ":4: user carol@example.com: AdminLinkProviderForUser Google: InvalidParameterException: There is no identity provider named Google"
	if code != 1 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "the user was deleted again; the next run creates it whole") ||
		!strings.Contains(stderr, "is Google among the stage's identityProviders") {
		t.Fatalf("exit %d, stderr %s\nwant %q", code, stderr, want)
	}
	if fresh.user("carol@example.com") != nil || fresh.user("alice@example.com") == nil || fresh.user("dave@acme.example") != nil {
		t.Error("want alice and bob kept, carol deleted again, dave not reached")
	}
	if n := strings.Count(stdout, "\n"); n != 2 {
		t.Errorf("mapping of %d users printed, want the 2 done: %s", n, stdout)
	}
	if !strings.Contains(stderr, "2 created, 0 existed already, 0 skipped; 3 of 5 not done") {
		t.Errorf("summary: %s", stderr)
	}
}

// Attributes the pool lacks are found before anyone is created.
func TestImportNeedsThePoolsAttributes(t *testing.T) {
	awsauthtest.NoRegion(t)
	backup := oldPoolExport(t)
	fresh := newStandInPool(t, "eu-west-1_new") // without oldPool's custom:plan
	fresh.groups = map[string][]string{"admin": nil, "ops": nil}
	code, _, stderr := testRun{stdin: backup}.run(t, append(append([]string{"import"}, poolArgs(fresh.serve().URL, fresh.id)...), "-")...)
	if code != 1 || !strings.Contains(stderr, "stdin:2:1: attribute custom:plan: user pool eu-west-1_new has no such attribute") || len(fresh.callsOf("AdminCreateUser")) != 0 {
		t.Errorf("exit %d, %s", code, stderr)
	}
}

func TestBackupUsage(t *testing.T) {
	awsauthtest.NoRegion(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "-cdk-json", cdkJSON, "-user-pool-id", "x"}, "FILE is required: a file written by authctl export, or - for stdin"},
		{[]string{"import", "-cdk-json", cdkJSON, "-user-pool-id", "x", filepath.Join(t.TempDir(), "none.jsonl")}, "none.jsonl: no such file or directory"},
		{[]string{"import", "-cdk-json", cdkJSON, "-user-pool-id", "x", "a", "b"}, `unexpected argument "b"`},
		{[]string{"export", "-cdk-json", cdkJSON, "-user-pool-id", "x", "stray"}, `unexpected argument "stray"`},
		{[]string{"export", "-cdk-json", cdkJSON, "-outputs", filepath.Join(t.TempDir(), "none.json")}, "-outputs:"},
		{[]string{"export", "-cdk-json", cdkJSON, "-user-pool-id", "x", "-region", ""}, "no AWS Region"},
	} {
		code, _, stderr := testCLI(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %s; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
	if code, _, stderr := testCLI(t, "import", "-h"); code != 0 || !strings.Contains(stderr, "-send-invitations") || !strings.Contains(stderr, "docs/backup.md") {
		t.Errorf("import -h: %d %s", code, stderr)
	}
}
