package handler

import (
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/apidoc"
)

// TestErrorCodesDescribed: the API description (internal/apidoc) lists exactly the handler's
// error codes, each with the status the handler answers it with.
func TestErrorCodesDescribed(t *testing.T) {
	handler := map[string]int{
		codeUnauthenticated: 401, codeInvalidToken: 401, codeWrongTokenUse: 401, codeClientNotAllowed: 401,
		codeClientNotAllowedHere: 403, codeInsufficientScope: 403, codeNotInGroup: 403,
		codeNotFound: 404, codeInvalidJSON: 400, codeInvalidName: 400, codeBodyTooLarge: 413,
		codeTooManyItems: 409, codeNotImplemented: 501, codeInternal: 500,
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
}
