package config

import (
	"testing"
)

func TestAlarmDefaults(t *testing.T) {
	// GIVEN a stage that turns alarms on and says nothing else about them
	cfg, problems := loadStage(t, `{"alarms": {"enabled": true}}`)
	checkProblems(t, problems, nil)
	// THEN the thresholds are the documented defaults
	want := Alarms{Enabled: true, API5XXErrors: 5, APILatencyP99Ms: 3000, FunctionErrors: 1, FunctionThrottles: 1,
		CognitoThrottles: 1, WAFBlockedStdDevs: 3, SESBounceRatePercent: 2, SESComplaintRatePercent: 0.05}
	if cfg.Alarms != want {
		t.Errorf("alarms %+v, want %+v", cfg.Alarms, want)
	}
	// AND the built-in defaults keep them off
	if Defaults("demo-api").Alarms.Enabled {
		t.Error("alarms are on by default")
	}
}

// Every alarm limit at both edges: the last value accepted and the first refused.
func TestAlarmLimitEdges(t *testing.T) {
	const at = "stages.dev.alarms."
	for _, tc := range []struct {
		name, alarms string
		want         []string
	}{
		{name: "5XX of 1", alarms: `"api5xxErrors": 1`},
		{name: "5XX of 0", alarms: `"api5xxErrors": 0`, want: []string{at + `api5xxErrors: got 0; want 1 to 100000 5XX replies in 5 minutes`}},
		{name: "5XX of 100000", alarms: `"api5xxErrors": 100000`},
		{name: "5XX of 100001", alarms: `"api5xxErrors": 100001`, want: []string{at + `api5xxErrors: got 100001; want 1 to 100000`}},
		{name: "latency of 50", alarms: `"apiLatencyP99Ms": 50`},
		{name: "latency of 49", alarms: `"apiLatencyP99Ms": 49`, want: []string{at + `apiLatencyP99Ms: got 49; want 50 to 29000 milliseconds (API Gateway's integration timeout is 29 seconds)`}},
		{name: "latency of 29000", alarms: `"apiLatencyP99Ms": 29000`},
		{name: "latency of 29001", alarms: `"apiLatencyP99Ms": 29001`, want: []string{at + `apiLatencyP99Ms: got 29001; want 50 to 29000`}},
		{name: "function errors of 1", alarms: `"functionErrors": 1`},
		{name: "function errors of 0", alarms: `"functionErrors": 0`, want: []string{at + `functionErrors: got 0; want 1 to 100000 errors of one function in 5 minutes`}},
		{name: "function errors of 100000", alarms: `"functionErrors": 100000`},
		{name: "function errors of 100001", alarms: `"functionErrors": 100001`, want: []string{at + `functionErrors: got 100001; want 1 to 100000`}},
		{name: "function throttles of 1", alarms: `"functionThrottles": 1`},
		{name: "function throttles of 0", alarms: `"functionThrottles": 0`, want: []string{at + `functionThrottles: got 0; want 1 to 100000 throttled invocations of one function in 5 minutes`}},
		{name: "function throttles of 100000", alarms: `"functionThrottles": 100000`},
		{name: "function throttles of 100001", alarms: `"functionThrottles": 100001`, want: []string{at + `functionThrottles: got 100001; want 1 to 100000`}},
		{name: "Cognito throttles of 1", alarms: `"cognitoThrottles": 1`},
		{name: "Cognito throttles of 0", alarms: `"cognitoThrottles": 0`, want: []string{at + `cognitoThrottles: got 0; want 1 to 100000 throttled requests in 5 minutes`}},
		{name: "Cognito throttles of 100000", alarms: `"cognitoThrottles": 100000`},
		{name: "Cognito throttles of 100001", alarms: `"cognitoThrottles": 100001`, want: []string{at + `cognitoThrottles: got 100001; want 1 to 100000`}},
		{name: "WAF band of 1", alarms: `"wafBlockedStdDevs": 1`},
		{name: "WAF band of 0.99", alarms: `"wafBlockedStdDevs": 0.99`, want: []string{at + `wafBlockedStdDevs: got 0.99; want 1 to 10 standard deviations above the normal number of blocked requests`}},
		{name: "WAF band of 10", alarms: `"wafBlockedStdDevs": 10`},
		{name: "WAF band of 10.01", alarms: `"wafBlockedStdDevs": 10.01`, want: []string{at + `wafBlockedStdDevs: got 10.01; want 1 to 10`}},
		{name: "bounce rate of 0", alarms: `"sesBounceRatePercent": 0`, want: []string{at + `sesBounceRatePercent: got 0; want more than 0 and less than 10 (percent): SES may pause the account's sending at 10%`}},
		{name: "bounce rate of 0.01", alarms: `"sesBounceRatePercent": 0.01`},
		{name: "bounce rate of 9.99", alarms: `"sesBounceRatePercent": 9.99`},
		{name: "bounce rate of 10", alarms: `"sesBounceRatePercent": 10`, want: []string{at + `sesBounceRatePercent: got 10; want more than 0 and less than 10`}},
		{name: "complaint rate of 0", alarms: `"sesComplaintRatePercent": 0`, want: []string{at + `sesComplaintRatePercent: got 0; want more than 0 and less than 0.5 (percent): SES may pause the account's sending at 0.5%`}},
		{name: "complaint rate of 0.001", alarms: `"sesComplaintRatePercent": 0.001`},
		{name: "complaint rate of 0.499", alarms: `"sesComplaintRatePercent": 0.499`},
		{name: "complaint rate of 0.5", alarms: `"sesComplaintRatePercent": 0.5`, want: []string{at + `sesComplaintRatePercent: got 0.5; want more than 0 and less than 0.5`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Thresholds are checked whether or not alarms are on.
			for _, enabled := range []string{"true", "false"} {
				_, problems := loadStage(t, `{"alarms": {"enabled": `+enabled+`, `+tc.alarms+`}}`)
				checkProblems(t, problems, tc.want)
			}
		})
	}
}

func TestAlarmEmail(t *testing.T) {
	const at = "stages.dev.alarms.email: "
	for _, tc := range []struct {
		name, alarms string
		want         []string
	}{
		{name: "an address", alarms: `{"enabled": true, "email": "ops@acme.io"}`},
		{name: "a display name", alarms: `{"enabled": true, "email": "Ops <ops@acme.io>"}`,
			want: []string{at + `got "Ops <ops@acme.io>"; want one bare email address such as "ops@acme.example"`}},
		{name: "two addresses", alarms: `{"enabled": true, "email": "ops@acme.io,dev@acme.io"}`,
			want: []string{at + `got "ops@acme.io,dev@acme.io"; want one bare email address`}},
		{name: "no domain dot", alarms: `{"enabled": true, "email": "ops@localhost"}`,
			want: []string{at + `got "ops@localhost"; want one bare email address`}},
		{name: "not an address", alarms: `{"enabled": true, "email": "ops"}`,
			want: []string{at + `got "ops"; want one bare email address`}},
		{name: "alarms off", alarms: `{"email": "ops@acme.io"}`,
			want: []string{at + `got "ops@acme.io"; want alarms.enabled true, or leave alarms.email out: without alarms there is no topic to subscribe it to`}},
		{name: "unknown key", alarms: `{"enabled": true, "emails": ["ops@acme.io"]}`,
			want: []string{`stages.dev.alarms.emails: unknown setting; did you mean "email"?`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, problems := loadStage(t, `{"alarms": `+tc.alarms+`}`)
			checkProblems(t, problems, tc.want)
		})
	}
}

// Every alarm problem at once, each naming its key and value.
func TestAlarmProblemsAtOnce(t *testing.T) {
	_, problems := loadStage(t, `{"alarms": {"email": "ops", "api5xxErrors": 0, "apiLatencyP99Ms": 0, "functionErrors": 0,
		"functionThrottles": 0, "cognitoThrottles": 0, "wafBlockedStdDevs": 0, "sesBounceRatePercent": 0, "sesComplaintRatePercent": 0}}`)
	checkProblems(t, problems, []string{
		`stages.dev.alarms.email: got "ops"`,
		`stages.dev.alarms.api5xxErrors: got 0`,
		`stages.dev.alarms.apiLatencyP99Ms: got 0`,
		`stages.dev.alarms.functionErrors: got 0`,
		`stages.dev.alarms.functionThrottles: got 0`,
		`stages.dev.alarms.cognitoThrottles: got 0`,
		`stages.dev.alarms.wafBlockedStdDevs: got 0`,
		`stages.dev.alarms.sesBounceRatePercent: got 0`,
		`stages.dev.alarms.sesComplaintRatePercent: got 0`,
	})
}

func TestAlarmWarnings(t *testing.T) {
	for _, tc := range []struct {
		name, stage string
		want        string
	}{
		{name: "production without an address", stage: `{"production": true, "alarms": {"enabled": true}}`,
			want: `stages.dev.alarms.email: no address gets this production stage's alarms; set alarms.email, or subscribe to the alarm topic (the AlarmTopicArn output) yourself`},
		{name: "production with a placeholder", stage: `{"production": true, "alarms": {"enabled": true, "email": "ops@acme.example"}}`,
			want: `stages.dev.alarms.email: "ops@acme.example" is on a reserved example domain, which receives no mail`},
		{name: "production with an address", stage: `{"production": true, "alarms": {"enabled": true, "email": "ops@acme.io"}}`},
		{name: "production without alarms", stage: `{"production": true}`},
		{name: "development without an address", stage: `{"alarms": {"enabled": true}}`},
	} {
		t.Run(tc.name, func(t *testing.T) { checkWarning(t, tc.stage, tc.want) })
	}
}
