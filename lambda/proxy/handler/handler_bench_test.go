package handler_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
	"github.com/cognito-apigw/cognito-apigw/lambda/proxy/handler"
)

// BenchmarkMe measures one GET /me request as it reaches the Lambda: a real-shaped API Gateway
// event (the sample event me-id-token: Cognito authorizer claims, browser headers, an allowed
// Origin) through Handle to the JSON reply with its CORS headers. bench/run reports ns/op and
// allocs/op; the budget is under 20 us and a handful of allocations per request.
func BenchmarkMe(b *testing.B) {
	cfg := fnenv.Proxy{Routes: testkit.SampleRoutes(), Clients: fnenv.Clients{Web: []string{client}}, AllowedOrigins: []string{appOrigin}}
	h, err := handler.New(cfg, &handler.Options{
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Now:    func() time.Time { return fixedNow },
	})
	if err != nil {
		b.Fatal(err)
	}
	ev := testkit.ProxyEvent(b, "me-id-token")
	ctx := context.Background()
	resp, err := h.Handle(ctx, ev)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("GET /me: status %d, err %v, body %s", resp.StatusCode, err, resp.Body)
	}
	b.ReportAllocs()
	for b.Loop() {
		h.Handle(ctx, ev)
	}
}
