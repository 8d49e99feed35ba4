package api

import "github.com/cognito-apigw/cognito-apigw/internal/routes"

// ErrorCode is one code of the JSON error replies ({"error": {"code", "message"}}) and the
// status it comes with. The handler answers with these; the API description and the table in
// docs/configuration.md are generated from ErrorCodes.
type ErrorCode struct {
	Code    string
	Status  int
	Meaning string
}

// Error codes: stable, snake_case, part of the API. Clients branch on them, not on messages.
var (
	CodeUnauthenticated      = ErrorCode{string(routes.DeniedUnauthenticated), 401, "no token claims at all (API Gateway's authorizer answers `{\"message\":\"Unauthorized\"}` before that)"}
	CodeInvalidToken         = ErrorCode{"invalid_token", 401, "the token's claims cannot be read, or the token expired since API Gateway's authorizer (and its cache) let it through"}
	CodeWrongTokenUse        = ErrorCode{string(routes.DeniedWrongTokenUse), 401, "an access token where the route takes the ID token, or the reverse"}
	CodeClientNotAllowed     = ErrorCode{"client_not_allowed", 401, "the token was issued to an app client this API does not accept"}
	CodeClientNotAllowedHere = ErrorCode{string(routes.DeniedClient), 403, "a token of an app client this route does not take, such as a machine client's"}
	CodeInsufficientScope    = ErrorCode{string(routes.DeniedInsufficientScope), 403, "the access token carries none of the route's scopes"}
	CodeNotInGroup           = ErrorCode{string(routes.DeniedNotInGroup), 403, "the caller is in none of the route's groups"}
	CodeInvalidJSON          = ErrorCode{"invalid_json", 400, "the body is not the JSON object expected"}
	CodeInvalidName          = ErrorCode{"invalid_name", 400, "name is missing, too long, or has control characters"}
	CodeNotFound             = ErrorCode{"not_found", 404, "no such resource (the catch-all, after a valid ID token)"}
	CodeTooManyItems         = ErrorCode{"too_many_items", 409, "no room for more items"}
	CodeBodyTooLarge         = ErrorCode{"body_too_large", 413, "the body is larger than 4 KiB"}
	CodeInternal             = ErrorCode{"internal_error", 500, "something went wrong on the API's side"}
	CodeNotImplemented       = ErrorCode{"not_implemented", 501, "the route is in the table but the handler has no code for it yet"}
)

// ErrorCodes lists every code, in the order the descriptions list them.
var ErrorCodes = []ErrorCode{
	CodeUnauthenticated, CodeInvalidToken, CodeWrongTokenUse, CodeClientNotAllowed,
	CodeClientNotAllowedHere, CodeInsufficientScope, CodeNotInGroup,
	CodeInvalidJSON, CodeInvalidName, CodeNotFound, CodeTooManyItems, CodeBodyTooLarge,
	CodeInternal, CodeNotImplemented,
}
