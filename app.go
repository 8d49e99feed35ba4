// Command app is the CDK app: it reads the configuration from the CDK context, checks it, and
// synthesizes the auth and API stacks of one stage.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/branding"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
	"github.com/cognito-apigw/cognito-apigw/stacks"
)

func main() {
	app := awscdk.NewApp(nil)
	if _, err := addStacks(app, "."); err != nil {
		// One line per problem: config.Problems and branding's errors join with newlines.
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(os.Stderr, "error:", line)
		}
		jsii.Close()
		os.Exit(1)
	}
	app.Synth(nil)
	jsii.Close()
}

// appStacks are the stacks of one stage.
type appStacks struct {
	Config config.Config
	Auth   *stacks.AuthStack
	Api    *stacks.ApiStack
}

// contextOf is the app's whole context (cdk.json, -c keys and what the CDK CLI adds). The keys
// come from GetAllContext and the values from TryGetContext: GetAllContext hands nested
// objects back in jsii's wire form.
func contextOf(app awscdk.App) map[string]any {
	all, _ := app.Node().GetAllContext(nil).(map[string]any)
	ctx := make(map[string]any, len(all))
	for key := range all {
		ctx[key] = app.Node().TryGetContext(jsii.String(key))
	}
	return ctx
}

// addStacks reads the configuration from app's context and adds the selected stage's stacks.
// projectDir holds go.mod and the branding files. Every configuration problem is returned at
// once, before any stack exists.
func addStacks(app awscdk.App, projectDir string) (*appStacks, error) {
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
	auth := stacks.NewAuthStack(app, names.AuthStack(cfg.AppName, cfg.StageName), &stacks.AuthStackProps{
		StackProps:   awscdk.StackProps{Description: jsii.String(cfg.AppName + " " + cfg.StageName + ": Cognito user pool, app client and managed login"), Tags: &tags},
		Config:       cfg,
		Branding:     style,
		SAMLMetadata: saml,
		ModuleDir:    moduleDir,
	})
	api := stacks.NewApiStack(app, names.APIStack(cfg.AppName, cfg.StageName), &stacks.ApiStackProps{
		StackProps:     awscdk.StackProps{Description: jsii.String(cfg.AppName + " " + cfg.StageName + ": REST API authorized by Cognito"), Tags: &tags},
		Config:         cfg,
		UserPool:       auth.UserPool,
		ClientID:       auth.Client.UserPoolClientId(),
		MachineClients: auth.MachineClients,
		ModuleDir:      moduleDir,
	})
	// Warnings do not stop synth: `cdk synth` prints them (and --strict makes them errors).
	for _, w := range cfg.Warnings() {
		awscdk.Annotations_Of(auth.Stack).AddWarningV2(jsii.String("cognito-apigw:stage-setting"), jsii.String(w), nil)
	}
	if style != nil {
		for _, w := range style.Warnings {
			awscdk.Annotations_Of(auth.Stack).AddWarningV2(jsii.String("cognito-apigw:branding"), jsii.String(w.String()), nil)
		}
	}
	return &appStacks{Config: cfg, Auth: auth, Api: api}, nil
}
