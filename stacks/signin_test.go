package stacks_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
)

// sesEmail is the SES example.
var sesEmail = config.Email{Sender: "ses", From: "no-reply@acme.io", FromName: "Acme", ReplyTo: "support@acme.io",
	SESRegion: "eu-west-1", ConfigurationSet: "cognito-mail"}

func ref(name, field string) *config.SecretRef {
	return &config.SecretRef{SecretsManager: name, Field: field}
}

// everyProvider has one identity provider of each type, with their secrets in Secrets Manager.
var everyProvider = []config.IdentityProvider{
	{Type: "google", ClientID: "123.apps.googleusercontent.com", ClientSecret: ref("demo/google", "clientSecret")},
	{Type: "facebook", ClientID: "fb-app", ClientSecret: ref("demo/facebook", "appSecret")},
	{Type: "amazon", ClientID: "amzn1.application-oa2-client.x", ClientSecret: ref("arn:aws:secretsmanager:eu-west-1:123456789012:secret:demo/amazon-AbCdEf", "secret")},
	{Type: "apple", ClientID: "com.acme.signin", TeamID: "ABCDE12345", KeyID: "KEY1234567", PrivateKey: ref("demo/apple", "privateKey")},
	{Type: "oidc", Name: "okta", ClientID: "0oa1", ClientSecret: ref("demo/okta", "secret"), Issuer: "https://acme.okta.com",
		AttributesRequestMethod: "POST", Identifiers: []string{"acme.io"},
		AttributeMapping: map[string]string{"email": "mail", "name": "displayName", "locale": "lang"}},
	{Type: "saml", Name: "entra", MetadataURL: "https://login.microsoftonline.com/x/federationmetadata.xml", Identifiers: []string{"corp.acme.io"}},
	{Type: "saml", Name: "adfs.corp", MetadataFile: "stacks/testdata/saml-metadata.xml"},
}

// templateText is the template as JSON, to search for what must never be in it.
func templateText(t *testing.T, tpl assertions.Template) string {
	t.Helper()
	var b []byte
	noPanic(t, func() { b, _ = json.Marshal(tpl.ToJSON()) })
	return string(b)
}

var dynamicSecret = regexp.MustCompile(`^\{\{resolve:secretsmanager:[^}]+:SecretString:[^:}]+::\}\}$`)

func TestSignInFromExplicitProps(t *testing.T) {
	runExplicit(t, defaultStage, []explicitCase{{
		given: "a default stage", when: "nothing is changed",
		then: func(t *testing.T, tpl templates) {
			// Cognito's own sender, and the pool's users only.
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPool", map[string]any{
				"EmailConfiguration": absent(),
				"AdminCreateUserConfig": objectLike(map[string]any{"InviteMessageTemplate": objectLike(map[string]any{
					"EmailSubject": "Your new account",
					"EmailMessage": assertions.Match_StringLikeRegexp(jsii.String(`\{username\}.*\{####\}`)),
				})}),
				"LambdaConfig": absent(),
			})
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPoolClient", map[string]any{"SupportedIdentityProviders": []any{"COGNITO"}})
			count(t, tpl.Auth, "AWS::Cognito::UserPoolIdentityProvider", 0)
			count(t, tpl.Auth, "AWS::Lambda::Function", 0)
			if strings.Contains(templateText(t, tpl.Auth), "SesRegionServesPoolRegion") {
				t.Error("a CloudFormation rule without an SES Region to check")
			}
		},
	}, {
		given: "a default stage", when: "it sends through SES in another Region",
		change: func(s *config.Stage) { s.Email = sesEmail },
		then: func(t *testing.T, tpl templates) {
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPool", map[string]any{"EmailConfiguration": map[string]any{
				"EmailSendingAccount": "DEVELOPER",
				"From":                "Acme <no-reply@acme.io>",
				"ReplyToEmailAddress": "support@acme.io",
				"ConfigurationSet":    "cognito-mail",
				"SourceArn": map[string]any{"Fn::Join": []any{"", []any{
					"arn:", map[string]any{"Ref": "AWS::Partition"}, ":ses:eu-west-1:", map[string]any{"Ref": "AWS::AccountId"}, ":identity/no-reply@acme.io",
				}}},
			}})
			// The deploy Region is checked against the ones eu-west-1 serves.
			var rules map[string]any
			noPanic(t, func() { rules, _ = (*tpl.Auth.ToJSON())["Rules"].(map[string]any) })
			rule, _ := json.Marshal(rules["SesRegionServesPoolRegion"])
			for _, want := range []string{`"Fn::Contains"`, `"eu-central-1"`, `{"Ref":"AWS::Region"}`, "email.sesRegion eu-west-1 serves"} {
				if !strings.Contains(string(rule), want) {
					t.Errorf("rule SesRegionServesPoolRegion lacks %s: %s", want, rule)
				}
			}
		},
	}, {
		given: "a default stage", when: "it sends through SES in the pool's Region from a verified domain",
		change: func(s *config.Stage) {
			s.Email = config.Email{Sender: "ses", From: "no-reply@acme.io", VerifiedDomain: "acme.io"}
		},
		then: func(t *testing.T, tpl templates) {
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPool", map[string]any{"EmailConfiguration": map[string]any{
				"EmailSendingAccount": "DEVELOPER",
				"From":                "no-reply@acme.io",
				"SourceArn": map[string]any{"Fn::Join": []any{"", []any{
					"arn:", map[string]any{"Ref": "AWS::Partition"}, ":ses:", map[string]any{"Ref": "AWS::Region"}, ":", map[string]any{"Ref": "AWS::AccountId"}, ":identity/acme.io",
				}}},
			}})
			if strings.Contains(templateText(t, tpl.Auth), "SesRegionServesPoolRegion") {
				t.Error("a CloudFormation rule although SES is in the pool's own Region")
			}
		},
	}, {
		given: "a default stage", when: "it has a provider of every type",
		change: func(s *config.Stage) { s.IdentityProviders = everyProvider },
		then: func(t *testing.T, tpl templates) {
			resolve := func(name, field string) string {
				return "{{resolve:secretsmanager:" + name + ":SecretString:" + field + "::}}"
			}
			for _, want := range []map[string]any{{
				"ProviderName": "Google", "ProviderType": "Google",
				"ProviderDetails": map[string]any{"client_id": "123.apps.googleusercontent.com", "client_secret": resolve("demo/google", "clientSecret"),
					"authorize_scopes": "openid email profile"},
				"AttributeMapping": map[string]any{"email": "email", "name": "name"},
			}, {
				"ProviderName": "Facebook", "ProviderType": "Facebook",
				"ProviderDetails":  map[string]any{"client_id": "fb-app", "client_secret": resolve("demo/facebook", "appSecret"), "authorize_scopes": "public_profile,email"},
				"AttributeMapping": map[string]any{"email": "email", "name": "name"},
			}, {
				"ProviderName": "LoginWithAmazon", "ProviderType": "LoginWithAmazon",
				"ProviderDetails": map[string]any{"client_id": "amzn1.application-oa2-client.x", "authorize_scopes": "profile",
					"client_secret": resolve("arn:aws:secretsmanager:eu-west-1:123456789012:secret:demo/amazon-AbCdEf", "secret")},
			}, {
				"ProviderName": "SignInWithApple", "ProviderType": "SignInWithApple",
				"ProviderDetails": map[string]any{"client_id": "com.acme.signin", "team_id": "ABCDE12345", "key_id": "KEY1234567",
					"private_key": resolve("demo/apple", "privateKey"), "authorize_scopes": "email name"},
			}, {
				"ProviderName": "okta", "ProviderType": "OIDC",
				"ProviderDetails": map[string]any{"client_id": "0oa1", "client_secret": resolve("demo/okta", "secret"), "oidc_issuer": "https://acme.okta.com",
					"attributes_request_method": "POST", "authorize_scopes": "openid email profile"},
				"AttributeMapping": map[string]any{"email": "mail", "name": "displayName", "locale": "lang"},
				"IdpIdentifiers":   []any{"acme.io"},
			}, {
				"ProviderName": "entra", "ProviderType": "SAML",
				"ProviderDetails": map[string]any{"MetadataURL": "https://login.microsoftonline.com/x/federationmetadata.xml"},
				"AttributeMapping": map[string]any{
					"email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
					"name":  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
				},
				"IdpIdentifiers": []any{"corp.acme.io"},
			}, {
				"ProviderName": "adfs.corp", "ProviderType": "SAML",
				"ProviderDetails": map[string]any{"MetadataFile": assertions.Match_StringLikeRegexp(jsii.String(`EntityDescriptor`))},
			}} {
				hasProps(t, tpl.Auth, "AWS::Cognito::UserPoolIdentityProvider", want)
			}
			count(t, tpl.Auth, "AWS::Cognito::UserPoolIdentityProvider", len(everyProvider))

			// Every secret is a dynamic reference, and no literal secret setting exists to leak.
			var providers map[string]map[string]any
			noPanic(t, func() {
				for id, r := range *tpl.Auth.FindResources(jsii.String("AWS::Cognito::UserPoolIdentityProvider"), nil) {
					if providers == nil {
						providers = map[string]map[string]any{}
					}
					providers[id] = *r
				}
			})
			for id, r := range providers {
				details := r["Properties"].(map[string]any)["ProviderDetails"].(map[string]any)
				for _, key := range []string{"client_secret", "private_key"} {
					if v, ok := details[key]; ok && !dynamicSecret.MatchString(v.(string)) {
						t.Errorf("%s: %s is %v, want a Secrets Manager dynamic reference", id, key, v)
					}
				}
			}

			// The client offers them all and waits for them.
			var client map[string]any
			noPanic(t, func() {
				for _, r := range *tpl.Auth.FindResources(jsii.String("AWS::Cognito::UserPoolClient"), nil) {
					client = *r
				}
			})
			got := client["Properties"].(map[string]any)["SupportedIdentityProviders"]
			if want := []any{"COGNITO", "Google", "Facebook", "LoginWithAmazon", "SignInWithApple", "okta", "entra", "adfs.corp"}; !slices.Equal(got.([]any), want) {
				t.Errorf("SupportedIdentityProviders %v, want %v", got, want)
			}
			// Cognito writes what a provider maps through the client at each sign-in: okta's
			// locale is writable, as are email and name; no *_verified attribute ever is.
			if got := client["Properties"].(map[string]any)["WriteAttributes"]; !slices.Equal(got.([]any), []any{"email", "locale", "name"}) {
				t.Errorf("WriteAttributes %v, want email, locale, name", got)
			}
			dependsOn, _ := client["DependsOn"].([]any)
			for id := range providers {
				if !slices.Contains(dependsOn, any(id)) {
					t.Errorf("the client does not depend on %s: DependsOn %v", id, dependsOn)
				}
			}

			// One sign-in URL per provider, straight to it.
			for key, idp := range map[string]string{"SignInUrlGoogle": "Google", "SignInUrlSignInWithApple": "SignInWithApple", "SignInUrlokta": "okta", "SignInUrladfscorp": "adfs.corp"} {
				noPanic(t, func() {
					tpl.Auth.HasOutput(jsii.String(key), map[string]any{"Value": map[string]any{"Fn::Join": assertions.Match_ArrayWith(&[]any{"",
						assertions.Match_ArrayWith(&[]any{assertions.Match_StringLikeRegexp(jsii.String(`&identity_provider=` + regexp.QuoteMeta(idp) + `$`))})})}})
				})
			}
		},
	}, {
		given: "a stage with a provider", when: "cognitoSignIn is false",
		change: func(s *config.Stage) { s.IdentityProviders = everyProvider[:1]; s.CognitoSignIn = false },
		then: func(t *testing.T, tpl templates) {
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPoolClient", map[string]any{"SupportedIdentityProviders": []any{"Google"}})
		},
	}, {
		given: "a stage with providers", when: "linkByEmail is on",
		change: func(s *config.Stage) { s.IdentityProviders = everyProvider[4:6]; s.LinkByEmail = true },
		then: func(t *testing.T, tpl templates) {
			hasProps(t, tpl.Auth, "AWS::Lambda::Function", map[string]any{
				"Runtime": "provided.al2023", "Architectures": []any{"arm64"}, "Timeout": 5,
				// What linkByEmail trusts each provider for: the domains of its identifiers.
				"Environment": map[string]any{"Variables": map[string]any{"LINK_AUTHORITIES": `[{"provider":"okta","domains":["acme.io"]},{"provider":"entra","domains":["corp.acme.io"]}]`}},
			})
			hasProps(t, tpl.Auth, "AWS::Cognito::UserPool", map[string]any{
				"LambdaConfig": map[string]any{"PreSignUp": map[string]any{"Fn::GetAtt": assertions.Match_ArrayWith(&[]any{"Arn"})}},
			})
			// Listing and linking users of this pool only, besides writing its own logs.
			hasProps(t, tpl.Auth, "AWS::IAM::Policy", map[string]any{"PolicyDocument": objectLike(map[string]any{"Statement": []any{map[string]any{
				"Action":   []any{"cognito-idp:ListUsers", "cognito-idp:AdminLinkProviderForUser"},
				"Effect":   "Allow",
				"Resource": map[string]any{"Fn::GetAtt": assertions.Match_ArrayWith(&[]any{"Arn"})},
			}}})})
			hasProps(t, tpl.Auth, "AWS::Lambda::Permission", map[string]any{"Principal": "cognito-idp.amazonaws.com"})
		},
	}})
}
