package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/cognito-apigw/cognito-apigw/branding"
	"github.com/cognito-apigw/cognito-apigw/internal/cdkjson"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
)

// diff compares the style deployed for an app client with a branding file. Exit 0: the same;
// 1: they differ; 2: bad usage, or the comparison could not be made (as diff(1) does).
func (c *cli) diff(args []string) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	poolID := fs.String("user-pool-id", "", "user pool id (default: from -outputs)")
	clientID := fs.String("client-id", "", "app client id (default: from -outputs)")
	outputsFile := fs.String("outputs", "", "outputs file of `cdk deploy --outputs-file` with the pool and client ids")
	cdkJSON := fs.String("cdk-json", cdkjson.DefaultPath, "project settings, for the stage's names and branding file")
	stage := fs.String("stage", config.DefaultStage, "stage in cdk.json")
	region := fs.String("region", "", "AWS Region (default: Region output, else the environment or AWS config)")
	endpoint := fs.String("endpoint", "", "custom Cognito endpoint URL, e.g. a local emulator")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 1 {
		return c.usageErr("diff", "one branding file at most, got %d arguments", fs.NArg())
	}
	file := fs.Arg(0)

	// cdk.json names the stacks in the outputs file and the stage's branding file.
	var cfg config.Config
	if *outputsFile != "" || file == "" {
		var err error
		if cfg, err = cdkjson.Load(*cdkJSON, *stage); err != nil {
			return c.usageErr("diff", "%v", err)
		}
	}
	if *outputsFile != "" {
		out, err := outputs.Read(*outputsFile, cfg.AppName, cfg.StageName)
		if err != nil {
			return c.usageErr("diff", "-outputs: %v", err)
		}
		for _, f := range []struct {
			dst *string
			v   string
		}{
			{poolID, out.UserPoolID}, {clientID, out.ClientID}, {region, out.Region}, {endpoint, out.CognitoEndpoint},
		} {
			if *f.dst == "" {
				*f.dst = f.v
			}
		}
	}
	if *poolID == "" || *clientID == "" {
		return c.usageErr("diff", "pass -user-pool-id and -client-id, or -outputs FILE (the outputs of `cdk deploy --outputs-file FILE`) that has them")
	}
	if file == "" {
		if cfg.BrandingFile == "" {
			return c.usageErr("diff", "stage %s in %s deploys no branding file (brandingFile is empty); pass the branding FILE to compare", cfg.StageName, *cdkJSON)
		}
		var err error
		if file, err = cfg.BrandingPath(filepath.Dir(*cdkJSON)); err != nil {
			return c.usageErr("diff", "%v", err)
		}
	}

	committed, err := branding.Load(file)
	if err != nil {
		fmt.Fprintf(c.stderr, "branding diff: %s cannot be deployed as it is; fix it first:\n%v\n", file, err)
		return 2
	}
	if cfg.StageName != "" {
		// What the stage deploys: button icons for its own providers only.
		committed, _ = committed.ForProviders(cfg.ProviderNames())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	resp, err := c.describe(ctx, *poolID, *clientID, *region, *endpoint, true)
	if err == nil {
		var deployed *branding.Style
		if deployed, err = styleFromAPI(resp); err == nil {
			return c.report(file, *clientID, branding.Diff(deployed, committed))
		}
	}
	fmt.Fprintf(c.stderr, "branding diff: %v\n", err)
	return 2
}

func (c *cli) report(file, clientID string, diffs []branding.Difference) int {
	if len(diffs) == 0 {
		fmt.Fprintf(c.stdout, "no differences: the style deployed for client %s is %s\n", clientID, file)
		return 0
	}
	left := 0
	for _, d := range diffs {
		fmt.Fprintln(c.stdout, d)
		if d.Kind == branding.LeftBehind {
			left++
		}
	}
	fmt.Fprintf(c.stdout, "%s between the style deployed for client %s and %s\n", plural(len(diffs), "difference"), clientID, file)
	if left > 0 {
		fmt.Fprintf(c.stdout, "to remove what is left behind: set those keys and assets in %s to what you want (e.g. \"enabled\": false) and deploy, "+
			"or reset the style: deploy once with -c brandingFile=branding/cognito-defaults.json, then with your file (docs/branding.md)\n", file)
	}
	return 1
}

// usageErr reports bad usage of a subcommand: exit 2.
func (c *cli) usageErr(cmd, format string, args ...any) int {
	fmt.Fprintf(c.stderr, "branding %s: %s\n", cmd, fmt.Sprintf(format, args...))
	return 2
}
