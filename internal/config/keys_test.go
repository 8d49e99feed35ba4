package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnknownContextKeys(t *testing.T) {
	const overrides = "; -c takes only stage, domainPrefix, callbackUrls, logoutUrls, brandingFile"
	for _, tc := range []struct {
		key  string
		want string
	}{
		{"mfa", `mfa: got "x"; unknown context key (from -c or cdk.json's "context"); mfa is a stage setting: set it in cdk.json under stages.<stage>.mfa or defaults.mfa` + overrides},
		{"passwordpolicy", `passwordpolicy: got "x"; unknown context key (from -c or cdk.json's "context"); passwordPolicy is a stage setting: set it in cdk.json under stages.<stage>.passwordPolicy or defaults.passwordPolicy` + overrides},
		{"domainprefix", `domainprefix: got "x"; unknown context key (from -c or cdk.json's "context"); did you mean "domainPrefix"? (keys are case-sensitive)` + overrides},
		{"callbackUrl", `callbackUrl: got "x"; unknown context key (from -c or cdk.json's "context"); did you mean "callbackUrls"?` + overrides},
		{"stag", `stag: got "x"; unknown context key (from -c or cdk.json's "context"); did you mean "stage"?` + overrides},
		{"branding", `branding: got "x"; unknown context key (from -c or cdk.json's "context"); did you mean "brandingFile"?` + overrides},
		{"logouts", `logouts: got "x"; unknown context key (from -c or cdk.json's "context"); did you mean "logoutUrls"?` + overrides},
		{"default", `default: got "x"; unknown context key (from -c or cdk.json's "context"); did you mean "defaults"?` + overrides},
		{"region", `region: got "x"; unknown context key (from -c or cdk.json's "context")` + overrides},
		{"@aws-cdk", `@aws-cdk: got "x"; unknown context key`},
		{"aws:cdk", `aws:cdk: got "x"; unknown context key`},
		{"ssm", `ssm: got "x"; unknown context key`},
	} {
		t.Run(tc.key, func(t *testing.T) {
			ctx := projectContext(t)
			ctx[tc.key] = "x"
			if lines := problemLines(t, ctx); len(lines) != 1 || !strings.HasPrefix(lines[0], tc.want) {
				t.Errorf("got:\n%s\nwant one line starting with:\n%s", strings.Join(lines, "\n"), tc.want)
			}
		})
	}
}

// The keys the CDK itself puts in the context pass: what the CLI hands every app (seen with
// `cdk synth` and an app that prints CDK_CONTEXT_JSON), the feature flags of cdk.json, and what
// cdk.context.json or ~/.cdk.json may hold.
func TestCDKContextKeysPass(t *testing.T) {
	ctx := projectContext(t)
	for _, k := range []string{
		"aws:cdk:enable-path-metadata", "aws:cdk:enable-asset-metadata", "aws:cdk:version-reporting", "aws:cdk:bundling-stacks",
		"aws:cdk:disable-asset-staging", "@aws-cdk/core:bootstrapQualifier", "@aws-cdk/core.TreeMetadata:maxNodes",
		"@aws-cdk-containers/ecs-service-extensions:enableDefaultLogDriver", "aws-cdk:enableDiffNoFail",
		"acknowledged-issue-numbers", "cli-telemetry", "assets-ecr-repository-name",
		"availability-zones:account=123456789012:region=eu-west-1", "ssm:account=123456789012:parameterName=/x:region=eu-west-1",
	} {
		ctx[k] = true
	}
	if _, err := Load(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestBrandingPath(t *testing.T) {
	dir := t.TempDir()
	abs := filepath.Join(dir, "style.json")
	if err := os.WriteFile(abs, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	load := func(file string) Config {
		ctx := projectContext(t)
		ctx[KeyBrandingFile] = file
		cfg, err := Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	// An absolute path is used as it is, not joined to the project directory.
	if got, err := load(abs).BrandingPath("/project"); err != nil || got != abs {
		t.Errorf("absolute: got %q, %v; want %q", got, err, abs)
	}
	if got, err := load("style.json").BrandingPath(dir); err != nil || got != abs {
		t.Errorf("relative: got %q, %v; want %q", got, err, abs)
	}
	missing := filepath.Join(dir, "nope.json")
	for _, tc := range []struct{ file, projectDir, want string }{
		{missing, "/project", `stages.dev.brandingFile (or -c brandingFile): got "` + missing + `"; want an existing branding file: ` + missing + ` does not exist`},
		{"branding/nope.json", dir, `stages.dev.brandingFile (or -c brandingFile): got "branding/nope.json"; want an existing branding file: ` + filepath.Join(dir, "branding/nope.json") + ` does not exist (a relative path starts at the project root`},
	} {
		_, err := load(tc.file).BrandingPath(tc.projectDir)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: got %v\nwant %s", tc.file, err, tc.want)
		}
	}
	// The stage's file comes from the shared defaults in cdk.json: the message says so.
	cfg, err := Load(projectContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.BrandingPath(dir); err == nil || !strings.HasPrefix(err.Error(), `defaults.brandingFile (or -c brandingFile): got "branding/style.json"`) {
		t.Errorf("got %v", err)
	}
}
