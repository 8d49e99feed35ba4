// Command coldstart times a Lambda function's cold start on this machine: it runs each
// bootstrap given as a new process against a stand-in for Lambda's Runtime API on loopback,
// as Lambda does on a new execution environment, and measures from the process's start to its
// first request for an event (its init: the Go runtime, package initialization, main's setup)
// and to its answer to that event (init plus the first invocation, a GET /health). The binaries
// are built for this machine (GOOS linux, its own GOARCH) with the flags stacks.GoBinary uses,
// so the figure compares binaries, not this machine with Lambda's arm64: Lambda adds the
// download and unpacking of the package, which grow with its size (see the bootstrap size).
//
//	go run ./bench/coldstart -runs 15 name=./lambda/proxy hello=./bench/hello [before=DIR:./lambda/proxy]
//
// Each NAME=PKG is a main package of this module, or DIR:PKG one of the module in DIR (another
// checkout, for a figure before a change). The runs alternate between the binaries, so that a
// busy moment hits all of them. It prints one JSON line per binary: the median, min and max of
// both times, in milliseconds.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

func main() {
	runs := flag.Int("runs", 15, "cold starts per binary")
	flag.Parse()
	if err := run(*runs, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

type binary struct {
	name, path  string
	init, first []float64 // milliseconds
}

func run(runs int, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: coldstart [-runs N] NAME=PKG|NAME=DIR:PKG, one or more")
	}
	tmp, err := os.MkdirTemp("", "coldstart")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var bins []*binary
	for _, a := range args {
		name, pkg, ok := strings.Cut(a, "=")
		if !ok {
			return fmt.Errorf("%q: want NAME=PKG", a)
		}
		dir := "."
		if d, p, ok := strings.Cut(pkg, ":"); ok {
			dir, pkg = d, p
		}
		out := filepath.Join(tmp, name)
		cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags", "-s -w", "-o", out, pkg)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("building %s in %s: %v\n%s", pkg, dir, err, b)
		}
		bins = append(bins, &binary{name: name, path: out})
	}
	for i := range runs + 1 {
		for _, b := range bins {
			init, first, err := coldStart(b.path)
			if err != nil {
				return fmt.Errorf("%s: %w", b.name, err)
			}
			if i == 0 {
				continue // the first run warms the page cache
			}
			b.init, b.first = append(b.init, init), append(b.first, first)
		}
	}
	for _, b := range bins {
		line, _ := json.Marshal(map[string]any{
			"name": b.name, "runs": runs, "goarch": runtime.GOARCH,
			"init_ms": stats(b.init), "first_invoke_ms": stats(b.first),
		})
		fmt.Println(string(line))
	}
	return nil
}

func stats(xs []float64) map[string]float64 {
	s := slices.Sorted(slices.Values(xs))
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	round := func(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
	return map[string]float64{"median": round(med), "min": round(s[0]), "max": round(s[len(s)-1])}
}

// event is the API Gateway event of the first invocation: GET /health, public.
const event = `{"resource":"/health","path":"/health","httpMethod":"GET","headers":{},"requestContext":{"requestId":"coldstart","stage":"dev"}}`

// coldStart runs the bootstrap once as Lambda would: environment, Runtime API, one event.
func coldStart(path string) (init, first float64, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, 0, err
	}
	defer ln.Close()
	nexts, answered := make(chan time.Time, 2), make(chan time.Time, 1)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/2018-06-01/runtime/invocation/next":
			nexts <- time.Now()
			if len(nexts) > 1 { // the second ask: the process is killed before it gets one
				<-r.Context().Done()
				return
			}
			w.Header().Set("Lambda-Runtime-Aws-Request-Id", "coldstart")
			w.Header().Set("Lambda-Runtime-Deadline-Ms", fmt.Sprint(time.Now().Add(time.Minute).UnixMilli()))
			w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:123456789012:function:coldstart")
			io.WriteString(w, event)
		case strings.HasSuffix(r.URL.Path, "/response"):
			io.Copy(io.Discard, r.Body)
			answered <- time.Now()
			w.WriteHeader(http.StatusAccepted)
		default: // init or invocation errors
			b, _ := io.ReadAll(r.Body)
			fmt.Fprintf(os.Stderr, "coldstart: %s %s: %s\n", r.Method, r.URL.Path, b)
			w.WriteHeader(http.StatusAccepted)
		}
	})}
	go srv.Serve(ln)
	defer srv.Close()

	cmd := exec.Command(path)
	cmd.Env = environment(ln.Addr().String())
	cmd.Stderr = io.Discard
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	var initAt, doneAt time.Time
	select {
	case initAt = <-nexts:
	case <-ctx.Done():
		return 0, 0, errors.New("no request for an event within 30 s")
	}
	select {
	case doneAt = <-answered:
	case <-ctx.Done():
		return 0, 0, errors.New("no answer to the event within 30 s")
	}
	ms := func(t time.Time) float64 { return float64(t.Sub(start).Microseconds()) / 1000 }
	return ms(initAt), ms(doneAt), nil
}

// environment is a Lambda function's: the Runtime API, the Region and role credentials Lambda
// sets, and what the API stack hands the proxy function (the sample route table).
func environment(runtimeAPI string) []string {
	env := []string{
		"AWS_LAMBDA_RUNTIME_API=" + runtimeAPI,
		"AWS_REGION=eu-west-1", "AWS_DEFAULT_REGION=eu-west-1",
		"AWS_ACCESS_KEY_ID=ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_SESSION_TOKEN=token",
		"AWS_LAMBDA_FUNCTION_NAME=coldstart", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256", "AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"PATH=/usr/bin:/bin",
	}
	proxy := fnenv.Proxy{
		Routes:         testkit.SampleRoutes(),
		Clients:        fnenv.Clients{Web: []string{testkit.ClientID}},
		AllowedOrigins: []string{"http://localhost:3000"},
		ItemsTable:     "demo-api-dev-api-Items5C12978B-1X2Y3Z4W5V6U",
	}
	for k, v := range proxy.Env(strings.Join) {
		env = append(env, k+"="+v)
	}
	return env
}
