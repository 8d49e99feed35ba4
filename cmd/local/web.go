package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/loginurls"
	"github.com/cognito-apigw/cognito-apigw/internal/loopback"
	"github.com/cognito-apigw/cognito-apigw/internal/origin"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
	"github.com/cognito-apigw/cognito-apigw/web"
)

// defaultWebLib is the oidc-client-ts browser build that `npm ci` installs (package.json pins
// the version), relative to the project root where cmd/local is started.
const defaultWebLib = "node_modules/oidc-client-ts/dist/browser/oidc-client-ts.min.js"

// webConfig is what the page reads from /config.json: every id and URL it needs, so that the
// page's source holds none and the same files work against cognito-local and a deployed pool.
type webConfig struct {
	Authority string      `json:"authority"`
	ClientID  string      `json:"clientId"`
	Scope     string      `json:"scope"`
	APIURL    string      `json:"apiUrl"`
	Metadata  webMetadata `json:"metadata"`
	// LogoutEndpoint is managed login's /logout, which takes client_id and logout_uri; empty
	// when the issuer has none (cognito-local): sign-out then only ends the app's session.
	LogoutEndpoint string     `json:"logoutEndpoint,omitempty"`
	Routes         []webRoute `json:"routes"`
	// IdentityProviders are the stage's providers (names as in Cognito), each a sign-in
	// button that skips managed login's chooser; none for cognito-local, which federates with
	// nobody.
	IdentityProviders []string `json:"identityProviders"`
}

// webMetadata is given to oidc-client-ts as it is, instead of discovery: cognito-local's
// discovery document lists no endpoints.
type webMetadata struct {
	Issuer                string `json:"issuer"`
	AuthorizationEndpoint string `json:"authorization_endpoint"`
	TokenEndpoint         string `json:"token_endpoint"`
	RevocationEndpoint    string `json:"revocation_endpoint,omitempty"`
	JWKSURI               string `json:"jwks_uri"`
}

// webRoute tells the page which token a route takes: "id", "access", or "" for none.
type webRoute struct {
	Method   string `json:"method"`
	Path     string `json:"path"`
	TokenUse string `json:"tokenUse"`
}

// Values of -web-api besides a URL.
const (
	webAPILocal    = "local"
	webAPIDeployed = "deployed"
)

// webAPIURL resolves -web-api: this server's API, the deployed ApiUrl from the outputs file,
// or a URL given as it is.
func webAPIURL(flagValue, localURL string, out outputs.Stage) (string, error) {
	switch flagValue {
	case webAPILocal, "":
		return localURL, nil
	case webAPIDeployed:
		if out.APIURL == "" {
			return "", errors.New("deployed: the outputs file has no ApiUrl; pass -outputs cdk-outputs.json from `cdk deploy --outputs-file`")
		}
		return strings.TrimSuffix(out.APIURL, "/"), nil
	}
	u, err := url.Parse(flagValue)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Scheme != "https" && !(u.Scheme == "http" && loopback.IsURL(flagValue))) {
		return "", errors.New("want local, deployed, or the API's URL (https, or http on loopback), such as https://abc123.execute-api.eu-west-1.amazonaws.com/dev")
	}
	return strings.TrimSuffix(flagValue, "/"), nil
}

// newWebConfig builds the page's settings; loginurls decides where login is (managed login, or
// cognito-local's root for a loopback issuer without an outputs file).
func newWebConfig(cfg config.Config, out outputs.Stage, issuer, clientID, apiURL string) (webConfig, error) {
	login, err := loginurls.FromOutputs(out, issuer)
	if err != nil {
		return webConfig{}, errors.New("the web app needs the managed-login domain: pass -outputs FILE with ManagedLoginUrl (cdk-outputs.json, or local-outputs.json from authctl setup-local), or -web \"\" to serve only the API")
	}
	wc := webConfig{
		Authority: issuer,
		ClientID:  clientID,
		Scope:     strings.Join(cfg.AppClientScopes(), " "),
		APIURL:    apiURL,
		Metadata: webMetadata{
			Issuer:                issuer,
			AuthorizationEndpoint: login.Authorize,
			TokenEndpoint:         login.Token,
			RevocationEndpoint:    login.Revoke,
			JWKSURI:               login.JWKS,
		},
		LogoutEndpoint: login.Logout,
		// Lists even when empty: the page wants them.
		Routes:            []webRoute{},
		IdentityProviders: []string{},
	}
	if !login.Local {
		wc.IdentityProviders = cfg.ProviderNames()
	}
	for _, r := range cfg.Routes {
		wc.Routes = append(wc.Routes, webRoute{Method: r.Method, Path: r.Path, TokenUse: r.Access.TokenUse()})
	}
	return wc, nil
}

// webWarnings says what the stage must register for a page served at pageOrigin to work: its
// callback and sign-out URLs on the app client, its origin in the API's CORS origins.
func webWarnings(cfg config.Config, pageOrigin string) []string {
	var w []string
	if cb := pageOrigin + web.CallbackPath; !slices.Contains(cfg.CallbackURLs, cb) {
		w = append(w, fmt.Sprintf("stage %s does not register the callback URL %s: sign-in will be refused; add it to callbackUrls in cdk.json (and rerun authctl setup-local, or deploy)", cfg.StageName, cb))
	}
	if !slices.Contains(cfg.LogoutURLs, pageOrigin) {
		w = append(w, fmt.Sprintf("stage %s does not register the sign-out URL %s: managed login's /logout will refuse it; add it to logoutUrls in cdk.json", cfg.StageName, pageOrigin))
	}
	if !origin.Allowed(cfg.CORS.AllowOrigins, pageOrigin) {
		w = append(w, fmt.Sprintf("stage %s does not allow the origin %s in cors.allowOrigins: the browser will hide the API's replies from the page", cfg.StageName, pageOrigin))
	}
	return w
}

// originOf is the origin of a URL, as a browser writes it in the Origin header.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// contentSecurityPolicy lets the page run only its own scripts and talk only to the API and the
// token endpoints; no frames, no inline code.
func contentSecurityPolicy(wc webConfig) string {
	connect := []string{"'self'"}
	for _, u := range []string{wc.APIURL, wc.Metadata.TokenEndpoint, wc.Metadata.RevocationEndpoint} {
		if o := originOf(u); o != "" && !slices.Contains(connect, o) {
			connect = append(connect, o)
		}
	}
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src " +
		strings.Join(connect, " ") + "; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

// webHandler serves the app: the page at / and at the callback path, its settings at
// /config.json, its files, and the oidc-client-ts build. Everything else is 404.
func webHandler(wc webConfig, lib []byte) (http.Handler, error) {
	settings, err := json.MarshalIndent(wc, "", "  ")
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{"/config.json": settings, web.LibraryPath: lib}
	entries, err := fs.ReadDir(web.Files, ".")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		b, err := fs.ReadFile(web.Files, e.Name())
		if err != nil {
			return nil, err
		}
		files["/"+e.Name()] = b
	}
	files["/"] = files["/"+web.Index]
	files[web.CallbackPath] = files["/"+web.Index]
	csp := contentSecurityPolicy(wc)
	started := time.Now()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		// The callback URL carries the code: never send it on in a Referer.
		h.Set("Referrer-Policy", "no-referrer")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		b, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		name := r.URL.Path
		if name == "/" || name == web.CallbackPath {
			name = "/" + web.Index
		}
		// Edits show on reload: cmd/local is a development server.
		h.Set("Cache-Control", "no-cache")
		http.ServeContent(w, r, path.Base(name), started, bytes.NewReader(b))
	}), nil
}
