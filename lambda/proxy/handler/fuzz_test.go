package handler_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
)

// malformedEvents are events API Gateway could deliver after a misconfiguration or to a buggy
// client: each must get a 4xx JSON reply, never a 5xx or a panic.
var malformedEvents = map[string]string{
	"no request context":    `{"resource":"/me","path":"/me","httpMethod":"GET"}`,
	"claims not an object":  `{"resource":"/me","httpMethod":"GET","requestContext":{"authorizer":{"claims":["sub"]}}}`,
	"claims of wrong types": `{"resource":"/me","httpMethod":"GET","requestContext":{"authorizer":{"claims":{"sub":7,"token_use":true,"aud":null,"exp":{}}}}}`,
	"groups of wrong type":  `{"resource":"/admin","httpMethod":"GET","requestContext":{"authorizer":{"claims":{"sub":"s","token_use":"id","aud":"4n7d2kq8v1l5h9s3c6b0x2m7pa","cognito:groups":{"a":1}}}}}`,
	"unknown method":        `{"resource":"/items","httpMethod":"BREW","requestContext":{}}`,
	"empty method":          `{"resource":"/health","httpMethod":"","requestContext":{}}`,
	"unknown resource":      `{"resource":"/nope","httpMethod":"GET","requestContext":{}}`,
	"invalid JSON body":     `{"resource":"/items","httpMethod":"POST","body":"{\"name\":","requestContext":{"authorizer":{"claims":{"sub":"s","token_use":"access","client_id":"4n7d2kq8v1l5h9s3c6b0x2m7pa","scope":"demo-api/write"}}}}`,
	"bad base64 body":       `{"resource":"/items","httpMethod":"POST","body":"***","isBase64Encoded":true,"requestContext":{"authorizer":{"claims":{"sub":"s","token_use":"access","client_id":"4n7d2kq8v1l5h9s3c6b0x2m7pa","scope":"demo-api/write"}}}}`,
	"huge headers":          `{"resource":"/me","httpMethod":"GET","headers":{"Origin":"` + strings.Repeat("o", 1<<16) + `","X":"` + strings.Repeat("x", 1<<20) + `"},"requestContext":{}}`,
	"huge body":             `{"resource":"/items","httpMethod":"POST","body":"` + strings.Repeat("a", 1<<20) + `","requestContext":{"authorizer":{"claims":{"sub":"s","token_use":"access","client_id":"4n7d2kq8v1l5h9s3c6b0x2m7pa","scope":"demo-api/write"}}}}`,
}

func TestMalformedEventsGet4xx(t *testing.T) {
	h, _ := newHandler(t, testkit.SampleRoutes())
	for name, raw := range malformedEvents {
		t.Run(name, func(t *testing.T) {
			var ev events.APIGatewayProxyRequest
			if err := json.Unmarshal([]byte(raw), &ev); err != nil {
				t.Fatal(err)
			}
			resp := call(t, h, ev)
			if resp.StatusCode < 400 || resp.StatusCode > 499 {
				t.Fatalf("status %d, want 4xx: %s", resp.StatusCode, resp.Body)
			}
			if code, _ := field(decode(t, resp), "error.code").(string); code == "" {
				t.Errorf("no error code in %s", resp.Body)
			}
		})
	}
}

// FuzzHandleRawEvent feeds raw event JSON to the handler: any event the Lambda runtime can
// decode gets a JSON reply below 500, and the handler never panics or returns an error.
func FuzzHandleRawEvent(f *testing.F) {
	for _, path := range testkit.ProxyEventFiles(f) {
		f.Add(testkit.ReadFile(f, path))
	}
	for _, raw := range malformedEvents {
		if len(raw) < 4096 {
			f.Add([]byte(raw))
		}
	}
	h, _ := newHandler(f, testkit.SampleRoutes())
	f.Fuzz(func(t *testing.T, raw []byte) {
		var ev events.APIGatewayProxyRequest
		if json.Unmarshal(raw, &ev) != nil {
			return // the runtime rejects it before the handler runs
		}
		resp, err := h.Handle(context.Background(), ev)
		if err != nil {
			t.Fatalf("Handle returned an error: %v", err)
		}
		if resp.StatusCode < 200 || resp.StatusCode >= 500 {
			t.Fatalf("status %d for %s: %s", resp.StatusCode, raw, resp.Body)
		}
		if resp.Body != "" && !json.Valid([]byte(resp.Body)) {
			t.Fatalf("reply is not JSON: %q", resp.Body)
		}
	})
}
