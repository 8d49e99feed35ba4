package outputs

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// deployed is what `cdk deploy --all --outputs-file` writes for the dev stage, including the
// endpoint output CDK adds to every RestApi on its own.
const deployed = `{
  "demo-api-dev-auth": {
    "Region": "eu-west-1",
    "UserPoolId": "eu-west-1_AbCdEf123",
    "ClientId": "4n7d2kq8v1l5h9s3c6b0x2m7pa",
    "IssuerUrl": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123",
    "JwksUrl": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json",
    "ManagedLoginUrl": "https://demo-api-dev-123456789012.auth.eu-west-1.amazoncognito.com",
    "SignInUrl": "https://demo-api-dev-123456789012.auth.eu-west-1.amazoncognito.com/oauth2/authorize?redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fauth%2Fcallback&response_type=code&scope=openid+email+profile&client_id=4n7d2kq8v1l5h9s3c6b0x2m7pa",
    "SignOutUrl": "https://demo-api-dev-123456789012.auth.eu-west-1.amazoncognito.com/logout?logout_uri=http%3A%2F%2Flocalhost%3A3000&client_id=4n7d2kq8v1l5h9s3c6b0x2m7pa"
  },
  "demo-api-dev-api": {
    "ApiEndpoint4F160690": "https://abc123.execute-api.eu-west-1.amazonaws.com/dev/",
    "ApiUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com/dev/"
  }
}`

func TestParseDeployed(t *testing.T) {
	s, err := Parse([]byte(deployed), "demo-api", "dev")
	if err != nil {
		t.Fatal(err)
	}
	want := Stage{
		Region:          "eu-west-1",
		UserPoolID:      "eu-west-1_AbCdEf123",
		ClientID:        "4n7d2kq8v1l5h9s3c6b0x2m7pa",
		IssuerURL:       "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123",
		JWKSURL:         "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json",
		ManagedLoginURL: "https://demo-api-dev-123456789012.auth.eu-west-1.amazoncognito.com",
		SignInURL:       "https://demo-api-dev-123456789012.auth.eu-west-1.amazoncognito.com/oauth2/authorize?redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fauth%2Fcallback&response_type=code&scope=openid+email+profile&client_id=4n7d2kq8v1l5h9s3c6b0x2m7pa",
		SignOutURL:      "https://demo-api-dev-123456789012.auth.eu-west-1.amazoncognito.com/logout?logout_uri=http%3A%2F%2Flocalhost%3A3000&client_id=4n7d2kq8v1l5h9s3c6b0x2m7pa",
		APIURL:          "https://abc123.execute-api.eu-west-1.amazonaws.com/dev/",
	}
	if s != want {
		t.Errorf("got  %+v\nwant %+v", s, want)
	}
}

func TestParseAuthOnly(t *testing.T) {
	// Deploying the auth stack alone is fine until someone calls the API.
	s, err := Parse([]byte(`{"demo-api-dev-auth": {"UserPoolId": "p", "ClientId": "c"}}`), "demo-api", "dev")
	if err != nil || s.UserPoolID != "p" || s.ClientID != "c" || s.APIURL != "" {
		t.Fatalf("got %+v, %v", s, err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"not json", `{"demo-api-dev-auth":`, "not a CDK outputs file"},
		{"not an object of stacks", `{"demo-api-dev-auth": "x"}`, "not a CDK outputs file"},
		{"other stage", deployed, "want demo-api-prod-auth (app \"demo-api\", stage \"prod\"); found demo-api-dev-api, demo-api-dev-auth"},
		{"empty", `{}`, "found none"},
		{"number", `{"demo-api-prod-auth": {"UserPoolId": 7}}`, "demo-api-prod-auth.UserPoolId: want a string"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.data), "demo-api", "prod")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, err := Parse([]byte(deployed), "demo-api", "prod"); !errors.Is(err, ErrNoStack) {
		t.Errorf("missing stack: %v is not ErrNoStack", err)
	}
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	_, err := Read(filepath.Join(dir, "cdk-outputs.json"), "demo-api", "dev")
	if err == nil || !strings.Contains(err.Error(), "--outputs-file") {
		t.Errorf("missing file: %v; want a hint at cdk deploy --outputs-file", err)
	}
	path := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(path, []byte(`[]`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(path, "demo-api", "dev"); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("bad file: %v; want the path in the error", err)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	local := Stage{
		Region:          "local",
		UserPoolID:      "local_6UUYStlp",
		ClientID:        "de5gmi6lop6yugmbb7udus2ar",
		IssuerURL:       "http://localhost:9229/local_6UUYStlp",
		JWKSURL:         "http://localhost:9229/local_6UUYStlp/.well-known/jwks.json",
		ManagedLoginURL: "http://localhost:9229",
		APIURL:          "http://127.0.0.1:8080/",
		CognitoEndpoint: "http://localhost:9229",
	}
	b, err := Marshal("demo-api", "dev", local)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"demo-api-dev-auth": {`, `"CognitoEndpoint": "http://localhost:9229"`, `"demo-api-dev-api": {`, `"ApiUrl": "http://127.0.0.1:8080/"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("missing %s in\n%s", want, b)
		}
	}
	if strings.Contains(string(b), "SignOutUrl") {
		t.Errorf("empty outputs should be left out:\n%s", b)
	}
	got, err := Parse(b, "demo-api", "dev")
	if err != nil || got != local {
		t.Errorf("round trip: got %+v, %v", got, err)
	}
}

// Every field of Stage has an output key, so a field added without one fails here.
func TestEveryFieldRoundTrips(t *testing.T) {
	var full Stage
	v := reflect.ValueOf(&full).Elem()
	for i := range v.NumField() {
		v.Field(i).SetString("value of " + v.Type().Field(i).Name)
	}
	b, err := Marshal("demo-api", "dev", full)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Parse(b, "demo-api", "dev"); err != nil || got != full {
		t.Errorf("round trip lost fields: got %+v, %v\nwant %+v", got, err, full)
	}
}

func TestStackOutputKeys(t *testing.T) {
	auth, api := StackOutputKeys()
	if !slices.Contains(auth, names.OutUserPoolID) || slices.Contains(auth, names.OutCognitoEndpoint) || slices.Contains(auth, names.OutLambdaEndpoint) {
		t.Errorf("auth keys %v: want UserPoolId and no CognitoEndpoint or LambdaEndpoint (not stack outputs)", auth)
	}
	if !slices.Equal(api, []string{names.OutAPIURL}) {
		t.Errorf("api keys %v, want [ApiUrl]", api)
	}
}
