// Command apidoc describes a stage's API from its route table, for Swagger UI, Postman,
// Insomnia or Bruno: an OpenAPI 3.1 document or a Postman collection v2.1, with the stage's
// API URL, login endpoints and client id from its outputs file (cdk-outputs.json of a deploy,
// or local-outputs.json of `authctl setup-local`).
//
//	apidoc -outputs FILE [-stage NAME] [-cdk-json cdk.json] [-format openapi|postman] [-redirect-uri URL] -out FILE
//
// -outputs defaults to cdk-outputs.json. Bad usage exits 2, a failure 1 (internal/cli).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/apidoc"
	"github.com/cognito-apigw/cognito-apigw/internal/cli"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/loginurls"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
)

func main() {
	cli.Main(func(_ context.Context, args []string) int { return run(args, os.Stdout, os.Stderr) })
}

func run(args []string, stdout, stderr io.Writer) int {
	var o options
	p := &cli.Program{Name: "apidoc", Stdout: stdout, Stderr: stderr, Commands: []cli.Command{{
		Summary: "Writes an OpenAPI 3.1 document or a Postman collection v2.1 of the stage's routes.",
		Usage:   "-outputs FILE [-stage NAME] [-format openapi|postman] [-redirect-uri URL] -out FILE",
		Flags: func(fs *flag.FlagSet) cli.Run {
			o.declare(fs)
			return func(context.Context, []string) error { return generate(o, stdout, stderr) }
		},
	}}}
	return p.Run(context.Background(), args)
}

type options struct {
	cli.Project
	format, out, redirectURI string
}

func (o *options) declare(fs *flag.FlagSet) {
	o.Project.Declare(fs)
	fs.StringVar(&o.format, "format", "openapi", "`format`: openapi or postman")
	fs.StringVar(&o.out, "out", "", "`file` to write (- for standard output)")
	fs.StringVar(&o.redirectURI, "redirect-uri", "", "callback `URL` Postman signs in with; one of the stage's callbackUrls (default: "+apidoc.PostmanCallback+" if registered, else the first)")
}

func generate(o options, stdout, stderr io.Writer) error {
	if o.format != "openapi" && o.format != "postman" {
		return cli.Usagef("-format %q: want openapi or postman", o.format)
	}
	if o.out == "" {
		return cli.Usagef("-out is required: the file to write, or - for standard output")
	}
	cfg, err := o.Config()
	if err != nil {
		return err
	}
	out, err := o.RequireOutputs(cfg)
	if err != nil {
		return err
	}
	s, err := settings(cfg, out, o)
	if err != nil {
		return err
	}
	build := apidoc.OpenAPI
	if o.format == "postman" {
		build = apidoc.Postman
	}
	doc, err := build(cfg.Routes, s)
	if err != nil {
		return err
	}
	if s.APIURL == "" {
		fmt.Fprintf(stderr, "apidoc: note: the outputs file %s has no %s (the API stack's outputs); the document's server URL is relative\n", o.Outputs, names.OutAPIURL)
	}
	if o.out == "-" {
		_, err = stdout.Write(doc)
		return err
	}
	return os.WriteFile(o.out, doc, 0o644)
}

// settings gathers the stage's URLs, client and scopes from its configuration and outputs.
func settings(cfg config.Config, out outputs.Stage, o options) (apidoc.Settings, error) {
	missing := func(output string) error {
		return cli.Usagef("-outputs %s: no %s output for stage %s; want the outputs of `npx cdk deploy --all --outputs-file %s` or of `authctl setup-local`", o.Outputs, output, cfg.StageName, o.Outputs)
	}
	if out.IssuerURL == "" {
		return apidoc.Settings{}, missing(names.OutIssuerURL)
	}
	if out.ClientID == "" {
		return apidoc.Settings{}, missing(names.OutClientID)
	}
	login, err := loginurls.FromOutputs(out, out.IssuerURL)
	if err != nil {
		return apidoc.Settings{}, cli.Usagef("-outputs %s: %v", o.Outputs, err)
	}
	machine, err := fnenv.ParseMachineClients(out.MachineClients)
	if err != nil {
		return apidoc.Settings{}, cli.Usagef("-outputs %s: %s output: %v", o.Outputs, names.OutMachineClients, err)
	}
	redirect := o.redirectURI
	switch {
	case redirect != "" && !slices.Contains(cfg.CallbackURLs, redirect):
		return apidoc.Settings{}, cli.Usagef("-redirect-uri %q: want one of stage %s's callbackUrls: %s", redirect, cfg.StageName, strings.Join(cfg.CallbackURLs, ", "))
	case redirect != "":
	case slices.Contains(cfg.CallbackURLs, apidoc.PostmanCallback):
		redirect = apidoc.PostmanCallback
	case len(cfg.CallbackURLs) > 0:
		redirect = cfg.CallbackURLs[0]
	}
	scopes := map[string]string{}
	for _, sc := range cfg.ResourceServer.Scopes {
		scopes[cfg.ResourceServer.Identifier+"/"+sc.Name] = sc.Description
	}
	apiURL := out.APIURL
	if apiURL == "" && login.Local {
		apiURL = "http://127.0.0.1:8080" // cmd/local's default address
	}
	return apidoc.Settings{
		Title:               cfg.AppName + " " + cfg.StageName,
		APIURL:              apiURL,
		Issuer:              login.Issuer,
		AuthorizeURL:        login.Authorize,
		TokenURL:            login.Token,
		Scopes:              scopes,
		ClientID:            out.ClientID,
		ClientScopes:        cfg.AppClientScopes(),
		MachineClientIDs:    machine,
		MachineClientScopes: machineClientScopes(cfg),
		RedirectURI:         redirect,
		Local:               login.Local,
		Preflight:           len(cfg.CORS.AllowOrigins) > 0,
	}, nil
}

// machineClientScopes are the scopes each of the stage's machine clients holds, by name.
func machineClientScopes(cfg config.Config) map[string][]string {
	held := map[string][]string{}
	for _, m := range cfg.MachineClients {
		held[m.Name] = m.Scopes
	}
	return held
}
