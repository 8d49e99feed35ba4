package stacks

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkBootstrapSize builds the Lambda's bootstrap and the aws-lambda-go hello world in
// bench/hello with the same GoBinary (same flags: -tags lambda.norpc -trimpath -ldflags "-s -w",
// linux/arm64, CGO off) and reports both sizes and their ratio; the budget is at most 1.5x.
// It measures bytes, not time: run it with -benchtime 1x (bench/run does).
func BenchmarkBootstrapSize(b *testing.B) {
	size := func(pkg string) float64 {
		dir := b.TempDir()
		if err := (&GoBinary{ModuleDir: "..", Package: pkg}).Build(dir); err != nil {
			b.Fatal(err)
		}
		fi, err := os.Stat(filepath.Join(dir, "bootstrap"))
		if err != nil {
			b.Fatal(err)
		}
		return float64(fi.Size())
	}
	var lambda, hello float64
	for b.Loop() {
		lambda, hello = size("./lambda/proxy"), size("./bench/hello")
	}
	b.ReportMetric(lambda, "bootstrap-bytes")
	b.ReportMetric(hello, "hello-bytes")
	b.ReportMetric(lambda/hello, "ratio")
}
