package branding

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/problem"
)

// DiffKind says how a deployed style and a branding file differ at one path.
type DiffKind int

const (
	// Changed: both have the path, with different values.
	Changed DiffKind = iota
	// LeftBehind: deployed, not in the file, and not Cognito's default value. Cognito applies
	// updates as a patch, so a key or asset removed from the file stays deployed.
	LeftBehind
	// NotDeployed: in the file, not deployed (the file has not been deployed yet, or Cognito
	// dropped a key it does not know).
	NotDeployed
)

// Difference is one path where the deployed style and the file disagree.
type Difference struct {
	Kind     DiffKind
	Path     string // JSON path, e.g. Settings.components.form.borderRadius or Assets[FORM_LOGO,DARK]
	Deployed string // the deployed value as JSON (abbreviated), or an asset's type and hash; "" if absent
	File     string // the same for the file
	// Unknown is set for a NotDeployed key that is not in Cognito's default style either: Cognito
	// most likely ignored it.
	Unknown bool
}

// Diff compares the style deployed for an app client with the style of a branding file.
// deployed should come from DescribeManagedLoginBrandingByClient with ReturnMergedResources, so
// that keys the file leaves out hold Cognito's defaults: those are not differences. Settings are
// compared by JSON path (numbers by value, colours ignoring case, arrays as a whole), assets by
// Category and ColorMode (and, for button icons, ResourceId), their contents by SHA-256.
func Diff(deployed, file *Style) []Difference {
	var out []Difference
	switch {
	case deployed.UseCognitoProvidedValues != file.UseCognitoProvidedValues:
		out = append(out, Difference{Kind: Changed, Path: "UseCognitoProvidedValues",
			Deployed: strconv.FormatBool(deployed.UseCognitoProvidedValues), File: strconv.FormatBool(file.UseCognitoProvidedValues)})
	case !file.UseCognitoProvidedValues:
		out = diffSettings(out, "Settings", deployed.Settings, file.Settings, defaultSettings())
	}
	return append(out, diffAssets(deployed.Assets, file.Assets)...)
}

func diffSettings(out []Difference, path string, dep, file, def any) []Difference {
	dm, dIsMap := dep.(map[string]any)
	fm, fIsMap := file.(map[string]any)
	if !dIsMap || !fIsMap {
		if !sameValue(dep, file) {
			out = append(out, Difference{Kind: Changed, Path: path, Deployed: problem.Show(dep), File: problem.Show(file)})
		}
		return out
	}
	defMap, _ := def.(map[string]any)
	keys := sortedKeys(dm)
	for _, k := range sortedKeys(fm) {
		if _, ok := dm[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		p := joinKey(path, k)
		d, inDep := dm[k]
		f, inFile := fm[k]
		dk, known := defMap[k]
		switch {
		case inDep && inFile:
			out = diffSettings(out, p, d, f, dk)
		case inFile:
			// An empty default object ({} for idpButton.custom) takes keys of the user's choosing.
			out = append(out, Difference{Kind: NotDeployed, Path: p, File: problem.Show(f), Unknown: !known && len(defMap) > 0})
		case known:
			out = leftBehind(out, p, d, dk)
		default:
			out = append(out, Difference{Kind: LeftBehind, Path: p, Deployed: problem.Show(d)})
		}
	}
	return out
}

// leftBehind reports what a deployed value the file does not mention holds besides Cognito's
// default, leaf by leaf.
func leftBehind(out []Difference, path string, dep, def any) []Difference {
	dm, dIsMap := dep.(map[string]any)
	defMap, defIsMap := def.(map[string]any)
	if !dIsMap || !defIsMap {
		if !sameValue(dep, def) {
			out = append(out, Difference{Kind: LeftBehind, Path: path, Deployed: problem.Show(dep)})
		}
		return out
	}
	for _, k := range sortedKeys(dm) {
		if dk, ok := defMap[k]; ok {
			out = leftBehind(out, joinKey(path, k), dm[k], dk)
		} else {
			out = append(out, Difference{Kind: LeftBehind, Path: joinKey(path, k), Deployed: problem.Show(dm[k])})
		}
	}
	return out
}

// sameValue compares JSON values as Cognito means them: 8 and 8.0 are one number, "AAAAAAAA"
// and "aaaaaaaa" one colour.
func sameValue(a, b any) bool {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, v := range a {
			if w, ok := bm[k]; !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	case []any:
		ba, ok := b.([]any)
		return ok && slices.EqualFunc(a, ba, sameValue)
	case string:
		bs, ok := b.(string)
		if ok && colorPattern.MatchString(a) && colorPattern.MatchString(bs) {
			return strings.EqualFold(a, bs)
		}
		return ok && a == bs
	case json.Number:
		bn, ok := b.(json.Number)
		if !ok {
			return false
		}
		x, err1 := a.Float64()
		y, err2 := bn.Float64()
		return err1 == nil && err2 == nil && x == y
	}
	return a == b
}

func (k assetKey) path() string {
	if k.provider != "" {
		return fmt.Sprintf("Assets[%s,%s,%s]", k.category, k.colorMode, k.provider)
	}
	return fmt.Sprintf("Assets[%s,%s]", k.category, k.colorMode)
}

func diffAssets(deployed, file []Asset) []Difference {
	index := func(list []Asset) map[assetKey]Asset {
		m := map[assetKey]Asset{}
		for _, a := range list {
			m[keyOf(a)] = a
		}
		return m
	}
	dm, fm := index(deployed), index(file)
	var keys []assetKey
	for k := range dm {
		keys = append(keys, k)
	}
	for k := range fm {
		if _, ok := dm[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b assetKey) int {
		// Known categories in Cognito's order; unknown ones (Cognito adds some) by name.
		return cmp.Or(cmp.Compare(rank(categories, a.category), rank(categories, b.category)),
			cmp.Compare(a.provider, b.provider),
			cmp.Compare(rank(colorModes, a.colorMode), rank(colorModes, b.colorMode)),
			cmp.Compare(a.category, b.category), cmp.Compare(a.colorMode, b.colorMode))
	})
	var out []Difference
	for _, k := range keys {
		path := k.path()
		d, inDep := dm[k]
		f, inFile := fm[k]
		switch {
		case inDep && inFile:
			if ds, fs := assetSummary(d), assetSummary(f); ds != fs {
				out = append(out, Difference{Kind: Changed, Path: path, Deployed: ds, File: fs})
			}
		case inDep:
			out = append(out, Difference{Kind: LeftBehind, Path: path, Deployed: assetSummary(d)})
		default:
			out = append(out, Difference{Kind: NotDeployed, Path: path, File: assetSummary(f)})
		}
	}
	return out
}

// assetSummary names an asset's type and content: "SVG, 1234 bytes, sha256 0123456789ab".
func assetSummary(a Asset) string {
	b, err := base64.StdEncoding.DecodeString(a.Bytes)
	if err != nil {
		return a.Extension + ", not valid base64"
	}
	sum := sha256.Sum256(b)
	return fmt.Sprintf("%s, %d bytes, sha256 %s", a.Extension, len(b), hex.EncodeToString(sum[:])[:16])
}

// String renders the difference as one line.
func (d Difference) String() string {
	switch d.Kind {
	case LeftBehind:
		return fmt.Sprintf("%s: deployed %s; not in the file: left behind, because Cognito applies updates as a patch", d.Path, d.Deployed)
	case NotDeployed:
		why := "deploy the file"
		if d.Unknown {
			why = "Cognito does not know the key and ignored it (see branding check's warnings)"
		}
		return fmt.Sprintf("%s: file %s; not deployed: %s", d.Path, d.File, why)
	}
	return fmt.Sprintf("%s: deployed %s, file %s", d.Path, d.Deployed, d.File)
}
