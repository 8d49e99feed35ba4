package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// addSignInLogs has the user pool deliver its logs to CloudWatch Logs (signInLogs): the email
// and SMS messages it failed to deliver (userNotification, at ERROR, the only level Cognito
// sends for it) and, where threat protection runs on the PLUS plan, every sign-in, sign-up and
// password change with its risk assessment (userAuthEvents, at INFO). Each goes to a log group
// of its own with the stage's retention. The names start with /aws/vendedlogs/: the log
// delivery service writes its permission into the account's CloudWatch Logs resource policy,
// which is limited in size, and for that prefix it needs one statement for all groups.
func addSignInLogs(stack awscdk.Stack, pool awscognito.UserPool, cfg config.Config) {
	s := cfg.Stage
	if !s.SignInLogs {
		return
	}
	prefix := "/aws/vendedlogs/cognito/" + names.Prefix(cfg.AppName, cfg.StageName)
	deliver := func(id, source, level string) *awscognito.CfnLogDeliveryConfiguration_LogConfigurationProperty {
		group := newVendedLogGroup(stack, id, prefix, "/"+source, s)
		return &awscognito.CfnLogDeliveryConfiguration_LogConfigurationProperty{
			EventSource:                 jsii.String(source),
			LogLevel:                    jsii.String(level),
			CloudWatchLogsConfiguration: &awscognito.CfnLogDeliveryConfiguration_CloudWatchLogsConfigurationProperty{LogGroupArn: group.ARN},
		}
	}
	logs := []any{deliver("UserNotificationLogs", "userNotification", "ERROR")}
	if s.SignInEventLogs() {
		logs = append(logs, deliver("UserAuthEventLogs", "userAuthEvents", "INFO"))
	}
	awscognito.NewCfnLogDeliveryConfiguration(stack, jsii.String("SignInLogs"), &awscognito.CfnLogDeliveryConfigurationProps{
		UserPoolId:        pool.UserPoolId(),
		LogConfigurations: logs,
	})
}
