package loginurls

import (
	"errors"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
)

func TestFromOutputs(t *testing.T) {
	const (
		real   = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc"
		domain = "https://demo.auth.eu-west-1.amazoncognito.com"
		local  = "http://localhost:9229/local_x"
	)
	tests := []struct {
		name   string
		out    outputs.Stage
		issuer string
		want   Endpoints
	}{
		{"deployed pool", outputs.Stage{ManagedLoginURL: domain + "/"}, real, Endpoints{
			Issuer: real, Authorize: domain + "/oauth2/authorize", Token: domain + "/oauth2/token",
			JWKS: real + "/.well-known/jwks.json", Discovery: real + "/.well-known/openid-configuration",
			Revoke: domain + "/oauth2/revoke", Logout: domain + "/logout",
		}},
		// A stage with loginDomain: the outputs name the custom domain, the issuer stays Cognito's.
		{"deployed pool on its own login domain", outputs.Stage{ManagedLoginURL: "https://auth.acme.io"}, real, Endpoints{
			Issuer: real, Authorize: "https://auth.acme.io/oauth2/authorize", Token: "https://auth.acme.io/oauth2/token",
			JWKS: real + "/.well-known/jwks.json", Discovery: real + "/.well-known/openid-configuration",
			Revoke: "https://auth.acme.io/oauth2/revoke", Logout: "https://auth.acme.io/logout",
		}},
		{"local outputs of authctl setup-local", outputs.Stage{ManagedLoginURL: "http://localhost:9229", CognitoEndpoint: "http://localhost:9229", JWKSURL: local + "/jwks"}, local, Endpoints{
			Issuer: local, Authorize: "http://localhost:9229/oauth2/authorize", Token: "http://localhost:9229/oauth2/token",
			JWKS: local + "/jwks", Discovery: local + "/.well-known/openid-configuration", Local: true,
		}},
		{"loopback issuer, no outputs", outputs.Stage{}, local, Endpoints{
			Issuer: local, Authorize: "http://localhost:9229/oauth2/authorize", Token: "http://localhost:9229/oauth2/token",
			JWKS: local + "/.well-known/jwks.json", Discovery: local + "/.well-known/openid-configuration", Local: true,
		}},
	}
	for _, tc := range tests {
		got, err := FromOutputs(tc.out, tc.issuer)
		if err != nil || got != tc.want {
			t.Errorf("%s:\n got %+v, %v\nwant %+v", tc.name, got, err, tc.want)
		}
	}
	if _, err := FromOutputs(outputs.Stage{}, real); !errors.Is(err, ErrNoLoginDomain) {
		t.Errorf("deployed issuer without ManagedLoginUrl: %v, want ErrNoLoginDomain", err)
	}
}
