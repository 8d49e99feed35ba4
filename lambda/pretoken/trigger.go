package main

import (
	"context"
	"log/slog"
	"slices"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
)

// event is Cognito's pre token generation event, version 2. The reply is the same event with
// a response; it is written with this project's own response type, whose empty parts are
// left out, so that the trigger never sends an empty override that could remove what Cognito
// put in the token (groups, scopes, claims).
type event struct {
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

// trigger adds the scopes of the user's groups to the access token and the fixed extra claims
// to the ID token. It only adds: it never suppresses a claim or scope, never adds a scope the
// resource server lacks, and never fails a sign-in: on input it cannot use it returns the
// event unchanged and logs why.
type trigger struct {
	settings fnenv.PreToken
	log      *slog.Logger
}

func (t *trigger) handle(ctx context.Context, e event) (event, error) {
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
