package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-apigw/cognito-apigw/internal/cli"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/loopback"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// tokenSet is what tokens and login print.
type tokenSet struct {
	IDToken      string `json:"id_token"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ExpiresIn    int32  `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

// Environment variables the env format sets and call reads.
const (
	envIDToken      = "ID_TOKEN"
	envAccessToken  = "ACCESS_TOKEN"
	envRefreshToken = "REFRESH_TOKEN"
)

func checkFormat(f string) error {
	if f != "json" && f != "env" {
		return cli.Usagef("-format %q: want json or env", f)
	}
	return nil
}

// writeTokens prints the tokens as JSON, or as exports for eval "$(authctl tokens -format env ...)".
func writeTokens(w io.Writer, format string, t tokenSet) error {
	if format == "json" {
		return writeJSON(w, t)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "export %s=%s\n", envIDToken, shellQuote(t.IDToken))
	fmt.Fprintf(&b, "export %s=%s\n", envAccessToken, shellQuote(t.AccessToken))
	if t.RefreshToken != "" {
		fmt.Fprintf(&b, "export %s=%s\n", envRefreshToken, shellQuote(t.RefreshToken))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// shellQuote quotes s for POSIX shells. Tokens are base64url and dots, but an unexpected
// reply must not run commands when eval'd.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// userSignIn is how tokens signs a user in.
type userSignIn struct {
	email, flow, format string
	pw                  passwordFlags
}

func (a *app) tokens(fs *flag.FlagSet) cli.Run {
	var s settings
	var u userSignIn
	s.Declare(fs)
	fs.StringVar(&u.email, "email", "", "the user's email `address` (or username)")
	machine := fs.String("client", "", "machine client `name` (machineClients in cdk.json): its access token by client credentials, instead of a user's tokens")
	fs.StringVar(&u.flow, "flow", "user-password", "`flow`: user-password (USER_PASSWORD_AUTH, no AWS credentials needed) or admin-user-password (ADMIN_USER_PASSWORD_AUTH)")
	fs.StringVar(&u.format, "format", "json", "output `format`: json, or env for shell exports of ID_TOKEN, ACCESS_TOKEN, REFRESH_TOKEN (ACCESS_TOKEN only with -client)")
	scope := machineFlags(fs, &s)
	u.pw.add(fs)
	s.clientFlag(fs)
	s.poolFlags(fs)
	return func(ctx context.Context, _ []string) error {
		if *machine != "" {
			return a.machineTokenFromTokens(ctx, fs, &s, u, *machine, *scope)
		}
		return a.userTokens(ctx, fs, &s, u)
	}
}

// machineTokenFromTokens is tokens -client NAME: machine-token, refusing a user's flags.
func (a *app) machineTokenFromTokens(ctx context.Context, fs *flag.FlagSet, s *settings, u userSignIn, machine, scope string) error {
	// A machine client signs in with its own secret, never with a user's password.
	if u.email != "" || u.pw.value != "" || u.pw.stdin {
		return cli.Usagef("-client NAME gets a machine client's token, -email and -password a user's: give one of them")
	}
	for _, f := range []string{"flow", "client-id"} {
		if cli.IsSet(fs, f) {
			return cli.Usagef("-%s is for a user's sign-in; with -client the machine client's id comes from the outputs file (MachineClients)", f)
		}
	}
	if err := s.start(u.format); err != nil {
		return err
	}
	return a.writeMachineToken(ctx, s, machine, scope, u.format)
}

// userTokens signs a user in with a password and prints the tokens.
func (a *app) userTokens(ctx context.Context, fs *flag.FlagSet, s *settings, u userSignIn) error {
	for _, f := range []string{"scope", "domain"} {
		if cli.IsSet(fs, f) {
			return cli.Usagef("-%s is for a machine client's token (with -client NAME); a user's password sign-in asks for no scopes and no managed-login domain", f)
		}
	}
	if u.email == "" {
		return cli.Usagef("-email is required")
	}
	if u.flow != "user-password" && u.flow != "admin-user-password" {
		return cli.Usagef("-flow %q: want user-password or admin-user-password", u.flow)
	}
	if err := checkFormat(u.format); err != nil {
		return err
	}
	if err := s.loadConfig(); err != nil {
		return err
	}
	if !s.cfg.PasswordAuth {
		return fmt.Errorf("stage %s does not enable password sign-in (passwordAuth is false in cdk.json), so its app client refuses %s; sign in on the managed login page with: authctl login -stage %s",
			s.cfg.StageName, u.flow, s.cfg.StageName)
	}
	if err := s.loadOutputs(); err != nil {
		return err
	}
	password, err := a.password(u.pw)
	if err != nil {
		return err
	}
	if err := s.need(s.clientID, "client-id", names.OutClientID); err != nil {
		return err
	}
	result, challenge, err := passwordSignIn(ctx, s, u, password)
	if err != nil {
		return err
	}
	return a.printSignIn(u, result, challenge)
}

// passwordSignIn runs the user's flow: USER_PASSWORD_AUTH, or ADMIN_USER_PASSWORD_AUTH with
// AWS credentials.
func passwordSignIn(ctx context.Context, s *settings, u userSignIn, password string) (*types.AuthenticationResultType, types.ChallengeNameType, error) {
	params := map[string]string{"USERNAME": u.email, "PASSWORD": password}
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	client, err := s.cognito(ctx, u.flow == "admin-user-password")
	if err != nil {
		return nil, "", err
	}
	if u.flow == "user-password" {
		out, err := client.InitiateAuth(ctx, &cip.InitiateAuthInput{
			AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(s.clientID), AuthParameters: params,
		})
		if err != nil {
			return nil, "", s.describe(err)
		}
		return out.AuthenticationResult, out.ChallengeName, nil
	}
	if err := s.need(s.poolID, "user-pool-id", names.OutUserPoolID); err != nil {
		return nil, "", err
	}
	out, err := client.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{
		AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, UserPoolId: aws.String(s.poolID), ClientId: aws.String(s.clientID), AuthParameters: params,
	})
	if err != nil {
		return nil, "", s.describe(err)
	}
	return out.AuthenticationResult, out.ChallengeName, nil
}

// printSignIn prints the tokens, or says why there are none.
func (a *app) printSignIn(u userSignIn, result *types.AuthenticationResultType, challenge types.ChallengeNameType) error {
	switch {
	case challenge == types.ChallengeNameTypeNewPasswordRequired:
		return fmt.Errorf("%s still has a temporary password (FORCE_CHANGE_PASSWORD); give it a permanent one with: authctl set-password -email %s -password-stdin", u.email, u.email)
	case challenge != "":
		return fmt.Errorf("the Cognito user pool asks for the %s challenge, which authctl does not answer; sign in on the managed login page with: authctl login", challenge)
	case result == nil:
		return errors.New("the Cognito user pool returned neither tokens nor a challenge")
	}
	return writeTokens(a.stdout, u.format, tokenSet{
		IDToken:      aws.ToString(result.IdToken),
		AccessToken:  aws.ToString(result.AccessToken),
		RefreshToken: aws.ToString(result.RefreshToken),
		ExpiresIn:    result.ExpiresIn,
		TokenType:    aws.ToString(result.TokenType),
	})
}

// pkce is an RFC 7636 verifier and its S256 challenge.
type pkce struct {
	verifier, challenge string
}

func newPKCE() pkce {
	v := randomString(32) // 43 characters, within RFC 7636's 43 to 128
	return pkce{verifier: v, challenge: s256(v)}
}

func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// randomPassword is a password nobody is told, at least minLength characters long, with a
// lower- and an upper-case letter, a digit and a symbol whatever the pool's policy asks for.
func randomPassword(minLength int) string {
	p := "aA1!" + rand.Text() + strings.ToLower(rand.Text())
	for len(p) < minLength {
		p += rand.Text()
	}
	return p
}

// LoginCallback is authctl login's own loopback callback, registered in the dev stage's
// callbackUrls and by setup-local. It is not the web app's http://localhost:3000/auth/callback,
// so that authctl login and cmd/local's web app can run side by side.
const LoginCallback = "http://127.0.0.1:8976/callback"

// defaultRedirect is LoginCallback when the stage registers it, else the stage's first
// callback URL that authctl can listen on.
func defaultRedirect(callbacks []string) string {
	if slices.Contains(callbacks, LoginCallback) {
		return LoginCallback
	}
	for _, u := range callbacks {
		if checkRedirect(u) == nil {
			return u
		}
	}
	return ""
}

// checkRedirect wants http://<loopback>:<port>/path: authctl itself receives the redirect.
func checkRedirect(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || !loopback.IsURL(raw) || u.Port() == "" || u.Fragment != "" {
		return errors.New("want a loopback URL with a port, such as http://localhost:3000/auth/callback")
	}
	return nil
}

// checkIdP accepts the name of one of the stage's identity providers, or COGNITO while the
// stage lets the pool's own users sign in; "" means the managed login's chooser.
func checkIdP(cfg config.Config, name string) error {
	if name == "" {
		return nil
	}
	var known []string
	if cfg.CognitoSignIn {
		known = append(known, "COGNITO")
	}
	known = append(known, cfg.ProviderNames()...)
	for _, k := range known {
		if k == name {
			return nil
		}
		if strings.EqualFold(k, name) {
			return cli.Usagef("-idp %q: did you mean %q? (provider names are case-sensitive)", name, k)
		}
	}
	if len(cfg.IdentityProviders) == 0 {
		return cli.Usagef("-idp %q: stage %s has no identityProviders in cdk.json", name, cfg.StageName)
	}
	return cli.Usagef("-idp %q: want one of stage %s's providers: %s", name, cfg.StageName, strings.Join(known, ", "))
}

// signInAttempt is one authorization request of a login.
type signInAttempt struct {
	pkce  pkce
	state string
	url   string
}

// linkedOnFirstSignIn reports whether managed login's error_description is the one Cognito
// gives the first federated sign-in that the linkByEmail trigger linked to an existing user
// ("Already found an entry for username Google_1234...", SAML's with a prefix): the link is
// made, the sign-in fails, and signing in again succeeds as the linked user.
// web/logic.js recognises the same text (TestLinkedSignInErrorIsTheWebApps).
func linkedOnFirstSignIn(description string) bool {
	return strings.Contains(strings.ToLower(description), strings.ToLower(linkedSignInError))
}

const linkedSignInError = "Already found an entry for username"

type loginResult struct {
	tokens tokenSet
	err    error
}

// loginOptions are login's flags besides the settings.
type loginOptions struct {
	redirect, scope, idp, format string
	noBrowser                    bool
	timeout                      time.Duration
}

func (a *app) login(fs *flag.FlagSet) cli.Run {
	var s settings
	var o loginOptions
	s.Declare(fs)
	s.clientFlag(fs)
	fs.StringVar(&s.domain, "domain", "", "managed-login `URL`, https://<prefix>.auth.<region>.amazoncognito.com or the stage's loginDomain (default: ManagedLoginUrl output)")
	fs.StringVar(&o.redirect, "redirect-uri", "", "callback `URL` registered on the app client where authctl receives the code (default: "+LoginCallback+" when the stage registers it, else the stage's first loopback callback URL)")
	fs.StringVar(&o.scope, "scope", "", "space-separated `scopes` to ask for (default: the scopes the app client allows: openid email profile and the API scopes no group is granted)")
	fs.BoolVar(&o.noBrowser, "no-browser", false, "only print the sign-in URL, do not open a browser")
	fs.StringVar(&o.idp, "idp", "", "sign in straight through this identity provider of the stage (`NAME` as in cdk.json, e.g. Google), past the managed login's chooser")
	fs.DurationVar(&o.timeout, "timeout", 5*time.Minute, "how long to wait for the sign-in")
	fs.StringVar(&o.format, "format", "json", "output `format`: json, or env for shell exports of ID_TOKEN, ACCESS_TOKEN, REFRESH_TOKEN")
	return func(ctx context.Context, _ []string) error {
		flow, err := newLoginFlow(&s, o)
		if err != nil {
			return err
		}
		return a.awaitLogin(ctx, flow, o)
	}
}

// loginFlow is one login: its authorization requests, and the loopback handler that takes
// the redirect ending it.
type loginFlow struct {
	clientID, domain, redirect, scopes, idp string
	redirectURL                             *url.URL

	ctx     context.Context // the login's, which bounds the code exchange too
	stderr  io.Writer
	results chan loginResult
	once    sync.Once // one redirect ends the login

	mu sync.Mutex
	// Each authorization request has its own state and PKCE verifier; there is a second one
	// only when Cognito fails the first sign-in after linking (see linkedOnFirstSignIn).
	current signInAttempt
	retried bool
}

// newLoginFlow checks login's settings and makes the first authorization request.
func newLoginFlow(s *settings, o loginOptions) (*loginFlow, error) {
	if err := s.start(o.format); err != nil {
		return nil, err
	}
	if err := s.need(s.clientID, "client-id", names.OutClientID); err != nil {
		return nil, err
	}
	if err := s.checkDomain(); err != nil {
		return nil, err
	}
	redirect := o.redirect
	if redirect == "" {
		if redirect = defaultRedirect(s.cfg.CallbackURLs); redirect == "" {
			return nil, cli.Usagef("none of stage %s's callbackUrls is a loopback URL authctl can listen on; add %s to callbackUrls in cdk.json and deploy, then pass it with -redirect-uri", s.cfg.StageName, LoginCallback)
		}
	}
	if err := checkRedirect(redirect); err != nil {
		return nil, cli.Usagef("-redirect-uri %q: %v", redirect, err)
	}
	if err := checkIdP(s.cfg, o.idp); err != nil {
		return nil, err
	}
	scopes := strings.Join(s.cfg.AppClientScopes(), " ")
	if o.scope != "" {
		scopes = o.scope
	}
	redirectURL, _ := url.Parse(redirect)
	f := &loginFlow{clientID: s.clientID, domain: strings.TrimSuffix(s.domain, "/"), redirect: redirect, redirectURL: redirectURL, scopes: scopes, idp: o.idp}
	f.current = f.newAttempt()
	return f, nil
}

// authorizeQuery is the authorization request of the code flow with PKCE (S256) for the public
// app client clientID.
func authorizeQuery(clientID, redirect, scope, state string, p pkce) url.Values {
	return url.Values{
		"response_type":         {"code"},
		"client_id":             {clientID},
		"redirect_uri":          {redirect},
		"scope":                 {scope},
		"state":                 {state},
		"code_challenge":        {p.challenge},
		"code_challenge_method": {"S256"},
	}
}

func (f *loginFlow) newAttempt() signInAttempt {
	a := signInAttempt{pkce: newPKCE(), state: randomString(16)}
	query := authorizeQuery(f.clientID, f.redirect, f.scopes, a.state, a.pkce)
	if f.idp != "" {
		query.Set("identity_provider", f.idp)
	}
	a.url = f.domain + "/oauth2/authorize?" + query.Encode()
	return a
}

// awaitLogin listens for the redirect, shows the sign-in URL, and prints the tokens the
// redirect brings.
func (a *app) awaitLogin(ctx context.Context, f *loginFlow, o loginOptions) error {
	signIn := f.current.url
	lns, err := loopback.Listen(f.redirectURL.Host)
	if err != nil {
		return fmt.Errorf("cannot listen on %s for the redirect (%v); stop what uses the port, or register another loopback callback URL and pass it with -redirect-uri", f.redirectURL.Host, err)
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	f.ctx, f.stderr, f.results = ctx, a.stderr, make(chan loginResult, 1)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: f}
	for _, ln := range lns {
		go srv.Serve(ln)
	}
	defer func() {
		// Shutdown, not Close: the browser must still get the page the handler is writing.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}()

	fmt.Fprintf(a.stderr, "Sign in on the managed login page:\n\n  %s\n\nWaiting for the redirect to %s ...\n", signIn, f.redirect)
	if !o.noBrowser {
		if err := a.openBrowser(signIn); err != nil {
			fmt.Fprintf(a.stderr, "(could not open a browser: %v; open the URL yourself)\n", err)
		}
	}
	select {
	case res := <-f.results:
		if res.err != nil {
			return res.err
		}
		return writeTokens(a.stdout, o.format, res.tokens)
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("no sign-in within %v", o.timeout)
		}
		return errors.New("interrupted")
	}
}

// ServeHTTP takes the redirect: a sign-in failed after linking starts over once; the first
// redirect of the current attempt ends the login; anything else is refused.
func (f *loginFlow) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != f.redirectURL.Path {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	attempt, retry, next := f.answered(q)
	if q.Get("state") != attempt.state {
		// Not the sign-in started here (an old tab, or a forged request): keep waiting.
		http.Error(w, "This redirect does not belong to the sign-in authctl is waiting for.", http.StatusBadRequest)
		return
	}
	if retry {
		fmt.Fprintln(f.stderr, "Managed login failed the sign-in that linked the provider's identity to the existing user with the same email; signing in again.")
		http.Redirect(w, r, next, http.StatusFound)
		return
	}
	handled := false
	f.once.Do(func() {
		handled = true
		f.results <- f.finish(w, q, attempt)
	})
	if !handled {
		http.Error(w, "The sign-in is already complete.", http.StatusConflict)
	}
}

// answered returns the attempt a redirect answers and, when it is the failed first sign-in
// after linking, starts the next attempt (retry), whose URL is next.
func (f *loginFlow) answered(q url.Values) (attempt signInAttempt, retry bool, next string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	attempt = f.current
	retry = q.Get("state") == attempt.state && !f.retried && q.Get("error") != "" && linkedOnFirstSignIn(q.Get("error_description"))
	if retry {
		f.retried, f.current = true, f.newAttempt()
	}
	return attempt, retry, f.current.url
}

// finish redeems the redirect's code and tells the browser how the sign-in went.
func (f *loginFlow) finish(w http.ResponseWriter, q url.Values, attempt signInAttempt) loginResult {
	var res loginResult
	switch code := q.Get("code"); {
	case q.Get("error") != "":
		res.err = fmt.Errorf("sign-in failed: %s %s", q.Get("error"), q.Get("error_description"))
	case code == "":
		res.err = errors.New("the redirect carried no authorization code")
	default:
		res.tokens, res.err = exchangeCode(f.ctx, f.domain+"/oauth2/token", f.clientID, code, f.redirect, attempt.pkce.verifier)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if res.err != nil {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "<!doctype html><title>Sign-in failed</title><p>Sign-in failed: %s</p><p>See the terminal.</p>\n", html.EscapeString(res.err.Error()))
	} else {
		fmt.Fprint(w, "<!doctype html><title>Signed in</title><p>Signed in. You can close this tab and return to the terminal.</p>\n")
	}
	return res
}

// exchangeCode redeems the authorization code at the token endpoint, proving with the PKCE
// verifier that it is the client that asked for it. The app client is public: no secret.
func exchangeCode(ctx context.Context, tokenURL, clientID, code, redirect, verifier string) (tokenSet, error) {
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"client_id":     {clientID},
		"code":          {code},
		"redirect_uri":  {redirect},
		"code_verifier": {verifier},
	}
	t, err := tokenRequest{url: tokenURL, form: form}.do(ctx)
	if err == nil && (t.IDToken == "" || t.AccessToken == "") {
		err = errors.New("token endpoint: the reply holds no ID and access tokens (was openid among the scopes?)")
	}
	return t, err
}

// openBrowser opens u in the user's browser without waiting for it.
func openBrowser(u string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", u)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	default:
		cmd = exec.Command("xdg-open", u)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}
