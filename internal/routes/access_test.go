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
	id := routes.Caller{TokenUse: "id", Groups: []string{"users"}}
	idAdmin := routes.Caller{TokenUse: "id", Groups: []string{"users", "ops"}}
	access := routes.Caller{TokenUse: "access", Scopes: []string{"openid"}}
	accessRead := routes.Caller{TokenUse: "access", Scopes: []string{"openid", "api/all"}}
	accessReadAdmin := routes.Caller{TokenUse: "access", Scopes: []string{"api/read"}, Groups: []string{"admin"}}
	other := routes.Caller{TokenUse: "refresh", Scopes: []string{"api/read"}, Groups: []string{"admin"}}

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
		{readAdmin, routes.Caller{TokenUse: "access", Scopes: []string{"api/read"}}, routes.DeniedNotInGroup},
		{readAdmin, accessReadAdmin, routes.Allowed},
		{readAdmin, none, routes.DeniedUnauthenticated},
	}
	for _, tc := range tests {
		if got := tc.route.Decide(tc.caller); got != tc.want {
			t.Errorf("%s with %+v: %q, want %q", tc.route.Key(), tc.caller, got, tc.want)
		}
	}
}

func TestNeedsCaller(t *testing.T) {
	if routes.NeedsCaller("GET /health") || !routes.NeedsCaller("GET /me") || routes.NeedsCaller("GET /unknown") {
		t.Error("NeedsCaller: want true for GET /me only")
	}
}
