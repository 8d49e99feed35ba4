package trigger

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

var settings = fnenv.PreToken{
	GroupScopes: map[string][]string{
		"admin":   {"demo-api/write", "demo-api/read"},
		"readers": {"demo-api/read"},
		"ghosts":  {"other-api/everything"}, // not the resource server's: never added
	},
	ExtraClaims: map[string]string{"tenant": "acme", "email": "spoofed@example.com"},
	Scopes:      []string{"demo-api/read", "demo-api/write"},
}

// run feeds a fixture through the Lambda's JSON, as the runtime does, and returns the reply
// as JSON values.
func run(t *testing.T, s fnenv.PreToken, raw []byte) (map[string]any, string) {
	t.Helper()
	var logs bytes.Buffer
	tr := New(s, slog.New(slog.NewJSONHandler(&logs, nil)))
	var e Event
	if err := json.Unmarshal(raw, &e); err != nil {
		t.Fatal(err)
	}
	out, err := tr.Handle(context.Background(), e)
	if err != nil {
		t.Fatalf("the trigger failed a sign-in: %v", err)
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	var reply map[string]any
	json.Unmarshal(b, &reply)
	return reply, logs.String()
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	return testkit.ReadFile(t, filepath.Join("testdata", name+".json"))
}

func TestTrigger(t *testing.T) {
	tests := []struct {
		fixture string
		scopes  []any // scopesToAdd; nil: no access token override
	}{
		// The code flow asked for read already: only write is added.
		{"hosted-auth-admin", []any{"demo-api/write"}},
		{"refresh-two-groups", []any{"demo-api/write"}},
		// Password sign-ins carry no custom scope of their own: the groups' scopes are added.
		{"password-admin", []any{"demo-api/read", "demo-api/write"}},
		{"admin-password-readers", []any{"demo-api/read"}},
		{"device-auth-readers", []any{"demo-api/read"}},
		{"password-no-groups", nil},
	}
	for _, tc := range tests {
		t.Run(tc.fixture, func(t *testing.T) {
			raw := fixture(t, tc.fixture)
			reply, _ := run(t, settings, raw)
			o, _ := reply["response"].(map[string]any)["claimsAndScopeOverrideDetails"].(map[string]any)
			var got []any
			if a, ok := o["accessTokenGeneration"].(map[string]any); ok {
				got, _ = a["scopesToAdd"].([]any)
				if len(a) != 1 {
					t.Errorf("access token overrides beyond scopesToAdd: %v", a)
				}
			}
			if !reflect.DeepEqual(got, tc.scopes) {
				t.Errorf("scopesToAdd = %v, want %v", got, tc.scopes)
			}
			// The tenant is added; a claim that is a user attribute (email) is not touched.
			id, _ := o["idTokenGeneration"].(map[string]any)
			if claims, _ := id["claimsToAddOrOverride"].(map[string]any); !reflect.DeepEqual(claims, map[string]any{"tenant": "acme"}) {
				t.Errorf("ID token claims = %v, want the tenant only", claims)
			}
			// Nothing is ever suppressed or overridden beyond that.
			if b, _ := json.Marshal(reply["response"]); strings.Contains(string(b), "Suppress") || strings.Contains(string(b), "groupOverrideDetails") {
				t.Errorf("the reply suppresses or overrides: %s", b)
			}
			// The request goes back as it came.
			var in map[string]any
			json.Unmarshal(raw, &in)
			if !reflect.DeepEqual(reply["request"], in["request"]) || reply["userName"] != in["userName"] {
				t.Errorf("the request changed:\n got %v\nwant %v", reply["request"], in["request"])
			}
		})
	}
}

// TestTriggerLeavesTokensAlone: without settings, or on an event it does not know, the reply
// has no overrides at all (an empty override could remove what Cognito granted).
func TestTriggerLeavesTokensAlone(t *testing.T) {
	raw := fixture(t, "password-admin")
	for name, tc := range map[string]struct {
		s   fnenv.PreToken
		raw []byte
		log string
	}{
		"no settings":      {fnenv.PreToken{}, raw, ""},
		"unknown version":  {settings, bytes.Replace(raw, []byte(`"version": "2"`), []byte(`"version": "1"`), 1), "unexpected event version"},
		"undefined scopes": {fnenv.PreToken{GroupScopes: map[string][]string{"admin": {"other-api/x"}}, Scopes: settings.Scopes}, raw, "not defined by the resource server"},
	} {
		t.Run(name, func(t *testing.T) {
			reply, logs := run(t, tc.s, tc.raw)
			if b, _ := json.Marshal(reply["response"]); string(b) != "{}" {
				t.Errorf("response = %s, want {}", b)
			}
			if !strings.Contains(logs, tc.log) {
				t.Errorf("log lacks %q: %s", tc.log, logs)
			}
		})
	}
}

// TestInvoke: the JSON in, JSON out form cmd/local serves is Handle's.
func TestInvoke(t *testing.T) {
	raw := fixture(t, "hosted-auth-admin")
	want, _ := run(t, settings, raw)
	got, err := New(settings, nil).Invoke(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	var reply map[string]any
	if err := json.Unmarshal(got, &reply); err != nil || !reflect.DeepEqual(reply, want) {
		t.Errorf("Invoke: %s, %v; want %v", got, err, want)
	}
	if _, err := New(settings, nil).Invoke(context.Background(), []byte("not json")); err == nil {
		t.Error("Invoke took a payload that is not JSON")
	}
}
