package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognito-apigw/cognito-apigw/internal/cli"
	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// machineToken gets an access token for one of the stage's machine clients with the client
// credentials grant. The secret is read from Cognito (DescribeUserPoolClient, with the
// caller's AWS credentials) for this one request, and never printed.
func (a *app) machineToken(fs *flag.FlagSet) cli.Run {
	var s settings
	s.Declare(fs)
	client := fs.String("client", "", "machine client `name`, from machineClients in cdk.json")
	format := fs.String("format", "json", "output `format`: json, or env for a shell export of ACCESS_TOKEN")
	scope := machineFlags(fs, &s)
	s.poolFlags(fs)
	return func(ctx context.Context, _ []string) error {
		if err := s.start(*format); err != nil {
			return err
		}
		return a.writeMachineToken(ctx, &s, *client, *scope, *format)
	}
}

// machineFlags are the flags only a machine client's token takes; tokens and machine-token
// describe -client and -format each their own way.
func machineFlags(fs *flag.FlagSet, s *settings) (scope *string) {
	scope = fs.String("scope", "", "space-separated `scopes` to ask for, with -client (default: all of the client's)")
	fs.StringVar(&s.domain, "domain", "", "managed-login `URL`, with -client (default: ManagedLoginUrl output)")
	return scope
}

// writeMachineToken gets the machine client's access token and prints it, never the secret.
func (a *app) writeMachineToken(ctx context.Context, s *settings, client, scope, format string) error {
	t, err := machineAccessToken(ctx, s, client, scope)
	if err != nil {
		return err
	}
	if format == "env" {
		_, err := fmt.Fprintf(a.stdout, "export %s=%s\n", envAccessToken, shellQuote(t.AccessToken))
		return err
	}
	return writeJSON(a.stdout, t)
}

// machineAccessToken gets the machine client's secret with DescribeUserPoolClient and its access
// token from the token endpoint (client credentials); the secret serves this one request.
func machineAccessToken(ctx context.Context, s *settings, client, scope string) (tokenSet, error) {
	var configured []string
	for _, m := range s.cfg.MachineClients {
		if m.Name == client {
			configured = m.Scopes
		}
	}
	if configured == nil {
		return tokenSet{}, cli.Usagef("-client %q: want one of stage %s's machineClients: %s", client, s.cfg.StageName, strings.Join(s.cfg.MachineClientNames(), ", "))
	}
	ids, err := fnenv.ParseMachineClients(s.out.MachineClients)
	if err != nil {
		return tokenSet{}, err
	}
	if err := s.need(ids[client], "outputs", names.OutMachineClients); err != nil {
		return tokenSet{}, err
	}
	if err := s.need(s.poolID, "user-pool-id", names.OutUserPoolID); err != nil {
		return tokenSet{}, err
	}
	if err := s.checkDomain(); err != nil {
		return tokenSet{}, err
	}
	if scope == "" {
		scope = strings.Join(configured, " ")
	}

	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	cognito, err := s.cognito(ctx, true)
	if err != nil {
		return tokenSet{}, err
	}
	described, err := cognito.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{
		UserPoolId: aws.String(s.poolID), ClientId: aws.String(ids[client]),
	})
	if err != nil {
		return tokenSet{}, s.describe(err)
	}
	secret := aws.ToString(described.UserPoolClient.ClientSecret)
	if secret == "" {
		return tokenSet{}, fmt.Errorf("app client %s has no secret: it is not a machine client", ids[client])
	}
	req := tokenRequest{
		url:  strings.TrimSuffix(s.domain, "/") + "/oauth2/token",
		form: url.Values{"grant_type": {"client_credentials"}, "scope": {scope}},
		// RFC 6749 section 2.3.1: the client authenticates with HTTP Basic, URL-encoded.
		user: url.QueryEscape(ids[client]), password: url.QueryEscape(secret),
	}
	t, err := req.do(ctx)
	if err != nil {
		return tokenSet{}, err
	}
	if t.AccessToken == "" {
		return tokenSet{}, errors.New("token endpoint: the reply holds no access token")
	}
	return t, nil
}

// refresh renews the tokens with the refresh token ($REFRESH_TOKEN) at the token endpoint. A
// client with refresh-token rotation gets a new refresh token back, and the old one stops
// working: it is printed in place of the old one, which is kept only where none came back.
func (a *app) refresh(fs *flag.FlagSet) cli.Run {
	var s settings
	s.Declare(fs)
	s.clientFlag(fs)
	fs.StringVar(&s.domain, "domain", "", "managed-login `URL` (default: ManagedLoginUrl output)")
	token := fs.String("refresh-token", "", "refresh `token` (default: $REFRESH_TOKEN)")
	format := fs.String("format", "json", "output `format`: json, or env for shell exports of ID_TOKEN, ACCESS_TOKEN, REFRESH_TOKEN")
	return func(ctx context.Context, _ []string) error {
		if err := s.start(*format); err != nil {
			return err
		}
		if *token == "" {
			*token = a.getenv(envRefreshToken)
		}
		return a.renew(ctx, &s, *token, *format)
	}
}

// renew redeems the refresh token at the token endpoint and prints the tokens.
func (a *app) renew(ctx context.Context, s *settings, token, format string) error {
	if token == "" {
		return cli.Usagef("no refresh token: pass -refresh-token or set $%s (authctl login -format env sets it)", envRefreshToken)
	}
	if err := s.need(s.clientID, "client-id", names.OutClientID); err != nil {
		return err
	}
	if err := s.checkDomain(); err != nil {
		return err
	}
	t, err := refreshTokens(ctx, strings.TrimSuffix(s.domain, "/")+"/oauth2/token", s.clientID, token)
	if err != nil {
		return err
	}
	if t.RefreshToken == "" {
		t.RefreshToken = token // no rotation: the old one stays valid
	}
	return writeTokens(a.stdout, format, t)
}

// refreshTokens redeems the refresh token of the public app client clientID at the token
// endpoint tokenURL; the reply must hold ID and access tokens.
func refreshTokens(ctx context.Context, tokenURL, clientID, token string) (tokenSet, error) {
	req := tokenRequest{url: tokenURL, form: url.Values{"grant_type": {"refresh_token"}, "client_id": {clientID}, "refresh_token": {token}}}
	t, err := req.do(ctx)
	if err == nil && (t.IDToken == "" || t.AccessToken == "") {
		err = errors.New("token endpoint: the reply holds no ID and access tokens")
	}
	return t, err
}

// tokenRequest is one POST to the token endpoint, with HTTP Basic client authentication when
// user is set.
type tokenRequest struct {
	url, user, password string
	form                url.Values
}

func (r tokenRequest) do(ctx context.Context) (tokenSet, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.url, strings.NewReader(r.form.Encode()))
	if err != nil {
		return tokenSet{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r.user != "" {
		req.SetBasicAuth(r.user, r.password)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return tokenSet{}, fmt.Errorf("token endpoint: %w", err)
	}
	defer resp.Body.Close()
	body, err := readCapped(resp.Body, 1<<20)
	if err != nil {
		return tokenSet{}, fmt.Errorf("token endpoint: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		json.Unmarshal(body, &e)
		return tokenSet{}, fmt.Errorf("token endpoint answered %s: %s %s", resp.Status, e.Error, e.Description)
	}
	var t tokenSet
	if err := json.Unmarshal(body, &t); err != nil {
		return tokenSet{}, errors.New("token endpoint: the reply is not JSON")
	}
	return t, nil
}

// checkDomain wants the managed-login domain, where tokens and secrets are sent: https, or a
// local server on loopback.
func (s *settings) checkDomain() error {
	if err := s.need(s.domain, "domain", names.OutManagedLoginURL); err != nil {
		return err
	}
	if !private(s.domain) {
		return cli.Usagef("-domain %q: want https://<prefix>.auth.<region>.amazoncognito.com or https://<loginDomain> (plain http only for a local server on localhost, 127.0.0.1 or [::1])", s.domain)
	}
	return nil
}
