package branding

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// svgProblems reports what makes Cognito refuse an SVG: scripts, event handler attributes,
// <foreignObject>, and references to anything outside the file. It parses the XML rather than
// searching the text, so that namespaces, entities and odd spacing cannot hide anything.
func svgProblems(data []byte) []string {
	var problems []string
	report := func(d *xml.Decoder, format string, args ...any) {
		line, _ := d.InputPos()
		problems = append(problems, fmt.Sprintf("SVG line %d: ", line)+fmt.Sprintf(format, args...))
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	seenRoot, inStyle := false, false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return append(problems, "the SVG is not well-formed XML: "+err.Error())
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if !seenRoot {
				seenRoot = true
				if name != "svg" {
					report(d, "the root element is <%s>, not <svg>", t.Name.Local)
				}
			}
			switch name {
			case "script":
				report(d, "<script> element; Cognito refuses SVGs with scripts")
			case "foreignobject":
				report(d, "<foreignObject> element; Cognito refuses SVGs that embed HTML")
			case "style":
				inStyle = true // its text follows as CharData
			}
			for _, a := range t.Attr {
				attr := strings.ToLower(a.Name.Local)
				switch {
				case strings.HasPrefix(attr, "on"):
					report(d, "event handler attribute %s on <%s>; Cognito refuses SVGs with scripts", qualified(a.Name), t.Name.Local)
				case attr == "href" || attr == "src":
					if why := externalRef(a.Value); why != "" {
						report(d, "%s=%q on <%s> is %s; use only #fragment or data:image/ references", qualified(a.Name), a.Value, t.Name.Local, why)
					}
				default:
					// style="..." and presentation attributes such as fill take url(...).
					if css := cssExternal(a.Value); css != "" {
						report(d, "%s on <%s> references %s; Cognito refuses external references", qualified(a.Name), t.Name.Local, css)
					}
				}
			}
		case xml.EndElement:
			inStyle = false
		case xml.CharData:
			if !inStyle {
				break
			}
			if css := cssExternal(string(t)); css != "" {
				report(d, "<style> references %s; Cognito refuses external references", css)
			}
		case xml.ProcInst:
			if t.Target == "xml-stylesheet" {
				report(d, "<?xml-stylesheet?> loads an external stylesheet; Cognito refuses external references")
			}
		case xml.Directive:
			if bytes.Contains(t, []byte("ENTITY")) {
				report(d, "the DOCTYPE declares entities; remove the DOCTYPE")
			}
		}
	}
	if !seenRoot {
		problems = append(problems, "the SVG has no <svg> element")
	}
	return problems
}

func qualified(n xml.Name) string {
	if n.Space == "http://www.w3.org/1999/xlink" || n.Space == "xlink" {
		return "xlink:" + n.Local
	}
	return n.Local
}

// externalRef says why a reference leaves the file ("" when it does not): fragments and
// embedded images are fine, scripts and anything fetched from elsewhere are not.
func externalRef(ref string) string {
	// Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
	v := strings.ToLower(strings.Map(func(r rune) rune {
		if r <= ' ' {
			return -1
		}
		return r
	}, ref))
	switch {
	case v == "" || strings.HasPrefix(v, "#") || strings.HasPrefix(v, "data:image/"):
		return ""
	case strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:"):
		return "a script URL"
	}
	return "an external reference"
}

// cssExternal returns the first url(...) or @import in CSS text that leaves the file, or "".
func cssExternal(css string) string {
	lowered := strings.ToLower(css)
	if strings.Contains(lowered, "@import") {
		return "@import"
	}
	for rest := lowered; ; {
		i := strings.Index(rest, "url(")
		if i < 0 {
			return ""
		}
		rest = rest[i+len("url("):]
		end := strings.IndexByte(rest, ')')
		if end < 0 {
			end = len(rest)
		}
		ref := strings.Trim(strings.TrimSpace(rest[:end]), `"'`)
		if externalRef(ref) != "" {
			return "url(" + ref + ")"
		}
	}
}
