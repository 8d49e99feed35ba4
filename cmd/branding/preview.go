package main

import (
	"bytes"
	"context"
	_ "embed"
	"flag"
	"fmt"
	"html/template"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/branding"
	"github.com/cognito-apigw/cognito-apigw/internal/cli"
)

//go:embed preview.html.tmpl
var previewTemplate string

var previewPage = template.Must(template.New("preview").Parse(previewTemplate))

func (a *app) preview(fs *flag.FlagSet) cli.Run {
	out := fs.String("out", "preview.html", "the HTML `file` to write")
	return func(_ context.Context, args []string) error {
		return a.writePreview(fileArg(args, "branding/style.json"), *out)
	}
}

// writePreview renders file's style into the page out.
func (a *app) writePreview(file, out string) error {
	s, err := branding.Load(file)
	if err != nil {
		return fmt.Errorf("%s has problems:\n%v", file, err)
	}
	var buf bytes.Buffer
	if err := previewPage.Execute(&buf, previewData(file, s)); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("-out %s: %v", out, unwrapPath(err))
	}
	fmt.Fprintln(a.stdout, out)
	return nil
}

// page is what the preview template shows.
type page struct {
	File       string
	SchemeMode string // categories.global.colorSchemeMode
	Defaults   bool   // UseCognitoProvidedValues
	Modes      []mode
	Groups     []group
	Assets     []assetView
}

// mode is a rough sketch of a form in one colour mode, from the style's effective values.
type mode struct {
	Name                                  string
	Page, Heading, Body                   string // CSS colours
	FormBg, FormBorder, FormRadius        string
	InputBg, InputBorder, InputRadius     string
	ButtonBg, ButtonText, ButtonRadius    string
	Secondary, SecondaryText, Link, Label string
	Logo                                  template.URL // "" when there is none or it is off
	IdPBg, IdPBorder, IdPText             string
	Providers                             []providerButton
}

// providerButton is an identity provider's sign-in button as the style draws it: its name
// (the icon's ResourceId) and its icon for the mode, when the style shows icons and has one.
type providerButton struct {
	Name string
	Icon template.URL
}

// group is one component's colours, light and dark side by side.
type group struct {
	Name        string
	Light, Dark []swatch
}

type swatch struct {
	Path    string // JSON path in the branding file
	Hex     string // RRGGBBAA
	Default bool   // Cognito's default: the file does not set it
}

type assetView struct {
	Category, ColorMode, Extension string
	ResourceId                     string
	Where                          string
	Switch                         string // the setting that shows it, with its value
	Src                            template.URL
}

func previewData(file string, s *branding.Style) page {
	eff := branding.DefaultSettings()
	set := map[string]bool{}
	if !s.UseCognitoProvidedValues {
		merge(eff, s.Settings, "Settings", set)
	}
	p := page{File: file, Defaults: s.UseCognitoProvidedValues, Groups: colourGroups(eff, set), Assets: assetViews(eff, s.Assets)}
	p.SchemeMode, _ = lookup(eff, "categories.global.colorSchemeMode").(string)
	providers := iconProviders(s.Assets)
	for _, m := range []struct{ name, key, asset string }{{"Light mode", "lightMode", "LIGHT"}, {"Dark mode", "darkMode", "DARK"}} {
		p.Modes = append(p.Modes, sketchMode(eff, s.Assets, providers, m.name, m.key, m.asset))
	}
	return p
}

// colourGroups are the effective settings' colours by component, light and dark side by
// side, sorted by component and JSON path; set marks those the file sets.
func colourGroups(eff map[string]any, set map[string]bool) []group {
	byName := map[string]*group{}
	var walk func(v any, path []string)
	walk = func(v any, path []string) {
		switch v := v.(type) {
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				walk(v[k], append(slices.Clip(path), k))
			}
		case string:
			if key := path[len(path)-1]; key == "color" || strings.HasSuffix(key, "Color") {
				addSwatch(byName, path, v, set)
			}
		}
	}
	walk(eff, nil)
	var groups []group
	for _, n := range slices.Sorted(maps.Keys(byName)) {
		groups = append(groups, *byName[n])
	}
	return groups
}

// addSwatch files the colour at path under its component, in the light list, the dark list,
// or both when the path names no mode.
func addSwatch(byName map[string]*group, path []string, hex string, set map[string]bool) {
	full := "Settings." + strings.Join(path, ".")
	sw := swatch{Path: full, Hex: hex, Default: !set[full]}
	name, m := strings.Join(path[:len(path)-1], "."), ""
	for i, seg := range path {
		if seg == "lightMode" || seg == "darkMode" {
			name, m = strings.Join(path[:i], "."), seg
			break
		}
	}
	g := byName[name]
	if g == nil {
		g = &group{Name: name}
		byName[name] = g
	}
	if m != "darkMode" {
		g.Light = append(g.Light, sw)
	}
	if m != "lightMode" {
		g.Dark = append(g.Dark, sw)
	}
}

// assetViews say of each asset where Cognito shows it and which setting switches it on.
func assetViews(eff map[string]any, assets []branding.Asset) []assetView {
	var views []assetView
	for _, a := range assets {
		where, sw := placement(a.Category)
		if sw != "" {
			sw = fmt.Sprintf("%s = %v", sw, lookupShow(eff, sw))
		}
		views = append(views, assetView{Category: a.Category, ColorMode: a.ColorMode, Extension: a.Extension, ResourceId: a.ResourceId,
			Where: where, Switch: sw, Src: dataURL(a)})
	}
	return views
}

// iconProviders are the providers with a button icon, each once: each gets its button in
// both modes.
func iconProviders(assets []branding.Asset) []string {
	var providers []string
	for _, a := range assets {
		if a.Category == branding.IdPButtonIcon && a.ResourceId != "" && !slices.Contains(providers, a.ResourceId) {
			providers = append(providers, a.ResourceId)
		}
	}
	return providers
}

// sketchMode is the form in one colour mode (key lightMode or darkMode, asset mode LIGHT or
// DARK), from the effective settings.
func sketchMode(eff map[string]any, assets []branding.Asset, providers []string, name, key, assetMode string) mode {
	c := func(path string) string {
		if v, ok := lookup(eff, strings.ReplaceAll(path, "MODE", key)).(string); ok && len(v) == 8 {
			return "#" + v
		}
		return "transparent"
	}
	px := func(path string) string {
		return fmt.Sprintf("%vpx", lookup(eff, path))
	}
	md := mode{Name: name,
		Page: c("components.pageBackground.MODE.color"), Heading: c("components.pageText.MODE.headingColor"), Body: c("components.pageText.MODE.bodyColor"),
		FormBg: c("components.form.MODE.backgroundColor"), FormBorder: c("components.form.MODE.borderColor"), FormRadius: px("components.form.borderRadius"),
		InputBg: c("componentClasses.input.MODE.defaults.backgroundColor"), InputBorder: c("componentClasses.input.MODE.defaults.borderColor"), InputRadius: px("componentClasses.input.borderRadius"),
		ButtonBg: c("components.primaryButton.MODE.defaults.backgroundColor"), ButtonText: c("components.primaryButton.MODE.defaults.textColor"), ButtonRadius: px("componentClasses.buttons.borderRadius"),
		Secondary: c("components.secondaryButton.MODE.defaults.borderColor"), SecondaryText: c("components.secondaryButton.MODE.defaults.textColor"),
		Link: c("componentClasses.link.MODE.defaults.textColor"), Label: c("componentClasses.inputLabel.MODE.textColor"),
		IdPBg: c("components.idpButton.standard.MODE.defaults.backgroundColor"), IdPBorder: c("components.idpButton.standard.MODE.defaults.borderColor"),
		IdPText: c("components.idpButton.standard.MODE.defaults.textColor"),
	}
	if on, _ := lookup(eff, "components.form.logo.enabled").(bool); on {
		for _, a := range assets {
			if a.Category == "FORM_LOGO" && (a.ColorMode == assetMode || a.ColorMode == "DYNAMIC") {
				md.Logo = dataURL(a)
			}
		}
	}
	icons, _ := lookup(eff, "componentClasses.idpButtons.icons.enabled").(bool)
	for _, name := range providers {
		b := providerButton{Name: name}
		if icons {
			b.Icon = providerIcon(assets, name, assetMode)
		}
		md.Providers = append(md.Providers, b)
	}
	return md
}

// providerIcon is the provider's button icon for a color mode: the one for that mode, else the
// browser-adaptive one, else none.
func providerIcon(assets []branding.Asset, provider, colorMode string) template.URL {
	var icon template.URL
	for _, a := range assets {
		if a.Category != branding.IdPButtonIcon || a.ResourceId != provider {
			continue
		}
		if a.ColorMode == colorMode {
			return dataURL(a)
		}
		if a.ColorMode == "DYNAMIC" {
			icon = dataURL(a)
		}
	}
	return icon
}

// merge lays the file's settings over Cognito's defaults (objects merge, anything else
// replaces, as Cognito applies them) and records the paths the file sets.
func merge(dst, src map[string]any, path string, set map[string]bool) {
	for k, v := range src {
		p := path + "." + k
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				merge(dm, sm, p, set)
				continue
			}
			dm := map[string]any{}
			dst[k] = dm
			merge(dm, sm, p, set)
			continue
		}
		dst[k] = v
		set[p] = true
	}
}

func lookup(m map[string]any, path string) any {
	var v any = m
	for _, k := range strings.Split(path, ".") {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

func lookupShow(m map[string]any, path string) any {
	if v := lookup(m, path); v != nil {
		return v
	}
	return "not set"
}

var mimeTypes = map[string]string{"ICO": "image/x-icon", "JPEG": "image/jpeg", "PNG": "image/png", "SVG": "image/svg+xml", "WEBP": "image/webp"}

// dataURL inlines an asset. Load has checked the extension and the base64, so the URL holds
// nothing but a known image type and base64 characters.
func dataURL(a branding.Asset) template.URL {
	return template.URL("data:" + mimeTypes[a.Extension] + ";base64," + a.Bytes)
}

// placement says where Cognito shows an asset and which setting turns it on.
func placement(category string) (where, setting string) {
	switch category {
	case "FAVICON_ICO":
		return "browser tab icon", ""
	case "FAVICON_SVG":
		return "browser tab icon (browsers that take SVG icons)", ""
	case "FORM_LOGO":
		return "logo in the sign-in form", "components.form.logo.enabled"
	case "FORM_BACKGROUND":
		return "behind the sign-in form", "components.form.backgroundImage.enabled"
	case "PAGE_BACKGROUND":
		return "page background", "components.pageBackground.image.enabled"
	case "PAGE_HEADER_LOGO":
		return "logo in the page header", "components.pageHeader.logo.enabled"
	case "PAGE_HEADER_BACKGROUND":
		return "page header background", "components.pageHeader.backgroundImage.enabled"
	case "PAGE_FOOTER_LOGO":
		return "logo in the page footer", "components.pageFooter.logo.enabled"
	case "PAGE_FOOTER_BACKGROUND":
		return "page footer background", "components.pageFooter.backgroundImage.enabled"
	case "IDP_BUTTON_ICON":
		return "icon on identity-provider buttons", "componentClasses.idpButtons.icons.enabled"
	case "EMAIL_GRAPHIC", "SMS_GRAPHIC", "AUTH_APP_GRAPHIC", "PASSWORD_GRAPHIC", "PASSKEY_GRAPHIC":
		kind := map[string]string{"EMAIL_GRAPHIC": "email code", "SMS_GRAPHIC": "SMS code", "AUTH_APP_GRAPHIC": "authenticator app",
			"PASSWORD_GRAPHIC": "password", "PASSKEY_GRAPHIC": "passkey"}[category]
		return "graphic on the " + kind + " page", "categories.form.displayGraphics"
	}
	return "", ""
}
