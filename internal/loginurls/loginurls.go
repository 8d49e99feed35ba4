// Package loginurls derives a stage's OAuth 2.0 and OpenID Connect endpoints from its outputs
// file, the same way for every tool that needs them (the local server's web app, the API
// description): managed login's domain for a deployed pool, cognito-local's root for a local one.
package loginurls

import (
	"errors"
	"net/url"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/loopback"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
)

// Endpoints are where a client signs in and gets tokens.
type Endpoints struct {
	Issuer    string
	Authorize string
	Token     string
	JWKS      string
	// Discovery is the issuer's OpenID Connect discovery document. cognito-local's lists only
	// issuer and jwks_uri, so clients are given the other endpoints explicitly.
	Discovery string
	// Revoke and Logout are managed login's /oauth2/revoke and /logout; empty for cognito-local,
	// which has neither.
	Revoke string
	Logout string
	// Local is true for a local Cognito-compatible server (cognito-local).
	Local bool
}

// ErrNoLoginDomain means neither the outputs nor a loopback issuer say where login is.
var ErrNoLoginDomain = errors.New("no managed-login domain: want an outputs file with ManagedLoginUrl (cdk-outputs.json, or local-outputs.json from authctl setup-local)")

// FromOutputs builds the endpoints of issuer's pool. The login endpoints are managed login's
// (ManagedLoginUrl in the outputs file); without it a loopback issuer is taken to be
// cognito-local, which serves them at its root.
func FromOutputs(out outputs.Stage, issuer string) (Endpoints, error) {
	login := strings.TrimSuffix(out.ManagedLoginURL, "/")
	local := out.CognitoEndpoint != ""
	if login == "" {
		u, err := url.Parse(issuer)
		if err != nil || !loopback.IsURL(issuer) {
			return Endpoints{}, ErrNoLoginDomain
		}
		login, local = u.Scheme+"://"+u.Host, true
	}
	issuer = strings.TrimSuffix(issuer, "/")
	e := Endpoints{
		Issuer:    issuer,
		Authorize: login + "/oauth2/authorize",
		Token:     login + "/oauth2/token",
		JWKS:      out.JWKSURL,
		Discovery: issuer + "/.well-known/openid-configuration",
		Local:     local,
	}
	if e.JWKS == "" {
		e.JWKS = issuer + "/.well-known/jwks.json"
	}
	if !local {
		e.Revoke = login + "/oauth2/revoke"
		e.Logout = login + "/logout"
	}
	return e, nil
}
