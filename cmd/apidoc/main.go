// Command apidoc describes a stage's API from its route table, for Swagger UI, Postman,
// Insomnia or Bruno: an OpenAPI 3.1 document or a Postman collection v2.1, with the stage's
// API URL, login endpoints and client id from its outputs file (cdk-outputs.json of a deploy,
// or local-outputs.json of `authctl setup-local`).
//
//	apidoc -outputs FILE [-stage NAME] [-cdk-json cdk.json] [-format openapi|postman] [-redirect-uri URL] -out FILE
//
// Bad usage exits 2, a failure 1.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/apidoc"
	"github.com/cognito-apigw/cognito-apigw/internal/cdkjson"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/loginurls"
	"github.com/cognito-apigw/cognito-apigw/internal/names"
	"github.com/cognito-apigw/cognito-apigw/internal/outputs"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage marks errors that exit 2.
var errUsage = errors.New("usage")

func usageErr(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, a...)...)
}

var errFlagParse = errors.New("bad flags")

func run(args []string, stdout, stderr io.Writer) (code int) {
	// A bug must not greet the user with a Go stack trace.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "apidoc: internal error: %v\n", r)
			code = 1
		}
	}()
	err := generate(args, stdout, stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errFlagParse):
		return 2 // the flag package has said why
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "apidoc: %s\nRun \"apidoc -h\" for its flags.\n", strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
		return 2
	}
	fmt.Fprintf(stderr, "apidoc: %v\n", err)
	return 1
}

type options struct {
	outputsFile, stage, cdkJSON, format, out, redirectURI string
}

func generate(args []string, stdout, stderr io.Writer) error {
	var o options
	fs := flag.NewFlagSet("apidoc", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: apidoc -outputs FILE [-stage NAME] [-format openapi|postman] -out FILE\n\n"+
			"Writes an OpenAPI 3.1 document or a Postman collection v2.1 of the stage's routes.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&o.outputsFile, "outputs", outputs.DefaultFile, "outputs `file` of `cdk deploy --outputs-file`, or local-outputs.json of authctl setup-local")
	fs.StringVar(&o.stage, "stage", config.DefaultStage, "`stage` in cdk.json")
	fs.StringVar(&o.cdkJSON, "cdk-json", cdkjson.DefaultPath, "project settings `file`")
	fs.StringVar(&o.format, "format", "openapi", "`format`: openapi or postman")
	fs.StringVar(&o.out, "out", "", "`file` to write (- for standard output)")
	fs.StringVar(&o.redirectURI, "redirect-uri", "", "callback `URL` Postman signs in with; one of the stage's callbackUrls (default: "+apidoc.PostmanCallback+" if registered, else the first)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errFlagParse
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	if o.format != "openapi" && o.format != "postman" {
		return usageErr("-format %q: want openapi or postman", o.format)
	}
	if o.out == "" {
		return usageErr("-out is required: the file to write, or - for standard output")
	}
	cfg, err := cdkjson.Load(o.cdkJSON, o.stage)
	if err != nil {
		return usageErr("-cdk-json %s: %v", o.cdkJSON, err)
	}
	out, err := outputs.Read(o.outputsFile, cfg.AppName, cfg.StageName)
	if err != nil {
		return usageErr("-outputs %s: %v", o.outputsFile, err)
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
		fmt.Fprintf(stderr, "apidoc: note: the outputs file %s has no %s (the API stack's outputs); the document's server URL is relative\n", o.outputsFile, names.OutAPIURL)
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
		return usageErr("-outputs %s: no %s output for stage %s; want the outputs of `npx cdk deploy --all --outputs-file %s` or of `authctl setup-local`", o.outputsFile, output, cfg.StageName, o.outputsFile)
	}
	if out.IssuerURL == "" {
		return apidoc.Settings{}, missing(names.OutIssuerURL)
	}
	if out.ClientID == "" {
		return apidoc.Settings{}, missing(names.OutClientID)
	}
	login, err := loginurls.FromOutputs(out, out.IssuerURL)
	if err != nil {
		return apidoc.Settings{}, usageErr("-outputs %s: %v", o.outputsFile, err)
	}
	machine, err := routes.ParseMachineClients(out.MachineClients)
	if err != nil {
		return apidoc.Settings{}, usageErr("-outputs %s: %s output: %v", o.outputsFile, names.OutMachineClients, err)
	}
	redirect := o.redirectURI
	switch {
	case redirect != "" && !slices.Contains(cfg.CallbackURLs, redirect):
		return apidoc.Settings{}, usageErr("-redirect-uri %q: want one of stage %s's callbackUrls: %s", redirect, cfg.StageName, strings.Join(cfg.CallbackURLs, ", "))
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
