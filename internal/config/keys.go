package config

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/problem"
	"github.com/cognito-apigw/cognito-apigw/internal/suggest"
)

// appKeys are the context keys the app reads: cdk.json's own and the -c overrides.
var appKeys = []string{KeyAppName, KeyStages, KeyDefaults, KeyStage, KeyDomainPrefix, KeyCallbackURLs, KeyLogoutURLs, KeyBrandingFile, KeyCI}

// The context keys that belong to the CDK, not to the app: the CLI passes them to every app
// (aws:cdk:enable-path-metadata, aws:cdk:enable-asset-metadata, aws:cdk:version-reporting,
// aws:cdk:bundling-stacks), cdk.json holds the feature flags, and cdk.context.json and
// ~/.cdk.json may hold the CLI's own settings and cached lookups.
var (
	cdkKeyPrefixes = []string{
		"@aws-cdk/",            // feature flags and library settings, e.g. @aws-cdk/core:bootstrapQualifier
		"@aws-cdk-containers/", // the ecs-service-extensions feature flag
		"aws:cdk:",             // what the CLI passes, e.g. aws:cdk:bundling-stacks
		"aws-cdk:",             // aws-cdk:enableDiffNoFail
	}
	cdkKeys = []string{
		"acknowledged-issue-numbers", // cdk acknowledge
		"cli-telemetry",              // cdk cli-telemetry --disable
		"assets-ecr-repository-name", // the legacy synthesizer's asset repository
	}
	// Cached context lookups in cdk.context.json are named <provider>:<parameters>.
	cdkLookupProviders = []string{
		"ami", "availability-zones", "cc-api-provider", "endpoint-service-availability-zones",
		"hosted-zone", "key-provider", "load-balancer", "load-balancer-listener", "plugin",
		"security-group", "ssm", "vpc-provider",
	}
)

// isCDKKey reports whether key is one of the CDK's own context keys.
func isCDKKey(key string) bool {
	if slices.Contains(cdkKeys, key) || slices.ContainsFunc(cdkKeyPrefixes, func(p string) bool { return strings.HasPrefix(key, p) }) {
		return true
	}
	provider, _, found := strings.Cut(key, ":")
	return found && slices.Contains(cdkLookupProviders, provider)
}

// checkContextKeys refuses context keys that neither the app nor the CDK knows, so that
// `-c mfa=required` or `-c domainprefix=x` fails instead of synthesizing as if unsaid.
func checkContextKeys(ctx map[string]any) problem.List {
	var unknown []string
	for k := range ctx {
		if !slices.Contains(appKeys, k) && !isCDKKey(k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	var problems problem.List
	for _, k := range unknown {
		problems.Add(k, ctx[k], fmt.Sprintf("unknown context key (from -c or cdk.json's \"context\")%s; -c takes only %s",
			hintForKey(k), strings.Join(OverrideKeys, ", ")))
	}
	return problems
}

// hintForKey names what the user probably meant by an unknown context key.
func hintForKey(key string) string {
	for _, k := range appKeys {
		if strings.EqualFold(k, key) {
			return fmt.Sprintf("; did you mean %q? (keys are case-sensitive)", k)
		}
	}
	for _, name := range stageSettingNames() {
		if strings.EqualFold(name, key) {
			return fmt.Sprintf("; %s is a stage setting: set it in cdk.json under %s.<stage>.%s or %s.%s", name, KeyStages, name, KeyDefaults, name)
		}
	}
	if best := suggest.Closest(key, appKeys); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}

// stageSettingNames are the top-level keys of a stage object.
func stageSettingNames() []string {
	t := reflect.TypeFor[Stage]()
	var names []string
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			names = append(names, name)
		}
	}
	return names
}
