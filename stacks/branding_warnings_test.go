package stacks_test

import (
	"encoding/base64"
	"fmt"
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
	want := regexp.QuoteMeta(file+`: Settings.componentClasses.buttons.borderRadiuss: got 20.0; unknown key: not in Cognito's default style`) +
		".*" + regexp.QuoteMeta(`did you mean "borderRadius"?`)
	noPanic(t, func() {
		assertions.Annotations_FromStack(st.Auth.Stack).HasWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String(want)))
	})
	noPanic(t, func() {
		assertions.Annotations_FromStack(stage(t, "dev").Built.Auth.Stack).HasNoWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("Cognito's default style")))
	})
}

// A provider's button icon goes only to a stage with that provider: on a stage with providers,
// one whose ResourceId names none of them is left out with a warning naming the providers.
func TestButtonIconForAnotherProvider(t *testing.T) {
	logo, err := os.ReadFile(filepath.Join(project.Dir, "branding/assets/idp-button-icon-acmesso-dynamic.svg"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "style.json")
	style := fmt.Sprintf(`{"Settings": {}, "Assets": [{"Category": "IDP_BUTTON_ICON", "ColorMode": "DYNAMIC", "Extension": "SVG", "Bytes": %q, "ResourceId": "acmesso"}]}`,
		base64.StdEncoding.EncodeToString(logo))
	if err := os.WriteFile(file, []byte(style), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := newTestApp(t, map[string]any{"stage": "prod", "brandingFile": file})
	if err != nil {
		t.Fatal(err)
	}
	noPanic(t, func() {
		assertions.Annotations_FromStack(st.Auth.Stack).HasWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String(regexp.QuoteMeta(
			`branding Assets[0]: the IDP_BUTTON_ICON for ResourceId "acmesso" is left out of stage prod's login style: ResourceId must be the name of one of its identityProviders (AcmeSSO; case-sensitive)`))))
	})
	noPanic(t, func() {
		assertions.Template_FromStack(st.Auth.Stack, nil).HasResourceProperties(jsii.String("AWS::Cognito::ManagedLoginBranding"),
			map[string]any{"Assets": assertions.Match_Absent()})
	})
	noPanic(t, func() {
		assertions.Annotations_FromStack(stage(t, "prod").Built.Auth.Stack).HasNoWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("IDP_BUTTON_ICON")))
	})
}
