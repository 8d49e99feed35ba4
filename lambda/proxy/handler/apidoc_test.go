package handler

import (
	"regexp"
	"testing"
	"time"

	"github.com/cognito-apigw/cognito-apigw/internal/apidoc"
	"github.com/cognito-apigw/cognito-apigw/internal/items"
)

// TestErrorCodesDescribed: the API description (internal/apidoc) lists exactly the handler's
// error codes, each with the status the handler answers it with.
func TestErrorCodesDescribed(t *testing.T) {
	handler := map[string]int{
		codeUnauthenticated: 401, codeInvalidToken: 401, codeWrongTokenUse: 401, codeClientNotAllowed: 401,
		codeClientNotAllowedHere: 403, codeInsufficientScope: 403, codeNotInGroup: 403,
		codeNotFound: 404, codeInvalidJSON: 400, codeInvalidName: 400, codeBodyTooLarge: 413,
		codeTooManyItems: 409, codeNotImplemented: 501, codeInternal: 500,
		codeInvalidLimit: 400, codeInvalidCursor: 400, codeInvalidID: 400, codeIdempotencyKeyMissing: 400,
		codeInvalidIdempotencyKey: 400, codeIdempotencyKeyReused: 422, codeIdempotencyKeyInUse: 409, codeItemsUnavailable: 503,
	}
	described := map[string]int{}
	for _, c := range apidoc.ErrorCodes {
		described[c.Code] = c.Status
	}
	for code, status := range handler {
		if got, ok := described[code]; !ok || got != status {
			t.Errorf("handler code %s (%d): described as %d (0: not at all)", code, status, got)
		}
	}
	for code := range described {
		if _, ok := handler[code]; !ok {
			t.Errorf("apidoc describes %s, which the handler does not answer", code)
		}
	}
	if apidoc.MaxNameRunes != maxNameRunes {
		t.Errorf("apidoc.MaxNameRunes = %d, the handler takes names of up to %d", apidoc.MaxNameRunes, maxNameRunes)
	}
	if apidoc.MaxPageSize != maxPageSize || apidoc.DefaultPageSize != defaultPageSize {
		t.Errorf("apidoc's pages: %d by default, at most %d; the handler's %d and %d", apidoc.DefaultPageSize, apidoc.MaxPageSize, defaultPageSize, maxPageSize)
	}
	// The description's id pattern takes exactly the ids the handler takes.
	pattern := regexp.MustCompile(apidoc.ItemIDPattern)
	var ids items.IDs
	for _, id := range []string{ids.New(time.Now()), ids.New(time.Time{}), "7ZZZZZZZZZZZZZZZZZZZZZZZZZ", "8ZZZZZZZZZZZZZZZZZZZZZZZZZ",
		"01KBQ4Z7R2M8V5X9C3N6P1T0WI", "01KBQ4Z7R2M8V5X9C3N6P1T0WU", "01kbq4z7r2m8v5x9c3n6p1t0wa", "01KBQ4Z7R2M8V5X9C3N6P1T0W", "01KBQ4Z7R2M8V5X9C3N6P1T0WAA"} {
		if _, ok := items.ParseID(id); ok != pattern.MatchString(id) {
			t.Errorf("id %q: the handler takes it %v, apidoc.ItemIDPattern %v", id, ok, !ok)
		}
	}
}
