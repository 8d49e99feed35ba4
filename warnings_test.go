package main

import (
	"regexp"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// TestProductionPlaceholderWarning: the committed prod stage still points at example.com, and
// synth says so as a warning on the auth stack; dev, on localhost, gets none.
func TestProductionPlaceholderWarning(t *testing.T) {
	prod := assertions.Annotations_FromStack(stage(t, "prod").stacks.Auth.Stack)
	for _, want := range []string{
		`stages.prod.callbackUrls[0]: "https://app.example.com/auth/callback" is on a reserved example domain`,
		`stages.prod.logoutUrls[0]: "https://app.example.com" is on a reserved example domain`,
		`stages.prod.cors.allowOrigins[0]: "https://app.example.com" is on a reserved example domain`,
	} {
		noPanic(t, func() {
			prod.HasWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String(regexp.QuoteMeta(want))))
		})
	}
	dev := assertions.Annotations_FromStack(stage(t, "dev").stacks.Auth.Stack)
	noPanic(t, func() {
		dev.HasNoWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("reserved example domain")))
	})
}
