package stacks_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/cognito-apigw/cognito-apigw/internal/cdktest"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/stacks"
)

// synthCI synthesizes the CI stack alone, with cdk-nag's AwsSolutions checks applied, and
// returns its template.
func synthCI(t *testing.T, ci config.CI, qualifier string) (assertions.Template, awscdk.Stack) {
	t.Helper()
	var tpl assertions.Template
	var st *stacks.CIStack
	noPanic(t, func() {
		app := newApp(t)
		awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true), Reports: jsii.Bool(false)}), nil)
		st = stacks.NewCIStack(app, "demo-api-ci", &stacks.CIStackProps{CI: ci, Qualifier: qualifier})
		tpl = assertions.Template_FromStack(st.Stack, nil)
	})
	return tpl, st.Stack
}

// role is an AWS::IAM::Role of a template, as the tests read it.
type role struct {
	Properties struct {
		AssumeRolePolicyDocument policyDocument
		Policies                 []struct {
			PolicyName     string
			PolicyDocument policyDocument
		}
		ManagedPolicyArns   []any
		PermissionsBoundary any
		MaxSessionDuration  int
	}
}

type policyDocument struct {
	Statement []statement
}

type statement struct {
	Effect    string
	Action    any // a string or a list
	Resource  any
	Principal map[string]any
	Condition map[string]map[string]any
}

func (s statement) actions() []string { return stringsOf(s.Action) }

func stringsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, len(v))
		for i, x := range v {
			b, _ := json.Marshal(x)
			out[i] = string(b)
			if s, ok := x.(string); ok {
				out[i] = s
			}
		}
		return out
	}
	b, _ := json.Marshal(v)
	return []string{string(b)}
}

// rolesOf decodes the template's roles by logical id.
func rolesOf(t *testing.T, tpl assertions.Template) map[string]role {
	t.Helper()
	var found map[string]map[string]any
	noPanic(t, func() {
		raw := tpl.FindResources(jsii.String("AWS::IAM::Role"), nil)
		b, _ := json.Marshal(raw)
		json.Unmarshal(b, &found)
	})
	out := map[string]role{}
	for id, r := range found {
		var rl role
		b, _ := json.Marshal(r)
		if err := json.Unmarshal(b, &rl); err != nil {
			t.Fatalf("role %s: %v", id, err)
		}
		out[id] = rl
	}
	return out
}

// bootstrapARNs are the Fn::Sub templates of the four CDK bootstrap roles a deploy role may
// assume, for qualifier.
func bootstrapARNs(qualifier string) []string {
	var out []string
	for _, kind := range []string{"deploy", "file-publishing", "image-publishing", "lookup"} {
		out = append(out, fmt.Sprintf(`{"Fn::Sub":"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-%s-%s-role-${AWS::AccountId}-${AWS::Region}"}`, qualifier, kind))
	}
	return out
}

// TestCIStackLeastPrivilege reads every role of the CI stack the way IAM would and pins what
// it allows: trusted only by GitHub's provider for one repository and environment, compared
// exactly, and allowed nothing but sts:AssumeRole on the four bootstrap roles.
func TestCIStackLeastPrivilege(t *testing.T) {
	ci := config.CI{Repository: "Acme/cognito-apigw", Environments: []string{"dev", "prod"}}
	for _, qualifier := range []string{"hnb659fds", "acme1"} {
		t.Run(qualifier, func(t *testing.T) {
			tpl, _ := synthCI(t, ci, qualifier)
			roles := rolesOf(t, tpl)
			if len(roles) != 2 {
				t.Fatalf("%d roles, want one per environment (2)", len(roles))
			}
			// Nothing else grants permissions: no policies, managed policies or users.
			for _, typ := range []string{"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::User", "AWS::IAM::AccessKey", "AWS::IAM::InstanceProfile", "Custom::AWSCDKOpenIdConnectProvider", "AWS::Lambda::Function"} {
				count(t, tpl, typ, 0)
			}
			subjects := map[string]bool{}
			for id, r := range roles {
				p := r.Properties
				if len(p.ManagedPolicyArns) > 0 || p.PermissionsBoundary != nil {
					t.Errorf("%s: managed policies %v, boundary %v; want none", id, p.ManagedPolicyArns, p.PermissionsBoundary)
				}
				if p.MaxSessionDuration != 3600 {
					t.Errorf("%s: MaxSessionDuration %d, want 3600", id, p.MaxSessionDuration)
				}
				trust := p.AssumeRolePolicyDocument.Statement
				if len(trust) != 1 {
					t.Fatalf("%s: %d trust statements, want 1: %+v", id, len(trust), trust)
				}
				s := trust[0]
				if s.Effect != "Allow" || !slices.Equal(s.actions(), []string{"sts:AssumeRoleWithWebIdentity"}) {
					t.Errorf("%s: trust %s %v; want Allow sts:AssumeRoleWithWebIdentity", id, s.Effect, s.actions())
				}
				ref, _ := s.Principal["Federated"].(map[string]any)["Ref"].(string)
				if len(s.Principal) != 1 || !strings.HasPrefix(ref, "GitHubOidcProvider") {
					t.Errorf("%s: principal %v; want only the stack's GitHub provider", id, s.Principal)
				}
				// StringEquals alone: no StringLike, no wildcard, both claims.
				if keys := slices.Sorted(maps.Keys(s.Condition)); !slices.Equal(keys, []string{"StringEquals"}) {
					t.Errorf("%s: condition operators %v; want StringEquals only", id, keys)
				}
				eq := s.Condition["StringEquals"]
				if len(eq) != 2 || eq["token.actions.githubusercontent.com:aud"] != "sts.amazonaws.com" {
					t.Errorf("%s: StringEquals %v; want exactly aud sts.amazonaws.com and sub", id, eq)
				}
				sub, _ := eq["token.actions.githubusercontent.com:sub"].(string)
				if strings.ContainsAny(sub, "*?") {
					t.Errorf("%s: sub %q holds a wildcard", id, sub)
				}
				subjects[sub] = true

				if len(p.Policies) != 1 || len(p.Policies[0].PolicyDocument.Statement) != 1 {
					t.Fatalf("%s: policies %+v; want one inline policy with one statement", id, p.Policies)
				}
				grant := p.Policies[0].PolicyDocument.Statement[0]
				if grant.Effect != "Allow" || !slices.Equal(grant.actions(), []string{"sts:AssumeRole"}) {
					t.Errorf("%s: grants %s %v; want Allow sts:AssumeRole only", id, grant.Effect, grant.actions())
				}
				got := stringsOf(grant.Resource)
				sort.Strings(got)
				want := bootstrapARNs(qualifier)
				sort.Strings(want)
				if !slices.Equal(got, want) {
					t.Errorf("%s: may assume\n%s\nwant exactly\n%s", id, strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				for _, r := range got {
					if strings.Contains(r, "*") || strings.Contains(r, "cfn-exec") {
						t.Errorf("%s: resource %s", id, r)
					}
				}
			}
			want := map[string]bool{"repo:Acme/cognito-apigw:environment:dev": true, "repo:Acme/cognito-apigw:environment:prod": true}
			if !maps.Equal(subjects, want) {
				t.Errorf("subjects %v; want %v", subjects, want)
			}
		})
	}
}

// trustAllows evaluates a deploy role's trust condition for a token's claims, as IAM does
// StringEquals: every key present, each value equal, case and all.
func trustAllows(s statement, claims map[string]string) bool {
	for op, conds := range s.Condition {
		if op != "StringEquals" {
			return false
		}
		for k, v := range conds {
			if claims[k] != v {
				return false
			}
		}
	}
	return true
}

// Which GitHub tokens each role accepts: its own environment's jobs in the repository, and
// nothing that only looks like them (a branch, a pull request, another environment, another
// repository, another case, another audience).
func TestCIStackTrustsOneEnvironment(t *testing.T) {
	tpl, _ := synthCI(t, config.CI{Repository: "acme/app", Environments: []string{"dev", "prod"}}, "")
	roles := rolesOf(t, tpl)
	byEnv := map[string]statement{}
	for _, r := range roles {
		s := r.Properties.AssumeRolePolicyDocument.Statement[0]
		sub := s.Condition["StringEquals"]["token.actions.githubusercontent.com:sub"].(string)
		byEnv[sub[strings.LastIndex(sub, ":")+1:]] = s
	}
	const aud = "sts.amazonaws.com"
	for _, tc := range []struct {
		sub, aud string
		allowed  string // the environment whose role accepts it; "" none
	}{
		{"repo:acme/app:environment:prod", aud, "prod"},
		{"repo:acme/app:environment:dev", aud, "dev"},
		{"repo:acme/app:environment:prod", "https://github.com/acme", ""},
		{"repo:acme/app:ref:refs/heads/main", aud, ""},
		{"repo:acme/app:pull_request", aud, ""},
		{"repo:acme/app:environment:staging", aud, ""},
		{"repo:acme/app:environment:Prod", aud, ""},
		{"repo:acme/app-fork:environment:prod", aud, ""},
		{"repo:evil/app:environment:prod", aud, ""},
		{"repo:acme/app:environment:prod:x", aud, ""},
	} {
		for env, s := range byEnv {
			claims := map[string]string{"token.actions.githubusercontent.com:sub": tc.sub, "token.actions.githubusercontent.com:aud": tc.aud}
			if got := trustAllows(s, claims); got != (env == tc.allowed) {
				t.Errorf("role of %s: token sub %q aud %q allowed=%v", env, tc.sub, tc.aud, got)
			}
		}
	}
}

func TestCIStackProvider(t *testing.T) {
	// GIVEN no provider ARN WHEN synthesized THEN the stack creates GitHub's provider for
	// the audience configure-aws-credentials asks for, and keeps it when deleted.
	tpl, _ := synthCI(t, config.CI{Repository: "acme/app", Environments: []string{"dev"}}, "")
	count(t, tpl, "AWS::IAM::OIDCProvider", 1)
	hasResource(t, tpl, "AWS::IAM::OIDCProvider", map[string]any{
		"DeletionPolicy": "Retain",
		"Properties": map[string]any{
			"Url":          "https://token.actions.githubusercontent.com",
			"ClientIdList": []any{"sts.amazonaws.com"},
		},
	})
	noPanic(t, func() {
		tpl.HasOutput(jsii.String("DeployRoleArnDev"), map[string]any{"Value": map[string]any{"Fn::GetAtt": assertions.Match_AnyValue()}})
		tpl.HasOutput(jsii.String("GitHubOidcProviderArn"), map[string]any{"Value": map[string]any{"Ref": assertions.Match_AnyValue()}})
	})

	// GIVEN the account's provider WHEN synthesized THEN none is created, the roles trust
	// that one, and a rule refuses to deploy into another account.
	const arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
	tpl, _ = synthCI(t, config.CI{Repository: "acme/app", Environments: []string{"dev"}, OIDCProviderARN: arn}, "")
	count(t, tpl, "AWS::IAM::OIDCProvider", 0)
	hasProps(t, tpl, "AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": objectLike(map[string]any{
			"Statement": []any{objectLike(map[string]any{"Principal": map[string]any{"Federated": arn}})},
		}),
	})
	noPanic(t, func() {
		tpl.HasOutput(jsii.String("GitHubOidcProviderArn"), map[string]any{"Value": arn})
	})
	rules := cdktest.ToMap(tpl)["Rules"].(map[string]any)
	b, _ := json.Marshal(rules)
	if !strings.Contains(string(b), `"Fn::Equals":[{"Ref":"AWS::AccountId"},"123456789012"]`) {
		t.Errorf("no rule pins the account of the imported provider: %s", b)
	}
}

// cdk-nag's AwsSolutions rules find nothing in the CI stack, with nothing suppressed.
func TestCIStackNag(t *testing.T) {
	for _, arn := range []string{"", "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"} {
		_, st := synthCI(t, config.CI{Repository: "acme/app", Environments: []string{"dev", "prod"}, OIDCProviderARN: arn}, "")
		var a assertions.Annotations
		noPanic(t, func() { a = assertions.Annotations_FromStack(st) })
		match := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*"))
		noPanic(t, func() { a.HasNoError(jsii.String("*"), match) })
		noPanic(t, func() { a.HasNoWarning(jsii.String("*"), match) })
		if got := suppressedAny(t, assertions.Template_FromStack(st, nil)); len(got) > 0 {
			t.Errorf("suppressions %v; want none", got)
		}
	}
}

// suppressedAny lists the cdk-nag rules waived anywhere in the template.
func suppressedAny(t *testing.T, tpl assertions.Template) []string {
	t.Helper()
	var rules []string
	for _, r := range cdktest.ToMap(tpl)["Resources"].(map[string]any) {
		meta, _ := r.(map[string]any)["Metadata"].(map[string]any)
		if nag, ok := meta["cdk_nag"]; ok {
			rules = append(rules, fmt.Sprint(nag))
		}
	}
	return rules
}

// NewStage adds <app>-ci when the context sets ci, whichever stage it builds, and not
// otherwise.
func TestStageAddsCIStack(t *testing.T) {
	ctx := project.Context(t)
	if _, set := ctx[config.KeyCI]; set {
		t.Fatal("the committed cdk.json sets ci: a clone would create roles trusting a repository that is not its own")
	}
	build := func(ci any) *stacks.Stage {
		c := maps.Clone(ctx)
		c[config.KeyCI] = ci
		var st *stacks.Stage
		app := project.NewCDKApp(t, c)
		noPanic(t, func() {
			var err error
			if st, err = stacks.NewStage(app, project.Dir); err != nil {
				t.Fatal(err)
			}
		})
		return st
	}
	if st := build(nil); st.CI != nil {
		t.Error("ci null: a CI stack")
	}
	st := build(map[string]any{"repository": "acme/app", "environments": []any{"dev", "prod"}})
	if st.CI == nil || *st.CI.StackName() != "demo-api-ci" || len(st.CI.DeployRoles) != 2 {
		t.Fatalf("ci set: %+v", st.CI)
	}
}
