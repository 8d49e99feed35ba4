package handler

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
	"github.com/cognito-apigw/cognito-apigw/internal/items"
)

// Limits of /items beyond internal/api's.
const (
	// idempotencyTTL is how long a key is remembered: a retry within it gets the first reply.
	idempotencyTTL = api.IdempotencyHours * time.Hour
	// claimStale is how old an unfinished claim must be before a retry finishes it: longer than
	// a request can run (the function's timeout is 10 s), so that the request that made the
	// claim is surely over.
	claimStale = 30 * time.Second
)

// itemEndpoints need the items table; without one they check their input, then answer 503.
var itemEndpoints = []string{"GET /items", "POST /items", "GET /items/{id}", "DELETE /items/{id}"}

// storeFailed answers a DynamoDB failure: a 500 that says nothing of it, the error (with
// DynamoDB's request id) in the log beside the API's request id. Without a table, a 503.
func storeFailed(err error) reply {
	if errors.Is(err, errNoTable) {
		r := errorReply(api.CodeItemsUnavailable, "Items are not set up on this server.")
		return *r.because(err)
	}
	r := errorReply(api.CodeInternal, msgInternal)
	return *r.because(fmt.Errorf("items table: %w", err))
}

func (h *Handler) listItems(ctx context.Context, r request) reply {
	limit, bad := pageSize(r.event)
	if bad != nil {
		return *bad
	}
	after, bad := readCursor(r.event)
	if bad != nil {
		return *bad
	}
	// One more than asked: if it comes, there is a next page, and no cursor is handed out
	// for an empty one.
	list, err := h.items.list(ctx, r.caller.Subject, after, limit+1)
	if err != nil {
		return storeFailed(err)
	}
	page := api.ItemList{Items: list}
	if len(list) > limit {
		page.Items = list[:limit]
		page.NextCursor = cursorAfter(list[limit-1].ID)
	}
	if page.Items == nil {
		page.Items = []api.Item{}
	}
	return jsonReply(http.StatusOK, page)
}

// pageSize reads GET /items' limit: 1 to api.MaxPageSize, api.DefaultPageSize when absent.
func pageSize(ev events.APIGatewayProxyRequest) (int, *reply) {
	v, given, ok := queryParam(ev, "limit")
	if !given {
		return api.DefaultPageSize, nil
	}
	n, err := strconv.Atoi(v)
	if !ok || err != nil || n < 1 || n > api.MaxPageSize || v != strconv.Itoa(n) {
		bad := errorReply(api.CodeInvalidLimit, fmt.Sprintf("limit must be a whole number from 1 to %d.", api.MaxPageSize))
		return 0, &bad
	}
	return n, nil
}

// A cursor is the id of the last item of a page, as base64url of its 16 bytes: opaque to
// callers, and harmless to edit, since GET /items always queries the caller's own partition
// and any 16 bytes are a place in it.

func cursorAfter(id string) string {
	b, _ := items.ParseID(id) // the table's ids are ours
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// readCursor reads GET /items' cursor: the id to start after, "" for the first page.
func readCursor(ev events.APIGatewayProxyRequest) (string, *reply) {
	v, given, ok := queryParam(ev, "cursor")
	if !given {
		return "", nil
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(v)
	if !ok || err != nil || len(b) != 16 {
		bad := errorReply(api.CodeInvalidCursor, "cursor must be a next_cursor from a GET /items reply.")
		return "", &bad
	}
	return items.FormatID([16]byte(b)), nil
}

// queryParam reads a query parameter: its value, whether it was given, and false when it was
// given twice with different values.
func queryParam(ev events.APIGatewayProxyRequest, name string) (value string, given, ok bool) {
	vs := ev.MultiValueQueryStringParameters[name]
	if v, single := ev.QueryStringParameters[name]; single {
		vs = append(vs, v)
	}
	if len(vs) == 0 {
		return "", false, true
	}
	for _, v := range vs[1:] {
		if v != vs[0] {
			return "", true, false
		}
	}
	return vs[0], true, true
}

// itemID reads the {id} of /items/{id}.
func itemID(ev events.APIGatewayProxyRequest) (string, *reply) {
	id := ev.PathParameters["id"]
	if _, ok := items.ParseID(id); !ok {
		bad := errorReply(api.CodeInvalidID, "The item id is not one this API hands out.")
		return "", &bad
	}
	return id, nil
}

// noSuchItem is the answer for an id that is not one of the caller's items, whether another
// caller has an item with that id or nobody has: the two must not be told apart.
func noSuchItem() reply {
	return errorReply(api.CodeNotFound, "There is no such item.")
}

func (h *Handler) getItem(ctx context.Context, r request) reply {
	id, bad := itemID(r.event)
	if bad != nil {
		return *bad
	}
	it, found, err := h.items.get(ctx, r.caller.Subject, id)
	switch {
	case err != nil:
		return storeFailed(err)
	case !found:
		return noSuchItem()
	}
	return jsonReply(http.StatusOK, it)
}

func (h *Handler) deleteItem(ctx context.Context, r request) reply {
	id, bad := itemID(r.event)
	if bad != nil {
		return *bad
	}
	found, err := h.items.remove(ctx, r.caller.Subject, id)
	switch {
	case err != nil:
		return storeFailed(err)
	case !found:
		return noSuchItem()
	}
	return reply{status: http.StatusNoContent}
}

// createItem answers POST /items. Its Idempotency-Key (required) is claimed in the caller's
// partition before the item is written, so that a retry with the same key and body gets the
// first reply and creates nothing, and the same key with another body is refused:
//
//  1. a live claim of the key answers: another body 422; a finished claim, or an unfinished one
//     old enough that its request is over, the first reply (finishing the write if needed);
//     an unfinished young one 409, since its request may still be running;
//  2. otherwise the cap is checked, the claim written (only if no live one exists: of two
//     concurrent requests one wins, the other goes back to 1), the item written, the claim
//     marked finished.
//
// The per-caller cap is read before the claim: concurrent creations can pass it by as many as
// run at once. An item written by a claim that its request did not finish, deleted before a
// retry finishes the claim, comes back with that retry.
func (h *Handler) createItem(ctx context.Context, r request) reply {
	name, bad := readNewItem(r)
	if bad != nil {
		return *bad
	}
	key, bad := idempotencyKey(r.event)
	if bad != nil {
		return *bad
	}
	owner, now := r.caller.Subject, h.now()
	sum := sha256.Sum256([]byte(key))
	keyHash := hex.EncodeToString(sum[:])
	sum = sha256.Sum256([]byte(name))
	fingerprint := hex.EncodeToString(sum[:])
	for range 2 {
		c, found, err := h.items.getClaim(ctx, owner, keyHash, now)
		if err != nil {
			return storeFailed(err)
		}
		if found {
			return h.answerClaim(ctx, c, fingerprint, now)
		}
		n, err := h.items.count(ctx, owner, api.MaxItemsPerOwner)
		if err != nil {
			return storeFailed(err)
		}
		if n >= api.MaxItemsPerOwner {
			return errorReply(api.CodeTooManyItems, "No room for more items.")
		}
		c = claim{
			keyHash: keyHash, fingerprint: fingerprint, claimedAt: now, expiresAt: now.Add(idempotencyTTL),
			item: api.Item{ID: h.ids.New(now), Name: name, Owner: owner, CreatedAt: now.UTC().Truncate(time.Second)},
		}
		won, err := h.items.putClaim(ctx, c, now)
		if err != nil {
			return storeFailed(err)
		}
		if won {
			return h.finish(ctx, c, false)
		}
		// Another request with this key claimed it between our read and our write.
	}
	return storeFailed(errors.New("the idempotency record changed twice during one request"))
}

// answerClaim answers a request whose key has a live claim.
func (h *Handler) answerClaim(ctx context.Context, c claim, fingerprint string, now time.Time) reply {
	switch {
	case c.fingerprint != fingerprint:
		return errorReply(api.CodeIdempotencyKeyReused,
			"This Idempotency-Key was used with another body; use a new key for a new item.")
	case !c.done && now.Sub(c.claimedAt) < claimStale:
		r := errorReply(api.CodeIdempotencyKeyInUse, "A request with this Idempotency-Key is still running; retry shortly.")
		r.header("Retry-After", "1")
		return r
	}
	return h.finish(ctx, c, true)
}

// finish writes a claim's item unless the claim is finished, marks it finished, and answers
// with the item; replayed marks a reply given before.
func (h *Handler) finish(ctx context.Context, c claim, replayed bool) reply {
	if !c.done {
		// An item there already was written by a request that did not finish the claim; it
		// stays as it is.
		if err := h.items.put(ctx, c.item); err != nil {
			return storeFailed(err)
		}
		if err := h.items.finishClaim(ctx, c); err != nil {
			return storeFailed(err)
		}
	}
	r := jsonReply(http.StatusCreated, c.item)
	if replayed {
		r.header("Idempotent-Replayed", "true")
	}
	return r
}

// idempotencyKey reads the Idempotency-Key header: required, one value, 1 to 255 visible
// ASCII characters, written bare or as a quoted string (the IETF draft's sf-string form).
func idempotencyKey(ev events.APIGatewayProxyRequest) (string, *reply) {
	v, found, ok := singleHeader(ev, "Idempotency-Key")
	if !found {
		bad := errorReply(api.CodeIdempotencyKeyMissing, "Send an Idempotency-Key header, such as a new UUID for each new item.")
		return "", &bad
	}
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	valid := ok && v != "" && len(v) <= api.MaxIdempotencyKey && !strings.ContainsFunc(v, func(c rune) bool { return c < 0x21 || c > 0x7e || c == '"' })
	if !valid {
		bad := errorReply(api.CodeInvalidIdempotencyKey, "Idempotency-Key must be one value of 1 to 255 visible ASCII characters, such as a UUID.")
		return "", &bad
	}
	return v, nil
}

// readNewItem reads and checks POST /items' body, and returns the name, trimmed.
func readNewItem(r request) (string, *reply) {
	body, bad := readBody(r)
	if bad != nil {
		return "", bad
	}
	var in struct {
		Name *string `json:"name"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	refuse := func(code api.ErrorCode, msg string) (string, *reply) {
		bad := errorReply(code, msg)
		return "", &bad
	}
	if err := dec.Decode(&in); err != nil || dec.Decode(&struct{}{}) != io.EOF {
		return refuse(api.CodeInvalidJSON, `Send a JSON object such as {"name": "Buy milk"}.`)
	}
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		return refuse(api.CodeInvalidName, "name is required.")
	}
	name := strings.TrimSpace(*in.Name)
	if utf8.RuneCountInString(name) > api.MaxNameRunes {
		return refuse(api.CodeInvalidName, "name must be at most 100 characters.")
	}
	if strings.ContainsFunc(name, unicode.IsControl) {
		return refuse(api.CodeInvalidName, "name must not contain control characters.")
	}
	return name, nil
}

// readBody returns the request body, decoded if API Gateway base64-encoded it, within the cap.
func readBody(r request) ([]byte, *reply) {
	tooLarge := errorReply(api.CodeBodyTooLarge, "The body must be at most 4 KiB.")
	raw := r.event.Body
	if !r.event.IsBase64Encoded {
		if len(raw) > api.MaxBodyBytes {
			return nil, &tooLarge
		}
		return []byte(raw), nil
	}
	if base64.StdEncoding.DecodedLen(len(raw)) > api.MaxBodyBytes+2 {
		return nil, &tooLarge
	}
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		bad := errorReply(api.CodeInvalidJSON, "The body is not valid base64.")
		return nil, &bad
	}
	if len(b) > api.MaxBodyBytes {
		return nil, &tooLarge
	}
	return b, nil
}
