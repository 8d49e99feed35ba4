package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
	"github.com/cognito-apigw/cognito-apigw/internal/cli"
	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/loginurls"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
	"github.com/cognito-apigw/cognito-apigw/internal/verifier"
)

// smokeCommand is authctl smoke's row of the command table.
func (a *app) smokeCommand() cli.Command {
	return cli.Command{
		Name:    "smoke",
		Summary: "walk what a person and a service do against a stage (deployed or local) and stop at the first broken journey",
		Usage:   "-outputs FILE [-stage NAME] [-no-admin] [-timeout D]",
		Doc: `Journeys, in order: the public route; the login endpoints' discovery document and JWKS; a CORS
preflight from an allowed and from a foreign origin; a throwaway user (created with the admin
API, signed in with its password, deleted afterwards, also on failure or Ctrl-C) on /me, a
scoped route and a route it is refused; the machine client's token on its route; refresh; and
revocation. Tokens are checked against the pool's JWKS as the API checks them.

What the stage does not allow is printed as "skip" with the reason: a stage with passwordAuth
off (production) has no non-interactive sign-in, so the user's journeys are skipped there;
cognito-local has no client credentials and no revocation.

Exit 0 when every journey that ran passed, 1 at the first broken one (its line says which), 2
for usage errors. The admin API calls need AWS credentials allowed cognito-idp:AdminCreateUser,
AdminSetUserPassword, AdminDeleteUser and DescribeUserPoolClient on the pool; -no-admin makes
none and skips the journeys that need them.`,
		Flags: a.smoke,
	}
}

// smokeTimeout bounds a whole smoke check by default.
const smokeTimeout = 3 * time.Minute

// foreignOrigin is an origin no stage may allow (.invalid is reserved, RFC 2606).
const foreignOrigin = "https://smoke-check.invalid"

func (a *app) smoke(fs *flag.FlagSet) cli.Run {
	var s settings
	s.Declare(fs)
	s.awsFlags(fs)
	timeout := fs.Duration("timeout", smokeTimeout, "how long the whole check may take")
	noAdmin := fs.Bool("no-admin", false, "make no admin API calls (for credentials without cognito-idp permissions): skip the throwaway user's and the machine client's journeys")
	return func(ctx context.Context, _ []string) error {
		if err := s.loadConfig(); err != nil {
			return err
		}
		var err error
		if s.out, err = s.RequireOutputs(s.cfg); err != nil {
			return err
		}
		s.fillFromOutputs()
		for _, need := range []struct{ value, output string }{
			{s.apiURL, names.OutAPIURL}, {s.out.IssuerURL, names.OutIssuerURL}, {s.clientID, names.OutClientID}, {s.poolID, names.OutUserPoolID},
		} {
			if need.value == "" {
				return cli.Usagef("-outputs %s: no %s output for stage %s; want the outputs of `npx cdk deploy --all --outputs-file %s` or of `authctl setup-local`", s.Outputs, need.output, s.cfg.StageName, s.Outputs)
			}
		}
		if err := checkTokenDestination(s.apiURL); err != nil {
			return err
		}
		login, err := loginurls.FromOutputs(s.out, s.out.IssuerURL)
		if err != nil {
			return cli.Usagef("-outputs %s: %v", s.Outputs, err)
		}
		if !private(login.Token) {
			return cli.Usagef("-outputs %s: the login endpoints %s are neither https nor loopback", s.Outputs, login.Token)
		}
		machines, err := fnenv.ParseMachineClients(s.out.MachineClients)
		if err != nil {
			return cli.Usagef("-outputs %s: %s output: %v", s.Outputs, names.OutMachineClients, err)
		}
		ctx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		r := &smokeRun{a: a, s: &s, login: login, machines: machines, apiURL: strings.TrimSuffix(s.apiURL, "/"), noAdmin: *noAdmin}
		return r.walk(ctx)
	}
}

// smokeRun is one smoke check: what it learned so far, and where it reports.
type smokeRun struct {
	a        *app
	s        *settings
	login    loginurls.Endpoints
	machines map[string]string // machine client name -> id, from the outputs
	apiURL   string
	verify   *verifier.Verifier
	noAdmin  bool // -no-admin: no calls that need cognito-idp permissions

	// The throwaway user, and its tokens once signed in.
	email, password string
	user            tokenSet
	idClaims        *verifier.Claims
	userCaller      routes.Caller
}

// brokenJourney is the error of the first journey that failed.
type brokenJourney struct {
	name string
	err  error
}

func (b *brokenJourney) Error() string { return fmt.Sprintf("journey %q is broken: %v", b.name, b.err) }
func (b *brokenJourney) Unwrap() error { return b.err }

// journey is one step of the walk. run returns "" and nil when it passed with nothing to add,
// a note to print, or errSkip (wrapped) with the reason it did not run.
type journey struct {
	name string
	run  func(ctx context.Context) (string, error)
}

// errSkip marks a journey the stage does not allow; its message says why.
var errSkip = errors.New("skipped")

func skip(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errSkip, fmt.Sprintf(format, args...))
}

// walk runs the journeys in order and stops at the first broken one. The throwaway user, if
// one was made, is deleted whatever happens, Ctrl-C included (the context is cancelled and the
// deletion runs on a context of its own).
func (r *smokeRun) walk(ctx context.Context) (err error) {
	w := r.a.stdout
	where := "deployed"
	if r.login.Local {
		where = "local (cognito-local)"
	}
	fmt.Fprintf(w, "smoke check of stage %s (%s): API %s, issuer %s\n", r.s.cfg.StageName, where, r.apiURL, r.login.Issuer)
	var cleanup func() error // deletes the throwaway user
	journeys := []journey{
		{"public route", r.publicRoute},
		{"discovery document", r.discovery},
		{"JWKS", r.jwks},
		{"CORS preflight, allowed origin", r.preflightAllowed},
		{"CORS preflight, foreign origin", r.preflightForeign},
		{"sign-in (throwaway user)", func(ctx context.Context) (string, error) {
			note, undo, err := r.signIn(ctx)
			cleanup = undo // set as soon as the user exists, whatever comes next
			return note, err
		}},
		{"signed-in user's /me", r.me},
		{"scoped route", r.scoped},
		{"refused route", r.refused},
		{"machine client", r.machineClient},
		{"refresh", r.refresh},
		{"revocation", r.revocation},
	}
	skipped := 0
	defer func() {
		if cleanup != nil {
			if cerr := cleanup(); cerr != nil {
				fmt.Fprintf(w, "FAIL  %-32s %v\n", "cleanup", cerr)
				if err == nil {
					err = &brokenJourney{"cleanup", cerr}
				}
			}
		}
		if err == nil {
			fmt.Fprintf(w, "smoke check passed: %d journeys, %d skipped\n", len(journeys)-skipped, skipped)
		}
	}()
	for _, j := range journeys {
		if ctx.Err() != nil {
			return r.stopped(ctx, j.name)
		}
		note, err := j.run(ctx)
		switch {
		case errors.Is(err, errSkip):
			skipped++
			fmt.Fprintf(w, "skip  %-32s %s\n", j.name, strings.TrimPrefix(err.Error(), errSkip.Error()+": "))
		case err != nil:
			if ctx.Err() != nil {
				return r.stopped(ctx, j.name)
			}
			fmt.Fprintf(w, "FAIL  %-32s %v\n", j.name, err)
			return &brokenJourney{j.name, err}
		default:
			fmt.Fprintf(w, "ok    %-32s %s\n", j.name, note)
		}
	}
	return nil
}

// stopped is the error of a walk cut short by Ctrl-C or its timeout.
func (r *smokeRun) stopped(ctx context.Context, at string) error {
	why := errors.New("interrupted")
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		why = errors.New("the smoke check ran out of time (-timeout)")
	}
	fmt.Fprintf(r.a.stdout, "FAIL  %-32s %v\n", at, why)
	return &brokenJourney{at, why}
}

// reply is one answer of the API or the login endpoints.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// send sends method to url with the headers given as name, value pairs.
func (r *smokeRun) send(ctx context.Context, method, url, body string, header ...string) (reply, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return reply{}, err
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer resp.Body.Close()
	b, err := readCapped(resp.Body, 10<<20)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: %w", method, url, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// call calls a route of the API with a bearer token ("" for none) and wants the status.
func (r *smokeRun) call(ctx context.Context, method, path, token string, want int) (reply, error) {
	var h []string
	if token != "" {
		h = append(h, "Authorization", "Bearer "+token)
	}
	rep, err := r.send(ctx, method, r.apiURL+path, "", h...)
	if err != nil {
		return rep, err
	}
	if rep.status != want {
		return rep, fmt.Errorf("%s %s answered %d %s; want %d", method, path, rep.status, snippet(rep.body), want)
	}
	return rep, nil
}

// snippet is the start of a reply body, for messages.
func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// callable is the first route of the table that a smoke check may call: a GET (no side
// effects) on a path without parameters, of the access kind, that ok accepts.
func (r *smokeRun) callable(access routes.Access, ok func(routes.Route) bool) (routes.Route, bool) {
	for _, rt := range r.s.cfg.Routes {
		if rt.Method == "GET" && rt.Access == access && !strings.Contains(rt.Path, "{") && (ok == nil || ok(rt)) {
			return rt, true
		}
	}
	return routes.Route{}, false
}

// successOf is the status the handler answers a route with when all goes well.
func successOf(rt routes.Route) int {
	if e, ok := api.Lookup(rt.Key()); ok {
		return e.Success
	}
	return http.StatusOK
}

func (r *smokeRun) publicRoute(ctx context.Context) (string, error) {
	rt, ok := r.callable(routes.Public, nil)
	if !ok {
		return "", skip("the route table has no public GET route")
	}
	want := successOf(rt)
	if _, err := r.call(ctx, rt.Method, rt.Path, "", want); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s: %d without a token", rt.Key(), want), nil
}

func (r *smokeRun) discovery(ctx context.Context) (string, error) {
	rep, err := r.send(ctx, "GET", r.login.Discovery, "")
	if err != nil {
		return "", err
	}
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if rep.status != http.StatusOK || json.Unmarshal(rep.body, &doc) != nil {
		return "", fmt.Errorf("GET %s answered %d %s; want 200 with a JSON document", r.login.Discovery, rep.status, snippet(rep.body))
	}
	note := "issuer and jwks_uri match the outputs"
	if hardcoded := "http://localhost:9229/" + r.s.poolID; r.login.Local && doc.Issuer == hardcoded && doc.JWKSURI == hardcoded+"/.well-known/jwks.json" {
		// cognito-local 5.3.0 writes its default address in the document whatever its own.
		doc.Issuer, doc.JWKSURI = r.login.Issuer, r.login.JWKS
		note = "issuer and jwks_uri name the pool (cognito-local writes http://localhost:9229 there whatever its address)"
	}
	if doc.Issuer != r.login.Issuer {
		return "", fmt.Errorf("%s names the issuer %q; the outputs file says %q", r.login.Discovery, doc.Issuer, r.login.Issuer)
	}
	if doc.JWKSURI != r.login.JWKS {
		return "", fmt.Errorf("%s names the JWKS %q; the outputs file says %q", r.login.Discovery, doc.JWKSURI, r.login.JWKS)
	}
	return note, nil
}

func (r *smokeRun) jwks(ctx context.Context) (string, error) {
	rep, err := r.send(ctx, "GET", r.login.JWKS, "")
	if err != nil {
		return "", err
	}
	var set struct {
		Keys []struct {
			Kty, Kid, Alg, Use, N, E string
		} `json:"keys"`
	}
	if rep.status != http.StatusOK || json.Unmarshal(rep.body, &set) != nil {
		return "", fmt.Errorf("GET %s answered %d %s; want 200 with a JSON key set", r.login.JWKS, rep.status, snippet(rep.body))
	}
	rsa := 0
	for _, k := range set.Keys {
		if k.Kty == "RSA" && k.Kid != "" && k.N != "" && k.E != "" && (k.Alg == "" || k.Alg == "RS256") {
			rsa++
		}
	}
	if rsa == 0 {
		return "", fmt.Errorf("%s holds no RS256 signing key with a kid (%d keys)", r.login.JWKS, len(set.Keys))
	}
	clients := fnenv.Clients{Web: []string{r.s.clientID}, Machine: r.machines}
	// The API's own verifier, strict as API Gateway: every token below is checked with it.
	v, err := verifier.New(ctx, verifier.Config{Issuer: r.login.Issuer, JWKSURL: r.login.JWKS, ClientIDs: clients.IDs(), RefreshInterval: -1, CacheSize: -1})
	if err != nil {
		return "", err
	}
	context.AfterFunc(ctx, v.Close)
	r.verify = v
	return fmt.Sprintf("%d RS256 key(s)", rsa), nil
}

// preflightPath is the path preflights are sent to: a protected route's, where a browser
// sends its token.
func (r *smokeRun) preflightPath() string {
	if rt, ok := r.callable(routes.Protected, nil); ok {
		return rt.Path
	}
	if len(r.s.cfg.Routes) > 0 {
		return strings.NewReplacer("{", "", "}", "").Replace(r.s.cfg.Routes[0].Path)
	}
	return "/"
}

func (r *smokeRun) preflight(ctx context.Context, origin string) (reply, string, error) {
	path := r.preflightPath()
	rep, err := r.send(ctx, "OPTIONS", r.apiURL+path, "",
		"Origin", origin, "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization")
	return rep, path, err
}

func (r *smokeRun) preflightAllowed(ctx context.Context) (string, error) {
	allowed := r.s.cfg.CORS.AllowOrigins
	if len(allowed) == 0 {
		return "", skip("stage %s has no cors.allowOrigins: browsers on other origins cannot call the API", r.s.cfg.StageName)
	}
	origin := allowed[0]
	if origin == "*" {
		origin = "https://any-origin.example"
	}
	rep, path, err := r.preflight(ctx, origin)
	if err != nil {
		return "", err
	}
	got := rep.header.Get("Access-Control-Allow-Origin")
	if rep.status/100 != 2 || (got != origin && got != "*") {
		return "", fmt.Errorf("OPTIONS %s from %s answered %d with Access-Control-Allow-Origin %q; want 2xx allowing the origin (is the preflight answered by the authorizer?)", path, origin, rep.status, got)
	}
	if !strings.Contains(strings.ToLower(rep.header.Get("Access-Control-Allow-Headers")), "authorization") {
		return "", fmt.Errorf("OPTIONS %s from %s: Access-Control-Allow-Headers %q lacks Authorization", path, origin, rep.header.Get("Access-Control-Allow-Headers"))
	}
	return fmt.Sprintf("OPTIONS %s from %s: %d, origin allowed", path, origin, rep.status), nil
}

func (r *smokeRun) preflightForeign(ctx context.Context) (string, error) {
	allowed := r.s.cfg.CORS.AllowOrigins
	switch {
	case len(allowed) == 0:
		return "", skip("stage %s has no cors.allowOrigins", r.s.cfg.StageName)
	case slices.Contains(allowed, "*"):
		return "", skip("stage %s allows every origin (*)", r.s.cfg.StageName)
	}
	rep, path, err := r.preflight(ctx, foreignOrigin)
	if err != nil {
		return "", err
	}
	if got := rep.header.Get("Access-Control-Allow-Origin"); got == foreignOrigin || got == "*" {
		return "", fmt.Errorf("OPTIONS %s from %s answered Access-Control-Allow-Origin %q: a foreign origin may call the API", path, foreignOrigin, got)
	}
	return fmt.Sprintf("OPTIONS %s from %s: not allowed", path, foreignOrigin), nil
}

// signIn creates the throwaway user and signs it in with its password, where the stage allows
// it. undo deletes the user; it is set as soon as the user exists.
func (r *smokeRun) signIn(ctx context.Context) (note string, undo func() error, err error) {
	cfg := r.s.cfg
	if !cfg.PasswordAuth {
		return "", nil, skip("stage %s turns password sign-in off (passwordAuth false), so no user can sign in without a browser; "+
			"the user's journeys (/me, scoped and refused routes, refresh, revocation) are skipped: check them with authctl login", cfg.StageName)
	}
	if r.noAdmin {
		return "", nil, skip("-no-admin: no throwaway user (creating one needs cognito-idp:AdminCreateUser, AdminSetUserPassword and AdminDeleteUser); the user's journeys are skipped")
	}
	client, err := r.s.cognito(ctx, true)
	if err != nil {
		return "", nil, err
	}
	email := fmt.Sprintf("smoke-%x@example.com", time.Now().UnixNano())
	password := randomPassword(cfg.PasswordPolicy.MinLength)
	r.email, r.password = email, password
	u := newUser{email: email, fullName: "authctl smoke"}
	created, err := createConfirmedUser(ctx, client, r.s, u, password)
	if err != nil {
		return "", nil, fmt.Errorf("creating the throwaway user %s: %w", email, err)
	}
	undo = func() error {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if _, err := client.AdminDeleteUser(dctx, &cip.AdminDeleteUserInput{UserPoolId: aws.String(r.s.poolID), Username: aws.String(email)}); err != nil {
			return fmt.Errorf("deleting the throwaway user %s failed: %v; delete it with: aws cognito-idp admin-delete-user --user-pool-id %s --username %s", email, r.s.describe(err), r.s.poolID, email)
		}
		fmt.Fprintf(r.a.stdout, "ok    %-32s deleted the throwaway user %s\n", "cleanup", email)
		return nil
	}
	result, challenge, err := passwordSignIn(ctx, r.s, userSignIn{email: email, flow: "user-password"}, password)
	switch {
	case err != nil:
		return "", undo, fmt.Errorf("password sign-in (USER_PASSWORD_AUTH): %w", err)
	case challenge != "":
		return "", undo, fmt.Errorf("password sign-in: the pool asks for the %s challenge (is MFA required?)", challenge)
	case result == nil:
		return "", undo, errors.New("password sign-in: neither tokens nor a challenge")
	}
	r.user = tokenSet{IDToken: aws.ToString(result.IdToken), AccessToken: aws.ToString(result.AccessToken), RefreshToken: aws.ToString(result.RefreshToken)}
	if r.idClaims, err = r.verify.Verify(ctx, r.user.IDToken, verifier.TokenUseID); err != nil {
		return "", undo, fmt.Errorf("the ID token does not verify against the JWKS: %w", err)
	}
	access, err := r.verify.Verify(ctx, r.user.AccessToken, verifier.TokenUseAccess)
	if err != nil {
		return "", undo, fmt.Errorf("the access token does not verify against the JWKS: %w", err)
	}
	if r.idClaims.Subject != created.Sub && created.Sub != "" {
		return "", undo, fmt.Errorf("the ID token's sub %s is not the user's %s", r.idClaims.Subject, created.Sub)
	}
	r.userCaller = routes.Caller{TokenUse: routes.TokenUseAccess, Client: routes.WebClient, Scopes: access.Scopes, Groups: access.Groups}
	return fmt.Sprintf("created %s, signed in with its password; ID and access tokens verify against the JWKS (scopes: %s)", email, strings.Join(access.Scopes, " ")), undo, nil
}

// needUser skips a journey when no user signed in.
func (r *smokeRun) needUser() error {
	if r.idClaims == nil {
		return skip("no signed-in user (see sign-in above)")
	}
	return nil
}

func (r *smokeRun) me(ctx context.Context) (string, error) {
	if err := r.needUser(); err != nil {
		return "", err
	}
	rt, ok := r.callable(routes.Protected, func(rt routes.Route) bool { return len(rt.Groups) == 0 })
	if !ok {
		return "", skip("the route table has no protected GET route without groups")
	}
	rep, err := r.call(ctx, rt.Method, rt.Path, r.user.IDToken, successOf(rt))
	if err != nil {
		return "", err
	}
	if rt.Key() == "GET /me" {
		var me api.Me
		if err := json.Unmarshal(rep.body, &me); err != nil || me.Sub != r.idClaims.Subject {
			return "", fmt.Errorf("GET /me answered %s; want the user's claims (sub %s)", snippet(rep.body), r.idClaims.Subject)
		}
	}
	// API Gateway's Cognito authorizer takes only the ID token on a route without scopes.
	if _, err := r.call(ctx, rt.Method, rt.Path, r.user.AccessToken, http.StatusUnauthorized); err != nil {
		return "", fmt.Errorf("the access token on a protected route: %w", err)
	}
	return fmt.Sprintf("%s: %d with the ID token, 401 with the access token", rt.Key(), successOf(rt)), nil
}

func (r *smokeRun) scoped(ctx context.Context) (string, error) {
	if err := r.needUser(); err != nil {
		return "", err
	}
	rt, ok := r.callable(routes.Scoped, func(rt routes.Route) bool { return slices.Contains(rt.AllowedClients(), routes.WebClient) })
	if !ok {
		return "", skip("the route table has no scoped GET route for the web client")
	}
	if _, err := r.call(ctx, rt.Method, rt.Path, r.user.IDToken, http.StatusUnauthorized); err != nil {
		return "", fmt.Errorf("the ID token on a scoped route: %w", err)
	}
	access, how := r.user.AccessToken, "the password sign-in's access token"
	if v := rt.Decide(r.userCaller); v != routes.Allowed {
		// API Gateway's Cognito authorizer refuses an access token without the method's scopes.
		if _, err := r.call(ctx, rt.Method, rt.Path, r.user.AccessToken, http.StatusUnauthorized); err != nil {
			return "", fmt.Errorf("an access token without the route's scopes: %w", err)
		}
		if r.login.Local {
			// cognito-local's login form takes the password without a browser: the code flow
			// gets the scopes the app client allows, as authctl login and the web app do.
			t, err := r.localCodeFlow(ctx)
			if err != nil {
				return "", fmt.Errorf("authorization code with PKCE through cognito-local's login form: %w", err)
			}
			c, err := r.verify.Verify(ctx, t.AccessToken, verifier.TokenUseAccess)
			if err != nil {
				return "", fmt.Errorf("the code flow's access token does not verify: %w", err)
			}
			if v := rt.Decide(routes.Caller{TokenUse: routes.TokenUseAccess, Client: routes.WebClient, Scopes: c.Scopes, Groups: c.Groups}); v != routes.Allowed {
				return "", fmt.Errorf("the code flow's access token (scopes %s) is refused by %s: %s", strings.Join(c.Scopes, " "), rt.Key(), v)
			}
			access, how = t.AccessToken, "the code flow's access token (cognito-local's form)"
		} else {
			return "", skip("%s refused the ID token and the password sign-in's access token (401), which carries none of %s: "+
				"a password sign-in gets only aws.cognito.signin.user.admin and its groups' groupScopes; the scopes the app client allows come with authctl login",
				rt.Key(), strings.Join(rt.Scopes, ", "))
		}
	}
	want := successOf(rt)
	if _, err := r.call(ctx, rt.Method, rt.Path, access, want); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s: %d with the access token (%s: %s), 401 with the ID token", rt.Key(), want, how, strings.Join(rt.Scopes, ", ")), nil
}

// localCodeFlow signs the throwaway user in with the authorization code grant and PKCE on
// cognito-local's login form, which takes the password in a POST, asking for the scopes the app
// client allows. The redirect to authctl login's callback (which setup-local always registers)
// is not followed: its code is redeemed here.
func (r *smokeRun) localCodeFlow(ctx context.Context) (tokenSet, error) {
	p, state := newPKCE(), randomString(16)
	form := authorizeQuery(r.s.clientID, LoginCallback, strings.Join(r.s.cfg.AppClientScopes(), " "), state, p)
	form.Set("username", r.email)
	form.Set("password", r.password)
	rep, err := r.send(ctx, "POST", r.login.Authorize, form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	if err != nil {
		return tokenSet{}, err
	}
	loc, err := url.Parse(rep.header.Get("Location"))
	if rep.status != http.StatusFound || err != nil || loc.Query().Get("code") == "" || loc.Query().Get("state") != state {
		return tokenSet{}, fmt.Errorf("POST %s answered %d %s (Location %q); want a redirect with a code", r.login.Authorize, rep.status, snippet(rep.body), rep.header.Get("Location"))
	}
	return exchangeCode(ctx, r.login.Token, r.s.clientID, loc.Query().Get("code"), LoginCallback, p.verifier)
}

func (r *smokeRun) refused(ctx context.Context) (string, error) {
	if err := r.needUser(); err != nil {
		return "", err
	}
	caller := routes.Caller{TokenUse: routes.TokenUseID, Client: routes.WebClient, Groups: r.idClaims.Groups}
	rt, ok := r.callable(routes.Protected, func(rt routes.Route) bool { return rt.Decide(caller) == routes.DeniedNotInGroup })
	if !ok {
		return "", skip("the route table has no protected GET route with groups the user is not in")
	}
	rep, err := r.call(ctx, rt.Method, rt.Path, r.user.IDToken, http.StatusForbidden)
	if err != nil {
		return "", err
	}
	var e api.Error
	if json.Unmarshal(rep.body, &e) != nil || e.Error.Code != string(routes.DeniedNotInGroup) {
		return "", fmt.Errorf("%s answered 403 %s; want the error code %s", rt.Key(), snippet(rep.body), routes.DeniedNotInGroup)
	}
	return fmt.Sprintf("%s: 403 %s for a user in none of %s", rt.Key(), e.Error.Code, strings.Join(rt.Groups, ", ")), nil
}

func (r *smokeRun) machineClient(ctx context.Context) (string, error) {
	cfg := r.s.cfg
	if len(cfg.MachineClients) == 0 {
		return "", skip("stage %s has no machineClients", cfg.StageName)
	}
	if r.noAdmin {
		return "", skip("-no-admin: reading the machine client's secret needs cognito-idp:DescribeUserPoolClient")
	}
	if len(r.machines) == 0 {
		if r.login.Local {
			return "", skip("cognito-local has no client credentials grant, so setup-local makes no machine clients")
		}
		return "", fmt.Errorf("stage %s has machineClients but the outputs file %s has no %s output", cfg.StageName, r.s.Outputs, names.OutMachineClients)
	}
	for _, m := range cfg.MachineClients {
		if r.machines[m.Name] == "" {
			continue
		}
		caller := routes.Caller{TokenUse: routes.TokenUseAccess, Client: m.Name, Scopes: m.Scopes}
		rt, ok := r.callable(routes.Scoped, func(rt routes.Route) bool { return rt.Decide(caller) == routes.Allowed })
		if !ok {
			continue
		}
		scopes := machineScopes(rt.Scopes, m.Scopes)
		t, err := machineAccessToken(ctx, r.s, m.Name, strings.Join(scopes, " "))
		if err != nil {
			return "", fmt.Errorf("%s's token (client credentials): %w", m.Name, err)
		}
		if _, err := r.verify.Verify(ctx, t.AccessToken, verifier.TokenUseAccess); err != nil {
			return "", fmt.Errorf("%s's access token does not verify against the JWKS: %w", m.Name, err)
		}
		want := successOf(rt)
		if _, err := r.call(ctx, rt.Method, rt.Path, t.AccessToken, want); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s's token (%s) on %s: %d", m.Name, strings.Join(scopes, " "), rt.Key(), want), nil
	}
	return "", skip("no scoped GET route of the table takes a machine client of the outputs file")
}

// machineScopes are the route's scopes the client holds.
func machineScopes(route, held []string) []string {
	var out []string
	for _, s := range route {
		if slices.Contains(held, s) {
			out = append(out, s)
		}
	}
	return out
}

func (r *smokeRun) refresh(ctx context.Context) (string, error) {
	if err := r.needUser(); err != nil {
		return "", err
	}
	if r.user.RefreshToken == "" {
		return "", errors.New("the sign-in returned no refresh token")
	}
	t, err := refreshTokens(ctx, r.login.Token, r.s.clientID, r.user.RefreshToken)
	if err != nil {
		return "", err
	}
	c, err := r.verify.Verify(ctx, t.IDToken, verifier.TokenUseID)
	if err != nil {
		return "", fmt.Errorf("the renewed ID token does not verify: %w", err)
	}
	if c.Subject != r.idClaims.Subject {
		return "", fmt.Errorf("the renewed ID token is for %s, not the user %s", c.Subject, r.idClaims.Subject)
	}
	if t.RefreshToken != "" {
		r.user.RefreshToken = t.RefreshToken // a rotating client's new one; the old one is gone
	}
	return "new tokens from " + r.login.Token + " for the same user", nil
}

func (r *smokeRun) revocation(ctx context.Context) (string, error) {
	if err := r.needUser(); err != nil {
		return "", err
	}
	if r.login.Revoke == "" {
		return "", skip("cognito-local has no /oauth2/revoke")
	}
	form := url.Values{"token": {r.user.RefreshToken}, "client_id": {r.s.clientID}}
	rep, err := r.send(ctx, "POST", r.login.Revoke, form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	if err != nil {
		return "", err
	}
	if rep.status != http.StatusOK {
		return "", fmt.Errorf("POST %s answered %d %s; want 200 (does the app client enable token revocation?)", r.login.Revoke, rep.status, snippet(rep.body))
	}
	if _, err := refreshTokens(ctx, r.login.Token, r.s.clientID, r.user.RefreshToken); err == nil {
		return "", errors.New("the revoked refresh token still renews the tokens")
	} else if !strings.Contains(err.Error(), "invalid_grant") {
		return "", fmt.Errorf("renewing with the revoked refresh token: %v; want invalid_grant", err)
	}
	return "the revoked refresh token renews nothing (invalid_grant)", nil
}
