package branding

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

var resourceIDPattern = regexp.MustCompile(`^[\w\- ]+$`)

// assetKeys are the keys of an asset: CloudFormation's AssetType plus File, our way of keeping
// images as reviewable files in git.
var assetKeys = []string{"Category", "ColorMode", "Extension", "Bytes", "File", "ResourceId"}

func (l *loader) assets(v any, path string) []Asset {
	if v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		l.add(path, showValue(v), "must be a JSON array of assets")
		return nil
	}
	if len(list) > MaxAssets {
		l.add(path, "", "has %d assets; Cognito takes at most %d", len(list), MaxAssets)
	}
	var out []Asset
	first := map[assetKey]string{} // path of the first asset with each key
	for i, e := range list {
		p := fmt.Sprintf("%s[%d]", path, i)
		a, ok := l.asset(e, p)
		if !ok {
			continue
		}
		out = append(out, a)
		if a.Category == "" || a.ColorMode == "" {
			continue
		}
		key := keyOf(a)
		prev, dup := first[key]
		switch {
		case !dup:
			first[key] = p
		case key.provider != "":
			l.add(p, "", "a second %s asset for color mode %s and ResourceId %q (first at %s); each category, color mode and ResourceId may appear once", a.Category, a.ColorMode, a.ResourceId, prev)
		default:
			l.add(p, "", "a second %s asset for color mode %s (first at %s); each category and color mode pair may appear once", a.Category, a.ColorMode, prev)
		}
	}
	return out
}

// asset validates one asset and returns it with its bytes inline. Category and ColorMode are ""
// when invalid, so that one bad value does not also raise a duplicate.
func (l *loader) asset(v any, path string) (Asset, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		l.add(path, showValue(v), "an asset must be a JSON object")
		return Asset{}, false
	}
	for _, k := range sortedKeys(m) {
		if !slices.Contains(assetKeys, k) {
			l.add(joinKey(path, k), "", "unknown asset key (keys are case-sensitive); allowed: %s", strings.Join(assetKeys, ", "))
		}
	}
	var a Asset
	a.Category = l.enum(m, path, "Category", "category", categories)
	a.ColorMode = l.enum(m, path, "ColorMode", "color mode", colorModes)

	extField, hasExt := l.str(m, path, "Extension")
	if hasExt && !slices.Contains(extensions, extField) {
		hint := ""
		if strings.EqualFold(extField, "JPG") {
			hint = " (Cognito calls JPG files JPEG)"
		}
		l.add(path+".Extension", showValue(extField), "unknown extension%s; allowed: %s", hint, strings.Join(extensions, ", "))
		hasExt = false
	}

	b64, hasBytes := l.str(m, path, "Bytes")
	file, hasFile := l.str(m, path, "File")
	_, bytesKey := m["Bytes"]
	_, fileKey := m["File"]
	var data []byte
	switch {
	case bytesKey && fileKey:
		l.add(path, "", "set either Bytes (base64) or File, not both")
	case hasBytes:
		data, a.Bytes = l.inline(b64, path+".Bytes")
	case hasFile:
		data = l.readAsset(file, path+".File")
		if data != nil {
			a.Bytes = base64.StdEncoding.EncodeToString(data)
		}
	case !bytesKey && !fileKey:
		l.add(path, "", "needs Bytes (the image in base64) or File (its path relative to the branding file)")
	}

	// The extension comes from the Extension field, else from the file name; both must agree.
	a.Extension = extField
	extPath, extValue := path+".Extension", showValue(extField)
	if hasFile && file != "" {
		fromName, known := fileExtensions[strings.ToLower(filepath.Ext(file))]
		switch {
		case !known:
			l.add(path+".File", showValue(file), "the file name must end in .ico, .jpg, .jpeg, .png, .svg or .webp")
		case hasExt && extField != fromName:
			l.add(extPath, extValue, "does not match the file name %q, which means %s", file, fromName)
			hasExt = false
		case !hasExt:
			a.Extension, hasExt = fromName, true
			extPath, extValue = path+".File", showValue(file)
		}
	} else if _, present := m["Extension"]; !present && !hasFile {
		l.add(extPath, "", "missing; allowed: %s", strings.Join(extensions, ", "))
	}
	if hasExt && a.Category != "" {
		if allowed := allowedExtensions(a.Category); !slices.Contains(allowed, a.Extension) {
			l.add(extPath, extValue, "%s is not allowed for %s; allowed: %s", a.Extension, a.Category, strings.Join(allowed, ", "))
		}
	}
	if hasExt && data != nil {
		where, value := path+".Bytes", ""
		if hasFile {
			where, value = path+".File", showValue(file)
		}
		for _, msg := range contentProblems(a.Extension, data) {
			l.add(where, value, "%s", msg)
		}
	}

	if id, ok := l.str(m, path, "ResourceId"); ok {
		if n := len([]rune(id)); n < 1 || n > 40 || !resourceIDPattern.MatchString(id) {
			l.add(path+".ResourceId", showValue(id), "must be 1 to 40 letters, digits, '_', '-' or spaces")
		}
		a.ResourceId = id
	}
	if a.Category == IdPButtonIcon && a.ResourceId == "" {
		l.warn(path, "", "an IDP_BUTTON_ICON without ResourceId belongs to no provider's button; set ResourceId to the identity provider's name (the stacks deploy an icon only for a provider of the stage)")
	}
	return a, true
}

// enum reads a required string field that must be one of allowed; "" when it is not.
func (l *loader) enum(m map[string]any, path, key, what string, allowed []string) string {
	s, ok := l.str(m, path, key)
	if _, present := m[key]; !present {
		l.add(path+"."+key, "", "missing; allowed: %s", strings.Join(allowed, ", "))
		return ""
	}
	if !ok {
		return ""
	}
	if !slices.Contains(allowed, s) {
		l.add(path+"."+key, showValue(s), "unknown %s (values are case-sensitive); allowed: %s", what, strings.Join(allowed, ", "))
		return ""
	}
	return s
}

// str reads an optional string field, reporting any other type.
func (l *loader) str(m map[string]any, path, key string) (string, bool) {
	v, present := m[key]
	if !present {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		l.add(path+"."+key, showValue(v), "must be a string")
	}
	return s, ok
}

// inline decodes base64 Bytes. The style keeps the canonical encoding, so that line breaks a
// tool may have added do not reach Cognito or count against the limits.
func (l *loader) inline(b64, path string) (data []byte, canonical string) {
	data, err := base64.StdEncoding.DecodeString(b64)
	switch {
	case err != nil:
		l.add(path, showValue(b64), "not valid base64 (standard alphabet, padded): %v", err)
		return nil, b64
	case len(data) == 0:
		l.add(path, "", "is empty; it must hold the image in base64")
		return nil, b64
	}
	canonical = base64.StdEncoding.EncodeToString(data)
	if len(canonical) > MaxAssetBase64 {
		l.add(path, "", "is %d base64 characters; Cognito takes at most %d (%d bytes of image)", len(canonical), MaxAssetBase64, MaxAssetBase64/4*3)
	}
	return data, canonical
}

// readAsset reads an asset file named relative to the branding file. The path, with symlinks
// resolved, must stay inside the repository root so a build never picks up files from elsewhere.
func (l *loader) readAsset(name, path string) []byte {
	value := showValue(name)
	if name == "" {
		l.add(path, value, "is empty; give the image's path relative to the branding file, e.g. \"assets/logo.svg\"")
		return nil
	}
	if filepath.IsAbs(name) || strings.HasPrefix(name, "/") {
		l.add(path, value, "must be relative to the branding file's directory, e.g. \"assets/logo.svg\"")
		return nil
	}
	full := filepath.Join(l.dir, filepath.FromSlash(name))
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			l.add(path, value, "file not found (looked for %s)", full)
		} else {
			l.add(path, value, "cannot resolve the file: %v", unwrapPathError(err))
		}
		return nil
	}
	if real, err = filepath.Abs(real); err != nil {
		l.add(path, value, "cannot resolve the file: %v", err)
		return nil
	}
	if rel, err := filepath.Rel(l.root, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		l.add(path, value, "resolves to %s, outside the repository root %s", real, l.root)
		return nil
	}
	info, err := os.Stat(real)
	if err != nil || !info.Mode().IsRegular() {
		l.add(path, value, "is not a regular file")
		return nil
	}
	if n := base64.StdEncoding.EncodedLen(int(info.Size())); n > MaxAssetBase64 {
		l.add(path, value, "is %d bytes, %d in base64; Cognito takes at most %d base64 characters (%d bytes)", info.Size(), n, MaxAssetBase64, MaxAssetBase64/4*3)
		return nil
	}
	data, err := os.ReadFile(real)
	switch {
	case err != nil:
		l.add(path, value, "cannot read the file: %v", unwrapPathError(err))
		return nil
	case len(data) == 0:
		l.add(path, value, "the file is empty")
		return nil
	}
	return data
}

// contentProblems checks that the bytes are what the extension says, and that an SVG is one
// Cognito will accept.
func contentProblems(ext string, data []byte) []string {
	var ok bool
	switch ext {
	case "ICO":
		ok = bytes.HasPrefix(data, []byte{0, 0, 1, 0})
	case "PNG":
		ok = bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n"))
	case "JPEG":
		ok = bytes.HasPrefix(data, []byte{0xff, 0xd8, 0xff})
	case "WEBP":
		ok = len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP"
	case "SVG":
		return svgProblems(data)
	}
	if !ok {
		article := "a"
		if ext == "ICO" {
			article = "an"
		}
		return []string{fmt.Sprintf("the content is not %s %s image", article, ext)}
	}
	return nil
}
