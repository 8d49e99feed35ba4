package stacks_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/stacks"
)

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
	var findings []string
	noPanic(t, func() {
		app := newApp(t)
		awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true), Reports: jsii.Bool(false)}), nil)
		auth := stacks.NewAuthStack(app, "auth", &stacks.AuthStackProps{Config: cfg, ModuleDir: ".."})
		api := stacks.NewAPIStack(app, "api", &stacks.APIStackProps{
			Config: cfg, UserPool: auth.UserPool, ClientID: auth.Client.UserPoolClientId(), MachineClients: auth.MachineClients, ModuleDir: "..",
		})
		alarms := stacks.NewAlarmsStack(app, "alarms", &stacks.AlarmsStackProps{Config: cfg, Auth: auth, API: api})
		for _, st := range []awscdk.Stack{auth.Stack, api.Stack, alarms.Stack} {
			a := assertions.Annotations_FromStack(st)
			match := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*"))
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
	})
	if len(findings) > 0 {
		t.Errorf("cdk-nag findings:\n%s", strings.Join(findings, "\n"))
	}
}
