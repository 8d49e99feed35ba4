package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
)

func TestNewLinkerFromEnv(t *testing.T) {
	// No shared AWS files of the machine's: the SDK needs none to build a client.
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_REGION", "us-east-1")
	logger := slog.New(slog.DiscardHandler)

	// What the auth stack writes, through the same contract.
	env := fnenv.PreSignUp{Authorities: authorities}.Env()
	l, err := newLinker(context.Background(), func(k string) string { return env[k] }, logger)
	if err != nil || l == nil || !reflect.DeepEqual(l.authorities, authorities) {
		t.Fatalf("newLinker = %+v, %v; want the stack's authorities", l, err)
	}

	for v, want := range map[string]string{
		"":   "LINK_AUTHORITIES is not set",
		"[]": "LINK_AUTHORITIES: names no provider",
	} {
		l, err := newLinker(context.Background(), func(k string) string { return map[string]string{fnenv.EnvLinkAuthorities: v}[k] }, logger)
		if err == nil || l != nil || !strings.Contains(err.Error(), want) {
			t.Errorf("newLinker with %q = %v, %v; want an error with %q", v, l, err, want)
		}
	}
}
