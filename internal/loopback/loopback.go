// Package loopback is the project's one rule of what counts as loopback (IsHost, IsURL: the
// configuration's callback URLs and origins, the CLIs' endpoints, the verifier's issuer), and
// opens the listeners of the servers the project runs on the user's machine (cmd/local's API
// and web app, authctl login's callback) on the addresses such a host stands for.
package loopback

import (
	"errors"
	"fmt"
	"net"
	"syscall"
)

// Listen listens on addr, host:port with a loopback host. 127.0.0.1 and [::1] are one address
// each. The name localhost stands for both: a browser reaches http://localhost:<port> over
// either, whatever the hosts file says, so one left free would let another local process serve
// the same origin. Listen then holds the port on both, or fails naming the one it could not
// get; a machine without IPv6 loopback gets 127.0.0.1 alone (no process can listen on an address
// the machine lacks). Port 0 takes a port free on both. Serve the same handler on every
// listener returned; the first is 127.0.0.1's for localhost.
func Listen(addr string) ([]net.Listener, error) {
	return listen(net.Listen, addr)
}

// listen is Listen with the system's listen call given, so tests can play a machine without
// IPv6 loopback.
func listen(sysListen func(network, addr string) (net.Listener, error), addr string) ([]net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if !IsHost(host) {
		return nil, fmt.Errorf("%s: not a loopback address (localhost, 127.0.0.1 or [::1])", addr)
	}
	if net.ParseIP(host) != nil {
		ln, err := sysListen("tcp", addr)
		if err != nil {
			return nil, err
		}
		return []net.Listener{ln}, nil
	}
	// localhost. With port 0 the port 127.0.0.1 gets may be taken on [::1]: try a few.
	for try := 1; ; try++ {
		v4, err := sysListen("tcp", net.JoinHostPort("127.0.0.1", port))
		if err != nil {
			return nil, fmt.Errorf("localhost:%s needs 127.0.0.1 and [::1]: %w", port, err)
		}
		_, got, _ := net.SplitHostPort(v4.Addr().String())
		v6, err := sysListen("tcp", net.JoinHostPort("::1", got))
		switch {
		case err == nil:
			return []net.Listener{v4, v6}, nil
		case errors.Is(err, syscall.EADDRNOTAVAIL) || errors.Is(err, syscall.EAFNOSUPPORT):
			return []net.Listener{v4}, nil // no IPv6 loopback on this machine
		}
		v4.Close()
		if port != "0" || try == 10 || !errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("localhost:%s needs 127.0.0.1 and [::1], or another process could serve it over IPv6: %w", port, err)
		}
	}
}
