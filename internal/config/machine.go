package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// maxMachineClients keeps the API's environment (it lists them) and the bill small; Cognito
// bills client-credentials use per client and per token request.
const maxMachineClients = 10

// machineClients checks the machine clients, the routes that name clients, and refresh-token
// rotation.
func (v *validator) machineClients(s Stage) {
	known := s.ResourceServer.FullNames()
	if len(s.MachineClients) > maxMachineClients {
		v.add(v.at("machineClients"), len(s.MachineClients), fmt.Sprintf("want at most %d machine clients", maxMachineClients))
	}
	for i, m := range s.MachineClients {
		where := fmt.Sprintf("%s[%d]", v.at("machineClients"), i)
		switch {
		case !routes.ClientNamePattern.MatchString(m.Name):
			v.add(where+".name", m.Name, "want lower-case letters, digits and -, starting with a letter, at most 32 characters")
		case m.Name == routes.WebClient:
			v.add(where+".name", m.Name, fmt.Sprintf("want a name other than %q, which is the stage's own app client", routes.WebClient))
		case slices.IndexFunc(s.MachineClients, func(o MachineClient) bool { return o.Name == m.Name }) != i:
			v.add(where+".name", m.Name, "want each machine client name once")
		}
		if len(m.Scopes) == 0 {
			v.add(where+".scopes", m.Scopes, "want at least one of the resource server's scopes: a client-credentials token carries custom scopes only")
		}
		for j, sc := range m.Scopes {
			if !slices.Contains(known, sc) {
				v.add(fmt.Sprintf("%s.scopes[%d]", where, j), sc, "want one of the resource server's scopes: "+strings.Join(known, ", "))
			}
		}
	}

	names := s.MachineClientNames()
	for i, r := range s.Routes {
		for j, c := range r.Clients {
			where := fmt.Sprintf("%s[%d].clients[%d]", v.at("routes"), i, j)
			k := slices.Index(names, c)
			switch {
			case c == routes.WebClient:
			case k < 0:
				v.add(where, c, routes.WantDefined(fmt.Sprintf("want %q or a name from machineClients", routes.WebClient), names))
			case r.Access == routes.Scoped && !slices.ContainsFunc(r.Scopes, func(sc string) bool { return slices.Contains(s.MachineClients[k].Scopes, sc) }):
				v.add(where, c, fmt.Sprintf("want a client that holds one of the route's scopes (%s); %s has %s", strings.Join(r.Scopes, ", "), c, strings.Join(s.MachineClients[k].Scopes, ", ")))
			}
		}
	}

	if g := s.Tokens.RefreshRotation.GraceSeconds; g < 0 || g > 60 {
		v.add(v.at("tokens.refreshRotation.graceSeconds"), g, "want 0 to 60 seconds")
	}
}
