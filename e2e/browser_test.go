//go:build e2e

package e2e

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/golang-jwt/jwt/v5"

	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

// TestBrowserApp walks the sample web app through a real browser: headless Chromium opens the
// page that cmd/local serves, signs in on cognito-local's form (code flow with PKCE), calls the
// API on another origin (real CORS), and signs out. A second copy of the page, served from an
// origin the stage does not allow, must not be able to read the API's replies. Last, the page
// runs with the settings of a deployed stage, against a stand-in for the managed-login domain.
func TestBrowserApp(t *testing.T) {
	const email = "bob@example.com"
	w := startWebApp(t,
		appUser{email: email, name: "Bob Example"},
		appUser{email: "alice@example.com", name: "Alice Example", group: "admin"})
	ctx, root, tmp, started := w.ctx, w.root, w.tmp, w.started
	endpoint, cdkJSON, outputsFile := w.endpoint, w.cdkJSON, w.outputsFile
	apiURL, prismURL, appURL := w.apiURL, w.prismURL, w.appURL
	app, localAPI := w.server, w.bins.local

	// The same page on an origin outside cors.allowOrigins, calling the same API (the trigger
	// is the first server's).
	otherAPIPort, otherWebPort := freePort(t), freePort(t)
	otherURL := fmt.Sprintf("http://localhost:%d", otherWebPort)
	other := start(t, ctx, "cmd/local on another origin", root, nil, localAPI, "-cdk-json", cdkJSON, "-outputs", outputsFile,
		"-addr", "127.0.0.1:"+itoa(otherAPIPort), "-web", "localhost:"+itoa(otherWebPort), "-web-api", apiURL, "-lambda", "off")
	waitHTTP(t, ctx, other, otherURL+"/config.json")
	t.Logf("servers up after %v", time.Since(started).Round(time.Millisecond))

	browserStarted := time.Now()
	b := newBrowser(t, ctx, w.chromium, filepath.Join(tmp, "chromium-profile"))

	// Signed out: the public route answers across origins.
	b.do("open the app", chromedp.Navigate(appURL+"/"), chromedp.WaitVisible(chromedp.CSS("#sign-in")))
	// cognito-local federates with nobody: no provider buttons against it, though the stage has one.
	if n := run[int](b, "provider buttons (cognito-local)", chromedp.Evaluate[int](`document.querySelectorAll("button[data-provider]").length`)); n != 0 {
		t.Errorf("%d provider buttons against cognito-local; want none", n)
	}
	b.do("check the API", chromedp.Click(chromedp.CSS("#health")))
	b.waitFor("GET /health shown", `document.querySelector('#replies li[data-status="200"]') !== null`)

	// Sign in on cognito-local's form.
	b.do("go to the login page", chromedp.Click(chromedp.CSS("#sign-in")), chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)))
	if loc := b.location(); !strings.HasPrefix(loc, endpoint+"/oauth2/authorize?") || !strings.Contains(loc, "code_challenge_method=S256") ||
		!strings.Contains(loc, "redirect_uri="+url.QueryEscape(appURL+"/auth/callback")) {
		t.Fatalf("login page URL %s; want cognito-local's /oauth2/authorize with PKCE and the app's callback", loc)
	}
	b.signIn("", email)
	if loc := b.location(); loc != appURL+"/" {
		t.Errorf("address after sign-in %s; want %s/ (no code or state)", loc, appURL)
	}
	// cognito-local's ID tokens carry no name claim (Cognito's do, with the profile scope).
	if name := b.text("#name"); name != "(no name in the ID token)" {
		t.Errorf("name %q; want the page's note that the ID token has none", name)
	}
	if groups := b.text("#groups"); groups != "none" {
		t.Errorf("groups %q; want none", groups)
	}
	if exp := b.text("#expires"); !strings.Contains(exp, "(in ") {
		t.Errorf("expiry %q", exp)
	}

	// The code flow's access token carries the scopes the page asked for that the app client
	// allows (demo-api/read among them), so GET /items answers; POST /items takes
	// demo-api/write, which only the admin group's members get (from the pre token generation
	// trigger): Bob gets the gateway's own 401, readable too.
	b.do("call /items", chromedp.Click(chromedp.CSS("#get-items")))
	b.waitFor("GET /items 200 shown", `document.getElementById("status").textContent.startsWith("GET /items: 200")`)
	b.do("add an item", chromedp.SendKeys(chromedp.CSS("#item-name"), "Buy milk"), chromedp.Click(chromedp.CSS(`#add-item button[type="submit"]`)))
	b.waitFor("POST /items 401 shown", `document.getElementById("status").textContent.startsWith("POST /items: 401")`)

	// A refusal is shown with the API's code: Bob is not in the admin group.
	b.do("call /admin", chromedp.Click(chromedp.CSS("#get-admin")))
	b.waitFor("403 not_in_group shown", `document.querySelector('#replies li[data-status="403"][data-code="not_in_group"]') !== null`)
	if s := b.text("#status"); !strings.Contains(s, "GET /admin: 403") || !strings.Contains(s, "not_in_group") {
		t.Errorf("status after /admin: %q", s)
	}
	b.screenshot(t, root, "web-app-signed-in.png")

	// Plain accessibility: every field labelled, the status in a live region, and a phone-wide
	// window needs no sideways scrolling.
	b.do("narrow window", chromedp.EmulateViewport(360, 740))
	for what, check := range map[string]string{
		"every input has a label":        `[...document.querySelectorAll("input")].every(i => i.labels.length > 0)`,
		"the status is a live region":    `document.getElementById("status").getAttribute("aria-live") === "polite"`,
		"no sideways scrolling at 360px": `document.documentElement.scrollWidth <= window.innerWidth`,
	} {
		if !run[bool](b, what, chromedp.Evaluate[bool](check)) {
			t.Errorf("accessibility: not true that %s", what)
		}
	}

	// The refresh token renews the session without a redirect: the token endpoint answers the
	// refresh grant. cognito-local stamps the refreshed ID token with a new auth_time, which
	// oidc-client-ts refuses once the clock has moved to another second (OpenID Connect says
	// auth_time stays the original sign-in's, as Cognito keeps it), so both outcomes are seen.
	tokenCalls := b.tokenReplies()
	b.do("renew", chromedp.Click(chromedp.CSS("#renew")))
	b.waitFor("renewal answered", `/^(Session renewed|The session could not be renewed: auth_time in id_token does not match)/.test(document.getElementById("status").textContent)`)
	if got := b.tokenReplies(); len(got) != len(tokenCalls)+1 || got[len(got)-1] != 200 {
		t.Errorf("token endpoint replies before the renewal %v, after %v; want one more 200", tokenCalls, got)
	}
	t.Logf("renewal: %s", b.text("#status"))

	b.checkStorage("after sign-in")
	// The tokens in the session, renewed or not, still work.
	b.do("call /me again", chromedp.Click(chromedp.CSS("#get-me")))
	b.waitFor("GET /me shown", `document.getElementById("status").textContent.startsWith("GET /me: 200")`)

	// Sign out: cognito-local has no /logout, so the page stays, and must keep nothing it
	// showed about Bob. Then a reload finds no session.
	traces := b.userTraces(email)
	b.do("sign out", chromedp.Click(chromedp.CSS("#sign-out")), chromedp.WaitVisible(chromedp.CSS("#signed-out")))
	b.waitFor("signed out", `document.getElementById("status").textContent === "Signed out."`)
	b.checkForgotten("after sign-out", traces)
	b.do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#signed-out")))
	if run[bool](b, "signed-in view", chromedp.Evaluate[bool](`!document.getElementById("signed-in").hidden`)) {
		t.Error("signed in after sign-out and reload")
	}
	if run[int](b, "sessionStorage entries", chromedp.Evaluate[int](`Object.keys(sessionStorage).filter(k => k.startsWith("oidc.user:")).length`)) != 0 {
		t.Error("the session survived sign-out")
	}
	if problems := b.problems(); len(problems) > 0 {
		t.Errorf("the browser reported problems on the allowed origin:\n%s", strings.Join(problems, "\n"))
	}
	b.reset()

	// Alice is in the admin group, whose scope demo-api/write the trigger adds to her access
	// token: she may add items, and sees them.
	b.do("open the app (alice)", chromedp.Navigate(appURL+"/"), chromedp.WaitVisible(chromedp.CSS("#sign-in")))
	b.do("go to the login page (alice)", chromedp.Click(chromedp.CSS("#sign-in")), chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)))
	b.signIn(" (alice)", "alice@example.com")
	b.do("add an item (alice)", chromedp.SendKeys(chromedp.CSS("#item-name"), "Buy milk"), chromedp.Click(chromedp.CSS(`#add-item button[type="submit"]`)))
	b.waitFor("POST /items 201 shown (alice)", `document.getElementById("status").textContent.startsWith("POST /items: 201")`)
	b.do("call /items (alice)", chromedp.Click(chromedp.CSS("#get-items")))
	b.waitFor("GET /items 200 shown (alice)", `document.getElementById("status").textContent.startsWith("GET /items: 200")`)
	if !run[bool](b, "alice's item listed", chromedp.Evaluate[bool](`document.getElementById("replies").textContent.includes("Buy milk")`)) {
		t.Errorf("GET /items after alice's POST: the page does not show her item: %s", b.text("#replies"))
	}
	b.do("sign out (alice)", chromedp.Click(chromedp.CSS("#sign-out")), chromedp.WaitVisible(chromedp.CSS("#signed-out")))
	if problems := b.problems(); len(problems) > 0 {
		t.Errorf("the browser reported problems while alice used the app:\n%s", strings.Join(problems, "\n"))
	}
	b.reset()

	// Negative: a page on an origin outside cors.allowOrigins cannot read the API's replies,
	// neither the handler's (/health) nor the gateway's own 401 (/me without a token).
	b.do("open the app on another origin", chromedp.Navigate(otherURL+"/"), chromedp.WaitVisible(chromedp.CSS("#health")))
	b.do("check the API from there", chromedp.Click(chromedp.CSS("#health")))
	b.waitFor("GET /health unreadable", `document.querySelector('#replies li[data-status="0"]') !== null`)
	if s := b.text("#status"); !strings.Contains(s, "no reply the page may read") {
		t.Errorf("status on the other origin: %q", s)
	}
	got := run[string](b, "read /me from the other origin", chromedp.Evaluate[string](
		`fetch(`+jsString(apiURL+"/me")+`).then(r => "read " + r.status, e => "blocked")`, chromedp.EvalAwaitPromise))
	if got != "blocked" {
		t.Errorf("a page on %s read the API's 401: %s", otherURL, got)
	}
	if blocked := b.corsBlocked(); blocked < 2 {
		t.Errorf("the browser reported %d requests blocked by CORS on %s; want 2 (/health, /me): %v", blocked, otherURL, b.problems())
	}
	b.reset()

	// The page as it runs against a deployed stage: the outputs file names a managed-login
	// domain (no CognitoEndpoint), so the page revokes the refresh token and signs out through
	// /logout. A stand-in for that domain passes sign-in through to cognito-local, rotates
	// refresh tokens as refreshRotation does, and answers /oauth2/revoke and /logout as Cognito
	// documents them.
	ml := newManagedLogin(t, endpoint, out(t, outputsFile).ClientID, appURL, cognitoLocalKey(t, root))
	deployedOutputs := filepath.Join(tmp, "deployed-outputs.json")
	writeDeployedOutputs(t, outputsFile, deployedOutputs, ml.URL)
	if err := syscall.Kill(-app.cmd.Process.Pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	app.wait(t, 10*time.Second)
	deployed := start(t, ctx, "cmd/local with deployed outputs", root, nil, localAPI, "-cdk-json", cdkJSON, "-outputs", deployedOutputs,
		"-addr", "127.0.0.1:"+itoa(w.apiPort), "-web", "localhost:"+itoa(w.webPort), "-web-api", prismURL)
	waitHTTP(t, ctx, deployed, appURL+"/config.json")
	b.do("open the app (deployed settings)", chromedp.Navigate(appURL+"/"), chromedp.WaitVisible(chromedp.CSS("#sign-in")))
	// Sign in through the stage's provider (its button sends identity_provider=AcmeSSO; the
	// stand-in hands the request to cognito-local's form). The first sign-in request fails as
	// Cognito fails a sign-in linkByEmail has just linked: the page signs in again by itself,
	// through the same provider, and the second request reaches the login form.
	ml.failNextAsLinked()
	b.do("sign in with AcmeSSO (the first attempt fails as linked)", chromedp.Click(chromedp.CSS(`button[data-provider="AcmeSSO"]`)))
	b.waitAcross("the login form after signing in again", `document.querySelector('input[name="username"]') !== null`)
	if got := ml.seen().providers; !slices.Equal(got, []string{"AcmeSSO", "AcmeSSO"}) {
		t.Errorf("managed login saw sign-in requests for the providers %q; want AcmeSSO twice (the linked one, then the page's own retry)", got)
	}
	b.signIn(" (deployed settings)", email)
	if !run[bool](b, "the sign-in marks after sign-in", chromedp.Evaluate[bool](`sessionStorage.getItem("signInAgainAfterLinking") === null && sessionStorage.getItem("signInProvider") === null`)) {
		t.Error("the sign-in-again mark or the sign-in's provider outlived the sign-in (the next linked sign-in would not be retried)")
	}

	// Renew twice: each refresh retires the refresh token it used, so the second renewal works
	// only if the page kept the one the first renewal returned.
	for i := 1; i <= 2; i++ {
		step := fmt.Sprintf("renewal %d (rotation)", i)
		// The status is cleared first, so that the previous renewal's line cannot be taken for this one's.
		b.do(step, chromedp.Evaluate[chromedp.Void](`document.getElementById("status").textContent = ""`), chromedp.Click(chromedp.CSS("#renew")))
		b.waitFor(step+" answered", `/^(Session renewed|The session could not be renewed)/.test(document.getElementById("status").textContent)`)
		if s := b.text("#status"); !strings.HasPrefix(s, "Session renewed") {
			t.Fatalf("%s: %q; want it renewed (a retired refresh token gets invalid_grant; managed login saw %+v)", step, s, ml.seen())
		}
	}
	// /me takes the ID token: the renewed one, re-signed by the stand-in, passes cmd/local's check.
	b.do("call /me after the renewals", chromedp.Click(chromedp.CSS("#get-me")))
	b.waitFor("GET /me after the renewals", `document.getElementById("status").textContent.startsWith("GET /me: ")`)
	if s := b.text("#status"); !strings.HasPrefix(s, "GET /me: 200") {
		t.Errorf("GET /me with the renewed tokens: %q; want 200", s)
	}
	b.checkStorage("after the renewals")

	traces = b.userTraces(email)
	// The page shows the signed-out view before it leaves for /logout: a mark on this document
	// tells it from the one /logout sends the browser back to.
	b.do("sign out through /logout", chromedp.Evaluate[chromedp.Void](`window.beforeLogout = true`), chromedp.Click(chromedp.CSS("#sign-out")))
	b.waitAcross("back on the app, signed out", `window.beforeLogout === undefined && location.href === `+jsString(appURL+"/")+` && document.getElementById("signed-out") !== null && !document.getElementById("signed-out").hidden`)
	b.checkForgotten("after sign-out through /logout", traces)
	// Three refresh tokens handed out (sign-in, two renewals); sign-out revokes the newest.
	seen := ml.seen()
	if seen.codes != 1 || seen.refreshes != 2 || seen.logouts != 1 || len(seen.issued) != 3 {
		t.Errorf("managed login saw %+v; want one code exchange, two refreshes, three refresh tokens handed out, one /logout", seen)
	} else if !slices.Equal(seen.revoked, seen.issued[2:]) {
		t.Errorf("revoked %q; want only the newest refresh token %q (the first two were retired by rotation)", seen.revoked, seen.issued[2])
	}
	if run[int](b, "sessionStorage after /logout", chromedp.Evaluate[int](`Object.keys(sessionStorage).filter(k => k.startsWith("oidc.user:")).length`)) != 0 {
		t.Error("the session survived sign-out through /logout")
	}
	if problems := b.problems(); len(problems) > 0 {
		t.Errorf("the browser reported problems with the deployed settings:\n%s", strings.Join(problems, "\n"))
	}
	t.Logf("browser steps took %v; whole test %v", time.Since(browserStarted).Round(time.Millisecond), time.Since(started).Round(time.Millisecond))
}

func out(t *testing.T, path string) outputs.Stage {
	t.Helper()
	o, err := outputs.Read(path, "demo-api", "dev")
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// writeDeployedOutputs turns setup-local's outputs into what a deploy writes: the same pool,
// client and keys, with loginURL as ManagedLoginUrl and no CognitoEndpoint. It keeps
// LambdaEndpoint, which no deploy writes: the stand-in for managed login signs in through
// cognito-local, whose pool still calls its trigger there.
func writeDeployedOutputs(t *testing.T, local, path, loginURL string) {
	t.Helper()
	o := out(t, local)
	o.ManagedLoginURL, o.CognitoEndpoint = loginURL, ""
	b, err := outputs.Marshal("demo-api", "dev", o)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// managedLogin stands in for the managed-login domain of a client with refresh-token rotation
// (refreshRotation with graceSeconds 0): /oauth2/authorize and the code exchange pass through
// to cognito-local; a refresh takes only the newest refresh token it handed out, retires it and
// hands out a new one; /oauth2/revoke and /logout check their parameters as Cognito does.
type managedLogin struct {
	*httptest.Server
	key *rsa.PrivateKey // cognito-local's signing key, read from node_modules at test time

	mu                        sync.Mutex
	codes, refreshes, logouts int
	issued, revoked           []string           // refresh tokens handed out and revoked, in order
	chains                    map[string]*signIn // every refresh token handed out -> its sign-in
	// providers holds each sign-in request's identity_provider; linking makes the next one
	// fail as Cognito fails the first federated sign-in that linkByEmail has just linked.
	providers []string
	linking   bool
}

// failNextAsLinked makes the next sign-in request come back with Cognito's error for a
// federated sign-in that the pre sign-up trigger linked to an existing user.
func (m *managedLogin) failNextAsLinked() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.linking = true
}

// signIn is one sign-in's chain of rotated refresh tokens.
type signIn struct {
	upstream string      // cognito-local's refresh token, which never rotates
	authTime json.Number // the sign-in's auth_time, which Cognito keeps in renewed tokens
	newest   string      // the one refresh token still valid; "" once revoked
}

type managedLoginSeen struct {
	codes, refreshes, logouts  int
	issued, revoked, providers []string
}

func (m *managedLogin) seen() managedLoginSeen {
	m.mu.Lock()
	defer m.mu.Unlock()
	return managedLoginSeen{m.codes, m.refreshes, m.logouts, slices.Clone(m.issued), slices.Clone(m.revoked), slices.Clone(m.providers)}
}

func newManagedLogin(t *testing.T, cognitoLocal, clientID, appOrigin string, key *rsa.PrivateKey) *managedLogin {
	t.Helper()
	m := &managedLogin{key: key, chains: map[string]*signIn{}}
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Cognito's token and revocation endpoints answer browsers from any origin.
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Headers", "content-type, authorization")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		// One request at a time: a refresh token is checked and retired in one step.
		m.mu.Lock()
		defer m.mu.Unlock()
		switch r.URL.Path {
		case "/oauth2/authorize":
			m.providers = append(m.providers, r.URL.Query().Get("identity_provider"))
			if m.linking {
				m.linking = false
				q := r.URL.Query()
				back, _ := url.Parse(q.Get("redirect_uri"))
				back.RawQuery = url.Values{"error": {"invalid_request"}, "error_description": {"Already found an entry for username AcmeSSO_1234 "}, "state": {q.Get("state")}}.Encode()
				http.Redirect(w, r, back.String(), http.StatusFound)
				return
			}
			http.Redirect(w, r, cognitoLocal+r.URL.RequestURI(), http.StatusFound)
		case "/oauth2/token":
			r.ParseForm()
			m.token(t, w, cognitoLocal, r.PostForm)
		case "/oauth2/revoke":
			r.ParseForm()
			token := r.PostForm.Get("token")
			chain := m.chains[token]
			if r.Method != http.MethodPost || r.PostForm.Get("client_id") != clientID || chain == nil {
				t.Errorf("revoke: %s client_id=%q, a refresh token it issued: %v", r.Method, r.PostForm.Get("client_id"), chain != nil)
				http.Error(w, `{"error":"invalid_request"}`, http.StatusBadRequest)
				return
			}
			// Revoking a refresh token ends its sign-in's chain; the test checks which one came.
			chain.newest = ""
			m.revoked = append(m.revoked, token)
		case "/logout":
			q := r.URL.Query()
			if q.Get("client_id") != clientID || q.Get("logout_uri") != appOrigin {
				t.Errorf("/logout with client_id=%q logout_uri=%q; want %q and the registered %q", q.Get("client_id"), q.Get("logout_uri"), clientID, appOrigin)
				http.Error(w, "bad logout request", http.StatusBadRequest)
				return
			}
			m.logouts++
			http.Redirect(w, r, q.Get("logout_uri"), http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(m.Close)
	return m
}

// token answers the token endpoint, m.mu held. cognito-local mints the tokens; its refresh
// token never rotates and stays here, the page only ever sees the stand-in's rotated ones.
// cognito-local also stamps a refreshed token with auth_time = now, where Cognito keeps the
// sign-in's (and oidc-client-ts refuses a renewed ID token whose auth_time changed), so the
// renewed tokens are re-signed with the sign-in's auth_time, with cognito-local's own key:
// the JWKS cmd/local trusts verifies them as it does cognito-local's.
func (m *managedLogin) token(t *testing.T, w http.ResponseWriter, cognitoLocal string, form url.Values) {
	w.Header().Set("Content-Type", "application/json")
	var chain *signIn
	refresh := form.Get("grant_type") == "refresh_token"
	if refresh {
		presented := form.Get("refresh_token")
		chain = m.chains[presented]
		if chain == nil || chain.newest != presented {
			// What Cognito answers a retired, revoked or unknown refresh token.
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"error":"invalid_grant"}`)
			return
		}
		form = maps.Clone(form)
		form.Set("refresh_token", chain.upstream)
	}
	resp, err := httpClient.PostForm(cognitoLocal+"/oauth2/token", form)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		w.WriteHeader(resp.StatusCode)
		w.Write(body)
		return
	}
	var reply map[string]any
	if err := json.Unmarshal(body, &reply); err != nil {
		t.Errorf("cognito-local's token reply: %v", err)
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if refresh {
		m.refreshes++
		for _, name := range []string{"id_token", "access_token"} {
			tok, _ := reply[name].(string)
			if reply[name], err = m.withAuthTime(tok, chain.authTime); err != nil {
				t.Errorf("re-signing the renewed %s: %v", name, err)
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
		}
	} else {
		m.codes++
		idToken, _ := reply["id_token"].(string)
		claims, _, err := m.verify(idToken)
		upstream, _ := reply["refresh_token"].(string)
		authTime, _ := claims["auth_time"].(json.Number)
		if err != nil || upstream == "" || authTime == "" {
			t.Errorf("cognito-local's code exchange: refresh token %t, auth_time %q, ID token %v", upstream != "", authTime, err)
			http.Error(w, "bad reply from cognito-local", http.StatusBadGateway)
			return
		}
		chain = &signIn{upstream: upstream, authTime: authTime}
	}
	// A new opaque refresh token each time (Cognito's are opaque too); the presented one retires.
	next := "rotated-" + rand.Text()
	chain.newest = next
	m.chains[next] = chain
	m.issued = append(m.issued, next)
	reply["refresh_token"] = next
	json.NewEncoder(w).Encode(reply)
}

// verify checks a token cognito-local signed and returns its claims and header.
func (m *managedLogin) verify(token string) (jwt.MapClaims, map[string]any, error) {
	claims := jwt.MapClaims{}
	parsed, err := jwt.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) { return &m.key.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithJSONNumber())
	if err != nil {
		return nil, nil, err
	}
	return claims, parsed.Header, nil
}

// withAuthTime returns token with auth_time set to the sign-in's, signed again with the same
// key and kid; every other claim stays as cognito-local minted it.
func (m *managedLogin) withAuthTime(token string, authTime json.Number) (string, error) {
	claims, header, err := m.verify(token)
	if err != nil {
		return "", err
	}
	claims["auth_time"] = authTime
	resigned := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	resigned.Header["kid"] = header["kid"]
	return resigned.SignedString(m.key)
}

// cognitoLocalKey reads cognito-local's signing key from node_modules (it is not copied into
// the repository): the key whose JWKS cognito-local serves and cmd/local trusts.
func cognitoLocalKey(t *testing.T, root string) *rsa.PrivateKey {
	t.Helper()
	var file struct {
		PEM string `json:"pem"`
	}
	testkit.ReadJSON(t, filepath.Join(root, "node_modules", "cognito-local", "lib", "keys", "cognitoLocal.private.json"), &file)
	key, err := jwt.ParseRSAPrivateKeyFromPEM([]byte(file.PEM))
	if err != nil {
		t.Fatalf("cognito-local's signing key: %v", err)
	}
	return key
}

// requireChromium finds Debian's Chromium; the test fails, rather than skips, without it.
func requireChromium(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not on PATH: install it (Debian: apt-get install chromium); bash .ci/run installs it when missing")
	}
	return path
}

// devStageOnPort writes a copy of cdk.json whose dev stage serves the app on port instead of
// 3000 (callback, sign-out URL and CORS origin), so that the test never fights a developer's
// cmd/local for the port, and has prod's identity provider; everything else is the project's
// own settings.
func devStageOnPort(t *testing.T, root, dir string, port int) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "cdk.json"))
	if err != nil {
		t.Fatal(err)
	}
	const devOrigin = "http://localhost:3000"
	if !strings.Contains(string(b), devOrigin) {
		t.Fatalf("cdk.json no longer mentions %s, the dev stage's app origin", devOrigin)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(strings.ReplaceAll(string(b), devOrigin, "http://localhost:"+itoa(port))), &doc); err != nil {
		t.Fatal(err)
	}
	stages := doc["context"].(map[string]any)["stages"].(map[string]any)
	stages["dev"].(map[string]any)["identityProviders"] = stages["prod"].(map[string]any)["identityProviders"]
	if b, err = json.Marshal(doc); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "cdk.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// webApp is the sample web app as the browser tests run it, on loopback: cognito-local and
// dynalite set up by authctl setup-local, cmd/local serving the page and the API, and Prism's
// validating proxy in front of the API, which the page calls (see startPrism).
type webApp struct {
	ctx       context.Context
	root, tmp string
	started   time.Time // when the test began, for the timings it logs
	chromium  string
	bins      binaries
	endpoint  string // cognito-local's
	cdkJSON   string // the dev stage on webPort (devStageOnPort)
	// outputsFile is setup-local's, which cmd/local reads.
	outputsFile      string
	apiPort, webPort int
	// The API's own address, Prism's in front of it, and the page's: localhost, as in the dev
	// stage, so that the app's origin differs from the API's (127.0.0.1).
	apiURL, prismURL, appURL string
	server                   *proc // cmd/local
}

// appUser is a user startWebApp creates, with the tests' password; group may be empty.
type appUser struct{ email, name, group string }

// startWebApp starts the tools and servers of a browser test (Chromium must be there too),
// creates users, and returns once the API and the page answer.
func startWebApp(t *testing.T, users ...appUser) *webApp {
	t.Helper()
	ctx, root, tmp := begin(t)
	w := &webApp{ctx: ctx, root: root, tmp: tmp, started: time.Now()}
	cognitoLocal := requireNodeTools(t, root)
	w.chromium = requireChromium(t)
	w.bins = build(t, ctx, root, tmp)

	var lambdaPort, prismPort int
	w.apiPort, w.webPort, lambdaPort, prismPort = freePort(t), freePort(t), freePort(t), freePort(t)
	w.apiURL = fmt.Sprintf("http://127.0.0.1:%d", w.apiPort)
	w.prismURL = fmt.Sprintf("http://127.0.0.1:%d", prismPort)
	w.appURL = fmt.Sprintf("http://localhost:%d", w.webPort)
	w.cdkJSON = devStageOnPort(t, root, tmp, w.webPort)
	w.endpoint = startCognitoLocal(t, ctx, cognitoLocal, tmp)
	dynamo, _ := startDynalite(t, ctx, root, filepath.Join(tmp, "dynalite"), 0)

	tools := tool{t: t, ctx: ctx, bin: w.bins.authctl, cdkJSON: w.cdkJSON}
	w.outputsFile = filepath.Join(tmp, "local-outputs.json")
	tools.must("", "setup-local", "-endpoint", w.endpoint, "-outputs", w.outputsFile, "-api-url", w.apiURL+"/",
		"-lambda-url", fmt.Sprintf("http://127.0.0.1:%d", lambdaPort), "-dynamodb-endpoint", dynamo)
	tools.outputs = w.outputsFile
	for _, u := range users {
		args := []string{"create-user", "-email", u.email, "-name", u.name, "-password", password}
		if u.group != "" {
			args = append(args, "-group", u.group)
		}
		tools.must("", args...)
	}

	// The app and the API, as docs/local-development.md runs them (from the project root, for
	// node_modules), the pool's trigger at the outputs file's LambdaEndpoint.
	w.server = start(t, ctx, "cmd/local", root, nil, w.bins.local, "-cdk-json", w.cdkJSON, "-outputs", w.outputsFile,
		"-addr", "127.0.0.1:"+itoa(w.apiPort), "-web", "localhost:"+itoa(w.webPort), "-web-api", w.prismURL)
	waitHTTP(t, ctx, w.server, w.apiURL+"/health")
	startPrism(t, ctx, root, tmp, w.bins.apidoc, w.cdkJSON, w.outputsFile, prismPort, w.apiURL)
	waitHTTP(t, ctx, w.server, w.appURL+"/config.json")
	return w
}

// browser is one headless Chromium tab and what it reported.
type browser struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex
	urls     map[network.RequestID]string
	reported []string // console errors, exceptions, failed and blocked loads
	cors     int      // loads blocked by CORS
	tokens   []int64  // statuses of the token endpoint's replies
}

func newBrowser(t *testing.T, ctx context.Context, chromium, profile string) *browser {
	t.Helper()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(900, 1000),
	)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	b := &browser{t: t, ctx: tabCtx, urls: map[network.RequestID]string{}}
	if err := chromedp.Listen(tabCtx, b.record); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return b
}

// record runs in the tab's event loop: it only notes what it sees.
func (b *browser) record(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		b.urls[ev.RequestID] = ev.Request.Method + " " + ev.Request.URL
	case *network.EventResponseReceived:
		if strings.HasSuffix(ev.Response.URL, "/oauth2/token") {
			b.tokens = append(b.tokens, ev.Response.Status)
		}
	case *network.EventLoadingFailed:
		what := b.urls[ev.RequestID]
		if ev.CorsErrorStatus != nil {
			b.cors++
			b.reported = append(b.reported, fmt.Sprintf("blocked by CORS (%s): %s", ev.CorsErrorStatus.CorsError, what))
		} else if !ev.Canceled {
			b.reported = append(b.reported, fmt.Sprintf("load failed (%s %s): %s", ev.ErrorText, ev.BlockedReason, what))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil {
			text += " " + d.Exception.Description
		}
		b.reported = append(b.reported, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, text))
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			b.reported = append(b.reported, "console.error: "+strings.Join(parts, " "))
		}
	case *log.EventEntryAdded:
		// A refused call's 401 or 403 is logged as a failed resource: that is the API
		// answering, which the page shows. Anything else at error level is a problem.
		e := ev.Entry
		if e.Level == log.EntryLevelError && !(e.Source == log.EntrySourceNetwork && strings.Contains(e.Text, "status of 40")) {
			b.reported = append(b.reported, fmt.Sprintf("log %s: %s %s", e.Source, e.Text, e.URL))
		}
	}
}

func (b *browser) problems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.reported...)
}

func (b *browser) tokenReplies() []int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]int64(nil), b.tokens...)
}

func (b *browser) corsBlocked() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.cors
}

func (b *browser) reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.reported, b.cors = nil, 0
}

// stepTimeout bounds each step, so that a stuck page fails with the step's name.
const stepTimeout = 20 * time.Second

func (b *browser) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fail(step, err)
	}
}

func run[T any](b *browser, step string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.fail(step, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it holds.
func (b *browser) waitFor(step, condition string) {
	b.t.Helper()
	run[bool](b, step, chromedp.Poll[bool](condition, chromedp.WithPollingTimeout(stepTimeout-time.Second)))
}

// waitAcross is waitFor for a condition on the page that a navigation brings: it polls from
// Go, since a navigation ends any wait that runs inside the page.
func (b *browser) waitAcross(step, condition string) {
	b.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	var err error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, time.Second)
		var ok bool
		ok, err = chromedp.Run(ctx, chromedp.Evaluate[bool](condition))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err == nil {
		err = errors.New("timeout")
	}
	b.fail(step, err)
}

// checkStorage checks that the tokens live in this tab's sessionStorage: nothing in
// localStorage, no cookie.
func (b *browser) checkStorage(when string) {
	b.t.Helper()
	if n := run[int](b, "localStorage entries", chromedp.Evaluate[int]("localStorage.length")); n != 0 {
		b.t.Errorf("localStorage holds %d entries %s; want none", n, when)
	}
	if c := run[string](b, "cookies", chromedp.Evaluate[string]("document.cookie")); c != "" {
		b.t.Errorf("document.cookie %q %s; want none", c, when)
	}
	if !run[bool](b, "session", chromedp.Evaluate[bool](`Object.keys(sessionStorage).some(k => k.startsWith("oidc.user:"))`)) {
		b.t.Errorf("no oidc.user entry in sessionStorage %s", when)
	}
}

// userTraces reads, while signed in, what the page must forget at sign-out, by name: the
// email, the claims of the newest GET /me reply that name the user, both tokens, the item name
// typed in the form and GET /admin's refusal.
func (b *browser) userTraces(email string) map[string]string {
	b.t.Helper()
	traces := run[map[string]string](b, "read the user's traces", chromedp.Evaluate[map[string]string](`(() => {
		const li = [...document.querySelectorAll("#replies li")].find(li => li.querySelector("p").textContent.startsWith("GET /me: 200"));
		const me = JSON.parse(li.querySelector("pre").textContent);
		const user = JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage).find(k => k.startsWith("oidc.user:"))));
		return {"the /me reply's sub": me.sub, "the /me reply's username": me.username, "the ID token": user.id_token, "the access token": user.access_token};
	})()`))
	traces["the email"] = email
	traces["the item's name"] = "Buy milk"
	traces["GET /admin's refusal"] = "not_in_group"
	for name, v := range traces {
		if v == "" {
			b.t.Fatalf("%s: empty; cannot check that the page forgets it", name)
		}
	}
	return traces
}

// checkForgotten checks that no trace of the signed-out user is left in the page: not in its
// markup or text, not in a form field, and no reply listed.
func (b *browser) checkForgotten(when string, traces map[string]string) {
	b.t.Helper()
	page := run[string](b, "read the page", chromedp.Evaluate[string](
		`document.documentElement.outerHTML + "\n" + [...document.querySelectorAll("input, textarea")].map(e => e.value).join("\n")`))
	for _, name := range slices.Sorted(maps.Keys(traces)) {
		if strings.Contains(page, traces[name]) {
			b.t.Errorf("%s, the page still holds %s", when, name)
		}
	}
	if n := run[int](b, "replies listed", chromedp.Evaluate[int](`document.querySelectorAll("#replies li").length`)); n != 0 {
		b.t.Errorf("%s, the page still lists %d replies", when, n)
	}
}

// signIn fills in cognito-local's login form as email and waits until the app shows the
// email GET /me returned; the steps' names end with suffix.
func (b *browser) signIn(suffix, email string) {
	b.do("sign in"+suffix,
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#signed-in")))
	b.waitFor("the email from GET /me"+suffix, `document.getElementById("email").textContent === `+jsString(email))
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(run[string](b, "read "+sel, chromedp.TextContent(chromedp.CSS(sel))))
}

func (b *browser) location() string {
	b.t.Helper()
	return run[string](b, "read the address", chromedp.Location())
}

// fail ends the test with what the page showed and what the browser reported.
func (b *browser) fail(step string, err error) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	body, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("document.body ? document.body.innerText : ''"))
	b.t.Fatalf("browser step %q: %v\naddress: %s\npage text:\n%s\nbrowser reported:\n%s", step, err, loc, body, strings.Join(b.problems(), "\n"))
}

// screenshot saves the page as the artifact name (see saveArtifact).
func (b *browser) screenshot(t *testing.T, root, name string) {
	t.Helper()
	png := run[[]byte](b, "screenshot", chromedp.FullScreenshot(100))
	t.Logf("screenshot of the signed-in page: %s", saveArtifact(t, root, name, png))
}

// saveArtifact writes data as name where CI keeps artifacts: $ARTIFACTS_DIR, else
// e2e/artifacts/ under root. It returns the file's path.
func saveArtifact(t *testing.T, root, name string, data []byte) string {
	t.Helper()
	dir := os.Getenv("ARTIFACTS_DIR")
	if dir == "" {
		dir = filepath.Join(root, "e2e", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func jsString(s string) string {
	return fmt.Sprintf("%q", s)
}
