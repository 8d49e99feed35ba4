package stacks_test

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/cdktest"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
)

// alarmsOf returns the alarm names of the template with what each does on missing data.
func alarmsOf(t *testing.T, tpl assertions.Template) map[string]string {
	t.Helper()
	out := map[string]string{}
	noPanic(t, func() {
		for _, r := range *tpl.FindResources(jsii.String("AWS::CloudWatch::Alarm"), nil) {
			p := (*r)["Properties"].(map[string]any)
			out[p["AlarmName"].(string)], _ = p["TreatMissingData"].(string)
		}
	})
	return out
}

func alarmNames(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// withAlarms is the default stage "test" with alarms on, changed by change.
func withAlarms(change func(*config.Stage)) config.Config {
	return defaultStage(func(s *config.Stage) {
		s.Alarms.Enabled = true
		if change != nil {
			change(s)
		}
	})
}

func TestAlarmsFromExplicitProps(t *testing.T) {
	// Every stage with alarms has these: the API's, the handler's and Cognito's.
	base := []string{"demo-api-test-api-5xx", "demo-api-test-api-latency-p99", "demo-api-test-cognito-throttles",
		"demo-api-test-handler-errors", "demo-api-test-handler-throttles"}
	runExplicit(t, withAlarms, []explicitCase{{
		given: "a default stage with alarms on", when: "nothing else is changed",
		then: func(t *testing.T, s templates) {
			tpl := s.Alarms
			got := alarmsOf(t, tpl)
			if n := alarmNames(got); !slices.Equal(n, base) {
				t.Errorf("alarms %v, want %v", n, base)
			}
			// Missing data is no traffic, so nothing broke.
			for name, missing := range got {
				if missing != "notBreaching" {
					t.Errorf("%s treats missing data as %q, want notBreaching", name, missing)
				}
			}
			// The topic: encrypted with a rotated key of its own, TLS only, open to this
			// account's alarms, and nobody subscribed.
			hasProps(t, tpl, "AWS::KMS::Key", map[string]any{"EnableKeyRotation": true, "PendingWindowInDays": 7})
			hasProps(t, tpl, "AWS::SNS::Topic", map[string]any{
				"TopicName": "demo-api-test-alarms", "KmsMasterKeyId": objectLike(map[string]any{"Fn::GetAtt": assertions.Match_ArrayWith(&[]any{assertions.Match_StringLikeRegexp(jsii.String("^AlarmTopicKey"))})}),
			})
			hasProps(t, tpl, "AWS::SNS::TopicPolicy", map[string]any{"PolicyDocument": objectLike(map[string]any{
				"Statement": assertions.Match_ArrayWith(&[]any{
					objectLike(map[string]any{"Effect": "Deny", "Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}}),
					objectLike(map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"}, "Action": "sns:Publish",
						"Condition": objectLike(map[string]any{"StringEquals": objectLike(map[string]any{"aws:SourceAccount": assertions.Match_AnyValue()})})}),
				}),
			})})
			hasProps(t, tpl, "AWS::KMS::Key", map[string]any{"KeyPolicy": objectLike(map[string]any{
				"Statement": assertions.Match_ArrayWith(&[]any{objectLike(map[string]any{
					"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"}, "Action": []any{"kms:Decrypt", "kms:GenerateDataKey*"},
				})}),
			})})
			count(t, tpl, "AWS::SNS::Subscription", 0)
			// Each alarm tells the topic when it fires and when it clears.
			noPanic(t, func() {
				tpl.AllResourcesProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
					"AlarmActions": []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^AlarmTopic"))}},
					"OKActions":    []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^AlarmTopic"))}},
				})
			})
			// The documented defaults.
			hasProps(t, tpl, "AWS::CloudWatch::Alarm", map[string]any{
				"AlarmName": "demo-api-test-api-5xx", "MetricName": "5XXError", "Namespace": "AWS/ApiGateway", "Statistic": "Sum",
				"Period": 300, "Threshold": 5, "ComparisonOperator": "GreaterThanOrEqualToThreshold", "EvaluationPeriods": 1,
			})
			hasProps(t, tpl, "AWS::CloudWatch::Alarm", map[string]any{
				"AlarmName": "demo-api-test-api-latency-p99", "MetricName": "Latency", "ExtendedStatistic": "p99", "Threshold": 3000,
				"EvaluationPeriods": 3, "DatapointsToAlarm": 3, "EvaluateLowSampleCountPercentile": "ignore",
			})
			hasProps(t, tpl, "AWS::CloudWatch::Alarm", map[string]any{
				"AlarmName": "demo-api-test-handler-errors", "MetricName": "Errors", "Namespace": "AWS/Lambda", "Threshold": 1,
			})
			hasProps(t, tpl, "AWS::CloudWatch::Alarm", map[string]any{
				"AlarmName": "demo-api-test-handler-throttles", "MetricName": "Throttles", "Namespace": "AWS/Lambda", "Threshold": 1,
			})
			// Cognito's throttles of the web client, every kind of request.
			hasProps(t, tpl, "AWS::CloudWatch::Alarm", map[string]any{
				"AlarmName": "demo-api-test-cognito-throttles", "Threshold": 1,
				"Metrics": assertions.Match_ArrayWith(&[]any{
					objectLike(map[string]any{"Expression": "SUM([signUp, signIn, refresh, federation])"}),
					objectLike(map[string]any{"Id": "signIn", "MetricStat": objectLike(map[string]any{"Metric": objectLike(map[string]any{
						"Namespace": "AWS/Cognito", "MetricName": "SignInThrottles",
						"Dimensions": assertions.Match_ArrayWith(&[]any{objectLike(map[string]any{"Name": "UserPoolClient"})}),
					})})}),
				}),
			})
			// One dashboard, named for the stage and its Region.
			count(t, tpl, "AWS::CloudWatch::Dashboard", 1)
			hasProps(t, tpl, "AWS::CloudWatch::Dashboard", map[string]any{"DashboardName": map[string]any{
				"Fn::Join": []any{"-", []any{"demo-api-test", map[string]any{"Ref": "AWS::Region"}}},
			}})
		},
	}, {
		given: "a default stage with alarms on", when: "an address is given",
		change: func(s *config.Stage) { s.Alarms.Email = "ops@acme.io" },
		then: func(t *testing.T, s templates) {
			tpl := s.Alarms
			hasProps(t, tpl, "AWS::SNS::Subscription", map[string]any{"Protocol": "email", "Endpoint": "ops@acme.io"})
		},
	}, {
		given: "a default stage with alarms on", when: "the thresholds are changed",
		change: func(s *config.Stage) {
			s.Alarms.API5XXErrors, s.Alarms.APILatencyP99Ms, s.Alarms.FunctionErrors, s.Alarms.FunctionThrottles, s.Alarms.CognitoThrottles = 10, 1500, 3, 4, 7
		},
		then: func(t *testing.T, s templates) {
			tpl := s.Alarms
			for name, threshold := range map[string]int{"api-5xx": 10, "api-latency-p99": 1500, "handler-errors": 3, "handler-throttles": 4, "cognito-throttles": 7} {
				hasProps(t, tpl, "AWS::CloudWatch::Alarm", map[string]any{"AlarmName": "demo-api-test-" + name, "Threshold": threshold})
			}
		},
	}, {
		given: "a default stage with alarms on", when: "the token authorizer and both triggers run",
		change: func(s *config.Stage) {
			s.Authorizer = "lambda"
			s.GroupScopes = map[string][]string{"admin": {"demo-api/write"}}
			s.Groups = []config.Group{{Name: "admin"}}
			s.LinkByEmail = true
			s.IdentityProviders = []config.IdentityProvider{{Type: "google", ClientID: "id", ClientSecret: ref("demo/google", "secret")}}
		},
		then: func(t *testing.T, s templates) {
			tpl := s.Alarms
			got := alarmNames(alarmsOf(t, tpl))
			for _, fn := range []string{"authorizer", "pre-token", "pre-sign-up"} {
				for _, kind := range []string{"errors", "throttles"} {
					if name := "demo-api-test-" + fn + "-" + kind; !slices.Contains(got, name) {
						t.Errorf("no alarm %s among %v", name, got)
					}
				}
			}
			if len(got) != len(base)+6 {
				t.Errorf("%d alarms, want %d: %v", len(got), len(base)+6, got)
			}
		},
	}, {
		given: "a default stage with alarms on", when: "WAF is on",
		change: func(s *config.Stage) { s.WAF.Enabled = true; s.Alarms.WAFBlockedStdDevs = 4 },
		then: func(t *testing.T, s templates) {
			tpl := s.Alarms
			// An anomaly band over the API web ACL's blocked requests, not a fixed number.
			hasProps(t, tpl, "AWS::CloudWatch::Alarm", map[string]any{
				"AlarmName": "demo-api-test-waf-api-blocked", "ComparisonOperator": "GreaterThanUpperThreshold",
				"ThresholdMetricId": "expr_1", "TreatMissingData": "notBreaching", "EvaluationPeriods": 3, "DatapointsToAlarm": 2,
				"Metrics": assertions.Match_ArrayWith(&[]any{
					objectLike(map[string]any{"Expression": "ANOMALY_DETECTION_BAND(m0, 4)"}),
					objectLike(map[string]any{"MetricStat": objectLike(map[string]any{"Metric": objectLike(map[string]any{
						"Namespace": "AWS/WAFV2", "MetricName": "BlockedRequests",
						"Dimensions": assertions.Match_ArrayWith(&[]any{
							map[string]any{"Name": "Rule", "Value": "ALL"},
							map[string]any{"Name": "WebACL", "Value": "demo-api-test-api"},
						}),
					})})}),
				}),
			})
		},
	}, {
		given: "a default stage with alarms on", when: "the user pool's WAF is on",
		change: func(s *config.Stage) { s.UserPoolWAF.Enabled = true },
		then: func(t *testing.T, s templates) {
			tpl := s.Alarms
			hasProps(t, tpl, "AWS::CloudWatch::Alarm", map[string]any{
				"AlarmName": "demo-api-test-waf-userpool-blocked", "ComparisonOperator": "GreaterThanUpperThreshold",
				"Metrics": assertions.Match_ArrayWith(&[]any{
					objectLike(map[string]any{"MetricStat": objectLike(map[string]any{"Metric": objectLike(map[string]any{
						"Dimensions": assertions.Match_ArrayWith(&[]any{map[string]any{"Name": "WebACL", "Value": "demo-api-test-userpool"}}),
					})})}),
				}),
			})
			if got := alarmNames(alarmsOf(t, tpl)); slices.Contains(got, "demo-api-test-waf-api-blocked") {
				t.Errorf("alarms %v: the API's web ACL is off", got)
			}
		},
	}, {
		given: "a default stage with alarms on", when: "it sends through SES in its own Region",
		change: func(s *config.Stage) { s.Email = config.Email{Sender: "ses", From: "no-reply@acme.io"} },
		then: func(t *testing.T, s templates) {
			tpl := s.Alarms
			got := alarmsOf(t, tpl)
			// Rates stand until SES sends again: missing data keeps the state.
			for name, threshold := range map[string]float64{"ses-bounce-rate": 0.02, "ses-complaint-rate": 0.0005} {
				hasProps(t, tpl, "AWS::CloudWatch::Alarm", map[string]any{"AlarmName": "demo-api-test-" + name, "Namespace": "AWS/SES",
					"Statistic": "Maximum", "Period": 3600, "Threshold": threshold})
				if got["demo-api-test-"+name] != "ignore" {
					t.Errorf("%s treats missing data as %q, want ignore", name, got["demo-api-test-"+name])
				}
			}
			if c := cdktest.ToMap(tpl)["Conditions"]; c != nil {
				t.Errorf("conditions %v, want none", c)
			}
		},
	}, {
		given: "a default stage with alarms on", when: "it sends through SES in another Region",
		change: func(s *config.Stage) {
			s.Email = config.Email{Sender: "ses", From: "no-reply@acme.io", SESRegion: "eu-west-1"}
		},
		then: func(t *testing.T, s templates) {
			tpl := s.Alarms
			// The alarms exist only where the stack deploys to SES's Region; the dashboard graphs
			// that Region's rates.
			noPanic(t, func() {
				tpl.HasCondition(jsii.String("SesInThisRegion"), map[string]any{"Fn::Equals": []any{map[string]any{"Ref": "AWS::Region"}, "eu-west-1"}})
			})
			hasResource(t, tpl, "AWS::CloudWatch::Alarm", map[string]any{"Condition": "SesInThisRegion",
				"Properties": objectLike(map[string]any{"AlarmName": "demo-api-test-ses-bounce-rate"})})
			body := templateText(t, tpl)
			if !regexp.MustCompile(`Reputation\.BounceRate.*region.*eu-west-1`).MatchString(strings.ReplaceAll(body, `\"`, `"`)) {
				t.Errorf("the dashboard does not graph eu-west-1's bounce rate")
			}
		},
	}, {
		given: "a default stage with alarms on", when: "the latency threshold is the last accepted",
		change: func(s *config.Stage) { s.Alarms.APILatencyP99Ms = 29000 },
		then: func(t *testing.T, s templates) {
			tpl := s.Alarms
			hasProps(t, tpl, "AWS::CloudWatch::Alarm", map[string]any{"AlarmName": "demo-api-test-api-latency-p99", "Threshold": 29000})
		},
	}})
}
