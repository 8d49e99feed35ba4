package routes_test

import (
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

func TestDecide(t *testing.T) {
	public := routes.Route{Method: "GET", Path: "/health", Access: routes.Public}
	me := routes.Route{Method: "GET", Path: "/me", Access: routes.Protected}
	admin := routes.Route{Method: "GET", Path: "/admin", Access: routes.Protected, Groups: []string{"admin", "ops"}}
	read := routes.Route{Method: "GET", Path: "/items", Access: routes.Scoped, Scopes: []string{"api/read", "api/all"}}
	readAdmin := routes.Route{Method: "DELETE", Path: "/items", Access: routes.Scoped, Scopes: []string{"api/read"}, Groups: []string{"admin"}}

	none := routes.Caller{}
	id := routes.Caller{TokenUse: "id", Client: "web", Groups: []string{"users"}}
	idAdmin := routes.Caller{TokenUse: "id", Client: "web", Groups: []string{"users", "ops"}}
	access := routes.Caller{TokenUse: "access", Client: "web", Scopes: []string{"openid"}}
	accessRead := routes.Caller{TokenUse: "access", Client: "web", Scopes: []string{"openid", "api/all"}}
	accessReadAdmin := routes.Caller{TokenUse: "access", Client: "web", Scopes: []string{"api/read"}, Groups: []string{"admin"}}
	other := routes.Caller{TokenUse: "refresh", Client: "web", Scopes: []string{"api/read"}, Groups: []string{"admin"}}
	// A machine client's access token: no user, so no groups.
	machineRead := routes.Caller{TokenUse: "access", Client: "reporting", Scopes: []string{"api/read"}}
	machineNone := routes.Caller{TokenUse: "access", Client: "reporting", Scopes: []string{"api/write"}}
	forMachines := routes.Route{Method: "GET", Path: "/reports", Access: routes.Scoped, Scopes: []string{"api/read"}, Clients: []string{"web", "reporting"}}
	machineOnly := routes.Route{Method: "POST", Path: "/reports", Access: routes.Scoped, Scopes: []string{"api/read"}, Clients: []string{"reporting"}}

	tests := []struct {
		route  routes.Route
		caller routes.Caller
		want   routes.Verdict
	}{
		{public, none, routes.Allowed},
		{public, other, routes.Allowed},
		{me, none, routes.DeniedUnauthenticated},
		{me, id, routes.Allowed},
		{me, access, routes.DeniedWrongTokenUse},
		{me, other, routes.DeniedWrongTokenUse},
		{admin, id, routes.DeniedNotInGroup},
		{admin, idAdmin, routes.Allowed},
		{admin, accessReadAdmin, routes.DeniedWrongTokenUse},
		{read, id, routes.DeniedWrongTokenUse},
		{read, access, routes.DeniedInsufficientScope},
		{read, accessRead, routes.Allowed},
		{readAdmin, accessRead, routes.DeniedInsufficientScope}, // scopes before groups, as API Gateway checks them first
		{readAdmin, routes.Caller{TokenUse: "access", Client: "web", Scopes: []string{"api/read"}}, routes.DeniedNotInGroup},
		{readAdmin, accessReadAdmin, routes.Allowed},
		{readAdmin, none, routes.DeniedUnauthenticated},
		// App clients: the web client by default, machine clients where a route names them.
		{read, machineRead, routes.DeniedClient},
		{read, machineNone, routes.DeniedInsufficientScope}, // scopes first, as API Gateway checks them
		{me, machineRead, routes.DeniedWrongTokenUse},
		{admin, machineRead, routes.DeniedWrongTokenUse},
		{forMachines, machineRead, routes.Allowed},
		{forMachines, machineNone, routes.DeniedInsufficientScope},
		{forMachines, accessReadAdmin, routes.Allowed},
		{machineOnly, machineRead, routes.Allowed},
		{machineOnly, routes.Caller{TokenUse: "access", Client: "web", Scopes: []string{"api/read"}}, routes.DeniedClient},
		{public, machineRead, routes.Allowed},
	}
	for _, tc := range tests {
		if got := tc.route.Decide(tc.caller); got != tc.want {
			t.Errorf("%s with %+v: %q, want %q", tc.route.Key(), tc.caller, got, tc.want)
		}
	}
}
