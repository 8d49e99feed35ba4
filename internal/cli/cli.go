// Package cli is the kit the project's commands (cmd/authctl, cmd/local, cmd/branding,
// cmd/apidoc) are built with, so that they behave alike: one table of commands per CLI drives
// dispatch, the CLI's usage and each command's -h; one rule turns a run into an exit code and
// an error into a line; and the project flags (-cdk-json, -stage, -outputs) are declared and
// loaded in one place (project.go).
//
// Exit codes: 0 done, 1 failed, 2 bad usage (an unknown command, a flag error, or an error
// made with Usagef). A command whose 1 means something else declares its failure code in the
// table (branding diff: 1 when the styles differ, 2 when it cannot compare).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/cognito-apigw/cognito-apigw/internal/suggest"
)

// Exit codes of every command.
const (
	Done     = 0
	Failed   = 1
	BadUsage = 2
)

// Run runs a command once its flags are parsed; args are what follows the flags.
type Run func(ctx context.Context, args []string) error

// Command is one row of a CLI's command table.
type Command struct {
	// Name is what the user types after the CLI's name; "" for a CLI that is a single
	// command (apidoc, local), which then takes its flags straight after the CLI's name.
	Name string
	// Summary is one line, for the CLI's list of commands and for -h.
	Summary string
	// Usage follows "<cli> <name>" on the usage line: "-email EMAIL [-format json|env]". A
	// command with several forms puts each on a line of its own.
	Usage string
	// Doc, if set, is more for -h: what the command does in detail, what its exit codes mean.
	Doc string
	// Flags declares the command's flags on fs and returns what runs once they are parsed. It
	// is called for -h too, so that -h lists the flags.
	Flags func(fs *flag.FlagSet) Run
	// Args is how many arguments the command takes after its flags; more is bad usage.
	// AnyArgs leaves them to the command.
	Args int
	// FlagsAfterArgs lets flags follow the arguments too: authctl call /items -access.
	FlagsAfterArgs bool
	// FailCode, if not 0, is the exit code of a failed run (an error or a panic) in place of 1,
	// for a command whose 1 means something else (branding diff: "they differ").
	FailCode int
}

// AnyArgs is Command.Args for a command that checks its arguments itself.
const AnyArgs = -1

// Program is one CLI: its name and its command table.
type Program struct {
	Name     string
	Commands []Command
	// About, if set, follows the list of commands in the CLI's usage.
	About          string
	Stdout, Stderr io.Writer
}

// Main runs a CLI with the process's arguments until it returns or SIGINT or SIGTERM cancels
// its context, and exits with its code.
func Main(run func(ctx context.Context, args []string) int) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// Run dispatches args to a command and returns the exit code.
func (p *Program) Run(ctx context.Context, args []string) int {
	if p.single() {
		return p.run(ctx, p.Commands[0], args)
	}
	if len(args) == 0 {
		p.usage(p.Stderr)
		return BadUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		return p.help(args[1:])
	}
	cmd, ok := p.lookup(name)
	if !ok {
		p.unknown(name)
		return BadUsage
	}
	return p.run(ctx, cmd, args[1:])
}

// single reports whether the CLI is one command, with no command name to type.
func (p *Program) single() bool {
	return len(p.Commands) == 1 && p.Commands[0].Name == ""
}

func (p *Program) lookup(name string) (Command, bool) {
	for _, c := range p.Commands {
		if c.Name == name {
			return c, true
		}
	}
	return Command{}, false
}

// help prints the CLI's usage, or with a command's name that command's -h, on stdout: asked
// for, it is the output.
func (p *Program) help(args []string) int {
	if len(args) == 0 {
		p.usage(p.Stdout)
		return Done
	}
	cmd, ok := p.lookup(args[0])
	if !ok {
		p.unknown(args[0])
		return BadUsage
	}
	fs, _ := p.declare(cmd)
	p.commandHelp(p.Stdout, cmd, fs)
	return Done
}

// unknown says that name is no command, suggests the one meant, and lists them all.
func (p *Program) unknown(name string) {
	var names []string
	for _, c := range p.Commands {
		names = append(names, c.Name)
	}
	hint := ""
	if s := suggest.Closest(name, names); s != "" {
		hint = fmt.Sprintf("; did you mean %q?", s)
	}
	fmt.Fprintf(p.Stderr, "%s: unknown command %q%s\n\n", p.Name, name, hint)
	p.usage(p.Stderr)
}

// usage lists the commands as they are typed, each with its summary.
func (p *Program) usage(w io.Writer) {
	width := 0
	for _, c := range p.Commands {
		width = max(width, len(p.title(c)))
	}
	fmt.Fprintf(w, "Usage: %s COMMAND [flags]\n\nCommands:\n", p.Name)
	for _, c := range p.Commands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, p.title(c), c.Summary)
	}
	if p.About != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(p.About))
	}
	fmt.Fprintf(w, "\nRun \"%s COMMAND -h\" for a command's usage and flags.\n", p.Name)
}

// title is how messages name a command: "authctl tokens", or "apidoc" for a single command.
func (p *Program) title(cmd Command) string {
	if cmd.Name == "" {
		return p.Name
	}
	return p.Name + " " + cmd.Name
}

// declare makes the command's flag set and declares its flags on it.
func (p *Program) declare(cmd Command) (*flag.FlagSet, Run) {
	fs := flag.NewFlagSet(p.title(cmd), flag.ContinueOnError)
	// The flag package's own printing is replaced: errors become one line with a hint, and -h
	// is printed by commandHelp.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs, cmd.Flags(fs)
}

// commandHelp prints a command's usage lines, what it does, and its flags.
func (p *Program) commandHelp(w io.Writer, cmd Command, fs *flag.FlagSet) {
	for i, form := range strings.Split(strings.TrimSpace(cmd.Usage), "\n") {
		lead := "Usage:"
		if i > 0 {
			lead = "      "
		}
		fmt.Fprintf(w, "%s %s %s\n", lead, p.title(cmd), strings.TrimSpace(form))
	}
	if cmd.Summary != "" {
		fmt.Fprintf(w, "\n%s\n", cmd.Summary)
	}
	if cmd.Doc != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(cmd.Doc))
	}
	fmt.Fprint(w, "\nFlags:\n")
	printFlags(w, fs)
}

// run parses the command's flags, runs it, and turns the outcome into an exit code. A panic
// is reported as one line: a bug must not greet the user with a Go stack trace.
func (p *Program) run(ctx context.Context, cmd Command, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(p.Stderr, "%s: internal error: %v\n", p.title(cmd), r)
			code = failCode(cmd)
		}
	}()
	fs, run := p.declare(cmd)
	args, err := parse(fs, args, cmd.FlagsAfterArgs)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			p.commandHelp(p.Stderr, cmd, fs)
			return Done
		}
		return p.exitCode(cmd, Usagef("%v%s", err, flagHint(err, fs)))
	}
	p.noteFormerNames(cmd, fs)
	if cmd.Args != AnyArgs && len(args) > cmd.Args {
		return p.exitCode(cmd, Usagef("unexpected argument %q", args[cmd.Args]))
	}
	return p.exitCode(cmd, run(ctx, args))
}

// parse parses the flags and returns the arguments. With afterArgs it goes on parsing after
// each argument, up to a "--".
func parse(fs *flag.FlagSet, args []string, afterArgs bool) ([]string, error) {
	var kept []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		left := fs.Args()
		if !afterArgs || len(left) == 0 {
			return append(kept, left...), nil
		}
		if len(args) > len(left) && args[len(args)-len(left)-1] == "--" {
			return append(kept, left...), nil
		}
		kept, args = append(kept, left[0]), left[1:]
	}
}

// exitCode prints err, if any, as "<cli> <command>: <message>" and says what it means.
func (p *Program) exitCode(cmd Command, err error) int {
	var exit exitError
	var usage *usageError
	switch {
	case err == nil:
		return Done
	case errors.As(err, &exit):
		return int(exit)
	case errors.As(err, &usage):
		fmt.Fprintf(p.Stderr, "%s: %v\nRun \"%s -h\" for help.\n", p.title(cmd), err, p.title(cmd))
		return BadUsage
	}
	fmt.Fprintf(p.Stderr, "%s: %v\n", p.title(cmd), err)
	return failCode(cmd)
}

func failCode(cmd Command) int {
	if cmd.FailCode != 0 {
		return cmd.FailCode
	}
	return Failed
}

// usageError is a mistake in how a command was called: exit 2, with a pointer to -h.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// Usagef makes an error of the command's usage (a flag value, a missing flag, an argument):
// the run exits 2, and the message ends with how to get help. %w wraps as in fmt.Errorf.
func Usagef(format string, a ...any) error {
	return &usageError{fmt.Errorf(format, a...)}
}

// exitError ends a run with its code and no message.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// Exit ends a run with code and prints nothing more, for a command that has reported its
// result itself: branding check's problems (1), branding diff's differences (1).
func Exit(code int) error {
	return exitError(code)
}

// flagHint suggests the flag meant when err is about an unknown one.
func flagHint(err error, fs *flag.FlagSet) string {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return ""
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) {
		if _, former := f.Value.(*formerName); !former {
			names = append(names, f.Name)
		}
	})
	if s := suggest.Closest(strings.TrimLeft(name, "-"), names); s != "" {
		return fmt.Sprintf("; did you mean -%s?", s)
	}
	return ""
}
