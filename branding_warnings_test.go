package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// A key deep in the branding Settings that Cognito's default style lacks is a synth warning on
// the auth stack, one per key, with the nearest known key; the committed style gives none.
func TestBrandingDeepKeyWarning(t *testing.T) {
	file := filepath.Join(t.TempDir(), "style.json")
	if err := os.WriteFile(file, []byte(`{"Settings": {"componentClasses": {"buttons": {"borderRadiuss": 20.0}}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := newTestApp(t, map[string]any{"stage": "dev", "brandingFile": file})
	if err != nil {
		t.Fatal(err)
	}
	want := regexp.QuoteMeta(file+`: Settings.componentClasses.buttons.borderRadiuss = 20.0: unknown key: not in Cognito's default style`) +
		".*" + regexp.QuoteMeta(`did you mean "borderRadius"?`)
	noPanic(t, func() {
		assertions.Annotations_FromStack(st.Auth.Stack).HasWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String(want)))
	})
	noPanic(t, func() {
		assertions.Annotations_FromStack(stage(t, "dev").stacks.Auth.Stack).HasNoWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("Cognito's default style")))
	})
}
