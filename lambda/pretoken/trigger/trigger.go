// Package trigger is the user pool's pre token generation trigger (event version 2): it adds
// the custom scopes of the user's groups to the access token (groupScopes in cdk.json) and
// fixed claims to the ID token (extraClaims). lambda/pretoken runs it in Lambda; cmd/local runs
// the same code for cognito-local, through a Lambda Invoke endpoint.
package trigger

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
)

// Event is Cognito's pre token generation event, version 2. The reply is the same event with
// a response; it is written with this project's own response type, whose empty parts are
// left out, so that the trigger never sends an empty override that could remove what Cognito
// put in the token (groups, scopes, claims).
type Event struct {
	events.CognitoEventUserPoolsHeader
	Request  events.CognitoEventUserPoolsPreTokenGenRequestV2_0 `json:"request"`
	Response response                                           `json:"response"`
}

type response struct {
	Overrides *overrides `json:"claimsAndScopeOverrideDetails,omitempty"`
}

type overrides struct {
	IDToken     *idToken     `json:"idTokenGeneration,omitempty"`
	AccessToken *accessToken `json:"accessTokenGeneration,omitempty"`
}

type idToken struct {
	ClaimsToAddOrOverride map[string]string `json:"claimsToAddOrOverride,omitempty"`
}

type accessToken struct {
	ScopesToAdd []string `json:"scopesToAdd,omitempty"`
}

// Trigger adds the scopes of the user's groups to the access token and the fixed extra claims
// to the ID token. It only adds: it never suppresses a claim or scope, never adds a scope the
// resource server lacks, and never fails a sign-in: on input it cannot use it returns the
// event unchanged and logs why.
type Trigger struct {
	settings fnenv.PreToken
	log      *slog.Logger
}

// New builds the trigger; a nil logger discards its records.
func New(s fnenv.PreToken, logger *slog.Logger) *Trigger {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Trigger{settings: s, log: logger}
}

// Settings are what the trigger adds.
func (t *Trigger) Settings() fnenv.PreToken { return t.settings }

// Invoke answers one event given as JSON, as Lambda's runtime hands it over: the reply is the
// event with its response, as JSON.
func (t *Trigger) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var e Event
	if err := json.Unmarshal(payload, &e); err != nil {
		return nil, err
	}
	out, err := t.Handle(ctx, e)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

// Handle answers one event. It never fails a sign-in (see Trigger).
func (t *Trigger) Handle(ctx context.Context, e Event) (Event, error) {
	e.Response = response{}
	if e.Version != "2" && e.Version != "3" {
		t.log.WarnContext(ctx, "unexpected event version; tokens left as Cognito made them", "version", e.Version, "trigger_source", e.TriggerSource)
		return e, nil
	}
	var add []string
	for _, g := range e.Request.GroupConfiguration.GroupsToOverride {
		for _, sc := range t.settings.GroupScopes[g] {
			if !slices.Contains(t.settings.Scopes, sc) {
				t.log.WarnContext(ctx, "group scope not defined by the resource server; not added", "group", g, "scope", sc)
				continue
			}
			if !slices.Contains(e.Request.Scopes, sc) && !slices.Contains(add, sc) {
				add = append(add, sc)
			}
		}
	}
	slices.Sort(add)
	claims := map[string]string{}
	for k, v := range t.settings.ExtraClaims {
		// An attribute of the user's own keeps its value: only add.
		if _, taken := e.Request.UserAttributes[k]; taken {
			t.log.WarnContext(ctx, "extra claim is a user attribute; left as it is", "claim", k)
			continue
		}
		claims[k] = v
	}
	if len(add) == 0 && len(claims) == 0 {
		return e, nil
	}
	o := &overrides{}
	if len(add) > 0 {
		o.AccessToken = &accessToken{ScopesToAdd: add}
	}
	if len(claims) > 0 {
		o.IDToken = &idToken{ClaimsToAddOrOverride: claims}
	}
	e.Response.Overrides = o
	t.log.InfoContext(ctx, "token claims added", "trigger_source", e.TriggerSource, "scopes_added", add, "claims_added", len(claims))
	return e, nil
}
