package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/cognito-apigw/cognito-apigw/branding"
	"github.com/cognito-apigw/cognito-apigw/internal/cli"
	"github.com/cognito-apigw/cognito-apigw/internal/problem"
)

func (a *app) check(fs *flag.FlagSet) cli.Run {
	root := fs.String("root", "", "directory that asset files must stay in (default: the nearest directory with a go.mod)")
	strict := fs.Bool("strict", false, "treat warnings (keys not in Cognito's default style, values of another type) as problems")
	return func(_ context.Context, files []string) error {
		if len(files) == 0 {
			files = []string{"branding/style.json"}
		}
		return a.checkFiles(files, *root, *strict)
	}
}

// checkFiles prints each file's problems and warnings, then a summary: on stderr with exit 1
// when there are problems, else one OK line on stdout.
func (a *app) checkFiles(files []string, root string, strict bool) error {
	problems, bad, warnings, assets, largest := 0, 0, 0, 0, 0
	for _, file := range files {
		var s *branding.Style
		var err error
		if root != "" {
			s, err = branding.LoadWithRoot(file, root)
		} else {
			s, err = branding.Load(file)
		}
		var berr *branding.Error
		var found, warned problem.List
		switch {
		case errors.As(err, &berr):
			found, warned = berr.Problems, berr.Warnings
		case err != nil:
			fmt.Fprintf(a.stderr, "%s: %v\n", file, err)
			problems++
			bad++
			continue
		default:
			warned = s.Warnings
			assets += len(s.Assets)
			largest = max(largest, s.EncodedSize())
		}
		if strict {
			found, warned = append(found, warned...), nil
		}
		for _, p := range found {
			fmt.Fprintln(a.stderr, p)
		}
		for _, p := range warned {
			fmt.Fprintln(a.stderr, "warning: "+p.String())
		}
		problems += len(found)
		warnings += len(warned)
		if len(found) > 0 {
			bad++
		}
	}
	note := ""
	if warnings > 0 {
		note = fmt.Sprintf("; %s (-strict makes them problems)", plural(warnings, "warning"))
	}
	if problems > 0 {
		fmt.Fprintf(a.stderr, "%s in %s%s\n", plural(problems, "problem"), plural(bad, "file"), note)
		return cli.Exit(cli.Failed)
	}
	fmt.Fprintf(a.stdout, "OK: %s, %s; largest style %d bytes of the %d-byte budget%s\n",
		plural(len(files), "branding file"), plural(assets, "asset"), largest, branding.TemplateBudget, note)
	return nil
}

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
