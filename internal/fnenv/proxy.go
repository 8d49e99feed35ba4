package fnenv

import (
	"github.com/cognito-apigw/cognito-apigw/internal/origin"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// Proxy is what the API stack hands the proxy function (lambda/proxy), and what cmd/local
// hands the same handler.
type Proxy struct {
	// Routes is the table the handler enforces and answers from.
	Routes  routes.Table
	Clients Clients
	// AllowedOrigins are the browser origins that may read replies ("*": any; none: no CORS
	// header), as origin.Check accepts them.
	AllowedOrigins []string
}

// Env is the proxy function's environment; join joins the lists (see Join).
func (p Proxy) Env(join Join) map[string]string {
	env := map[string]string{
		EnvRouteTable:     EncodeRoutes(p.Routes),
		EnvAllowedOrigins: joinList(p.AllowedOrigins, join),
	}
	p.Clients.env(env, join)
	return env
}

// ReadProxy reads what Env wrote through getenv (os.Getenv in the function). It reports every
// problem at once, one line each; what is left of the handler's own checks (an endpoint that
// needs a caller on a public route) is handler.New's.
func ReadProxy(getenv func(string) string) (Proxy, error) {
	var p problems
	cfg := Proxy{
		Routes:         readRoutes(getenv, &p),
		Clients:        readClients(getenv, &p),
		AllowedOrigins: SplitList(getenv(EnvAllowedOrigins)), // unset: no CORS header
	}
	for _, o := range cfg.AllowedOrigins {
		if msg := origin.Check(o); msg != "" {
			p.add(EnvAllowedOrigins, "got %q; %s", o, msg)
		}
	}
	if len(p) > 0 {
		return Proxy{}, p.err()
	}
	return cfg, nil
}
