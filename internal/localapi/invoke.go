package localapi

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// DefaultLambdaAddr is where cmd/local answers Lambda invocations unless told otherwise: next
// to cognito-local's own port, 9229.
const DefaultLambdaAddr = "127.0.0.1:9230"

// invokePath is Lambda's Invoke API: POST /2015-03-31/functions/{name}/invocations.
const (
	invokePrefix = "/2015-03-31/functions/"
	invokeSuffix = "/invocations"
)

// FunctionURL is the Invoke URL of a function served at base (http://127.0.0.1:9230): what
// `authctl setup-local` writes as the local pool's trigger, for cognito-local to call.
func FunctionURL(base, name string) string {
	return strings.TrimSuffix(base, "/") + invokePrefix + name + invokeSuffix
}

// Function is one Lambda function's code: the event as JSON in, the result as JSON out.
type Function func(ctx context.Context, payload []byte) ([]byte, error)

// maxPayloadBytes is Lambda's limit on a synchronous invocation's payload.
const maxPayloadBytes = 6 << 20

// functionTimeout is what Cognito gives a trigger.
const functionTimeout = 5 * time.Second

// Functions answers Lambda's Invoke API for the functions given by name, as Lambda does for a
// synchronous (RequestResponse) invocation: 200 with the function's result; a function's
// error as 200 with X-Amz-Function-Error: Unhandled and {"errorMessage", "errorType"}; an
// unknown function 404 ResourceNotFoundException. It is for cognito-local, which calls the
// user pool's triggers this way; nothing but loopback may reach it.
func Functions(fns map[string]Function, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		status, name := invoke(w, r, fns, logger)
		logger.LogAttrs(r.Context(), slog.LevelInfo, "invocation", slog.String("function", name),
			slog.Int("status", status), slog.Duration("latency", time.Since(start)))
	})
}

func invoke(w http.ResponseWriter, r *http.Request, fns map[string]Function, logger *slog.Logger) (int, string) {
	name, ok := strings.CutPrefix(r.URL.Path, invokePrefix)
	if ok {
		name, ok = strings.CutSuffix(name, invokeSuffix)
	}
	fn := fns[name]
	if !ok || fn == nil || strings.Contains(name, "/") {
		return lambdaError(w, http.StatusNotFound, "ResourceNotFoundException", "Function not found: "+r.URL.Path), name
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return lambdaError(w, http.StatusMethodNotAllowed, "InvalidRequestContentException", "Invoke takes POST"), name
	}
	payload, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPayloadBytes))
	if err != nil {
		return lambdaError(w, http.StatusRequestEntityTooLarge, "RequestTooLargeException", "Request must be smaller than 6291456 bytes for the InvokeFunction operation"), name
	}
	ctx, cancel := context.WithTimeout(r.Context(), functionTimeout)
	defer cancel()
	out, err := fn(ctx, payload)
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		logger.Warn("function failed", "function", name, "error", err.Error())
		w.Header().Set("X-Amz-Function-Error", "Unhandled")
		b, _ := json.Marshal(map[string]string{"errorMessage": err.Error(), "errorType": "Error"})
		w.WriteHeader(http.StatusOK)
		w.Write(b)
		return http.StatusOK, name
	}
	w.WriteHeader(http.StatusOK)
	w.Write(out)
	return http.StatusOK, name
}

// lambdaError writes one of the Lambda service's own error replies.
func lambdaError(w http.ResponseWriter, status int, errorType, message string) int {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", errorType)
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"Type": "User", "message": message})
	w.Write(b)
	return status
}
