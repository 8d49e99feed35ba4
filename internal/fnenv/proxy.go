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
	// ItemsTable is the DynamoDB table of /items, as ValidTableName accepts it. The function
	// always has one; cmd/local may have none (no local DynamoDB), and then /items answers 503.
	ItemsTable string
}

// ValidTableName reports whether name is one DynamoDB accepts: 3-255 letters, digits, _ . or
// -. (A regexp with {3,255} costs the function 3 ms of its cold start to compile.)
func ValidTableName(name string) bool {
	if len(name) < 3 || len(name) > 255 {
		return false
	}
	for _, c := range []byte(name) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// Env is the proxy function's environment; join joins the lists (see Join).
func (p Proxy) Env(join Join) map[string]string {
	env := map[string]string{
		EnvRouteTable:     EncodeRoutes(p.Routes),
		EnvAllowedOrigins: joinList(p.AllowedOrigins, join),
		EnvItemsTable:     p.ItemsTable,
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
		ItemsTable:     getenv(EnvItemsTable),
	}
	switch {
	case cfg.ItemsTable == "":
		p.unset(EnvItemsTable, "the name of the items table, as the API stack writes it")
	case !ValidTableName(cfg.ItemsTable):
		p.add(EnvItemsTable, "got %q; want a DynamoDB table name: 3-255 letters, digits, _ . or -", cfg.ItemsTable)
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
