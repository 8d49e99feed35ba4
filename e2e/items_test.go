//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/cognito-apigw/cognito-apigw/internal/items"
)

// TestBrowserItems walks /items through the sample web app in Chromium, against cognito-local,
// dynalite and cmd/local, the page calling the API through Prism's validating proxy: alice adds
// items and finds them after a reload, a page at a time; an add whose reply is lost is sent
// again with the same Idempotency-Key and makes one item; bob, in the same group (so that his
// token may delete), sees none of hers, and GET and DELETE of her item's id answer him 404, as
// for an id nobody has; her items are all still there afterwards.
func TestBrowserItems(t *testing.T) {
	// Both in admin, whose demo-api/write (groupScopes) POST and DELETE take.
	w := startWebApp(t,
		appUser{email: "alice@example.com", name: "Alice", group: "admin"},
		appUser{email: "bob@example.com", name: "Bob", group: "admin"})
	appURL, prismURL := w.appURL, w.prismURL
	t.Logf("servers up after %v", time.Since(w.started).Round(time.Millisecond))

	b := newBrowser(t, w.ctx, w.chromium, filepath.Join(w.tmp, "chromium-profile"))
	lost := loseReplies(t, b)
	signIn := func(email string) {
		t.Helper()
		b.do("open the app ("+email+")", chromedp.Navigate(appURL+"/"), chromedp.WaitVisible(chromedp.CSS("#sign-in")))
		b.do("go to the login page ("+email+")", chromedp.Click(chromedp.CSS("#sign-in")), chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)))
		b.signIn(" ("+email+")", email)
		b.waitFor("the list loaded ("+email+")", `document.getElementById("items-note").textContent !== "…"`)
	}
	signOut := func(who string) {
		t.Helper()
		b.do("sign out ("+who+")", chromedp.Click(chromedp.CSS("#sign-out")), chromedp.WaitVisible(chromedp.CSS("#signed-out")))
	}
	listed := func() []string {
		t.Helper()
		return run[[]string](b, "read the list", chromedp.Evaluate[[]string](`[...document.querySelectorAll("#items li .name")].map(e => e.textContent)`))
	}
	add := func(name string) {
		t.Helper()
		before := len(listed())
		b.do("add "+name, chromedp.SendKeys(chromedp.CSS("#item-name"), name), chromedp.Click(chromedp.CSS(`#add-item button[type="submit"]`)))
		b.waitFor("POST /items 201 for "+name, `document.getElementById("status").textContent.startsWith("POST /items: 201")`+
			` && document.querySelectorAll("#items li").length === `+itoa(before+1))
		// The status of the next add must not be taken for this one's.
		b.do("clear the status", chromedp.Evaluate[chromedp.Void](`document.getElementById("status").textContent = ""`))
	}
	reload := func(step string) {
		t.Helper()
		b.do(step, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#signed-in")))
		b.waitFor(step+": the list loaded", `document.getElementById("items-note").textContent !== "…"`)
	}
	// more loads the list's next page, and says whether there is one after it.
	more := func() bool {
		t.Helper()
		n := len(listed())
		b.do("more items", chromedp.Click(chromedp.CSS("#more-items")))
		b.waitFor("the next page", `document.querySelectorAll("#items li").length > `+itoa(n))
		return !run[bool](b, "more hidden", chromedp.Evaluate[bool](`document.getElementById("more-items").hidden`))
	}

	// Alice adds an item; it is there after a reload.
	signIn("alice@example.com")
	if got := b.text("#items-note"); got != "No items yet." {
		t.Errorf("alice's list before she adds any: %q", got)
	}
	add("Buy milk")
	reload("reload (alice)")
	if got := listed(); !slices.Equal(got, []string{"Buy milk"}) {
		t.Fatalf("alice's list after a reload: %q; want her item", got)
	}
	aliceItem := run[string](b, "the item's id", chromedp.Evaluate[string](`document.querySelector("#items li").dataset.id`))
	if _, ok := items.ParseID(aliceItem); !ok {
		t.Fatalf("the list's item id %q is no item id", aliceItem)
	}

	// Pagination: six items are two pages of five (the page's page size), newest first.
	for i := 2; i <= 6; i++ {
		add(fmt.Sprintf("Item %d", i))
	}
	reload("reload (six items)")
	want := []string{"Item 6", "Item 5", "Item 4", "Item 3", "Item 2", "Buy milk"}
	if got := listed(); !slices.Equal(got, want[:5]) {
		t.Errorf("the first page: %q; want %q", got, want[:5])
	}
	if run[bool](b, "more hidden", chromedp.Evaluate[bool](`document.getElementById("more-items").hidden`)) {
		t.Fatal("no More items button under the first page of six items")
	}
	if more() {
		t.Error("a More items button under the last page")
	}
	if got := listed(); !slices.Equal(got, want) {
		t.Errorf("both pages: %q; want %q", got, want)
	}

	// The first reply to an add is lost on the way back (the API made the item): the page sends
	// the request again with the same Idempotency-Key and gets the first reply. One item.
	lost.next("POST", "/items")
	add("Call mum")
	if posts := lost.seen("POST", "/items"); len(posts) != 2 || posts[0] == "" || posts[0] != posts[1] {
		t.Errorf("POSTs of the retried add carried the keys %q; want two with one key", posts)
	}
	if !run[bool](b, "the lost reply shown", chromedp.Evaluate[bool](`[...document.querySelectorAll('#replies li[data-status="0"]')].some(li => li.textContent.startsWith("POST /items"))`)) {
		t.Error("the page did not show the add whose reply it lost")
	}
	reload("reload (after the retried add)")
	for more() {
	}
	if got := listed(); !slices.Equal(got, append([]string{"Call mum"}, want...)) {
		t.Errorf("alice's items after the retried add: %q; want Call mum once, then %q", got, want)
	}
	b.reset() // the lost reply was reported as a failed load, on purpose
	signOut("alice")

	// Bob sees none of alice's items; her item's id answers him as an id nobody has.
	signIn("bob@example.com")
	if got := listed(); len(got) != 0 || b.text("#items-note") != "No items yet." {
		t.Errorf("bob's list: %q (%s); want none of alice's", got, b.text("#items-note"))
	}
	var nobodys [16]byte
	for _, id := range []string{aliceItem, items.FormatID(nobodys)} {
		got := run[string](b, "GET and DELETE "+id+" as bob", chromedp.Evaluate[string](`(async () => {
			const key = Object.keys(sessionStorage).find(k => k.startsWith("oidc.user:"));
			const headers = {Authorization: "Bearer " + JSON.parse(sessionStorage.getItem(key)).access_token};
			const url = `+jsString(prismURL+"/items/"+id)+`;
			const get = await fetch(url, {headers});
			const del = await fetch(url, {method: "DELETE", headers});
			return [get.status, await get.text(), del.status, await del.text()].join(" ");
		})()`, chromedp.EvalAwaitPromise))
		const notFound = `{"error":{"code":"not_found","message":"There is no such item."}}`
		if want := "404 " + notFound + " 404 " + notFound; got != want {
			t.Errorf("GET and DELETE /items/%s as bob: %s; want %s", id, got, want)
		}
	}
	signOut("bob")

	// Bob's DELETE left alice's item alone.
	signIn("alice@example.com")
	for more() {
	}
	if got := listed(); len(got) != 7 || !slices.Contains(got, "Buy milk") {
		t.Errorf("alice's items after bob's DELETE: %q; want all seven", got)
	}
	if problems := b.problems(); len(problems) > 0 {
		t.Errorf("the browser reported problems:\n%s", strings.Join(problems, "\n"))
	}
	t.Logf("done in %v", time.Since(w.started).Round(time.Millisecond))
}

// replyLoser intercepts the page's requests to the API at the reply: it lets them through,
// except one it was told to lose, which the page sees as a network failure although the API
// answered it. It notes the Idempotency-Key of each request.
type replyLoser struct {
	t *testing.T

	mu    sync.Mutex
	lose  string              // "METHOD /path" to lose once; "" for none
	keys  map[string][]string // "METHOD /path" -> the Idempotency-Key of each request
	pause chan *fetch.EventRequestPaused
}

func loseReplies(t *testing.T, b *browser) *replyLoser {
	t.Helper()
	l := &replyLoser{t: t, keys: map[string][]string{}, pause: make(chan *fetch.EventRequestPaused, 64)}
	// Only POST /items' replies are held (the pattern has no query, so list pages pass by).
	if _, err := chromedp.Call(b.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{
		{URLPattern: "*/items", RequestStage: fetch.RequestStageResponse},
	}}); err != nil {
		t.Fatalf("intercepting POST /items: %v", err)
	}
	if err := chromedp.Listen(b.ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			l.pause <- e // the listener must not run commands: another goroutine answers
		}
	}); err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			select {
			case <-b.ctx.Done():
				return
			case e := <-l.pause:
				l.answer(b.ctx, e)
			}
		}
	}()
	return l
}

func (l *replyLoser) answer(ctx context.Context, e *fetch.EventRequestPaused) {
	u := e.Request.URL
	if i := strings.Index(u, "://"); i >= 0 {
		if j := strings.Index(u[i+3:], "/"); j >= 0 {
			u = u[i+3+j:]
		}
	}
	what := e.Request.Method + " " + u
	l.mu.Lock()
	key := ""
	for k, v := range e.Request.Headers {
		if strings.EqualFold(k, "Idempotency-Key") {
			key = fmt.Sprint(v)
		}
	}
	if e.Request.Method != "OPTIONS" {
		l.keys[what] = append(l.keys[what], key)
	}
	lose := l.lose == what
	if lose {
		l.lose = ""
	}
	l.mu.Unlock()
	var err error
	if lose {
		_, err = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonConnectionReset})
	} else {
		_, err = chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: e.RequestID})
	}
	if err != nil && ctx.Err() == nil {
		l.t.Errorf("answering the paused %s: %v", what, err)
	}
}

// next makes the next request of method to path lose its reply.
func (l *replyLoser) next(method, path string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lose = method + " " + path
	l.keys[l.lose] = nil
}

// seen are the Idempotency-Keys of the requests of method to path since next named them.
func (l *replyLoser) seen(method, path string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.keys[method+" "+path])
}
