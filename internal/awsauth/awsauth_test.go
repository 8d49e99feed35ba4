package awsauth

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/awsauth/awsauthtest"
)

func TestNoCredentials(t *testing.T) {
	dir := awsauthtest.NoCredentials(t)
	tests := []struct {
		name   string
		setup  func()
		want   []string
		loadOK bool
	}{
		{name: "nothing configured", loadOK: true,
			want: []string{"no AWS credentials found (none in the environment, in ~/.aws/config or ~/.aws/credentials, and not on EC2)", "AWS_PROFILE", "aws configure sso", "aws sso login", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"}},
		{name: "unknown profile", setup: func() { t.Setenv("AWS_PROFILE", "team") },
			want: []string{`no AWS credentials: the profile "team" named by AWS_PROFILE is not in ~/.aws/config or ~/.aws/credentials`, "aws configure sso"}},
		{name: "SSO profile not signed in", loadOK: true, setup: func() {
			os.WriteFile(filepath.Join(dir, "config"), []byte("[profile team]\nsso_account_id = 123456789012\nsso_role_name = Dev\nsso_region = eu-west-1\nsso_start_url = https://example.awsapps.com/start\n"), 0o600)
			t.Setenv("AWS_PROFILE", "team")
		}, want: []string{`no AWS credentials: the credentials of profile "team" (AWS_PROFILE) could not be loaded: `, "sign in again with `aws sso login --profile team`"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.WriteFile(filepath.Join(dir, "config"), nil, 0o600)
			t.Setenv("AWS_PROFILE", "")
			if tt.setup != nil {
				tt.setup()
			}
			cfg, err := Load(context.Background())
			if (err == nil) != tt.loadOK {
				t.Fatalf("Load: %v", err)
			}
			if err == nil {
				err = Check(context.Background(), cfg)
			}
			if !errors.Is(err, ErrNoCredentials) {
				t.Fatalf("got %v, want ErrNoCredentials", err)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("message lacks %q:\n%s", want, err)
				}
			}
			if strings.Contains(err.Error(), "IMDS") && tt.name == "nothing configured" {
				t.Errorf("the SDK's chain leaked into the message:\n%s", err)
			}
		})
	}
}

func TestCredentialsFromEnvironment(t *testing.T) {
	awsauthtest.NoCredentials(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	cfg, err := Load(context.Background())
	if err == nil {
		err = Check(context.Background(), cfg)
	}
	if err != nil {
		t.Fatal(err)
	}
}
