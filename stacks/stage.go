package stacks

import (
	"errors"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/branding"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// Stage is one stage's stacks and the configuration they were built from.
type Stage struct {
	Config config.Config
	Auth   *AuthStack
	API    *APIStack
	// Alarms is nil on a stage without alarms.
	Alarms *AlarmsStack
	// CI is the app's GitHub Actions stack (<app>-ci), nil unless the context sets "ci".
	CI *CIStack
}

// NewStage reads the configuration from app's context (cdk.json, -c keys) and adds the
// selected stage's auth and API stacks to app, its alarms stack where alarms are on, and the
// app's CI stack when "ci" is set. projectDir holds go.mod and the branding files.
// Every problem with the configuration, the branding or the SAML metadata is returned at
// once, one per line, before any stack exists. Warnings about a valid stage become the auth
// stack's annotations, which `cdk synth` prints.
func NewStage(app awscdk.App, projectDir string) (*Stage, error) {
	cfg, cfgErr := config.Load(contextOf(app))
	var style *branding.Style
	var brandingErr error
	if cfg.BrandingFile != "" {
		var path string
		if path, brandingErr = cfg.BrandingPath(projectDir); brandingErr == nil {
			style, brandingErr = branding.Load(path)
		}
	}
	saml, samlErr := cfg.SAMLMetadata(projectDir)
	if err := errors.Join(cfgErr, brandingErr, samlErr); err != nil {
		return nil, err
	}

	moduleDir, err := filepath.Abs(projectDir)
	if err != nil {
		return nil, err
	}
	tags := map[string]*string{"app": jsii.String(cfg.AppName), "stage": jsii.String(cfg.StageName)}
	auth := NewAuthStack(app, names.AuthStack(cfg.AppName, cfg.StageName), &AuthStackProps{
		StackProps:   awscdk.StackProps{Description: jsii.String(cfg.AppName + " " + cfg.StageName + ": Cognito user pool, app client and managed login"), Tags: &tags},
		Config:       cfg,
		Branding:     style,
		SAMLMetadata: saml,
		ModuleDir:    moduleDir,
	})
	api := NewAPIStack(app, names.APIStack(cfg.AppName, cfg.StageName), &APIStackProps{
		StackProps:     awscdk.StackProps{Description: jsii.String(cfg.AppName + " " + cfg.StageName + ": REST API authorized by Cognito"), Tags: &tags},
		Config:         cfg,
		UserPool:       auth.UserPool,
		ClientID:       auth.Client.UserPoolClientId(),
		MachineClients: auth.MachineClients,
		ModuleDir:      moduleDir,
	})
	var alarms *AlarmsStack
	if cfg.Alarms.Enabled {
		alarms = NewAlarmsStack(app, names.AlarmsStack(cfg.AppName, cfg.StageName), &AlarmsStackProps{
			StackProps: awscdk.StackProps{Description: jsii.String(cfg.AppName + " " + cfg.StageName + ": alarms, their SNS topic and the dashboard"), Tags: &tags},
			Config:     cfg,
			Auth:       auth,
			API:        api,
		})
	}
	var ci *CIStack
	if cfg.CI != nil {
		ci = NewCIStack(app, names.CIStack(cfg.AppName), &CIStackProps{
			StackProps: awscdk.StackProps{Description: jsii.String(cfg.AppName + ": GitHub Actions deploy roles (OIDC, no stored keys)"),
				Tags: &map[string]*string{"app": jsii.String(cfg.AppName)}},
			CI:        *cfg.CI,
			Qualifier: cfg.BootstrapQualifier,
		})
	}
	// Warnings do not stop synth: `cdk synth` prints them (and --strict makes them errors).
	for _, w := range append(cfg.Warnings(), cfg.OperationWarnings()...) {
		awscdk.Annotations_Of(auth.Stack).AddWarningV2(jsii.String("cognito-apigw:stage-setting"), jsii.String(w), nil)
	}
	if style != nil {
		for _, w := range style.Warnings {
			awscdk.Annotations_Of(auth.Stack).AddWarningV2(jsii.String("cognito-apigw:branding"), jsii.String(w.String()), nil)
		}
	}
	return &Stage{Config: cfg, Auth: auth, API: api, Alarms: alarms, CI: ci}, nil
}

// contextOf is the app's whole context (cdk.json, -c keys and what the CDK CLI adds), from
// GetAllContext. It hands nested objects and lists back in jsii's wire form, so those values
// are read again with TryGetContext; the rest (cdk.json's hundred feature flags, mostly) are
// plain values, and asking for each would cost a jsii round trip per key.
func contextOf(app awscdk.App) map[string]any {
	all, _ := app.Node().GetAllContext(nil).(map[string]any)
	ctx := make(map[string]any, len(all))
	for key, v := range all {
		switch v.(type) {
		case map[string]any, []any:
			ctx[key] = app.Node().TryGetContext(jsii.String(key))
		default:
			ctx[key] = v
		}
	}
	return ctx
}
