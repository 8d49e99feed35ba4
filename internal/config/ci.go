package config

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/names"
	"github.com/cognito-apigw/cognito-apigw/internal/problem"
)

// Deploying from GitHub Actions without stored keys: the optional top-level context key "ci"
// (docs/deploy-from-github.md). It is not a stage setting because what it creates is the
// account's: IAM holds one OIDC provider per issuer URL and account, so one stack
// (<app>-ci) holds the provider and a deploy role per GitHub environment, whichever stage
// is synthesized; a per-stage setting would make two stages in one account fight over the
// provider.

// Context keys of the CI stack.
const (
	KeyCI = "ci"
	// KeyBootstrapQualifier is the CDK's own key for a non-default bootstrap qualifier (cdk
	// bootstrap --qualifier); the deploy roles may assume the bootstrap roles it names.
	KeyBootstrapQualifier = "@aws-cdk/core:bootstrapQualifier"
)

// DefaultBootstrapQualifier is the qualifier of `cdk bootstrap` without --qualifier.
const DefaultBootstrapQualifier = "hnb659fds"

// GitHub's OIDC issuer and the audience aws-actions/configure-aws-credentials asks for.
const (
	GitHubOIDCHost     = "token.actions.githubusercontent.com"
	GitHubOIDCAudience = "sts.amazonaws.com"
)

// CI is the "ci" context object: which GitHub repository may deploy, through which of its
// environments, and whether the account's GitHub OIDC provider exists already.
type CI struct {
	// Repository is the repository as its jobs' sub claim names it, which the trust policies
	// compare exactly: OWNER/NAME as GitHub spells it, or OWNER@ID/NAME@ID for a repository
	// with immutable subject claims (the default for repositories created or renamed since
	// June 2026).
	Repository string `json:"repository"`
	// Environments are the GitHub environments (Settings > Environments) that get a deploy
	// role each; a workflow job declares one with `environment:`.
	Environments []string `json:"environments"`
	// OIDCProviderARN, if set, is the account's existing provider for GitHub, imported
	// instead of created (IAM refuses a second provider for the same URL).
	OIDCProviderARN string `json:"oidcProviderArn"`
}

// Subject is the sub claim of a GitHub Actions job in env: GitHub's default format for a job
// that declares an environment, repo:<repository>:environment:<env>.
func (c CI) Subject(env string) string { return "repo:" + c.Repository + ":environment:" + env }

var (
	// A GitHub account or organization: 1-39 letters, digits and hyphens, not starting with a
	// hyphen, no two in a row.
	githubOwnerPattern = regexp.MustCompile(`^[A-Za-z0-9](?:-?[A-Za-z0-9])*-?$`)
	// GitHub's immutable owner and repository IDs, as a sub claim appends them after "@".
	numericIDPattern = regexp.MustCompile(`^[1-9][0-9]{0,19}$`)
	// A GitHub repository name: 1-100 ASCII letters, digits, ".", "-" and "_".
	githubRepoPattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	// Environment names this project accepts: GitHub allows more (spaces, most punctuation),
	// but the name goes into the sub claim, a construct id and an output key.
	githubEnvironmentPattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	// IAM's ARN of the GitHub OIDC provider in an account of a standard partition.
	oidcProviderARNPattern = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):iam::[0-9]{12}:oidc-provider/` + regexp.QuoteMeta(GitHubOIDCHost) + `$`)
	// CloudFormation's AllowedPattern for the bootstrap stack's Qualifier parameter.
	qualifierPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,10}$`)
)

// Limits of GitHub's names.
const (
	maxGitHubOwner       = 39
	maxGitHubRepo        = 100
	maxGitHubEnvironment = 255
)

func (v *validator) ci(c Config) {
	if c.CI == nil {
		return
	}
	ci := *c.CI
	if c.undecoded[KeyCI] { // not an object: nothing else to check
		return
	}
	if !c.undecoded[KeyCI+".repository"] {
		v.repository(KeyCI+".repository", ci.Repository)
	}
	where := KeyCI + ".environments"
	if len(ci.Environments) == 0 && !c.undecoded[where] {
		v.problems = append(v.problems, problem.Problem{Where: where, Value: "an empty list",
			Want: `want the GitHub environments that deploy, such as ["dev", "prod"]: each gets a role that only its jobs may assume`})
	}
	seen := map[string]int{}
	outputs := map[string]string{}
	for i, env := range ci.Environments {
		at := fmt.Sprintf("%s[%d]", where, i)
		switch {
		case c.undecoded[at]:
		case env == "" || len(env) > maxGitHubEnvironment:
			v.add(at, env, fmt.Sprintf("want 1 to %d characters (GitHub's limit)", maxGitHubEnvironment))
		case !githubEnvironmentPattern.MatchString(env):
			v.add(at, env, "want letters, digits, \".\", \"-\" and \"_\": the name goes into the role's trust policy (repo:OWNER/NAME:environment:ENV) and its stack output")
		default:
			// GitHub compares environment names without case: Dev and dev are one environment.
			if j, dup := seen[strings.ToLower(env)]; dup {
				v.add(at, env, fmt.Sprintf("want each environment once: GitHub treats environment names without case, and %s[%d] is %q", where, j, ci.Environments[j]))
			} else if other, clash := outputs[names.OutDeployRoleARN(env)]; clash {
				v.add(at, env, fmt.Sprintf("want names that differ in their letters or digits: %q and %q would both give the stack output %s", other, env, names.OutDeployRoleARN(env)))
			}
			seen[strings.ToLower(env)] = i
			outputs[names.OutDeployRoleARN(env)] = env
		}
	}
	if arn := ci.OIDCProviderARN; arn != "" && !c.undecoded[KeyCI+".oidcProviderArn"] && !oidcProviderARNPattern.MatchString(arn) {
		v.add(KeyCI+".oidcProviderArn", arn, "want the ARN of the account's GitHub provider, arn:aws:iam::<12-digit account id>:oidc-provider/"+GitHubOIDCHost+" (IAM > Identity providers), or leave it out to create the provider")
	}
	if q := c.BootstrapQualifier; !c.undecoded[KeyBootstrapQualifier] && !qualifierPattern.MatchString(q) {
		v.add(KeyBootstrapQualifier, q, "want the qualifier given to cdk bootstrap --qualifier: 1 to 10 letters, digits, \"_\" and \"-\" (the bootstrap roles' names hold it)")
	}
}

// repository checks OWNER/NAME or OWNER@ID/NAME@ID, naming what is wrong with the usual
// mistakes: a URL, a clone address ending in .git, the name alone, one ID without the other.
func (v *validator) repository(where, repo string) {
	if repo == "" {
		v.add(where, repo, `want the GitHub repository that deploys as its jobs' sub claim names it: OWNER/NAME, or OWNER@ID/NAME@ID for a repository with immutable subject claims (docs/deploy-from-github.md)`)
		return
	}
	if i := strings.Index(repo, "github.com"); i >= 0 {
		guess := strings.TrimSuffix(strings.Trim(strings.TrimLeft(repo[i+len("github.com"):], ":/"), "/"), ".git")
		v.add(where, repo, fmt.Sprintf("want OWNER/NAME, not a URL: did you mean %q?", guess))
		return
	}
	owner, name, ok := strings.Cut(repo, "/")
	owner, ownerID, ownerHasID := strings.Cut(owner, "@")
	name, repoID, repoHasID := strings.Cut(name, "@")
	switch {
	case !ok || strings.Contains(name, "/") || strings.Contains(repoID, "/"):
		v.add(where, repo, `want OWNER/NAME, the owner and the repository's name with one "/" between, such as "acme/cognito-apigw"`)
	case len(owner) > maxGitHubOwner || !githubOwnerPattern.MatchString(owner) || strings.Contains(owner, "--"):
		v.add(where, repo, fmt.Sprintf("want an owner of 1 to %d letters, digits and single hyphens, not starting with a hyphen (GitHub's rule for accounts and organizations)", maxGitHubOwner))
	case len(name) > maxGitHubRepo || !githubRepoPattern.MatchString(name) || name == "." || name == "..":
		v.add(where, repo, fmt.Sprintf("want a repository name of 1 to %d letters, digits, \".\", \"-\" and \"_\" (GitHub's rule)", maxGitHubRepo))
	case strings.HasSuffix(strings.ToLower(name), ".git"):
		v.add(where, repo, fmt.Sprintf("want the repository's name without .git: did you mean %q?", strings.Replace(repo, name, name[:len(name)-len(".git")], 1)))
	case strings.HasSuffix(strings.ToLower(name), ".wiki"):
		v.add(where, repo, "want the repository itself, not its wiki")
	case ownerHasID != repoHasID:
		v.add(where, repo, "want both immutable IDs (OWNER@ID/NAME@ID, as a repository with immutable subject claims has them in its sub claim) or neither")
	case ownerHasID && (!numericIDPattern.MatchString(ownerID) || !numericIDPattern.MatchString(repoID)):
		v.add(where, repo, "want the owner's and the repository's numeric IDs after the @ signs, such as acme@123456/app@456789")
	}
}

// loadCI reads the "ci" object and the bootstrap qualifier from the context. A "ci" that is
// null or absent leaves the CI stack out, and the qualifier to the CDK.
func loadCI(ctx map[string]any, cfg *Config) problem.List {
	raw, ok := ctx[KeyCI]
	if !ok || raw == nil {
		return nil
	}
	var problems problem.List
	if q, ok := ctx[KeyBootstrapQualifier]; ok && q != nil {
		if s, isString := q.(string); isString {
			cfg.BootstrapQualifier = s
		} else {
			problems.Add(KeyBootstrapQualifier, q, "want the qualifier given to cdk bootstrap --qualifier, a string")
			cfg.undecoded = map[string]bool{KeyBootstrapQualifier: true}
		}
	}
	b, _ := json.Marshal(raw) // values from the CDK context are JSON already
	if s, isString := raw.(string); isString {
		// `cdk synth -c ci='{...}'` hands the app a string: take the object in it.
		var obj map[string]any
		if json.Unmarshal([]byte(s), &obj) != nil || obj == nil {
			problems.Add(KeyCI, s, `want an object, such as {"repository": "acme/cognito-apigw", "environments": ["dev", "prod"]} (in cdk.json's "context", or as JSON after -c ci=)`)
			return problems
		}
		b = []byte(s)
	}
	decoded := decodeStrict(KeyCI, b, reflect.ValueOf(&cfg.CI).Elem())
	// A value of the wrong type decodes as its zero value: the rules below would report it a
	// second time.
	for _, p := range decoded {
		if cfg.undecoded == nil {
			cfg.undecoded = map[string]bool{}
		}
		cfg.undecoded[p.Where] = true
	}
	return append(problems, decoded...)
}
