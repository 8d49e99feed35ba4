package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cognito-apigw/cognito-apigw/internal/cli"
	"github.com/cognito-apigw/cognito-apigw/internal/loopback"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// callTimeout bounds a call to the API: API Gateway itself gives up after 29 s.
const callTimeout = 30 * time.Second

// request is what call sends.
type request struct {
	method, path, data string
	token              string // "" for none
	tokenSource        string // where the token came from, for the message when it is empty
	idempotencyKey     string // "" for none
}

func (a *app) call(fs *flag.FlagSet) cli.Run {
	var s settings
	s.Declare(fs)
	fs.StringVar(&s.apiURL, "api-url", "", "API base `URL` (default: "+names.OutAPIURL+" output)")
	token := fs.String("token", "", "bearer `token` (default: $ID_TOKEN, or $ACCESS_TOKEN with -access)")
	access := fs.Bool("access", false, "send $ACCESS_TOKEN, as scoped routes need, instead of $ID_TOKEN")
	method := fs.String("method", "GET", "HTTP `method`")
	data := fs.String("data", "", "JSON request `body`")
	key := fs.String("idempotency-key", "", "Idempotency-Key header `value`; a POST gets a new one unless given (pass the one printed to retry)")
	insecure := fs.Bool("allow-insecure-http", false, "send the token over plain http to a host that is not localhost, 127.0.0.1 or [::1]")
	return func(ctx context.Context, args []string) error {
		if len(args) == 0 {
			return cli.Usagef("PATH is required, such as /me")
		}
		r := request{method: strings.ToUpper(*method), path: args[0], data: *data, idempotencyKey: *key}
		if r.idempotencyKey == "" && r.method == http.MethodPost {
			// A new key per call: POST /items takes one, and a retry with the same key and
			// body gets the first reply instead of a second item.
			r.idempotencyKey = rand.Text()
			fmt.Fprintf(a.stderr, "Idempotency-Key: %s (to retry this POST, pass -idempotency-key %s)\n", r.idempotencyKey, r.idempotencyKey)
		}
		if !strings.HasPrefix(r.path, "/") {
			return cli.Usagef("PATH %q: want a path such as /me", r.path)
		}
		if err := s.load(); err != nil {
			return err
		}
		if err := s.need(s.apiURL, "api-url", names.OutAPIURL); err != nil {
			return err
		}
		r.token, r.tokenSource = a.bearer(*token, *access)
		if r.token != "" && !*insecure {
			if err := checkTokenDestination(s.apiURL); err != nil {
				return err
			}
		}
		return a.send(ctx, s.apiURL, r)
	}
}

// bearer is the token to send: -token, else $ID_TOKEN or, with -access, $ACCESS_TOKEN.
func (a *app) bearer(flagValue string, access bool) (token, source string) {
	if flagValue != "" {
		return flagValue, "-token"
	}
	env := envIDToken
	if access {
		env = envAccessToken
	}
	return a.getenv(env), "$" + env
}

// send makes the request and prints the reply's body; a status of 400 or more is a failure.
func (a *app) send(ctx context.Context, apiURL string, r request) error {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	var body io.Reader
	if r.data != "" {
		body = strings.NewReader(r.data)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, strings.TrimSuffix(apiURL, "/")+r.path, body)
	if err != nil {
		return cli.Usagef("%v", err)
	}
	if r.data != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", r.idempotencyKey)
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	} else {
		fmt.Fprintf(a.stderr, "(no token: %s is empty; calling without one)\n", r.tokenSource)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := readCapped(resp.Body, 10<<20) // API Gateway's payload limit
	if err != nil {
		return fmt.Errorf("%s %s: %w", req.Method, r.path, err)
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(b, '\n')
	}
	a.stdout.Write(b)
	if resp.StatusCode >= 400 {
		return fmt.Errorf("%s %s: HTTP %s", req.Method, r.path, resp.Status)
	}
	fmt.Fprintf(a.stderr, "HTTP %s\n", resp.Status)
	return nil
}

// checkTokenDestination refuses to send a bearer token where anyone on the path can read it.
func checkTokenDestination(apiURL string) error {
	if u, err := url.Parse(apiURL); err != nil || u.Host == "" {
		return cli.Usagef("-api-url %q: want an absolute URL such as https://abc123.execute-api.eu-west-1.amazonaws.com/dev/", apiURL)
	}
	if !private(apiURL) {
		return cli.Usagef("-api-url %q: the bearer token would travel unencrypted; want https, or http on localhost, 127.0.0.1 or [::1] (pass -allow-insecure-http to send it anyway)", apiURL)
	}
	return nil
}

// private is the one rule for where authctl sends a token, a secret or a password: https, or
// plain http on loopback (cognito-local, the local server).
func private(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Host != "" && (strings.EqualFold(u.Scheme, "https") || loopback.IsURL(raw))
}

// httpClient follows no redirect: a token endpoint or an API that answers with one could
// otherwise move the Authorization header or the form to another host or to plain http.
var httpClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// readCapped reads a response body of at most max bytes, and says so when it is longer rather
// than cutting it short without a word.
func readCapped(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("reply over %d bytes; not read", max)
	}
	return b, nil
}
