// The Node half of the token-verification benchmark in bench/run: aws-jwt-verify (the pinned
// npm package) verifying the tokens that `go run ./bench/jwt mint` wrote, against the same JWKS,
// handed over with cacheJwks so no network is involved. Node runs JavaScript on one thread;
// bench/run also pins the process to one CPU, as it does the Go half.
//
//   node bench/jwt/verify.cjs DIR [SECONDS]
//
// aws-jwt-verify has no cache of verified tokens (it caches the JWKS and the key objects), so
// every call pays for the RSA check: its figure compares with both Go modes. verifySync is the
// library's fastest entry point once the JWKS is cached; verify (async) is measured too.
// The "rsa" mode is node:crypto's RSA-SHA256 verify alone on each token, the OpenSSL floor.
// Output: one JSON object per line, as the Go half prints.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const crypto = require("node:crypto");
const { CognitoJwtVerifier } = require("aws-jwt-verify");

const dir = process.argv[2];
const seconds = Number(process.argv[3] || 1);
if (!dir) {
  console.error("usage: node bench/jwt/verify.cjs DIR [SECONDS]");
  process.exit(2);
}
const toks = JSON.parse(fs.readFileSync(path.join(dir, "tokens.json"), "utf8"));
const jwks = JSON.parse(fs.readFileSync(path.join(dir, "jwks.json"), "utf8"));
const publicKey = crypto.createPublicKey({ key: jwks.keys[0], format: "jwk" });

function rsaOnly(token) {
  const i = token.lastIndexOf(".");
  const ok = crypto.verify("RSA-SHA256", Buffer.from(token.slice(0, i)), publicKey, Buffer.from(token.slice(i + 1), "base64url"));
  if (!ok) throw new Error("signature invalid");
}

function measureSync(tokens, op) {
  const budget = seconds * 1e9;
  const warmEnd = process.hrtime.bigint() + BigInt(Math.round(budget / 5));
  for (let i = 0; process.hrtime.bigint() < warmEnd; i++) op(tokens[i % tokens.length]);
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < budget) {
    for (let j = 0; j < 64; j++) {
      op(tokens[ops % tokens.length]);
      ops++;
    }
    elapsed = Number(process.hrtime.bigint() - start);
  }
  return { ops, elapsed };
}

async function measureAsync(tokens, op) {
  const budget = seconds * 1e9;
  const warmEnd = process.hrtime.bigint() + BigInt(Math.round(budget / 5));
  for (let i = 0; process.hrtime.bigint() < warmEnd; i++) await op(tokens[i % tokens.length]);
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < budget) {
    for (let j = 0; j < 64; j++) {
      await op(tokens[ops % tokens.length]);
      ops++;
    }
    elapsed = Number(process.hrtime.bigint() - start);
  }
  return { ops, elapsed };
}

function print(kind, mode, { ops, elapsed }) {
  const s = elapsed / 1e9;
  console.log(JSON.stringify({ impl: "aws-jwt-verify", kind, mode, ops, seconds: s, perSec: ops / s, nsPerOp: elapsed / ops }));
}

async function main() {
  for (const [kind, tokens] of [["id", toks.id], ["access", toks.access]]) {
    const verifier = CognitoJwtVerifier.create({ userPoolId: toks.userPoolId, tokenUse: kind, clientId: toks.clientId });
    verifier.cacheJwks(jwks);
    for (const t of tokens) {
      // Correctness first: every token must pass, with the expected claims.
      const p = verifier.verifySync(t);
      if (p.token_use !== kind || p.iss !== toks.issuer) throw new Error(`${kind} token: unexpected payload`);
    }
    print(kind, "sync", measureSync(tokens, (t) => verifier.verifySync(t)));
    print(kind, "async", await measureAsync(tokens, (t) => verifier.verify(t)));
    print(kind, "rsa", measureSync(tokens, rsaOnly));
  }
}

main().catch((err) => {
  console.error("verify.cjs:", err && err.stack ? err.stack : err);
  process.exit(1);
});
