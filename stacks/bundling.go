package stacks

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/jsii-runtime-go"
)

// GoBinary builds a Go main package into a Lambda `bootstrap` on this machine, without Docker.
// The flags make the build reproducible (same source and toolchain, same bytes), so the asset
// hash, taken from the output, only changes when the binary does and `cdk diff` stays quiet.
type GoBinary struct {
	// ModuleDir is the directory holding go.mod.
	ModuleDir string
	// Package is the main package to build, relative to ModuleDir, e.g. "./lambda/proxy".
	Package string
}

// BuildArgs are the `go build` arguments, without the output path.
func (b *GoBinary) BuildArgs() []string {
	return []string{"build", "-tags", "lambda.norpc", "-trimpath", "-ldflags", "-s -w", "-buildvcs=false"}
}

// BuildEnv is the environment of the build: linux/arm64, static, module mode.
func (b *GoBinary) BuildEnv() []string {
	return append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0", "GOFLAGS=-mod=readonly", "GOWORK=off")
}

// Build writes outputDir/bootstrap.
func (b *GoBinary) Build(outputDir string) error {
	args := append(b.BuildArgs(), "-o", filepath.Join(outputDir, "bootstrap"), b.Package)
	cmd := exec.Command("go", args...)
	cmd.Dir = b.ModuleDir
	cmd.Env = b.BuildEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go %s (in %s): %w\n%s", strings.Join(args, " "), b.ModuleDir, err, out)
	}
	return nil
}

// TryBundle implements awscdk.ILocalBundling. CDK falls back to Docker when it returns false,
// which this project never wants, so a failed build ends synth here with the compiler output.
func (b *GoBinary) TryBundle(outputDir *string, _ *awscdk.BundlingOptions) *bool {
	if err := b.Build(*outputDir); err != nil {
		fmt.Fprintf(os.Stderr, "error: building the Lambda function failed (Go must be on PATH; go.mod's go line names the lowest release it builds with):\n%v\n", err)
		os.Exit(1)
	}
	return jsii.Bool(true)
}

// Code is the function's asset: the module directory, bundled by Build, hashed by its output.
func (b *GoBinary) Code() awslambda.Code {
	return awslambda.Code_FromAsset(jsii.String(b.ModuleDir), &awss3assets.AssetOptions{
		AssetHashType: awscdk.AssetHashType_OUTPUT,
		Bundling: &awscdk.BundlingOptions{
			Local: b,
			// Required by the type but never pulled: TryBundle always builds or exits.
			Image: awscdk.DockerImage_FromRegistry(jsii.String("local-go-build-only")),
		},
	})
}
