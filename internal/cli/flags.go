package cli

import (
	"flag"
	"fmt"
	"io"
)

// IsSet reports whether the flag name was on the command line.
func IsSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// formerName is a flag's old name, kept so that scripts written for it keep working.
type formerName struct {
	flag.Value // the new flag's
	newName    string
}

// IsBoolFlag lets a renamed bool flag go without a value, like the flag it stands for.
func (f *formerName) IsBoolFlag() bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// Renamed keeps oldName, the former name of the flag newName (declared before), working as
// newName: hidden from -h, and a run that uses it is told to use newName.
func Renamed(fs *flag.FlagSet, oldName, newName string) {
	f := fs.Lookup(newName)
	if f == nil {
		panic("cli.Renamed: declare -" + newName + " first")
	}
	fs.Var(&formerName{Value: f.Value, newName: newName}, oldName, "former name of -"+newName)
}

// noteFormerNames tells the user which old flag names the run used.
func (p *Program) noteFormerNames(cmd Command, fs *flag.FlagSet) {
	fs.Visit(func(f *flag.Flag) {
		if former, ok := f.Value.(*formerName); ok {
			fmt.Fprintf(p.Stderr, "%s: note: -%s is now -%s; the old name will go\n", p.title(cmd), f.Name, former.newName)
		}
	})
}

// printFlags lists the flags as the flag package does, without the former names.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	shown := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	fs.VisitAll(func(f *flag.Flag) {
		if _, former := f.Value.(*formerName); former {
			return
		}
		shown.Var(f.Value, f.Name, f.Usage)
		// The default as declared, not the value a flag before -h gave it.
		shown.Lookup(f.Name).DefValue = f.DefValue
	})
	shown.SetOutput(w)
	shown.PrintDefaults()
}
