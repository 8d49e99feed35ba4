// Unit tests of logic.js: node --test web/ (npm test).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  readConfig,
  userManagerSettings,
  isCallback,
  cleanUrl,
  tokenFor,
  routeFor,
  itemsPath,
  shouldRetryPost,
  describeReply,
  describeFailure,
  expiryText,
  groupsOf,
  logoutUrl,
  linkedOnFirstSignIn,
  shouldSignInAgain,
  signInRequest,
} from "./logic.js";

const local = {
  authority: "http://localhost:9229/local_abc",
  clientId: "client1",
  scope: "openid email profile demo-api/read demo-api/write",
  apiUrl: "http://127.0.0.1:8080/",
  metadata: {
    issuer: "http://localhost:9229/local_abc",
    authorization_endpoint: "http://localhost:9229/oauth2/authorize",
    token_endpoint: "http://localhost:9229/oauth2/token",
    jwks_uri: "http://localhost:9229/local_abc/.well-known/jwks.json",
  },
  routes: [
    { method: "GET", path: "/health", tokenUse: "" },
    { method: "GET", path: "/me", tokenUse: "id" },
    { method: "GET", path: "/items", tokenUse: "access" },
    { method: "POST", path: "/items", tokenUse: "access" },
    { method: "GET", path: "/items/{id}", tokenUse: "access" },
    { method: "DELETE", path: "/items/{id}", tokenUse: "access" },
    { method: "GET", path: "/admin", tokenUse: "id" },
  ],
};

const deployed = {
  ...local,
  authority: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc",
  metadata: {
    ...local.metadata,
    issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc",
    authorization_endpoint: "https://demo.auth.eu-west-1.amazoncognito.com/oauth2/authorize",
    token_endpoint: "https://demo.auth.eu-west-1.amazoncognito.com/oauth2/token",
    revocation_endpoint: "https://demo.auth.eu-west-1.amazoncognito.com/oauth2/revoke",
  },
  logoutEndpoint: "https://demo.auth.eu-west-1.amazoncognito.com/logout",
};

test("readConfig accepts the settings cmd/local serves and trims the API URL", () => {
  assert.equal(readConfig(local).apiUrl, "http://127.0.0.1:8080");
  assert.equal(readConfig(deployed).logoutEndpoint, deployed.logoutEndpoint);
});

test("readConfig names every bad field at once", () => {
  const bad = { ...local, clientId: "", apiUrl: "127.0.0.1:8080", authority: "ftp://x", metadata: { issuer: local.authority }, routes: [{ method: "GET" }] };
  assert.throws(
    () => readConfig(bad),
    (err) => {
      for (const want of [
        'clientId: want a non-empty string, got ""',
        'apiUrl: want an absolute URL, got "127.0.0.1:8080"',
        'authority: want an http(s) URL, got "ftp://x"',
        "metadata.authorization_endpoint: want a non-empty string, got undefined",
        "metadata.token_endpoint: want a non-empty string, got undefined",
        'routes[0]: want {method, path, tokenUse: "" | "id" | "access"}',
      ]) {
        assert.ok(err.message.includes(want), `missing ${want} in:\n${err.message}`);
      }
      return true;
    },
  );
  for (const notObject of [null, [], "x"]) {
    assert.throws(() => readConfig(notObject), /want a JSON object/);
  }
});

test("userManagerSettings uses the page's origin and the given metadata", () => {
  const s = userManagerSettings(readConfig(local), "http://localhost:3000");
  assert.equal(s.redirect_uri, "http://localhost:3000/auth/callback");
  assert.equal(s.post_logout_redirect_uri, "http://localhost:3000");
  assert.equal(s.response_type, "code");
  assert.equal(s.client_id, "client1");
  assert.equal(s.metadata.token_endpoint, "http://localhost:9229/oauth2/token");
  assert.equal(s.automaticSilentRenew, true);
  assert.deepEqual(s.revokeTokenTypes, ["refresh_token"]);
  assert.equal(s.userStore, undefined, "stores are app.js's choice (sessionStorage)");
});

test("isCallback and cleanUrl", () => {
  const cases = [
    { href: "http://localhost:3000/auth/callback?code=abc&state=xyz", callback: true, clean: "/" },
    { href: "http://localhost:3000/auth/callback?error=access_denied&state=xyz", callback: true, clean: "/" },
    { href: "http://localhost:3000/auth/callback?code=abc&state=xyz&keep=1#top", callback: true, clean: "/?keep=1#top" },
    { href: "http://localhost:3000/?code=abc", callback: false, clean: "/" },
    { href: "http://localhost:3000/auth/callback", callback: false, clean: "/" },
  ];
  for (const c of cases) {
    assert.equal(isCallback(c.href), c.callback, c.href);
    assert.equal(cleanUrl(c.href), c.clean, c.href);
  }
});

test("tokenFor picks the token the route table asks for", () => {
  const user = { id_token: "ID", access_token: "ACCESS" };
  const routes = [...local.routes, { method: "ANY", path: "/any", tokenUse: "access" }];
  const cases = [
    ["GET", "/health", user, ""],
    ["GET", "/me", user, "ID"],
    ["GET", "/items", user, "ACCESS"],
    ["POST", "/items", user, "ACCESS"],
    ["DELETE", "/any", user, "ACCESS"],
    ["GET", "/nope", user, "ID"],
    ["GET", "/me", null, ""],
    // A path parameter and a query.
    ["GET", "/items?limit=5&cursor=abc", user, "ACCESS"],
    ["GET", "/items/01KBQ4Z7R2M8V5X9C3N6P1T0WA", user, "ACCESS"],
    ["DELETE", "/items/01KBQ4Z7R2M8V5X9C3N6P1T0WA", user, "ACCESS"],
    ["GET", "/items/", user, "ID"],
    ["GET", "/items/a/b", user, "ID"],
  ];
  for (const [method, path, u, want] of cases) {
    assert.equal(tokenFor(routes, method, path, u), want, `${method} ${path}`);
  }
});

test("routeFor picks literal segments before parameters, the method's route before ANY", () => {
  const routes = [
    { method: "GET", path: "/items/{id}", tokenUse: "access" },
    { method: "GET", path: "/items/new", tokenUse: "id" },
    { method: "ANY", path: "/things/{id}", tokenUse: "id" },
    { method: "DELETE", path: "/things/{id}", tokenUse: "access" },
  ];
  assert.equal(routeFor(routes, "GET", "/items/new").tokenUse, "id");
  assert.equal(routeFor(routes, "GET", "/items/42").tokenUse, "access");
  assert.equal(routeFor(routes, "DELETE", "/things/1").tokenUse, "access");
  assert.equal(routeFor(routes, "PUT", "/things/1").tokenUse, "id");
  assert.equal(routeFor(routes, "POST", "/items/42"), null);
});

test("itemsPath and shouldRetryPost", () => {
  assert.equal(itemsPath(5, ""), "/items?limit=5");
  assert.equal(itemsPath(5, "AAAA-_"), "/items?limit=5&cursor=AAAA-_");
  assert.equal(shouldRetryPost({ status: 0, code: "" }), true); // no reply: it may have arrived
  assert.equal(shouldRetryPost({ status: 409, code: "idempotency_key_in_use" }), true);
  assert.equal(shouldRetryPost({ status: 502, code: "" }), true);
  assert.equal(shouldRetryPost({ status: 409, code: "too_many_items" }), false);
  assert.equal(shouldRetryPost({ status: 422, code: "idempotency_key_reused" }), false);
  assert.equal(shouldRetryPost({ status: 201, code: "" }), false);
});

test("describeReply shows the status and, when refused, the API's code", () => {
  const cases = [
    { args: [200, "OK", '{"sub":"x"}'], ok: true, code: "", text: "GET /admin: 200 OK" },
    {
      args: [403, "Forbidden", '{"error":{"code":"not_in_group","message":"You are not in a group allowed here."}}'],
      ok: false,
      code: "not_in_group",
      text: "GET /admin: 403 Forbidden · not_in_group · You are not in a group allowed here.",
    },
    { args: [401, "", '{"message":"Unauthorized"}'], ok: false, code: "", text: "GET /admin: 401 · Unauthorized" },
    { args: [401, "Unauthorized", '{"message":"Unauthorized"}'], ok: false, code: "", text: "GET /admin: 401 Unauthorized" },
    { args: [502, "Bad Gateway", "<html>"], ok: false, code: "", text: "GET /admin: 502 Bad Gateway" },
    { args: [204, "No Content", ""], ok: true, code: "", text: "GET /admin: 204 No Content" },
  ];
  for (const c of cases) {
    const d = describeReply("GET", "/admin", ...c.args);
    assert.equal(d.ok, c.ok, c.text);
    assert.equal(d.code, c.code, c.text);
    assert.equal(d.text, c.text);
  }
});

test("describeFailure says CORS or network, since the page cannot tell", () => {
  const d = describeFailure("GET", "/me", new TypeError("Failed to fetch"));
  assert.equal(d.ok, false);
  assert.equal(d.status, 0);
  assert.match(d.text, /^GET \/me: no reply the page may read .*CORS.*Failed to fetch$/);
});

test("expiryText", () => {
  const now = Date.UTC(2026, 0, 2, 13, 5, 9);
  const s = now / 1000;
  assert.equal(expiryText(s + 3600, now), "at 14:05:09 UTC (in 60 min)");
  assert.equal(expiryText(s + 20, now), "at 13:05:29 UTC (in less than a minute)");
  assert.equal(expiryText(s - 120, now), "expired at 13:03:09 UTC");
  assert.equal(expiryText(undefined, now), "unknown");
});

test("groupsOf", () => {
  assert.deepEqual(groupsOf({ "cognito:groups": ["admin", 3] }), ["admin"]);
  assert.deepEqual(groupsOf({ "cognito:groups": "admin" }), ["admin"]);
  assert.deepEqual(groupsOf({}), []);
  assert.deepEqual(groupsOf(undefined), []);
});

test("logoutUrl goes through managed login's /logout, or nowhere locally", () => {
  assert.equal(logoutUrl(readConfig(local), "http://localhost:3000"), null);
  assert.equal(
    logoutUrl(readConfig(deployed), "http://localhost:3000"),
    "https://demo.auth.eu-west-1.amazoncognito.com/logout?client_id=client1&logout_uri=http%3A%2F%2Flocalhost%3A3000",
  );
});

test("linkedOnFirstSignIn: Cognito's error after linking, in any provider's wording; nothing else", () => {
  assert.equal(linkedOnFirstSignIn({ error: "invalid_request", error_description: "Already found an entry for username Google_1234 " }), true);
  assert.equal(linkedOnFirstSignIn({ error: "invalid_request", error_description: "Error in SAML response processing: Already found an entry for username Entra_ab" }), true);
  assert.equal(linkedOnFirstSignIn({ error: "access_denied", error_description: "User cancelled" }), false);
  assert.equal(linkedOnFirstSignIn(new Error("Already found an entry for username x")), false); // not from the login page
  assert.equal(linkedOnFirstSignIn(null), false);
});

test("shouldSignInAgain: once for the linked sign-in's error, never twice, never for another error", () => {
  const linked = { error: "invalid_request", error_description: "already found an entry for username Google_1234" };
  assert.equal(shouldSignInAgain(linked, false), true);
  assert.equal(shouldSignInAgain(linked, true), false);
  assert.equal(shouldSignInAgain({ error: "access_denied", error_description: "User cancelled" }, false), false);
});

test("identityProviders: optional list of names; a sign-in request through one of them", () => {
  assert.deepEqual(readConfig(local).identityProviders, []);
  assert.deepEqual(readConfig({ ...local, identityProviders: ["Google", "AcmeSSO"] }).identityProviders, ["Google", "AcmeSSO"]);
  assert.throws(() => readConfig({ ...local, identityProviders: "Google" }), /identityProviders: want a list of provider names/);
  assert.throws(() => readConfig({ ...local, identityProviders: ["Google", ""] }), /identityProviders\[1\]: want a non-empty string/);
  assert.deepEqual(signInRequest("AcmeSSO"), { extraQueryParams: { identity_provider: "AcmeSSO" } });
  assert.deepEqual(signInRequest(""), {});
});
