package main

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/localapi"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

// TestServeTrigger: with the outputs file of `authctl setup-local`, the server answers the
// pool's pre token generation trigger at its LambdaEndpoint with the trigger's own code and
// the stage's groupScopes (the dev stage: admin gets demo-api/write).
func TestServeTrigger(t *testing.T) {
	is := testkit.New(t, pool)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lambdaURL := "http://" + ln.Addr().String()
	ln.Close()
	file := filepath.Join(t.TempDir(), "local-outputs.json")
	content := `{"demo-api-dev-auth": {"IssuerUrl": "` + is.Issuer() + `", "ClientId": "` + client + `", "CognitoEndpoint": "http://127.0.0.1:9229", "LambdaEndpoint": "` + lambdaURL + `"}}`
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, stop := start(t, "-outputs", file)
	event := `{"version": "2", "triggerSource": "TokenGeneration_HostedAuth", "region": "local", "userPoolId": "local_x", "userName": "alice",
		"callerContext": {"awsSdkVersion": "cognito-local", "clientId": "c"},
		"request": {"userAttributes": {"sub": "s"}, "groupConfiguration": {"groupsToOverride": ["admin"]}, "scopes": ["openid", "demo-api/read"]},
		"response": {"claimsAndScopeOverrideDetails": null}}`
	resp, err := http.Post(localapi.FunctionURL(lambdaURL, "demo-api-dev-pretoken"), "application/json", strings.NewReader(event))
	if err != nil {
		t.Fatalf("the trigger's endpoint: %v\n%s", err, stderr)
	}
	defer resp.Body.Close()
	var reply struct {
		Response struct {
			Overrides struct {
				AccessToken struct {
					ScopesToAdd []string `json:"scopesToAdd"`
				} `json:"accessTokenGeneration"`
			} `json:"claimsAndScopeOverrideDetails"`
		} `json:"response"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&reply); err != nil || resp.StatusCode != 200 {
		t.Fatalf("invocation: %d %v", resp.StatusCode, err)
	}
	if got := reply.Response.Overrides.AccessToken.ScopesToAdd; len(got) != 1 || got[0] != "demo-api/write" {
		t.Errorf("scopesToAdd %q, want [demo-api/write]", got)
	}
	stop()
	if !strings.Contains(stderr.String(), "serving the user pool's pre token generation trigger") {
		t.Errorf("log:\n%s", stderr)
	}
}

// TestLambdaAddress: -lambda, else the outputs file's LambdaEndpoint; off or a stage without a
// trigger serve none; only loopback.
func TestLambdaAddress(t *testing.T) {
	withTrigger := stage{cfg: devConfig(t)}
	withTrigger.out.LambdaEndpoint = "http://127.0.0.1:9230"
	without := withTrigger
	without.cfg.GroupScopes, without.cfg.ExtraClaims = nil, nil
	for _, tc := range []struct {
		name, flag string
		st         stage
		want, err  string
	}{
		{"from the outputs file", "", withTrigger, "127.0.0.1:9230", ""},
		{"flag wins", "127.0.0.1:9999", withTrigger, "127.0.0.1:9999", ""},
		{"off", "off", withTrigger, "", ""},
		{"no trigger in the stage", "", without, "", ""},
		{"not loopback", "192.0.2.1:9230", withTrigger, "", "want a loopback address"},
		{"neither", "", stage{cfg: devConfig(t)}, "", ""},
	} {
		o := options{lambdaAddr: tc.flag}
		got, err := o.lambdaAddress(tc.st)
		if got != tc.want || (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: %q, %v; want %q, %q", tc.name, got, err, tc.want, tc.err)
		}
	}
}
