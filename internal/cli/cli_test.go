package cli

import (
	"context"
	"errors"
	"flag"
	"strings"
	"testing"
)

// toy is a CLI with one command of each kind the kit knows, run as a user would.
func toy(got *[]string) *Program {
	return &Program{Name: "toy", About: "Toys for the kit's tests.", Commands: []Command{
		{
			Name: "echo", Summary: "print the words", Usage: "[-upper] WORD...",
			Flags: func(fs *flag.FlagSet) Run {
				upper := fs.Bool("upper", false, "print in capitals")
				fs.String("color", "", "former `colour` flag")
				Renamed(fs, "colour", "color")
				return func(_ context.Context, args []string) error {
					for _, a := range args {
						if *upper {
							a = strings.ToUpper(a)
						}
						*got = append(*got, a)
					}
					return nil
				}
			},
			Args: AnyArgs,
		},
		{
			Name: "fail", Summary: "fail as told", Usage: "-how error|usage|panic|exit",
			Flags: func(fs *flag.FlagSet) Run {
				how := fs.String("how", "error", "`how` to fail")
				return func(context.Context, []string) error { return failAs(*how) }
			},
		},
		{
			Name: "diff", Summary: "1 means they differ", Usage: "-how error|usage|panic|exit",
			Doc: "Exits 0 when they match, 1 when they differ, 2 when it cannot compare.",
			Flags: func(fs *flag.FlagSet) Run {
				how := fs.String("how", "exit", "`how` to end")
				return func(context.Context, []string) error { return failAs(*how) }
			},
			FailCode: BadUsage,
		},
		{
			Name: "call", Summary: "take one path, flags on either side", Usage: "[-v] PATH",
			Flags: func(fs *flag.FlagSet) Run {
				v := fs.Bool("v", false, "verbose")
				return func(_ context.Context, args []string) error {
					*got = append(*got, args...)
					if *v {
						*got = append(*got, "verbose")
					}
					return nil
				}
			},
			Args: 1, FlagsAfterArgs: true,
		},
	}}
}

func failAs(how string) error {
	switch how {
	case "usage":
		return Usagef("-how %q: a usage error", how)
	case "panic":
		panic("a bug")
	case "exit":
		return Exit(1)
	}
	return errors.New("it broke")
}

// runToy runs the toy CLI and returns its exit code, stdout and stderr.
func runToy(t *testing.T, args ...string) (code int, stdout, stderr string, got []string) {
	t.Helper()
	var out, errOut strings.Builder
	p := toy(&got)
	p.Stdout, p.Stderr = &out, &errOut
	code = p.Run(context.Background(), args)
	if strings.Contains(errOut.String(), "goroutine ") {
		t.Errorf("%v: a Go stack trace:\n%s", args, errOut.String())
	}
	return code, out.String(), errOut.String(), got
}

func TestDispatch(t *testing.T) {
	code, stdout, stderr, got := runToy(t, "echo", "-upper", "a", "b")
	if code != Done || stdout != "" || stderr != "" || strings.Join(got, " ") != "A B" {
		t.Errorf("echo: exit %d, stdout %q, stderr %q, ran with %v", code, stdout, stderr, got)
	}
	// Flags after the argument, and "--" ending them.
	if code, _, stderr, got := runToy(t, "call", "/items", "-v"); code != Done || strings.Join(got, " ") != "/items verbose" {
		t.Errorf("call /items -v: exit %d, %v, %s", code, got, stderr)
	}
	if code, _, stderr, _ := runToy(t, "call", "/a", "/b"); code != BadUsage || !strings.Contains(stderr, `toy call: unexpected argument "/b"`) {
		t.Errorf("call /a /b: exit %d, %s", code, stderr)
	}
	if code, _, _, got := runToy(t, "call", "--", "-v"); code != Done || strings.Join(got, " ") != "-v" {
		t.Errorf("call -- -v: exit %d, ran with %v", code, got)
	}
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{nil, BadUsage, "", "Usage: toy COMMAND [flags]"},
		{[]string{"help"}, Done, "  toy echo  print the words\n", ""},
		{[]string{"-h"}, Done, "Toys for the kit's tests.", ""},
		{[]string{"--help"}, Done, `Run "toy COMMAND -h" for a command's usage and flags.`, ""},
		{[]string{"ehco"}, BadUsage, "", "toy: unknown command \"ehco\"; did you mean \"echo\"?\n\nUsage: toy COMMAND"},
		{[]string{"help", "nope"}, BadUsage, "", `toy: unknown command "nope"`},
	} {
		code, stdout, stderr, _ := runToy(t, tc.args...)
		if code != tc.code || !strings.Contains(stdout, tc.stdout) || !strings.Contains(stderr, tc.stderr) ||
			(tc.stdout == "") != (stdout == "") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d, %q and %q", tc.args, code, stdout, stderr, tc.code, tc.stdout, tc.stderr)
		}
	}
}

// -h shows the command's usage line, what it does and its flags, but not a former name.
func TestCommandHelp(t *testing.T) {
	code, stdout, stderr, got := runToy(t, "echo", "-h")
	want := "Usage: toy echo [-upper] WORD...\n\nprint the words\n\nFlags:\n  -color colour\n    \tformer colour flag\n  -upper\n    \tprint in capitals\n"
	if code != Done || stdout != "" || stderr != want || got != nil {
		t.Errorf("echo -h: exit %d, stdout %q, ran %v, stderr:\n%s\nwant:\n%s", code, stdout, got, stderr, want)
	}
	_, stdout, _, _ = runToy(t, "help", "diff")
	if !strings.HasPrefix(stdout, "Usage: toy diff -how") || !strings.Contains(stdout, "1 when they differ, 2 when it cannot compare.\n\nFlags:\n  -how how\n") {
		t.Errorf("help diff:\n%s", stdout)
	}
	// Flags given before -h do not change the defaults shown.
	if _, _, stderr, _ := runToy(t, "fail", "-how", "panic", "-h"); !strings.Contains(stderr, `(default "error")`) {
		t.Errorf("fail -how panic -h:\n%s", stderr)
	}
}

func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"fail", "-how", "error"}, Failed, "toy fail: it broke\n"},
		{[]string{"fail", "-how", "usage"}, BadUsage, "toy fail: -how \"usage\": a usage error\nRun \"toy fail -h\" for help.\n"},
		{[]string{"fail", "-how", "exit"}, Failed, ""},
		{[]string{"fail", "-how", "panic"}, Failed, "toy fail: internal error: a bug\n"},
		{[]string{"fail", "-hwo", "usage"}, BadUsage, "toy fail: flag provided but not defined: -hwo; did you mean -how?\nRun \"toy fail -h\" for help.\n"},
		{[]string{"fail", "-how"}, BadUsage, "toy fail: flag needs an argument: -how\nRun \"toy fail -h\" for help.\n"},
		{[]string{"fail", "stray"}, BadUsage, "toy fail: unexpected argument \"stray\"\nRun \"toy fail -h\" for help.\n"},
		// diff's table row says a failure is 2, so that 1 can mean "they differ".
		{[]string{"diff", "-how", "exit"}, 1, ""},
		{[]string{"diff", "-how", "error"}, BadUsage, "toy diff: it broke\n"},
		{[]string{"diff", "-how", "panic"}, BadUsage, "toy diff: internal error: a bug\n"},
		{[]string{"diff", "-how", "usage"}, BadUsage, "toy diff: -how \"usage\": a usage error\nRun \"toy diff -h\" for help.\n"},
	} {
		code, stdout, stderr, _ := runToy(t, tc.args...)
		if code != tc.code || stdout != "" || stderr != tc.stderr {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d and %q", tc.args, code, stdout, stderr, tc.code, tc.stderr)
		}
	}
}

// A flag's former name still works, says the new one, and is not suggested or listed.
func TestRenamed(t *testing.T) {
	var color string
	p := &Program{Name: "toy", Commands: []Command{{
		Name: "paint",
		Flags: func(fs *flag.FlagSet) Run {
			fs.StringVar(&color, "color", "", "`colour` to paint with")
			Renamed(fs, "colour", "color")
			return func(context.Context, []string) error { return nil }
		},
	}}}
	var stderr strings.Builder
	p.Stdout, p.Stderr = &stderr, &stderr
	code := p.Run(context.Background(), []string{"paint", "-colour", "red"})
	if code != Done || color != "red" || stderr.String() != "toy paint: note: -colour is now -color; the old name will go\n" {
		t.Errorf("exit %d, color %q, stderr %q", code, color, stderr.String())
	}
	stderr.Reset()
	p.Run(context.Background(), []string{"paint", "-h"})
	if strings.Contains(stderr.String(), "-colour") {
		t.Errorf("-h lists the former name:\n%s", stderr.String())
	}
}

// A CLI that is one command takes its flags straight after its name, and its messages name
// only the CLI.
func TestSingleCommand(t *testing.T) {
	var out string
	var stderr strings.Builder
	p := &Program{Name: "solo", Stdout: &stderr, Stderr: &stderr, Commands: []Command{{
		Summary: "Writes a document.", Usage: "-out FILE",
		Flags: func(fs *flag.FlagSet) Run {
			fs.StringVar(&out, "out", "", "`file` to write")
			return func(context.Context, []string) error {
				if out == "" {
					return Usagef("-out is required")
				}
				return nil
			}
		},
	}}}
	if code := p.Run(context.Background(), []string{"-out", "doc.json"}); code != Done || out != "doc.json" {
		t.Errorf("exit %d, -out %q", code, out)
	}
	out = ""
	if code := p.Run(context.Background(), nil); code != BadUsage || stderr.String() != "solo: -out is required\nRun \"solo -h\" for help.\n" {
		t.Errorf("no -out: exit %d, %q", code, stderr.String())
	}
	stderr.Reset()
	if code := p.Run(context.Background(), []string{"-h"}); code != Done || !strings.HasPrefix(stderr.String(), "Usage: solo -out FILE\n\nWrites a document.\n") {
		t.Errorf("-h: exit %d, %q", code, stderr.String())
	}
}
