package testkit

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Dynalite starts the local DynamoDB pinned in package.json (node_modules/.bin/dynalite,
// which `npm ci` installs) on a free loopback port, its data in memory, and returns its
// endpoint (localdb.Client makes a client of it); it stops when the test ends, or with the
// test binary. Without Node.js or dynalite the
// test is skipped, saying what to install, unless the environment says CI (CI=true, as GitHub
// Actions sets it): there it fails, so that CI never passes without the tests against it.
func Dynalite(t testing.TB) (endpoint string) {
	t.Helper()
	missing := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...) + "; the tests against a local DynamoDB need it"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg + " (CI is unset, so they are skipped)")
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing("Node.js is not on PATH: install Node.js 22 or 24, then run `npm ci` in the project root")
	}
	bin := filepath.Join(moduleRoot(t), "node_modules", ".bin", "dynalite")
	if _, err := os.Stat(bin); err != nil {
		missing("%s is missing: run `npm ci` in the project root (package.json pins dynalite)", bin)
	}
	var err error
	for range 3 { // a port picked free can be taken before dynalite listens on it
		if endpoint, err = startDynalite(t, bin); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return endpoint
}

var dynaliteListening = regexp.MustCompile(`listening at: (http://\S+)`)

func startDynalite(t testing.TB, bin string) (string, error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	// --port 0 means dynalite's default, 4567, so a free port is picked here.
	cmd := exec.Command(bin, "--host", "127.0.0.1", "--port", fmt.Sprint(port), "--createTableMs", "0", "--deleteTableMs", "0")
	// Killed with the test binary too, should it die before its cleanups run.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	var stderr SyncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("starting dynalite: %v", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	stop := func() {
		cmd.Process.Kill()
		<-done
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := dynaliteListening.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		for sc.Scan() { // keep the pipe drained
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	select {
	case endpoint := <-found:
		t.Cleanup(stop)
		return endpoint, nil
	case <-done:
		return "", fmt.Errorf("dynalite exited before listening: %s", strings.TrimSpace(stderr.String()))
	case <-ctx.Done():
		stop()
		return "", fmt.Errorf("dynalite did not listen within 20 s: %s", strings.TrimSpace(stderr.String()))
	}
}
