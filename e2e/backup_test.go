//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
)

// recoveryCode is the code cognito-local sends for a forgotten password when CODE is set.
const recoveryCode = "424242"

// TestBackupRoundTrip exports a pool's users from cognito-local, imports them into a fresh
// pool, exports that one, and compares: the same users, attributes, groups and enabled
// state; only what a new pool cannot keep differs (sub, username, dates). An imported user
// then chooses a new password the way the docs tell them to ("Forgot your password?") and
// signs in. Provider links, pagination and throttling, which cognito-local lacks, are tested
// against a stand-in in cmd/authctl.
func TestBackupRoundTrip(t *testing.T) {
	ctx, root, tmp := begin(t)
	cognitoLocal := requireNodeTools(t, root)
	bins := build(t, ctx, root, tmp)

	endpoint := startCognitoLocal(t, ctx, cognitoLocal, tmp, "CODE="+recoveryCode)

	base := tool{t: t, ctx: ctx, bin: bins.authctl, cdkJSON: filepath.Join(root, "cdk.json")}
	oldOutputs, newOutputs := filepath.Join(tmp, "old-outputs.json"), filepath.Join(tmp, "new-outputs.json")
	// Signing in runs the stage's pre token generation trigger, which cmd/local answers (for
	// the new pool, at the end).
	lambdaURL := fmt.Sprintf("http://127.0.0.1:%d", freePort(t))
	// Users only: no items table (-dynamodb-endpoint "").
	base.must("", "setup-local", "-endpoint", endpoint, "-outputs", oldOutputs, "-lambda-url", lambdaURL, "-dynamodb-endpoint", "")
	base.must("", "setup-local", "-endpoint", endpoint, "-outputs", newOutputs, "-lambda-url", lambdaURL, "-dynamodb-endpoint", "")
	oldPool, newPool := base, base
	oldPool.outputs, newPool.outputs = oldOutputs, newOutputs

	oldPool.must(password+"\n", "create-user", "-email", "alice@example.com", "-name", "Alice", "-password-stdin", "-group", "admin")
	oldPool.must(password+"\n", "create-user", "-email", "bob@example.com", "-password-stdin")
	oldPool.must(password+"\n", "create-user", "-email", "carol@example.com", "-name", "Carol", "-password-stdin")
	old, err := outputs.Read(oldOutputs, "demo-api", "dev")
	if err != nil {
		t.Fatal(err)
	}
	c := cip.New(cip.Options{Region: "local", BaseEndpoint: aws.String(endpoint), Credentials: aws.AnonymousCredentials{}})
	if _, err := c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(old.UserPoolID), Username: aws.String("carol@example.com")}); err != nil {
		t.Fatal(err)
	}

	backup := filepath.Join(tmp, "users.jsonl")
	oldPool.must("", "export", "-out", backup)
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	before := exportedUsers(t, string(b))
	if len(before) != 3 || !slices.Equal(before["alice@example.com"].Groups, []string{"admin"}) || before["carol@example.com"].Enabled {
		t.Fatalf("export of the old pool: %+v", before)
	}

	mapFile := filepath.Join(tmp, "subs.jsonl")
	newPool.must("", "import", "-map", mapFile, backup)
	after := exportedUsers(t, newPool.must("", "export"))
	if len(after) != len(before) {
		t.Fatalf("%d users after the round trip, %d before", len(after), len(before))
	}
	m, err := os.ReadFile(mapFile)
	if err != nil {
		t.Fatal(err)
	}
	subs := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(m)), "\n") {
		var e struct{ OldSub, NewSub, Result string }
		decode(t, line, &e)
		if e.Result != "created" {
			t.Errorf("mapping line %s: want created", line)
		}
		subs[e.OldSub] = e.NewSub
	}
	for email, u := range before {
		a := after[email]
		// The same record, but for what a new pool cannot keep.
		if !maps.Equal(a.Attributes, u.Attributes) || !slices.Equal(a.Groups, u.Groups) || a.Enabled != u.Enabled || a.Status != u.Status || len(a.Identities) != 0 {
			t.Errorf("%s after the round trip:\n%+v\nbefore:\n%+v", email, a, u)
		}
		if a.Sub == u.Sub || subs[u.Sub] != a.Sub {
			t.Errorf("%s: old sub %s, new sub %s, mapped to %s", email, u.Sub, a.Sub, subs[u.Sub])
		}
	}

	// Rerun: every user exists, nothing changes, the mapping is whole again.
	again := newPool.must("", "import", backup)
	if n := strings.Count(again, `"result":"existed"`); n != 3 {
		t.Errorf("rerun: %d users existed, want 3: %s", n, again)
	}

	// No password came along: the old one does not work; "Forgot your password?" does.
	apiPort := freePort(t)
	api := start(t, ctx, "local API server", tmp, nil, bins.local,
		"-cdk-json", base.cdkJSON, "-addr", "127.0.0.1:"+itoa(apiPort), "-web", "", "-stage", "dev", "-outputs", newOutputs)
	waitHTTP(t, ctx, api, fmt.Sprintf("http://127.0.0.1:%d/health", apiPort))
	if code, _, stderr := newPool.run("", "tokens", "-email", "alice@example.com", "-password", password); code != 1 || !strings.Contains(stderr, "Invalid password") {
		t.Errorf("the old password in the new pool: exit %d, %s", code, stderr)
	}
	fresh, err := outputs.Read(newOutputs, "demo-api", "dev")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: aws.String(fresh.ClientID), Username: aws.String("alice@example.com")}); err != nil {
		t.Fatal(err)
	}
	const chosen = "Ch0sen-after-restore!"
	if _, err := c.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(fresh.ClientID), Username: aws.String("alice@example.com"),
		ConfirmationCode: aws.String(recoveryCode), Password: aws.String(chosen)}); err != nil {
		t.Fatal(err)
	}
	newPool.must("", "tokens", "-email", "alice@example.com", "-password", chosen)
}

// exportedUser is a user line of an export, as far as the round trip compares it.
type exportedUser struct {
	Kind, Username, Sub, Status string
	Enabled                     bool
	Attributes                  map[string]string
	Groups                      []string
	Identities                  []any
}

// exportedUsers are an export's users by email; it must be complete (header and end line).
func exportedUsers(t *testing.T, data string) map[string]exportedUser {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(data), "\n")
	if !strings.Contains(lines[0], `"kind":"cognito-users"`) || !strings.Contains(lines[len(lines)-1], fmt.Sprintf(`{"kind":"end","users":%d}`, len(lines)-2)) {
		t.Fatalf("not a complete export:\n%s", data)
	}
	out := map[string]exportedUser{}
	for _, l := range lines[1 : len(lines)-1] {
		var u exportedUser
		if err := json.Unmarshal([]byte(l), &u); err != nil {
			t.Fatal(err)
		}
		out[u.Attributes["email"]] = u
	}
	return out
}
