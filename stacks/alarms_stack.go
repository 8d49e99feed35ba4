package stacks

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawscloudwatch"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// The alarms live in a stack of their own, <app>-<stage>-alarms, rather than in the API stack:
// they watch both other stacks (the pool, its triggers and SES from the auth stack; the API, its
// functions and WAF from the API stack), nothing depends on them, and so thresholds, the
// address and the dashboard change, and a failed change rolls back, without a change set on the
// stacks that serve users. A stage without alarms has no such stack at all.

// AlarmsStackProps configure NewAlarmsStack: the stage and the stacks it watches.
type AlarmsStackProps struct {
	awscdk.StackProps
	Config config.Config
	Auth   *AuthStack
	API    *APIStack
}

// AlarmsStack is the stage's alarm topic, its alarms and its dashboard.
type AlarmsStack struct {
	awscdk.Stack
	Topic     awssns.Topic
	Alarms    []awscloudwatch.Alarm
	Dashboard awscloudwatch.Dashboard
}

// NamedFunction is one of the stage's Lambda functions and the short name its alarms carry.
type NamedFunction struct {
	Name     string
	Function awslambda.IFunction
}

// period is how long every count is taken over; Lambda, API Gateway and WAF publish every
// minute, Cognito every 5 minutes. A function, not a package variable: a jsii call at package
// initialization would start the jsii kernel in every program that imports stacks.
func period() awscdk.Duration { return awscdk.Duration_Minutes(jsii.Number(5)) }

// NewAlarmsStack creates the alarm topic (KMS-encrypted, TLS only, alarms.email subscribed),
// an alarm per watched metric, each telling the topic when it fires and when it clears, and a
// dashboard of the same alarms.
func NewAlarmsStack(scope constructs.Construct, id string, props *AlarmsStackProps) *AlarmsStack {
	var p AlarmsStackProps
	if props != nil {
		p = *props
	}
	stack := awscdk.NewStack(scope, &id, &p.StackProps)
	cfg, s, a := p.Config, p.Config.Stage, p.Config.Stage.Alarms

	topic := newAlarmTopic(stack, cfg)
	w := &watcher{stack: stack, prefix: names.Prefix(cfg.AppName, cfg.StageName), action: awscloudwatchactions.NewSnsAction(topic)}
	if p.API != nil {
		w.apiAlarms(p.API, a)
		functions := []NamedFunction{{Name: "handler", Function: p.API.Function}}
		if p.API.TokenAuthorizer != nil {
			functions = append(functions, NamedFunction{Name: "authorizer", Function: p.API.TokenAuthorizer})
		}
		for _, fn := range functions {
			w.functionAlarms(fn, a)
		}
	}
	if p.Auth != nil {
		for _, fn := range p.Auth.Triggers {
			w.functionAlarms(fn, a)
		}
		w.cognitoAlarm(p.Auth, a)
		if s.Email.UsesSES() {
			w.sesAlarms(s.Email, a)
		}
	}
	if s.WAF.Enabled {
		w.webACLAlarm("api", names.APIWebACL(cfg.AppName, cfg.StageName), a)
	}
	if s.UserPoolWAF.Enabled {
		w.webACLAlarm("userpool", names.UserPoolWebACL(cfg.AppName, cfg.StageName), a)
	}
	dashboard := w.dashboard()

	awscdk.NewCfnOutput(stack, jsii.String(names.OutAlarmTopicARN), &awscdk.CfnOutputProps{
		Value: topic.TopicArn(), Description: jsii.String("SNS topic the stage's alarms tell; subscribe more addresses or a chat integration here"),
	})
	awscdk.NewCfnOutput(stack, jsii.String(names.OutDashboardURL), &awscdk.CfnOutputProps{
		Value: awscdk.Fn_Join(jsii.String(""), jsii.Strings("https://console.aws.amazon.com/cloudwatch/home?region=", *awscdk.Aws_REGION(),
			"#dashboards:name=", *dashboard.DashboardName())),
		Description: jsii.String("The stage's CloudWatch dashboard"),
	})
	return &AlarmsStack{Stack: stack, Topic: topic, Alarms: w.alarms, Dashboard: dashboard}
}

// newAlarmTopic creates the topic the alarms tell: encrypted with a key of its own (CloudWatch
// cannot publish to a topic under the AWS managed key, whose policy nobody can change), TLS
// only, open to this account's CloudWatch alarms, with alarms.email subscribed where set.
func newAlarmTopic(stack awscdk.Stack, cfg config.Config) awssns.Topic {
	key := awskms.NewKey(stack, jsii.String("AlarmTopicKey"), &awskms.KeyProps{
		Description:       jsii.String("Encrypts the " + names.AlarmTopic(cfg.AppName, cfg.StageName) + " topic"),
		EnableKeyRotation: jsii.Bool(true),
		// It guards messages in flight only; nothing stays encrypted under it once the topic is
		// gone, so it goes with the stack (after the shortest waiting period).
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
		PendingWindow: awscdk.Duration_Days(jsii.Number(7)),
	})
	cloudWatch := awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudWatchAlarmsPublishToTheTopic"),
		Principals: &[]awsiam.IPrincipal{cloudWatch},
		Actions:    jsii.Strings("kms:Decrypt", "kms:GenerateDataKey*"),
		// In a key policy, "*" is this key. No condition: the topic policy below already decides
		// whose alarms may publish, and a condition key CloudWatch's KMS request did not carry
		// would drop every notification without a word.
		Resources: jsii.Strings("*"),
	}), nil)
	topic := awssns.NewTopic(stack, jsii.String("AlarmTopic"), &awssns.TopicProps{
		TopicName:   jsii.String(names.AlarmTopic(cfg.AppName, cfg.StageName)),
		DisplayName: jsii.String(cfg.AppName + " " + cfg.StageName + " alarms"),
		MasterKey:   key,
		EnforceSSL:  jsii.Bool(true),
	})
	// A topic policy replaces SNS's default one, which let any service of this account publish:
	// say again that this account's alarms may.
	topic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudWatchAlarmsOfThisAccount"),
		Principals: &[]awsiam.IPrincipal{cloudWatch},
		Actions:    jsii.Strings("sns:Publish"),
		Resources:  jsii.Strings(*topic.TopicArn()),
		Conditions: &map[string]any{
			"StringEquals": map[string]any{"aws:SourceAccount": awscdk.Aws_ACCOUNT_ID()},
			"ArnLike": map[string]any{"aws:SourceArn": awscdk.Fn_Join(jsii.String(""), jsii.Strings(
				"arn:", *awscdk.Aws_PARTITION(), ":cloudwatch:", *awscdk.Aws_REGION(), ":", *awscdk.Aws_ACCOUNT_ID(), ":alarm:*"))},
		},
	}))
	if email := cfg.Stage.Alarms.Email; email != "" {
		topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(email), nil))
	}
	return topic
}

// watcher adds alarms that tell one action, and keeps them for the dashboard.
type watcher struct {
	stack  awscdk.Stack
	prefix string // <app>-<stage>, the start of every alarm name
	action awscloudwatch.IAlarmAction
	alarms []awscloudwatch.Alarm
	// status are the alarms the dashboard's status widget shows: those that always exist.
	status []interfacesawscloudwatch.IAlarmRef
	// widgets shows each alarm on the dashboard, in the order they were added.
	widgets []awscloudwatch.IWidget
}

// tell makes alarm tell the action when it fires and when it clears.
func (w *watcher) tell(alarm awscloudwatch.Alarm) {
	alarm.AddAlarmAction(w.action)
	alarm.AddOkAction(w.action)
	w.alarms = append(w.alarms, alarm)
}

// watch tells the action about alarm and puts it on the dashboard, in the status widget and as
// a widget of its own titled title.
func (w *watcher) watch(alarm awscloudwatch.Alarm, title string) {
	w.tell(alarm)
	w.status = append(w.status, alarm)
	w.widgets = append(w.widgets, awscloudwatch.NewAlarmWidget(&awscloudwatch.AlarmWidgetProps{
		Alarm: alarm, Title: jsii.String(title), Width: jsii.Number(8), Height: jsii.Number(6),
	}))
}

// threshold is an alarm raised when a count over one period reaches at least n.
func (w *watcher) threshold(id, name, description string, metric awscloudwatch.IMetric, n float64, missing awscloudwatch.TreatMissingData) awscloudwatch.Alarm {
	return awscloudwatch.NewAlarm(w.stack, jsii.String(id), &awscloudwatch.AlarmProps{
		AlarmName:          jsii.String(w.prefix + "-" + name),
		AlarmDescription:   jsii.String(description + " (docs/operations.md, \"Alarms and the dashboard\")"),
		Metric:             metric,
		Threshold:          jsii.Number(n),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
		EvaluationPeriods:  jsii.Number(1),
		TreatMissingData:   missing,
	})
}

// apiAlarms watch the API stage's 5XX replies and its p99 latency.
func (w *watcher) apiAlarms(api *APIStack, a config.Alarms) {
	stage := api.RestAPI.DeploymentStage()
	// API Gateway publishes nothing for a period without requests: no requests, no errors.
	w.watch(w.threshold("Api5xxAlarm", "api-5xx",
		fmt.Sprintf("The API answered %d or more 5XX replies in 5 minutes: the handler or the authorizer fails, or times out", a.API5XXErrors),
		stage.MetricServerError(&awscloudwatch.MetricOptions{Period: period(), Statistic: jsii.String("Sum")}),
		float64(a.API5XXErrors), awscloudwatch.TreatMissingData_NOT_BREACHING), "API 5XX replies")

	latency := awscloudwatch.NewAlarm(w.stack, jsii.String("ApiLatencyAlarm"), &awscloudwatch.AlarmProps{
		AlarmName: jsii.String(w.prefix + "-api-latency-p99"),
		AlarmDescription: jsii.String(fmt.Sprintf("The API's 99th percentile latency was %d ms or more for 15 minutes (docs/operations.md, \"Alarms and the dashboard\")",
			a.APILatencyP99Ms)),
		Metric:             stage.MetricLatency(&awscloudwatch.MetricOptions{Period: period(), Statistic: jsii.String("p99")}),
		Threshold:          jsii.Number(float64(a.APILatencyP99Ms)),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
		// Three periods in a row: one slow cold start must not page anyone.
		EvaluationPeriods: jsii.Number(3),
		DatapointsToAlarm: jsii.Number(3),
		// No requests is not slow; and a p99 of a handful of requests is one request's time.
		TreatMissingData:                 awscloudwatch.TreatMissingData_NOT_BREACHING,
		EvaluateLowSampleCountPercentile: jsii.String("ignore"),
	})
	w.watch(latency, "API latency p99 (ms)")
}

// functionAlarms watch one function's errors and throttled invocations.
func (w *watcher) functionAlarms(fn NamedFunction, a config.Alarms) {
	id := names.Camel(fn.Name)
	// Lambda publishes nothing for a period without invocations: nothing ran, nothing failed.
	w.watch(w.threshold(id+"ErrorsAlarm", fn.Name+"-errors",
		fmt.Sprintf("The %s function failed %d or more times in 5 minutes: see its log group", fn.Name, a.FunctionErrors),
		fn.Function.MetricErrors(&awscloudwatch.MetricOptions{Period: period(), Statistic: jsii.String("Sum")}),
		float64(a.FunctionErrors), awscloudwatch.TreatMissingData_NOT_BREACHING), fn.Name+" errors")
	w.watch(w.threshold(id+"ThrottlesAlarm", fn.Name+"-throttles",
		fmt.Sprintf("The %s function was throttled %d or more times in 5 minutes: the account's Lambda concurrency is used up", fn.Name, a.FunctionThrottles),
		fn.Function.MetricThrottles(&awscloudwatch.MetricOptions{Period: period(), Statistic: jsii.String("Sum")}),
		float64(a.FunctionThrottles), awscloudwatch.TreatMissingData_NOT_BREACHING), fn.Name+" throttles")
}

// cognitoAlarm watches the requests Cognito throttled for the web client: sign-ups, sign-ins,
// token refreshes and federated sign-ins, which Cognito counts per pool and app client
// (SignUpThrottles, SignInThrottles, TokenRefreshThrottles, FederationThrottles in AWS/Cognito).
func (w *watcher) cognitoAlarm(auth *AuthStack, a config.Alarms) {
	dims := &map[string]*string{"UserPool": auth.UserPool.UserPoolId(), "UserPoolClient": auth.Client.UserPoolClientId()}
	using := map[string]awscloudwatch.IMetric{}
	for id, name := range map[string]string{"signUp": "SignUpThrottles", "signIn": "SignInThrottles", "refresh": "TokenRefreshThrottles", "federation": "FederationThrottles"} {
		using[id] = awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
			Namespace: jsii.String("AWS/Cognito"), MetricName: jsii.String(name), DimensionsMap: dims,
			Statistic: jsii.String("Sum"), Period: period(),
		})
	}
	throttled := awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		// SUM of a list adds the series at each time and skips the ones without a value there.
		Expression:   jsii.String("SUM([signUp, signIn, refresh, federation])"),
		UsingMetrics: &using,
		Label:        jsii.String("Throttled Cognito requests"),
		Period:       period(),
	})
	// Cognito publishes a throttle only when one happens, and CloudWatch forgets a metric after
	// two weeks without data: missing data means nothing was throttled.
	w.watch(w.threshold("CognitoThrottlesAlarm", "cognito-throttles",
		fmt.Sprintf("Cognito throttled %d or more sign-up, sign-in, token refresh or federation requests of the web client in 5 minutes: the account's Cognito request quota is reached", a.CognitoThrottles),
		throttled, float64(a.CognitoThrottles), awscloudwatch.TreatMissingData_NOT_BREACHING), "Cognito throttled requests")
}

// webACLAlarm watches a web ACL's blocked requests (AWS/WAFV2 BlockedRequests, all rules) for
// more than normal: an anomaly detection band learnt from the metric, alarms.wafBlockedStdDevs
// wide. metricName is the ACL's VisibilityConfig MetricName, title names it in the alarm.
func (w *watcher) webACLAlarm(title, metricName string, a config.Alarms) {
	blocked := awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
		Namespace:  jsii.String("AWS/WAFV2"),
		MetricName: jsii.String("BlockedRequests"),
		DimensionsMap: &map[string]*string{
			"WebACL": jsii.String(metricName), "Rule": jsii.String("ALL"), "Region": awscdk.Aws_REGION(),
		},
		Statistic: jsii.String("Sum"),
		Period:    period(),
	})
	id := names.Camel(title)
	alarm := awscloudwatch.NewAnomalyDetectionAlarm(w.stack, jsii.String("Waf"+id+"BlockedAlarm"), &awscloudwatch.AnomalyDetectionAlarmProps{
		AlarmName: jsii.String(w.prefix + "-waf-" + title + "-blocked"),
		AlarmDescription: jsii.String(fmt.Sprintf("The %s web ACL blocked more requests than normal (%g standard deviations above the band) in 2 of 3 periods of 5 minutes: an attack, or a rule blocking real users; see the WAF logs (docs/operations.md, \"Alarms and the dashboard\")",
			title, a.WAFBlockedStdDevs)),
		Metric:             blocked,
		StdDevs:            jsii.Number(a.WAFBlockedStdDevs),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_UPPER_THRESHOLD,
		EvaluationPeriods:  jsii.Number(3),
		DatapointsToAlarm:  jsii.Number(2),
		// WAF publishes nothing for a period without requests: nothing was blocked.
		TreatMissingData: awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	w.watch(alarm, "WAF "+title+": blocked requests")
}

// sesAlarms watch the account's SES reputation (AWS/SES Reputation.BounceRate and
// Reputation.ComplaintRate, fractions over SES's own representative volume of mail): SES reviews,
// then pauses, an account whose rates stay high.
func (w *watcher) sesAlarms(e config.Email, a config.Alarms) {
	var condition awscdk.CfnCondition
	if e.SESRegion != "" {
		// An alarm watches its own Region's metrics only: it exists where the stack deploys to the
		// SES Region, and the dashboard shows that Region's rates either way.
		condition = awscdk.NewCfnCondition(w.stack, jsii.String("SesInThisRegion"), &awscdk.CfnConditionProps{
			Expression: awscdk.Fn_ConditionEquals(awscdk.Aws_REGION(), jsii.String(e.SESRegion)),
		})
	}
	for _, r := range []struct {
		id, name, metric, what string
		percent                float64
	}{
		{"SesBounceRateAlarm", "ses-bounce-rate", "Reputation.BounceRate", "bounce", a.SESBounceRatePercent},
		{"SesComplaintRateAlarm", "ses-complaint-rate", "Reputation.ComplaintRate", "complaint", a.SESComplaintRatePercent},
	} {
		metric := func(region *string) awscloudwatch.Metric {
			return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
				Namespace: jsii.String("AWS/SES"), MetricName: jsii.String(r.metric),
				Statistic: jsii.String("Maximum"), Period: awscdk.Duration_Hours(jsii.Number(1)), Region: region,
			})
		}
		alarm := awscloudwatch.NewAlarm(w.stack, jsii.String(r.id), &awscloudwatch.AlarmProps{
			AlarmName: jsii.String(w.prefix + "-" + r.name),
			AlarmDescription: jsii.String(fmt.Sprintf("The account's SES %s rate reached %g%%: find and stop the addresses that cause it before SES reviews or pauses the account's sending (docs/operations.md, \"Alarms and the dashboard\")",
				r.what, r.percent)),
			Metric:             metric(nil),
			Threshold:          jsii.Number(r.percent / 100),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
			EvaluationPeriods:  jsii.Number(1),
			// SES publishes the rates only while it sends. Until it sends again the rate stands
			// where it was: an alarm that fired stays in alarm, and one that did not stays quiet.
			TreatMissingData: awscloudwatch.TreatMissingData_IGNORE,
		})
		if condition == nil {
			w.watch(alarm, "SES "+r.what+" rate")
			continue
		}
		alarm.Node().DefaultChild().(awscloudwatch.CfnAlarm).CfnOptions().SetCondition(condition)
		w.tell(alarm)
		// The dashboard cannot name an alarm that may not exist: it graphs the metric instead.
		w.widgets = append(w.widgets, awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
			Title: jsii.String("SES " + r.what + " rate (" + e.SESRegion + ")"), Width: jsii.Number(8), Height: jsii.Number(6),
			Left:            &[]awscloudwatch.IMetric{metric(jsii.String(e.SESRegion))},
			LeftAnnotations: &[]*awscloudwatch.HorizontalAnnotation{{Value: jsii.Number(r.percent / 100), Label: jsii.String("alarm")}},
		}))
	}
}

// dashboard is the stage's dashboard: the state of every alarm, then each alarm's metric
// against its threshold, three to a row.
func (w *watcher) dashboard() awscloudwatch.Dashboard {
	// Dashboards are global to the account: the Region keeps one stage's name per Region.
	name := awscdk.Fn_Join(jsii.String("-"), jsii.Strings(w.prefix, *awscdk.Aws_REGION()))
	d := awscloudwatch.NewDashboard(w.stack, jsii.String("Dashboard"), &awscloudwatch.DashboardProps{
		DashboardName:   name,
		DefaultInterval: awscdk.Duration_Hours(jsii.Number(3)),
	})
	d.AddWidgets(awscloudwatch.NewAlarmStatusWidget(&awscloudwatch.AlarmStatusWidgetProps{
		Title: jsii.String(w.prefix + " alarms"), Alarms: &w.status, Width: jsii.Number(24),
	}))
	for i := 0; i < len(w.widgets); i += 3 {
		d.AddWidgets(w.widgets[i:min(i+3, len(w.widgets))]...)
	}
	return d
}
