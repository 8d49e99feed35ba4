package stacks_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
)

// The operations settings (userPoolWaf, waf's logs, signInLogs, tracing) in the templates:
// explicit props, and the committed stages of ../cdk.json (synthesized once, shared with the
// other tests here).

// asJSON is a template value as JSON text.
func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// onlyResource is the one resource of type typ, or the test fails.
func onlyResource(t *testing.T, tpl map[string]any, typ string) map[string]any {
	t.Helper()
	rs := resourcesOf(tpl, typ)
	if len(rs) != 1 {
		t.Fatalf("got %d %s, want 1", len(rs), typ)
	}
	for _, r := range rs {
		return r
	}
	return nil
}

// userPoolRules are the user pool web ACL's rules by name, and their names in order.
func userPoolRules(t *testing.T, auth map[string]any) (map[string]map[string]any, []string) {
	t.Helper()
	acl := props(onlyResource(t, auth, "AWS::WAFv2::WebACL"))
	byName := map[string]map[string]any{}
	var order []string
	for _, r := range acl["Rules"].([]any) {
		rule := r.(map[string]any)
		byName[rule["Name"].(string)] = rule
		order = append(order, rule["Name"].(string))
	}
	return byName, order
}

// countedRules are the common rule set's rules the user pool web ACL turns to count.
func countedRules(t *testing.T, auth map[string]any) []string {
	t.Helper()
	rules, _ := userPoolRules(t, auth)
	common := rules["AWSManagedRulesCommonRuleSet"]["Statement"].(map[string]any)["ManagedRuleGroupStatement"].(map[string]any)
	var counted []string
	overrides, _ := common["RuleActionOverrides"].([]any)
	for _, o := range overrides {
		o := o.(map[string]any)
		if asJSON(o["ActionToUse"]) != `{"Count":{}}` {
			t.Errorf("override %s, want count", asJSON(o))
		}
		counted = append(counted, o["Name"].(string))
	}
	return counted
}

// checkWAFLogging asserts that the template's one web ACL logs what it blocks or counts to a log
// group named aws-waf-logs-<prefix>-..., with tokens and cookies redacted.
func checkWAFLogging(t *testing.T, tpl map[string]any, prefix string) {
	t.Helper()
	lc := props(onlyResource(t, tpl, "AWS::WAFv2::LoggingConfiguration"))
	if got := asJSON(lc["ResourceArn"]); got != `{"Fn::GetAtt":["`+aclID(t, tpl)+`","Arn"]}` {
		t.Errorf("logging configuration of %s, want the web ACL's", got)
	}
	if got, want := asJSON(lc["RedactedFields"]), `[{"SingleHeader":{"Name":"authorization"}},{"SingleHeader":{"Name":"cookie"}}]`; got != want {
		t.Errorf("RedactedFields = %s, want %s", got, want)
	}
	if got, want := asJSON(lc["LoggingFilter"]), `{"DefaultBehavior":"DROP","Filters":[{"Behavior":"KEEP","Conditions":[{"ActionCondition":{"Action":"BLOCK"}},{"ActionCondition":{"Action":"COUNT"}}],"Requirement":"MEETS_ANY"}]}`; got != want {
		t.Errorf("LoggingFilter = %s, want %s", got, want)
	}
	// The destination is the group's ARN without the ":*" Fn::GetAtt would add.
	dest := asJSON(lc["LogDestinationConfigs"])
	group := logGroupNamed(t, tpl, "aws-waf-logs-"+prefix+"-")
	if !strings.Contains(dest, `":log-group:",{"Ref":"`+group+`"}]]}`) || strings.Contains(dest, "GetAtt") {
		t.Errorf("LogDestinationConfigs = %s, want the ARN of log group %s", dest, group)
	}
}

func aclID(t *testing.T, tpl map[string]any) string {
	t.Helper()
	for id := range resourcesOf(tpl, "AWS::WAFv2::WebACL") {
		return id
	}
	t.Fatal("no web ACL")
	return ""
}

// logGroupNamed is the logical id of the one log group whose name starts with prefix, followed
// by the first part of the stack's id.
func logGroupNamed(t *testing.T, tpl map[string]any, prefix string) string {
	t.Helper()
	var found []string
	for id, lg := range resourcesOf(tpl, "AWS::Logs::LogGroup") {
		if strings.Contains(asJSON(props(lg)["LogGroupName"]), `["`+prefix+`",{"Fn::Select":[0,{"Fn::Split":["-",{"Fn::Select":[2,{"Fn::Split":["/",{"Ref":"AWS::StackId"}]}]}]}]}`) {
			found = append(found, id)
		}
	}
	if len(found) != 1 {
		t.Fatalf("log groups named %s...: %v, want one", prefix, found)
	}
	return found[0]
}

// checkLogGroups asserts that every log group of the templates has the stage's retention and
// is kept exactly when the stage is production.
func checkLogGroups(t *testing.T, s config.Stage, tpls ...map[string]any) {
	t.Helper()
	want := map[bool]string{true: "Retain", false: "Delete"}[s.Production]
	for _, tpl := range tpls {
		for id, lg := range resourcesOf(tpl, "AWS::Logs::LogGroup") {
			if lg["DeletionPolicy"] != want || props(lg)["RetentionInDays"] != float64(s.LogRetentionDays) {
				t.Errorf("log group %s: DeletionPolicy %v, RetentionInDays %v; want %s and %d", id, lg["DeletionPolicy"], props(lg)["RetentionInDays"], want, s.LogRetentionDays)
			}
		}
	}
}

// checkTraced asserts that every function of the templates traces actively, with the X-Ray
// permission in its role and cdk-nag's wildcard finding waived there; the API stage too.
func checkTraced(t *testing.T, auth, api map[string]any) {
	t.Helper()
	functions := 0
	for _, tpl := range []map[string]any{auth, api} {
		for id, fn := range resourcesOf(tpl, "AWS::Lambda::Function") {
			functions++
			if got := asJSON(props(fn)["TracingConfig"]); got != `{"Mode":"Active"}` {
				t.Errorf("function %s: TracingConfig %s, want active", id, got)
			}
		}
		xray := 0
		for id, p := range resourcesOf(tpl, "AWS::IAM::Policy") {
			text := asJSON(p)
			if !grantsXRay(props(p)) {
				continue
			}
			xray++
			if !strings.Contains(text, `"applies_to":["Resource::*"],"id":"AwsSolutions-IAM5"`) {
				t.Errorf("policy %s grants X-Ray without waiving AwsSolutions-IAM5 for it: %s", id, text)
			}
		}
		if n := len(resourcesOf(tpl, "AWS::Lambda::Function")); xray != n {
			t.Errorf("%d role policies grant X-Ray, want one per function (%d)", xray, n)
		}
	}
	if functions == 0 {
		t.Fatal("no functions")
	}
	if got := props(onlyResource(t, api, "AWS::ApiGateway::Stage"))["TracingEnabled"]; got != true {
		t.Errorf("API stage TracingEnabled = %v, want true", got)
	}
}

// grantsXRay reports whether a policy allows both X-Ray write actions on "*", in one statement.
func grantsXRay(policy map[string]any) bool {
	doc, _ := policy["PolicyDocument"].(map[string]any)
	statements, _ := doc["Statement"].([]any)
	for _, st := range statements {
		st := st.(map[string]any)
		actions, _ := st["Action"].([]any)
		if st["Effect"] == "Allow" && st["Resource"] == "*" && len(actions) == 2 &&
			slices.Contains(actions, any("xray:PutTraceSegments")) && slices.Contains(actions, any("xray:PutTelemetryRecords")) {
			return true
		}
	}
	return false
}

func TestOperationsFromExplicitProps(t *testing.T) {
	runExplicit(t, defaultStage, []explicitCase{{
		given: "a default stage", when: "nothing is changed",
		then: func(t *testing.T, tpl templates) {
			auth, api := tpl.AuthJSON, tpl.APIJSON
			// Cheap: no firewall, no log delivery, no tracing, no named log group.
			for _, tpl := range []map[string]any{auth, api} {
				for _, typ := range []string{"AWS::WAFv2::WebACL", "AWS::WAFv2::WebACLAssociation", "AWS::WAFv2::LoggingConfiguration", "AWS::Cognito::LogDeliveryConfiguration"} {
					if n := len(resourcesOf(tpl, typ)); n != 0 {
						t.Errorf("%d %s, want none", n, typ)
					}
				}
				for id, fn := range resourcesOf(tpl, "AWS::Lambda::Function") {
					if tc, ok := props(fn)["TracingConfig"]; ok {
						t.Errorf("function %s traces: %s", id, asJSON(tc))
					}
				}
				for id, lg := range resourcesOf(tpl, "AWS::Logs::LogGroup") {
					if name, ok := props(lg)["LogGroupName"]; ok {
						t.Errorf("log group %s is named %s", id, asJSON(name))
					}
				}
				if strings.Contains(asJSON(tpl), "xray:") {
					t.Error("a role may use X-Ray")
				}
			}
			if _, ok := props(onlyResource(t, api, "AWS::ApiGateway::Stage"))["TracingEnabled"]; ok {
				t.Error("the API stage sets TracingEnabled")
			}
		},
	}, {
		given: "a default stage, which signs in to http://localhost:3000", when: "the user pool's web ACL is on",
		change: func(s *config.Stage) { s.UserPoolWAF.Enabled = true },
		then: func(t *testing.T, tpl templates) {
			cfg, auth, api := tpl.Built.Config, tpl.AuthJSON, tpl.APIJSON
			acl := props(onlyResource(t, auth, "AWS::WAFv2::WebACL"))
			if acl["Name"] != "demo-api-test-userpool" || acl["Scope"] != "REGIONAL" || asJSON(acl["DefaultAction"]) != `{"Allow":{}}` {
				t.Errorf("web ACL %s", asJSON(acl))
			}
			rules, order := userPoolRules(t, auth)
			if want := []string{"AWSManagedRulesAmazonIpReputationList", "RateLimitPerIP", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"}; !slices.Equal(order, want) {
				t.Errorf("rules %v, want %v", order, want)
			}
			for i, name := range order {
				if rules[name]["Priority"] != float64(i) {
					t.Errorf("rule %s has priority %v, want %d", name, rules[name]["Priority"], i)
				}
			}
			if got := asJSON(rules["RateLimitPerIP"]["Statement"]); got != `{"RateBasedStatement":{"AggregateKeyType":"IP","EvaluationWindowSec":300,"Limit":500}}` {
				t.Errorf("rate limit %s", got)
			}
			if got := asJSON(rules["RateLimitPerIP"]["Action"]); got != `{"Block":{}}` {
				t.Errorf("rate limit action %s, want block", got)
			}
			// Nothing Cognito does not support: no ATP rule group, no CAPTCHA or challenge.
			text := asJSON(acl)
			for _, banned := range []string{"AWSManagedRulesATPRuleSet", "Captcha", "Challenge"} {
				if strings.Contains(text, banned) {
					t.Errorf("the user pool's web ACL uses %s, which Cognito's WAF integration does not support", banned)
				}
			}
			// redirect_uri=http://localhost:3000/... must reach Cognito: the SSRF rule counts.
			if got := countedRules(t, auth); !slices.Equal(got, []string{"EC2MetaDataSSRF_QUERYARGUMENTS"}) {
				t.Errorf("counted rules %v, want the SSRF rule alone", got)
			}
			assoc := props(onlyResource(t, auth, "AWS::WAFv2::WebACLAssociation"))
			if got := asJSON(assoc); !strings.Contains(got, `"ResourceArn":{"Fn::GetAtt":["UserPool`) || !strings.Contains(got, `"WebACLArn":{"Fn::GetAtt":["UserPoolWebAcl","Arn"]}`) {
				t.Errorf("association %s, want the pool's ARN", got)
			}
			checkWAFLogging(t, auth, "demo-api-test-userpool")
			checkLogGroups(t, cfg.Stage, auth, api)
			// The API has no web ACL of its own unless waf is on.
			if n := len(resourcesOf(api, "AWS::WAFv2::WebACL")); n != 0 {
				t.Errorf("%d web ACLs on the API, want none", n)
			}
		},
	}, {
		given: "a stage whose CLI signs in to http://127.0.0.1:8976/callback", when: "the user pool's web ACL is on",
		change: func(s *config.Stage) {
			s.CallbackURLs = []string{"https://app.acme.io/cb", "http://127.0.0.1:8976/callback"}
			s.LogoutURLs = []string{"https://app.acme.io"}
			s.UserPoolWAF = config.WAF{Enabled: true, RateLimit: 10}
		},
		then: func(t *testing.T, tpl templates) {
			auth := tpl.AuthJSON
			if got := countedRules(t, auth); !slices.Equal(got, []string{"EC2MetaDataSSRF_QUERYARGUMENTS", "GenericRFI_QUERYARGUMENTS"}) {
				t.Errorf("counted rules %v, want the SSRF and RFI rules", got)
			}
			rules, _ := userPoolRules(t, auth)
			if got := asJSON(rules["RateLimitPerIP"]["Statement"]); !strings.Contains(got, `"Limit":10}`) {
				t.Errorf("rate limit %s, want 10", got)
			}
		},
	}, {
		given: "a stage that signs in on https only", when: "the user pool's web ACL is on",
		change: func(s *config.Stage) {
			s.CallbackURLs = []string{"https://app.acme.io/cb", "myapp://callback"}
			s.LogoutURLs = []string{"https://app.acme.io"}
			s.UserPoolWAF.Enabled = true
		},
		then: func(t *testing.T, tpl templates) {
			auth := tpl.AuthJSON
			if got := countedRules(t, auth); len(got) != 0 {
				t.Errorf("counted rules %v, want every rule blocking", got)
			}
		},
	}, {
		given: "a default stage", when: "the API's web ACL is on",
		change: func(s *config.Stage) { s.WAF.Enabled = true },
		then: func(t *testing.T, tpl templates) {
			cfg, auth, api := tpl.Built.Config, tpl.AuthJSON, tpl.APIJSON
			checkWAFLogging(t, api, "demo-api-test-api")
			checkLogGroups(t, cfg.Stage, api)
			if n := len(resourcesOf(auth, "AWS::WAFv2::WebACL")); n != 0 {
				t.Errorf("%d web ACLs on the user pool, want none", n)
			}
		},
	}, {
		given: "a default stage (ESSENTIALS)", when: "sign-in logs are on",
		change: func(s *config.Stage) { s.SignInLogs = true; s.LogRetentionDays = 90 },
		then: func(t *testing.T, tpl templates) {
			cfg, auth, api := tpl.Built.Config, tpl.AuthJSON, tpl.APIJSON
			delivery := props(onlyResource(t, auth, "AWS::Cognito::LogDeliveryConfiguration"))
			group := logGroupNamed(t, auth, "/aws/vendedlogs/cognito/demo-api-test-")
			want := fmt.Sprintf(`[{"CloudWatchLogsConfiguration":{"LogGroupArn":{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":logs:",{"Ref":"AWS::Region"},":",{"Ref":"AWS::AccountId"},":log-group:",{"Ref":"%s"}]]}},"EventSource":"userNotification","LogLevel":"ERROR"}]`, group)
			if got := asJSON(delivery["LogConfigurations"]); got != want {
				t.Errorf("LogConfigurations = %s\nwant %s", got, want)
			}
			if !strings.HasPrefix(asJSON(delivery["UserPoolId"]), `{"Ref":"UserPool`) {
				t.Errorf("UserPoolId = %s", asJSON(delivery["UserPoolId"]))
			}
			if name := asJSON(props(resourcesOf(auth, "AWS::Logs::LogGroup")[group])["LogGroupName"]); !strings.HasSuffix(name, `,"/userNotification"]]}`) {
				t.Errorf("log group name %s, want it to end in /userNotification", name)
			}
			checkLogGroups(t, cfg.Stage, auth, api)
		},
	}, {
		given: "a stage with a token authorizer and both triggers", when: "tracing is on",
		change: func(s *config.Stage) {
			s.Authorizer = "lambda"
			s.Groups = []config.Group{{Name: "admin"}}
			s.GroupScopes = map[string][]string{"admin": {"demo-api/write"}}
			s.IdentityProviders = everyProvider[4:5]
			s.LinkByEmail = true
			s.Tracing = true
		},
		then: func(t *testing.T, tpl templates) {
			auth, api := tpl.AuthJSON, tpl.APIJSON
			if n := len(resourcesOf(auth, "AWS::Lambda::Function")) + len(resourcesOf(api, "AWS::Lambda::Function")); n != 4 {
				t.Errorf("%d functions, want 4 (handler, token authorizer, pre token and pre sign-up triggers)", n)
			}
			checkTraced(t, auth, api)
		},
	}})
}

// The committed prod stage runs all of it; its redirect URLs are https only, so the common rule
// set blocks as AWS ships it. The committed dev stage runs none of it.
func TestOperationsOfCommittedStages(t *testing.T) {
	t.Run("prod", func(t *testing.T) {
		prod := stage(t, "prod")
		cfg, auth, api := prod.Built.Config, prod.AuthJSON, prod.APIJSON

		if got := countedRules(t, auth); len(got) != 0 {
			t.Errorf("prod counts %v, want the SSRF and RFI rules blocking", got)
		}
		checkWAFLogging(t, auth, "demo-api-prod-userpool")
		checkWAFLogging(t, api, "demo-api-prod-api")

		delivery := asJSON(props(onlyResource(t, auth, "AWS::Cognito::LogDeliveryConfiguration"))["LogConfigurations"])
		groupFor := func(source string) string {
			for id, lg := range resourcesOf(auth, "AWS::Logs::LogGroup") {
				name := asJSON(props(lg)["LogGroupName"])
				if strings.HasPrefix(name, `{"Fn::Join":["",["/aws/vendedlogs/cognito/demo-api-prod-",`) && strings.HasSuffix(name, `,"/`+source+`"]]}`) {
					return id
				}
			}
			t.Fatalf("no log group for %s", source)
			return ""
		}
		for _, entry := range []string{
			`{"Ref":"` + groupFor("userNotification") + `"}]]}},"EventSource":"userNotification","LogLevel":"ERROR"}`,
			`{"Ref":"` + groupFor("userAuthEvents") + `"}]]}},"EventSource":"userAuthEvents","LogLevel":"INFO"}`,
		} {
			if !strings.Contains(delivery, entry) {
				t.Errorf("prod delivers %s, want notification errors and (PLUS with threat protection) sign-in events, each to its log group", delivery)
			}
		}

		checkLogGroups(t, cfg.Stage, auth, api)
		if n := len(resourcesOf(auth, "AWS::Logs::LogGroup")); n != 4 {
			t.Errorf("prod auth log groups: %d, want 4 (pre token trigger, WAF, user notifications, sign-in events)", n)
		}
		checkTraced(t, auth, api)
	})
	t.Run("dev", func(t *testing.T) {
		dev := stage(t, "dev")
		auth, api := dev.AuthJSON, dev.APIJSON
		for _, tpl := range []map[string]any{auth, api} {
			for _, typ := range []string{"AWS::WAFv2::WebACL", "AWS::WAFv2::LoggingConfiguration", "AWS::Cognito::LogDeliveryConfiguration"} {
				if n := len(resourcesOf(tpl, typ)); n != 0 {
					t.Errorf("dev has %d %s, want none", n, typ)
				}
			}
			if strings.Contains(asJSON(tpl), "TracingConfig") || strings.Contains(asJSON(tpl), "TracingEnabled") {
				t.Error("dev traces")
			}
		}
	})
}
