package main

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-apigw/cognito-apigw/internal/ascii"
	"github.com/cognito-apigw/cognito-apigw/internal/linking"
)

// userDirectory is the part of the Cognito API the trigger calls; the function's role allows
// exactly these two actions on its own pool.
type userDirectory interface {
	ListUsers(ctx context.Context, in *cip.ListUsersInput, optFns ...func(*cip.Options)) (*cip.ListUsersOutput, error)
	AdminLinkProviderForUser(ctx context.Context, in *cip.AdminLinkProviderForUserInput, optFns ...func(*cip.Options)) (*cip.AdminLinkProviderForUserOutput, error)
}

type linker struct {
	users userDirectory
	// authorities are the pool's identity providers, as Cognito names them, and the email
	// domains each is trusted for.
	authorities []linking.Authority
	log         *slog.Logger
}

// maxUserPages bounds the look-up (60 users a page) inside the trigger's 5 seconds; more users
// with one address than that is treated as ambiguous.
const maxUserPages = 5

// Outcomes, as logged (the email address never is).
const (
	outcomeLinked       = "linked"
	outcomeNotFederated = "not a federated sign-up"
	outcomeUnknownIdP   = "provider not configured"
	outcomeNoEmail      = "provider sent no usable email"
	outcomeNotAuthority = "provider is not trusted for the address's domain"
	outcomeNoMatch      = "no existing user to link to"
	outcomeAmbiguous    = "several users could be linked"
	outcomeFailed       = "Cognito call failed"
)

// linkableStatuses are the native users a federated identity may join: their email address
// was verified and their owner has signed in or was created by an administrator. An
// UNCONFIRMED user is never one: anybody can sign up with someone else's address and wait
// for that person to sign in through a provider.
var linkableStatuses = []types.UserStatusType{types.UserStatusTypeConfirmed, types.UserStatusTypeResetRequired, types.UserStatusTypeForceChangePassword}

// handle lets every sign-up through; for a federated one whose email is at a domain its
// provider is trusted for, it first links the new identity to the one native user with that
// verified address. Any doubt or failure leaves the sign-up unlinked, a second user rather
// than a takeover.
func (l *linker) handle(ctx context.Context, ev events.CognitoEventUserPoolsPreSignup) (events.CognitoEventUserPoolsPreSignup, error) {
	provider, outcome := l.decide(ctx, ev)
	l.log.Info("pre sign-up", "triggerSource", ev.TriggerSource, "provider", provider, "outcome", outcome)
	return ev, nil
}

func (l *linker) decide(ctx context.Context, ev events.CognitoEventUserPoolsPreSignup) (string, string) {
	if ev.TriggerSource != "PreSignUp_ExternalProvider" {
		return "", outcomeNotFederated
	}
	authority, subject, ok := l.identity(ev.UserName)
	if !ok {
		return "", outcomeUnknownIdP
	}
	provider := authority.Provider
	attrs := ev.Request.UserAttributes
	email := attrs["email"]
	if email == "" || strings.ContainsAny(email, "\"\\") {
		return provider, outcomeNoEmail
	}
	// A provider may call any address verified (an enterprise one, or one whose users set their
	// own): its word counts only at the domains it is an authority for.
	if !authority.Vouches(email) {
		return provider, outcomeNotAuthority
	}
	// Every page: anyone may sign up unconfirmed with somebody's address, and enough of those
	// must not push the real user off the first page (nor hide a second candidate).
	var target string
	var token *string
	for page := 0; ; page++ {
		if page == maxUserPages {
			return provider, outcomeAmbiguous // too many to tell; sign up unlinked
		}
		out, err := l.users.ListUsers(ctx, &cip.ListUsersInput{
			UserPoolId:      aws.String(ev.UserPoolID),
			Filter:          aws.String(`email = "` + email + `"`),
			Limit:           aws.Int32(60),
			PaginationToken: token,
		})
		if err != nil {
			l.log.Error("ListUsers failed", "error", errorCode(err))
			return provider, outcomeFailed
		}
		for _, u := range out.Users {
			if !linkable(u, email) {
				continue
			}
			if target != "" {
				return provider, outcomeAmbiguous
			}
			target = aws.ToString(u.Username)
		}
		if token = out.PaginationToken; aws.ToString(token) == "" {
			break
		}
	}
	if target == "" {
		return provider, outcomeNoMatch
	}
	_, err := l.users.AdminLinkProviderForUser(ctx, &cip.AdminLinkProviderForUserInput{
		UserPoolId:      aws.String(ev.UserPoolID),
		DestinationUser: &types.ProviderUserIdentifierType{ProviderName: aws.String("Cognito"), ProviderAttributeValue: aws.String(target)},
		SourceUser: &types.ProviderUserIdentifierType{
			ProviderName:           aws.String(provider),
			ProviderAttributeName:  aws.String("Cognito_Subject"),
			ProviderAttributeValue: aws.String(subject),
		},
	})
	if err != nil {
		l.log.Error("AdminLinkProviderForUser failed", "error", errorCode(err))
		return provider, outcomeFailed
	}
	return provider, outcomeLinked
}

// identity splits a federated user name, <provider>_<subject>, by the configured provider it
// starts with (names may hold "_", and Cognito may change their case), and returns that
// provider's authority, its name as configured.
func (l *linker) identity(userName string) (authority linking.Authority, subject string, ok bool) {
	for _, a := range l.authorities {
		p := a.Provider
		if len(userName) > len(p)+1 && ascii.HasPrefixFold(userName, p) && userName[len(p)] == '_' {
			if len(p) > len(authority.Provider) { // the longest match: okta and okta_eu
				authority, subject, ok = a, userName[len(p)+1:], true
			}
		}
	}
	return authority, subject, ok
}

// linkable reports whether u is a native user, confirmed, whose verified email is the same
// mailbox as email (linking.SameMailbox).
func linkable(u types.UserType, email string) bool {
	if u.UserStatus == types.UserStatusTypeExternalProvider {
		return false // never join two federated identities: only a native user is a target
	}
	ok := false
	for _, s := range linkableStatuses {
		ok = ok || u.UserStatus == s
	}
	if !ok {
		return false
	}
	attrs := map[string]string{}
	for _, a := range u.Attributes {
		attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	return ascii.EqualFold(attrs["email_verified"], "true") && linking.SameMailbox(attrs["email"], email)
}

// errorCode is what is logged of a failed call: the API's error code, never a message that
// might quote the request.
func errorCode(err error) string {
	var api interface{ ErrorCode() string }
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return "unknown error"
}
