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

	"github.com/cognito-apigw/cognito-apigw/internal/problem"
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
		l.add(path, problem.Show(v), "must be a JSON array of assets")
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
// when invalid, so that one bad value does not also raise a duplicate. The steps run in the
// order of the problems they report.
func (l *loader) asset(v any, path string) (Asset, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		l.add(path, problem.Show(v), "an asset must be a JSON object")
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
	field, known := l.extensionField(m, path)
	img := l.image(m, path)
	ext := l.extension(m, path, field, known, img)
	a.Extension, a.Bytes = ext.name, img.b64
	l.checkImage(path, a.Category, ext, img)
	a.ResourceId = l.resourceID(m, path)
	if a.Category == IdPButtonIcon && a.ResourceId == "" {
		l.warn(path, "", "an IDP_BUTTON_ICON without ResourceId belongs to no provider's button; set ResourceId to the identity provider's name (the stacks deploy an icon only for a provider of the stage)")
	}
	return a, true
}

// assetImage is an asset's image as read from its Bytes or its File.
type assetImage struct {
	file    string // File as written
	hasFile bool   // File is set to a string
	data    []byte // the image; nil when missing or refused
	b64     string // the image in canonical base64, or Bytes as written when it does not decode
}

// assetExtension is an asset's extension and the setting it was taken from, for problems.
type assetExtension struct {
	name         string
	ok           bool   // known and agreeing with the file name: the later checks need it
	where, value string // Extension and its value, or File when the file name gave it
}

// extensionField reads Extension; ok only when it is one Cognito knows.
func (l *loader) extensionField(m map[string]any, path string) (ext string, ok bool) {
	ext, ok = l.str(m, path, "Extension")
	if ok && !slices.Contains(extensions, ext) {
		hint := ""
		if strings.EqualFold(ext, "JPG") {
			hint = " (Cognito calls JPG files JPEG)"
		}
		l.add(path+".Extension", problem.Show(ext), "unknown extension%s; allowed: %s", hint, strings.Join(extensions, ", "))
		return ext, false
	}
	return ext, ok
}

// image reads the image from inline Bytes or from File: exactly one of them must be set.
func (l *loader) image(m map[string]any, path string) assetImage {
	b64, hasBytes := l.str(m, path, "Bytes")
	file, hasFile := l.str(m, path, "File")
	_, bytesKey := m["Bytes"]
	_, fileKey := m["File"]
	img := assetImage{file: file, hasFile: hasFile}
	switch {
	case bytesKey && fileKey:
		l.add(path, "", "set either Bytes (base64) or File, not both")
	case hasBytes:
		img.data, img.b64 = l.inline(b64, path+".Bytes")
	case hasFile:
		if img.data = l.readAsset(file, path+".File"); img.data != nil {
			img.b64 = base64.StdEncoding.EncodeToString(img.data)
		}
	case !bytesKey && !fileKey:
		l.add(path, "", "needs Bytes (the image in base64) or File (its path relative to the branding file)")
	}
	return img
}

// extension is the Extension field, else what the file name says; both must agree.
func (l *loader) extension(m map[string]any, path, field string, known bool, img assetImage) assetExtension {
	ext := assetExtension{name: field, ok: known, where: path + ".Extension", value: problem.Show(field)}
	if !img.hasFile || img.file == "" {
		if _, present := m["Extension"]; !present && !img.hasFile {
			l.add(ext.where, "", "missing; allowed: %s", strings.Join(extensions, ", "))
		}
		return ext
	}
	fromName, nameKnown := fileExtensions[strings.ToLower(filepath.Ext(img.file))]
	switch {
	case !nameKnown:
		l.add(path+".File", problem.Show(img.file), "the file name must end in .ico, .jpg, .jpeg, .png, .svg or .webp")
	case ext.ok && field != fromName:
		l.add(ext.where, ext.value, "does not match the file name %q, which means %s", img.file, fromName)
		ext.ok = false
	case !ext.ok:
		ext = assetExtension{name: fromName, ok: true, where: path + ".File", value: problem.Show(img.file)}
	}
	return ext
}

// checkImage checks a known extension against the category, and the image's content against
// the extension.
func (l *loader) checkImage(path, category string, ext assetExtension, img assetImage) {
	if !ext.ok {
		return
	}
	if category != "" {
		if allowed := allowedExtensions(category); !slices.Contains(allowed, ext.name) {
			l.add(ext.where, ext.value, "%s is not allowed for %s; allowed: %s", ext.name, category, strings.Join(allowed, ", "))
		}
	}
	if img.data == nil {
		return
	}
	where, value := path+".Bytes", ""
	if img.hasFile {
		where, value = path+".File", problem.Show(img.file)
	}
	for _, msg := range contentProblems(ext.name, img.data) {
		l.add(where, value, "%s", msg)
	}
}

// resourceID reads the optional ResourceId.
func (l *loader) resourceID(m map[string]any, path string) string {
	id, ok := l.str(m, path, "ResourceId")
	if n := len([]rune(id)); ok && (n < 1 || n > 40 || !resourceIDPattern.MatchString(id)) {
		l.add(path+".ResourceId", problem.Show(id), "must be 1 to 40 letters, digits, '_', '-' or spaces")
	}
	return id
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
		l.add(path+"."+key, problem.Show(s), "unknown %s (values are case-sensitive); allowed: %s", what, strings.Join(allowed, ", "))
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
		l.add(path+"."+key, problem.Show(v), "must be a string")
	}
	return s, ok
}

// inline decodes base64 Bytes. The style keeps the canonical encoding, so that line breaks a
// tool may have added do not reach Cognito or count against the limits.
func (l *loader) inline(b64, path string) (data []byte, canonical string) {
	data, err := base64.StdEncoding.DecodeString(b64)
	switch {
	case err != nil:
		l.add(path, problem.Show(b64), "not valid base64 (standard alphabet, padded): %v", err)
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
	value := problem.Show(name)
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
