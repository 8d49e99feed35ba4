package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cognito-apigw/cognito-apigw/internal/names"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// callTimeout bounds a call to the API: API Gateway itself gives up after 29 s.
const callTimeout = 30 * time.Second

func (c *cli) call(ctx context.Context, name string, args []string) error {
	var s settings
	fs := c.newFlagSet(name, &s, "[-access] [-token T] [-method M] [-data BODY] PATH")
	fs.StringVar(&s.apiURL, "api-url", "", "API base `URL` (default: "+names.OutAPIURL+" output)")
	token := fs.String("token", "", "bearer `token` (default: $ID_TOKEN, or $ACCESS_TOKEN with -access)")
	access := fs.Bool("access", false, "send $ACCESS_TOKEN, as scoped routes need, instead of $ID_TOKEN")
	method := fs.String("method", "GET", "HTTP `method`")
	data := fs.String("data", "", "JSON request `body`")
	insecure := fs.Bool("allow-insecure-http", false, "send the token over plain http to a host that is not localhost, 127.0.0.1 or [::1]")
	// Flags may come after PATH too: authctl call /items -access.
	if err := parse(fs, args, len(args)); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErr("PATH is required, such as /me")
	}
	path := fs.Arg(0)
	if err := parse(fs, fs.Args()[1:], 0); err != nil {
		return err
	}
	if !strings.HasPrefix(path, "/") {
		return usageErr("PATH %q: want a path such as /me", path)
	}
	if err := s.load(fs); err != nil {
		return err
	}
	if err := s.need(s.apiURL, "api-url", names.OutAPIURL); err != nil {
		return err
	}
	bearer, source := *token, "-token"
	if bearer == "" {
		source = "$" + envIDToken
		if *access {
			source = "$" + envAccessToken
		}
		bearer = c.getenv(strings.TrimPrefix(source, "$"))
	}

	if bearer != "" && !*insecure {
		if err := checkTokenDestination(s.apiURL); err != nil {
			return err
		}
	}

	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	var body io.Reader
	if *data != "" {
		body = strings.NewReader(*data)
	}
	req, err := http.NewRequestWithContext(ctx, strings.ToUpper(*method), strings.TrimSuffix(s.apiURL, "/")+path, body)
	if err != nil {
		return usageErr("%v", err)
	}
	if *data != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	} else {
		fmt.Fprintf(c.stderr, "(no token: %s is empty; calling without one)\n", source)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := readCapped(resp.Body, 10<<20) // API Gateway's payload limit
	if err != nil {
		return fmt.Errorf("%s %s: %w", req.Method, path, err)
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(b, '\n')
	}
	c.stdout.Write(b)
	if resp.StatusCode >= 400 {
		return fmt.Errorf("%s %s: HTTP %s", req.Method, path, resp.Status)
	}
	fmt.Fprintf(c.stderr, "HTTP %s\n", resp.Status)
	return nil
}

// checkTokenDestination refuses to send a bearer token where anyone on the path can read it.
func checkTokenDestination(apiURL string) error {
	if u, err := url.Parse(apiURL); err != nil || u.Host == "" {
		return usageErr("-api-url %q: want an absolute URL such as https://abc123.execute-api.eu-west-1.amazonaws.com/dev/", apiURL)
	}
	if !private(apiURL) {
		return usageErr("-api-url %q: the bearer token would travel unencrypted; want https, or http on localhost, 127.0.0.1 or [::1] (pass -allow-insecure-http to send it anyway)", apiURL)
	}
	return nil
}

// private is the one rule for where authctl sends a token, a secret or a password: https, or
// plain http on loopback (cognito-local, the local server).
func private(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Host != "" && (strings.EqualFold(u.Scheme, "https") || routes.IsLoopbackURL(raw))
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
