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

	"github.com/cognito-apigw/cognito-apigw/internal/names"
)

// DefaultFile is the outputs file docs/deploy.md's deploy command writes and the tools read.
const DefaultFile = "cdk-outputs.json"

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
	// LambdaEndpoint is where the local pool calls its triggers (local files only).
	LambdaEndpoint string
	// MachineClients are name=client id pairs (fnenv.ParseMachineClients); empty without any.
	MachineClients string
}

// field ties an output key to the Stage field that holds its value.
type field struct {
	key string
	ptr func(*Stage) *string
}

// authFields and apiFields are the outputs the tools use, per stack.
var (
	authFields = []field{
		{names.OutRegion, func(s *Stage) *string { return &s.Region }},
		{names.OutUserPoolID, func(s *Stage) *string { return &s.UserPoolID }},
		{names.OutClientID, func(s *Stage) *string { return &s.ClientID }},
		{names.OutIssuerURL, func(s *Stage) *string { return &s.IssuerURL }},
		{names.OutJWKSURL, func(s *Stage) *string { return &s.JWKSURL }},
		{names.OutManagedLoginURL, func(s *Stage) *string { return &s.ManagedLoginURL }},
		{names.OutSignInURL, func(s *Stage) *string { return &s.SignInURL }},
		{names.OutSignOutURL, func(s *Stage) *string { return &s.SignOutURL }},
		{names.OutCognitoEndpoint, func(s *Stage) *string { return &s.CognitoEndpoint }},
		{names.OutLambdaEndpoint, func(s *Stage) *string { return &s.LambdaEndpoint }},
		{names.OutMachineClients, func(s *Stage) *string { return &s.MachineClients }},
	}
	apiFields = []field{
		{names.OutAPIURL, func(s *Stage) *string { return &s.APIURL }},
	}
)

// StackOutputKeys are the stack outputs Parse reads, per stack; CognitoEndpoint and
// LambdaEndpoint, which only files written for a local server carry, are not.
func StackOutputKeys() (auth, api []string) {
	for _, f := range authFields {
		if f.key != names.OutCognitoEndpoint && f.key != names.OutLambdaEndpoint {
			auth = append(auth, f.key)
		}
	}
	for _, f := range apiFields {
		api = append(api, f.key)
	}
	return auth, api
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
	authName, apiName := names.AuthStack(app, stage), names.APIStack(app, stage)
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
	var s Stage
	for _, f := range authFields {
		*f.ptr(&s) = get(auth, authName, f.key)
	}
	if api, ok := file[apiName]; ok {
		for _, f := range apiFields {
			*f.ptr(&s) = get(api, apiName, f.key)
		}
	}
	if len(problems) > 0 {
		return Stage{}, errors.New(strings.Join(problems, "; "))
	}
	return s, nil
}

// Marshal renders s as an outputs file holding app's stage, in the shape cdk deploy writes.
func Marshal(app, stage string, s Stage) ([]byte, error) {
	authName, apiName := names.AuthStack(app, stage), names.APIStack(app, stage)
	// Empty fields are left out: a file for a local server has no sign-in URLs, for one.
	values := func(s *Stage, fields []field) map[string]string {
		m := map[string]string{}
		for _, f := range fields {
			if v := *f.ptr(s); v != "" {
				m[f.key] = v
			}
		}
		return m
	}
	file := map[string]map[string]string{authName: values(&s, authFields)}
	if api := values(&s, apiFields); len(api) > 0 {
		file[apiName] = api
	}
	b, err := json.MarshalIndent(file, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
