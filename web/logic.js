// The page's logic that needs no browser: reading the settings, building the OIDC client's
// settings, choosing the token for a route, describing the API's replies. app.js wires it to
// the DOM and to oidc-client-ts; node --test runs logic.test.js against it.

/** The path the login page sends the browser back to; registered as <origin>/auth/callback. */
export const callbackPath = "/auth/callback";

// Query parameters the login page adds to the callback URL; none may stay in the address bar.
const callbackParams = ["code", "state", "session_state", "error", "error_description", "error_uri", "iss"];

/**
 * Checks the settings served at /config.json and returns them, or throws one Error naming
 * every missing or malformed field.
 */
export function readConfig(raw) {
  const problems = [];
  const text = (path, value, { optional = false } = {}) => {
    if (value === undefined && optional) return;
    if (typeof value !== "string" || value === "") problems.push(`${path}: want a non-empty string, got ${JSON.stringify(value)}`);
  };
  const url = (path, value, opts) => {
    text(path, value, opts);
    if (typeof value === "string" && value !== "") {
      try {
        const u = new URL(value);
        if (u.protocol !== "https:" && u.protocol !== "http:") problems.push(`${path}: want an http(s) URL, got ${JSON.stringify(value)}`);
      } catch {
        problems.push(`${path}: want an absolute URL, got ${JSON.stringify(value)}`);
      }
    }
  };
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new Error("config.json: want a JSON object");
  }
  url("authority", raw.authority);
  text("clientId", raw.clientId);
  text("scope", raw.scope);
  url("apiUrl", raw.apiUrl);
  const md = raw.metadata ?? {};
  if (typeof md !== "object" || Array.isArray(md)) problems.push("metadata: want an object");
  url("metadata.issuer", md.issuer);
  url("metadata.authorization_endpoint", md.authorization_endpoint);
  url("metadata.token_endpoint", md.token_endpoint);
  url("metadata.revocation_endpoint", md.revocation_endpoint, { optional: true });
  url("logoutEndpoint", raw.logoutEndpoint, { optional: true });
  if (!Array.isArray(raw.routes)) {
    problems.push("routes: want a list of {method, path, tokenUse}");
  } else {
    raw.routes.forEach((r, i) => {
      if (typeof r?.method !== "string" || typeof r?.path !== "string" || !["", "id", "access"].includes(r?.tokenUse)) {
        problems.push(`routes[${i}]: want {method, path, tokenUse: "" | "id" | "access"}, got ${JSON.stringify(r)}`);
      }
    });
  }
  if (raw.identityProviders !== undefined) {
    if (!Array.isArray(raw.identityProviders)) {
      problems.push(`identityProviders: want a list of provider names, got ${JSON.stringify(raw.identityProviders)}`);
    } else {
      raw.identityProviders.forEach((name, i) => text(`identityProviders[${i}]`, name));
    }
  }
  if (problems.length > 0) throw new Error("config.json:\n" + problems.join("\n"));
  return { ...raw, apiUrl: raw.apiUrl.replace(/\/+$/, ""), identityProviders: raw.identityProviders ?? [] };
}

/**
 * The oidc-client-ts sign-in request: through one identity provider (identity_provider= skips
 * managed login's chooser), or, for "", the chooser itself.
 */
export function signInRequest(provider) {
  return provider ? { extraQueryParams: { identity_provider: provider } } : {};
}

/**
 * The oidc-client-ts UserManager settings for a page served at origin, without the stores
 * (app.js adds sessionStorage ones). The metadata is given, not discovered: cognito-local's
 * discovery document lacks the endpoints.
 */
export function userManagerSettings(config, origin) {
  return {
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: origin + callbackPath,
    post_logout_redirect_uri: origin,
    response_type: "code",
    scope: config.scope,
    metadata: { ...config.metadata },
    // Renew with the refresh token before the access token expires; no iframe, no userinfo.
    automaticSilentRenew: true,
    loadUserInfo: false,
    monitorSession: false,
    revokeTokenTypes: ["refresh_token"],
  };
}

/** Whether href is the login page's redirect back to the app. */
export function isCallback(href) {
  const u = new URL(href);
  return u.pathname === callbackPath && (u.searchParams.has("code") || u.searchParams.has("error"));
}

/**
 * Whether a failed sign-in is the one Cognito gives the first federated sign-in that the
 * linkByEmail trigger linked to an existing user: the link is made, the sign-in fails with
 * this error_description, and signing in again succeeds as the linked user. authctl
 * recognises the same text (cmd/authctl, linkedOnFirstSignIn).
 */
export function linkedOnFirstSignIn(err) {
  return (
    typeof err?.error === "string" &&
    typeof err.error_description === "string" &&
    err.error_description.toLowerCase().includes(linkedSignInError.toLowerCase())
  );
}

/**
 * Whether the app should sign in again after a failed sign-in: only for the linked sign-in's
 * error, and only once (alreadyTried: the tab has signed in again for it before), so that a
 * pool that keeps failing shows the error instead of redirecting for ever.
 */
export function shouldSignInAgain(err, alreadyTried) {
  return !alreadyTried && linkedOnFirstSignIn(err);
}

export const linkedSignInError = "Already found an entry for username";

/** The address to show once the callback is handled: the app's root, without code or state. */
export function cleanUrl(href) {
  const u = new URL(href);
  for (const p of callbackParams) u.searchParams.delete(p);
  if (u.pathname === callbackPath) u.pathname = "/";
  return u.pathname + u.search + u.hash;
}

/**
 * The token a call needs, from the route table in the settings: the ID token for protected
 * routes, the access token for scoped ones, none for public ones. A path the table does not
 * know gets the ID token, so the API answers for itself (404).
 */
export function tokenFor(routes, method, path, user) {
  const route = routeFor(routes, method, path);
  const use = route ? route.tokenUse : "id";
  if (!user || use === "") return "";
  return use === "access" ? user.access_token ?? "" : user.id_token ?? "";
}

/**
 * The route of the table a request reaches, as API Gateway picks it: the path's query left
 * out, literal segments before {param} ones, the method's own route before ANY.
 */
export function routeFor(routes, method, path) {
  const want = path.split("?")[0].split("/");
  const score = (r) => {
    const have = r.path.split("/");
    if (have.length !== want.length) return -1;
    let s = 0;
    for (let i = 0; i < have.length; i++) {
      if (have[i] === want[i]) s += 2 << (have.length - i);
      else if (!/^\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(have[i]) || want[i] === "") return -1;
    }
    return s;
  };
  let best = null;
  let bestScore = -1;
  for (const r of routes) {
    if (r.method !== method && r.method !== "ANY") continue;
    const s = score(r);
    if (s > bestScore || (s === bestScore && s >= 0 && best.method === "ANY" && r.method === method)) {
      best = r;
      bestScore = s;
    }
  }
  return best;
}

/** GET /items' path for a page of limit items after cursor ("" for the first page). */
export function itemsPath(limit, cursor) {
  const q = new URLSearchParams({ limit: String(limit) });
  if (cursor) q.set("cursor", cursor);
  return "/items?" + q.toString();
}

/**
 * Whether a POST that got reply should be sent again with the same Idempotency-Key: when no
 * reply came (the request may or may not have reached the API), when the first request with
 * that key is still running (409 idempotency_key_in_use), or on a server error. The key makes a
 * second send safe: the API answers it with the first reply and creates nothing more.
 */
export function shouldRetryPost(reply) {
  return reply.status === 0 || reply.code === "idempotency_key_in_use" || reply.status >= 500;
}

/**
 * Describes a reply the page could read: its status and, for a refusal, the API's error code.
 * The handler answers {"error": {"code", "message"}}; API Gateway's own replies (such as the
 * authorizer's 401) carry only {"message"}.
 */
export function describeReply(method, path, status, statusText, bodyText) {
  let body = null;
  try {
    body = bodyText ? JSON.parse(bodyText) : null;
  } catch {
    body = null;
  }
  const ok = status >= 200 && status < 300;
  const code = typeof body?.error?.code === "string" ? body.error.code : "";
  const message = typeof body?.error?.message === "string" ? body.error.message : typeof body?.message === "string" ? body.message : "";
  let text = `${method} ${path}: ${status}${statusText ? " " + statusText : ""}`;
  if (!ok) {
    if (code) text += ` · ${code}`;
    // API Gateway's "Unauthorized" repeats the status text: say it once.
    if (message && message !== statusText) text += ` · ${message}`;
  }
  return { ok, status, code, message, body, text };
}

/**
 * Describes a call that got no reply the page may read. fetch rejects with a TypeError both
 * for network errors and for replies CORS hides; the page cannot tell them apart.
 */
export function describeFailure(method, path, err) {
  const why = err instanceof Error ? err.message : String(err);
  return {
    ok: false,
    status: 0,
    code: "",
    message: why,
    body: null,
    text: `${method} ${path}: no reply the page may read (the API is down, or its CORS settings do not allow this origin): ${why}`,
  };
}

/** When the session's access token expires, in words: "at 14:05:09 (in 59 min)". */
export function expiryText(expiresAtSeconds, nowMs) {
  if (typeof expiresAtSeconds !== "number") return "unknown";
  const at = new Date(expiresAtSeconds * 1000);
  const clock = at.toISOString().slice(11, 19) + " UTC";
  const left = Math.round((expiresAtSeconds * 1000 - nowMs) / 60000);
  if (left < 0) return `expired at ${clock}`;
  if (left === 0) return `at ${clock} (in less than a minute)`;
  return `at ${clock} (in ${left} min)`;
}

/** The user's groups from the ID token's cognito:groups claim. */
export function groupsOf(profile) {
  const g = profile?.["cognito:groups"];
  if (Array.isArray(g)) return g.filter((x) => typeof x === "string");
  if (typeof g === "string" && g !== "") return [g];
  return [];
}

/**
 * Managed login's sign-out URL, which ends the login page's session and sends the browser back
 * to logout_uri (a registered sign-out URL); null when the issuer has no /logout (cognito-local).
 */
export function logoutUrl(config, origin) {
  if (!config.logoutEndpoint) return null;
  const u = new URL(config.logoutEndpoint);
  u.searchParams.set("client_id", config.clientId);
  u.searchParams.set("logout_uri", origin);
  return u.toString();
}
