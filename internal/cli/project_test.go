package cli

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
)

// withProject runs a command that reads the project's stage and outputs, as a CLI would.
func withProject(t *testing.T, args []string, read func(*Project, config.Config) (outputs.Stage, error)) (code int, out outputs.Stage, p *Project, stderr string) {
	t.Helper()
	p = &Project{}
	var errOut strings.Builder
	prog := &Program{Name: "toy", Stdout: &errOut, Stderr: &errOut, Commands: []Command{{
		Flags: func(fs *flag.FlagSet) Run {
			p.Declare(fs)
			return func(context.Context, []string) error {
				cfg, err := p.Config()
				if err != nil {
					return err
				}
				out, err = read(p, cfg)
				return err
			}
		},
	}}}
	code = prog.Run(context.Background(), args)
	return code, out, p, errOut.String()
}

func TestProjectFlags(t *testing.T) {
	cdkJSON, err := filepath.Abs("../../cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "outputs.json")
	b, _ := outputs.Marshal("demo-api", "dev", outputs.Stage{UserPoolID: "pool1", ClientID: "client1"})
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir) // where no cdk-outputs.json is

	read := (*Project).ReadOutputs
	code, out, _, stderr := withProject(t, []string{"-cdk-json", cdkJSON, "-outputs", file}, read)
	if code != Done || out.UserPoolID != "pool1" {
		t.Errorf("named file: exit %d, %+v, %s", code, out, stderr)
	}

	// The default file may be missing: flags may give every value. Unread says why.
	code, out, p, stderr := withProject(t, []string{"-cdk-json", cdkJSON}, read)
	if code != Done || out != (outputs.Stage{}) || p.Outputs != "cdk-outputs.json" || p.OutputsGiven() || p.OutputsFound() ||
		p.Unread == nil || !strings.Contains(p.Unread.Error(), "outputs file cdk-outputs.json does not exist") {
		t.Errorf("default file missing: exit %d, %+v, unread %v, %s", code, out, p.Unread, stderr)
	}

	for _, tc := range []struct {
		name string
		args []string
		read func(*Project, config.Config) (outputs.Stage, error)
		want string
	}{
		{"named file missing", []string{"-cdk-json", cdkJSON, "-outputs", "none.json"}, read, "toy: -outputs: outputs file none.json does not exist"},
		{"named file of another stage", []string{"-cdk-json", cdkJSON, "-stage", "prod", "-outputs", file}, read, "toy: -outputs: outputs file " + file + ": no such stack in the outputs file: want demo-api-prod-auth"},
		{"required default missing", []string{"-cdk-json", cdkJSON}, (*Project).RequireOutputs, "toy: -outputs: outputs file cdk-outputs.json does not exist"},
		{"no cdk.json", []string{"-cdk-json", "none.json"}, read, "toy: the project settings none.json do not exist"},
		{"unknown stage", []string{"-cdk-json", cdkJSON, "-stage", "qa"}, read, "want one of the stages in cdk.json: dev, prod"},
	} {
		code, _, _, stderr := withProject(t, tc.args, tc.read)
		if code != BadUsage || !strings.Contains(stderr, tc.want) || !strings.HasSuffix(stderr, "Run \"toy -h\" for help.\n") {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q", tc.name, code, stderr, tc.want)
		}
	}

	// The default file, once there, is read.
	if err := os.Rename(file, "cdk-outputs.json"); err != nil {
		t.Fatal(err)
	}
	code, out, p, _ = withProject(t, []string{"-cdk-json", cdkJSON}, (*Project).RequireOutputs)
	if code != Done || out.ClientID != "client1" || !p.OutputsFound() || p.Unread != nil {
		t.Errorf("default file: exit %d, %+v, unread %v", code, out, p.Unread)
	}
}

func TestIsSet(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.String("a", "default", "")
	fs.String("b", "", "")
	if err := fs.Parse([]string{"-a", "default"}); err != nil {
		t.Fatal(err)
	}
	if !IsSet(fs, "a") || IsSet(fs, "b") {
		t.Error("IsSet: want a (given, even with its default) and not b")
	}
	if !errors.Is(Usagef("wrapped: %w", flag.ErrHelp), flag.ErrHelp) {
		t.Error("Usagef does not wrap with %w")
	}
}
