// Command local serves the API on loopback with the stage's route table and the Lambda's own
// handler, checking bearer tokens the way API Gateway's Cognito authorizer does, so that the
// whole sign-in-and-call loop runs without an AWS account.
//
//	go run ./cmd/local -issuer URL -client-id ID[,ID...] [-addr 127.0.0.1:8080] [-stage dev]
//	go run ./cmd/local -outputs FILE [-stage dev]
//
// The issuer is a Cognito user pool (https://cognito-idp.<region>.amazonaws.com/<pool id>) or a
// local Cognito-compatible server such as cognito-local (http://localhost:9229/<pool id>); its
// keys are read from <issuer>/.well-known/jwks.json. -outputs reads the issuer and client id
// from a `cdk deploy --outputs-file` file or one written by `authctl setup-local`. Bad usage
// exits 2; SIGINT or SIGTERM stops the server cleanly.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/cognito-apigw/cognito-apigw/internal/cdkjson"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/localapi"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
	"github.com/cognito-apigw/cognito-apigw/internal/verifier"
	"github.com/cognito-apigw/cognito-apigw/lambda/handler"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stderr, nil))
}

// shutdownTimeout bounds how long requests in flight may take to finish after a signal.
const shutdownTimeout = 5 * time.Second

// run serves until ctx ends. ready, if not nil, is told the address once the server listens.
func run(ctx context.Context, args []string, stderr io.Writer, ready func(addr string)) int {
	fs := flag.NewFlagSet("local", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "loopback `address` to listen on")
	stage := fs.String("stage", config.DefaultStage, "`stage` whose route table and CORS settings to serve, from cdk.json")
	issuer := fs.String("issuer", "", "token issuer `URL`; the keys are read from <issuer>/.well-known/jwks.json")
	clients := fs.String("client-id", "", "allowed app client `ids`, comma-separated")
	outputsFile := fs.String("outputs", "", "read -issuer and -client-id from this outputs `file` (cdk deploy --outputs-file, or authctl setup-local)")
	cdkJSON := fs.String("cdk-json", cdkjson.DefaultPath, "project settings `file`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: local -issuer URL -client-id ID[,ID...] [flags]\n       local -outputs FILE [flags]\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usageError := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "local: "+format+"\n", a...)
		fmt.Fprintln(stderr, "Run with -h for usage.")
		return 2
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if err := checkLoopback(*addr); err != nil {
		return usageError("-addr %q: %v", *addr, err)
	}
	cfg, err := cdkjson.Load(*cdkJSON, *stage)
	if err != nil {
		return usageError("%v", err)
	}
	var machine map[string]string // a deployed stage's machine clients; none locally
	if *outputsFile != "" {
		out, err := outputs.Read(*outputsFile, cfg.AppName, cfg.StageName)
		if err != nil {
			return usageError("-outputs: %v", err)
		}
		if *issuer == "" {
			*issuer = out.IssuerURL
		}
		if *clients == "" {
			*clients = out.ClientID
		}
		if machine, err = routes.ParseMachineClients(out.MachineClients); err != nil {
			return usageError("-outputs: %v", err)
		}
	}
	if *issuer == "" {
		return usageError("-issuer is required: the user pool's issuer URL, such as http://localhost:9229/<pool id> for cognito-local (or pass -outputs FILE)")
	}
	clientIDs := routes.SplitList(*clients)
	if len(clientIDs) == 0 {
		return usageError("-client-id is required: the app client ids whose tokens the API accepts, comma-separated (or pass -outputs FILE)")
	}

	logger := slog.New(slog.NewTextHandler(stderr, nil))
	v, err := verifier.New(ctx, verifier.Config{Issuer: *issuer, ClientIDs: slices.AppendSeq(slices.Clone(clientIDs), maps.Values(machine)), Logger: logger})
	switch {
	case errors.Is(err, verifier.ErrConfig):
		return usageError("-issuer or -client-id: %v", err)
	case err != nil:
		fmt.Fprintf(stderr, "local: cannot load the signing keys of %s: %v\nIs the issuer running (for cognito-local: npx cognito-local) and is -issuer right?\n", *issuer, err)
		return 1
	}
	defer v.Close()

	// The very handler the Lambda runs, configured as the API stack configures it.
	h, err := handler.New(cfg.Routes, clientIDs, &handler.Options{
		AllowedOrigins: cfg.CORS.AllowOrigins,
		MachineClients: machine,
		Logger:         logger.With("source", "handler"),
	})
	if err != nil {
		fmt.Fprintf(stderr, "local: %v\n", err)
		return 1
	}
	gw, err := localapi.New(localapi.Options{
		Routes:   cfg.Routes,
		Verifier: v,
		Handler:  h.Handle,
		CORS:     cfg.CORS,
		Stage:    cfg.StageName,
		Logger:   logger,
	})
	if err != nil {
		fmt.Fprintf(stderr, "local: %v\n", err)
		return 1
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "local: %v\n", err)
		return 1
	}
	srv := &http.Server{
		Handler:           gw,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("serving", "url", "http://"+ln.Addr().String()+"/", "stage", cfg.StageName, "issuer", *issuer, "client_ids", strings.Join(clientIDs, ","))
	for _, r := range cfg.Routes {
		logger.Info("route", "route", r.Key(), "access", string(r.Access))
	}
	if ready != nil {
		ready(ln.Addr().String())
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintf(stderr, "local: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "local: stopping: %v\n", err)
		return 1
	}
	logger.Info("stopped")
	return 0
}

// checkLoopback accepts host:port with a loopback host: the server trusts a plain-http issuer
// and has no rate limits, so it must not be reachable from other machines.
func checkLoopback(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("want host:port, such as 127.0.0.1:8080")
	}
	if port == "" {
		return errors.New("want a port, such as 127.0.0.1:8080")
	}
	if !routes.IsLoopbackHost(host) {
		return errors.New("want a loopback address such as 127.0.0.1:8080 or [::1]:8080: this server is for local use only")
	}
	return nil
}
