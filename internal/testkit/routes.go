package testkit

import "github.com/cognito-apigw/cognito-apigw/internal/routes"

// SampleRoutes is the sample app's route table (cdk.json's defaults, without the machine
// client on GET /items): a public route, an ID-token route, a read and a write scope, a path
// parameter, a group. A new table each call, so that a test may change its copy.
func SampleRoutes() routes.Table {
	return routes.Table{
		{Method: "GET", Path: "/health", Access: routes.Public},
		{Method: "GET", Path: "/me", Access: routes.Protected},
		{Method: "GET", Path: "/items", Access: routes.Scoped, Scopes: []string{"demo-api/read"}},
		{Method: "POST", Path: "/items", Access: routes.Scoped, Scopes: []string{"demo-api/write"}},
		{Method: "GET", Path: "/items/{id}", Access: routes.Scoped, Scopes: []string{"demo-api/read"}},
		{Method: "DELETE", Path: "/items/{id}", Access: routes.Scoped, Scopes: []string{"demo-api/write"}},
		{Method: "GET", Path: "/admin", Access: routes.Protected, Groups: []string{"admin"}},
	}
}
