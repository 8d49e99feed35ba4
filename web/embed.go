// Package web holds the sample browser app: plain HTML, CSS and ES modules with no build step.
// cmd/local serves these files, embedded so that it runs from any directory, together with
// the settings the page reads from /config.json and the oidc-client-ts browser build from
// node_modules. The *.test.js files are node's unit tests of logic.js and are not served.
package web

import "embed"

// Files are the app's own files, each served at /<name>.
//
//go:embed index.html app.js logic.js style.css
var Files embed.FS

// Index is the page served at / and at the callback path.
const Index = "index.html"

// CallbackPath is where the login page sends the browser back with the code; the app's
// callback URL, registered in callbackUrls, is its origin followed by this path.
const CallbackPath = "/auth/callback"

// LibraryPath is where the page loads oidc-client-ts from.
const LibraryPath = "/vendor/oidc-client-ts.min.js"
