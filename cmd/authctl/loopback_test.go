package main

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

// freeOnBothLoopbacks returns a port free on 127.0.0.1 and [::1]; it skips the test on a
// machine without [::1].
func freeOnBothLoopbacks(t *testing.T) string {
	t.Helper()
	testkit.NeedIPv6Loopback(t)
	for range 10 {
		v4, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		_, port, _ := net.SplitHostPort(v4.Addr().String())
		v6, err := net.Listen("tcp", "[::1]:"+port)
		v4.Close()
		if err == nil {
			v6.Close()
			return port
		}
	}
	t.Fatal("no port free on both loopback addresses")
	return ""
}

// A callback on localhost is served on both loopback addresses, which a browser may use.
func TestLoginCallbackOnBothLoopbackAddresses(t *testing.T) {
	srv := authServer(t)
	port := freeOnBothLoopbacks(t)
	redirect := "http://localhost:" + port + "/callback"
	answers := make(chan string, 2)
	browse := func(u string) error {
		go func() {
			// A redirect with a foreign state gets 400 from authctl's listener, on either address.
			for _, host := range []string{"127.0.0.1", "[::1]"} {
				resp, err := http.Get("http://" + host + ":" + port + "/callback?code=c&state=other")
				if err != nil {
					answers <- host + ": " + err.Error()
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				answers <- host + ": " + string(b)
			}
			if resp, err := http.Get(u); err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
	code, _, stderr := testRun{openBrowser: browse}.run(t, "login", "-cdk-json", cdkJSON, "-client-id", "client1",
		"-domain", srv.URL, "-redirect-uri", redirect, "-timeout", "10s")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for range 2 {
		if a := <-answers; !strings.Contains(a, "does not belong to the sign-in") {
			t.Errorf("authctl's callback listener answered %q", a)
		}
	}
}

// An IPv6 squatter: another process holds [::1]:<port> first; authctl must not wait for the
// redirect on 127.0.0.1 alone, where the squatter could take the code for localhost:<port>.
func TestLoginCallbackWithIPv6Squatter(t *testing.T) {
	srv := authServer(t)
	port := freeOnBothLoopbacks(t)
	squatter, err := net.Listen("tcp", "[::1]:"+port)
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	code, _, stderr := testCLI(t, "login", "-cdk-json", cdkJSON, "-client-id", "client1", "-domain", srv.URL,
		"-redirect-uri", "http://localhost:"+port+"/callback", "-no-browser", "-timeout", "1s")
	if code != 1 || !strings.Contains(stderr, "cannot listen on localhost:"+port) || !strings.Contains(stderr, "[::1]:"+port) {
		t.Errorf("exit %d, stderr %q; want 1 and a message naming [::1]:%s", code, stderr, port)
	}
}
