// Package policy builds the IAM policy that the Lambda token authorizer returns to API Gateway,
// from the same route table the stacks and the proxy handler use.
//
// API Gateway caches an authorizer's answer by token and applies the cached policy to every
// method that token calls until the cache TTL ends, so a policy cannot just allow the method
// being called: it must decide every route the token might call. It is therefore built from
// the whole table, as patterns relative to the stage ARN
// (arn:aws:execute-api:<region>:<account>:<api id>/<stage>/):
//
//   - A route's pattern is its method and path with each {param} as "*" and ANY as "*":
//     GET /items/{id} is "GET/items/*", ANY /things is "*/things", the root GET / is "GET/".
//     In an ARN "*" also matches "/", so "GET/items/*" also matches GET /items/new (a literal
//     route beside {id}) and GET /items/1/notes. Explicit Denies correct that: Deny beats Allow.
//   - ID tokens may call the protected catch-all (/{proxy+} and ANY /), which serves any
//     other path, so they get Allow "*" and a Deny for each table route they may not call.
//   - Access tokens get an Allow for each scoped route they may call, a Deny for each table
//     route an Allow reaches that they may not call, and a Deny for the longer paths an
//     Allow reaches through a "*" ("GET/items/*/*"): those only reach /{proxy+}.
//   - A token that may call nothing gets Deny "*", which API Gateway answers with 403.
//   - A Deny must never refuse a route the token may call, and IAM cannot say "except". A Deny
//     that would is tried per method (for ANY routes) and otherwise left out. For an ID token
//     that means a Deny "GET/items/*" beside an allowed GET /items/new: the token then gets
//     the explicit form instead (an Allow per route it may call, plus "*/" for the root),
//     which is exact for table routes and only turns the handler's 404 for unknown paths into
//     API Gateway's 403. What is still left out is listed in Rules.Unenforced; the proxy
//     handler checks the same table on every request and refuses those calls.
//   - A Deny may also cover paths no table route serves: the handler's 404 becomes a 403.
//
// Concrete paths are assumed to have no empty segments (no "//" and no trailing "/").
//
// Size: the whole authorizer response (policy and context) should stay under 8 KB, the
// "Lambda authorizer response size" in API Gateway's quotas. A policy lists at most a few
// patterns per route of the table, each the stage ARN (about 60 bytes) plus the pattern.
package policy

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// Action is the only action an authorizer policy grants or denies.
const Action = "execute-api:Invoke"

// Rules is a token's policy as patterns relative to the stage ARN. Rules returned by a Builder
// are shared between callers: treat them as read-only.
type Rules struct {
	Allow []string
	Deny  []string
	// Unenforced are the keys ("GET /items/{id}") of routes the token may not call that the
	// policy still lets through, because no Deny could cover them without also refusing a
	// route the token may call. The proxy handler refuses them.
	Unenforced []string
}

// Builder turns tokens into Rules for one route table. It is safe for concurrent use.
type Builder struct {
	targets []*target
	cache   sync.Map // permission key -> Rules
	cached  atomic.Int64
}

// target is a non-public method of the API: a table route, or the root catch-all.
type target struct {
	route routes.Route
	// catchAll marks the root catch-all: like /{proxy+}, it only answers 404, so denying it to
	// a token that may call it costs nothing but the status code.
	catchAll bool
	// methods are the concrete methods API Gateway sends to this target (several for ANY).
	methods []string
	// path is the ARN path pattern: "/items/*", or "/" for the root.
	path string
	// witnesses are concrete method ARN suffixes ("GET/items/x") that API Gateway routes to
	// this target, one for each way a pattern could tell them apart (see witnessValues).
	witnesses []string
}

func (t *target) pattern() string {
	if t.route.Method == "ANY" {
		return "*" + t.path
	}
	return t.route.Method + t.path
}

// Limits of the analysis, reached only by tables far larger than any API this serves.
const (
	maxWitnesses = 1 << 16 // concrete requests tried per route
	maxCached    = 1024    // token kinds whose Rules are kept
)

// concreteMethods are the methods an ANY method answers. OPTIONS is among them: without CORS
// preflight on a resource, API Gateway sends it to ANY.
var concreteMethods = []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}

// NewBuilder analyses the table once, so that each token costs little. The table must pass
// routes.Table.Check.
func NewBuilder(table routes.Table) (*Builder, error) {
	var errs []error
	for _, p := range table.CheckStructure("routes") {
		errs = append(errs, errors.New(p.String()))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	values := witnessValues(table)
	b := &Builder{}
	for _, r := range table {
		if r.Access == routes.Public {
			continue // API Gateway never calls the authorizer for it
		}
		t := &target{route: r, path: pathPattern(r.Path)}
		if r.Method == "ANY" {
			for _, m := range concreteMethods {
				if got, _ := table.Lookup(m, r.Path); got.Method == "ANY" {
					t.methods = append(t.methods, m)
				}
			}
		} else {
			t.methods = []string{r.Method}
		}
		w, err := witnesses(table, r.Path, t.methods, values)
		if err != nil {
			return nil, fmt.Errorf("routes: %s: %w", r.Key(), err)
		}
		t.witnesses = w
		b.targets = append(b.targets, t)
	}
	// The root is served by the proxy (ANY /) for every method the table leaves to it.
	root := &target{route: routes.Route{Method: "ANY", Path: "/", Access: routes.Protected}, catchAll: true, path: "/"}
	for _, m := range concreteMethods {
		if _, ok := table.Lookup(m, "/"); !ok {
			root.methods = append(root.methods, m)
			root.witnesses = append(root.witnesses, m+"/")
		}
	}
	if len(root.methods) > 0 {
		b.targets = append(b.targets, root)
	}
	return b, nil
}

// pathPattern turns a resource path into its ARN form: {param} segments become "*".
func pathPattern(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") {
			segs[i] = "*"
		}
	}
	return strings.Join(segs, "/")
}

// witnessValues are the values a path parameter is tried with: every literal segment in the
// table, plus one that is none of them. Patterns contain only those literals and "*", and
// API Gateway routes by them too, so a concrete request with any other value behaves exactly
// like one with the extra value.
func witnessValues(table routes.Table) []string {
	values := []string{"@"} // outside the literal segment alphabet, so never a literal
	for _, r := range table {
		for _, s := range strings.Split(r.Path, "/") {
			if s != "" && !strings.HasPrefix(s, "{") && !slices.Contains(values, s) {
				values = append(values, s)
			}
		}
	}
	return values
}

// witnesses lists the concrete requests for methods on path that API Gateway routes to path
// itself, not to a sibling with a literal segment where path has a parameter.
func witnesses(table routes.Table, path string, methods, values []string) ([]string, error) {
	segs := strings.Split(path, "/")
	paths := []string{""}
	for _, s := range segs[1:] {
		options := []string{s}
		if strings.HasPrefix(s, "{") {
			options = values
		}
		if len(paths)*len(options) > maxWitnesses {
			return nil, errors.New("too many path parameters to analyse the authorizer policy")
		}
		var next []string
		for _, p := range paths {
			for _, o := range options {
				next = append(next, p+"/"+o)
			}
		}
		paths = next
	}
	var out []string
	for _, p := range paths {
		if p == "" {
			p = "/"
		}
		if resource, _ := table.Match(p); resource != path {
			continue
		}
		for _, m := range methods {
			out = append(out, m+p)
		}
	}
	return out, nil
}

// Rules returns the policy for a verified token.
func (b *Builder) Rules(tok routes.Caller) Rules {
	// Tokens that may call the same routes get the same policy, so that is the cache key.
	permitted := make([]bool, len(b.targets))
	key := []byte(tok.TokenUse + ":")
	for i, t := range b.targets {
		permitted[i] = t.route.Decide(tok) == routes.Allowed
		if permitted[i] {
			key = append(key, '1')
		} else {
			key = append(key, '0')
		}
	}
	if r, ok := b.cache.Load(string(key)); ok {
		return r.(Rules)
	}
	r := b.rules(tok.TokenUse, permitted)
	if b.cached.Add(1) <= maxCached {
		b.cache.Store(string(key), r)
	}
	return r
}

// rules picks the policy for a token. ID tokens may call the catch-all, so they first get the
// catch-all form (Allow "*" and a Deny per route they may not call). If some of those Denies
// would refuse a route the token may call, the explicit form (an Allow per route it may call)
// is used instead: it only loses the handler's 404 for unknown paths, which then get 403.
func (b *Builder) rules(use string, permitted []bool) Rules {
	if use != routes.TokenUseID {
		return b.build(false, false, permitted)
	}
	r := b.build(true, true, permitted)
	if len(r.Unenforced) == 0 {
		return r
	}
	if exact := b.build(true, false, permitted); len(exact.Unenforced) < len(r.Unenforced) {
		return exact
	}
	return r
}

// build makes the catch-all form of the policy (Allow "*") or the explicit form (an Allow per
// permitted target), and the Denies each needs. idToken says the token may call /{proxy+}.
func (b *Builder) build(idToken, allowAll bool, permitted []bool) Rules {
	var r Rules
	var allowed []*target // the permitted table routes: a Deny must not refuse them
	if allowAll {
		r.Allow = []string{"*"}
	}
	for i, t := range b.targets {
		if !permitted[i] {
			continue
		}
		if !allowAll {
			r.Allow = append(r.Allow, t.pattern())
		}
		if !t.catchAll {
			allowed = append(allowed, t)
		}
	}
	if len(r.Allow) == 0 {
		return Rules{Deny: []string{"*"}}
	}

	refuses := func(deny string) bool {
		for _, t := range allowed {
			for _, w := range t.witnesses {
				if match(deny, w) {
					return true
				}
			}
		}
		return false
	}
	reaches := func(w string) bool {
		return slices.ContainsFunc(r.Allow, func(a string) bool { return match(a, w) })
	}

	for i, t := range b.targets {
		if permitted[i] || !slices.ContainsFunc(t.witnesses, reaches) {
			continue // allowed, or no Allow reaches it: the implicit deny is enough
		}
		if p := t.pattern(); !refuses(p) {
			r.Deny = append(r.Deny, p)
			continue
		}
		// "*" for the method also spans path segments; a Deny per method may still fit.
		loose := t.route.Method != "ANY"
		if !loose {
			for _, m := range t.methods {
				if p := m + t.path; refuses(p) {
					loose = true
				} else {
					r.Deny = append(r.Deny, p)
				}
			}
		}
		if loose && !t.catchAll {
			r.Unenforced = append(r.Unenforced, t.route.Key())
		}
	}

	// Paths longer than an allowed route, reached through a "*" that spans segments, that no
	// table route serves: they reach /{proxy+}, which access tokens may not call. Left out
	// where they would refuse a deeper allowed route; the handler refuses access tokens there.
	if !idToken {
		for _, t := range allowed {
			for _, p := range longer(t.pattern()) {
				if !refuses(p) {
					r.Deny = append(r.Deny, p)
				}
			}
		}
	}

	r.Allow = sortedSet(r.Allow)
	r.Deny = sortedSet(r.Deny)
	r.Unenforced = sortedSet(r.Unenforced)
	return r
}

// longer returns, for each "*" segment of a pattern, the pattern with that "*" standing for
// two or more segments: together they match exactly the requests the pattern matches only
// because "*" also matches "/".
func longer(pattern string) []string {
	segs := strings.Split(pattern, "/")
	var out []string
	for i, s := range segs {
		if s == "*" {
			out = append(out, strings.Join(slices.Concat(segs[:i], []string{"*/*"}, segs[i+1:]), "/"))
		}
	}
	return out
}

func sortedSet(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// match reports whether s matches an IAM resource pattern, where "*" matches any run of
// characters ("/" included) and "?" any one character.
func match(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0 // position of the last "*" and where its match would end
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case star >= 0:
			p, mark = star+1, mark+1
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// Allows evaluates the rules as IAM does for one request relative to the stage ARN, such as
// "GET/items/42": an explicit Deny wins, then an Allow, and anything else is denied.
func (r Rules) Allows(request string) bool {
	hit := func(p string) bool { return match(p, request) }
	return !slices.ContainsFunc(r.Deny, hit) && slices.ContainsFunc(r.Allow, hit)
}

// Document renders the rules as the authorizer's policy document for a stage ARN from
// StageARN: one Allow statement and one Deny statement at most.
func (r Rules) Document(stageARN string) events.APIGatewayCustomAuthorizerPolicy {
	doc := events.APIGatewayCustomAuthorizerPolicy{Version: "2012-10-17"}
	add := func(effect string, patterns []string) {
		if len(patterns) == 0 {
			return
		}
		resources := make([]string, len(patterns))
		for i, p := range patterns {
			resources[i] = stageARN + p
		}
		doc.Statement = append(doc.Statement, events.IAMPolicyStatement{
			Action: []string{Action}, Effect: effect, Resource: resources,
		})
	}
	add("Allow", r.Allow)
	add("Deny", r.Deny)
	if len(doc.Statement) == 0 { // not built by a Builder; deny rather than send nothing
		add("Deny", []string{"*"})
	}
	return doc
}

// methodARN is arn:<partition>:execute-api:<region>:<account>:<api id>/<stage>/<method>/<path>.
// Every part is checked, because the policy is built on the prefix: a "*" there would widen
// it to other APIs or accounts.
var methodARN = regexp.MustCompile(`^(arn:aws[a-z-]*:execute-api:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9]+/[A-Za-z0-9_-]+/)[A-Z]+/`)

// StageARN returns the prefix of a method ARN that names the API's stage, with its trailing
// "/": arn:aws:execute-api:<region>:<account>:<api id>/<stage>/.
func StageARN(methodArn string) (string, error) {
	m := methodARN.FindStringSubmatch(methodArn)
	if m == nil {
		return "", errors.New("method ARN: want arn:aws:execute-api:<region>:<account>:<api id>/<stage>/<method>/<path>")
	}
	return m[1], nil
}
