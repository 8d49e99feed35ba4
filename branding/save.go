package branding

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// AssetDir is where Save puts asset files, relative to the branding file.
const AssetDir = "assets"

// Save writes s as a branding folder: dir/name (e.g. "style.json") and each asset as a file
// under dir/assets/ that the JSON references by File. Keys are sorted, indentation is two
// spaces, assets are ordered by category, ResourceId and color mode and named after them, so
// saving an unchanged style again gives byte-identical files and no diff. Files whose content
// is already right are not rewritten. It returns the paths written or kept, relative to dir, JSON first.
func Save(dir, name string, s *Style) ([]string, error) {
	type fileAsset struct {
		Category   string
		ColorMode  string
		File       string
		ResourceId string `json:",omitempty"`
	}
	var doc struct {
		UseCognitoProvidedValues bool        `json:",omitempty"`
		Settings                 any         `json:",omitempty"`
		Assets                   []fileAsset `json:",omitempty"`
	}
	doc.UseCognitoProvidedValues = s.UseCognitoProvidedValues
	if s.Settings != nil {
		doc.Settings = s.Settings
	}

	assets := slices.Clone(s.Assets)
	slices.SortStableFunc(assets, func(a, b Asset) int {
		return cmp.Or(cmp.Compare(rank(categories, a.Category), rank(categories, b.Category)),
			cmp.Compare(a.ResourceId, b.ResourceId),
			cmp.Compare(rank(colorModes, a.ColorMode), rank(colorModes, b.ColorMode)))
	})
	files := map[string][]byte{}
	var names []string
	for _, a := range assets {
		data, err := base64.StdEncoding.DecodeString(a.Bytes)
		if err != nil {
			return nil, fmt.Errorf("asset %s %s: %w", a.Category, a.ColorMode, err)
		}
		base := a.Category + "-"
		if a.Category == IdPButtonIcon && a.ResourceId != "" { // one per provider
			base += a.ResourceId + "-"
		}
		// Only letters, digits and '-' in a file name: a ResourceId from the API is not checked yet.
		base = strings.Map(func(r rune) rune {
			if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
				return r
			}
			return '-'
		}, strings.ToLower(base+a.ColorMode))
		file := AssetDir + "/" + base + fileSuffix(a.Extension)
		for n := 2; files[file] != nil; n++ {
			file = fmt.Sprintf("%s/%s-%d%s", AssetDir, base, n, fileSuffix(a.Extension))
		}
		files[file] = data
		names = append(names, file)
		doc.Assets = append(doc.Assets, fileAsset{Category: a.Category, ColorMode: a.ColorMode, File: file, ResourceId: a.ResourceId})
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	written := []string{name}
	if err := writeIfChanged(filepath.Join(dir, name), buf.Bytes()); err != nil {
		return nil, err
	}
	if len(names) > 0 {
		if err := os.MkdirAll(filepath.Join(dir, AssetDir), 0o755); err != nil {
			return nil, err
		}
	}
	for _, file := range names {
		if err := writeIfChanged(filepath.Join(dir, filepath.FromSlash(file)), files[file]); err != nil {
			return nil, err
		}
		written = append(written, file)
	}
	return written, nil
}

func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	return os.WriteFile(path, data, 0o644)
}
