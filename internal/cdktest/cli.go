package cdktest

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// Job is work that tests wait for, which App.Main starts before the tests so that it runs
// while they do: a subprocess (the CDK CLI, go build) would otherwise wait its turn behind the
// tests that call into jsii, one at a time.
type Job struct {
	tests []string
	do    func(dir string) error
	app   *App
	once  sync.Once
	done  chan struct{}
	err   error
}

// Job is work for tests, done by do in a directory of its own, which App.Main removes.
// Nothing runs before Start or Wait.
func (a *App) Job(tests []string, do func(dir string) error) *Job {
	return &Job{tests: tests, do: do, app: a}
}

// Start starts the job in the background, once.
func (j *Job) Start() {
	j.once.Do(func() {
		j.done = make(chan struct{})
		go func() {
			defer close(j.done)
			dir, err := j.app.mkdir("job-")
			if err == nil {
				err = j.do(dir)
			}
			j.err = err
		}()
	})
}

// Wait starts the job if App.Main did not, waits for it and fails the test if the job failed.
func (j *Job) Wait(t testing.TB) {
	t.Helper()
	j.Start()
	<-j.done
	if j.err != nil {
		t.Fatal(j.err)
	}
}

// wait waits for the job if it started.
func (j *Job) wait() {
	if j.done != nil {
		<-j.done
	}
}

func (j *Job) job() *Job { return j }

// Background is a Job or a CdkSynth, for App.Main to start.
type Background interface{ job() *Job }

// CdkSynth is one run of the project's pinned CDK CLI, `cdk synth`, as a user types it in the
// project directory, with the app that cdk.json's "app" command (`go run .`) runs. Each run
// costs seconds (Node starting the CLI, then the app starting jsii): pass it to App.Main, and
// the test that reads it waits for it (Result).
type CdkSynth struct {
	// Args follow `cdk synth --no-notices -q -o DIR`.
	Args []string

	j    *Job
	out  string
	code int
	skip string // why the run did not happen
}

// CdkSynth is a run of `cdk synth` with args, read by tests; nothing runs before App.Main or
// Result starts it.
func (a *App) CdkSynth(tests []string, args ...string) *CdkSynth {
	r := &CdkSynth{Args: args}
	r.j = a.Job(tests, r.run)
	return r
}

func (r *CdkSynth) job() *Job { return r.j }

func (r *CdkSynth) run(outdir string) error {
	cdk, err := filepath.Abs(r.j.app.path(filepath.Join("node_modules", ".bin", "cdk")))
	if err == nil {
		_, err = os.Stat(cdk)
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			return fmt.Errorf("the CDK CLI is not installed: run `npm ci` first (%v)", err)
		}
		r.skip = "the CDK CLI is not installed: run `npm ci` to include this test"
		return nil
	}
	exe, err := r.j.app.executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(cdk, append([]string{"synth", "--app", exe, "--no-notices", "-q", "-o", outdir}, r.Args...)...)
	cmd.Dir = r.j.app.Dir
	cmd.Env = append(os.Environ(), "CDK_DISABLE_CLI_TELEMETRY=true")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return fmt.Errorf("running cdk: %v", err)
	}
	r.out, r.code = string(out), cmd.ProcessState.ExitCode()
	return nil
}

// Result waits for the run (starting it if App.Main did not) and returns its output (stdout and
// stderr) and exit code. It skips the test in -short mode and where `npm ci` has not installed
// the CLI (it fails instead when CI is set).
func (r *CdkSynth) Result(t testing.TB) (string, int) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the CDK CLI")
	}
	r.j.Wait(t)
	if r.skip != "" {
		t.Skip(r.skip)
	}
	return r.out, r.code
}

// executable is the app's binary, linked at most once per test binary. `go run` caches the
// executables it links (Go 1.24 and later), and -exec echo makes it print the cached binary's
// path instead of running it: so the CLI runs the very binary that cdk.json's `go run .`
// would, without a `go run` (and its check of every package) per CLI run. Where go run left
// no binary behind, go build makes one.
func (a *App) executable() (string, error) {
	a.exe.once.Do(func() {
		var stderr bytes.Buffer
		cmd := exec.Command("go", "run", "-exec", "echo", ".")
		cmd.Dir, cmd.Stderr = a.Dir, &stderr
		out, err := cmd.Output()
		if err != nil {
			a.exe.err = fmt.Errorf("go run -exec echo .: %v\n%s", err, stderr.Bytes())
			return
		}
		if exe := strings.TrimSpace(string(out)); filepath.IsAbs(exe) {
			if _, err := os.Stat(exe); err == nil {
				a.exe.path = exe
				return
			}
		}
		dir, err := a.mkdir("app-")
		if err != nil {
			a.exe.err = err
			return
		}
		a.exe.path = filepath.Join(dir, "app")
		if out, err := exec.Command("go", "build", "-C", a.Dir, "-o", a.exe.path, ".").CombinedOutput(); err != nil {
			a.exe.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	return a.exe.path, a.exe.err
}

type exeOnce struct {
	once sync.Once
	path string
	err  error
}

// selected reports whether the -run and -skip flags leave the top-level test name to run
// (read loosely: the part of each pattern before its first slash), and -list is not set.
func selected(name string) bool {
	flagValue := func(name string) string {
		if f := flag.Lookup(name); f != nil {
			return f.Value.String()
		}
		return ""
	}
	if flagValue("test.list") != "" {
		return false
	}
	if run := flagValue("test.run"); run != "" {
		top, _, _ := strings.Cut(run, "/")
		if re, err := regexp.Compile(top); err == nil && !re.MatchString(name) {
			return false
		}
	}
	if skip := flagValue("test.skip"); skip != "" && !strings.Contains(skip, "/") {
		if re, err := regexp.Compile(skip); err == nil && re.MatchString(name) {
			return false
		}
	}
	return true
}
