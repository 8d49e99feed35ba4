// Package outputs reads and writes the stack outputs file that `cdk deploy --outputs-file`
// writes: one JSON object per stack, each mapping output names to string values. The local
// tools read pool, client, domain and API URL from it so that nobody copies ids by hand;
// `authctl setup-local` writes one in the same shape for a local Cognito-compatible server.
package outputs

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
)

// DefaultFile is the outputs file the README's deploy command writes and the tools read.
const DefaultFile = "cdk-outputs.json"

// Output names of the auth and API stacks (see stacks/auth_stack.go and stacks/api_stack.go).
const (
	KeyRegion          = "Region"
	KeyUserPoolID      = "UserPoolId"
	KeyClientID        = "ClientId"
	KeyIssuerURL       = "IssuerUrl"
	KeyJWKSURL         = "JwksUrl"
	KeyManagedLoginURL = "ManagedLoginUrl"
	KeySignInURL       = "SignInUrl"
	KeySignOutURL      = "SignOutUrl"
	KeyAPIURL          = "ApiUrl"
	// KeyCognitoEndpoint is not a stack output: only files written for a local server carry
	// it, so that the tools talk to that server without an -endpoint flag.
	KeyCognitoEndpoint = "CognitoEndpoint"
)

// Stage is what the tools need from one stage's outputs. Empty fields were not in the file.
type Stage struct {
	Region          string
	UserPoolID      string
	ClientID        string
	IssuerURL       string
	JWKSURL         string
	ManagedLoginURL string
	SignInURL       string
	SignOutURL      string
	APIURL          string
	CognitoEndpoint string
}

// StackNames are the stacks app.go creates for a stage.
func StackNames(app, stage string) (auth, api string) {
	return app + "-" + stage + "-auth", app + "-" + stage + "-api"
}

// ErrNoStack means the file holds no auth stack for the app and stage asked for.
var ErrNoStack = errors.New("no such stack in the outputs file")

// Read reads the outputs of app's stage from the file at path.
func Read(path, app, stage string) (Stage, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Stage{}, fmt.Errorf("outputs file %s does not exist: deploy with `npx cdk deploy --all --outputs-file %s` (or run `authctl setup-local` for a local pool), or pass the ids as flags", path, path)
		}
		return Stage{}, err
	}
	s, err := Parse(b, app, stage)
	if err != nil {
		return Stage{}, fmt.Errorf("outputs file %s: %w", path, err)
	}
	return s, nil
}

// Parse reads the outputs of app's stage from the file's content. The auth stack must be
// there; the API stack is optional because only calls to the API need it.
func Parse(data []byte, app, stage string) (Stage, error) {
	var file map[string]map[string]any
	if err := json.Unmarshal(data, &file); err != nil {
		return Stage{}, fmt.Errorf("not a CDK outputs file (want {\"<stack>\": {\"<output>\": \"value\"}}): %v", err)
	}
	authName, apiName := StackNames(app, stage)
	auth, ok := file[authName]
	if !ok {
		names := make([]string, 0, len(file))
		for name := range file {
			names = append(names, name)
		}
		sort.Strings(names)
		found := "none"
		if len(names) > 0 {
			found = strings.Join(names, ", ")
		}
		return Stage{}, fmt.Errorf("%w: want %s (app %q, stage %q); found %s", ErrNoStack, authName, app, stage, found)
	}
	var problems []string
	get := func(stack map[string]any, stackName, key string) string {
		switch v := stack[key].(type) {
		case nil:
			return ""
		case string:
			return strings.TrimSpace(v)
		default:
			problems = append(problems, fmt.Sprintf("%s.%s: want a string", stackName, key))
			return ""
		}
	}
	s := Stage{
		Region:          get(auth, authName, KeyRegion),
		UserPoolID:      get(auth, authName, KeyUserPoolID),
		ClientID:        get(auth, authName, KeyClientID),
		IssuerURL:       get(auth, authName, KeyIssuerURL),
		JWKSURL:         get(auth, authName, KeyJWKSURL),
		ManagedLoginURL: get(auth, authName, KeyManagedLoginURL),
		SignInURL:       get(auth, authName, KeySignInURL),
		SignOutURL:      get(auth, authName, KeySignOutURL),
		CognitoEndpoint: get(auth, authName, KeyCognitoEndpoint),
	}
	if api, ok := file[apiName]; ok {
		s.APIURL = get(api, apiName, KeyAPIURL)
	}
	if len(problems) > 0 {
		return Stage{}, errors.New(strings.Join(problems, "; "))
	}
	return s, nil
}

// Marshal renders s as an outputs file holding app's stage, in the shape cdk deploy writes.
func Marshal(app, stage string, s Stage) ([]byte, error) {
	authName, apiName := StackNames(app, stage)
	auth := map[string]string{}
	set := func(m map[string]string, k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	set(auth, KeyRegion, s.Region)
	set(auth, KeyUserPoolID, s.UserPoolID)
	set(auth, KeyClientID, s.ClientID)
	set(auth, KeyIssuerURL, s.IssuerURL)
	set(auth, KeyJWKSURL, s.JWKSURL)
	set(auth, KeyManagedLoginURL, s.ManagedLoginURL)
	set(auth, KeySignInURL, s.SignInURL)
	set(auth, KeySignOutURL, s.SignOutURL)
	set(auth, KeyCognitoEndpoint, s.CognitoEndpoint)
	file := map[string]map[string]string{authName: auth}
	if s.APIURL != "" {
		file[apiName] = map[string]string{KeyAPIURL: s.APIURL}
	}
	b, err := json.MarshalIndent(file, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
