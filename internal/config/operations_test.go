package config

import (
	"testing"
)

// loadDev loads a stage "dev" of the built-in defaults alone, changed by edit, so that a refused
// value gives exactly the problems it causes.
func loadDev(t *testing.T, edit func(dev map[string]any)) (Config, error) {
	t.Helper()
	ctx := contextWith(t, nil, `{"dev": {}}`)
	if edit != nil {
		edit(ctx[KeyStages].(map[string]any)["dev"].(map[string]any))
	}
	return Load(ctx)
}

// The user pool web ACL's rate limit, at both edges of WAF's range; the other two settings are
// plain switches, refused as anything but true or false. Every problem is reported at once.
func TestOperationsSettings(t *testing.T) {
	const dev = "stages.dev."
	set := func(kv ...any) func(map[string]any) {
		return func(d map[string]any) {
			for i := 0; i < len(kv); i += 2 {
				d[kv[i].(string)] = kv[i+1]
			}
		}
	}
	pool := func(rate any) map[string]any { return map[string]any{"enabled": true, "rateLimit": rate} }
	for _, tc := range []struct {
		name string
		edit func(map[string]any)
		want []string // the problems, in order (their start); none: accepted
	}{
		{name: "rate limit of 9", edit: set("userPoolWaf", pool(9)),
			want: []string{dev + `userPoolWaf.rateLimit: got 9; want 10 to 2000000000 requests per IP address in 5 minutes (WAF's range)`}},
		{name: "rate limit of 10", edit: set("userPoolWaf", pool(10))},
		{name: "rate limit of 2000000000", edit: set("userPoolWaf", pool(2_000_000_000))},
		{name: "rate limit of 2000000001", edit: set("userPoolWaf", pool(2_000_000_001)),
			want: []string{dev + `userPoolWaf.rateLimit: got 2000000001; want 10 to 2000000000 requests per IP address in 5 minutes (WAF's range)`}},
		// Off, the limit is still checked: turning the ACL on later must not be what reveals it.
		{name: "rate limit of 0 while off", edit: set("userPoolWaf", map[string]any{"rateLimit": 0}),
			want: []string{dev + `userPoolWaf.rateLimit: got 0; want 10 to 2000000000`}},
		{name: "rate limit as a string", edit: set("userPoolWaf", pool("500")),
			want: []string{dev + `userPoolWaf.rateLimit: got "500"; want a whole number`}},
		{name: "unknown key", edit: set("userPoolWaf", map[string]any{"enabled": true, "rateLimt": 100}),
			want: []string{dev + `userPoolWaf.rateLimt: unknown setting; did you mean "rateLimit"? (want one of enabled, rateLimit)`}},
		{name: "a switch for the web ACL", edit: set("userPoolWaf", true),
			want: []string{dev + `userPoolWaf: got true; want an object`}},
		{name: "miscased key", edit: set("userPoolWAF", map[string]any{"enabled": true}),
			want: []string{dev + `userPoolWAF: unknown setting; did you mean "userPoolWaf"? (keys are case-sensitive)`}},
		{name: "sign-in logs as a string", edit: set("signInLogs", "yes"),
			want: []string{dev + `signInLogs: got "yes"; want true or false`}},
		{name: "tracing as a number", edit: set("tracing", 1),
			want: []string{dev + `tracing: got 1; want true or false`}},
		{name: "all three on", edit: set("userPoolWaf", map[string]any{"enabled": true}, "signInLogs", true, "tracing", true)},
		{name: "every problem at once", edit: set("userPoolWaf", pool(5), "signInLogs", "on", "tracing", "off"),
			want: []string{
				dev + `signInLogs: got "on"; want true or false`,
				dev + `tracing: got "off"; want true or false`,
				dev + `userPoolWaf.rateLimit: got 5; want 10 to 2000000000`,
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadDev(t, tc.edit)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("refused:\n%s", err)
				}
				return
			}
			wantProblemsStarting(t, err, tc.want)
		})
	}
}

// A stage starts with all three off (dev stays cheap); the committed prod stage turns them on.
func TestOperationsDefaults(t *testing.T) {
	d := Defaults("demo-api")
	if d.UserPoolWAF != (WAF{RateLimit: 500}) || d.SignInLogs || d.Tracing {
		t.Errorf("defaults: userPoolWaf %+v, signInLogs %v, tracing %v; want off, rate limit 500", d.UserPoolWAF, d.SignInLogs, d.Tracing)
	}
	for stage, on := range map[string]bool{"dev": false, "prod": true} {
		ctx := projectContext(t)
		ctx[KeyStage] = stage
		cfg, err := Load(ctx)
		if err != nil {
			t.Fatalf("stage %s: %v", stage, err)
		}
		if cfg.UserPoolWAF.Enabled != on || cfg.SignInLogs != on || cfg.Tracing != on || cfg.UserPoolWAF.RateLimit != 500 {
			t.Errorf("stage %s: userPoolWaf %+v, signInLogs %v, tracing %v; want all %v", stage, cfg.UserPoolWAF, cfg.SignInLogs, cfg.Tracing, on)
		}
		// prod runs threat protection, so its sign-in events are delivered too.
		if cfg.SignInEventLogs() != on {
			t.Errorf("stage %s: SignInEventLogs %v, want %v", stage, cfg.SignInEventLogs(), on)
		}
	}
}

func TestRedirectsToLoopbackOrIPv4(t *testing.T) {
	for _, tc := range []struct {
		callbacks, logouts []string
		loopback, ipv4     bool
	}{
		{[]string{"https://app.acme.io/cb"}, []string{"https://app.acme.io"}, false, false},
		{[]string{"https://app.acme.io/cb", "http://localhost:3000/cb"}, []string{"https://app.acme.io"}, true, false},
		{[]string{"http://LOCALHOST:3000/cb"}, nil, true, false},
		{[]string{"http://127.0.0.1:8976/callback"}, nil, true, true},
		{[]string{"http://[::1]:8976/callback"}, nil, true, false},
		// A sign-out URL goes out as logout_uri, a query argument too.
		{[]string{"https://app.acme.io/cb"}, []string{"http://localhost:3000"}, true, false},
		{[]string{"https://app.acme.io/cb"}, []string{"https://10.0.0.5"}, false, true},
		// A native app's scheme is no loopback, whatever its host.
		{[]string{"myapp://localhost/cb"}, nil, false, false},
		// Not on loopback: the user info hides the real host.
		{[]string{"http://localhost@app.acme.io/cb"}, nil, false, false},
		{[]string{"https://app.acme.io.127.0.0.1.nip.io/cb"}, nil, false, false},
	} {
		s := Stage{CallbackURLs: tc.callbacks, LogoutURLs: tc.logouts}
		if got := s.RedirectsToLoopback(); got != tc.loopback {
			t.Errorf("%v %v: RedirectsToLoopback = %v, want %v", tc.callbacks, tc.logouts, got, tc.loopback)
		}
		if got := s.RedirectsToIPv4(); got != tc.ipv4 {
			t.Errorf("%v %v: RedirectsToIPv4 = %v, want %v", tc.callbacks, tc.logouts, got, tc.ipv4)
		}
	}
}

// User sign-in events come from threat protection, which runs on the PLUS plan only.
func TestSignInEventLogs(t *testing.T) {
	for _, tc := range []struct {
		stage Stage
		want  bool
	}{
		{Stage{SignInLogs: false, ThreatProtection: true}, false},
		{Stage{SignInLogs: true}, false},
		{Stage{SignInLogs: true, FeaturePlan: "PLUS"}, false},
		{Stage{SignInLogs: true, ThreatProtection: true}, true},
		{Stage{SignInLogs: true, ThreatProtection: true, FeaturePlan: "PLUS"}, true},
	} {
		if got := tc.stage.SignInEventLogs(); got != tc.want {
			t.Errorf("signInLogs %v, threatProtection %v, featurePlan %q: SignInEventLogs = %v, want %v",
				tc.stage.SignInLogs, tc.stage.ThreatProtection, tc.stage.FeaturePlan, got, tc.want)
		}
	}
}
