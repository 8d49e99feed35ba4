// The sample app: wires logic.js to the page and to oidc-client-ts (window.oidc, loaded by
// index.html). All ids and URLs come from /config.json, which cmd/local builds from the
// outputs file (or a static host serves).
import {
  readConfig,
  userManagerSettings,
  isCallback,
  cleanUrl,
  tokenFor,
  itemsPath,
  shouldRetryPost,
  describeReply,
  describeFailure,
  expiryText,
  groupsOf,
  logoutUrl,
  shouldSignInAgain,
  signInRequest,
} from "./logic.js";

const $ = (id) => document.getElementById(id);

/** Shows a line in the live region, which screen readers announce. */
function say(text) {
  $("status").textContent = text;
}

/** Adds a reply to the list, newest first, and announces it. */
function show(reply) {
  const li = document.createElement("li");
  li.className = reply.ok ? "ok" : "refused";
  li.dataset.status = String(reply.status);
  li.dataset.code = reply.code;
  const summary = document.createElement("p");
  summary.textContent = reply.text;
  li.append(summary);
  if (reply.body !== null) {
    const pre = document.createElement("pre");
    pre.textContent = JSON.stringify(reply.body, null, 2);
    li.append(pre);
  }
  $("replies").prepend(li);
  say(reply.text);
}

/**
 * Clears everything the page shows about the signed-in user: the profile, the replies (the
 * claims /me returned among them), the status line and the item being typed.
 */
function forget() {
  for (const id of ["email", "name", "groups", "expires", "items-note"]) $(id).textContent = "…";
  $("replies").replaceChildren();
  $("items").replaceChildren();
  $("more-items").hidden = true;
  nextCursor = "";
  $("add-item").reset();
  say("");
}

// How many items a page of the list holds: few, so that "More items" shows the API's pages.
const pageSize = 5;
// The cursor of the list's next page; "" when the list holds the last one.
let nextCursor = "";

/** Adds an item to the list, newest first (or last, for a later page). */
function showItem(item, atEnd) {
  if ($("items").querySelector(`li[data-id="${CSS.escape(item.id)}"]`)) return;
  const li = document.createElement("li");
  li.dataset.id = item.id;
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = item.name;
  const del = document.createElement("button");
  del.type = "button";
  del.className = "secondary";
  del.textContent = "Delete";
  del.setAttribute("aria-label", "Delete " + item.name);
  del.addEventListener("click", () => deleteItem(item.id));
  li.append(name, del);
  if (atEnd) $("items").append(li);
  else $("items").prepend(li);
  noteItems();
}

function noteItems() {
  const n = $("items").children.length;
  $("items-note").textContent = n === 0 ? "No items yet." : `${n} shown${nextCursor ? "; more below" : ""}.`;
}

/** Loads the first page of the caller's items (first), or the next one. */
async function loadItems(first) {
  const session = signOuts;
  const reply = await call("GET", itemsPath(pageSize, first ? "" : nextCursor), undefined, { quiet: true });
  if (session !== signOuts) return;
  if (!reply.ok) {
    $("items-note").textContent = "Your items could not be loaded: see the replies.";
    return;
  }
  if (first) $("items").replaceChildren();
  nextCursor = reply.body.next_cursor ?? "";
  for (const item of reply.body.items) showItem(item, true);
  $("more-items").hidden = nextCursor === "";
  noteItems();
}

/**
 * Adds an item. The request carries a new Idempotency-Key, and goes again with the same key when
 * no reply came or the API asks for a retry: the API then answers with the first reply rather
 * than adding the item twice.
 */
async function addItem(name) {
  const headers = { "Idempotency-Key": crypto.randomUUID() };
  let reply;
  for (let attempt = 1; attempt <= 3; attempt++) {
    reply = await call("POST", "/items", { name }, { headers });
    if (!shouldRetryPost(reply)) break;
    await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
  }
  if (reply.status === 201) {
    showItem(reply.body, false);
    $("add-item").reset();
  }
}

async function deleteItem(id) {
  const reply = await call("DELETE", "/items/" + encodeURIComponent(id));
  if (reply.status === 204 || reply.status === 404) {
    $("items").querySelector(`li[data-id="${CSS.escape(id)}"]`)?.remove();
    noteItems();
  }
}

let config;
let manager;
// Counts sign-outs: a reply that comes back after one belongs to a session that has ended,
// and is not shown.
let signOuts = 0;
// Set while the app signs in again after Cognito failed a sign-in it had just linked.
const signInAgainKey = "signInAgainAfterLinking";
// The identity provider of the sign-in under way ("" for managed login's chooser), so that
// signing in again goes the same way.
const providerKey = "signInProvider";

/**
 * Sends the browser to sign in: through provider, or to the chooser for "". Returns whether
 * the page is on its way there; if not, it says why.
 */
async function signIn(provider) {
  sessionStorage.setItem(providerKey, provider);
  try {
    await manager.signinRedirect(signInRequest(provider));
    return true;
  } catch (err) {
    sessionStorage.removeItem(providerKey);
    say("Could not start the sign-in: " + err.message);
    return false;
  }
}

/**
 * Calls the API with the token the route table asks for and shows the reply (quiet: only a
 * refusal or failure), with extra request headers.
 */
async function call(method, path, body, { quiet = false, headers: extra = {} } = {}) {
  const session = signOuts;
  const user = await manager.getUser();
  const token = tokenFor(config.routes, method, path, user);
  const headers = { ...extra };
  if (token) headers.Authorization = "Bearer " + token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let reply;
  try {
    const resp = await fetch(config.apiUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    reply = describeReply(method, path, resp.status, resp.statusText, await resp.text());
  } catch (err) {
    reply = describeFailure(method, path, err);
  }
  if (session === signOuts && !(quiet && reply.ok)) show(reply);
  return reply;
}

/** Shows the signed-in or signed-out view; signed in, asks /me who the API sees. */
async function render(user) {
  $("loading").hidden = true;
  const signedIn = !!user && !user.expired;
  $("signed-out").hidden = signedIn;
  $("signed-in").hidden = !signedIn;
  if (!signedIn) return;
  $("name").textContent = user.profile.name ?? "(no name in the ID token)";
  const groups = groupsOf(user.profile);
  $("groups").textContent = groups.length > 0 ? groups.join(", ") : "none";
  $("expires").textContent = expiryText(user.expires_at, Date.now());
  $("email").textContent = "…";
  const session = signOuts;
  const me = await call("GET", "/me");
  if (session !== signOuts) return;
  $("email").textContent = me.ok && typeof me.body?.email === "string" ? me.body.email : "(GET /me failed: see the replies)";
  await loadItems(true);
}

/** Shows the signed-out view with nothing left of the user's data, and drops late replies. */
async function endSession() {
  signOuts++;
  forget();
  await render(null);
}

async function signOut() {
  // The user's data leaves the page first, whichever way sign-out goes on: on to /logout (the
  // page stays in the history), on this page (cognito-local has no /logout), or a failure.
  await endSession();
  say("Signing out…");
  const user = await manager.getUser();
  if (config.metadata.revocation_endpoint && user?.refresh_token) {
    try {
      await manager.revokeTokens(["refresh_token"]);
    } catch (err) {
      say("Could not revoke the refresh token: " + err.message);
    }
  }
  await manager.removeUser();
  const url = logoutUrl(config, location.origin);
  if (url) {
    // Managed login ends its own session, then sends the browser back to this origin.
    location.assign(url);
    return;
  }
  // cognito-local has no /logout and no revocation: ending the app's session is all there is.
  say("Signed out.");
}

async function main() {
  try {
    const resp = await fetch("/config.json", { cache: "no-store" });
    if (!resp.ok) throw new Error(`GET /config.json answered ${resp.status}`);
    config = readConfig(await resp.json());
  } catch (err) {
    $("loading").textContent = "The app's settings could not be loaded: " + err.message;
    say("The app's settings could not be loaded.");
    return;
  }
  // Tokens and the PKCE state live in this tab's sessionStorage, never in localStorage.
  manager = new oidc.UserManager({
    ...userManagerSettings(config, location.origin),
    userStore: new oidc.WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new oidc.WebStorageStateStore({ store: window.sessionStorage }),
  });
  manager.events.addUserLoaded((user) => {
    $("expires").textContent = expiryText(user.expires_at, Date.now());
  });
  manager.events.addSilentRenewError((err) => say("The session could not be renewed: " + err.message));
  // The signed-out view, and nothing of the user's data behind it.
  manager.events.addAccessTokenExpired(() => endSession());

  $("sign-in").addEventListener("click", () => {
    say("Going to the login page…");
    signIn("");
  });
  for (const name of config.identityProviders) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.dataset.provider = name;
    button.textContent = "Sign in with " + name;
    button.addEventListener("click", () => {
      say("Going to " + name + "…");
      signIn(name);
    });
    $("health").before(button); // after "Sign in" and the providers before it
  }
  $("health").addEventListener("click", () => call("GET", "/health"));
  $("get-me").addEventListener("click", () => call("GET", "/me"));
  $("get-items").addEventListener("click", () => call("GET", "/items"));
  $("get-admin").addEventListener("click", () => call("GET", "/admin"));
  $("add-item").addEventListener("submit", (event) => {
    event.preventDefault();
    addItem($("item-name").value);
  });
  $("more-items").addEventListener("click", () => loadItems(false));
  $("renew").addEventListener("click", async () => {
    try {
      const user = await manager.signinSilent();
      say("Session renewed: the access token expires " + expiryText(user.expires_at, Date.now()) + ".");
    } catch (err) {
      say("The session could not be renewed: " + err.message);
    }
  });
  $("sign-out").addEventListener("click", () =>
    signOut().catch((err) => say("Sign-out failed: " + err.message + " (closing this tab ends the app's session)")),
  );

  if (isCallback(location.href)) {
    const callback = location.href;
    // The code is spent; it must not stay in the address bar or the history.
    history.replaceState(null, "", cleanUrl(callback));
    try {
      await manager.signinRedirectCallback(callback);
      say("Signed in.");
    } catch (err) {
      if (shouldSignInAgain(err, sessionStorage.getItem(signInAgainKey) !== null)) {
        sessionStorage.setItem(signInAgainKey, "1");
        say("Your sign-in was linked to your existing account; signing in again…");
        if (await signIn(sessionStorage.getItem(providerKey) ?? "")) return;
      } else {
        say("Sign-in failed: " + err.message);
      }
    }
  }
  // Past this point no sign-in is under way (a retry on its way returned above): the next
  // linked sign-in may be retried once more.
  sessionStorage.removeItem(signInAgainKey);
  sessionStorage.removeItem(providerKey);
  let user = await manager.getUser();
  if (user?.expired && user.refresh_token) {
    user = await manager.signinSilent().catch(() => null);
  }
  await render(user);
}

main();
