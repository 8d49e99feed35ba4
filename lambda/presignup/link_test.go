package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognito-apigw/cognito-apigw/internal/linking"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

// fakeDirectory answers ListUsers with users and records what the trigger asked.
type fakeDirectory struct {
	users            []types.UserType
	listErr, linkErr error
	filters          []string
	links            []*cip.AdminLinkProviderForUserInput
}

func (f *fakeDirectory) ListUsers(_ context.Context, in *cip.ListUsersInput, _ ...func(*cip.Options)) (*cip.ListUsersOutput, error) {
	f.filters = append(f.filters, aws.ToString(in.Filter))
	if f.listErr != nil {
		return nil, f.listErr
	}
	// Pages of Limit users, the token being the offset of the next one.
	start, _ := strconv.Atoi(aws.ToString(in.PaginationToken))
	end := min(start+int(aws.ToInt32(in.Limit)), len(f.users))
	out := &cip.ListUsersOutput{Users: f.users[start:end]}
	if end < len(f.users) {
		out.PaginationToken = aws.String(strconv.Itoa(end))
	}
	return out, nil
}

func (f *fakeDirectory) AdminLinkProviderForUser(_ context.Context, in *cip.AdminLinkProviderForUserInput, _ ...func(*cip.Options)) (*cip.AdminLinkProviderForUserOutput, error) {
	f.links = append(f.links, in)
	return &cip.AdminLinkProviderForUserOutput{}, f.linkErr
}

func user(name string, status types.UserStatusType, email string, verified bool) types.UserType {
	v := "false"
	if verified {
		v = "true"
	}
	return types.UserType{Username: aws.String(name), UserStatus: status, Attributes: []types.AttributeType{
		{Name: aws.String("sub"), Value: aws.String(name)},
		{Name: aws.String("email"), Value: aws.String(email)},
		{Name: aws.String("email_verified"), Value: aws.String(v)},
	}}
}

func event(t *testing.T, fixture string) events.CognitoEventUserPoolsPreSignup {
	t.Helper()
	var ev events.CognitoEventUserPoolsPreSignup
	testkit.ReadJSON(t, filepath.Join("testdata", fixture+".json"), &ev)
	return ev
}

// authorities are the stage's providers as the auth stack hands them to the trigger: Google
// with a Workspace domain of linkDomains, okta and OKTA_EU (two providers, one name the
// prefix of the other) and a SAML provider, each owning acme.io as a test may need.
var authorities = []linking.Authority{
	{Provider: "Google", Domains: []string{"gmail.com", "googlemail.com", "acme.io"}},
	{Provider: "Facebook"},
	{Provider: "okta", Domains: []string{"acme.io"}},
	{Provider: "OKTA_EU", Domains: []string{"acme.io"}},
	{Provider: "entra", Domains: []string{"acme.io"}},
}

func TestPreSignUp(t *testing.T) {
	alice := user("alice-sub", types.UserStatusTypeConfirmed, "alice@acme.io", true)
	tests := []struct {
		name    string
		fixture string
		dir     fakeDirectory
		// wantLink is the native user linked to, with the source identity; "" for none.
		wantLink, wantProvider, wantSubject string
		wantOutcome                         string
		wantLookup                          bool
	}{
		{name: "verified Google email, confirmed native user", fixture: "google-verified", dir: fakeDirectory{users: []types.UserType{alice}},
			wantLink: "alice-sub", wantProvider: "Google", wantSubject: "104818398112345678901", wantOutcome: outcomeLinked, wantLookup: true},
		{name: "OIDC provider whose name holds _ and whose case differs", fixture: "okta-verified", dir: fakeDirectory{users: []types.UserType{alice}},
			wantLink: "alice-sub", wantProvider: "OKTA_EU", wantSubject: "00u1abcdEFGH2345", wantOutcome: outcomeLinked, wantLookup: true},
		{name: "domain in another case is the same mailbox", fixture: "google-verified",
			dir:      fakeDirectory{users: []types.UserType{user("alice-sub", types.UserStatusTypeConfirmed, "alice@ACME.io", true)}},
			wantLink: "alice-sub", wantProvider: "Google", wantSubject: "104818398112345678901", wantOutcome: outcomeLinked, wantLookup: true},
		{name: "admin-created user who has not signed in yet", fixture: "google-verified",
			dir:      fakeDirectory{users: []types.UserType{user("bob-sub", types.UserStatusTypeForceChangePassword, "alice@acme.io", true)}},
			wantLink: "bob-sub", wantProvider: "Google", wantSubject: "104818398112345678901", wantOutcome: outcomeLinked, wantLookup: true},

		{name: "SAML provider on its own domain", fixture: "saml-owned", dir: fakeDirectory{users: []types.UserType{alice}},
			wantLink: "alice-sub", wantProvider: "entra", wantSubject: "alice@acme.io", wantOutcome: outcomeLinked, wantLookup: true},

		// Account takeover: a provider vouching for an address at a domain it does not own.
		{name: "OIDC provider asserting a verified Gmail address", fixture: "okta-gmail",
			dir:         fakeDirectory{users: []types.UserType{user("victim-sub", types.UserStatusTypeConfirmed, "alice@gmail.com", true)}},
			wantOutcome: outcomeNotAuthority},
		{name: "Google asserting a verified address it does not host", fixture: "google-other-domain",
			dir:         fakeDirectory{users: []types.UserType{user("victim-sub", types.UserStatusTypeConfirmed, "alice@acme.example", true)}},
			wantOutcome: outcomeNotAuthority},
		{name: "a provider trusted for no domain (Facebook)", fixture: "facebook", dir: fakeDirectory{users: []types.UserType{alice}},
			wantOutcome: outcomeNotAuthority},
		// Account takeover: somebody signed up with the address and never confirmed it.
		{name: "native user not yet confirmed", fixture: "google-verified",
			dir:         fakeDirectory{users: []types.UserType{user("mallory-sub", types.UserStatusTypeUnconfirmed, "alice@acme.io", false)}},
			wantOutcome: outcomeNoMatch, wantLookup: true},
		// Unconfirmed, though the address is marked verified (an administrator can set that):
		// the status alone must keep the link away.
		{name: "native user not yet confirmed, email marked verified", fixture: "google-verified",
			dir:         fakeDirectory{users: []types.UserType{user("mallory-sub", types.UserStatusTypeUnconfirmed, "alice@acme.io", true)}},
			wantOutcome: outcomeNoMatch, wantLookup: true},
		{name: "confirmed native user whose email is unverified", fixture: "google-verified",
			dir:         fakeDirectory{users: []types.UserType{user("carol-sub", types.UserStatusTypeConfirmed, "alice@acme.io", false)}},
			wantOutcome: outcomeNoMatch, wantLookup: true},
		// Account takeover: the local part in another case may be another mailbox.
		{name: "local part in another case", fixture: "google-verified",
			dir:         fakeDirectory{users: []types.UserType{user("alice2-sub", types.UserStatusTypeConfirmed, "Alice@acme.io", true)}},
			wantOutcome: outcomeNoMatch, wantLookup: true},
		// Two federated identities are never joined.
		{name: "existing user is federated", fixture: "google-verified",
			dir:         fakeDirectory{users: []types.UserType{user("okta_00u1", types.UserStatusTypeExternalProvider, "alice@acme.io", true)}},
			wantOutcome: outcomeNoMatch, wantLookup: true},
		// Squatters with the address must not push the real user off the first page.
		{name: "the user behind 70 unconfirmed sign-ups", fixture: "google-verified",
			dir:      fakeDirectory{users: append(squatters(70), alice)},
			wantLink: "alice-sub", wantProvider: "Google", wantSubject: "104818398112345678901", wantOutcome: outcomeLinked, wantLookup: true},
		{name: "a second candidate on a later page", fixture: "google-verified",
			dir:         fakeDirectory{users: append(append([]types.UserType{alice}, squatters(70)...), user("alice-b", types.UserStatusTypeConfirmed, "alice@acme.io", true))},
			wantOutcome: outcomeAmbiguous, wantLookup: true},
		{name: "more users with the address than can be read", fixture: "google-verified",
			dir:         fakeDirectory{users: append(squatters(400), alice)},
			wantOutcome: outcomeAmbiguous, wantLookup: true},
		{name: "two candidates", fixture: "google-verified",
			dir:         fakeDirectory{users: []types.UserType{alice, user("alice-b", types.UserStatusTypeConfirmed, "alice@acme.io", true)}},
			wantOutcome: outcomeAmbiguous, wantLookup: true},
		{name: "no user with the email", fixture: "google-verified", wantOutcome: outcomeNoMatch, wantLookup: true},
		{name: "email with a quote is not put in a filter", fixture: "google-quote", dir: fakeDirectory{users: []types.UserType{alice}},
			wantOutcome: outcomeNoEmail},
		{name: "provider the stage does not have", fixture: "github", dir: fakeDirectory{users: []types.UserType{alice}},
			wantOutcome: outcomeUnknownIdP},
		{name: "native sign-up", fixture: "native-signup", dir: fakeDirectory{users: []types.UserType{alice}}, wantOutcome: outcomeNotFederated},
		{name: "administrator creates a user", fixture: "admin-create", dir: fakeDirectory{users: []types.UserType{alice}}, wantOutcome: outcomeNotFederated},

		// Failures let the sign-up through, unlinked.
		{name: "ListUsers fails", fixture: "google-verified",
			dir:         fakeDirectory{listErr: &smithy.GenericAPIError{Code: "TooManyRequestsException", Message: "alice@acme.io"}},
			wantOutcome: outcomeFailed, wantLookup: true},
		{name: "linking fails", fixture: "google-verified",
			dir:      fakeDirectory{users: []types.UserType{alice}, linkErr: &smithy.GenericAPIError{Code: "InvalidParameterException", Message: "alice@acme.io"}},
			wantLink: "alice-sub", wantProvider: "Google", wantSubject: "104818398112345678901", wantOutcome: outcomeFailed, wantLookup: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			dir := tt.dir
			l := &linker{users: &dir, authorities: authorities, log: slog.New(slog.NewJSONHandler(&logs, nil))}
			in := event(t, tt.fixture)
			out, err := l.handle(context.Background(), in)
			if err != nil {
				t.Fatalf("the sign-up was refused: %v", err)
			}
			if !reflect.DeepEqual(out, in) {
				t.Errorf("the event changed:\n%+v\nwant\n%+v", out, in)
			}
			if got := len(dir.filters) > 0; got != tt.wantLookup {
				t.Errorf("looked up users: %v, want %v", got, tt.wantLookup)
			} else if got && dir.filters[0] != `email = "alice@acme.io"` {
				t.Errorf("ListUsers filter %q", dir.filters[0])
			}
			switch {
			case tt.wantLink == "" && len(dir.links) > 0:
				t.Errorf("linked %+v", dir.links[0])
			case tt.wantLink != "":
				if len(dir.links) != 1 {
					t.Fatalf("%d links, want 1", len(dir.links))
				}
				got := dir.links[0]
				if aws.ToString(got.UserPoolId) != "eu-west-1_AbCdEfGhI" ||
					aws.ToString(got.DestinationUser.ProviderName) != "Cognito" || aws.ToString(got.DestinationUser.ProviderAttributeValue) != tt.wantLink ||
					aws.ToString(got.SourceUser.ProviderName) != tt.wantProvider || aws.ToString(got.SourceUser.ProviderAttributeName) != "Cognito_Subject" ||
					aws.ToString(got.SourceUser.ProviderAttributeValue) != tt.wantSubject {
					t.Errorf("link pool %s, destination %s/%s, source %s/%s/%s; want destination Cognito/%s, source %s/Cognito_Subject/%s",
						aws.ToString(got.UserPoolId), aws.ToString(got.DestinationUser.ProviderName), aws.ToString(got.DestinationUser.ProviderAttributeValue),
						aws.ToString(got.SourceUser.ProviderName), aws.ToString(got.SourceUser.ProviderAttributeName), aws.ToString(got.SourceUser.ProviderAttributeValue),
						tt.wantLink, tt.wantProvider, tt.wantSubject)
				}
			}
			if !strings.Contains(logs.String(), `"outcome":"`+tt.wantOutcome+`"`) {
				t.Errorf("log lacks outcome %q:\n%s", tt.wantOutcome, logs.String())
			}
			// The address is personal data and error messages may quote it: neither is logged.
			if strings.Contains(logs.String(), "alice@") {
				t.Errorf("the log holds the email address:\n%s", logs.String())
			}
		})
	}
}

func TestErrorCode(t *testing.T) {
	if got := errorCode(&smithy.GenericAPIError{Code: "NotAuthorizedException", Message: "secret detail"}); got != "NotAuthorizedException" {
		t.Errorf("got %q", got)
	}
	if got := errorCode(errors.New("dial tcp: secret detail")); strings.Contains(got, "secret") {
		t.Errorf("got %q", got)
	}
}

// squatters are n unconfirmed sign-ups with alice's address.
func squatters(n int) []types.UserType {
	out := make([]types.UserType, n)
	for i := range out {
		out[i] = user("squatter-"+strconv.Itoa(i), types.UserStatusTypeUnconfirmed, "alice@acme.io", true)
	}
	return out
}
