package stacks_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/cognito-apigw/cognito-apigw/internal/cdktest"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/stacks"
)

// TestCdkNag runs cdk-nag's AwsSolutions rules on every stage. A finding is either fixed in
// the stacks or suppressed there, on the narrowest resource, with a reason (see docs/security.md).
func TestCdkNag(t *testing.T) {
	for _, name := range []string{"dev", "prod"} {
		t.Run(name, func(t *testing.T) {
			s := stage(t, name)
			checked := []awscdk.Stack{s.Built.Auth.Stack, s.Built.API.Stack}
			if s.Built.Alarms != nil {
				checked = append(checked, s.Built.Alarms.Stack)
			}
			findings := nagFindings(t, checked...)
			sort.Strings(findings)
			if len(findings) > 0 {
				t.Errorf("unsuppressed cdk-nag findings:\n%s", strings.Join(findings, "\n"))
			}
		})
	}
}

// nagFindings are the AwsSolutions errors and warnings that cdk-nag left on the stacks, one per
// stack and kind.
func nagFindings(t *testing.T, checked ...awscdk.Stack) []string {
	t.Helper()
	var findings []string
	for _, st := range checked {
		var a assertions.Annotations
		noPanic(t, func() { a = assertions.Annotations_FromStack(st) })
		match := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*"))
		// HasNoError/HasNoWarning rather than FindError/FindWarning, whose result type
		// (cxapi.SynthesisMessage) is deprecated; on failure they list every match.
		for kind, check := range map[string]func(*string, any){"errors": a.HasNoError, "warnings": a.HasNoWarning} {
			func() {
				defer func() {
					if r := recover(); r != nil {
						findings = append(findings, fmt.Sprintf("%s %s: %v", *st.StackName(), kind, r))
					}
				}()
				check(jsii.String("*"), match)
			}()
		}
	}
	return findings
}

// Every suppression in the templates is in docs/security.md's table, reason and all, so reviewers
// read what the code does.
func TestNagSuppressionsAreDocumented(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(project.Dir, "docs/security.md"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "| AwsSolutions-") {
			rows = append(rows, line)
		}
	}
	seen := 0
	for _, name := range []string{"dev", "prod"} {
		s := stage(t, name)
		for _, tpl := range []map[string]any{s.AuthJSON, s.APIJSON, s.AlarmsJSON} {
			if tpl == nil {
				continue
			}
			for id, r := range tpl["Resources"].(map[string]any) {
				meta, _ := r.(map[string]any)["Metadata"].(map[string]any)
				nag, _ := meta["cdk_nag"].(map[string]any)
				rules, _ := nag["rules_to_suppress"].([]any)
				for _, rule := range rules {
					rule := rule.(map[string]any)
					seen++
					documented := slices.ContainsFunc(rows, func(row string) bool {
						return strings.Contains(row, rule["id"].(string)) && strings.Contains(row, rule["reason"].(string))
					})
					if !documented {
						t.Errorf("%s %s: suppression of %s is not in docs/security.md's table with its reason %q", name, id, rule["id"], rule["reason"])
					}
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("found no suppressions in the templates")
	}
}

// GIVEN a stage with every operations setting on (alarms with an address, WAF, SES, both
// domains in a hosted zone, the token authorizer and both triggers) WHEN cdk-nag's AwsSolutions
// rules run THEN no stack has a finding: the committed stages leave the domains off, so the
// root cdk-nag test alone would not see them.
func TestOperationsSettingsAreNagClean(t *testing.T) {
	cfg := defaultStage(func(s *config.Stage) {
		s.Production = true
		s.ThreatProtection = true
		s.MFA = "required"
		s.WAF.Enabled = true
		s.Email = config.Email{Sender: "ses", From: "no-reply@acme.io"}
		s.Alarms = config.Alarms{Enabled: true, Email: "ops@acme.io", API5XXErrors: 5, APILatencyP99Ms: 3000, FunctionErrors: 1,
			FunctionThrottles: 1, CognitoThrottles: 1, WAFBlockedStdDevs: 3, SESBounceRatePercent: 2, SESComplaintRatePercent: 0.05}
		s.LoginDomain = &config.CustomDomain{Name: "auth.acme.io", CertificateARN: loginCert, HostedZoneID: zoneID}
		s.APIDomain = &config.CustomDomain{Name: "api.acme.io", CertificateARN: apiCert, HostedZoneID: zoneID}
		s.Authorizer = "lambda"
		s.Groups = []config.Group{{Name: "admin"}}
		s.GroupScopes = map[string][]string{"admin": {"demo-api/write"}}
		s.LinkByEmail = true
		s.IdentityProviders = []config.IdentityProvider{{Type: "google", ClientID: "id", ClientSecret: ref("demo/google", "secret")}}
	})
	if problems := cfg.Validate(); len(problems) > 0 {
		t.Fatalf("the test's configuration is invalid: %v", problems)
	}
	app := newApp(t)
	var built *stacks.Stage
	var err error
	noPanic(t, func() {
		awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true), Reports: jsii.Bool(false)}), nil)
		built, err = cdktest.BuildStacks(app, cfg, project.Dir, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	if findings := nagFindings(t, built.Auth.Stack, built.API.Stack, built.Alarms.Stack); len(findings) > 0 {
		t.Errorf("cdk-nag findings:\n%s", strings.Join(findings, "\n"))
	}
}
