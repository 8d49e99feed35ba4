package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// addMachineClients creates one confidential app client per machine client: a secret that
// Cognito generates and keeps, client credentials as the only grant, the client's custom
// scopes. It returns name -> client id.
func addMachineClients(pool awscognito.UserPool, cfg config.Config, server awscognito.UserPoolResourceServer) map[string]*string {
	ids := map[string]*string{}
	for _, m := range cfg.Stage.MachineClients {
		client := pool.AddClient(jsii.String("MachineClient "+m.Name), &awscognito.UserPoolClientOptions{
			UserPoolClientName: jsii.String(names.MachineClient(cfg.AppName, cfg.StageName, m.Name)),
			GenerateSecret:     jsii.Bool(true),
			OAuth: &awscognito.OAuthSettings{
				Flows:  &awscognito.OAuthFlows{ClientCredentials: jsii.Bool(true)},
				Scopes: oauthScopes(server, cfg.Stage.ResourceServer, m.Scopes), // config.Validate has checked they are the server's
			},
			AccessTokenValidity:        awscdk.Duration_Minutes(jsii.Number(cfg.Stage.Tokens.AccessMinutes)),
			EnableTokenRevocation:      jsii.Bool(true),
			PreventUserExistenceErrors: jsii.Bool(true),
			SupportedIdentityProviders: &[]awscognito.UserPoolClientIdentityProvider{awscognito.UserPoolClientIdentityProvider_COGNITO()},
		})
		// Left out, ExplicitAuthFlows lets Cognito allow SRP and custom authentication on the
		// client (the CDK leaves it out when no flow is set): a service must not sign users in.
		cfn := client.Node().DefaultChild().(awscognito.CfnUserPoolClient)
		cfn.SetExplicitAuthFlows(jsii.Strings("ALLOW_REFRESH_TOKEN_AUTH"))
		// No user signs in through it, so it writes no attribute (left out, it could write all).
		cfn.SetWriteAttributes(&[]*string{})
		ids[m.Name] = client.UserPoolClientId()
	}
	return ids
}

// machineClientIDs is name -> id with the ids as strings (CDK tokens in string form), as
// fnenv takes them.
func machineClientIDs(ids map[string]*string) map[string]string {
	out := make(map[string]string, len(ids))
	for name, id := range ids {
		out[name] = *id
	}
	return out
}
