package names

import "strings"

// CIStack is the name of the optional stack that lets GitHub Actions deploy the app: the
// account's GitHub OIDC provider and a deploy role per GitHub environment. It belongs to the
// app, not to a stage.
func CIStack(app string) string { return app + "-ci" }

// OutOIDCProviderARN is the CI stack's output of the GitHub OIDC provider it created or
// imported.
const OutOIDCProviderARN = "GitHubOidcProviderArn"

// OutDeployRoleARN is the CI stack's output key of the deploy role of one GitHub environment:
// DeployRoleArn followed by the environment's name in Camel case (dev: DeployRoleArnDev,
// prod-eu: DeployRoleArnProdEu). Output keys allow letters and digits only.
func OutDeployRoleARN(env string) string { return "DeployRoleArn" + Camel(env) }

// Camel is s's letters and digits with the first letter of each run upper-cased, everything
// else dropped (pre-sign-up: PreSignUp): a name as an output key or a construct id.
func Camel(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z' && upper:
			b.WriteRune(r - 'a' + 'A')
			upper = false
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
			upper = false
		default:
			upper = true
		}
	}
	return b.String()
}
