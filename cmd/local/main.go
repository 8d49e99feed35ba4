// Command local serves the API on loopback with the stage's route table and the Lambda's own
// handler, checking bearer tokens the way API Gateway's Cognito authorizer does, so that the
// whole sign-in-and-call loop runs without an AWS account. It also serves the sample web app
// (web/) on another loopback origin, so that the page calls the API across origins as it would
// in production.
//
//	go run ./cmd/local -issuer URL -client-id ID[,ID...] [-addr 127.0.0.1:8080] [-stage dev] [-web ""]
//	go run ./cmd/local -outputs FILE [-stage dev] [-web localhost:3000] [-web-api local|deployed|URL]
//
// The issuer is a Cognito user pool (https://cognito-idp.<region>.amazonaws.com/<pool id>) or a
// local Cognito-compatible server such as cognito-local (http://localhost:9229/<pool id>); its
// keys are read from <issuer>/.well-known/jwks.json. -outputs reads the issuer and client id
// from a `cdk deploy --outputs-file` file or one written by `authctl setup-local`. Bad usage
// exits 2; SIGINT or SIGTERM stops the server cleanly. The web app's settings (/config.json)
// come from the same outputs file; -web-api deployed makes the page call the deployed ApiUrl.
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
	"github.com/cognito-apigw/cognito-apigw/internal/loopback"
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

// run serves until ctx ends. ready, if not nil, is told the API's address and the web app's
// URL ("" when off) once both listen.
func run(ctx context.Context, args []string, stderr io.Writer, ready func(apiAddr, webURL string)) int {
	fs := flag.NewFlagSet("local", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "loopback `address` to listen on")
	stage := fs.String("stage", config.DefaultStage, "`stage` whose route table and CORS settings to serve, from cdk.json")
	issuer := fs.String("issuer", "", "token issuer `URL`; the keys are read from <issuer>/.well-known/jwks.json")
	clients := fs.String("client-id", "", "allowed app client `ids`, comma-separated")
	outputsFile := fs.String("outputs", "", "read -issuer and -client-id from this outputs `file` (cdk deploy --outputs-file, or authctl setup-local)")
	cdkJSON := fs.String("cdk-json", cdkjson.DefaultPath, "project settings `file`")
	webAddr := fs.String("web", "localhost:3000", "loopback `address` of the web app (the dev stage's callback and CORS origin); \"\" turns it off")
	webAPI := fs.String("web-api", webAPILocal, "`API` the web app calls: local (this server), deployed (ApiUrl of the outputs file), or a URL")
	webLib := fs.String("web-lib", defaultWebLib, "oidc-client-ts browser build `file` the web app loads (npm ci installs it)")
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
	if *webAddr != "" {
		if err := checkLoopback(*webAddr); err != nil {
			return usageError("-web %q: %v", *webAddr, err)
		}
	}
	cfg, err := cdkjson.Load(*cdkJSON, *stage)
	if err != nil {
		return usageError("%v", err)
	}
	var out outputs.Stage
	var machine map[string]string // a deployed stage's machine clients; none locally
	if *outputsFile != "" {
		out, err = outputs.Read(*outputsFile, cfg.AppName, cfg.StageName)
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
	var lib []byte
	if *webAddr != "" {
		if _, err := webAPIURL(*webAPI, "", out); err != nil {
			return usageError("-web-api %q: %v", *webAPI, err)
		}
		// The page signs in with the first client: the outputs file's, or the first -client-id.
		if _, err := newWebConfig(cfg, out, *issuer, clientIDs[0], ""); err != nil {
			return usageError("-web: %v", err)
		}
		if lib, err = os.ReadFile(*webLib); err != nil {
			return usageError("-web-lib: cannot read the oidc-client-ts browser build (%v); run `npm ci` in the project root and start cmd/local there, or pass -web \"\" to serve only the API", err)
		}
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

	// Each server's listeners: one, or two for a localhost address (see loopback.Listen).
	var listeners [][]net.Listener
	defer func() {
		for _, l := range slices.Concat(listeners...) {
			l.Close() // those not served yet; Shutdown has closed the others
		}
	}()
	apiLns, err := loopback.Listen(*addr)
	if err != nil {
		fmt.Fprintf(stderr, "local: %v\n", err)
		return 1
	}
	ln := apiLns[0]
	listeners = append(listeners, apiLns)
	servers := []*http.Server{}
	srv := &http.Server{
		Handler:           gw,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	servers = append(servers, srv)
	logger.Info("serving", "url", "http://"+ln.Addr().String()+"/", "stage", cfg.StageName, "issuer", *issuer, "client_ids", strings.Join(clientIDs, ","))
	for _, r := range cfg.Routes {
		logger.Info("route", "route", r.Key(), "access", string(r.Access))
	}

	webURL := ""
	if *webAddr != "" {
		webLns, err := loopback.Listen(*webAddr)
		if err != nil {
			fmt.Fprintf(stderr, "local: web app: %v (stop what uses the port, or move the app with -web ADDR, or turn it off with -web \"\")\n", err)
			return 1
		}
		listeners = append(listeners, webLns)
		// The origin as the browser writes it: the host given, the port listened on.
		host, _, _ := net.SplitHostPort(*webAddr)
		_, port, _ := net.SplitHostPort(webLns[0].Addr().String())
		origin := "http://" + net.JoinHostPort(host, port)
		apiURL, _ := webAPIURL(*webAPI, "http://"+ln.Addr().String(), out)
		wc, _ := newWebConfig(cfg, out, *issuer, clientIDs[0], apiURL)
		h, err := webHandler(wc, lib)
		if err != nil {
			fmt.Fprintf(stderr, "local: %v\n", err)
			return 1
		}
		servers = append(servers, &http.Server{
			Handler:           logRequests(h, logger.With("source", "web")),
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		})
		webURL = origin + "/"
		logger.Info("serving web app", "url", webURL, "api", apiURL, "login", wc.Metadata.AuthorizationEndpoint)
		for _, w := range webWarnings(cfg, origin) {
			logger.Warn(w)
		}
	}
	if ready != nil {
		ready(ln.Addr().String(), webURL)
	}

	served := make(chan error, len(slices.Concat(listeners...)))
	for i, s := range servers {
		for _, l := range listeners[i] {
			go func() { served <- s.Serve(l) }()
		}
	}
	select {
	case err := <-served:
		fmt.Fprintf(stderr, "local: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	code := 0
	for _, s := range servers {
		if err := s.Shutdown(shutdownCtx); err != nil {
			fmt.Fprintf(stderr, "local: stopping: %v\n", err)
			code = 1
		}
	}
	logger.Info("stopped")
	return code
}

// logRequests logs one line per request of the web app; its URLs carry no tokens, but the
// callback's query holds the code, so only the path is logged.
func logRequests(next http.Handler, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
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
