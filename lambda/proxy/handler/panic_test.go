package handler

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// healthOnly is a table of GET /health alone, whose endpoint the tests below replace.
func healthOnly() fnenv.Proxy {
	return fnenv.Proxy{Routes: routes.Table{{Method: "GET", Path: "/health", Access: routes.Public}}, Clients: fnenv.Clients{Web: []string{"client"}}}
}

func TestPanicBecomes500(t *testing.T) {
	var logs bytes.Buffer
	cfg := healthOnly()
	cfg.AllowedOrigins = []string{"*"}
	h, err := New(cfg, &Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	h.endpoints["GET /health"] = func(context.Context, request) reply {
		panic("database password is hunter2")
	}
	ev := events.APIGatewayProxyRequest{HTTPMethod: "GET", Resource: "/health", Headers: map[string]string{"Origin": "https://a.example"}}
	resp, err := h.Handle(context.Background(), ev)
	if err != nil {
		t.Fatalf("Handle returned %v; want nil so that API Gateway does not answer 502", err)
	}
	if resp.StatusCode != 500 || resp.Body != internalErrorBody {
		t.Errorf("reply = %d %s; want 500 %s", resp.StatusCode, resp.Body, internalErrorBody)
	}
	if resp.Headers["Access-Control-Allow-Origin"] != "*" {
		t.Errorf("500 reply lacks CORS headers: %v", resp.Headers)
	}
	if !strings.Contains(logs.String(), "handler panic") || !strings.Contains(logs.String(), "hunter2") {
		t.Errorf("panic not logged: %s", logs.String())
	}
}

// TestReplyEncodingFailure: a body that cannot be encoded gives the fixed 500 body.
func TestReplyEncodingFailure(t *testing.T) {
	h, err := New(healthOnly(),
		&Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	h.endpoints["GET /health"] = func(context.Context, request) reply {
		return jsonReply(200, map[string]any{"bad": func() {}})
	}
	resp, err := h.Handle(context.Background(), events.APIGatewayProxyRequest{HTTPMethod: "GET", Resource: "/health"})
	if err != nil || resp.StatusCode != 500 || resp.Body != internalErrorBody {
		t.Errorf("reply = %d %s, %v; want 500 %s", resp.StatusCode, resp.Body, err, internalErrorBody)
	}
}
