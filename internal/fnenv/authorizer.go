package fnenv

import "github.com/cognito-apigw/cognito-apigw/internal/routes"

// Authorizer is what the API stack hands the Lambda token authorizer (lambda/authorizer) of a
// stage with authorizer: "lambda".
type Authorizer struct {
	// Issuer is the user pool's issuer URL; in the stacks, a CDK token. The verifier checks
	// its form when it loads the pool's keys.
	Issuer string
	// Routes is the table the policies are built from.
	Routes  routes.Table
	Clients Clients
}

// Env is the token authorizer's environment; join joins the lists (see Join).
func (a Authorizer) Env(join Join) map[string]string {
	env := map[string]string{
		EnvIssuer:     a.Issuer,
		EnvRouteTable: EncodeRoutes(a.Routes),
	}
	a.Clients.env(env, join)
	return env
}

// ReadAuthorizer reads what Env wrote through getenv (os.Getenv in the function). It reports
// every problem at once, one line each.
func ReadAuthorizer(getenv func(string) string) (Authorizer, error) {
	var p problems
	a := Authorizer{Issuer: getenv(EnvIssuer)}
	if a.Issuer == "" {
		p.unset(EnvIssuer, "the user pool's issuer URL, https://cognito-idp.<region>.amazonaws.com/<pool id>")
	}
	a.Clients = readClients(getenv, &p)
	a.Routes = readRoutes(getenv, &p)
	if len(p) > 0 {
		return Authorizer{}, p.err()
	}
	return a, nil
}
