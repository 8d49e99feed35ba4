// Command branding checks branding files, pulls a deployed managed-login style into one,
// compares a deployed style with one, and renders one as a preview page.
//
//	branding check [-strict] [-root DIR] [FILE...]
//	branding pull -user-pool-id ID -client-id ID [-return-merged-resources] [-region REGION]
//	              [-endpoint URL] [-out DIR] [-name FILE]
//	branding diff [-user-pool-id ID -client-id ID | -outputs FILE] [-cdk-json FILE] [-stage NAME]
//	              [-region REGION] [-endpoint URL] [FILE]
//	branding preview [-out FILE] [FILE]
//
// check validates branding files without the CDK (for a pre-commit hook): it prints every
// problem and exits 1, or prints a one-line summary and exits 0; warnings (keys not in
// Cognito's default style) are printed too, and are problems with -strict. pull calls
// DescribeManagedLoginBrandingByClient and writes DIR/style.json plus DIR/assets/*, in a stable
// form so that pulling an unchanged style again changes nothing. diff compares the deployed
// style (merged with Cognito's defaults) with a branding file: exit 0 when they match, 1 when
// they differ. preview writes a static HTML page of a style's colours and images. Bad usage
// exits 2.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"
)

const usage = `Usage:
  branding check [-strict] [-root DIR] [FILE...]
        Validate branding files (default: branding/style.json). Prints every problem and
        exits 1 if there are any; prints one OK line and exits 0 otherwise. Keys that are
        not in Cognito's default style, and values of another type, are warnings; -strict
        makes them problems.
  branding pull -user-pool-id ID -client-id ID [-return-merged-resources] [-region REGION]
                [-endpoint URL] [-out DIR] [-name FILE]
        Write the style deployed for an app client to DIR/FILE (default: branding/style.json)
        with its images under DIR/assets/. Credentials come from the usual AWS sources.
  branding diff [-user-pool-id ID -client-id ID | -outputs FILE] [-cdk-json FILE]
                [-stage NAME] [-region REGION] [-endpoint URL] [FILE]
        Compare the style deployed for an app client with a branding file (default: the
        stage's brandingFile in cdk.json), by JSON path and asset hash. Exits 0 when they
        match, 1 when they differ, 2 on bad usage or when it cannot compare.
  branding preview [-out FILE] [FILE]
        Write a self-contained HTML page (default: preview.html) that shows the colours of
        a branding file (default: branding/style.json) in light and dark mode, with their
        JSON paths, and its images: a preview of the values, not Cognito's page.
`

func main() {
	c := &cli{stdout: os.Stdout, stderr: os.Stderr}
	os.Exit(c.run(os.Args[1:]))
}

// cli holds what a run writes to and, for tests, extra AWS config options.
type cli struct {
	stdout, stderr io.Writer
	awsOptions     []func(*config.LoadOptions) error
}

func (c *cli) run(args []string) (code int) {
	// A bug must not greet the user with a Go stack trace.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(c.stderr, "branding: internal error: %v\n", r)
			code = 1
			if len(args) > 0 && args[0] == "diff" {
				code = 2 // diff's 1 means "they differ"; a crash compared nothing
			}
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(c.stderr, usage)
		return 2
	}
	switch args[0] {
	case "check":
		return c.check(args[1:])
	case "pull":
		return c.pull(args[1:])
	case "diff":
		return c.diff(args[1:])
	case "preview":
		return c.preview(args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(c.stdout, usage)
		return 0
	}
	fmt.Fprintf(c.stderr, "branding: unknown command %q\n%s", args[0], usage)
	return 2
}

// parse parses a subcommand's flags; ok is false when the caller should return code.
func (c *cli) parse(fs *flag.FlagSet, args []string) (code int, ok bool) {
	fs.SetOutput(c.stderr)
	fs.Usage = func() { fmt.Fprint(c.stderr, usage) }
	switch err := fs.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		return 0, false
	case err != nil:
		return 2, false
	}
	return 0, true
}
