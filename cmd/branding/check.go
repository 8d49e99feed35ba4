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
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{"branding/style.json"}
	}

	problems, bad, assets, largest := 0, 0, 0, 0
	for _, file := range files {
		var s *branding.Style
		var err error
		if *root != "" {
			s, err = branding.LoadWithRoot(file, *root)
		} else {
			s, err = branding.Load(file)
		}
		var berr *branding.Error
		switch {
		case errors.As(err, &berr):
			for _, p := range berr.Problems {
				fmt.Fprintln(c.stderr, p)
			}
			problems += len(berr.Problems)
			bad++
		case err != nil:
			fmt.Fprintf(c.stderr, "%s: %v\n", file, err)
			problems++
			bad++
		default:
			assets += len(s.Assets)
			largest = max(largest, s.EncodedSize())
		}
	}
	if problems > 0 {
		fmt.Fprintf(c.stderr, "%s in %s\n", plural(problems, "problem"), plural(bad, "file"))
		return 1
	}
	fmt.Fprintf(c.stdout, "OK: %s, %s; largest style %d bytes of the %d-byte budget\n",
		plural(len(files), "branding file"), plural(assets, "asset"), largest, branding.TemplateBudget)
	return 0
}

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
