// Package awsauth loads the AWS configuration for the command-line tools and checks that
// credentials can be had before the first call, so that a missing credential chain ends in a
// sentence that says what to set instead of the SDK's "no EC2 IMDS role found".
package awsauth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// ErrNoCredentials means no credentials were found or the configured ones could not be loaded.
var ErrNoCredentials = errors.New("no AWS credentials")

// checkTimeout bounds the up-front look-up: off EC2 the chain ends at the instance metadata
// service, which does not answer.
const checkTimeout = 5 * time.Second

// howTo says how to provide credentials, in the order most users want them.
const howTo = "set AWS_PROFILE to a profile in ~/.aws/config (create one with `aws configure sso`, " +
	"then sign in with `aws sso login`; or `aws configure` for access keys), " +
	"or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys)"

// Load is config.LoadDefaultConfig with a sentence for a profile that does not exist. It does
// not look for credentials: some calls need none (Cognito's InitiateAuth); Check does.
func Load(ctx context.Context, opts ...func(*config.LoadOptions) error) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		var noProfile config.SharedConfigProfileNotExistError
		if errors.As(err, &noProfile) {
			return aws.Config{}, fmt.Errorf("%w: the profile %q named by AWS_PROFILE is not in ~/.aws/config or ~/.aws/credentials; %s", ErrNoCredentials, noProfile.Profile, howTo)
		}
		return aws.Config{}, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	return cfg, nil
}

// Check gets credentials once, before the first call that needs them; the calls after it take
// them from the SDK's cache. The error wraps ErrNoCredentials and says what is missing and how
// to provide it.
func Check(ctx context.Context, cfg aws.Config) error {
	if cfg.Credentials == nil {
		return fmt.Errorf("%w: %s", ErrNoCredentials, howTo)
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	_, err := cfg.Credentials.Retrieve(ctx)
	if err == nil {
		return nil
	}
	// When nothing is configured, the SDK's chain ends at the EC2 instance metadata service.
	var sources []aws.CredentialSource
	if s, ok := cfg.Credentials.(aws.CredentialProviderSource); ok {
		sources = s.ProviderSources()
	}
	if slices.Contains(sources, aws.CredentialSourceIMDS) {
		return fmt.Errorf("%w found (none in the environment, in ~/.aws/config or ~/.aws/credentials, and not on EC2): %s", ErrNoCredentials, howTo)
	}
	// Something is configured but did not work (an expired SSO session, a role that cannot
	// be assumed): the SDK's reason is the useful part.
	if p := os.Getenv("AWS_PROFILE"); p != "" {
		return fmt.Errorf("%w: the credentials of profile %q (AWS_PROFILE) could not be loaded: %v; if it is an SSO profile, sign in again with `aws sso login --profile %s`", ErrNoCredentials, p, err, p)
	}
	return fmt.Errorf("%w: the configured credentials could not be loaded: %v; %s", ErrNoCredentials, err, howTo)
}
