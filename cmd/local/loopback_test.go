package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

// startLoopback runs the server with the web app on until the test ends and returns the API's
// address and the app's URL, or the exit code and stderr when it stops before serving.
func startLoopback(t *testing.T, args ...string) (apiAddr, webURL string, code int, stderr string) {
	t.Helper()
	is := testkit.New(t, pool)
	lib := filepath.Join(t.TempDir(), "oidc-client-ts.min.js")
	os.WriteFile(lib, []byte("var oidc = {};"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	out := &testkit.SyncBuffer{}
	urls := make(chan [2]string, 1)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"-cdk-json", "../../cdk.json", "-web-lib", lib, "-issuer", is.Issuer(), "-client-id", client}, args...),
			out, func(api, web string) { urls <- [2]string{api, web} })
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	select {
	case u := <-urls:
		return u[0], u[1], 0, ""
	case code := <-done:
		done <- code // for the cleanup
		return "", "", code, out.String()
	case <-time.After(10 * time.Second):
		t.Fatal("server did not start")
	}
	return
}

// The app's origin http://localhost:<port> is reached over IPv4 or IPv6, as the browser
// chooses: both loopback addresses serve it (and the API, given as localhost).
func TestLocalhostServedOnBothLoopbackAddresses(t *testing.T) {
	testkit.NeedIPv6Loopback(t)
	apiAddr, webURL, code, stderr := startLoopback(t, "-addr", "localhost:0", "-web", "localhost:0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	_, apiPort, _ := net.SplitHostPort(apiAddr)
	_, webPort, _ := net.SplitHostPort(strings.TrimSuffix(strings.TrimPrefix(webURL, "http://"), "/"))
	for _, host := range []string{"127.0.0.1", "[::1]"} {
		for what, u := range map[string]string{"the app": "http://" + host + ":" + webPort + "/config.json", "the API": "http://" + host + ":" + apiPort + "/health"} {
			resp, err := http.Get(u)
			if err != nil {
				t.Errorf("%s on %s: %v", what, host, err)
				continue
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s on %s: %d", what, host, resp.StatusCode)
			}
		}
	}
}

// An IPv6 squatter: another process holds [::1]:<port> first. Serving localhost:<port> on
// 127.0.0.1 alone would let it answer the same origin, so the server refuses to start.
func TestLocalhostWithIPv6Squatter(t *testing.T) {
	testkit.NeedIPv6Loopback(t)
	squatter, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	_, port, _ := net.SplitHostPort(squatter.Addr().String())
	_, webURL, code, stderr := startLoopback(t, "-addr", "127.0.0.1:0", "-web", "localhost:"+port)
	if code == 0 {
		t.Fatalf("served %s while another listener held [::1]:%s", webURL, port)
	}
	if code != 1 || !strings.Contains(stderr, "local: web app: ") || !strings.Contains(stderr, "[::1]:"+port) {
		t.Errorf("exit %d, stderr %q; want 1 and a message naming [::1]:%s", code, stderr, port)
	}
}
