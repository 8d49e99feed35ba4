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

func TestCamel(t *testing.T) {
	for in, want := range map[string]string{
		"pre-sign-up": "PreSignUp", "handler": "Handler", "prod-eu": "ProdEu", "Prod_EU.2": "ProdEU2", "dev": "Dev",
	} {
		if got := Camel(in); got != want {
			t.Errorf("Camel(%q) = %q, want %q", in, got, want)
		}
	}
	if got := OutDeployRoleARN("prod-eu"); got != "DeployRoleArnProdEu" {
		t.Errorf("OutDeployRoleARN(prod-eu) = %q", got)
	}
}
