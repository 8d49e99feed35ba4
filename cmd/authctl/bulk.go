package main

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// What export and import share: a Cognito client that rides out throttling, and files that
// appear whole or not at all.

// Cognito answers a client over its request-rate quota with TooManyRequestsException, which
// the SDK's standard retryer already counts as throttling and retries with exponential backoff
// and jitter. Bulk commands only need it to try longer than an interactive one: more attempts,
// and no retry quota, whose token bucket would make a long export give up under sustained
// throttling ("retry quota exceeded") instead of slowing down.
const (
	bulkMaxAttempts = 10
	bulkMaxBackoff  = 20 * time.Second
	// bulkCallTimeout bounds one call with its retries.
	bulkCallTimeout = 5 * time.Minute
)

// retryBackoff, when set, replaces the SDK's backoff (tests set it to no delay).
var retryBackoff retry.BackoffDelayer

// bulkCognito is s.cognito's client with the bulk retryer. Against a local emulator only
// throttling is retried: a server that is not running deserves no ten attempts.
func (s *settings) bulkCognito(ctx context.Context) (*cip.Client, error) {
	client, err := s.cognito(ctx, true)
	if err != nil {
		return nil, err
	}
	opts := client.Options()
	opts.RetryMaxAttempts = 0 // else the client wraps the retryer in its own attempt limit
	opts.Retryer = retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = bulkMaxAttempts
		o.MaxBackoff = bulkMaxBackoff
		o.RateLimiter = ratelimit.None
		if retryBackoff != nil {
			o.Backoff = retryBackoff
		}
		if s.localEndpoint() {
			o.Retryables = []retry.IsErrorRetryable{retry.RetryableErrorCode{Codes: retry.DefaultThrottleErrorCodes}}
		}
	})
	return cip.New(opts), nil
}

// call runs one Cognito call under bulkCallTimeout and names it in its error.
func call[T any](ctx context.Context, s *settings, name string, f func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, bulkCallTimeout)
	defer cancel()
	out, err := f(ctx)
	if err != nil {
		return out, &callError{call: name, msg: s.describe(err).Error(), err: err}
	}
	return out, nil
}

// callError is a failed call as a line that names it ("AdminCreateUser: UsernameExistsException:
// ..."), keeping the SDK's error for errors.As.
type callError struct {
	call, msg string
	err       error
}

func (e *callError) Error() string { return e.call + ": " + e.msg }
func (e *callError) Unwrap() error { return e.err }

// atomicFile is a file written under a temporary name beside its destination and renamed to
// it by Commit, so that a run that dies half way leaves the destination as it was (and, at
// worst, a hidden .partial file, which no tool takes for the real one). Mode 0600: exports
// hold personal data.
type atomicFile struct {
	*os.File
	dest string
	done bool
}

func createAtomic(dest string) (*atomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.partial")
	if err != nil {
		return nil, err
	}
	return &atomicFile{File: f, dest: dest}, nil
}

// Commit makes the file the destination: flushed to disk, then renamed.
func (f *atomicFile) Commit() error {
	if err := f.Sync(); err != nil {
		f.Abort()
		return err
	}
	if err := f.Close(); err != nil {
		f.Abort()
		return err
	}
	if err := os.Rename(f.Name(), f.dest); err != nil {
		os.Remove(f.Name())
		return err
	}
	f.done = true
	return nil
}

// Abort removes the temporary file; after Commit it does nothing.
func (f *atomicFile) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	os.Remove(f.Name())
}
