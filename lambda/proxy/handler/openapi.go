package handler

import (
	"context"
	"net/http"
	"sync"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
	"github.com/cognito-apigw/cognito-apigw/internal/apidoc"
)

// openAPI answers GET /openapi.json, when the route table lists that route, with the API's
// description built from the handler's own table. The handler knows no login domain, issuer or
// client id, so the document's login URLs are placeholders it points out; `go run ./cmd/apidoc
// -outputs cdk-outputs.json` writes the full document. Built once, on the first request.
func (h *Handler) openAPI() endpoint {
	doc := sync.OnceValues(func() ([]byte, error) {
		return apidoc.OpenAPI(h.table, apidoc.Settings{Preflight: len(h.origins) > 0})
	})
	return func(context.Context, request) reply {
		b, err := doc()
		if err != nil {
			r := errorReply(api.CodeInternal, msgInternal)
			return *r.because(err)
		}
		return reply{status: http.StatusOK, raw: string(b)}
	}
}
