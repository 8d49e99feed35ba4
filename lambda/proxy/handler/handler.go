// Package handler is the API's Lambda proxy handler. API Gateway's Cognito authorizer has already
// checked the token's signature, expiry and (on scoped methods) scopes; this handler enforces what
// it cannot: the token use each route needs, the app client, the route's groups. It then runs the
// route's endpoint and always answers with JSON, CORS headers included, so that browsers show
// errors instead of hiding them.
package handler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
	"github.com/cognito-apigw/cognito-apigw/internal/apigwclaims"
	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/items"
	"github.com/cognito-apigw/cognito-apigw/internal/origin"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

// Options are the handler's optional settings; the zero value (or nil) is valid. What the
// stack hands the function is fnenv.Proxy, New's first argument.
type Options struct {
	// Logger receives problems as structured records; nil means JSON on stderr, which Lambda
	// sends to CloudWatch.
	Logger *slog.Logger
	// Now is the clock, for tests; nil means time.Now.
	Now func() time.Time
	// DynamoDB is the client of the items table (fnenv.Proxy.ItemsTable), such as a
	// *dynamodb.Client; required with a table, unused without one.
	DynamoDB DynamoDB
}

// expiryLeeway absorbs clock skew between API Gateway, which checked exp when it called the
// authorizer, and this function.
const expiryLeeway = 5 * time.Second

var (
	errNoExpiry = errors.New("claims carry no exp")
	errExpired  = errors.New("token expired; the authorizer's cached answer outlived it")
)

// Handler answers API Gateway REST proxy events. It is safe for concurrent use.
type Handler struct {
	table     routes.Table
	clients   map[string]string // app client id -> name (routes.WebClient or a machine client)
	origins   []string
	log       *slog.Logger
	now       func() time.Time
	endpoints map[string]endpoint
	items     *itemStore // nil without an items table: /items answers 503
	ids       items.IDs
}

// New checks what the stack hands the function (or cmd/local hands the handler) and builds a
// handler. It reports every problem at once. cfg.AllowedOrigins are the browser origins (such
// as https://app.example.com) that may read replies, "*" any: a request from another origin
// gets no Access-Control-Allow-Origin. Routes that name a machine client of cfg.Clients take
// its tokens. /items keeps items in cfg.ItemsTable through opts.DynamoDB; without a table
// (cmd/local without a local DynamoDB) its routes answer 503.
func New(cfg fnenv.Proxy, opts *Options) (*Handler, error) {
	table, allowedClientIDs := cfg.Routes, cfg.Clients.Web
	if opts == nil {
		opts = &Options{}
	}
	h := &Handler{
		table: table,
		log:   opts.Logger,
		now:   opts.Now,
	}
	var errs []error
	switch {
	case cfg.ItemsTable != "" && !fnenv.ValidTableName(cfg.ItemsTable):
		errs = append(errs, fmt.Errorf("items table: got %q; want a DynamoDB table name", cfg.ItemsTable))
	case cfg.ItemsTable != "" && opts.DynamoDB == nil:
		errs = append(errs, fmt.Errorf("items table %s: no DynamoDB client to reach it (Options.DynamoDB)", cfg.ItemsTable))
	case cfg.ItemsTable != "":
		h.items = &itemStore{db: opts.DynamoDB, table: cfg.ItemsTable}
	}
	if h.log == nil {
		h.log = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	if h.now == nil {
		h.now = time.Now
	}
	h.endpoints = h.implemented()

	if len(table) == 0 {
		errs = append(errs, errors.New("route table: want at least one route"))
	}
	// The stacks check the names against the user pool.
	for _, p := range table.CheckStructure("routes") {
		errs = append(errs, errors.New(p.String()))
	}
	for _, r := range table {
		if r.Access == routes.Public && api.NeedsCaller(r.Key()) {
			errs = append(errs, fmt.Errorf("routes: %s is public, but its endpoint needs a signed-in caller", r.Key()))
		}
	}
	var webIDs []string
	for i, id := range allowedClientIDs {
		if id = strings.TrimSpace(id); id == "" || strings.ContainsAny(id, ", \t\n") {
			errs = append(errs, fmt.Errorf("allowed client ids[%d]: got %q; want an app client id", i, id))
			continue
		}
		webIDs = append(webIDs, id)
	}
	var err error
	if h.clients, err = (fnenv.Clients{Web: webIDs, Machine: cfg.Clients.Machine}).Names(); err != nil {
		errs = append(errs, err)
	}
	if len(webIDs) == 0 && len(allowedClientIDs) == 0 {
		errs = append(errs, errors.New("allowed client ids: want at least one app client id (API Gateway does not check the client; the handler does)"))
	}
	for i, o := range cfg.AllowedOrigins {
		if msg := origin.Check(o); msg != "" {
			errs = append(errs, fmt.Errorf("allowed origins[%d]: got %q; %s", i, o, msg))
		}
	}
	h.origins = slices.Clone(cfg.AllowedOrigins)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, r := range table {
		if _, ok := h.endpoints[r.Key()]; !ok {
			h.log.Warn("route has no implementation; it answers 501", "route", r.Key())
		} else if h.items == nil && slices.Contains(itemEndpoints, r.Key()) {
			h.log.Warn("no items table; the route answers 503", "route", r.Key())
		}
	}
	return h, nil
}

// request is what an endpoint gets: the event, its route, and the caller (zero on public routes).
type request struct {
	event  events.APIGatewayProxyRequest
	route  routes.Route
	caller apigwclaims.Claims
}

// Handle answers one event. It never returns an error, which API Gateway would turn into a bare
// 502, and never panics: every outcome is a JSON reply.
func (h *Handler) Handle(ctx context.Context, event events.APIGatewayProxyRequest) (resp events.APIGatewayProxyResponse, err error) {
	if h == nil {
		return events.APIGatewayProxyResponse{
			StatusCode: http.StatusInternalServerError,
			Headers:    map[string]string{"Content-Type": "application/json"},
			Body:       internalErrorBody,
		}, nil
	}
	defer func() {
		if p := recover(); p != nil {
			h.log.ErrorContext(ctx, "handler panic", "request_id", event.RequestContext.RequestID,
				"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			resp, err = h.respond(ctx, event, errorReply(api.CodeInternal, msgInternal)), nil
		}
	}()
	return h.respond(ctx, event, h.serve(ctx, event)), nil
}

func (h *Handler) serve(ctx context.Context, event events.APIGatewayProxyRequest) reply {
	route, known := h.table.Lookup(event.HTTPMethod, event.Resource)
	if known && route.Access == routes.Public {
		return h.dispatch(ctx, request{event: event, route: route})
	}
	need := route
	if !known {
		// The catch-all is protected: callers prove who they are before learning what does not exist.
		need = routes.Route{Method: event.HTTPMethod, Path: routes.ProxyPath, Access: routes.Protected}
	}
	caller, denied := h.authorize(need, event.RequestContext)
	if denied != nil {
		return *denied
	}
	if !known {
		return errorReply(api.CodeNotFound, "There is no such resource.")
	}
	return h.dispatch(ctx, request{event: event, route: route, caller: caller})
}

// authorize checks the caller against a non-public route: the app client, which API Gateway's
// Cognito authorizer leaves to the backend, then the route table's rule, which the authorizer
// applies only in part (token use and scopes, not groups) and only if the method is configured.
func (h *Handler) authorize(route routes.Route, rc events.APIGatewayProxyRequestContext) (apigwclaims.Claims, *reply) {
	c, err := apigwclaims.ClaimsFromRequest(rc)
	switch {
	case errors.Is(err, apigwclaims.ErrNoClaims):
		r := errorReply(api.CodeUnauthenticated, "Sign in and send a bearer token.")
		// RFC 6750 section 3.1: no error code when the request had no credentials at all.
		r.header("WWW-Authenticate", "Bearer")
		return apigwclaims.Claims{}, r.because(err)
	case err != nil:
		return apigwclaims.Claims{}, unauthorized(api.CodeInvalidToken, "The token's claims cannot be read.").because(err)
	}
	// API Gateway caches the authorizer's answer for the token (up to the stage's
	// authorizerCacheSeconds), so a context can outlive the token it came from.
	if c.ExpiresAt.IsZero() {
		return c, unauthorized(api.CodeInvalidToken, "The token's claims cannot be read.").because(errNoExpiry).withCaller(c)
	}
	if now := h.now(); !now.Before(c.ExpiresAt.Add(expiryLeeway)) {
		return c, unauthorized(api.CodeInvalidToken, "The token has expired.").because(errExpired).withCaller(c)
	}
	client := h.clients[c.ClientID]
	verdict := route.Decide(c.Caller(client))
	// The wrong kind of token is the likelier mistake, and its answer the more useful.
	if verdict != routes.DeniedWrongTokenUse && client == "" {
		return c, unauthorized(api.CodeClientNotAllowed, "The token was issued to an app client this API does not accept.").withCaller(c)
	}
	switch verdict {
	case routes.Allowed:
		return c, nil
	case routes.DeniedClient:
		return c, forbidden(api.CodeClientNotAllowedHere, "This route does not take tokens of this app client.", nil).withCaller(c)
	case routes.DeniedWrongTokenUse:
		msg := "This route needs an ID token."
		if route.Access == routes.Scoped {
			msg = "This route needs an access token."
		}
		return c, unauthorized(api.CodeWrongTokenUse, msg).withCaller(c)
	case routes.DeniedInsufficientScope:
		return c, forbidden(api.CodeInsufficientScope, "The token lacks the scope this route needs.", route.Scopes).withCaller(c)
	case routes.DeniedNotInGroup:
		return c, forbidden(api.CodeNotInGroup, "The caller is not in a group this route allows.", nil).withCaller(c)
	}
	// DeniedUnauthenticated: claims without a token use cannot get here (ClaimsFromRequest
	// refuses them), but a new verdict must not let a caller through.
	return c, unauthorized(api.CodeInvalidToken, "The token's claims cannot be read.").withCaller(c)
}

func (h *Handler) dispatch(ctx context.Context, r request) reply {
	ep, ok := h.endpoints[r.route.Key()]
	if !ok {
		return errorReply(api.CodeNotImplemented, "This route is not implemented yet.")
	}
	return ep(ctx, r)
}

// respond turns a reply into the proxy response, adds CORS headers, and logs problems. It logs
// chosen fields only, never the event's headers: they hold the caller's token.
func (h *Handler) respond(ctx context.Context, event events.APIGatewayProxyRequest, r reply) events.APIGatewayProxyResponse {
	body, err := r.encode()
	if err != nil {
		h.log.ErrorContext(ctx, "cannot encode reply", "request_id", event.RequestContext.RequestID, "error", err.Error())
		r, body = errorReply(api.CodeInternal, msgInternal), internalErrorBody
	}
	headers := map[string]string{"Vary": "Origin"}
	if body != "" {
		headers["Content-Type"] = "application/json"
		headers["Cache-Control"] = "no-store"
	}
	for k, v := range r.headers {
		headers[k] = v
	}
	h.cors(event, headers)

	if r.status >= 400 {
		level := slog.LevelWarn
		if r.status >= 500 {
			level = slog.LevelError
		}
		attrs := []slog.Attr{
			slog.String("request_id", event.RequestContext.RequestID),
			slog.String("method", event.HTTPMethod),
			slog.String("resource", event.Resource),
			slog.Int("status", r.status),
			slog.String("code", r.code),
		}
		if r.sub != "" {
			attrs = append(attrs, slog.String("sub", r.sub), slog.String("client_id", r.clientID))
		}
		if r.cause != nil {
			attrs = append(attrs, slog.String("reason", r.cause.Error()))
		}
		h.log.LogAttrs(ctx, level, "request refused", attrs...)
	}
	return events.APIGatewayProxyResponse{StatusCode: r.status, Headers: headers, Body: body}
}

// exposeHeaders are the reply headers a page may read, joined once rather than per reply.
var exposeHeaders = strings.Join(origin.ReplyHeaders, ", ")

// cors lets allowed browser origins read the reply, errors included. Preflight requests never
// get here: API Gateway (and the local server) answer them from the stage's CORS settings.
func (h *Handler) cors(event events.APIGatewayProxyRequest, headers map[string]string) {
	from, ok := requestOrigin(event)
	if !ok || !origin.Allowed(h.origins, from) {
		return
	}
	if slices.Contains(h.origins, "*") {
		from = "*"
	}
	headers["Access-Control-Allow-Origin"] = from
	headers["Access-Control-Expose-Headers"] = exposeHeaders
}

// requestOrigin returns the request's Origin header whatever its spelling: API Gateway passes on the
// client's, in headers and multiValueHeaders. A browser sends one Origin; an event whose
// spellings or values disagree ("Origin: a" and "origin: b") has no usable origin, and gets no
// CORS headers, whatever order the maps iterate in.
func requestOrigin(event events.APIGatewayProxyRequest) (string, bool) {
	value, found, ok := singleHeader(event, "Origin")
	return value, found && ok && value != ""
}

// singleHeader reads a header whatever its spelling, from headers and multiValueHeaders: its
// value, whether it was sent, and false when it was sent with different values.
func singleHeader(event events.APIGatewayProxyRequest, name string) (value string, found, ok bool) {
	see := func(v string) bool {
		if found && v != value {
			return false
		}
		value, found = v, true
		return true
	}
	for k, v := range event.Headers {
		if strings.EqualFold(k, name) && !see(v) {
			return "", true, false
		}
	}
	for k, vs := range event.MultiValueHeaders {
		if !strings.EqualFold(k, name) {
			continue
		}
		for _, v := range vs {
			if !see(v) {
				return "", true, false
			}
		}
	}
	return value, found, true
}
