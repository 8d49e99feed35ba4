package config

import (
	"fmt"
	"strings"
)

// Alarms are the stage's CloudWatch alarms, the SNS topic they tell and the dashboard that shows
// the same metrics. Counts are per 5 minutes.
type Alarms struct {
	Enabled bool `json:"enabled"`
	// Email is subscribed to the alarm topic (SNS asks the address to confirm); empty leaves the
	// topic without a subscriber.
	Email string `json:"email"`

	// API5XXErrors: the API's 5XX replies in 5 minutes that raise the alarm.
	API5XXErrors int `json:"api5xxErrors"`
	// APILatencyP99Ms: the API's 99th percentile latency, in milliseconds, that raises the alarm
	// when it lasts 15 minutes.
	APILatencyP99Ms int `json:"apiLatencyP99Ms"`
	// FunctionErrors and FunctionThrottles: one function's errors (or throttled invocations) in
	// 5 minutes that raise its alarm; every function of the stage gets both alarms.
	FunctionErrors    int `json:"functionErrors"`
	FunctionThrottles int `json:"functionThrottles"`
	// CognitoThrottles: the web client's sign-up, sign-in, token refresh and federation
	// requests that Cognito throttled in 5 minutes.
	CognitoThrottles int `json:"cognitoThrottles"`
	// WAFBlockedStdDevs is the width of the band of normal blocked requests, in standard
	// deviations, above which a web ACL's blocked requests raise the alarm.
	WAFBlockedStdDevs float64 `json:"wafBlockedStdDevs"`
	// SESBounceRatePercent and SESComplaintRatePercent: the account's SES reputation rates that
	// raise the alarm, where the stage sends through SES.
	SESBounceRatePercent    float64 `json:"sesBounceRatePercent"`
	SESComplaintRatePercent float64 `json:"sesComplaintRatePercent"`
}

// defaultAlarms are off, with thresholds a stage that turns them on starts from.
var defaultAlarms = Alarms{
	API5XXErrors:      5,
	APILatencyP99Ms:   3000,
	FunctionErrors:    1,
	FunctionThrottles: 1,
	CognitoThrottles:  1,
	WAFBlockedStdDevs: 3,
	// SES reviews an account at a bounce rate of 5% and a complaint rate of 0.1%, and may pause
	// its sending at 10% and 0.5% (SES developer guide, "Reputation metrics messages"): the
	// alarms ring well before the review.
	SESBounceRatePercent:    2,
	SESComplaintRatePercent: 0.05,
}

// alarms checks the alarm settings; thresholds are checked while alarms are off too, so that
// turning them on cannot surface an old mistake.
func (v *validator) alarms(s Stage) {
	a := s.Alarms
	if a.Email != "" {
		if msg := checkBareAddress(a.Email, `want one bare email address such as "ops@acme.example" (subscribe more addresses to the topic, or use a list address)`); msg != "" {
			v.add(v.at("alarms.email"), a.Email, msg)
		} else if !a.Enabled {
			v.add(v.at("alarms.email"), a.Email, "want alarms.enabled true, or leave alarms.email out: without alarms there is no topic to subscribe it to")
		}
	}
	count := func(key string, got, lo, hi int, what string) {
		if got < lo || got > hi {
			v.add(v.at("alarms."+key), got, fmt.Sprintf("want %d to %d %s", lo, hi, what))
		}
	}
	count("api5xxErrors", a.API5XXErrors, 1, 100000, "5XX replies in 5 minutes")
	// API Gateway's default integration timeout is 29 seconds, so a higher p99 is never seen.
	count("apiLatencyP99Ms", a.APILatencyP99Ms, 50, 29000, "milliseconds (API Gateway's integration timeout is 29 seconds)")
	count("functionErrors", a.FunctionErrors, 1, 100000, "errors of one function in 5 minutes")
	count("functionThrottles", a.FunctionThrottles, 1, 100000, "throttled invocations of one function in 5 minutes")
	count("cognitoThrottles", a.CognitoThrottles, 1, 100000, "throttled requests in 5 minutes")
	if d := a.WAFBlockedStdDevs; d < 1 || d > 10 {
		v.add(v.at("alarms.wafBlockedStdDevs"), d, "want 1 to 10 standard deviations above the normal number of blocked requests")
	}
	if r := a.SESBounceRatePercent; r <= 0 || r >= 10 {
		v.add(v.at("alarms.sesBounceRatePercent"), r, "want more than 0 and less than 10 (percent): SES may pause the account's sending at 10%")
	}
	if r := a.SESComplaintRatePercent; r <= 0 || r >= 0.5 {
		v.add(v.at("alarms.sesComplaintRatePercent"), r, "want more than 0 and less than 0.5 (percent): SES may pause the account's sending at 0.5%")
	}
}

// alarmWarnings are what synth says about a production stage whose alarms tell nobody.
func (c Config) alarmWarnings() []string {
	a := c.Stage.Alarms
	if !c.Stage.Production || !a.Enabled {
		return nil
	}
	if a.Email == "" {
		return []string{fmt.Sprintf("%s: no address gets this production stage's alarms; set alarms.email, or subscribe to the alarm topic (the AlarmTopicArn output) yourself (see docs/operations.md, \"Alarms and the dashboard\")", c.where("alarms.email"))}
	}
	if _, domain, _ := strings.Cut(a.Email, "@"); isReservedHost(domain) {
		return []string{fmt.Sprintf("%s: %q is on a reserved example domain, which receives no mail; set the address that should hear about alarms", c.where("alarms.email"), a.Email)}
	}
	return nil
}
