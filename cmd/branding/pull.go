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
	"path/filepath"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-apigw/cognito-apigw/branding"
	"github.com/cognito-apigw/cognito-apigw/internal/awsauth"
	"github.com/cognito-apigw/cognito-apigw/internal/cli"
)

// pullOptions are pull's flags.
type pullOptions struct {
	poolID, clientID, region, endpoint string
	merged                             bool
	dir, name                          string
}

func (a *app) pull(fs *flag.FlagSet) cli.Run {
	var o pullOptions
	fs.StringVar(&o.poolID, "user-pool-id", "", "user pool `id` (required)")
	fs.StringVar(&o.clientID, "client-id", "", "app client `id` (required)")
	fs.BoolVar(&o.merged, "return-merged-resources", false, "include the values left at Cognito's defaults, for a complete document")
	fs.StringVar(&o.region, "region", "", "AWS `Region` (default: the AWS configuration)")
	fs.StringVar(&o.endpoint, "endpoint", "", "custom Cognito endpoint `URL`, e.g. a local emulator")
	fs.StringVar(&o.dir, "dir", "branding", "`folder` to write the branding file and its assets/ into")
	fs.StringVar(&o.name, "name", "style.json", "`name` of the branding file in -dir")
	cli.Renamed(fs, "out", "dir") // -out names a file everywhere else
	return func(ctx context.Context, _ []string) error {
		if err := o.check(); err != nil {
			return err
		}
		return a.pullStyle(ctx, o)
	}
}

// check refuses bad flags before asking AWS for anything.
func (o pullOptions) check() error {
	if o.poolID == "" || o.clientID == "" {
		return cli.Usagef("-user-pool-id and -client-id are required")
	}
	if info, err := os.Stat(o.dir); err == nil && !info.IsDir() {
		return cli.Usagef("-dir %s is a file; want the folder to write %s and assets/ into, such as -dir branding", o.dir, o.name)
	}
	if o.name == "" || filepath.Base(o.name) != o.name {
		return cli.Usagef("-name %q: want a file name without a folder, such as style.json (the folder is -dir)", o.name)
	}
	return nil
}

// pullStyle fetches the style, writes it, and checks what it wrote.
func (a *app) pullStyle(ctx context.Context, o pullOptions) error {
	resp, err := a.describe(ctx, o.poolID, o.clientID, o.region, o.endpoint, o.merged)
	if err != nil {
		return err
	}
	style, err := styleFromAPI(resp)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return fmt.Errorf("-dir %s: cannot create the folder: %v", o.dir, unwrapPath(err))
	}
	written, err := branding.Save(o.dir, o.name, style)
	if err != nil {
		return fmt.Errorf("writing %s: %v", o.dir, err)
	}
	for _, f := range written {
		fmt.Fprintln(a.stdout, filepath.Join(o.dir, filepath.FromSlash(f)))
	}
	a.noteStale(o.dir, written)

	// Tell the user now, not at synth, if the deployed style breaks a rule of ours.
	if _, err := branding.Load(filepath.Join(o.dir, o.name)); err != nil {
		return fmt.Errorf("the pulled style has problems:\n%v", err)
	}
	return nil
}

// describe asks Cognito for the style of an app client, with the credential checks of awsauth
// first, so that a missing login is one clear line.
func (a *app) describe(ctx context.Context, poolID, clientID, region, endpoint string, merged bool) (*types.ManagedLoginBrandingType, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	opts := append([]func(*config.LoadOptions) error{}, a.awsOptions...)
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

// noteStale names files in the asset directory that the style no longer uses. They are left
// alone: they may be the user's own, and deleting is git's job.
func (a *app) noteStale(dir string, written []string) {
	entries, err := os.ReadDir(filepath.Join(dir, branding.AssetDir))
	if err != nil {
		return
	}
	for _, e := range entries {
		rel := branding.AssetDir + "/" + e.Name()
		if !e.IsDir() && !slices.Contains(written, rel) {
			fmt.Fprintf(a.stderr, "note: %s is not part of the pulled style; delete it if nothing else uses it\n", filepath.Join(dir, rel))
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
