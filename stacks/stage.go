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
	described := func(what string) awscdk.StackProps {
		return awscdk.StackProps{Description: jsii.String(cfg.AppName + " " + cfg.StageName + ": " + what), Tags: &tags}
	}
	st := AddStageStacks(app, cfg, StageStacks{
		Auth:      StackOf{names.AuthStack(cfg.AppName, cfg.StageName), described("Cognito user pool, app client and managed login")},
		API:       StackOf{names.APIStack(cfg.AppName, cfg.StageName), described("REST API authorized by Cognito")},
		Alarms:    StackOf{names.AlarmsStack(cfg.AppName, cfg.StageName), described("alarms, their SNS topic and the dashboard")},
		Branding:  style,
		SAML:      saml,
		ModuleDir: moduleDir,
	})
	if cfg.CI != nil {
		st.CI = NewCIStack(app, names.CIStack(cfg.AppName), &CIStackProps{
			StackProps: awscdk.StackProps{Description: jsii.String(cfg.AppName + ": GitHub Actions deploy roles (OIDC, no stored keys)"),
				Tags: &map[string]*string{"app": jsii.String(cfg.AppName)}},
			CI:        *cfg.CI,
			Qualifier: cfg.BootstrapQualifier,
		})
	}
	// Warnings do not stop synth: `cdk synth` prints them (and --strict makes them errors).
	for _, w := range append(cfg.Warnings(), cfg.OperationWarnings()...) {
		awscdk.Annotations_Of(st.Auth.Stack).AddWarningV2(jsii.String("cognito-apigw:stage-setting"), jsii.String(w), nil)
	}
	if style != nil {
		for _, w := range style.Warnings {
			awscdk.Annotations_Of(st.Auth.Stack).AddWarningV2(jsii.String("cognito-apigw:branding"), jsii.String(w.String()), nil)
		}
	}
	return st, nil
}

// StackOf is one stack's id and the props it takes beside those of its kind.
type StackOf struct {
	ID    string
	Props awscdk.StackProps
}

// StageStacks says how AddStageStacks makes a stage's stacks: each stack's id and props, and
// what the auth stack reads from the project (the managed-login style, nil for Cognito's, the
// SAML providers' metadata) and the module the functions are built from.
type StageStacks struct {
	Auth, API, Alarms StackOf
	Branding          *BrandingStyle
	SAML              map[string]string
	ModuleDir         string
}

// AddStageStacks adds cfg's auth and API stacks to app, and its alarms stack where alarms are
// on, wired together: the one place a stage's stacks are put together, for NewStage and for
// tests that build a stage from explicit settings.
func AddStageStacks(app awscdk.App, cfg config.Config, s StageStacks) *Stage {
	auth := NewAuthStack(app, s.Auth.ID, &AuthStackProps{
		StackProps: s.Auth.Props, Config: cfg, Branding: s.Branding, SAMLMetadata: s.SAML, ModuleDir: s.ModuleDir,
	})
	api := NewAPIStack(app, s.API.ID, &APIStackProps{
		StackProps: s.API.Props, Config: cfg, UserPool: auth.UserPool, ClientID: auth.Client.UserPoolClientId(),
		MachineClients: auth.MachineClients, ModuleDir: s.ModuleDir,
	})
	st := &Stage{Config: cfg, Auth: auth, API: api}
	if cfg.Alarms.Enabled {
		st.Alarms = NewAlarmsStack(app, s.Alarms.ID, &AlarmsStackProps{StackProps: s.Alarms.Props, Config: cfg, Auth: auth, API: api})
	}
	return st
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
