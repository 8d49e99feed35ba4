package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-apigw/cognito-apigw/internal/cli"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
	"github.com/cognito-apigw/cognito-apigw/internal/problem"
)

// importOptions are import's own flags.
type importOptions struct {
	invite       bool
	createGroups bool
	mapFile      string
}

// subMapping is one line of the mapping import prints: which new user an old sub became, so
// that data keyed by sub (the sample API's items) can be re-keyed.
type subMapping struct {
	OldSub string `json:"oldSub"`
	NewSub string `json:"newSub,omitempty"`
	// Username is the user's username in the new pool.
	Username string `json:"username,omitempty"`
	Email    string `json:"email,omitempty"`
	// Result is created, existed (a user of that name was there already: skipped, its sub
	// given) or skipped (Reason says why).
	Result string `json:"result"`
	Reason string `json:"reason,omitempty"`
}

// Results of one user.
const (
	resultCreated = "created"
	resultExisted = "existed"
	resultSkipped = "skipped"
)

func (a *app) importUsers(fs *flag.FlagSet) cli.Run {
	var s settings
	var opt importOptions
	s.Declare(fs)
	fs.BoolVar(&opt.invite, "send-invitations", false, "send each imported user the pool's invitation message with a temporary password, to choose a new one at first sign-in (default: no message is sent; users choose a new password through \"Forgot your password?\")")
	fs.BoolVar(&opt.createGroups, "create-groups", false, "create the groups the file uses that the pool lacks (default: refuse and name them)")
	fs.StringVar(&opt.mapFile, "map", "", "write the old sub -> new sub mapping, JSON Lines, to this `file`, which appears only once complete (default: stdout)")
	s.poolFlags(fs)
	return func(ctx context.Context, args []string) error {
		if len(args) == 0 {
			return cli.Usagef("FILE is required: a file written by authctl export, or - for stdin")
		}
		if err := s.load(); err != nil {
			return err
		}
		if err := s.need(s.poolID, "user-pool-id", names.OutUserPoolID); err != nil {
			return err
		}
		path, name, cleanup, err := a.importSource(args[0])
		if err != nil {
			return err
		}
		defer cleanup()
		// The whole file first: a bad line stops the import before anyone is created.
		file, err := checkExportFile(path, name, nil)
		if err != nil {
			return err
		}
		client, err := s.bulkCognito(ctx)
		if err != nil {
			return err
		}
		im := &importer{a: a, s: &s, client: client, opt: opt, file: name, counts: map[string]int{}}
		if err := im.preflight(ctx, file); err != nil {
			return err
		}
		var out io.Writer = a.stdout
		var mapFile *atomicFile
		if opt.mapFile != "" {
			if mapFile, err = createAtomic(opt.mapFile); err != nil {
				return err
			}
			defer mapFile.Abort()
			out = mapFile
		}
		im.out = json.NewEncoder(out)
		im.out.SetEscapeHTML(false)
		each := func(line int, u userRecord) error { return im.user(ctx, line, u) }
		if _, err := checkExportFile(path, name, each); err != nil {
			im.summary(file)
			return err
		}
		if mapFile != nil {
			if err := mapFile.Commit(); err != nil {
				return err
			}
		}
		im.summary(file)
		return nil
	}
}

// importSource opens what FILE names: a file, or stdin ("-"), which is copied to a temporary
// file because import reads its input twice (once to check it all, once to import).
func (a *app) importSource(arg string) (path, name string, cleanup func(), err error) {
	if arg != "-" {
		if _, err := os.Stat(arg); err != nil {
			return "", "", nil, cli.Usagef("FILE %s: %v", arg, errors.Unwrap(err))
		}
		return arg, arg, func() {}, nil
	}
	tmp, err := os.CreateTemp("", "authctl-import-*.jsonl")
	if err != nil {
		return "", "", nil, err
	}
	remove := func() { tmp.Close(); os.Remove(tmp.Name()) }
	if _, err := io.Copy(tmp, a.stdin); err != nil {
		remove()
		return "", "", nil, fmt.Errorf("reading stdin: %w", err)
	}
	return tmp.Name(), "stdin", remove, tmp.Close()
}

// checkExportFile is checkExport on a file by path, named name in messages.
func checkExportFile(path, name string, fn func(int, userRecord) error) (exportFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return exportFile{}, err
	}
	defer f.Close()
	return checkExport(name, f, fn)
}

// importer recreates users in the pool, one line at a time.
type importer struct {
	a      *app
	s      *settings
	client *cip.Client
	opt    importOptions
	file   string
	out    *json.Encoder

	// usernameAttr is the attribute that is the username in the pool (email, phone_number),
	// or "" for a pool of usernames.
	usernameAttr string
	minPassword  int
	counts       map[string]int
	// unrecoverable are the created users that can neither sign in nor reset a password
	// themselves: no verified email or phone, and no invitation.
	unrecoverable []string
}

// preflight compares the file with the pool before anyone is created: the pool must have
// every attribute and group the users have (the groups made with -create-groups).
func (im *importer) preflight(ctx context.Context, f exportFile) error {
	s := im.s
	pool, err := call(ctx, s, "DescribeUserPool", func(ctx context.Context) (*cip.DescribeUserPoolOutput, error) {
		return im.client.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(s.poolID)})
	})
	if err != nil {
		return err
	}
	up := pool.UserPool
	switch {
	case slices.Contains(up.UsernameAttributes, types.UsernameAttributeTypeEmail):
		im.usernameAttr = "email"
	case slices.Contains(up.UsernameAttributes, types.UsernameAttributeTypePhoneNumber):
		im.usernameAttr = "phone_number"
	}
	im.minPassword = 8
	if up.Policies != nil && up.Policies.PasswordPolicy != nil && up.Policies.PasswordPolicy.MinimumLength != nil {
		im.minPassword = int(*up.Policies.PasswordPolicy.MinimumLength)
	}
	schema := map[string]bool{}
	for _, a := range up.SchemaAttributes {
		schema[aws.ToString(a.Name)] = true
	}
	var problems problem.List
	for _, attr := range slices.Sorted(maps.Keys(f.Attributes)) {
		// Developer-only attributes are listed as custom:x and read and written as dev:custom:x.
		if !schema[attr] && !schema[strings.TrimPrefix(attr, "dev:")] {
			problems = append(problems, problem.Problem{File: im.file, Line: f.Attributes[attr], Column: 1,
				Want: fmt.Sprintf("attribute %s: user pool %s has no such attribute; add it to the pool (a custom attribute cannot be removed again) or remove it from the file", attr, s.poolID)})
		}
	}
	groups, err := groupNames(ctx, s, im.client)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, g := range groups {
		have[g] = true
	}
	for _, g := range slices.Sorted(maps.Keys(f.Groups)) {
		switch {
		case have[g]:
		case im.opt.createGroups:
			if _, err := call(ctx, s, "CreateGroup "+g, func(ctx context.Context) (*cip.CreateGroupOutput, error) {
				return im.client.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(s.poolID), GroupName: aws.String(g)})
			}); err != nil {
				return err
			}
			fmt.Fprintf(im.a.stderr, "created group %s (no description, precedence or role: a group the stage's cdk.json lists gets those from the stack)\n", g)
		default:
			problems = append(problems, problem.Problem{File: im.file, Line: f.Groups[g], Column: 1,
				Want: fmt.Sprintf("group %s: user pool %s has no such group; add it to the stage's groups in cdk.json and deploy, or pass -create-groups", g, s.poolID)})
		}
	}
	return problems.Err()
}

// user recreates one user, or says why not. A user that could not be finished (password,
// groups, links, disabled) is deleted again, so that a rerun creates it whole.
func (im *importer) user(ctx context.Context, line int, u userRecord) error {
	s := im.s
	m := subMapping{OldSub: u.Sub, Email: u.Attributes["email"]}
	who := fmt.Sprintf("%s:%d: user %s", im.file, line, userName(u))
	username, skip := im.username(u)
	if skip == "" && u.Status == statusUnconfirmed {
		skip = "never confirmed its sign-up (it can sign up again)"
	}
	if skip != "" {
		m.Result, m.Reason = resultSkipped, skip
		fmt.Fprintf(im.a.stderr, "%s: skipped: %s\n", who, skip)
		return im.record(m)
	}
	external := u.Status == statusExternal
	medium, invite := im.invitation(u, external)
	in := &cip.AdminCreateUserInput{UserPoolId: aws.String(s.poolID), Username: aws.String(username), UserAttributes: writableAttributes(u)}
	if invite {
		in.DesiredDeliveryMediums = []types.DeliveryMediumType{medium}
	} else {
		in.MessageAction = types.MessageActionTypeSuppress
	}
	created, err := call(ctx, s, "AdminCreateUser", func(ctx context.Context) (*cip.AdminCreateUserOutput, error) {
		return im.client.AdminCreateUser(ctx, in)
	})
	var exists *types.UsernameExistsException
	var alias *types.AliasExistsException
	switch {
	case errors.As(err, &exists) || errors.As(err, &alias):
		got, err := call(ctx, s, "AdminGetUser", func(ctx context.Context) (*cip.AdminGetUserOutput, error) {
			return im.client.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(s.poolID), Username: aws.String(username)})
		})
		if err != nil {
			return fmt.Errorf("%s: %w", who, err)
		}
		m.Result, m.Username, m.NewSub = resultExisted, aws.ToString(got.Username), attributeValue(got.UserAttributes, attrSub)
		fmt.Fprintf(im.a.stderr, "%s: exists already (%s), skipped\n", who, m.NewSub)
		return im.record(m)
	case err != nil:
		return fmt.Errorf("%s: %w", who, err)
	}
	m.Username, m.NewSub = aws.ToString(created.User.Username), attributeValue(created.User.Attributes, attrSub)
	if err := im.finish(ctx, u, m.Username, external, invite); err != nil {
		_, delErr := call(context.WithoutCancel(ctx), s, "AdminDeleteUser", func(ctx context.Context) (*cip.AdminDeleteUserOutput, error) {
			return im.client.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: aws.String(s.poolID), Username: aws.String(m.Username)})
		})
		if delErr != nil {
			return fmt.Errorf("%s: %w; deleting the half-made user failed too: %v", who, err, delErr)
		}
		return fmt.Errorf("%s: %w (the user was deleted again; the next run creates it whole)", who, err)
	}
	m.Result = resultCreated
	if !external && !invite && !verifiedContact(u) {
		im.unrecoverable = append(im.unrecoverable, m.Username)
	}
	return im.record(m)
}

// finish gives a new user what AdminCreateUser cannot: a password nobody knows (so a pool user
// with a verified address can reset it), its groups, its provider links, its disabled state.
func (im *importer) finish(ctx context.Context, u userRecord, username string, external, invite bool) error {
	s, pool, user := im.s, aws.String(im.s.poolID), aws.String(username)
	// A pool user with a verified address gets a random permanent password, never shown, so
	// that "Forgot your password?" works (Cognito refuses a reset in FORCE_CHANGE_PASSWORD).
	// An external user keeps none: it signs in through its provider, as before.
	if !external && !invite && verifiedContact(u) {
		if _, err := call(ctx, s, "AdminSetUserPassword", func(ctx context.Context) (*cip.AdminSetUserPasswordOutput, error) {
			return im.client.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: user, Password: aws.String(randomPassword(im.minPassword)), Permanent: true})
		}); err != nil {
			return err
		}
	}
	for _, g := range u.Groups {
		if _, err := call(ctx, s, "AdminAddUserToGroup "+g, func(ctx context.Context) (*cip.AdminAddUserToGroupOutput, error) {
			return im.client.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, Username: user, GroupName: aws.String(g)})
		}); err != nil {
			return err
		}
	}
	// The same provider account as before (its subject at the provider), so no new trust is
	// granted: the link only reattaches what the old pool had attached.
	for _, id := range u.Identities {
		if _, err := call(ctx, s, "AdminLinkProviderForUser "+id.ProviderName, func(ctx context.Context) (*cip.AdminLinkProviderForUserOutput, error) {
			return im.client.AdminLinkProviderForUser(ctx, &cip.AdminLinkProviderForUserInput{
				UserPoolId:      pool,
				DestinationUser: &types.ProviderUserIdentifierType{ProviderName: aws.String("Cognito"), ProviderAttributeValue: user},
				SourceUser: &types.ProviderUserIdentifierType{ProviderName: aws.String(id.ProviderName),
					ProviderAttributeName: aws.String("Cognito_Subject"), ProviderAttributeValue: aws.String(id.UserID)},
			})
		}); err != nil {
			return linkHint(err, id)
		}
	}
	if !u.Enabled {
		if _, err := call(ctx, s, "AdminDisableUser", func(ctx context.Context) (*cip.AdminDisableUserOutput, error) {
			return im.client.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: pool, Username: user})
		}); err != nil {
			return err
		}
	}
	return nil
}

// linkHint says what the two usual link failures mean.
func linkHint(err error, id identity) error {
	switch msg := err.Error(); {
	case strings.Contains(msg, "Merging is not currently supported") || strings.Contains(msg, "already"):
		return fmt.Errorf("%w (the %s account %s signed in to this pool before the import and is a user of its own, %s_%s: delete that user, then run the import again)", err, id.ProviderName, id.UserID, id.ProviderName, id.UserID)
	case strings.Contains(msg, "ResourceNotFoundException") || strings.Contains(msg, "provider"):
		return fmt.Errorf("%w (is %s among the stage's identityProviders, deployed before the import?)", err, id.ProviderName)
	}
	return err
}

// username is the user's username in the pool, or why it has none.
func (im *importer) username(u userRecord) (string, string) {
	switch im.usernameAttr {
	case "":
		if u.Status == statusExternal {
			return "", "an external user's username is made by its provider; in a pool of usernames it comes back at its next sign-in through " + providerNames(u)
		}
		return u.Username, ""
	default:
		if v := u.Attributes[im.usernameAttr]; v != "" {
			return v, ""
		}
		return "", fmt.Sprintf("no %s, the pool's username", im.usernameAttr)
	}
}

// invitation is how a pool user is invited with -send-invitations: by email where it has one,
// else by text; external users sign in through their provider and get none.
func (im *importer) invitation(u userRecord, external bool) (types.DeliveryMediumType, bool) {
	switch {
	case !im.opt.invite || external:
		return "", false
	case u.Attributes["email"] != "":
		return types.DeliveryMediumTypeEmail, true
	case u.Attributes["phone_number"] != "":
		return types.DeliveryMediumTypeSms, true
	}
	return "", false
}

func (im *importer) record(m subMapping) error {
	im.counts[m.Result]++
	return im.out.Encode(m)
}

// summary says what was done, and what users must do now that Cognito gave no passwords.
func (im *importer) summary(f exportFile) {
	w := im.a.stderr
	done := im.counts[resultCreated] + im.counts[resultExisted] + im.counts[resultSkipped]
	fmt.Fprintf(w, "user pool %s: %d created, %d existed already, %d skipped", im.s.poolID, im.counts[resultCreated], im.counts[resultExisted], im.counts[resultSkipped])
	if done < f.Users {
		fmt.Fprintf(w, "; %d of %d not done", f.Users-done, f.Users)
	}
	fmt.Fprintln(w)
	if im.counts[resultCreated] == 0 {
		return
	}
	if im.opt.invite {
		fmt.Fprintln(w, "Cognito exports no passwords: each pool user was sent the pool's invitation with a temporary password and chooses a new one at first sign-in; users of identity providers sign in through them as before.")
	} else {
		fmt.Fprintln(w, "Cognito exports no passwords: no message was sent; pool users choose a new password with \"Forgot your password?\" on the sign-in page (a code goes to their verified email or phone); users of identity providers sign in through them as before.")
	}
	if n := len(im.unrecoverable); n > 0 {
		fmt.Fprintf(w, "%d created users have no verified email or phone to reset a password with: invite them (aws cognito-idp admin-create-user --user-pool-id %s --username USERNAME --message-action RESEND) or give them one (authctl set-password): %s\n",
			n, im.s.poolID, strings.Join(im.unrecoverable[:min(n, 10)], ", "))
	}
}

// writableAttributes are the user's attributes as AdminCreateUser takes them, sorted: sub and
// identities are not among them (export keeps them apart).
func writableAttributes(u userRecord) []types.AttributeType {
	out := make([]types.AttributeType, 0, len(u.Attributes))
	for _, name := range slices.Sorted(maps.Keys(u.Attributes)) {
		out = append(out, types.AttributeType{Name: aws.String(name), Value: aws.String(u.Attributes[name])})
	}
	return out
}

func verifiedContact(u userRecord) bool {
	return u.Attributes["email_verified"] == "true" || u.Attributes["phone_number_verified"] == "true"
}

func providerNames(u userRecord) string {
	var names []string
	for _, id := range u.Identities {
		names = append(names, id.ProviderName)
	}
	if len(names) == 0 {
		return "its provider"
	}
	return strings.Join(names, ", ")
}

func attributeValue(attrs []types.AttributeType, name string) string {
	for _, a := range attrs {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value)
		}
	}
	return ""
}
