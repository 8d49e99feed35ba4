package main

import (
	"slices"
	"sort"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// The committed prod stage has alarms on, with no address (it needs a real one), and dev stays
// without; neither has a domain of its own (they need account values).
func TestCommittedStagesAlarmsAndDomains(t *testing.T) {
	if stage(t, "dev").built.Alarms != nil {
		t.Error("dev has an alarms stack, want none")
	}
	prod := stage(t, "prod")
	if prod.built.Alarms == nil {
		t.Fatal("prod has no alarms stack")
	}
	if got, want := *prod.built.Alarms.StackName(), names.AlarmsStack("demo-api", "prod"); got != want {
		t.Errorf("alarms stack %s, want %s", got, want)
	}
	var got []string
	for _, r := range resourcesOf(prod.alarmsJSON, "AWS::CloudWatch::Alarm") {
		got = append(got, props(r)["AlarmName"].(string))
	}
	sort.Strings(got)
	// prod: Cognito's authorizer, the pre token trigger (groupScopes), both web ACLs and SES.
	want := []string{
		"demo-api-prod-api-5xx", "demo-api-prod-api-latency-p99", "demo-api-prod-cognito-throttles",
		"demo-api-prod-handler-errors", "demo-api-prod-handler-throttles",
		"demo-api-prod-pre-token-errors", "demo-api-prod-pre-token-throttles",
		"demo-api-prod-ses-bounce-rate", "demo-api-prod-ses-complaint-rate",
		"demo-api-prod-waf-api-blocked", "demo-api-prod-waf-userpool-blocked",
	}
	if !slices.Equal(got, want) {
		t.Errorf("prod alarms %v,\nwant %v", got, want)
	}
	count(t, prod.alarms, "AWS::SNS::Subscription", 0)
	count(t, prod.alarms, "AWS::CloudWatch::Dashboard", 1)
	// The synth says that nobody hears the alarms yet.
	noPanic(t, func() {
		assertions.Annotations_FromStack(prod.built.Auth.Stack).HasWarning(jsii.String("*"),
			assertions.Match_StringLikeRegexp(jsii.String(`stages\.prod\.alarms\.email: no address gets this production stage's alarms`)))
	})
	for _, name := range []string{"dev", "prod"} {
		s := stage(t, name)
		count(t, s.auth, "AWS::Cognito::UserPoolDomain", 1)
		count(t, s.api, "AWS::ApiGateway::DomainName", 0)
		hasProps(t, s.api, "AWS::ApiGateway::RestApi", map[string]any{"DisableExecuteApiEndpoint": false})
	}
}
