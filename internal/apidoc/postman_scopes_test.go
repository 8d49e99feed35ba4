package apidoc

import (
	"slices"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// TestMachineScopes: a client-credentials request asks only for the route's scopes the machine
// client holds; Cognito refuses one that asks for more.
func TestMachineScopes(t *testing.T) {
	r := routes.Route{Method: "POST", Path: "/reports", Access: routes.Scoped, Scopes: []string{"demo-api/read", "demo-api/write"}, Clients: []string{"reporting"}}
	if got := machineScopes(r, []string{"demo-api/read", "other/x"}); !slices.Equal(got, []string{"demo-api/read"}) {
		t.Errorf("held read: %v", got)
	}
	if got := machineScopes(r, nil); !slices.Equal(got, r.Scopes) {
		t.Errorf("not known: %v, want the route's", got)
	}
}
