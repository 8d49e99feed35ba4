package loopback

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

// serve serves one handler on every listener until the test ends, as cmd/local and authctl do.
func serve(t *testing.T, lns []net.Listener) {
	t.Helper()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") })}
	for _, ln := range lns {
		go srv.Serve(ln)
	}
	t.Cleanup(func() { srv.Close() })
}

// answers reports whether host:port serves the handler of serve.
func answers(t *testing.T, host, port string) bool {
	t.Helper()
	resp, err := http.Get("http://" + net.JoinHostPort(host, port) + "/")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b) == "hello"
}

func portOf(ln net.Listener) string {
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

func TestLocalhostHoldsBothAddresses(t *testing.T) {
	testkit.NeedIPv6Loopback(t)
	lns, err := Listen("localhost:0")
	if err != nil {
		t.Fatal(err)
	}
	serve(t, lns)
	if len(lns) != 2 || portOf(lns[0]) != portOf(lns[1]) {
		t.Fatalf("listeners %v %v; want 127.0.0.1 and [::1] on one port", lns[0].Addr(), lns[len(lns)-1].Addr())
	}
	port := portOf(lns[0])
	for _, host := range []string{"127.0.0.1", "::1"} {
		if !answers(t, host, port) {
			t.Errorf("%s:%s does not answer", host, port)
		}
	}
}

// An IPv6 squatter holds [::1]:<port> before the project asks for localhost:<port>: Listen
// fails, naming the address, and does not keep 127.0.0.1:<port> for itself.
func TestIPv6Squatter(t *testing.T) {
	testkit.NeedIPv6Loopback(t)
	lns, err := Listen("localhost:0") // a port free on both
	if err != nil {
		t.Fatal(err)
	}
	port := portOf(lns[0])
	for _, ln := range lns {
		ln.Close()
	}
	squatter, err := net.Listen("tcp", "[::1]:"+port)
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	lns, err = Listen("localhost:" + port)
	if err == nil {
		serve(t, lns)
		t.Fatalf("Listen(localhost:%s) served on %d listeners while [::1]:%s was taken", port, len(lns), port)
	}
	if !errors.Is(err, syscall.EADDRINUSE) || !strings.Contains(err.Error(), "[::1]:"+port) {
		t.Errorf("error %q; want address in use, naming [::1]:%s", err, port)
	}
	v4, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatalf("127.0.0.1:%s stayed taken after the failure: %v", port, err)
	}
	v4.Close()
}

func TestIPv4Squatter(t *testing.T) {
	squatter, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	port := portOf(squatter)
	if lns, err := Listen("localhost:" + port); err == nil {
		serve(t, lns)
		t.Fatalf("Listen(localhost:%s) succeeded while 127.0.0.1:%s was taken", port, port)
	} else if !strings.Contains(err.Error(), "127.0.0.1:"+port) {
		t.Errorf("error %q; want it to name 127.0.0.1:%s", err, port)
	}
}

// withoutIPv6 plays a machine whose loopback has no ::1: binding it fails with errno.
func withoutIPv6(errno syscall.Errno) func(network, addr string) (net.Listener, error) {
	return func(network, addr string) (net.Listener, error) {
		if strings.HasPrefix(addr, "[::1]") {
			return nil, &net.OpError{Op: "listen", Net: network, Err: os.NewSyscallError("bind", errno)}
		}
		return net.Listen(network, addr)
	}
}

// Without IPv6 loopback, nothing can squat [::1]: localhost is served on 127.0.0.1 alone.
func TestNoIPv6Loopback(t *testing.T) {
	for _, errno := range []syscall.Errno{syscall.EADDRNOTAVAIL, syscall.EAFNOSUPPORT} {
		lns, err := listen(withoutIPv6(errno), "localhost:0")
		if err != nil {
			t.Fatalf("%v: %v", errno, err)
		}
		serve(t, lns)
		if len(lns) != 1 || !answers(t, "127.0.0.1", portOf(lns[0])) {
			t.Errorf("%v: %d listeners; want 127.0.0.1 alone, answering", errno, len(lns))
		}
	}
	// Another failure on [::1] is not taken for a missing address.
	if lns, err := listen(withoutIPv6(syscall.EACCES), "localhost:0"); err == nil {
		serve(t, lns)
		t.Error("permission denied on [::1]: Listen succeeded")
	}
}

// With port 0, a port 127.0.0.1 gets that [::1] has taken is given back, and another tried.
func TestPortZeroTriesAgain(t *testing.T) {
	taken := 0
	var given []net.Listener
	sysListen := func(network, addr string) (net.Listener, error) {
		if strings.HasPrefix(addr, "[::1]") && taken == 0 {
			taken++
			return nil, &net.OpError{Op: "listen", Net: network, Err: os.NewSyscallError("bind", syscall.EADDRINUSE)}
		}
		if strings.HasPrefix(addr, "[::1]") {
			addr = "127.0.0.1:0" // plays [::1] on a machine that may lack it
		}
		ln, err := net.Listen(network, addr)
		if err == nil {
			given = append(given, ln)
		}
		return ln, err
	}
	lns, err := listen(sysListen, "localhost:0")
	if err != nil {
		t.Fatal(err)
	}
	serve(t, lns)
	if len(lns) != 2 || len(given) != 3 || lns[0] != given[1] {
		t.Fatalf("%d listeners of %d given; want the second try's pair", len(lns), len(given))
	}
	if answers(t, "127.0.0.1", portOf(given[0])) {
		t.Error("the first try's 127.0.0.1 listener is still open")
	}
}

func TestAddresses(t *testing.T) {
	lns, err := Listen("127.0.0.1:0")
	if err != nil || len(lns) != 1 {
		t.Fatalf("127.0.0.1:0: %d listeners, %v", len(lns), err)
	}
	lns[0].Close()
	if probe, err := net.Listen("tcp", "[::1]:0"); err == nil {
		probe.Close()
		if lns, err = Listen("[::1]:0"); err != nil || len(lns) != 1 {
			t.Fatalf("[::1]:0: %d listeners, %v", len(lns), err)
		}
		lns[0].Close()
	}
	for _, addr := range []string{":0", "0.0.0.0:0", "[::]:0", "127.0.0.2:0", "example.com:80", "localhost"} {
		if lns, err := Listen(addr); err == nil {
			serve(t, lns)
			t.Errorf("%s: listening; want it refused", addr)
		}
	}
}
