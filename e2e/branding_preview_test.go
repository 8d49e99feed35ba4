//go:build e2e

package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrandingPreview renders the committed style with `branding preview`, opens the page in
// headless Chromium, and checks what a reviewer relies on: nothing is loaded from elsewhere
// or fails to load (the page's CSP would report it), every swatch is painted in the colour
// its label names, every image decodes. It saves a screenshot to $ARTIFACTS_DIR (default
// e2e/artifacts/) as branding-preview.png; docs/branding-preview.png is one such screenshot.
func TestBrandingPreview(t *testing.T) {
	ctx, root, tmp := begin(t)
	chromium := requireChromium(t)
	page := filepath.Join(tmp, "preview.html")
	cmd := exec.CommandContext(ctx, "go", "run", "./cmd/branding", "preview", "-out", page, "branding/style.json")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("branding preview: %v\n%s", err, out)
	}

	b := newBrowser(t, ctx, chromium, filepath.Join(tmp, "profile"))
	b.do("open the preview", chromedp.EmulateViewport(900, 1000), chromedp.Navigate("file://"+page), chromedp.WaitVisible(chromedp.CSS(".sketch")))
	b.waitFor("images decoded", `[...document.images].length > 0 && [...document.images].every(i => i.complete && i.naturalWidth > 0)`)
	if n := run[int](b, "count swatches", chromedp.Evaluate[int](`document.querySelectorAll(".sw").length`)); n < 100 {
		t.Errorf("%d swatches, want one per colour in each mode (over 100)", n)
	}
	wrong := run[string](b, "painted colours", chromedp.Evaluate[string](`[...document.querySelectorAll(".sw")].filter(sw => {
		const hex = sw.querySelector("code").textContent;
		const want = [0, 2, 4].map(i => parseInt(hex.slice(i, i + 2), 16)).join();
		const got = getComputedStyle(sw.querySelector(".chip span")).backgroundColor.match(/[\d.]+/g).slice(0, 3).join();
		return want !== got;
	}).map(sw => sw.querySelector(".path").textContent).join(", ")`))
	if wrong != "" {
		t.Errorf("swatches not painted in their colour: %s", wrong)
	}
	if problems := b.problems(); len(problems) > 0 {
		t.Errorf("the browser reported problems:\n%s", strings.Join(problems, "\n"))
	}

	png := run[[]byte](b, "screenshot", chromedp.CaptureScreenshot())
	shot := saveArtifact(t, root, "branding-preview.png", png)
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
}
