package stacks_test

import (
	"flag"
	"os"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/cdktest"
	"github.com/cognito-apigw/cognito-apigw/stacks"
)

// The tests of the stacks on cdk.json's stages (cdk-nag, the user pool pins, warnings, bad
// inputs, the sign-in stage, the local gateway's routing, operations) build the app from
// cdk.json in the project root, as `cdk synth` does, and synthesize each stage once per test
// binary. They skip bundling (bundling_test.go builds the Lambdas) and aws-cdk-lib's
// CloudFormation validation, whose engine takes seconds to start in each process: the root
// package's app_test.go synthesizes cdk.json's stages with it (and .ci/run's `cdk synth` of
// every stage runs it), and the stacks built from explicit props here would only get
// warnings from it, which no test reads (their context lacks cdk.json's
// @aws-cdk/core:validateAgainstDefaultRules).
var project = &cdktest.App{Dir: "..", NoValidation: true}

func TestMain(m *testing.M) { os.Exit(project.Main(m, buildLambdaTwice, buildPreSignUp)) }

var update = flag.Bool("update", false, "rewrite testdata/user-pool-pins.json from the synthesized templates")

// newTestApp builds the app with cdk.json's context plus extra keys, the way `cdk synth -c`
// would, without bundling the Lambda.
func newTestApp(t *testing.T, extra map[string]any) (*stacks.Stage, error) {
	return project.New(t, extra)
}

// stage is the stage name of cdk.json, synthesized once per test binary.
func stage(t *testing.T, name string) *cdktest.Synthesized { return project.Stage(t, name) }
