package testkit

import (
	"net"
	"testing"
)

// NeedIPv6Loopback skips the test on a machine without [::1] to listen on.
func NeedIPv6Loopback(t testing.TB) {
	t.Helper()
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	ln.Close()
}
