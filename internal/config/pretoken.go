package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// claimName is what an extra claim may be called.
var claimName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.:-]{0,63}$`)

// reservedClaims are set by Cognito or read by this API as Cognito writes them: the trigger may
// not add or change them (Cognito refuses most of them in a pre token generation reply).
var reservedClaims = []string{
	"acr", "amr", "at_hash", "aud", "auth_time", "azp", "c_hash", "client_id", "email",
	"email_verified", "event_id", "exp", "iat", "identities", "iss", "jti", "name", "nbf", "nonce",
	"origin_jti", "scope", "sub", "token_use", "username", "version",
	// The Lambda token authorizer's context holds the claims at its top level, beside these.
	"claims", "principalId", "integrationLatency",
}

// tokenTrigger checks groupScopes and extraClaims, which the pre token generation trigger
// applies.
func (v *validator) tokenTrigger(s Stage) {
	if len(s.GroupScopes) == 0 && len(s.ExtraClaims) == 0 {
		return
	}
	if plan := s.EffectiveFeaturePlan(); plan != "ESSENTIALS" && plan != "PLUS" {
		v.add(v.at("featurePlan"), plan, "want ESSENTIALS or PLUS: groupScopes and extraClaims need the version 2 pre token generation event")
	}
	known, groups := s.ResourceServer.FullNames(), s.GroupNames()
	for _, g := range sortedKeys(s.GroupScopes) {
		where := v.at("groupScopes") + "." + g
		if !slices.Contains(groups, g) {
			v.add(where, g, routes.WantDefined("want a group defined in groups", groups))
		}
		if len(s.GroupScopes[g]) == 0 {
			v.add(where, s.GroupScopes[g], "want at least one scope")
		}
		for i, sc := range s.GroupScopes[g] {
			if !slices.Contains(known, sc) {
				v.add(fmt.Sprintf("%s[%d]", where, i), sc, "want one of the resource server's scopes: "+strings.Join(known, ", "))
			}
		}
	}
	for _, k := range sortedKeys(s.ExtraClaims) {
		where := v.at("extraClaims") + "." + k
		switch {
		case !claimName.MatchString(k):
			v.add(where, k, "want a claim name of letters, digits and _ . : -, starting with a letter, at most 64 characters")
		case slices.Contains(reservedClaims, k) || strings.HasPrefix(k, "cognito:") || strings.HasPrefix(k, "custom:") || strings.HasPrefix(k, "dev:"):
			v.add(where, k, "want a claim of your own: this one is set by Cognito, holds a user attribute, or is read by the API")
		case slices.Contains(poolAttributes, k):
			// The trigger keeps a user's own attribute (Cognito puts it in the ID token), and
			// users may write most standard attributes: the value would be theirs, not yours.
			v.add(where, k, "want a claim of your own: "+k+" is a standard user attribute, whose value the user may set")
		}
		if len(s.ExtraClaims[k]) > 256 {
			v.add(where, fmt.Sprintf("%d characters", len(s.ExtraClaims[k])), "want a value of at most 256 characters")
		}
	}
}

// sortedKeys are m's keys in order, so that problems come out the same on every run.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// TokenTrigger is what the pre token generation trigger is handed, and whether the stage has
// one at all (groupScopes or extraClaims): the auth stack deploys it from this, and cmd/local
// runs it for cognito-local from this.
func (s Stage) TokenTrigger() (fnenv.PreToken, bool) {
	if len(s.GroupScopes) == 0 && len(s.ExtraClaims) == 0 {
		return fnenv.PreToken{}, false
	}
	return fnenv.PreToken{GroupScopes: s.GroupScopes, ExtraClaims: s.ExtraClaims, Scopes: s.ResourceServer.FullNames()}, true
}
