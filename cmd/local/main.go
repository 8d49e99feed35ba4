// Command local serves the API on loopback with the stage's route table and the Lambda's own
// handler, checking bearer tokens the way API Gateway's Cognito authorizer does, so that the
// whole sign-in-and-call loop runs without an AWS account. It also serves the sample web app
// (web/) on another loopback origin, so that the page calls the API across origins as it would
// in production. For cognito-local it also answers the user pool's pre token generation trigger
// with the trigger's own code (lambda/pretoken/trigger), as Lambda's Invoke API does, so that
// local access tokens get the scopes Cognito's would.
//
//	go run ./cmd/local -issuer URL -client-id ID[,ID...] [-addr 127.0.0.1:8080] [-stage dev] [-web ""]
//	go run ./cmd/local [-outputs FILE] [-stage dev] [-web localhost:3000] [-web-api local|deployed|URL] [-lambda ADDR|off]
//	                   [-dynamodb-endpoint URL -items-table NAME]
//
// The issuer is a Cognito user pool (https://cognito-idp.<region>.amazonaws.com/<pool id>) or a
// local Cognito-compatible server such as cognito-local (http://localhost:9229/<pool id>); its
// keys are read from <issuer>/.well-known/jwks.json. -outputs reads the issuer and client id
// from a `cdk deploy --outputs-file` file or one written by `authctl setup-local`; without
// -issuer or -client-id, the default cdk-outputs.json. Bad usage exits 2 (internal/cli);
// SIGINT or SIGTERM stops the server cleanly. The web app's settings (/config.json)
// come from the same outputs file; -web-api deployed makes the page call the deployed ApiUrl.
// The trigger is answered at the outputs file's LambdaEndpoint (written by `authctl
// setup-local` for a stage with groupScopes or extraClaims) unless -lambda says otherwise.
// /items keeps its items in the local DynamoDB (dynalite) and table that `authctl setup-local`
// recorded in the outputs file, so that they outlive the server; without one, /items answers 503.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/cognito-apigw/cognito-apigw/internal/cli"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/localapi"
	"github.com/cognito-apigw/cognito-apigw/internal/localdb"
	"github.com/cognito-apigw/cognito-apigw/internal/loopback"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
	"github.com/cognito-apigw/cognito-apigw/internal/verifier"
	"github.com/cognito-apigw/cognito-apigw/lambda/pretoken/trigger"
	"github.com/cognito-apigw/cognito-apigw/lambda/proxy/handler"
)

func main() {
	cli.Main(func(ctx context.Context, args []string) int { return run(ctx, args, os.Stderr, nil) })
}

// shutdownTimeout bounds how long requests in flight may take to finish after a signal.
const shutdownTimeout = 5 * time.Second

// run serves until ctx ends. ready, if not nil, is told the API's address and the web app's
// URL ("" when off) once both listen.
func run(ctx context.Context, args []string, stderr io.Writer, ready func(apiAddr, webURL string)) int {
	var o options
	p := &cli.Program{Name: "local", Stdout: os.Stdout, Stderr: stderr, Commands: []cli.Command{{
		Summary: "Serves the API on loopback with the stage's route table and the Lambda's handler, and the sample web app.",
		Usage: `-issuer URL -client-id ID[,ID...] [flags]
[-outputs FILE] [flags]`,
		Flags: func(fs *flag.FlagSet) cli.Run {
			o.declare(fs)
			return func(ctx context.Context, _ []string) error { return serve(ctx, &o, stderr, ready) }
		},
	}}}
	return p.Run(ctx, args)
}

// options are local's flags.
type options struct {
	cli.Project
	addr, issuer, clients, webAddr, webAPI, webLib, lambdaAddr string
	dynamo, itemsTable                                         string
}

// lambdaOff is the -lambda value that turns the trigger's endpoint off.
const lambdaOff = "off"

func (o *options) declare(fs *flag.FlagSet) {
	o.Project.Declare(fs)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "loopback `address` to listen on")
	fs.StringVar(&o.issuer, "issuer", "", "token issuer `URL`; the keys are read from <issuer>/.well-known/jwks.json (default: IssuerUrl output)")
	fs.StringVar(&o.clients, "client-id", "", "allowed app client `ids`, comma-separated (default: ClientId output)")
	fs.StringVar(&o.webAddr, "web", "localhost:3000", "loopback `address` of the web app (the dev stage's callback and CORS origin); \"\" turns it off")
	fs.StringVar(&o.webAPI, "web-api", webAPILocal, "`API` the web app calls: local (this server), deployed (ApiUrl of the outputs file), or a URL")
	fs.StringVar(&o.webLib, "web-lib", defaultWebLib, "oidc-client-ts browser build `file` the web app loads (npm ci installs it)")
	fs.StringVar(&o.lambdaAddr, "lambda", "", "loopback `address` where the stage's pre token generation trigger answers cognito-local (Lambda's Invoke API); default: the outputs file's "+names.OutLambdaEndpoint+"; off turns it off")
	fs.StringVar(&o.dynamo, "dynamodb-endpoint", "", "loopback `URL` of the local DynamoDB (dynalite) holding the items (default: DynamoDBEndpoint output)")
	fs.StringVar(&o.itemsTable, "items-table", "", "`name` of the items table there (default: ItemsTable output)")
}

// stage is what local serves: from cdk.json, the outputs file and the flags.
type stage struct {
	cfg config.Config
	out outputs.Stage
	// proxy is what the API stack hands the proxy function, here built from the same sources:
	// the stage's routes and CORS origins, the -client-id or ClientId, and a deployed stage's
	// machine clients (none locally). The handler gets it as the function does.
	proxy  fnenv.Proxy
	webLib []byte // the oidc-client-ts build; nil without the web app
	// lambdaAddr is where the pool's pre token generation trigger answers cognito-local; ""
	// for none.
	lambdaAddr string
	db         *dynamodb.Client // the local DynamoDB of proxy.ItemsTable; nil without one
}

// load checks the flags and reads what they point at.
func (o *options) load() (stage, error) {
	if err := checkLoopback(o.addr); err != nil {
		return stage{}, cli.Usagef("-addr %q: %v", o.addr, err)
	}
	if o.webAddr != "" {
		if err := checkLoopback(o.webAddr); err != nil {
			return stage{}, cli.Usagef("-web %q: %v", o.webAddr, err)
		}
	}
	cfg, err := o.Config()
	if err != nil {
		return stage{}, err
	}
	st := stage{cfg: cfg}
	var machine map[string]string
	// The default outputs file is read only when neither -issuer nor -client-id is given, so
	// that another pool's outputs never mix with either.
	if o.OutputsGiven() || o.issuer == "" && o.clients == "" {
		if st.out, err = o.ReadOutputs(cfg); err != nil {
			return stage{}, err
		}
		o.issuer = cmp.Or(o.issuer, st.out.IssuerURL)
		o.clients = cmp.Or(o.clients, st.out.ClientID)
		if machine, err = fnenv.ParseMachineClients(st.out.MachineClients); err != nil {
			return stage{}, cli.Usagef("-outputs: %v", err)
		}
	}
	if o.issuer == "" {
		return stage{}, cli.Usagef("-issuer is required: the user pool's issuer URL, such as http://localhost:9229/<pool id> for cognito-local (or pass -outputs FILE)%s", o.unread())
	}
	web := fnenv.SplitList(o.clients)
	if len(web) == 0 {
		return stage{}, cli.Usagef("-client-id is required: the app client ids whose tokens the API accepts, comma-separated (or pass -outputs FILE)%s", o.unread())
	}
	st.proxy = fnenv.Proxy{Routes: cfg.Routes, Clients: fnenv.Clients{Web: web, Machine: machine}, AllowedOrigins: cfg.CORS.AllowOrigins}
	// A local DynamoDB only: an outputs file of a deployed stage names its table in AWS, which
	// this server leaves alone.
	o.dynamo = cmp.Or(o.dynamo, st.out.DynamoDBEndpoint)
	if o.dynamo != "" {
		o.itemsTable = cmp.Or(o.itemsTable, st.out.ItemsTable)
		if st.db, err = localdb.Client(o.dynamo); err != nil {
			return stage{}, cli.Usagef("-dynamodb-endpoint: %v", err)
		}
		if !fnenv.ValidTableName(o.itemsTable) {
			return stage{}, cli.Usagef("-items-table %q: want the name of the items table on %s (authctl setup-local writes it to the outputs file as %s)", o.itemsTable, o.dynamo, names.OutItemsTable)
		}
		st.proxy.ItemsTable = o.itemsTable
	}
	if o.webAddr != "" {
		if st.webLib, err = o.checkWeb(st); err != nil {
			return stage{}, err
		}
	}
	if st.lambdaAddr, err = o.lambdaAddress(st); err != nil {
		return stage{}, err
	}
	return st, nil
}

// lambdaAddress resolves -lambda: an address, off, or by default the host and port of the
// outputs file's LambdaEndpoint. A stage without a trigger has nothing to answer.
func (o *options) lambdaAddress(st stage) (string, error) {
	addr := o.lambdaAddr
	switch {
	case addr == lambdaOff:
		return "", nil
	case addr == "" && st.out.LambdaEndpoint != "":
		u, err := url.Parse(st.out.LambdaEndpoint)
		if err != nil || u.Scheme != "http" || u.Host == "" {
			return "", cli.Usagef("-outputs: %s %q: want http://HOST:PORT, as authctl setup-local writes it", names.OutLambdaEndpoint, st.out.LambdaEndpoint)
		}
		addr = u.Host
	case addr == "":
		return "", nil
	}
	if _, ok := st.cfg.TokenTrigger(); !ok {
		return "", nil
	}
	if err := checkLoopback(addr); err != nil {
		return "", cli.Usagef("-lambda %q: %v", addr, err)
	}
	return addr, nil
}

// unread says why the default outputs file gave nothing, for the messages above.
func (o *options) unread() string {
	if o.Unread == nil {
		return ""
	}
	return "; " + o.Unread.Error()
}

// checkWeb checks the web app's flags and reads the oidc-client-ts build it serves.
func (o *options) checkWeb(st stage) ([]byte, error) {
	if _, err := webAPIURL(o.webAPI, "", st.out); err != nil {
		return nil, cli.Usagef("-web-api %q: %v", o.webAPI, err)
	}
	// The page signs in with the first client: the outputs file's, or the first -client-id.
	if _, err := newWebConfig(st.cfg, st.out, o.issuer, st.proxy.Clients.Web[0], ""); err != nil {
		return nil, cli.Usagef("-web: %v", err)
	}
	lib, err := os.ReadFile(o.webLib)
	if err != nil {
		return nil, cli.Usagef("-web-lib: cannot read the oidc-client-ts browser build (%v); run `npm ci` in the project root and start cmd/local there, or pass -web \"\" to serve only the API", err)
	}
	return lib, nil
}

// serve runs the API and, unless -web "" turned it off, the web app, until ctx ends.
func serve(ctx context.Context, o *options, stderr io.Writer, ready func(apiAddr, webURL string)) error {
	st, err := o.load()
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	v, err := verifier.New(ctx, verifier.Config{Issuer: o.issuer, ClientIDs: st.proxy.Clients.IDs(), Logger: logger})
	switch {
	case errors.Is(err, verifier.ErrConfig):
		return cli.Usagef("-issuer or -client-id: %v", err)
	case err != nil:
		return fmt.Errorf("cannot load the signing keys of %s: %v\nIs the issuer running (for cognito-local: npx cognito-local) and is -issuer right?", o.issuer, err)
	}
	defer v.Close()
	if st.db != nil {
		checkCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := localdb.CheckTable(checkCtx, st.db, st.proxy.ItemsTable)
		cancel()
		if err != nil {
			return fmt.Errorf("items table %s on %s: %v\nIs dynalite running with the data folder setup-local used (npx dynalite --port 4567 --path .dynalite), and did `authctl setup-local` make the table?", st.proxy.ItemsTable, o.dynamo, err)
		}
	}
	gw, err := newGateway(st, v, logger)
	if err != nil {
		return err
	}

	var srv servers
	defer srv.closeUnserved()
	apiAddr, err := srv.listenAPI(o.addr, gw, logger)
	if err != nil {
		return err
	}
	logger.Info("serving", "url", "http://"+apiAddr+"/", "stage", st.cfg.StageName, "issuer", o.issuer, "client_ids", strings.Join(st.proxy.Clients.Web, ","))
	if st.db != nil {
		logger.Info("items", "table", st.proxy.ItemsTable, "dynamodb", o.dynamo)
	} else {
		logger.Warn("no local DynamoDB: /items answers 503; start dynalite and run authctl setup-local (docs/local-development.md), or pass -dynamodb-endpoint and -items-table")
	}
	for _, r := range st.proxy.Routes {
		logger.Info("route", "route", r.Key(), "access", string(r.Access))
	}
	webURL := ""
	if o.webAddr != "" {
		if webURL, err = srv.listenWeb(o, st, "http://"+apiAddr, logger); err != nil {
			return err
		}
	}
	if st.lambdaAddr != "" {
		if err := srv.listenLambda(st, logger); err != nil {
			return err
		}
	} else if _, ok := st.cfg.TokenTrigger(); ok && st.out.CognitoEndpoint != "" {
		logger.Warn("the stage has a pre token generation trigger (groupScopes or extraClaims), but the outputs file names no " + names.OutLambdaEndpoint +
			": the local pool adds no group scopes or extra claims; run `authctl setup-local` again (with cognito-local's state removed) to give it the trigger")
	}
	if ready != nil {
		ready(apiAddr, webURL)
	}
	return srv.serve(ctx, logger)
}

// listenLambda answers the pool's pre token generation trigger, as Lambda's Invoke API does,
// with the trigger's own code and the settings the auth stack would hand it.
func (s *servers) listenLambda(st stage, logger *slog.Logger) error {
	settings, _ := st.cfg.TokenTrigger()
	lns, err := loopback.Listen(st.lambdaAddr)
	if err != nil {
		return fmt.Errorf("the pre token generation trigger: %v (stop what uses the port, or pass -lambda ADDR with the address authctl setup-local -lambda-url registered, or -lambda off)", err)
	}
	s.listeners = append(s.listeners, lns)
	fnLog := logger.With("source", "pretoken")
	name := names.PreTokenTrigger(st.cfg.AppName, st.cfg.StageName)
	s.list = append(s.list, &http.Server{
		Handler:           localapi.Functions(map[string]localapi.Function{name: trigger.New(settings, fnLog).Invoke}, fnLog),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	})
	logger.Info("serving the user pool's pre token generation trigger for cognito-local", "url", localapi.FunctionURL("http://"+lns[0].Addr().String(), name))
	return nil
}

// newGateway is the API Gateway stand-in in front of the very handler the Lambda runs,
// configured as the API stack configures it.
func newGateway(st stage, v *verifier.Verifier, logger *slog.Logger) (http.Handler, error) {
	opts := &handler.Options{Logger: logger.With("source", "handler")}
	if st.db != nil {
		opts.DynamoDB = st.db
	}
	h, err := handler.New(st.proxy, opts)
	if err != nil {
		return nil, err
	}
	return localapi.New(localapi.Options{
		Routes:   st.proxy.Routes,
		Verifier: v,
		Handler:  h.Handle,
		CORS:     st.cfg.CORS,
		Stage:    st.cfg.StageName,
		Logger:   logger,
	})
}

// servers are local's HTTP servers, each with its listeners: one, or two for a localhost
// address (see loopback.Listen).
type servers struct {
	list      []*http.Server
	listeners [][]net.Listener
}

// closeUnserved closes the listeners not served yet; Shutdown has closed the others.
func (s *servers) closeUnserved() {
	for _, l := range slices.Concat(s.listeners...) {
		l.Close()
	}
}

// listenAPI listens for the API and returns the address it got.
func (s *servers) listenAPI(addr string, gw http.Handler, logger *slog.Logger) (string, error) {
	lns, err := loopback.Listen(addr)
	if err != nil {
		return "", err
	}
	s.listeners = append(s.listeners, lns)
	s.list = append(s.list, &http.Server{
		Handler:           gw,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	})
	return lns[0].Addr().String(), nil
}

// listenWeb listens for the web app, whose page calls the API at apiURL unless -web-api says
// otherwise, and returns the app's URL.
func (s *servers) listenWeb(o *options, st stage, apiURL string, logger *slog.Logger) (string, error) {
	lns, err := loopback.Listen(o.webAddr)
	if err != nil {
		return "", fmt.Errorf("web app: %v (stop what uses the port, or move the app with -web ADDR, or turn it off with -web \"\")", err)
	}
	s.listeners = append(s.listeners, lns)
	// The origin as the browser writes it: the host given, the port listened on.
	host, _, _ := net.SplitHostPort(o.webAddr)
	_, port, _ := net.SplitHostPort(lns[0].Addr().String())
	origin := "http://" + net.JoinHostPort(host, port)
	apiURL, _ = webAPIURL(o.webAPI, apiURL, st.out)
	wc, _ := newWebConfig(st.cfg, st.out, o.issuer, st.proxy.Clients.Web[0], apiURL)
	h, err := webHandler(wc, st.webLib)
	if err != nil {
		return "", err
	}
	s.list = append(s.list, &http.Server{
		Handler:           logRequests(h, logger.With("source", "web")),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	})
	logger.Info("serving web app", "url", origin+"/", "api", apiURL, "login", wc.Metadata.AuthorizationEndpoint)
	for _, w := range webWarnings(st.cfg, origin) {
		logger.Warn(w)
	}
	return origin + "/", nil
}

// serve serves until a server fails or ctx ends, then shuts the servers down.
func (s *servers) serve(ctx context.Context, logger *slog.Logger) error {
	served := make(chan error, len(slices.Concat(s.listeners...)))
	for i, srv := range s.list {
		for _, l := range s.listeners[i] {
			go func() { served <- srv.Serve(l) }()
		}
	}
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	var errs []error
	for _, srv := range s.list {
		if err := srv.Shutdown(shutdownCtx); err != nil {
			errs = append(errs, fmt.Errorf("stopping: %w", err))
		}
	}
	logger.Info("stopped")
	return errors.Join(errs...)
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
	if !loopback.IsHost(host) {
		return errors.New("want a loopback address such as 127.0.0.1:8080 or [::1]:8080: this server is for local use only")
	}
	return nil
}
