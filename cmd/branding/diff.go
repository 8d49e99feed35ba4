package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/cognito-apigw/cognito-apigw/branding"
	"github.com/cognito-apigw/cognito-apigw/internal/cli"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// diffOptions are diff's flags.
type diffOptions struct {
	cli.Project
	poolID, clientID, region, endpoint string
}

// diff compares the style deployed for an app client with a branding file. Exit 0: the same;
// 1: they differ; 2: bad usage, or the comparison could not be made (as diff(1) does).
func (a *app) diff(fs *flag.FlagSet) cli.Run {
	var o diffOptions
	o.Project.Declare(fs)
	fs.StringVar(&o.poolID, "user-pool-id", "", "user pool `id` (default: "+names.OutUserPoolID+" output)")
	fs.StringVar(&o.clientID, "client-id", "", "app client `id` (default: "+names.OutClientID+" output)")
	fs.StringVar(&o.region, "region", "", "AWS `Region` (default: Region output, else the AWS configuration)")
	fs.StringVar(&o.endpoint, "endpoint", "", "custom Cognito endpoint `URL`, e.g. a local emulator")
	return func(ctx context.Context, args []string) error {
		return a.compare(ctx, &o, fileArg(args, ""))
	}
}

// compare fetches the deployed style and reports how it differs from file's.
func (a *app) compare(ctx context.Context, o *diffOptions, file string) error {
	cfg, file, err := o.resolve(file)
	if err != nil {
		return err
	}
	committed, err := branding.Load(file)
	if err != nil {
		return fmt.Errorf("%s cannot be deployed as it is; fix it first:\n%v", file, err)
	}
	if cfg.StageName != "" {
		// What the stage deploys: button icons for its own providers only.
		committed, _ = committed.ForProviders(cfg.ProviderNames())
	}
	resp, err := a.describe(ctx, o.poolID, o.clientID, o.region, o.endpoint, true)
	if err != nil {
		return err
	}
	deployed, err := styleFromAPI(resp)
	if err != nil {
		return err
	}
	return a.report(file, o.clientID, branding.Diff(deployed, committed))
}

// resolve fills the ids, Region and endpoint that flags left empty from the outputs file, and
// the file to compare, when none was given, from the stage's brandingFile. cdk.json is read
// only for those: it names the stacks in the outputs file and the stage's branding file.
func (o *diffOptions) resolve(file string) (config.Config, string, error) {
	useOutputs := o.OutputsGiven() || ((o.poolID == "" || o.clientID == "") && o.OutputsFound())
	var cfg config.Config
	if useOutputs || file == "" {
		var err error
		if cfg, err = o.Config(); err != nil {
			return cfg, "", err
		}
	}
	if useOutputs {
		out, err := o.ReadOutputs(cfg)
		if err != nil {
			return cfg, "", err
		}
		for _, f := range []struct {
			dst *string
			v   string
		}{
			{&o.poolID, out.UserPoolID}, {&o.clientID, out.ClientID}, {&o.region, out.Region}, {&o.endpoint, out.CognitoEndpoint},
		} {
			if *f.dst == "" {
				*f.dst = f.v
			}
		}
	}
	if o.poolID == "" || o.clientID == "" {
		why := ""
		if o.Unread != nil {
			why = ": " + o.Unread.Error()
		}
		return cfg, "", cli.Usagef("pass -user-pool-id and -client-id, or -outputs FILE (the outputs of `cdk deploy --outputs-file FILE`) that has them%s", why)
	}
	if file != "" {
		return cfg, file, nil
	}
	if cfg.BrandingFile == "" {
		return cfg, "", cli.Usagef("stage %s in %s deploys no branding file (brandingFile is empty); pass the branding FILE to compare", cfg.StageName, o.CDKJSON)
	}
	file, err := cfg.BrandingPath(filepath.Dir(o.CDKJSON))
	if err != nil {
		return cfg, "", cli.Usagef("%v", err)
	}
	return cfg, file, nil
}

// report prints the differences; any is exit 1.
func (a *app) report(file, clientID string, diffs []branding.Difference) error {
	if len(diffs) == 0 {
		fmt.Fprintf(a.stdout, "no differences: the style deployed for client %s is %s\n", clientID, file)
		return nil
	}
	left := 0
	for _, d := range diffs {
		fmt.Fprintln(a.stdout, d)
		if d.Kind == branding.LeftBehind {
			left++
		}
	}
	fmt.Fprintf(a.stdout, "%s between the style deployed for client %s and %s\n", plural(len(diffs), "difference"), clientID, file)
	if left > 0 {
		fmt.Fprintf(a.stdout, "to remove what is left behind: set those keys and assets in %s to what you want (e.g. \"enabled\": false) and deploy, "+
			"or reset the style: deploy once with -c brandingFile=branding/cognito-defaults.json, then with your file (docs/branding.md)\n", file)
	}
	return cli.Exit(1) // they differ: diff's 1, declared in the command table
}
