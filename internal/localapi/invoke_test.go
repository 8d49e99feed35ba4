package localapi_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/localapi"
)

// TestFunctions: Lambda's Invoke API as cognito-local calls it: the function's result, its
// error as Lambda reports a function error, and Lambda's own refusals.
func TestFunctions(t *testing.T) {
	echo := func(_ context.Context, p []byte) ([]byte, error) {
		return append([]byte(`{"got":`), append(p, '}')...), nil
	}
	fail := func(context.Context, []byte) ([]byte, error) { return nil, errors.New("bad event") }
	srv := httptest.NewServer(localapi.Functions(map[string]localapi.Function{"echo": echo, "fail": fail}, nil))
	defer srv.Close()
	do := func(method, name, body string) (int, string, http.Header) {
		req, _ := http.NewRequest(method, localapi.FunctionURL(srv.URL+"/", name), strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}
	if code, body, _ := do("POST", "echo", `{"a":1}`); code != 200 || body != `{"got":{"a":1}}` {
		t.Errorf("echo: %d %s", code, body)
	}
	if code, body, h := do("POST", "fail", `{}`); code != 200 || h.Get("X-Amz-Function-Error") != "Unhandled" || !strings.Contains(body, `"errorMessage":"bad event"`) {
		t.Errorf("a function's error: %d %s %v", code, body, h)
	}
	if code, _, h := do("POST", "nope", `{}`); code != 404 || h.Get("X-Amzn-ErrorType") != "ResourceNotFoundException" {
		t.Errorf("unknown function: %d %v", code, h)
	}
	if code, _, _ := do("GET", "echo", ""); code != 405 {
		t.Errorf("GET: %d, want 405", code)
	}
	if code, _, _ := do("POST", "echo/x", `{}`); code != 404 {
		t.Errorf("a name with a slash: %d, want 404", code)
	}
	if got := localapi.FunctionURL("http://127.0.0.1:9230/", "f"); got != "http://127.0.0.1:9230/2015-03-31/functions/f/invocations" {
		t.Errorf("FunctionURL %s", got)
	}
}
