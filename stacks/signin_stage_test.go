package stacks_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/stacks"
)

// The production sign-in, through cdk.json's context like a user's stage: SES, Google,
// one OIDC and one SAML provider, and linkByEmail. Synthesized once, with cdk-nag.
var (
	signInOnce sync.Once
	signInSt   *stacks.Stage
	signInErr  error
)

func signInStage(t *testing.T) *stacks.Stage {
	t.Helper()
	signInOnce.Do(func() {
		stages := project.EditedStages(t, "prod", func(p map[string]any) {
			p["email"] = map[string]any{"sender": "ses", "from": "no-reply@acme.io", "fromName": "Acme", "sesRegion": "eu-west-1"}
			p["identityProviders"] = []any{
				map[string]any{"type": "google", "clientId": "123.apps.googleusercontent.com",
					"clientSecret": map[string]any{"secretsManager": "demo-api/prod/google", "field": "clientSecret"}},
				map[string]any{"type": "oidc", "name": "okta", "clientId": "0oa1", "issuer": "https://acme.okta.com",
					"clientSecret": map[string]any{"secretsManager": "demo-api/prod/okta", "field": "clientSecret"}, "identifiers": []any{"acme.io"}},
				map[string]any{"type": "saml", "name": "entra", "metadataFile": "stacks/testdata/saml-metadata.xml", "identifiers": []any{"corp.acme.io"}},
			}
			p["linkByEmail"] = true
		})
		stages["signin"] = stages["prod"]
		signInSt, signInErr = newTestApp(t, map[string]any{"stage": "signin", "stages": stages})
	})
	if signInErr != nil {
		t.Fatalf("stage signin: %v", signInErr)
	}
	return signInSt
}

func TestSignInStage(t *testing.T) {
	st := signInStage(t)
	var tpl assertions.Template
	noPanic(t, func() { tpl = assertions.Template_FromStack(st.Auth.Stack, nil) })
	count(t, tpl, "AWS::Cognito::UserPoolIdentityProvider", 3)
	hasProps(t, tpl, "AWS::Cognito::UserPoolClient", map[string]any{"SupportedIdentityProviders": []any{"COGNITO", "Google", "okta", "entra"}})
	hasProps(t, tpl, "AWS::Cognito::UserPool", map[string]any{"EmailConfiguration": objectLike(map[string]any{"EmailSendingAccount": "DEVELOPER"})})

	// Secrets reach the template as dynamic references only.
	b, _ := json.Marshal(toMap(tpl))
	refs := regexp.MustCompile(`\{\{resolve:secretsmanager:([^}]+)\}\}`).FindAllStringSubmatch(string(b), -1)
	var got []string
	for _, r := range refs {
		got = append(got, r[1])
	}
	want := []string{"demo-api/prod/google:SecretString:clientSecret::", "demo-api/prod/okta:SecretString:clientSecret::"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("dynamic references %v, want %v", got, want)
	}
	if strings.Contains(string(b), "client_secret\":\"") && len(refs) != 2 {
		t.Error("a client secret that is not a dynamic reference")
	}
}

// The new resources (providers, the trigger, its role and policies) pass cdk-nag as they are.
func TestCdkNagWithSignIn(t *testing.T) {
	st := signInStage(t)
	for _, s := range []awscdk.Stack{st.Auth.Stack, st.API.Stack} {
		var a assertions.Annotations
		noPanic(t, func() { a = assertions.Annotations_FromStack(s) })
		match := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*"))
		noPanic(t, func() { a.HasNoError(jsii.String("*"), match) })
		noPanic(t, func() { a.HasNoWarning(jsii.String("*"), match) })
	}
}
