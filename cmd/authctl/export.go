package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-apigw/cognito-apigw/internal/cli"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// pageSize is the most users or groups Cognito returns per call (ListUsers, ListGroups,
// ListUsersInGroup all cap Limit at 60).
const pageSize = 60

func (a *app) export(fs *flag.FlagSet) cli.Run {
	var s settings
	s.Declare(fs)
	out := fs.String("out", "", "write to this `file`, which appears only once complete (default: stdout)")
	s.poolFlags(fs)
	return func(ctx context.Context, _ []string) error {
		if err := s.load(); err != nil {
			return err
		}
		if err := s.need(s.poolID, "user-pool-id", names.OutUserPoolID); err != nil {
			return err
		}
		client, err := s.bulkCognito(ctx)
		if err != nil {
			return err
		}
		var w io.Writer = a.stdout
		var file *atomicFile
		if *out != "" && *out != "-" {
			if file, err = createAtomic(*out); err != nil {
				return err
			}
			defer file.Abort()
			w = file
		}
		bw := bufio.NewWriter(w)
		n, groups, err := a.exportUsers(ctx, &s, client, bw)
		if err == nil {
			err = bw.Flush()
		}
		if err != nil {
			return err
		}
		where := "stdout"
		if file != nil {
			if err := file.Commit(); err != nil {
				return err
			}
			where = *out
		}
		fmt.Fprintf(a.stderr, "exported %d users (%d groups) of user pool %s to %s\n", n, groups, s.poolID, where)
		return nil
	}
}

// exportUsers writes the header, every user of the pool as ListUsers pages through them, and
// the end line, flushing each page. The groups are read first, group by group (ListGroups, ListUsersInGroup): a
// pool has few groups and many users, so that is a call per 60 members instead of one
// AdminListGroupsForUser per user. It returns the counts of users and groups.
func (a *app) exportUsers(ctx context.Context, s *settings, client *cip.Client, w *bufio.Writer) (users, groups int, err error) {
	memberOf, groups, err := groupMemberships(ctx, s, client)
	if err != nil {
		return 0, 0, err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	header := exportHeader{Kind: kindHeader, Version: exportVersion, UserPoolID: s.poolID, App: s.cfg.AppName, Stage: s.cfg.StageName, ExportedAt: time.Now().UTC().Truncate(time.Second)}
	if err := enc.Encode(header); err != nil {
		return 0, 0, err
	}
	var token *string
	for page := 1; ; page++ {
		out, err := call(ctx, s, fmt.Sprintf("ListUsers (page %d)", page), func(ctx context.Context) (*cip.ListUsersOutput, error) {
			return client.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(s.poolID), Limit: aws.Int32(pageSize), PaginationToken: token})
		})
		if err != nil {
			return users, groups, err
		}
		for _, u := range out.Users {
			rec, warning := recordOf(u, memberOf[aws.ToString(u.Username)])
			if warning != "" {
				fmt.Fprintf(a.stderr, "warning: user %s: %s\n", userName(rec), warning)
			}
			if err := enc.Encode(rec); err != nil {
				return users, groups, err
			}
			users++
		}
		// Each page goes out as it comes: a pipe sees the users as they are read.
		if err := w.Flush(); err != nil {
			return users, groups, err
		}
		if token = out.PaginationToken; aws.ToString(token) == "" {
			break
		}
	}
	return users, groups, enc.Encode(exportEnd{Kind: kindEnd, Users: users})
}

// groupMemberships maps each username to its groups, sorted, and counts the groups.
func groupMemberships(ctx context.Context, s *settings, client *cip.Client) (map[string][]string, int, error) {
	names, err := groupNames(ctx, s, client)
	if err != nil {
		return nil, 0, err
	}
	memberOf := map[string][]string{}
	for _, g := range names {
		var token *string
		for {
			out, err := call(ctx, s, "ListUsersInGroup "+g, func(ctx context.Context) (*cip.ListUsersInGroupOutput, error) {
				return client.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: aws.String(s.poolID), GroupName: aws.String(g), Limit: aws.Int32(pageSize), NextToken: token})
			})
			if err != nil {
				return nil, 0, err
			}
			for _, u := range out.Users {
				memberOf[aws.ToString(u.Username)] = append(memberOf[aws.ToString(u.Username)], g)
			}
			if token = out.NextToken; aws.ToString(token) == "" {
				break
			}
		}
	}
	for u := range memberOf {
		slices.Sort(memberOf[u])
		memberOf[u] = slices.Compact(memberOf[u])
	}
	return memberOf, len(names), nil
}

// groupNames are the names of the pool's groups, page by page.
func groupNames(ctx context.Context, s *settings, client *cip.Client) ([]string, error) {
	var names []string
	var token *string
	for {
		out, err := call(ctx, s, "ListGroups", func(ctx context.Context) (*cip.ListGroupsOutput, error) {
			return client.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: aws.String(s.poolID), Limit: aws.Int32(pageSize), NextToken: token})
		})
		if err != nil {
			return nil, err
		}
		for _, g := range out.Groups {
			names = append(names, aws.ToString(g.GroupName))
		}
		if token = out.NextToken; aws.ToString(token) == "" {
			return names, nil
		}
	}
}

// recordOf is the export line of a user; warning says what of it could not be read.
func recordOf(u types.UserType, groups []string) (userRecord, string) {
	rec := userRecord{
		Kind:       kindUser,
		Username:   aws.ToString(u.Username),
		Status:     string(u.UserStatus),
		Enabled:    u.Enabled,
		Created:    aws.ToTime(u.UserCreateDate).UTC(),
		Modified:   aws.ToTime(u.UserLastModifiedDate).UTC(),
		Attributes: map[string]string{},
		Groups:     groups,
		Identities: []identity{},
	}
	if rec.Groups == nil {
		rec.Groups = []string{}
	}
	var warning string
	for _, attr := range u.Attributes {
		name, value := aws.ToString(attr.Name), aws.ToString(attr.Value)
		switch name {
		case attrSub:
			rec.Sub = value
		case attrIdentities:
			ids, err := parseIdentities(value)
			if err != nil {
				warning = fmt.Sprintf("its identities attribute is not the JSON list Cognito writes (%v): its provider links are not exported", err)
			}
			rec.Identities = ids
		default:
			rec.Attributes[name] = value
		}
	}
	return rec, warning
}

// parseIdentities reads Cognito's identities attribute, a JSON list in a string. Cognito has
// written primary and dateCreated both as JSON values and as strings ("true",
// "1583247245555"), so either is taken.
func parseIdentities(value string) ([]identity, error) {
	var raw []map[string]any
	if err := json.Unmarshal([]byte(value), &raw); err != nil {
		return []identity{}, err
	}
	ids := make([]identity, 0, len(raw))
	for _, m := range raw {
		str := func(k string) string {
			switch v := m[k].(type) {
			case string:
				return v
			case float64:
				return strconv.FormatFloat(v, 'f', -1, 64)
			case bool:
				return strconv.FormatBool(v)
			}
			return ""
		}
		id := identity{ProviderName: str("providerName"), ProviderType: str("providerType"), UserID: str("userId")}
		id.Primary, _ = strconv.ParseBool(str("primary"))
		id.DateCreated, _ = strconv.ParseInt(str("dateCreated"), 10, 64)
		if id.ProviderName == "" || id.UserID == "" {
			return []identity{}, fmt.Errorf("an entry without providerName or userId")
		}
		ids = append(ids, id)
	}
	return ids, nil
}
