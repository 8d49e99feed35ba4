package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/cognito-apigw/cognito-apigw/branding"
	"github.com/cognito-apigw/cognito-apigw/internal/awsauth/awsauthtest"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

const testdata = "../../branding/testdata"

// exportJSON builds a DescribeManagedLoginBrandingByClient response shaped like a real one:
// Cognito's default Settings (the shared sample) and a few assets. reorder shuffles what a
// server may legitimately send in another order: Settings keys and the asset list.
func exportJSON(t *testing.T, reorder bool) []byte {
	t.Helper()
	settings, err := os.ReadFile(filepath.Join(testdata, "../defaults/cognito-default-settings.json"))
	if err != nil {
		t.Fatal(err)
	}
	if reorder {
		// Re-encoding through a map sorts the keys; json.Number keeps 8.0 as it is.
		dec := json.NewDecoder(bytes.NewReader(settings))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		settings, _ = json.Marshal(m)
	}
	asset := func(category, mode, ext, file, id string) map[string]any {
		b, err := os.ReadFile(filepath.Join(testdata, "assets", file))
		if err != nil {
			t.Fatal(err)
		}
		return map[string]any{"Category": category, "ColorMode": mode, "Extension": ext,
			"Bytes": base64.StdEncoding.EncodeToString(b), "ResourceId": id}
	}
	assets := []map[string]any{
		asset("FORM_LOGO", "LIGHT", "SVG", "logo.svg", "a1b2c3d4-logo"),
		asset("FAVICON_ICO", "DYNAMIC", "ICO", "favicon.ico", "e5f6a7b8-ico"),
		asset("PAGE_BACKGROUND", "DARK", "JPEG", "photo.jpg", "c9d0e1f2-bg"),
	}
	if reorder {
		slices.Reverse(assets)
	}
	assetJSON, _ := json.Marshal(assets)
	return []byte(`{"ManagedLoginBranding": {
		"ManagedLoginBrandingId": "0b8f3c2e-6a1d-4f5e-9c7b-2d4e6f8a0b1c",
		"UserPoolId": "eu-west-1_AbCdEfGhI",
		"UseCognitoProvidedValues": false,
		"Settings": ` + string(settings) + `,
		"Assets": ` + string(assetJSON) + `,
		"CreationDate": 1.736936430123E9,
		"LastModifiedDate": 1738396800.456}}`)
}

// fakeCognito speaks the Cognito JSON 1.1 protocol for DescribeManagedLoginBrandingByClient.
func fakeCognito(t *testing.T, reply func() (int, []byte)) (*httptest.Server, *[]map[string]any) {
	var requests []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method != http.MethodPost:
			t.Errorf("method %s, want POST", r.Method)
		case r.Header.Get("X-Amz-Target") != "AWSCognitoIdentityProviderService.DescribeManagedLoginBrandingByClient":
			t.Errorf("X-Amz-Target %q", r.Header.Get("X-Amz-Target"))
		case r.Header.Get("Content-Type") != "application/x-amz-json-1.1":
			t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
		case !strings.Contains(r.Header.Get("Authorization"), "Credential=AKIDFAKE/"):
			t.Errorf("request not signed with the fake credentials: %q", r.Header.Get("Authorization"))
		}
		body, _ := io.ReadAll(r.Body)
		var req map[string]any
		if err := json.Unmarshal(body, &req); err != nil {
			t.Errorf("request body %q: %v", body, err)
		}
		requests = append(requests, req)
		status, resp := reply()
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(status)
		w.Write(resp)
	}))
	t.Cleanup(srv.Close)
	return srv, &requests
}

// testCLI runs the command with fake static credentials and no shared AWS config.
func testCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "no-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "no-credentials"))
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	var out, errOut bytes.Buffer
	c := &app{stdout: &out, stderr: &errOut, awsOptions: []func(*config.LoadOptions) error{
		config.WithCredentialsProvider(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDFAKE", SecretAccessKey: "fake-secret", Source: "test"}, nil
		})),
		// Two attempts, as the SDK would make many: about 1 call in 200 here saw the loopback
		// connection reset while reading the reply, which the SDK retries like any reset.
		config.WithRetryMaxAttempts(2),
	}}
	code = c.run(context.Background(), args)
	if s := errOut.String(); strings.Contains(s, "goroutine ") || strings.Contains(s, "panic") {
		t.Errorf("stack trace on stderr:\n%s", s)
	}
	return code, out.String(), errOut.String()
}

func TestPull(t *testing.T) {
	reorder := false
	srv, requests := fakeCognito(t, func() (int, []byte) { return 200, exportJSON(t, reorder) })
	out := filepath.Join(t.TempDir(), "branding")
	pull := func() {
		t.Helper()
		code, stdout, stderr := testCLI(t, "pull", "-user-pool-id", "eu-west-1_AbCdEfGhI", "-client-id", "1example23456789",
			"-return-merged-resources", "-region", "eu-west-1", "-endpoint", srv.URL, "-dir", out)
		if code != 0 {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
	}
	pull()

	want := map[string]any{"UserPoolId": "eu-west-1_AbCdEfGhI", "ClientId": "1example23456789", "ReturnMergedResources": true}
	if got := (*requests)[0]; !reflect.DeepEqual(got, want) {
		t.Errorf("request %v, want %v", got, want)
	}
	first := testkit.DirFiles(t, out)
	wantFiles := []string{"assets/favicon-ico-dynamic.ico", "assets/form-logo-light.svg", "assets/page-background-dark.jpg", "style.json"}
	if got := slices.Sorted(maps.Keys(first)); !slices.Equal(got, wantFiles) {
		t.Errorf("files %v, want %v", got, wantFiles)
	}

	// The folder loads clean, with the sample's Settings, numbers as written, and the images.
	s, err := branding.Load(filepath.Join(out, "style.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.Settings, branding.DefaultSettings()) {
		t.Errorf("Settings differ from the exported ones")
	}
	styleJSON := first["style.json"]
	if !strings.Contains(styleJSON, `"borderRadius": 8.0`) || !strings.Contains(styleJSON, "\n  \"Settings\": {\n    \"categories\"") {
		t.Errorf("style.json is not 2-space indented with numbers as written:\n%.300s", styleJSON)
	}
	for _, key := range []string{"ManagedLoginBrandingId", "UserPoolId", "CreationDate", "Bytes"} {
		if strings.Contains(styleJSON, key) {
			t.Errorf("style.json holds %s", key)
		}
	}
	logo, _ := os.ReadFile(filepath.Join(testdata, "assets", "logo.svg"))
	if first["assets/form-logo-light.svg"] != string(logo) {
		t.Errorf("the logo file does not hold the exported bytes")
	}

	// Pulling an unchanged style again, even sent in another order, changes no byte.
	for _, r := range []bool{false, true} {
		reorder = r
		pull()
		if again := testkit.DirFiles(t, out); !maps.Equal(again, first) {
			t.Errorf("pull (reordered %v) changed the folder", r)
		}
	}
}

func TestPullCognitoDefaults(t *testing.T) {
	srv, _ := fakeCognito(t, func() (int, []byte) {
		return 200, []byte(`{"ManagedLoginBranding": {"ManagedLoginBrandingId": "0b8f3c2e-6a1d-4f5e-9c7b-2d4e6f8a0b1c",
			"UserPoolId": "eu-west-1_AbCdEfGhI", "UseCognitoProvidedValues": true, "Assets": [], "CreationDate": 1736936430}}`)
	})
	out := t.TempDir()
	code, _, stderr := testCLI(t, "pull", "-user-pool-id", "p", "-client-id", "c", "-region", "eu-west-1", "-endpoint", srv.URL, "-dir", out, "-name", "defaults.json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, _ := os.ReadFile(filepath.Join(out, "defaults.json"))
	if string(got) != "{\n  \"UseCognitoProvidedValues\": true\n}\n" {
		t.Errorf("defaults.json = %q", got)
	}
}

func TestPullErrors(t *testing.T) {
	srv, _ := fakeCognito(t, func() (int, []byte) {
		return 400, []byte(`{"__type": "ResourceNotFoundException", "message": "No managed login branding for client"}`)
	})
	code, _, stderr := testCLI(t, "pull", "-user-pool-id", "p", "-client-id", "c", "-region", "eu-west-1", "-endpoint", srv.URL, "-dir", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "ResourceNotFoundException") || !strings.Contains(stderr, "No managed login branding for client") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}

	code, _, stderr = testCLI(t, "pull", "-user-pool-id", "p", "-client-id", "c", "-endpoint", srv.URL)
	if code != 1 || !strings.Contains(stderr, "no AWS Region") {
		t.Errorf("without a region: exit %d, stderr %q", code, stderr)
	}
}

// Without credentials pull says what is missing and how to provide it, before any call and
// without the SDK's chain of provider errors.
func TestPullWithoutCredentials(t *testing.T) {
	srv, requests := fakeCognito(t, func() (int, []byte) { return 200, exportJSON(t, false) })
	awsauthtest.NoCredentials(t)
	var stdout, stderr bytes.Buffer
	out := filepath.Join(t.TempDir(), "branding")
	c := &app{stdout: &stdout, stderr: &stderr}
	code := c.run(context.Background(), []string{"pull", "-user-pool-id", "p", "-client-id", "c", "-region", "eu-west-1", "-endpoint", srv.URL, "-dir", out})
	if code != 1 {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	msg := stderr.String()
	for _, want := range []string{"branding pull: no AWS credentials found", "AWS_PROFILE", "aws configure sso", "AWS_ACCESS_KEY_ID"} {
		if !strings.Contains(msg, want) {
			t.Errorf("stderr lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "IMDS") || strings.Count(msg, "\n") != 1 {
		t.Errorf("want one line without the SDK's provider chain:\n%s", msg)
	}
	if len(*requests) != 0 {
		t.Errorf("%d requests reached Cognito", len(*requests))
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("-dir was created: %v", err)
	}
}

// A bad -dir or -name is refused before any call, naming the flag and the path.
func TestPullOutFlags(t *testing.T) {
	srv, requests := fakeCognito(t, func() (int, []byte) { return 200, exportJSON(t, false) })
	file := filepath.Join(t.TempDir(), "style.json")
	os.WriteFile(file, []byte("{}"), 0o644)
	blocked := filepath.Join(file, "branding") // under a file: cannot be created
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-dir", file}, 2, "branding pull: -dir " + file + " is a file; want the folder to write style.json and assets/ into"},
		{[]string{"-dir", t.TempDir(), "-name", "sub/style.json"}, 2, `branding pull: -name "sub/style.json": want a file name without a folder`},
		{[]string{"-dir", blocked}, 1, "branding pull: -dir " + blocked + ": cannot create the folder: not a directory"},
	} {
		args := append([]string{"pull", "-user-pool-id", "p", "-client-id", "c", "-region", "eu-west-1", "-endpoint", srv.URL}, tt.args...)
		code, _, stderr := testCLI(t, args...)
		if code != tt.code || !strings.HasPrefix(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
	if len(*requests) != 1 { // only the last case gets as far as the call
		t.Errorf("%d requests reached Cognito, want 1", len(*requests))
	}
}

// pull's folder flag is -dir (-out names a file in every command); the old -out still works,
// with a note.
func TestPullFormerOutFlag(t *testing.T) {
	srv, _ := fakeCognito(t, func() (int, []byte) { return 200, exportJSON(t, false) })
	out := filepath.Join(t.TempDir(), "branding")
	code, stdout, stderr := testCLI(t, "pull", "-user-pool-id", "p", "-client-id", "c", "-region", "eu-west-1", "-endpoint", srv.URL, "-out", out)
	if code != 0 || !strings.HasPrefix(stderr, "branding pull: note: -out is now -dir") || !strings.Contains(stdout, filepath.Join(out, "style.json")) {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
