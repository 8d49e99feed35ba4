package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/cognito-apigw/cognito-apigw/branding"
)

func (c *cli) check(args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	root := fs.String("root", "", "directory that asset files must stay in (default: the nearest directory with a go.mod)")
	strict := fs.Bool("strict", false, "treat warnings (keys not in Cognito's default style, values of another type) as problems")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{"branding/style.json"}
	}

	problems, bad, warnings, assets, largest := 0, 0, 0, 0, 0
	for _, file := range files {
		var s *branding.Style
		var err error
		if *root != "" {
			s, err = branding.LoadWithRoot(file, *root)
		} else {
			s, err = branding.Load(file)
		}
		var berr *branding.Error
		var found, warned []branding.Problem
		switch {
		case errors.As(err, &berr):
			found, warned = berr.Problems, berr.Warnings
		case err != nil:
			fmt.Fprintf(c.stderr, "%s: %v\n", file, err)
			problems++
			bad++
			continue
		default:
			warned = s.Warnings
			assets += len(s.Assets)
			largest = max(largest, s.EncodedSize())
		}
		if *strict {
			found, warned = append(found, warned...), nil
		}
		for _, p := range found {
			fmt.Fprintln(c.stderr, p)
		}
		for _, p := range warned {
			fmt.Fprintln(c.stderr, "warning: "+p.String())
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
		fmt.Fprintf(c.stderr, "%s in %s%s\n", plural(problems, "problem"), plural(bad, "file"), note)
		return 1
	}
	fmt.Fprintf(c.stdout, "OK: %s, %s; largest style %d bytes of the %d-byte budget%s\n",
		plural(len(files), "branding file"), plural(assets, "asset"), largest, branding.TemplateBudget, note)
	return 0
}

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
