package branding

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/problem"
)

// Style is what a CfnManagedLoginBranding needs besides the user pool and app client ids.
type Style struct {
	// UseCognitoProvidedValues asks for Cognito's default style; Settings and Assets are then empty.
	UseCognitoProvidedValues bool
	// Settings is the style document as written in the file. Numbers are json.Number so that
	// nothing is rewritten (8.0 stays 8.0); encoding/json, and so jsii, emits them as numbers.
	// Nil when UseCognitoProvidedValues.
	Settings map[string]any
	// Assets are the images, in file order, with their bytes inline.
	Assets []Asset
	// Warnings are settings Cognito takes but probably not as meant: keys below the top level
	// that are not in Cognito's default style (typos, most likely) and values of another type
	// than the default's. Load fills it; nothing else reads it.
	Warnings problem.List
}

// Asset is one image of a style, shaped like CloudFormation's AssetType.
type Asset struct {
	Category   string // e.g. FORM_LOGO
	ColorMode  string // LIGHT, DARK or DYNAMIC
	Extension  string // ICO, JPEG, PNG, SVG or WEBP
	Bytes      string // the image, base64 (standard alphabet, padded)
	ResourceId string // optional; "" when not set. An IDP_BUTTON_ICON names its provider here.
}

// IdPButtonIcon is the category of an identity provider's button icon on the sign-in page.
// Its ResourceId is the provider's name: AWS's API reference says only "the ID of the asset",
// and public configurations that show such icons set it so.
const IdPButtonIcon = "IDP_BUTTON_ICON"

// assetKey is what names an asset in a style: its category and color mode and, for a
// provider's button icon, the provider (ResourceId).
type assetKey struct{ category, colorMode, provider string }

func keyOf(a Asset) assetKey {
	k := assetKey{category: a.Category, colorMode: a.ColorMode}
	if a.Category == IdPButtonIcon {
		k.provider = a.ResourceId
	}
	return k
}

// ForProviders is the style as a stage with these identity providers deploys it: a button
// icon only for one of them, so that one branding file serves stages with different
// providers. It also returns the indexes in s.Assets of the icons it left out.
func (s *Style) ForProviders(names []string) (*Style, []int) {
	kept := *s
	kept.Assets = nil
	var left []int
	for i, a := range s.Assets {
		if a.Category == IdPButtonIcon && !slices.Contains(names, a.ResourceId) {
			left = append(left, i)
			continue
		}
		kept.Assets = append(kept.Assets, a)
	}
	return &kept, left
}

// Size limits. The API and CloudFormation each cap the style; the template cap is the one that
// binds, because the branding travels inside the auth stack's template.
const (
	// MaxAssets is Cognito's limit on assets per style.
	MaxAssets = 40
	// MaxAssetBase64 is the longest base64 Bytes Cognito takes (750,000 bytes of image).
	MaxAssetBase64 = 1_000_000
	// MaxRequestBytes is Cognito's 2 MB request limit for Create/UpdateManagedLoginBranding,
	// counted in decimal megabytes to stay on the safe side.
	MaxRequestBytes = 2_000_000
	// TemplateBudget is the share of CloudFormation's 1 MB (1,048,576 bytes) template limit that
	// the style may take, measured by EncodedSize. It leaves about 250 KB for the rest of the auth
	// stack (user pool, client, domain, CDK metadata) and for the 1-space indentation that cdk
	// writes into the template, which EncodedSize does not count.
	TemplateBudget = 800_000
)

// requestOverhead covers what a Create/UpdateManagedLoginBranding request adds to the style:
// the user pool id (at most 55 characters), the client id (at most 128) and their keys.
const requestOverhead = 512

// EncodedSize is the length of the style as compact JSON, the way it appears in a CloudFormation
// template's resource properties (without the pool and client references). Compare it with
// TemplateBudget, or with what else the stack holds.
func (s *Style) EncodedSize() int {
	b, err := json.Marshal(wireStyle(s))
	if err != nil {
		// Only values that did not come from JSON can fail; count them as too big to miss.
		return MaxRequestBytes + 1
	}
	return len(b)
}

type wireAsset struct {
	Category   string
	ColorMode  string
	Extension  string
	Bytes      string
	ResourceId string `json:",omitempty"`
}

type wire struct {
	UseCognitoProvidedValues bool        `json:",omitempty"`
	Settings                 any         `json:",omitempty"`
	Assets                   []wireAsset `json:",omitempty"`
}

func wireStyle(s *Style) wire {
	w := wire{UseCognitoProvidedValues: s.UseCognitoProvidedValues}
	if s.Settings != nil {
		w.Settings = s.Settings
	}
	for _, a := range s.Assets {
		w.Assets = append(w.Assets, wireAsset(a))
	}
	return w
}

// The enums of CloudFormation's AWS::Cognito::ManagedLoginBranding, in its order.
var (
	categories = []string{
		"FAVICON_ICO", "FAVICON_SVG", "EMAIL_GRAPHIC", "SMS_GRAPHIC", "AUTH_APP_GRAPHIC",
		"PASSWORD_GRAPHIC", "PASSKEY_GRAPHIC", "PAGE_HEADER_LOGO", "PAGE_HEADER_BACKGROUND",
		"PAGE_FOOTER_LOGO", "PAGE_FOOTER_BACKGROUND", "PAGE_BACKGROUND", "FORM_BACKGROUND",
		"FORM_LOGO", "IDP_BUTTON_ICON",
	}
	colorModes = []string{"LIGHT", "DARK", "DYNAMIC"}
	extensions = []string{"ICO", "JPEG", "PNG", "SVG", "WEBP"}
)

// allowedExtensions says which file types Cognito takes for a category. WEBP is in the enum but
// no category takes it.
func allowedExtensions(category string) []string {
	switch category {
	case "FAVICON_ICO":
		return []string{"ICO"}
	case "FAVICON_SVG":
		return []string{"SVG"}
	case IdPButtonIcon:
		return []string{"ICO", "SVG"}
	}
	return []string{"PNG", "SVG", "JPEG"}
}

// fileExtensions maps a lower-case file name extension to Cognito's Extension.
var fileExtensions = map[string]string{
	".ico": "ICO", ".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".svg": "SVG", ".webp": "WEBP",
}

// fileSuffix is the file name extension pull writes for an Extension.
func fileSuffix(ext string) string {
	if ext == "JPEG" {
		return ".jpg"
	}
	return "." + strings.ToLower(ext)
}

func rank(list []string, v string) int {
	if i := slices.Index(list, v); i >= 0 {
		return i
	}
	return len(list)
}
