package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// The common rule set's rules that the stage's own redirect URLs set off, because signing in
// and out sends them as query arguments (redirect_uri, logout_uri).
const (
	// ssrfQueryRule takes http://localhost... in a query argument for a try at the EC2
	// metadata service.
	ssrfQueryRule = "EC2MetaDataSSRF_QUERYARGUMENTS"
	// rfiQueryRule takes a URL on an IPv4 address (http://127.0.0.1:8976/callback) in a query
	// argument for remote file inclusion.
	rfiQueryRule = "GenericRFI_QUERYARGUMENTS"
)

// addUserPoolWebACL puts a regional web ACL in front of the user pool (userPoolWaf): managed
// login, the OAuth endpoints and Cognito's public API. Cognito's WAF integration (developer
// guide, "Associate an AWS WAF web ACL with a user pool") decides what is left out: Account
// Takeover Prevention (AWSManagedRulesATPRuleSet), which Cognito refuses; CAPTCHA and challenge
// actions, which can break TOTP registration on managed login; and rules on usernames or
// passwords, which Cognito does not hand to WAF. What remains: AWS's IP reputation list, a
// per-IP rate limit, the common rule set and the known-bad-inputs rule set, all blocking.
func addUserPoolWebACL(stack awscdk.Stack, pool awscognito.UserPool, cfg config.Config) {
	s := cfg.Stage
	if !s.UserPoolWAF.Enabled {
		return
	}
	name := names.UserPoolWebACL(cfg.AppName, cfg.StageName) // also its metric, which the alarms watch
	attachWebACL(stack, cfg, "UserPoolWebAcl", name,
		"Managed login, OAuth endpoints and public API of the "+cfg.AppName+" "+cfg.StageName+" user pool",
		pool.UserPoolArn(), "userpool",
		// Addresses AWS has seen scanning or attacking: cheap (25 capacity units), first.
		managedRuleGroup(0, "AWSManagedRulesAmazonIpReputationList", name+"-ipreputation", nil),
		rateLimitRule(1, s.UserPoolWAF.RateLimit, name+"-rate"),
		managedRuleGroup(2, "AWSManagedRulesCommonRuleSet", name+"-common", redirectRuleOverrides(s)),
		managedRuleGroup(3, "AWSManagedRulesKnownBadInputsRuleSet", name+"-badinputs", nil),
	)
}

// redirectRuleOverrides turn the common rule set's rules that the stage's own callback and
// sign-out URLs would set off from block to count: on a stage that signs in to a loopback
// address, the SSRF rule blocks redirect_uri=http://localhost:3000/...; on one that names an
// IPv4 address, the remote-file-inclusion rule blocks redirect_uri=http://127.0.0.1:8976/....
// Counted, the match still shows in the WAF metrics and logs. A stage whose URLs are all
// https on host names (prod) keeps both rules blocking.
func redirectRuleOverrides(s config.Stage) []any {
	var overrides []any
	count := func(rule string) {
		overrides = append(overrides, &awswafv2.CfnWebACL_RuleActionOverrideProperty{
			Name:        jsii.String(rule),
			ActionToUse: &awswafv2.CfnWebACL_RuleActionProperty{Count: map[string]any{}},
		})
	}
	if s.RedirectsToLoopback() {
		count(ssrfQueryRule)
	}
	if s.RedirectsToIPv4() {
		count(rfiQueryRule)
	}
	return overrides
}
