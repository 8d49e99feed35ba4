package main

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// TestProductionPlaceholderWarning: the committed prod stage still points at example.com, and
// synth says so as a warning on the auth stack; dev, on localhost, gets none.
func TestProductionPlaceholderWarning(t *testing.T) {
	warnings := func(name string) []string {
		var out []string
		noPanic(t, func() {
			found := assertions.Annotations_FromStack(stage(t, name).stacks.Auth.Stack).FindWarning(jsii.String("*"), assertions.Match_AnyValue())
			for _, m := range *found {
				if s, ok := m.Entry.Data.(string); ok {
					out = append(out, s)
				}
			}
		})
		return out
	}
	prod := strings.Join(warnings("prod"), "\n")
	for _, want := range []string{
		`stages.prod.callbackUrls[0]: "https://app.example.com/auth/callback" is on a reserved example domain`,
		`stages.prod.logoutUrls[0]`,
		`stages.prod.cors.allowOrigins[0]`,
	} {
		if !strings.Contains(prod, want) {
			t.Errorf("prod warnings lack %q:\n%s", want, prod)
		}
	}
	for _, w := range warnings("dev") {
		if strings.Contains(w, "reserved example domain") {
			t.Errorf("dev got a placeholder warning: %s", w)
		}
	}
}
