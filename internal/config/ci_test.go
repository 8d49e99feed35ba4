package config

import (
	"strings"
	"testing"
)

// loadWithCI loads the project's dev stage with ci (and extra context keys) set.
func loadWithCI(t *testing.T, ci any, extra ...any) (Config, error) {
	t.Helper()
	ctx := projectContext(t)
	ctx[KeyCI] = ci
	for i := 0; i+1 < len(extra); i += 2 {
		ctx[extra[i].(string)] = extra[i+1]
	}
	return Load(ctx)
}

func ciObject(repo string, envs ...any) map[string]any {
	if envs == nil {
		envs = []any{"dev", "prod"}
	}
	return map[string]any{"repository": repo, "environments": envs}
}

// Each rule of the ci setting at both edges where it has any, and every problem at once.
func TestCISetting(t *testing.T) {
	owner39, owner40 := "a"+strings.Repeat("b", 38), "a"+strings.Repeat("b", 39)
	name100, name101 := strings.Repeat("r", 100), strings.Repeat("r", 101)
	env255, env256 := strings.Repeat("e", 255), strings.Repeat("e", 256)
	arn := func(partition, account string) string {
		return "arn:" + partition + ":iam::" + account + ":oidc-provider/token.actions.githubusercontent.com"
	}
	withARN := func(a string) map[string]any {
		ci := ciObject("acme/app")
		ci["oidcProviderArn"] = a
		return ci
	}
	for _, tc := range []struct {
		name  string
		ci    any
		extra []any
		want  []string // the problems, in order (their start); none: accepted
	}{
		{name: "owner and name", ci: ciObject("acme/cognito-apigw")},
		{name: "dots, underscores and hyphens", ci: ciObject("Acme-Corp/my_app.v2-x")},
		{name: "owner of 39", ci: ciObject(owner39 + "/app")},
		{name: "owner of 40", ci: ciObject(owner40 + "/app"),
			want: []string{`ci.repository: got "` + owner40[:40]}},
		{name: "owner ending in a hyphen (older accounts)", ci: ciObject("acme-/app")},
		{name: "owner starting with a hyphen", ci: ciObject("-acme/app"),
			want: []string{`ci.repository: got "-acme/app"; want an owner of 1 to 39 letters, digits and single hyphens`}},
		{name: "owner with two hyphens in a row", ci: ciObject("ac--me/app"),
			want: []string{`ci.repository: got "ac--me/app"; want an owner of 1 to 39`}},
		{name: "name of 100", ci: ciObject("acme/" + name100)},
		{name: "name of 101", ci: ciObject("acme/" + name101),
			want: []string{`ci.repository: got "acme/rrrr`}},
		{name: "name with a space", ci: ciObject("acme/my app"),
			want: []string{`ci.repository: got "acme/my app"; want a repository name of 1 to 100 letters, digits, ".", "-" and "_" (GitHub's rule)`}},
		{name: "name alone", ci: ciObject("cognito-apigw"),
			want: []string{`ci.repository: got "cognito-apigw"; want OWNER/NAME, the owner and the repository's name with one "/" between`}},
		{name: "empty owner", ci: ciObject("/app"),
			want: []string{`ci.repository: got "/app"; want an owner of 1 to 39`}},
		{name: "empty name", ci: ciObject("acme/"),
			want: []string{`ci.repository: got "acme/"; want a repository name of 1 to 100`}},
		{name: "a path", ci: ciObject("acme/app/tree"),
			want: []string{`ci.repository: got "acme/app/tree"; want OWNER/NAME`}},
		{name: "a URL", ci: ciObject("https://github.com/acme/app.git"),
			want: []string{`ci.repository: got "https://github.com/acme/app.git"; want OWNER/NAME, not a URL: did you mean "acme/app"?`}},
		{name: "an SSH clone address", ci: ciObject("git@github.com:acme/app.git"),
			want: []string{`ci.repository: got "git@github.com:acme/app.git"; want OWNER/NAME, not a URL: did you mean "acme/app"?`}},
		{name: ".git", ci: ciObject("acme/app.git"),
			want: []string{`ci.repository: got "acme/app.git"; want the repository's name without .git: did you mean "acme/app"?`}},
		{name: "wiki", ci: ciObject("acme/app.wiki"),
			want: []string{`ci.repository: got "acme/app.wiki"; want the repository itself, not its wiki`}},
		{name: "dot", ci: ciObject("acme/.."),
			want: []string{`ci.repository: got "acme/.."; want a repository name`}},
		{name: "no repository", ci: map[string]any{"environments": []any{"dev"}},
			want: []string{`ci.repository: got ""; want the GitHub repository that deploys as its jobs' sub claim names it`}},
		// Immutable subject claims: repo:octocat@123456/my-repo@456789:... (GitHub's OIDC reference).
		{name: "immutable IDs", ci: ciObject("octocat@123456/my-repo@456789")},
		{name: "owner ID only", ci: ciObject("octocat@123456/my-repo"),
			want: []string{`ci.repository: got "octocat@123456/my-repo"; want both immutable IDs (OWNER@ID/NAME@ID`}},
		{name: "repository ID only", ci: ciObject("octocat/my-repo@456789"),
			want: []string{`ci.repository: got "octocat/my-repo@456789"; want both immutable IDs`}},
		{name: "ID not a number", ci: ciObject("octocat@abc/my-repo@456789"),
			want: []string{`ci.repository: got "octocat@abc/my-repo@456789"; want the owner's and the repository's numeric IDs after the @ signs`}},
		{name: "empty ID", ci: ciObject("octocat@/my-repo@1"),
			want: []string{`ci.repository: got "octocat@/my-repo@1"; want the owner's and the repository's numeric IDs`}},
		{name: ".git with IDs", ci: ciObject("octocat@1/app.git@2"),
			want: []string{`ci.repository: got "octocat@1/app.git@2"; want the repository's name without .git: did you mean "octocat@1/app@2"?`}},

		{name: "one environment", ci: ciObject("acme/app", "production")},
		{name: "environment of 255", ci: ciObject("acme/app", env255)},
		{name: "environment of 256", ci: ciObject("acme/app", env256),
			want: []string{`ci.environments[0]: got "eeee`}},
		{name: "empty environment", ci: ciObject("acme/app", ""),
			want: []string{`ci.environments[0]: got ""; want 1 to 255 characters (GitHub's limit)`}},
		{name: "environment with a colon", ci: ciObject("acme/app", "dev:x"),
			want: []string{`ci.environments[0]: got "dev:x"; want letters, digits, ".", "-" and "_": the name goes into the role's trust policy`}},
		{name: "environment with a space", ci: ciObject("acme/app", "prod eu"),
			want: []string{`ci.environments[0]: got "prod eu"; want letters, digits`}},
		{name: "empty list", ci: map[string]any{"repository": "acme/app", "environments": []any{}},
			want: []string{`ci.environments: got an empty list; want the GitHub environments that deploy`}},
		{name: "environment twice, other case", ci: ciObject("acme/app", "prod", "Prod"),
			want: []string{`ci.environments[1]: got "Prod"; want each environment once: GitHub treats environment names without case, and ci.environments[0] is "prod"`}},
		{name: "two names, one output", ci: ciObject("acme/app", "prod-eu", "prodEu"),
			want: []string{`ci.environments[1]: got "prodEu"; want names that differ in their letters or digits: "prod-eu" and "prodEu" would both give the stack output DeployRoleArnProdEu`}},
		{name: "environment as a number", ci: ciObject("acme/app", 1),
			want: []string{`ci.environments[0]: got 1; want a string`}},

		{name: "provider ARN", ci: withARN(arn("aws", "123456789012"))},
		{name: "provider ARN in China", ci: withARN(arn("aws-cn", "123456789012"))},
		{name: "provider ARN in GovCloud", ci: withARN(arn("aws-us-gov", "123456789012"))},
		{name: "provider ARN, 11-digit account", ci: withARN(arn("aws", "12345678901")),
			want: []string{`ci.oidcProviderArn: got "arn:aws:iam::12345678901:oidc-provider/token.actions.githubusercontent.com"; want the ARN of the account's GitHub provider`}},
		{name: "provider ARN of another issuer", ci: withARN("arn:aws:iam::123456789012:oidc-provider/gitlab.com"),
			want: []string{`ci.oidcProviderArn: got "arn:aws:iam::123456789012:oidc-provider/gitlab.com"; want the ARN`}},
		{name: "provider ARN of a role", ci: withARN("arn:aws:iam::123456789012:role/github"),
			want: []string{`ci.oidcProviderArn: got "arn:aws:iam::123456789012:role/github"`}},

		{name: "qualifier of 10", ci: ciObject("acme/app"), extra: []any{KeyBootstrapQualifier, "abcdefghij"}},
		{name: "qualifier of 11", ci: ciObject("acme/app"), extra: []any{KeyBootstrapQualifier, "abcdefghijk"},
			want: []string{`@aws-cdk/core:bootstrapQualifier: got "abcdefghijk"; want the qualifier given to cdk bootstrap --qualifier: 1 to 10`}},
		{name: "qualifier with a dot", ci: ciObject("acme/app"), extra: []any{KeyBootstrapQualifier, "a.b"},
			want: []string{`@aws-cdk/core:bootstrapQualifier: got "a.b"`}},
		{name: "qualifier as a number", ci: ciObject("acme/app"), extra: []any{KeyBootstrapQualifier, 7},
			want: []string{`@aws-cdk/core:bootstrapQualifier: got 7; want the qualifier given to cdk bootstrap --qualifier, a string`}},

		{name: "JSON from -c", ci: `{"repository": "acme/app", "environments": ["dev"]}`},
		{name: "not JSON from -c", ci: "acme/app",
			want: []string{`ci: got "acme/app"; want an object, such as {"repository": "acme/cognito-apigw"`}},
		{name: "a list", ci: []any{"acme/app"},
			want: []string{`ci: got a list; want an object`}},
		{name: "misspelt key", ci: map[string]any{"repository": "acme/app", "environment": []any{"dev"}},
			want: []string{
				`ci.environment: unknown setting; did you mean "environments"?`,
				`ci.environments: got an empty list`,
			}},
		{name: "every problem at once", ci: map[string]any{"repository": "acme/app.git", "environments": []any{"dev", "DEV", "a b"}, "oidcProviderArn": "x"},
			extra: []any{KeyBootstrapQualifier, ""},
			want: []string{
				`ci.repository: got "acme/app.git"`,
				`ci.environments[1]: got "DEV"`,
				`ci.environments[2]: got "a b"`,
				`ci.oidcProviderArn: got "x"`,
				`@aws-cdk/core:bootstrapQualifier: got ""`,
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := loadWithCI(t, tc.ci, tc.extra...)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("refused:\n%s", err)
				}
				if cfg.CI == nil {
					t.Fatal("accepted, but Config.CI is nil")
				}
				return
			}
			wantProblemsStarting(t, err, tc.want)
		})
	}
}

// Without "ci" (or with null) there is no CI stack, and a bad qualifier is the CDK's business:
// nothing of this app uses it.
func TestCIAbsent(t *testing.T) {
	ctx := projectContext(t)
	ctx[KeyBootstrapQualifier] = "far-too-long-qualifier"
	cfg, err := Load(ctx)
	if err != nil || cfg.CI != nil {
		t.Fatalf("no ci: CI %+v, %v", cfg.CI, err)
	}
	cfg, err = loadWithCI(t, nil)
	if err != nil || cfg.CI != nil {
		t.Fatalf("ci null: CI %+v, %v", cfg.CI, err)
	}
	if cfg.BootstrapQualifier != DefaultBootstrapQualifier {
		t.Errorf("qualifier %q, want the CDK's default %q", cfg.BootstrapQualifier, DefaultBootstrapQualifier)
	}
}

func TestCISubjectAndQualifier(t *testing.T) {
	cfg, err := loadWithCI(t, ciObject("Acme/App", "dev", "prod"), KeyBootstrapQualifier, "acme1")
	if err != nil {
		t.Fatal(err)
	}
	// GitHub's sub claim for a job in an environment; the case is kept: IAM compares exactly.
	if got := cfg.CI.Subject("prod"); got != "repo:Acme/App:environment:prod" {
		t.Errorf("subject %q", got)
	}
	if got := (CI{Repository: "octocat@123456/my-repo@456789"}).Subject("dev"); got != "repo:octocat@123456/my-repo@456789:environment:dev" {
		t.Errorf("subject with immutable IDs %q", got)
	}
	if cfg.BootstrapQualifier != "acme1" {
		t.Errorf("qualifier %q", cfg.BootstrapQualifier)
	}
}
