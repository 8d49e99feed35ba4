// Package localapi plays API Gateway for the local API server: it matches a request against
// the route table, checks the bearer token the way the stage's Cognito user pools authorizer
// would, builds the REST proxy event (claims in requestContext.authorizer.claims, every value a
// string) and calls the very handler function the Lambda runs. Its own refusals copy API
// Gateway's: 401 {"message":"Unauthorized"}, 403 {"message":"Missing Authentication Token"},
// with the CORS headers the stack adds to gateway responses.
package localapi

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/apigwclaims"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
	"github.com/cognito-apigw/cognito-apigw/internal/origin"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
	"github.com/cognito-apigw/cognito-apigw/internal/verifier"
)

// TokenVerifier is the part of *verifier.Verifier the gateway uses.
type TokenVerifier interface {
	VerifyAny(ctx context.Context, token string) (*verifier.Claims, error)
}

// HandlerFunc is the Lambda's handler function, (*handler.Handler).Handle.
type HandlerFunc func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error)

// Options configure New. All but Logger are required.
type Options struct {
	Routes   routes.Table
	Verifier TokenVerifier
	Handler  HandlerFunc
	// CORS is the stage's cors setting: it drives preflight replies and the headers of the
	// gateway's own error replies, as the API stack configures API Gateway.
	CORS config.CORS
	// Stage names the API stage in the event (requestContext.stage and .path).
	Stage string
	// Logger gets one line per request; nil discards them.
	Logger *slog.Logger
}

// Gateway is an http.Handler that stands in for API Gateway in front of the handler.
type Gateway struct {
	routes   routes.Table
	verifier TokenVerifier
	handler  HandlerFunc
	cors     config.CORS
	stage    string
	log      *slog.Logger
}

// New checks opts and builds a Gateway.
func New(opts Options) (*Gateway, error) {
	var errs []error
	if len(opts.Routes) == 0 {
		errs = append(errs, errors.New("localapi: no routes"))
	}
	if opts.Verifier == nil {
		errs = append(errs, errors.New("localapi: no token verifier"))
	}
	if opts.Handler == nil {
		errs = append(errs, errors.New("localapi: no handler"))
	}
	if opts.Stage == "" {
		errs = append(errs, errors.New("localapi: no stage name"))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Gateway{routes: opts.Routes, verifier: opts.Verifier, handler: opts.Handler, cors: opts.CORS, stage: opts.Stage, log: log}, nil
}

// MaxBodyBytes is API Gateway's payload limit.
const MaxBodyBytes = 10 << 20

// corsAllowHeaders and corsAllowMethods are what the API stack (through CDK's CORS options)
// sends in preflight replies.
var corsAllowHeaders = strings.Join(origin.RequestHeaders, ",")

const corsAllowMethods = "OPTIONS,GET,PUT,POST,DELETE,PATCH,HEAD"

// outcome is what the request line logs.
type outcome struct {
	status int
	sub    string
	reason string // why the gateway refused, never token data
}

func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	out := g.serve(w, r, start)
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path), // not the query: it may carry secrets
		slog.Int("status", out.status),
		slog.Duration("latency", time.Since(start)),
	}
	if out.sub != "" {
		attrs = append(attrs, slog.String("sub", out.sub))
	}
	if out.reason != "" {
		attrs = append(attrs, slog.String("reason", out.reason))
	}
	g.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
}

func (g *Gateway) serve(w http.ResponseWriter, r *http.Request, start time.Time) outcome {
	requestID := newRequestID()
	w.Header().Set("x-amzn-RequestId", requestID)

	if r.Method == http.MethodOptions && len(g.cors.AllowOrigins) > 0 {
		// CDK adds an OPTIONS method without authorization to every resource.
		g.preflight(w, r)
		return outcome{status: http.StatusNoContent}
	}
	resource, params, route, ok := g.match(r.Method, r.URL.Path)
	if !ok {
		return g.refuse(w, r, http.StatusForbidden, "MissingAuthenticationTokenException", "Missing Authentication Token", "no method on this resource")
	}
	var sub string // the caller, once known, for the request line
	refuse := func(status int, errorType, message, reason string) outcome {
		out := g.refuse(w, r, status, errorType, message, reason)
		out.sub = sub
		return out
	}

	var authorizer map[string]any
	if route.Access != routes.Public {
		c, reason := g.authorize(r.Context(), r.Header.Get("Authorization"), route)
		if c != nil {
			sub = c.Subject
		}
		if reason != "" {
			return refuse(http.StatusUnauthorized, "UnauthorizedException", "Unauthorized", reason)
		}
		authorizer = authorizerContext(c)
	}

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		return refuse(http.StatusRequestEntityTooLarge, "", "Request Too Long", "body over the payload limit or unreadable")
	}
	resp, err := g.handler(r.Context(), g.event(r, resource, params, authorizer, body, requestID, start))
	if err != nil || resp.StatusCode < 200 || resp.StatusCode > 599 {
		// What API Gateway does with a failed invocation or a malformed proxy response. A 1xx
		// is no final status: net/http would send it as an interim reply and then a 200 (or
		// switch protocols on 101), so the client would never see it.
		return refuse(http.StatusBadGateway, "", "Internal server error", "handler returned an error or a bad status")
	}
	respBody := []byte(resp.Body)
	if resp.IsBase64Encoded {
		if respBody, err = base64.StdEncoding.DecodeString(resp.Body); err != nil {
			return refuse(http.StatusBadGateway, "", "Internal server error", "handler returned bad base64")
		}
	}
	writeResponse(w, resp, respBody)
	return outcome{status: resp.StatusCode, sub: sub}
}

// match finds the resource and route API Gateway would pick for a request; ok is false when
// the resource has no such method, which API Gateway answers with 403.
func (g *Gateway) match(method, path string) (resource string, params map[string]string, route routes.Route, ok bool) {
	// The stack adds ANY on the catch-all with the API's default: the Cognito authorizer.
	catchAll := routes.Route{Method: "ANY", Path: routes.ProxyPath, Access: routes.Protected}
	// {proxy+} does not match the root, but CDK's proxy resource under the root also adds ANY /
	// (with the API's default authorizer) when the table has no route there; the root's
	// methods of its own leave the others to it.
	rootAny := routes.Route{Method: "ANY", Path: "/", Access: routes.Protected}

	resource, params = g.routes.Match(path)
	switch {
	case resource == routes.ProxyPath && params["proxy"] == "":
		return "/", nil, rootAny, true
	case resource == routes.ProxyPath:
		return resource, params, catchAll, true
	}
	if route, ok = g.routes.Lookup(method, resource); !ok && resource == "/" {
		return resource, params, rootAny, true
	}
	return resource, params, route, ok
}

// authorizerContext is requestContext.authorizer as the Cognito authorizer fills it.
func authorizerContext(c *verifier.Claims) map[string]any {
	claims := map[string]any{}
	for k, v := range apigwclaims.Encode(c.Raw) {
		claims[k] = v
	}
	return map[string]any{"claims": claims}
}

// writeResponse sends the handler's proxy response: its headers, multi-value ones replacing
// single ones of the same name, as API Gateway merges them.
func writeResponse(w http.ResponseWriter, resp events.APIGatewayProxyResponse, body []byte) {
	h := w.Header()
	for k, v := range resp.Headers {
		h.Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		h.Del(k)
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(body)
}

// authorize checks the token as the Cognito user pools authorizer does: the route table's rule
// for token use (an ID token on methods without scopes) and scopes (an access token carrying one
// of them); app clients and groups are the handler's part. It returns the claims it could verify, and a reason
// when the request is refused.
func (g *Gateway) authorize(ctx context.Context, header string, route routes.Route) (*verifier.Claims, string) {
	token, ok := verifier.TokenFromAuthorizationHeader(header)
	if !ok {
		return nil, "no bearer token"
	}
	c, err := g.verifier.VerifyAny(ctx, token)
	if err != nil {
		return nil, err.Error() // the verifier's errors never quote the token
	}
	switch v := route.Decide(routes.Caller{TokenUse: string(c.TokenUse), Scopes: c.Scopes}); v {
	case routes.DeniedWrongTokenUse:
		return c, "method needs an " + route.Access.TokenUse() + " token"
	case routes.DeniedInsufficientScope:
		return c, "token lacks the method's scopes " + strings.Join(route.Scopes, " ")
	}
	return c, ""
}

// event builds the REST API proxy event API Gateway would send for r.
func (g *Gateway) event(r *http.Request, resource string, params map[string]string, authorizer map[string]any, body []byte, requestID string, now time.Time) events.APIGatewayProxyRequest {
	e := events.APIGatewayProxyRequest{
		Resource:   resource,
		Path:       r.URL.Path,
		HTTPMethod: r.Method,
		RequestContext: events.APIGatewayProxyRequestContext{
			AccountID:    "000000000000",
			ResourceID:   "local",
			Stage:        g.stage,
			DomainName:   r.Host,
			RequestID:    requestID,
			Protocol:     r.Proto,
			ResourcePath: resource,
			Path:         "/" + g.stage + r.URL.Path,
			Authorizer:   authorizer,
			HTTPMethod:   r.Method,
			RequestTime:  now.UTC().Format("02/Jan/2006:15:04:05 -0700"),
			// API Gateway's epoch is in milliseconds.
			RequestTimeEpoch: now.UnixMilli(),
			APIID:            "local",
			Identity: events.APIGatewayRequestIdentity{
				SourceIP:  sourceIP(r.RemoteAddr),
				UserAgent: r.UserAgent(),
			},
		},
	}
	if len(params) > 0 {
		e.PathParameters = params
	}
	// Go moves Host out of the header map; API Gateway passes it on.
	headers := r.Header.Clone()
	if r.Host != "" {
		headers.Set("Host", r.Host)
	}
	e.Headers, e.MultiValueHeaders = flatten(headers)
	e.QueryStringParameters, e.MultiValueQueryStringParameters = flatten(r.URL.Query())
	// Without binary media types API Gateway passes text; anything else is base64 here. No
	// body is the empty text.
	if utf8.Valid(body) {
		e.Body = string(body)
	} else {
		e.Body, e.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
	}
	return e
}

// flatten gives API Gateway's two views of repeated values: the last one, and all of them.
// Both are nil when there are none, as in a real event.
func flatten(m map[string][]string) (map[string]string, map[string][]string) {
	if len(m) == 0 {
		return nil, nil
	}
	single := make(map[string]string, len(m))
	multi := make(map[string][]string, len(m))
	for k, vs := range m {
		if len(vs) == 0 {
			continue
		}
		single[k] = vs[len(vs)-1]
		multi[k] = slices.Clone(vs)
	}
	return single, multi
}

func sourceIP(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return remoteAddr
	}
	return host
}

// refuse writes one of API Gateway's own replies, with the CORS headers the stack adds to its
// DEFAULT_4XX and DEFAULT_5XX gateway responses so that browsers can read them.
func (g *Gateway) refuse(w http.ResponseWriter, r *http.Request, status int, errorType, message, reason string) outcome {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if errorType != "" {
		h.Set("x-amzn-ErrorType", errorType)
	}
	if allow := origin.GatewayError(g.cors.AllowOrigins); allow != "" {
		h.Set("Access-Control-Allow-Origin", allow)
		h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
		h.Set("Vary", "Origin")
	}
	w.WriteHeader(status)
	io.WriteString(w, `{"message":"`+message+`"}`)
	return outcome{status: status, reason: reason}
}

// preflight answers OPTIONS as CDK's mock integration does: the configured origin, or with
// several origins the caller's own when it is one of them and the first one otherwise.
func (g *Gateway) preflight(w http.ResponseWriter, r *http.Request) {
	origins := g.cors.AllowOrigins
	allow := origins[0]
	if o := r.Header.Get("Origin"); len(origins) > 1 && origin.Allowed(origins, o) {
		allow = o
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", allow)
	h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
	h.Set("Access-Control-Allow-Methods", corsAllowMethods)
	h.Set("Access-Control-Max-Age", strconv.Itoa(g.cors.MaxAgeSeconds))
	h.Set("Vary", "Origin")
	w.WriteHeader(http.StatusNoContent)
}

// newRequestID returns a random UUID-shaped id, like API Gateway's request ids.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	s := hex.EncodeToString(b[:])
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}
