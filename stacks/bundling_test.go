package stacks_test

import (
	"crypto/sha256"
	"debug/buildinfo"
	"debug/elf"
	"encoding/hex"
	"fmt"
	"go/version"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/stacks"
)

// The Lambda builds the tests check, started by TestMain (main_test.go): go build runs in a
// subprocess, so they overlap the syntheses instead of waiting behind them.
var (
	// buildLambdaTwice builds the proxy Lambda twice, into lambdaBuilds/0 and lambdaBuilds/1.
	buildLambdaTwice = project.Job([]string{"TestLambdaBuildIsReproducible"}, func(dir string) error {
		for _, out := range []string{"0", "1"} {
			if err := (&stacks.GoBinary{ModuleDir: "..", Package: "./lambda/proxy"}).Build(filepath.Join(dir, out)); err != nil {
				return err
			}
		}
		lambdaBuilds = dir
		return nil
	})
	lambdaBuilds string

	buildPreSignUp = project.Job([]string{"TestPreSignUpTriggerBuilds"}, func(dir string) error {
		preSignUpBuild = dir
		return (&stacks.GoBinary{ModuleDir: "..", Package: "./lambda/presignup"}).Build(dir)
	})
	preSignUpBuild string
)

// The asset hash is taken from the bundled output, so an unchanged source must build to the
// same bytes, or every `cdk diff` would show a changed function.
func TestLambdaBuildIsReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the Lambda twice")
	}
	t.Parallel() // waits for the builds, which run in subprocesses
	buildLambdaTwice.Wait(t)
	sums := make([]string, 2)
	for i := range sums {
		data, err := os.ReadFile(filepath.Join(lambdaBuilds, fmt.Sprint(i), "bootstrap"))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		sums[i] = hex.EncodeToString(sum[:])
		if i == 0 {
			checkLambdaBinary(t, filepath.Join(lambdaBuilds, "0", "bootstrap"))
		}
	}
	if sums[0] != sums[1] {
		t.Fatalf("two builds of the same source differ: %s and %s", sums[0], sums[1])
	}
}

// checkLambdaBinary checks what provided.al2023 on arm64 needs: a static linux/arm64 ELF
// without symbols, built with at least the Go release go.mod's go line names (the first one
// without known vulnerabilities reachable from this code), whatever Go is installed.
func checkLambdaBinary(t *testing.T, path string) {
	t.Helper()
	checkToolchain(t, path)
	f, err := elf.Open(path)
	if err != nil {
		t.Fatalf("bootstrap is not an ELF binary: %v", err)
	}
	defer f.Close()
	if f.Machine != elf.EM_AARCH64 || f.OSABI != elf.ELFOSABI_NONE && f.OSABI != elf.ELFOSABI_LINUX {
		t.Errorf("bootstrap is %v/%v, want linux arm64", f.OSABI, f.Machine)
	}
	if slices.ContainsFunc(f.Progs, func(p *elf.Prog) bool { return p.Type == elf.PT_INTERP }) {
		t.Error("bootstrap is dynamically linked; want CGO_ENABLED=0")
	}
	if f.Section(".symtab") != nil {
		t.Error("bootstrap has a symbol table; want -ldflags -s -w")
	}
}

func TestBuildFlags(t *testing.T) {
	b := &stacks.GoBinary{}
	args := b.BuildArgs()
	for _, want := range []string{"-trimpath", "-buildvcs=false", "lambda.norpc", "-s -w"} {
		if !slices.Contains(args, want) {
			t.Errorf("go build args %v lack %q", args, want)
		}
	}
	env := b.BuildEnv()
	for _, want := range []string{"GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0"} {
		if !slices.Contains(env, want) {
			t.Errorf("go build env lacks %q", want)
		}
	}
}

// The linkByEmail trigger builds like the handler: a static linux/arm64 bootstrap, and small.
func TestPreSignUpTriggerBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the trigger")
	}
	t.Parallel() // waits for the build, which runs in a subprocess
	buildPreSignUp.Wait(t)
	path := filepath.Join(preSignUpBuild, "bootstrap")
	checkLambdaBinary(t, path)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() > 16<<20 {
		t.Errorf("bootstrap has %d bytes; want at most 16 MiB", fi.Size())
	}
}

// checkToolchain checks that the build followed go.mod's go line rather than the installed Go.
func checkToolchain(t *testing.T, path string) {
	t.Helper()
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		t.Fatalf("bootstrap has no Go build info: %v", err)
	}
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	want := ""
	for line := range strings.Lines(string(mod)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "go "); ok {
			want = "go" + strings.TrimSpace(v)
		}
	}
	if !version.IsValid(want) {
		t.Fatalf("go.mod has no valid go line (got %q)", want)
	}
	if version.Compare(info.GoVersion, want) < 0 {
		t.Errorf("bootstrap was built with %s; go.mod requires %s", info.GoVersion, want)
	}
}
