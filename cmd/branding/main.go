// Command branding checks branding files, pulls a deployed managed-login style into one,
// compares a deployed style with one, and renders one as a preview page.
//
//	branding check [-strict] [-root DIR] [FILE...]
//	branding pull -user-pool-id ID -client-id ID [-return-merged-resources] [-region REGION]
//	              [-endpoint URL] [-dir DIR] [-name FILE]
//	branding diff [-user-pool-id ID -client-id ID] [-outputs FILE] [-cdk-json FILE] [-stage NAME]
//	              [-region REGION] [-endpoint URL] [FILE]
//	branding preview [-out FILE] [FILE]
//
// check validates branding files without the CDK (for a pre-commit hook): it prints every
// problem and exits 1, or prints a one-line summary and exits 0; warnings (keys not in
// Cognito's default style) are printed too, and are problems with -strict. pull calls
// DescribeManagedLoginBrandingByClient and writes DIR/style.json plus DIR/assets/*, in a stable
// form so that pulling an unchanged style again changes nothing. diff compares the deployed
// style (merged with Cognito's defaults) with a branding file: exit 0 when they match, 1 when
// they differ (the ids from the flags, else from the outputs file, default cdk-outputs.json).
// preview writes a static HTML page of a style's colours and images. Bad usage exits 2
// (internal/cli has the rules).
package main

import (
	"context"
	"io"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/cognito-apigw/cognito-apigw/internal/cli"
)

func main() {
	a := &app{stdout: os.Stdout, stderr: os.Stderr}
	cli.Main(a.run)
}

// app holds what a run writes to and, for tests, extra AWS config options.
type app struct {
	stdout, stderr io.Writer
	awsOptions     []func(*config.LoadOptions) error
}

func (a *app) run(ctx context.Context, args []string) int {
	p := &cli.Program{Name: "branding", Stdout: a.stdout, Stderr: a.stderr, Commands: []cli.Command{
		{
			Name:    "check",
			Summary: "check branding files (default: branding/style.json) as synth would",
			Usage:   "[-strict] [-root DIR] [FILE...]",
			Doc: `Prints every problem and exits 1 if there are any; prints one OK line and exits 0
otherwise. Keys that are not in Cognito's default style, and values of another type, are
warnings; -strict makes them problems.`,
			Flags: a.check,
			Args:  cli.AnyArgs,
		},
		{
			Name:    "pull",
			Summary: "write the style deployed for an app client to a branding folder",
			Usage:   "-user-pool-id ID -client-id ID [-return-merged-resources] [-region REGION] [-endpoint URL] [-dir DIR] [-name FILE]",
			Doc: `Writes DIR/FILE (default: branding/style.json) with the images under DIR/assets/, in a
stable form, so that pulling an unchanged style again changes nothing. Credentials come from
the usual AWS sources.`,
			Flags: a.pull,
		},
		{
			Name:    "diff",
			Summary: "compare the style deployed for an app client with a branding file",
			Usage:   "[-user-pool-id ID -client-id ID] [-outputs FILE] [-cdk-json FILE] [-stage NAME] [-region REGION] [-endpoint URL] [FILE]",
			Doc: `Compares by JSON path and asset hash with FILE (default: the stage's brandingFile in
cdk.json). The ids come from the flags, else from the outputs file. Exits 0 when they
match, 1 when they differ, and 2 on bad usage or when it cannot compare (as diff(1)).`,
			Flags:    a.diff,
			Args:     1,
			FailCode: cli.BadUsage, // 1 means "they differ"; a failure compared nothing
		},
		{
			Name:    "preview",
			Summary: "write a self-contained HTML page of a branding file's colours and images",
			Usage:   "[-out FILE] [FILE]",
			Doc: `Shows the colours of FILE (default: branding/style.json) in light and dark mode, with
their JSON paths, and its images: a preview of the values, not Cognito's page.`,
			Flags: a.preview,
			Args:  1,
		},
	}}
	return p.Run(ctx, args)
}

// fileArg is the one branding file a command takes (cli.Command.Args refuses more), or def
// when none is given.
func fileArg(args []string, def string) string {
	if len(args) == 0 || args[0] == "" {
		return def
	}
	return args[0]
}
