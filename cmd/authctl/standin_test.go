package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// standInPool is a user pool behind Cognito's JSON protocol, for what cognito-local lacks:
// pagination (it returns every user at once), throttling, and AdminLinkProviderForUser. It
// answers the calls export and import make, as Cognito documents them, and records them.
type standInPool struct {
	t  *testing.T
	mu sync.Mutex

	id        string
	pageSize  int      // users or groups per page
	schema    []string // attribute names
	minLength int
	providers []string // identity providers the pool has
	users     []*standInUser
	groups    map[string][]string // group -> usernames
	next      int

	calls []standInCall
	// throttled counts, per operation, the calls still to answer TooManyRequestsException.
	throttled map[string]int
	// failOn answers the nth call (1-based) of an operation with an error type.
	failOn map[string]standInFailure
	counts map[string]int
}

type standInUser struct {
	username string
	status   string
	enabled  bool
	attrs    map[string]string
	created  time.Time
	password string
}

type standInCall struct {
	Op    string
	Input map[string]any
}

type standInFailure struct {
	nth  int
	kind string
}

func newStandInPool(t *testing.T, id string) *standInPool {
	return &standInPool{t: t, id: id, pageSize: 60, minLength: 12, groups: map[string][]string{},
		schema:    []string{"sub", "email", "email_verified", "name", "phone_number", "phone_number_verified", "identities", "updated_at"},
		throttled: map[string]int{}, failOn: map[string]standInFailure{}, counts: map[string]int{}}
}

// serve starts the pool's server.
func (p *standInPool) serve() *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(p.handle))
	p.t.Cleanup(srv.Close)
	return srv
}

// add puts a user in the pool as an earlier life of it made it; attrs holds sub.
func (p *standInPool) add(username, status string, enabled bool, attrs map[string]string, groups ...string) {
	p.users = append(p.users, &standInUser{username: username, status: status, enabled: enabled, attrs: attrs,
		created: time.Date(2025, 3, 1, 12, 0, len(p.users), 0, time.UTC)})
	for _, g := range groups {
		p.groups[g] = append(p.groups[g], username)
	}
}

// callsOf are the recorded inputs of one operation.
func (p *standInPool) callsOf(op string) []map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []map[string]any
	for _, c := range p.calls {
		if c.Op == op {
			out = append(out, c.Input)
		}
	}
	return out
}

func (p *standInPool) user(name string) *standInUser {
	for _, u := range p.users {
		if u.username == name || (u.attrs["email"] != "" && u.attrs["email"] == name) {
			return u
		}
	}
	return nil
}

type apiError struct{ kind, msg string }

func (p *standInPool) handle(w http.ResponseWriter, r *http.Request) {
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
	var in map[string]any
	json.NewDecoder(r.Body).Decode(&in)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, standInCall{op, in})
	p.counts[op]++
	// A refused call changes nothing, as in Cognito.
	var out any
	var err *apiError
	if f, ok := p.failOn[op]; ok && f.nth == p.counts[op] {
		err = &apiError{f.kind, "the stand-in fails this call"}
	} else if p.throttled[op] > 0 {
		p.throttled[op]--
		err = &apiError{"TooManyRequestsException", "Rate exceeded"}
	} else {
		out, err = p.answer(op, in)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"__type": err.kind, "message": err.msg})
		return
	}
	json.NewEncoder(w).Encode(out)
}

func (p *standInPool) answer(op string, in map[string]any) (any, *apiError) {
	str := func(k string) string { s, _ := in[k].(string); return s }
	if str("UserPoolId") != p.id {
		return nil, &apiError{"ResourceNotFoundException", "User pool " + str("UserPoolId") + " does not exist."}
	}
	page := func(n int, token string) (from, to int, next string) {
		from, _ = strconv.Atoi(token)
		to = min(from+p.pageSize, n)
		if to < n {
			next = strconv.Itoa(to)
		}
		return
	}
	switch op {
	case "ListUsers":
		from, to, next := page(len(p.users), str("PaginationToken"))
		var users []any
		for _, u := range p.users[from:to] {
			users = append(users, u.wire())
		}
		return map[string]any{"Users": users, "PaginationToken": next}, nil
	case "ListGroups":
		names := p.groupNames()
		from, to, next := page(len(names), str("NextToken"))
		var groups []any
		for _, g := range names[from:to] {
			groups = append(groups, map[string]any{"GroupName": g, "UserPoolId": p.id})
		}
		return map[string]any{"Groups": groups, "NextToken": next}, nil
	case "ListUsersInGroup":
		members, ok := p.groups[str("GroupName")]
		if !ok {
			return nil, &apiError{"ResourceNotFoundException", "Group not found."}
		}
		from, to, next := page(len(members), str("NextToken"))
		var users []any
		for _, name := range members[from:to] {
			users = append(users, p.user(name).wire())
		}
		return map[string]any{"Users": users, "NextToken": next}, nil
	case "DescribeUserPool":
		var schema []any
		for _, a := range p.schema {
			schema = append(schema, map[string]any{"Name": a})
		}
		return map[string]any{"UserPool": map[string]any{"Id": p.id, "UsernameAttributes": []string{"email"}, "SchemaAttributes": schema,
			"Policies": map[string]any{"PasswordPolicy": map[string]any{"MinimumLength": p.minLength}}}}, nil
	case "CreateGroup":
		p.groups[str("GroupName")] = nil
		return map[string]any{"Group": map[string]any{"GroupName": str("GroupName")}}, nil
	case "AdminCreateUser":
		attrs := map[string]string{}
		for _, a := range in["UserAttributes"].([]any) {
			a := a.(map[string]any)
			name := a["Name"].(string)
			if name == "sub" || name == "identities" || !slices.Contains(p.schema, name) {
				return nil, &apiError{"InvalidParameterException", "Attributes did not conform to the schema: " + name}
			}
			attrs[name] = a["Value"].(string)
		}
		if attrs["email"] != str("Username") {
			return nil, &apiError{"InvalidParameterException", "Username should be an email."}
		}
		if p.user(str("Username")) != nil {
			return nil, &apiError{"UsernameExistsException", "User account already exists"}
		}
		p.next++
		username := fmt.Sprintf("%08d-new", p.next)
		attrs["sub"] = username
		u := &standInUser{username: username, status: "FORCE_CHANGE_PASSWORD", enabled: true, attrs: attrs, created: time.Now()}
		p.users = append(p.users, u)
		return map[string]any{"User": u.wire()}, nil
	}
	u := p.user(str("Username"))
	if op == "AdminLinkProviderForUser" {
		u = p.user(in["DestinationUser"].(map[string]any)["ProviderAttributeValue"].(string))
	}
	if u == nil {
		return nil, &apiError{"UserNotFoundException", "User does not exist."}
	}
	switch op {
	case "AdminGetUser":
		wire := u.wire()
		wire["UserAttributes"] = wire["Attributes"]
		delete(wire, "Attributes")
		return wire, nil
	case "AdminSetUserPassword":
		if len(str("Password")) < p.minLength {
			return nil, &apiError{"InvalidPasswordException", "Password did not conform with policy"}
		}
		u.password = str("Password")
		if in["Permanent"] == true {
			u.status = "CONFIRMED"
		}
	case "AdminAddUserToGroup":
		members, ok := p.groups[str("GroupName")]
		if !ok {
			return nil, &apiError{"ResourceNotFoundException", "Group not found."}
		}
		if !slices.Contains(members, u.username) {
			p.groups[str("GroupName")] = append(members, u.username)
		}
	case "AdminDisableUser":
		u.enabled = false
	case "AdminDeleteUser":
		p.users = slices.DeleteFunc(p.users, func(x *standInUser) bool { return x == u })
		for g, members := range p.groups {
			p.groups[g] = slices.DeleteFunc(members, func(m string) bool { return m == u.username })
		}
	case "AdminLinkProviderForUser":
		src := in["SourceUser"].(map[string]any)
		provider := src["ProviderName"].(string)
		if !slices.Contains(p.providers, provider) || src["ProviderAttributeName"] != "Cognito_Subject" {
			return nil, &apiError{"InvalidParameterException", "There is no identity provider named " + provider}
		}
		var ids []map[string]any
		if old := u.attrs["identities"]; old != "" {
			json.Unmarshal([]byte(old), &ids)
		}
		ids = append(ids, map[string]any{"userId": src["ProviderAttributeValue"], "providerName": provider, "providerType": "OIDC", "issuer": nil, "primary": "false", "dateCreated": "1767225600000"})
		b, _ := json.Marshal(ids)
		u.attrs["identities"] = string(b)
	default:
		return nil, &apiError{"UnknownOperationException", op}
	}
	return map[string]any{}, nil
}

func (p *standInPool) groupNames() []string {
	var names []string
	for g := range p.groups {
		names = append(names, g)
	}
	slices.Sort(names)
	return names
}

// wire is the user as Cognito's UserType, dates in epoch seconds.
func (u *standInUser) wire() map[string]any {
	var attrs []any
	for _, k := range slices.Sorted(maps.Keys(u.attrs)) {
		attrs = append(attrs, map[string]any{"Name": k, "Value": u.attrs[k]})
	}
	at := float64(u.created.UnixMilli()) / 1000
	return map[string]any{"Username": u.username, "UserStatus": u.status, "Enabled": u.enabled, "Attributes": attrs,
		"UserCreateDate": at, "UserLastModifiedDate": at}
}
