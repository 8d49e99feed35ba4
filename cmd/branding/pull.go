package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-apigw/cognito-apigw/branding"
	"github.com/cognito-apigw/cognito-apigw/internal/awsauth"
)

func (c *cli) pull(args []string) int {
	fs := flag.NewFlagSet("pull", flag.ContinueOnError)
	poolID := fs.String("user-pool-id", "", "user pool id (required)")
	clientID := fs.String("client-id", "", "app client id (required)")
	merged := fs.Bool("return-merged-resources", false, "include the values left at Cognito's defaults, for a complete document")
	region := fs.String("region", "", "AWS Region (default: from the environment or AWS config)")
	endpoint := fs.String("endpoint", "", "custom Cognito endpoint URL, e.g. a local emulator")
	out := fs.String("out", "branding", "directory to write the branding folder to")
	name := fs.String("name", "style.json", "name of the branding file in -out")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	if *poolID == "" || *clientID == "" || fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "branding pull: -user-pool-id and -client-id are required, and nothing else\n%s", usage)
		return 2
	}

	// Refuse a bad -out before asking AWS for anything.
	if info, err := os.Stat(*out); err == nil && !info.IsDir() {
		fmt.Fprintf(c.stderr, "branding pull: -out %s is a file; want the directory to write %s and assets/ into, such as -out branding\n", *out, *name)
		return 2
	}
	if *name == "" || filepath.Base(*name) != *name {
		fmt.Fprintf(c.stderr, "branding pull: -name %q: want a file name without a directory, such as style.json (the directory is -out)\n", *name)
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	resp, err := c.describe(ctx, *poolID, *clientID, *region, *endpoint, *merged)
	if err != nil {
		return c.fail("%v", err)
	}
	style, err := styleFromAPI(resp)
	if err != nil {
		return c.fail("%v", err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return c.fail("-out %s: cannot create the directory: %v", *out, unwrapPath(err))
	}
	written, err := branding.Save(*out, *name, style)
	if err != nil {
		return c.fail("writing %s: %v", *out, err)
	}
	for _, f := range written {
		fmt.Fprintln(c.stdout, filepath.Join(*out, filepath.FromSlash(f)))
	}
	c.noteStale(*out, written)

	// Tell the user now, not at synth, if the deployed style breaks a rule of ours.
	if _, err := branding.Load(filepath.Join(*out, *name)); err != nil {
		fmt.Fprintf(c.stderr, "branding pull: the pulled style has problems:\n%v\n", err)
		return 1
	}
	return 0
}

// describe asks Cognito for the style of an app client, with the credential checks of awsauth
// first, so that a missing login is one clear line.
func (c *cli) describe(ctx context.Context, poolID, clientID, region, endpoint string, merged bool) (*types.ManagedLoginBrandingType, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	opts := append([]func(*config.LoadOptions) error{}, c.awsOptions...)
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	cfg, err := awsauth.Load(ctx, opts...)
	if err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		return nil, errors.New("no AWS Region: pass -region or set AWS_REGION")
	}
	if err := awsauth.Check(ctx, cfg); err != nil {
		return nil, err
	}
	client := cip.NewFromConfig(cfg, func(o *cip.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
	resp, err := client.DescribeManagedLoginBrandingByClient(ctx, &cip.DescribeManagedLoginBrandingByClientInput{
		UserPoolId:            aws.String(poolID),
		ClientId:              aws.String(clientID),
		ReturnMergedResources: merged,
	})
	if err != nil {
		return nil, err
	}
	return resp.ManagedLoginBranding, nil
}

// unwrapPath drops the operation and path of a file error when the message names the path.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (c *cli) fail(format string, args ...any) int {
	fmt.Fprintf(c.stderr, "branding pull: "+format+"\n", args...)
	return 1
}

// noteStale names files in the asset directory that the style no longer uses. They are left
// alone: they may be the user's own, and deleting is git's job.
func (c *cli) noteStale(dir string, written []string) {
	entries, err := os.ReadDir(filepath.Join(dir, branding.AssetDir))
	if err != nil {
		return
	}
	for _, e := range entries {
		rel := branding.AssetDir + "/" + e.Name()
		if !e.IsDir() && !slices.Contains(written, rel) {
			fmt.Fprintf(c.stderr, "note: %s is not part of the pulled style; delete it if nothing else uses it\n", filepath.Join(dir, rel))
		}
	}
}

// styleFromAPI turns the API's style into a branding.Style, keeping Settings numbers as sent.
func styleFromAPI(b *types.ManagedLoginBrandingType) (*branding.Style, error) {
	if b == nil {
		return nil, errors.New("the response holds no style")
	}
	if b.UseCognitoProvidedValues {
		// Cognito's defaults: nothing to keep, and Settings or Assets next to it are refused.
		return &branding.Style{UseCognitoProvidedValues: true}, nil
	}
	s := &branding.Style{Settings: map[string]any{}}
	if b.Settings != nil {
		raw, err := b.Settings.MarshalSmithyDocument()
		if err != nil {
			return nil, fmt.Errorf("reading Settings: %w", err)
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("reading Settings: %w", err)
		}
		if v != nil {
			m, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("settings is a %T, not a JSON object", v)
			}
			s.Settings = m
		}
	}
	for _, a := range b.Assets {
		s.Assets = append(s.Assets, branding.Asset{
			Category:   string(a.Category),
			ColorMode:  string(a.ColorMode),
			Extension:  string(a.Extension),
			Bytes:      base64.StdEncoding.EncodeToString(a.Bytes),
			ResourceId: aws.ToString(a.ResourceId),
		})
	}
	return s, nil
}
