package names

import "testing"

func TestNames(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{Prefix("demo-api", "dev"), "demo-api-dev"},
		{AuthStack("demo-api", "dev"), "demo-api-dev-auth"},
		{APIStack("demo-api", "prod"), "demo-api-prod-api"},
		{UserPool("demo-api", "dev"), "demo-api-dev"},
		{WebClient("demo-api", "dev"), "demo-api-dev-web"},
		{AlarmsStack("demo-api", "prod"), "demo-api-prod-alarms"},
		{AlarmTopic("demo-api", "prod"), "demo-api-prod-alarms"},
		{APIWebACL("demo-api", "prod"), "demo-api-prod-api"},
		{UserPoolWebACL("demo-api", "prod"), "demo-api-prod-userpool"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
