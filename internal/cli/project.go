package cli

import (
	"flag"
	"os"

	"github.com/cognito-apigw/cognito-apigw/internal/cdkjson"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
)

// Project holds the flags that say which project, stage and deploy a command works with, the
// same in every CLI:
//
//	-cdk-json FILE  the project settings (default cdk.json, in the project root)
//	-stage NAME     the stage in them (default dev)
//	-outputs FILE   the stack outputs of a deploy, or of authctl setup-local (default
//	                cdk-outputs.json, the file the deploy command in docs/deploy.md writes)
type Project struct {
	CDKJSON, Stage, Outputs string

	// Unread says why Outputs returned empty outputs for the default file (missing, or
	// without the stage), for messages about a value nothing gave; nil once the file was read.
	Unread error

	fs *flag.FlagSet
}

// Declare declares -cdk-json, -stage and -outputs on fs.
func (p *Project) Declare(fs *flag.FlagSet) {
	p.fs = fs
	fs.StringVar(&p.CDKJSON, "cdk-json", cdkjson.DefaultPath, "project settings `file`")
	fs.StringVar(&p.Stage, "stage", config.DefaultStage, "`stage` in the project settings")
	fs.StringVar(&p.Outputs, "outputs", outputs.DefaultFile, "stack outputs `file` of `cdk deploy --outputs-file`, or of authctl setup-local")
}

// Config loads the stage's settings from the project settings file.
func (p *Project) Config() (config.Config, error) {
	cfg, err := cdkjson.Load(p.CDKJSON, p.Stage)
	if err != nil {
		return config.Config{}, Usagef("%v", err)
	}
	return cfg, nil
}

// OutputsGiven reports whether -outputs was on the command line.
func (p *Project) OutputsGiven() bool {
	return IsSet(p.fs, "outputs")
}

// OutputsFound reports whether there is an outputs file to read: one named with -outputs, or
// the default one where the command runs.
func (p *Project) OutputsFound() bool {
	if p.OutputsGiven() {
		return true
	}
	_, err := os.Stat(p.Outputs)
	return err == nil
}

// ReadOutputs reads cfg's stage from the outputs file. A file named with -outputs must hold
// it (else a usage error). The default file may be missing or hold another stage, since flags
// may give every value: then the outputs are empty and Unread says why.
func (p *Project) ReadOutputs(cfg config.Config) (outputs.Stage, error) {
	out, err := outputs.Read(p.Outputs, cfg.AppName, cfg.StageName)
	p.Unread = err
	if err != nil && p.OutputsGiven() {
		return outputs.Stage{}, Usagef("-outputs: %v", err)
	}
	return out, nil
}

// RequireOutputs is ReadOutputs for a command with no other source of the values: the
// default file must be there too.
func (p *Project) RequireOutputs(cfg config.Config) (outputs.Stage, error) {
	out, err := p.ReadOutputs(cfg)
	if err == nil && p.Unread != nil {
		err = Usagef("-outputs: %v", p.Unread)
	}
	return out, err
}
