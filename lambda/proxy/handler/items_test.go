package handler_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/items"
	"github.com/cognito-apigw/cognito-apigw/internal/localdb"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
	"github.com/cognito-apigw/cognito-apigw/lambda/proxy/handler"
)

// These tests run /items against a real implementation of DynamoDB: dynalite, started from the
// test on loopback (testkit.Dynalite skips them without Node.js and dynalite, and fails in CI).
// Each handler gets a table of its own, made as `authctl setup-local` makes it.

// itemsDB is one local DynamoDB for a test and its subtests.
type itemsDB struct {
	t      *testing.T
	client *dynamodb.Client
	tables atomic.Int32
}

func newItemsDB(t *testing.T) *itemsDB {
	t.Helper()
	client, err := localdb.Client(testkit.Dynalite(t))
	if err != nil {
		t.Fatal(err)
	}
	return &itemsDB{t: t, client: client}
}

// clock is a test's time, moved by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// items is a handler over a new, empty table, reached through wrap (nil: directly).
type itemsHandler struct {
	*handler.Handler
	logs  *testkit.SyncBuffer
	clock *clock
	table string
}

func (d *itemsDB) handler(t *testing.T, wrap func(handler.DynamoDB) handler.DynamoDB) itemsHandler {
	t.Helper()
	table := fmt.Sprintf("items-%d", d.tables.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := localdb.EnsureTable(ctx, d.client, table); err != nil {
		t.Fatal(err)
	}
	var db handler.DynamoDB = d.client
	if wrap != nil {
		db = wrap(db)
	}
	c := &clock{now: fixedNow}
	logs := &testkit.SyncBuffer{}
	h, err := handler.New(fnenv.Proxy{Routes: testkit.SampleRoutes(), Clients: fnenv.Clients{Web: []string{client}}, AllowedOrigins: []string{appOrigin}, ItemsTable: table},
		&handler.Options{Logger: slog.New(slog.NewJSONHandler(logs, nil)), Now: c.Now, DynamoDB: db})
	if err != nil {
		t.Fatal(err)
	}
	return itemsHandler{Handler: h, logs: logs, clock: c, table: table}
}

// as is the event of fixture for caller sub (username too), with a token that outlives the
// tests' clocks (the fixtures' expires at 10:00 on the day of fixedNow).
func as(t *testing.T, fixture, sub string) events.APIGatewayProxyRequest {
	t.Helper()
	ev := testkit.ProxyEvent(t, fixture)
	setClaim("sub", sub)(&ev)
	setClaim("username", sub)(&ev)
	setClaim("exp", "Mon Nov 22 10:00:00 UTC 2027")(&ev)
	return ev
}

// post creates an item as sub with an Idempotency-Key (a new one if key is "").
func (h itemsHandler) post(t *testing.T, sub, body, key string) events.APIGatewayProxyResponse {
	t.Helper()
	ev := as(t, "items-post-access-token", sub)
	ev.Body = body
	if key == "" {
		key = newKey()
	}
	setHeader(&ev, "Idempotency-Key", key)
	return call(t, h.Handler, ev)
}

var keys atomic.Int64

func newKey() string { return fmt.Sprintf("key-%d-%d", time.Now().UnixNano(), keys.Add(1)) }

// setHeader replaces a header in both of an event's header maps (nil value: removes it).
func setHeader(ev *events.APIGatewayProxyRequest, name string, values ...string) {
	for k := range ev.Headers {
		if strings.EqualFold(k, name) {
			delete(ev.Headers, k)
		}
	}
	for k := range ev.MultiValueHeaders {
		if strings.EqualFold(k, name) {
			delete(ev.MultiValueHeaders, k)
		}
	}
	if len(values) == 0 {
		return
	}
	if ev.Headers == nil {
		ev.Headers = map[string]string{}
	}
	if ev.MultiValueHeaders == nil {
		ev.MultiValueHeaders = map[string][]string{}
	}
	ev.Headers[name] = values[len(values)-1]
	ev.MultiValueHeaders[name] = values
}

// list reads one page of sub's items; query holds limit and cursor ("" leaves them out).
func (h itemsHandler) list(t *testing.T, sub, limit, cursor string) (api.ItemList, events.APIGatewayProxyResponse) {
	t.Helper()
	ev := as(t, "items-get-access-token", sub)
	ev.QueryStringParameters, ev.MultiValueQueryStringParameters = map[string]string{}, map[string][]string{}
	if limit != "" {
		ev.QueryStringParameters["limit"], ev.MultiValueQueryStringParameters["limit"] = limit, []string{limit}
	}
	if cursor != "" {
		ev.QueryStringParameters["cursor"], ev.MultiValueQueryStringParameters["cursor"] = cursor, []string{cursor}
	}
	resp := call(t, h.Handler, ev)
	var page api.ItemList
	if resp.StatusCode == 200 {
		if err := json.Unmarshal([]byte(resp.Body), &page); err != nil {
			t.Fatal(err)
		}
	}
	return page, resp
}

// all lists every item of sub, page by page.
func (h itemsHandler) all(t *testing.T, sub string) []api.Item {
	t.Helper()
	var out []api.Item
	cursor := ""
	for range 20 {
		page, resp := h.list(t, sub, "100", cursor)
		if resp.StatusCode != 200 {
			t.Fatalf("GET /items as %s: %d %s", sub, resp.StatusCode, resp.Body)
		}
		out = append(out, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			return out
		}
	}
	t.Fatal("more than 20 pages")
	return nil
}

// byID calls GET or DELETE /items/{id} as sub.
func (h itemsHandler) byID(t *testing.T, method, sub, id string) events.APIGatewayProxyResponse {
	t.Helper()
	fixture := "item-get-access-token"
	if method == "DELETE" {
		fixture = "item-delete-access-token"
	}
	ev := as(t, fixture, sub)
	ev.PathParameters = map[string]string{"id": id}
	ev.Path = "/items/" + id
	return call(t, h.Handler, ev)
}

func item(t *testing.T, resp events.APIGatewayProxyResponse) api.Item {
	t.Helper()
	var it api.Item
	if err := json.Unmarshal([]byte(resp.Body), &it); err != nil || it.ID == "" {
		t.Fatalf("not an item: %s (%v)", resp.Body, err)
	}
	return it
}

func wantError(t *testing.T, resp events.APIGatewayProxyResponse, status int, code string) {
	t.Helper()
	if got := field(decode(t, resp), "error.code"); resp.StatusCode != status || got != code {
		t.Errorf("%d %v, want %d %s: %s", resp.StatusCode, got, status, code, resp.Body)
	}
}

func TestItems(t *testing.T) {
	db := newItemsDB(t)

	t.Run("fixtures", func(t *testing.T) {
		h := db.handler(t, nil)
		resp := call(t, h.Handler, testkit.ProxyEvent(t, "items-post-access-token"))
		if resp.StatusCode != 201 {
			t.Fatalf("POST: %d %s", resp.StatusCode, resp.Body)
		}
		body := decode(t, resp)
		for path, want := range map[string]any{"name": "Buy milk", "owner": alice, "created_at": "2026-11-22T09:30:00Z"} {
			if got := field(body, path); got != want {
				t.Errorf("%s = %v, want %v", path, got, want)
			}
		}
		id := body["id"].(string)
		if _, ok := items.ParseID(id); !ok {
			t.Errorf("id %q is not an item id", id)
		}
		if got := resp.Headers["Access-Control-Allow-Origin"]; got != appOrigin {
			t.Errorf("Access-Control-Allow-Origin = %q", got)
		}
		list := decode(t, call(t, h.Handler, testkit.ProxyEvent(t, "items-get-access-token")))
		if got := field(list, "items"); len(got.([]any)) != 1 || field(list, "next_cursor") != nil {
			t.Errorf("GET /items = %v; want the one item and no next_cursor", list)
		}
		// The fixtures' id is nobody's.
		wantError(t, call(t, h.Handler, testkit.ProxyEvent(t, "item-get-access-token")), 404, "not_found")
		wantError(t, call(t, h.Handler, testkit.ProxyEvent(t, "item-delete-access-token")), 404, "not_found")
	})

	t.Run("create: body", func(t *testing.T) {
		h := db.handler(t, nil)
		hundred := strings.Repeat("é", 100)
		b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
		for _, tt := range []struct {
			name   string
			body   string
			base64 bool
			status int
			code   string
		}{
			{"ok", `{"name": "Buy milk"}`, false, 201, ""},
			{"trimmed", `{"name": "  Buy milk  "}`, false, 201, ""},
			{"100 characters", `{"name": "` + hundred + `"}`, false, 201, ""},
			{"base64", b64(`{"name":"Buy milk"}`), true, 201, ""},
			{"not JSON", `{"name": `, false, 400, "invalid_json"},
			{"empty body", ``, false, 400, "invalid_json"},
			{"array", `["Buy milk"]`, false, 400, "invalid_json"},
			{"name is a number", `{"name": 7}`, false, 400, "invalid_json"},
			{"unknown field", `{"name": "Buy milk", "owner": "someone-else"}`, false, 400, "invalid_json"},
			{"two values", `{"name": "a"} {"name": "b"}`, false, 400, "invalid_json"},
			{"bad base64", `%%%`, true, 400, "invalid_json"},
			{"missing name", `{}`, false, 400, "invalid_name"},
			{"null name", `{"name": null}`, false, 400, "invalid_name"},
			{"blank name", `{"name": "   "}`, false, 400, "invalid_name"},
			{"101 characters", `{"name": "` + hundred + `x"}`, false, 400, "invalid_name"},
			{"control character", `{"name": "a\u0007b"}`, false, 400, "invalid_name"},
			{"body over 4 KiB", `{"name": "x", "pad": "` + strings.Repeat("x", 5000) + `"}`, false, 413, "body_too_large"},
			{"base64 body over 4 KiB", b64(strings.Repeat(" ", 5000) + `{"name":"x"}`), true, 413, "body_too_large"},
			// The cap's edges: 4096 bytes pass, 4097 do not, as sent and as base64 (whose text
			// of 5464 characters holds 4096, 4097 or 4098 bytes).
			{"body of 4096 bytes", padded(4096), false, 201, ""},
			{"body of 4097 bytes", padded(4097), false, 413, "body_too_large"},
			{"base64 body of 4096 bytes", b64(padded(4096)), true, 201, ""},
			{"base64 body of 4097 bytes", b64(padded(4097)), true, 413, "body_too_large"},
			{"base64 body of 4098 bytes", b64(padded(4098)), true, 413, "body_too_large"},
			{"base64 body of 4099 bytes", b64(padded(4099)), true, 413, "body_too_large"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				ev := testkit.ProxyEvent(t, "items-post-access-token")
				setHeader(&ev, "Idempotency-Key", newKey())
				ev.Body, ev.IsBase64Encoded = tt.body, tt.base64
				resp := call(t, h.Handler, ev)
				if tt.code != "" {
					wantError(t, resp, tt.status, tt.code)
					return
				}
				if resp.StatusCode != tt.status {
					t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, tt.status, resp.Body)
				}
				if it := item(t, resp); it.Name == "" || it.Name != strings.TrimSpace(it.Name) {
					t.Errorf("name = %q, want it stored trimmed", it.Name)
				}
			})
		}
	})

	t.Run("create: Idempotency-Key", func(t *testing.T) {
		h := db.handler(t, nil)
		first := h.post(t, alice, `{"name": "Buy milk"}`, "order-1")
		if first.StatusCode != 201 || first.Headers["Idempotent-Replayed"] != "" {
			t.Fatalf("first POST: %d %v %s", first.StatusCode, first.Headers, first.Body)
		}
		// A retry: the same key and body (spaces aside) get the first reply, and nothing more
		// is created.
		for _, body := range []string{`{"name": "Buy milk"}`, `{"name":"  Buy milk "}`} {
			again := h.post(t, alice, body, "order-1")
			if again.StatusCode != 201 || again.Body != first.Body || again.Headers["Idempotent-Replayed"] != "true" {
				t.Errorf("retry with %s: %d %v %s; want the first reply %s, marked replayed", body, again.StatusCode, again.Headers, again.Body, first.Body)
			}
		}
		// The quoted form of the IETF draft is the same key.
		if again := h.post(t, alice, `{"name": "Buy milk"}`, `"order-1"`); again.Body != first.Body {
			t.Errorf("quoted key: %s, want the first reply", again.Body)
		}
		if got := h.all(t, alice); len(got) != 1 || got[0] != item(t, first) {
			t.Errorf("alice's items after the retries: %+v; want the one created", got)
		}
		// The same key with another body is refused, and creates nothing.
		wantError(t, h.post(t, alice, `{"name": "Buy bread"}`, "order-1"), 422, "idempotency_key_reused")
		// Keys are per caller: bob's order-1 is his own.
		bobs := h.post(t, bob, `{"name": "Buy milk"}`, "order-1")
		if bobs.StatusCode != 201 || item(t, bobs).ID == item(t, first).ID || bobs.Headers["Idempotent-Replayed"] != "" {
			t.Errorf("bob's order-1: %d %s; want an item of his own", bobs.StatusCode, bobs.Body)
		}
		if got := h.all(t, alice); len(got) != 1 {
			t.Errorf("alice has %d items; want 1", len(got))
		}
		// A key is remembered for 24 hours; then it may name a new item.
		h.clock.Add(24*time.Hour - time.Second)
		wantError(t, h.post(t, alice, `{"name": "Buy bread"}`, "order-1"), 422, "idempotency_key_reused")
		h.clock.Add(time.Second)
		if later := h.post(t, alice, `{"name": "Buy bread"}`, "order-1"); later.StatusCode != 201 || item(t, later).Name != "Buy bread" {
			t.Errorf("order-1 after 24 hours: %d %s; want a new item", later.StatusCode, later.Body)
		}
	})

	t.Run("create: bad Idempotency-Key", func(t *testing.T) {
		h := db.handler(t, nil)
		post := func(values ...string) events.APIGatewayProxyResponse {
			ev := testkit.ProxyEvent(t, "items-post-access-token")
			setHeader(&ev, "Idempotency-Key", values...)
			return call(t, h.Handler, ev)
		}
		wantError(t, post(), 400, "idempotency_key_missing")
		for name, values := range map[string][]string{
			"empty":               {""},
			"empty quotes":        {`""`},
			"256 characters":      {strings.Repeat("k", 256)},
			"a space":             {"order 1"},
			"not ASCII":           {"bestellung-ä"},
			"a quote inside":      {`a"b`},
			"a control character": {"a\tb"},
			"two values":          {"a", "b"},
		} {
			t.Run(name, func(t *testing.T) { wantError(t, post(values...), 400, "invalid_idempotency_key") })
		}
		ev := testkit.ProxyEvent(t, "items-post-access-token")
		setHeader(&ev, "Idempotency-Key", "a")
		ev.Headers["idempotency-key"] = "b" // two spellings, two values
		wantError(t, call(t, h.Handler, ev), 400, "invalid_idempotency_key")
		// The edges: 1 and 255 characters, any visible ASCII; the same key twice is one value.
		for _, k := range []string{"k", strings.Repeat("k", 255), "!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", `"quoted"`} {
			if resp := post(k); resp.StatusCode != 201 {
				t.Errorf("key %q: %d %s", k, resp.StatusCode, resp.Body)
			}
		}
		if resp := post("same", "same"); resp.StatusCode != 201 {
			t.Errorf("one key sent twice: %d %s", resp.StatusCode, resp.Body)
		}
		if n := len(h.all(t, alice)); n != 5 {
			t.Errorf("%d items created, want 5", n)
		}
	})

	t.Run("object-level authorization", func(t *testing.T) {
		h := db.handler(t, nil)
		alices := item(t, h.post(t, alice, `{"name": "alice's"}`, ""))
		bobs := item(t, h.post(t, bob, `{"name": "bob's"}`, ""))
		if got := h.all(t, bob); len(got) != 1 || got[0] != bobs {
			t.Errorf("bob's list: %+v; want only his item", got)
		}
		// Someone else's item answers exactly as one that does not exist.
		var nobodys [16]byte
		nobody := items.FormatID(nobodys)
		for _, method := range []string{"GET", "DELETE"} {
			theirs, none := h.byID(t, method, bob, alices.ID), h.byID(t, method, bob, nobody)
			if theirs.StatusCode != 404 || theirs.Body != none.Body || !reflect.DeepEqual(theirs.Headers, none.Headers) {
				t.Errorf("%s of alice's item as bob: %d %v %s; nobody's: %d %v %s; want the same 404", method,
					theirs.StatusCode, theirs.Headers, theirs.Body, none.StatusCode, none.Headers, none.Body)
			}
			wantError(t, theirs, 404, "not_found")
		}
		// Bob's DELETE left alice's item alone; alice reads and deletes her own.
		if resp := h.byID(t, "GET", alice, alices.ID); resp.StatusCode != 200 || item(t, resp) != alices {
			t.Errorf("GET of her item as alice: %d %s", resp.StatusCode, resp.Body)
		}
		if resp := h.byID(t, "DELETE", alice, alices.ID); resp.StatusCode != 204 || resp.Body != "" || resp.Headers["Content-Type"] != "" {
			t.Errorf("DELETE of her item as alice: %d %v %q; want 204 and no body", resp.StatusCode, resp.Headers, resp.Body)
		}
		wantError(t, h.byID(t, "GET", alice, alices.ID), 404, "not_found")
		wantError(t, h.byID(t, "DELETE", alice, alices.ID), 404, "not_found")
		if got := h.all(t, bob); len(got) != 1 {
			t.Errorf("bob's items after alice's delete: %+v", got)
		}
		// An id this API never hands out is bad input, not a missing item.
		for _, bad := range []string{"", "x", strings.ToLower(bobs.ID), bobs.ID + "0", "8" + bobs.ID[1:], "../" + bobs.ID, bobs.ID[:25] + "U"} {
			for _, method := range []string{"GET", "DELETE"} {
				wantError(t, h.byID(t, method, bob, bad), 400, "invalid_id")
			}
		}
	})

	t.Run("pagination", func(t *testing.T) {
		h := db.handler(t, nil)
		var created []string
		for i := range 25 {
			h.clock.Add(time.Second)
			created = append(created, item(t, h.post(t, alice, fmt.Sprintf(`{"name": "item %02d"}`, i), "")).Name)
		}
		h.post(t, bob, `{"name": "bob's"}`, "")
		slices.Reverse(created) // newest first
		var got []string
		var cursors []string
		cursor := ""
		for range 3 {
			page, resp := h.list(t, alice, "10", cursor)
			if resp.StatusCode != 200 {
				t.Fatalf("page: %d %s", resp.StatusCode, resp.Body)
			}
			for _, it := range page.Items {
				got = append(got, it.Name)
			}
			cursor = page.NextCursor
			cursors = append(cursors, cursor)
		}
		if !slices.Equal(got, created) {
			t.Errorf("pages of 10: %q\nwant newest first %q", got, created)
		}
		if cursors[0] == "" || cursors[1] == "" || cursors[2] != "" {
			t.Errorf("cursors %q; want two, then none on the last page", cursors)
		}
		// A page that ends with the last item has no next page.
		if page, _ := h.list(t, alice, "25", ""); len(page.Items) != 25 || page.NextCursor != "" {
			t.Errorf("limit 25 of 25: %d items, cursor %q", len(page.Items), page.NextCursor)
		}
		if page, _ := h.list(t, alice, "", ""); len(page.Items) != 20 || page.NextCursor == "" {
			t.Errorf("no limit: %d items, cursor %q; want 20 and a cursor", len(page.Items), page.NextCursor)
		}
		// The limit's edges.
		for limit, n := range map[string]int{"1": 1, "100": 25} {
			if page, resp := h.list(t, alice, limit, ""); len(page.Items) != n {
				t.Errorf("limit %s: %d items (%d %s)", limit, len(page.Items), resp.StatusCode, resp.Body)
			}
		}
		for _, bad := range []string{"0", "101", "-1", "abc", "1.5", "+5", "05", " 5", "1e1", "99999999999999999999"} {
			_, resp := h.list(t, alice, bad, "")
			wantError(t, resp, 400, "invalid_limit")
		}
		for _, bad := range []string{"x", "AAAA", cursors[0] + "A", cursors[0] + "=", "!" + cursors[0][1:], base64.StdEncoding.EncodeToString(make([]byte, 16))} {
			_, resp := h.list(t, alice, "10", bad)
			wantError(t, resp, 400, "invalid_cursor")
		}
		ev := as(t, "items-get-access-token", alice)
		ev.MultiValueQueryStringParameters = map[string][]string{"limit": {"5", "6"}}
		wantError(t, call(t, h.Handler, ev), 400, "invalid_limit")
		// A cursor is a place in the caller's own list, whoever's item it was made from: bob's
		// newest item as a cursor gives alice some of her own items, never his.
		bobsNewest, _ := h.list(t, bob, "1", "")
		b, _ := items.ParseID(bobsNewest.Items[0].ID)
		forged := base64.RawURLEncoding.EncodeToString(b[:])
		for _, c := range []string{forged, base64.RawURLEncoding.EncodeToString(make([]byte, 16)), strings.Repeat("_", 21) + "w"} {
			page, resp := h.list(t, alice, "100", c)
			if resp.StatusCode != 200 {
				t.Errorf("cursor %s: %d %s", c, resp.StatusCode, resp.Body)
			}
			for _, it := range page.Items {
				if it.Owner != alice {
					t.Errorf("a cursor gave alice an item of %s", it.Owner)
				}
			}
		}
	})

	t.Run("cap per caller", func(t *testing.T) {
		h := db.handler(t, nil)
		for i := range 100 {
			if resp := h.post(t, alice, `{"name": "n"}`, ""); resp.StatusCode != 201 {
				t.Fatalf("item %d: %d %s", i+1, resp.StatusCode, resp.Body)
			}
		}
		wantError(t, h.post(t, alice, `{"name": "one too many"}`, ""), 409, "too_many_items")
		if resp := h.post(t, bob, `{"name": "bob's first"}`, ""); resp.StatusCode != 201 {
			t.Errorf("another caller: %d, want 201", resp.StatusCode)
		}
		// Deleting one makes room for one.
		page, _ := h.list(t, alice, "1", "")
		h.byID(t, "DELETE", alice, page.Items[0].ID)
		if resp := h.post(t, alice, `{"name": "after a delete"}`, ""); resp.StatusCode != 201 {
			t.Errorf("after a delete: %d %s", resp.StatusCode, resp.Body)
		}
	})

	t.Run("concurrent requests", func(t *testing.T) {
		h := db.handler(t, nil)
		var wg sync.WaitGroup
		var created atomic.Int32
		for range 8 {
			wg.Go(func() {
				for range 5 {
					if resp, err := h.Handle(context.Background(), postEvent(t, alice, newKey())); err == nil && resp.StatusCode == 201 {
						created.Add(1)
					}
				}
			})
		}
		wg.Wait()
		if n := created.Load(); n != 40 || len(h.all(t, alice)) != 40 {
			t.Errorf("%d of 40 concurrent creations answered 201, %d items stored", n, len(h.all(t, alice)))
		}
		// Eight at once with one key: one item; every reply is it, or 409 while it is written.
		var mu sync.Mutex
		ids := map[string]bool{}
		for range 8 {
			wg.Go(func() {
				resp, err := h.Handle(context.Background(), postEvent(t, bob, "same"))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					t.Error(err)
				case resp.StatusCode == 201:
					var it api.Item
					json.Unmarshal([]byte(resp.Body), &it)
					ids[it.ID] = true
				case resp.StatusCode == 409 && strings.Contains(resp.Body, "idempotency_key_in_use") && resp.Headers["Retry-After"] == "1":
				default:
					t.Errorf("same key at once: %d %s", resp.StatusCode, resp.Body)
				}
			})
		}
		wg.Wait()
		if stored := h.all(t, bob); len(ids) != 1 || len(stored) != 1 || !ids[stored[0].ID] {
			t.Errorf("one key at once: replies named %v, stored %+v; want one item", ids, stored)
		}
	})
}

// postEvent is POST /items of "Buy milk" as sub with key.
func postEvent(t *testing.T, sub, key string) events.APIGatewayProxyRequest {
	ev := as(t, "items-post-access-token", sub)
	setHeader(&ev, "Idempotency-Key", key)
	return ev
}

// padded is a valid body of exactly n bytes: {"name": "Buy milk"} and trailing spaces.
func padded(n int) string {
	b := `{"name": "Buy milk"}`
	return b + strings.Repeat(" ", n-len(b))
}

// failing is a DynamoDB that fails every call the way a throttled or broken table does, with
// text that must never reach a client.
type failing struct{}

const internalText = "ProvisionedThroughputExceededException arn:aws:dynamodb:eu-west-1:123456789012:table/secret-table"

func (failing) err() error {
	return &smithy.GenericAPIError{Code: "ProvisionedThroughputExceededException", Message: internalText}
}

func (f failing) GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	return nil, f.err()
}

func (f failing) PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	return nil, f.err()
}

func (f failing) DeleteItem(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	return nil, f.err()
}

func (f failing) Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	return nil, f.err()
}

// failAfter passes calls through to a DynamoDB, then fails from the (n+1)th PutItem on.
type failAfter struct {
	handler.DynamoDB
	puts, n atomic.Int32
}

func (f *failAfter) PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	if f.puts.Add(1) > f.n.Load() {
		return nil, failing{}.err()
	}
	return f.DynamoDB.PutItem(ctx, in, opts...)
}

// TestItemsTableFailure: a DynamoDB failure is a 500 with nothing of it in the reply, and the
// API's request id and DynamoDB's error in the log. It needs no DynamoDB.
func TestItemsTableFailure(t *testing.T) {
	var logs bytes.Buffer
	h, err := handler.New(fnenv.Proxy{Routes: testkit.SampleRoutes(), Clients: fnenv.Clients{Web: []string{client}}, ItemsTable: "items"},
		&handler.Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil)), DynamoDB: failing{}, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	for _, fixture := range []string{"items-get-access-token", "items-post-access-token", "item-get-access-token", "item-delete-access-token"} {
		t.Run(fixture, func(t *testing.T) {
			logs.Reset()
			ev := testkit.ProxyEvent(t, fixture)
			resp := call(t, h, ev)
			want := `{"error":{"code":"internal_error","message":"Something went wrong on our side."}}`
			if resp.StatusCode != http.StatusInternalServerError || resp.Body != want {
				t.Errorf("%d %s; want 500 %s", resp.StatusCode, resp.Body, want)
			}
			var rec map[string]any
			if err := json.Unmarshal(logs.Bytes(), &rec); err != nil {
				t.Fatalf("want one JSON record: %v\n%s", err, logs.String())
			}
			if rec["level"] != "ERROR" || rec["request_id"] != ev.RequestContext.RequestID || !strings.Contains(fmt.Sprint(rec["reason"]), internalText) {
				t.Errorf("log record %v; want an error with the request id and DynamoDB's error", rec)
			}
		})
	}
}

// TestUnfinishedCreation: a request that claimed its key but failed before it finished leaves
// a claim a retry must neither ignore (two items) nor trust (no item): while the first request
// may still run, a retry gets 409; after that, the retry writes the item once.
func TestUnfinishedCreation(t *testing.T) {
	db := newItemsDB(t)
	var wrapper *failAfter
	h := db.handler(t, func(d handler.DynamoDB) handler.DynamoDB {
		wrapper = &failAfter{DynamoDB: d}
		wrapper.n.Store(1) // the claim is written; the item is not
		return wrapper
	})
	first := h.post(t, alice, `{"name": "Buy milk"}`, "order-1")
	wantError(t, first, 500, "internal_error")
	if strings.Contains(first.Body, "Provisioned") {
		t.Errorf("the reply tells of DynamoDB: %s", first.Body)
	}
	wrapper.n.Store(1000)
	retry := h.post(t, alice, `{"name": "Buy milk"}`, "order-1")
	wantError(t, retry, 409, "idempotency_key_in_use")
	if retry.Headers["Retry-After"] != "1" {
		t.Errorf("Retry-After = %q", retry.Headers["Retry-After"])
	}
	if got := h.all(t, alice); len(got) != 0 {
		t.Errorf("items while the claim is young: %+v", got)
	}
	wantError(t, h.post(t, alice, `{"name": "Buy bread"}`, "order-1"), 422, "idempotency_key_reused")
	h.clock.Add(30 * time.Second)
	done := h.post(t, alice, `{"name": "Buy milk"}`, "order-1")
	if done.StatusCode != 201 || done.Headers["Idempotent-Replayed"] != "true" {
		t.Fatalf("retry after 30 s: %d %s", done.StatusCode, done.Body)
	}
	again := h.post(t, alice, `{"name": "Buy milk"}`, "order-1")
	if got := h.all(t, alice); len(got) != 1 || got[0] != item(t, done) || again.Body != done.Body {
		t.Errorf("after the retries: %+v, replies %s and %s; want one item, the same reply", got, done.Body, again.Body)
	}
}
