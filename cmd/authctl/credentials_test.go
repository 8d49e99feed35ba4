package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/awsauth/awsauthtest"
)

// The commands that need AWS credentials say what is missing and how to provide it, before
// any call, instead of the SDK's chain of provider errors.
func TestNoCredentials(t *testing.T) {
	awsauthtest.NoCredentials(t)
	pool := []string{"-cdk-json", cdkJSON, "-user-pool-id", "eu-west-1_x", "-region", "eu-west-1"}
	for _, args := range [][]string{
		append([]string{"create-user", "-email", "a@example.com", "-password", "Passw0rd!"}, pool...),
		append([]string{"set-password", "-email", "a@example.com", "-password", "Passw0rd!"}, pool...),
		append([]string{"tokens", "-flow", "admin-user-password", "-client-id", "c", "-email", "a@example.com", "-password", "Passw0rd!"}, pool...),
	} {
		code, stdout, stderr := testCLI(t, args...)
		if code != 1 || stdout != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", args[0], code, stdout, stderr)
		}
		for _, want := range []string{"authctl " + args[0] + ": no AWS credentials found", "AWS_PROFILE", "aws configure sso", "AWS_ACCESS_KEY_ID"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", args[0], want, stderr)
			}
		}
		if strings.Contains(stderr, "IMDS") {
			t.Errorf("%s: the SDK's provider chain leaked:\n%s", args[0], stderr)
		}
	}
}

// Run where the local loop left local-outputs.json, a command without -outputs says to pass it.
func TestLocalOutputsHint(t *testing.T) {
	cdk, err := filepath.Abs(cdkJSON)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	if err := os.WriteFile(defaultLocalOutputs, []byte(`{"demo-api-dev-auth": {"UserPoolId": "local_x"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := testCLI(t, "login", "-cdk-json", cdk)
	want := "outputs file cdk-outputs.json does not exist"
	hint := "; for the local pool that setup-local made, pass -outputs local-outputs.json"
	if code != 2 || !strings.Contains(stderr, want) || !strings.Contains(stderr, hint) {
		t.Errorf("exit %d, stderr %q; want exit 2 and %q, %q", code, stderr, want, hint)
	}
}
