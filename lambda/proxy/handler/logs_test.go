package handler

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
)

// TestRefusalLogLevel: every reply from 400 on is logged, a 4xx (the caller's mistake) as a
// warning and a 5xx (ours) as an error; replies below 400 are not logged.
func TestRefusalLogLevel(t *testing.T) {
	for _, tc := range []struct {
		status int
		level  string // "" for no record
	}{
		{200, ""}, {399, ""}, {400, "WARN"}, {499, "WARN"}, {500, "ERROR"}, {599, "ERROR"},
	} {
		var logs bytes.Buffer
		h := withEndpoint(t, nil, Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))}, func(context.Context, request) reply {
			return errorReply(api.ErrorCode{Code: "some_code", Status: tc.status}, "Some message.")
		})
		resp, err := h.Handle(context.Background(), getHealth)
		if err != nil || resp.StatusCode != tc.status {
			t.Fatalf("status %d: got %d, %v", tc.status, resp.StatusCode, err)
		}
		if tc.level == "" {
			if logs.Len() > 0 {
				t.Errorf("status %d logged: %s", tc.status, logs.String())
			}
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal(logs.Bytes(), &rec); err != nil {
			t.Fatalf("status %d: want one JSON record: %v\n%s", tc.status, err, logs.String())
		}
		if rec["level"] != tc.level || rec["msg"] != "request refused" || rec["status"] != float64(tc.status) || rec["code"] != "some_code" {
			t.Errorf("status %d: record %v, want level %s", tc.status, rec, tc.level)
		}
	}
}
