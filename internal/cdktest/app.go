package cdktest

import (
	"encoding/json"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/cognito-apigw/cognito-apigw/internal/cdkjson"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/stacks"
)

// App builds the project's CDK app inside a test binary the way `cdk synth` does: cdk.json's
// context plus the keys a test adds (as -c adds them), the stacks of stacks.NewStage, and
// cdk-nag's AwsSolutions checks as an aspect. It never bundles the Lambdas
// (aws:cdk:bundling-stacks is empty; stacks/bundling_test.go tests the build). Every synthesis
// costs seconds of jsii, so each stage of cdk.json is synthesized once per test binary (Stage)
// and its templates are shared by the tests.
//
// jsii-runtime-go is not safe for concurrent use: tests that call into the CDK must not run in
// parallel with each other.
type App struct {
	// Dir is the project directory, relative to the test's package: cdk.json, go.mod and the
	// branding files.
	Dir string
	// NoValidation turns off the CloudFormation validation that aws-cdk-lib runs at every
	// synthesis: its rule engine takes seconds to start in each process. The root package's
	// tests keep it, as `cdk synth` does (cdk.json's @aws-cdk/core:validateAgainstDefaultRules
	// makes its findings errors); a package that synthesizes the same stages again sets this.
	NoValidation bool

	mu       sync.Mutex
	outdir   string
	stages   map[string]*stageOnce
	explicit map[string]*Synthesized
	exe      exeOnce
}

// Synthesized is one stage of cdk.json, synthesized: its stacks and their templates, as CDK
// assertions and as plain JSON.
type Synthesized struct {
	Built             *stacks.Stage
	Auth, API         assertions.Template
	AuthJSON, APIJSON map[string]any
	// Alarms and AlarmsJSON are nil on a stage without alarms.
	Alarms     assertions.Template
	AlarmsJSON map[string]any
}

// BuildStacks adds the stacks of cfg to app from explicit props through
// stacks.AddStageStacks, as stacks.NewStage adds a stage of cdk.json: auth, API, and alarms
// where they are on (no branding, no CI stack), with the ids auth, api and alarms, placed in
// env (nil: environment-agnostic), with the SAML metadata files read from dir. Call it
// inside NoPanic: the CDK reports some problems by panicking.
func BuildStacks(app awscdk.App, cfg config.Config, dir string, env *awscdk.Environment) (*stacks.Stage, error) {
	saml, err := cfg.SAMLMetadata(dir)
	if err != nil {
		return nil, err
	}
	props := awscdk.StackProps{Env: env}
	return stacks.AddStageStacks(app, cfg, stacks.StageStacks{
		Auth: stacks.StackOf{ID: "auth", Props: props}, API: stacks.StackOf{ID: "api", Props: props},
		Alarms: stacks.StackOf{ID: "alarms", Props: props}, SAML: saml, ModuleDir: dir,
	}), nil
}

// Explicit is cfg's stacks built from explicit props (BuildStacks) in an app of their own and
// synthesized, once per configuration per test binary: several tables start from the same
// stage, and every synthesis costs jsii time.
func (a *App) Explicit(t testing.TB, cfg config.Config) *Synthesized {
	t.Helper()
	if problems := cfg.Validate(); len(problems) > 0 {
		t.Fatalf("the test's configuration is invalid: %v", problems)
	}
	key, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a.mu.Lock()
	if a.explicit == nil {
		a.explicit = map[string]*Synthesized{}
	}
	s := a.explicit[string(key)]
	a.mu.Unlock()
	if s != nil {
		return s
	}
	app := a.NewCDKApp(t, nil)
	var st *stacks.Stage
	NoPanic(t, func() { st, err = BuildStacks(app, cfg, a.Dir, nil) })
	if err != nil {
		t.Fatal(err)
	}
	s = synthesized(t, st)
	a.mu.Lock()
	a.explicit[string(key)] = s
	a.mu.Unlock()
	return s
}

// synthesized synthesizes st's app and reads its stacks' templates.
func synthesized(t testing.TB, st *stacks.Stage) *Synthesized {
	t.Helper()
	s := &Synthesized{Built: st}
	NoPanic(t, func() {
		s.Auth = assertions.Template_FromStack(st.Auth.Stack, nil)
		s.API = assertions.Template_FromStack(st.API.Stack, nil)
		if st.Alarms != nil {
			s.Alarms = assertions.Template_FromStack(st.Alarms.Stack, nil)
		}
	})
	s.AuthJSON, s.APIJSON = ToMap(s.Auth), ToMap(s.API)
	if s.Alarms != nil {
		s.AlarmsJSON = ToMap(s.Alarms)
	}
	return s
}

type stageOnce struct {
	once sync.Once
	s    *Synthesized
	err  error
}

// Main runs the package's tests with m and removes what the app and its jobs wrote. It first
// starts the background work early (CLI runs, builds) that the tests selected by -run wait for,
// so that it runs while the tests that synthesize in this process do; in -short mode, where
// those tests skip, it starts none. Call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(app.Main(m)) }
func (a *App) Main(m *testing.M, early ...Background) int {
	flag.Parse()
	for _, b := range early {
		if j := b.job(); !testing.Short() && slices.ContainsFunc(j.tests, selected) {
			j.Start()
		}
	}
	code := m.Run()
	for _, b := range early {
		b.job().wait()
	}
	a.mu.Lock()
	if a.outdir != "" {
		os.RemoveAll(a.outdir)
	}
	a.mu.Unlock()
	return code
}

// dir makes a new directory for one synthesis under the test binary's output directory. Not
// t.TempDir(): the assertions may synthesize a shared stage again after its first test ended.
func (a *App) dir(t testing.TB, pattern string) string {
	t.Helper()
	dir, err := a.mkdir(pattern)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// mkdir makes a new directory under the test binary's output directory, which Main removes.
func (a *App) mkdir(pattern string) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.outdir == "" {
		dir, err := os.MkdirTemp("", "cdktest-")
		if err != nil {
			return "", err
		}
		a.outdir = dir
	}
	return os.MkdirTemp(a.outdir, pattern)
}

// Context is the "context" object of cdk.json, the configuration users edit: a new copy each
// call.
func (a *App) Context(t testing.TB) map[string]any {
	t.Helper()
	ctx, err := cdkjson.ReadContext(a.path("cdk.json"))
	if err != nil {
		t.Fatal(err)
	}
	return ctx
}

// EditedStages is a deep copy of cdk.json's stages with the stage name changed by edit.
func (a *App) EditedStages(t testing.TB, name string, edit func(stage map[string]any)) map[string]any {
	t.Helper()
	b, _ := json.Marshal(a.Context(t)["stages"])
	var stages map[string]any
	if err := json.Unmarshal(b, &stages); err != nil {
		t.Fatal(err)
	}
	stage, ok := stages[name].(map[string]any)
	if !ok {
		t.Fatalf("cdk.json has no stage %s", name)
	}
	edit(stage)
	return stages
}

// NewCDKApp is an app with the context ctx (nil for none) and a's validation setting, writing
// into a directory of its own. Like every app of the tests, it never bundles the Lambdas: its
// context also has an empty aws:cdk:bundling-stacks. Nothing is added to it.
func (a *App) NewCDKApp(t testing.TB, ctx map[string]any) awscdk.App {
	t.Helper()
	ctx = maps.Clone(ctx)
	if ctx == nil {
		ctx = map[string]any{}
	}
	ctx["aws:cdk:bundling-stacks"] = []any{}
	var app awscdk.App
	NoPanic(t, func() {
		app = awscdk.NewApp(&awscdk.AppProps{
			Context:                         &ctx,
			Outdir:                          jsii.String(a.dir(t, "synth-")),
			BuiltinCloudFormationValidation: jsii.Bool(!a.NoValidation),
		})
	})
	return app
}

// New builds the app from cdk.json's context plus extra, the way `cdk synth -c key=value`
// would, without bundling: the stage's stacks, or every problem with its settings.
func (a *App) New(t testing.TB, extra map[string]any) (*stacks.Stage, error) {
	t.Helper()
	ctx := a.Context(t)
	maps.Copy(ctx, extra)
	app := a.NewCDKApp(t, ctx)
	var built *stacks.Stage
	var err error
	NoPanic(t, func() {
		awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true), Reports: jsii.Bool(false)}), nil)
		built, err = stacks.NewStage(app, a.Dir)
	})
	return built, err
}

// Stage is the stage name of cdk.json, synthesized once per test binary.
func (a *App) Stage(t testing.TB, name string) *Synthesized {
	t.Helper()
	a.mu.Lock()
	if a.stages == nil {
		a.stages = map[string]*stageOnce{}
	}
	o := a.stages[name]
	if o == nil {
		o = &stageOnce{}
		a.stages[name] = o
	}
	a.mu.Unlock()
	o.once.Do(func() {
		st, err := a.New(t, map[string]any{"stage": name})
		if err != nil {
			o.err = err
			return
		}
		o.s = synthesized(t, st)
	})
	if o.err != nil {
		t.Fatalf("stage %s: %v", name, o.err)
	}
	if o.s == nil {
		t.Fatalf("stage %s did not synthesize", name)
	}
	return o.s
}

// path is file in the project directory.
func (a *App) path(file string) string { return filepath.Join(a.Dir, file) }
