package stacks_test

import (
	"regexp"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// TestProductionPlaceholderWarning: the committed prod stage still points at example.com, and
// synth says so as a warning on the auth stack; dev, on localhost, gets none.
func TestProductionPlaceholderWarning(t *testing.T) {
	prod := assertions.Annotations_FromStack(stage(t, "prod").Built.Auth.Stack)
	for _, want := range []string{
		`stages.prod.callbackUrls[0]: "https://app.example.com/auth/callback" is on a reserved example domain`,
		`stages.prod.logoutUrls[0]: "https://app.example.com" is on a reserved example domain`,
		`stages.prod.cors.allowOrigins[0]: "https://app.example.com" is on a reserved example domain`,
		`stages.prod.email.from: "no-reply@acme.example" is on a reserved example domain`,
		`stages.prod.email.replyTo: "support@acme.example" is on a reserved example domain`,
		`stages.prod.identityProviders[0].issuer: "https://sso.acme.example" is on a reserved example domain`,
	} {
		noPanic(t, func() {
			prod.HasWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String(regexp.QuoteMeta(want))))
		})
	}
	dev := assertions.Annotations_FromStack(stage(t, "dev").Built.Auth.Stack)
	noPanic(t, func() {
		dev.HasNoWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("reserved example domain")))
		dev.HasNoWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("email sender")))
	})
}

// A production stage that keeps Cognito's sender is warned that its mail will stop; the
// committed prod stage sends through SES, so it is not.
func TestProductionCognitoSenderWarning(t *testing.T) {
	st, err := newTestApp(t, map[string]any{"stage": "prod", "stages": project.EditedStages(t, "prod", func(p map[string]any) { delete(p, "email") })})
	if err != nil {
		t.Fatal(err)
	}
	noPanic(t, func() {
		assertions.Annotations_FromStack(st.Auth.Stack).HasWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String(
			regexp.QuoteMeta(`stages.prod.email.sender: a production stage keeps Cognito's own email sender`)+".*50 at the time of writing.*stop arriving")))
	})
	noPanic(t, func() {
		assertions.Annotations_FromStack(stage(t, "prod").Built.Auth.Stack).HasNoWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("own email sender")))
	})
}
