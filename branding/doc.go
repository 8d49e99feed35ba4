// Package branding loads the managed-login style (CloudFormation's
// AWS::Cognito::ManagedLoginBranding) from a branding file committed in the repository, and
// checks it before CloudFormation or Cognito do. It has no CDK imports; the stacks turn a
// Style into CfnManagedLoginBranding props, and cmd/branding uses it to check and pull styles.
//
// A branding file is JSON in one of three shapes, with keys case-sensitive as Cognito prints
// them:
//
//   - what `aws cognito-idp describe-managed-login-branding-by-client` prints,
//     {"ManagedLoginBranding": {...}}. The read-only ManagedLoginBrandingId, UserPoolId,
//     CreationDate and LastModifiedDate are dropped: the pool and client come from the stack.
//   - {"Settings": {...}, "Assets": [...]}, the style alone.
//   - {"UseCognitoProvidedValues": true}, Cognito's default style.
//
// An asset carries its image inline as base64 Bytes, as exports do, or names a file relative to
// the branding file with File (e.g. "assets/logo.svg") so that images are reviewable files in
// git. Files must stay inside the repository, symlinks included. Extension comes from the field
// or from the file name (.jpg and .jpeg mean JPEG; an Extension of "JPG" is an error).
//
// Load reports every problem at once, each naming the file, the JSON path, the bad value and
// what is allowed: JSON syntax, Settings versus UseCognitoProvidedValues, asset categories,
// color modes and extensions, base64, missing or escaping files, duplicate category and color
// mode pairs, asset count and sizes, unknown top-level Settings keys, colours that are not
// RRGGBBAA hex, resource ids, and SVGs that Cognito refuses (scripts, event handlers,
// foreignObject, external references).
//
// Below the top level, Settings are compared with Cognito's default style (embedded from
// defaults/cognito-default-settings.json): keys it lacks and values of another type are
// Style.Warnings, not errors, because Cognito publishes no schema and may add keys.
//
// Size: Cognito takes requests up to 2 MB, but the style travels inside the auth stack's
// CloudFormation template, which is capped at 1 MB. Load therefore holds the style to
// TemplateBudget (800,000 bytes of JSON, see Style.EncodedSize), which leaves room for the rest
// of the stack and the template's indentation.
//
// Cognito applies style updates as a patch: a key or asset removed from the file stays in the
// deployed style. To really remove something, set it explicitly (for example
// "enabled": false for a logo), or reset the style by deploying UseCognitoProvidedValues: true
// and then your style again.
package branding
