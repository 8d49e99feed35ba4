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

// getHealth is a request for the one route of withEndpoint's handlers.
var getHealth = events.APIGatewayProxyRequest{HTTPMethod: "GET", Resource: "/health"}

// withEndpoint is a handler of one public route, GET /health, that endpoint answers, for
// browsers from origins.
func withEndpoint(t *testing.T, origins []string, opts Options, endpoint func(context.Context, request) reply) *Handler {
	t.Helper()
	cfg := fnenv.Proxy{
		Routes:         routes.Table{{Method: "GET", Path: "/health", Access: routes.Public}},
		Clients:        fnenv.Clients{Web: []string{"client"}},
		AllowedOrigins: origins,
	}
	h, err := New(cfg, &opts)
	if err != nil {
		t.Fatal(err)
	}
	h.endpoints["GET /health"] = endpoint
	return h
}

func TestPanicBecomes500(t *testing.T) {
	var logs bytes.Buffer
	h := withEndpoint(t, []string{"*"}, Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))},
		func(context.Context, request) reply { panic("database password is hunter2") })
	ev := getHealth
	ev.Headers = map[string]string{"Origin": "https://a.example"}
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
	h := withEndpoint(t, nil, Options{Logger: slog.New(slog.DiscardHandler)}, func(context.Context, request) reply {
		return jsonReply(200, map[string]any{"bad": func() {}})
	})
	resp, err := h.Handle(context.Background(), getHealth)
	if err != nil || resp.StatusCode != 500 || resp.Body != internalErrorBody {
		t.Errorf("reply = %d %s, %v; want 500 %s", resp.StatusCode, resp.Body, err, internalErrorBody)
	}
}
