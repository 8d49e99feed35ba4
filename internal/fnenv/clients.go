package fnenv

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// Clients are the app clients whose tokens a function accepts.
type Clients struct {
	// Web are the ids of the stage's own app client(s), the ones people sign in with; routes
	// call them routes.WebClient. In the stacks, a CDK token.
	Web []string
	// Machine maps each machine (client-credentials) client's name to its id.
	Machine map[string]string
}

// IDs are every accepted client id: the web clients', then the machine clients' in name order.
func (c Clients) IDs() []string {
	ids := slices.Clone(c.Web)
	for _, name := range slices.Sorted(maps.Keys(c.Machine)) {
		ids = append(ids, c.Machine[name])
	}
	return ids
}

// Names maps client ids to the names routes use: routes.WebClient for each web client, and
// each machine client's own name. An id with two names would let map order decide which
// routes its tokens may call, so it is refused. Every problem is reported, one line each.
func (c Clients) Names() (map[string]string, error) {
	names, lines := c.names()
	if len(lines) > 0 {
		for i := range lines {
			lines[i] = "machine clients: " + lines[i]
		}
		return nil, errors.New(strings.Join(lines, "\n"))
	}
	return names, nil
}

func (c Clients) names() (map[string]string, []string) {
	names := map[string]string{}
	for _, id := range c.Web {
		names[id] = routes.WebClient
	}
	var lines []string
	for _, name := range slices.Sorted(maps.Keys(c.Machine)) {
		id := c.Machine[name]
		if msg := checkMachineClient(name, id); msg != "" {
			lines = append(lines, msg)
			continue
		}
		if other, taken := names[id]; taken {
			lines = append(lines, fmt.Sprintf("app client %s is both %q and %q; want one name per client", id, other, name))
			continue
		}
		names[id] = name
	}
	return names, lines
}

// checkMachineClient is the rule for one machine client: a name of its own (not
// routes.WebClient) and a client id; "" when both are right.
func checkMachineClient(name, id string) string {
	if !routes.ClientNamePattern.MatchString(name) || name == routes.WebClient || id == "" {
		return fmt.Sprintf("got %q=%q; want a client name other than %q and a client id", name, id, routes.WebClient)
	}
	return ""
}

// FormatMachineClients renders name -> id as EnvMachineClients and the auth stack's
// MachineClients output carry it: name=id pairs, sorted so that the template is stable, joined
// by commas; "" for none.
func FormatMachineClients(ids map[string]string, join Join) string {
	var pairs []string
	for name, id := range ids {
		pairs = append(pairs, name+"="+id)
	}
	sort.Strings(pairs)
	return joinList(pairs, join)
}

// ParseMachineClients reads what FormatMachineClients wrote: "reporting=abc123,billing=def456"
// -> name: id, an empty map for "". Every bad pair is reported, one line each.
func ParseMachineClients(s string) (map[string]string, error) {
	out, lines := parseMachineClients(s)
	if len(lines) > 0 {
		for i := range lines {
			lines[i] = "machine clients: " + lines[i]
		}
		return nil, errors.New(strings.Join(lines, "\n"))
	}
	return out, nil
}

func parseMachineClients(s string) (map[string]string, []string) {
	out := map[string]string{}
	var lines []string
	for _, pair := range SplitList(s) {
		name, id, ok := strings.Cut(pair, "=")
		name, id = strings.TrimSpace(name), strings.TrimSpace(id)
		msg := checkMachineClient(name, id)
		switch {
		case !ok || id == "":
			lines = append(lines, fmt.Sprintf("got %q; want name=client id", pair))
		case msg != "":
			lines = append(lines, msg)
		case out[name] != "":
			lines = append(lines, fmt.Sprintf("%q appears twice; want each machine client once", name))
		default:
			out[name] = id
		}
	}
	return out, lines
}

// env writes the clients' two variables.
func (c Clients) env(env map[string]string, join Join) {
	env[EnvAllowedClientIDs] = joinList(c.Web, join)
	env[EnvMachineClients] = FormatMachineClients(c.Machine, join)
}

// readClients reads EnvAllowedClientIDs (at least one id) and EnvMachineClients (optional),
// and checks that no id has two names.
func readClients(getenv func(string) string, p *problems) Clients {
	c := Clients{Web: SplitList(getenv(EnvAllowedClientIDs))}
	if len(c.Web) == 0 {
		p.unset(EnvAllowedClientIDs, "the web app client ids, comma-separated (API Gateway does not check the client; the functions do)")
	}
	for _, id := range c.Web {
		if strings.ContainsAny(id, " \t\n") {
			p.add(EnvAllowedClientIDs, "got %q; want an app client id", id)
		}
	}
	var lines, conflicts []string
	c.Machine, lines = parseMachineClients(getenv(EnvMachineClients))
	_, conflicts = c.names() // the pairs parsed: only ids with two names are left to find
	for _, line := range append(lines, conflicts...) {
		p.add(EnvMachineClients, "%s", line)
	}
	return c
}
