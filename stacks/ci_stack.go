package stacks

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// CIStackProps configure NewCIStack.
type CIStackProps struct {
	awscdk.StackProps
	CI config.CI
	// Qualifier is the CDK bootstrap qualifier of the account and Region
	// (config.DefaultBootstrapQualifier unless cdk bootstrap was given --qualifier).
	Qualifier string
}

// CIStack lets GitHub Actions deploy the app without stored AWS keys: GitHub's OIDC provider
// and, per GitHub environment, a role that only that repository's jobs in that environment
// can assume and that can do nothing but assume the CDK bootstrap roles.
type CIStack struct {
	awscdk.Stack
	Provider awsiam.IOidcProvider
	// DeployRoles are the deploy roles by GitHub environment.
	DeployRoles map[string]awsiam.Role
}

// cdkBootstrapRoles are the roles `cdk bootstrap` creates that the CDK CLI assumes from the
// deploying identity: deploy (CloudFormation), file and image publishing (assets) and lookup
// (context lookups, and `cdk diff` reading the deployed template). The fifth, cfn-exec, is
// CloudFormation's own and is not assumed by callers.
var cdkBootstrapRoles = []string{"deploy", "file-publishing", "image-publishing", "lookup"}

// NewCIStack creates (or imports) the GitHub OIDC provider and one deploy role per GitHub
// environment, with the role ARNs as outputs for the workflow.
func NewCIStack(scope constructs.Construct, id string, props *CIStackProps) *CIStack {
	var p CIStackProps
	if props != nil {
		p = *props
	}
	if p.Qualifier == "" {
		p.Qualifier = config.DefaultBootstrapQualifier
	}
	sprops := p.StackProps
	stack := awscdk.NewStack(scope, &id, &sprops)

	provider := githubOIDCProvider(stack, p.CI)
	roles := map[string]awsiam.Role{}
	for _, env := range p.CI.Environments {
		roles[env] = newDeployRole(stack, provider, p.CI, env, p.Qualifier)
	}
	awscdk.NewCfnOutput(stack, jsii.String(names.OutOIDCProviderARN), &awscdk.CfnOutputProps{
		Value:       provider.OidcProviderArn(),
		Description: jsii.String("The account's IAM OIDC provider for " + config.GitHubOIDCHost),
	})
	return &CIStack{Stack: stack, Provider: provider, DeployRoles: roles}
}

// githubOIDCProvider is the account's provider for GitHub Actions: created, with the audience
// configure-aws-credentials asks for, or the one ci.oidcProviderArn names (IAM keeps one
// provider per URL in an account). A created provider stays when the stack is deleted: other
// roles of the account may have come to trust it; a later deploy names it in oidcProviderArn.
func githubOIDCProvider(stack awscdk.Stack, ci config.CI) awsiam.IOidcProvider {
	if ci.OIDCProviderARN != "" {
		// An imported provider must be this account's: a role cannot trust another account's.
		account := strings.Split(ci.OIDCProviderARN, ":")[4]
		awscdk.NewCfnRule(stack, jsii.String("GitHubOidcProviderInThisAccount"), &awscdk.CfnRuleProps{
			Assertions: &[]*awscdk.CfnRuleAssertion{{
				Assert:            awscdk.Fn_ConditionEquals(awscdk.Aws_ACCOUNT_ID(), jsii.String(account)),
				AssertDescription: jsii.String("ci.oidcProviderArn is a provider of account " + account + ": deploy this stack there, or name this account's provider"),
			}},
		})
		return awsiam.OidcProviderNative_FromOidcProviderArn(stack, jsii.String("GitHubOidcProvider"), jsii.String(ci.OIDCProviderARN))
	}
	// No thumbprints: IAM secures the connection to GitHub's issuer with its own library of
	// trusted certificate authorities.
	return awsiam.NewOidcProviderNative(stack, jsii.String("GitHubOidcProvider"), &awsiam.OidcProviderNativeProps{
		Url:           jsii.String("https://" + config.GitHubOIDCHost),
		ClientIds:     jsii.Strings(config.GitHubOIDCAudience),
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
}

// newDeployRole is the role of one GitHub environment. Its trust compares the token's aud
// and sub exactly (StringEquals, no wildcards): only jobs of that repository that run in that
// environment, whose protection rules (branches, reviewers) GitHub enforces before it hands
// the job a token for it. Its one permission is to assume this account and Region's CDK
// bootstrap roles, which do the deploying.
func newDeployRole(stack awscdk.Stack, provider awsiam.IOidcProvider, ci config.CI, env, qualifier string) awsiam.Role {
	trust := awsiam.NewWebIdentityPrincipal(provider.OidcProviderArn(), &map[string]any{
		"StringEquals": map[string]any{
			config.GitHubOIDCHost + ":aud": config.GitHubOIDCAudience,
			config.GitHubOIDCHost + ":sub": ci.Subject(env),
		},
	})
	resources := make([]*string, len(cdkBootstrapRoles))
	for i, r := range cdkBootstrapRoles {
		resources[i] = awscdk.Fn_Sub(jsii.String(bootstrapRoleARN(qualifier, r)), nil)
	}
	role := awsiam.NewRole(stack, jsii.String("DeployRole-"+env), &awsiam.RoleProps{
		AssumedBy:   trust,
		Description: jsii.String(truncate(fmt.Sprintf("GitHub Actions deploys from %s, environment %s: may only assume the CDK bootstrap roles (qualifier %s)", ci.Repository, env, qualifier), 1000)),
		// CDK's own deploys chain into the bootstrap roles, which caps their sessions at an
		// hour whatever this says.
		MaxSessionDuration: awscdk.Duration_Hours(jsii.Number(1)),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"AssumeCdkBootstrapRoles": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{
				Statements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Actions:   jsii.Strings("sts:AssumeRole"),
					Resources: &resources,
				})},
			}),
		},
	})
	awscdk.NewCfnOutput(stack, jsii.String(names.OutDeployRoleARN(env)), &awscdk.CfnOutputProps{
		Value:       role.RoleArn(),
		Description: jsii.String(truncate("role-to-assume of GitHub environment "+env+" ("+ci.Repository+")", 1000)),
	})
	return role
}

// bootstrapRoleARN is the ARN of one CDK bootstrap role, as a Fn::Sub template: the bootstrap
// template names them cdk-<qualifier>-<kind>-role-<account>-<region>.
func bootstrapRoleARN(qualifier, kind string) string {
	return "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-" + qualifier + "-" + kind + "-role-${AWS::AccountId}-${AWS::Region}"
}

// truncate keeps s within IAM's and CloudFormation's description limits.
func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
