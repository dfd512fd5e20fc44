#!/usr/bin/env node
// End-to-end check of Gatehouse's passwordless headless API with the official
// Scalekit Node SDK (@scalekit-sdk/node, pinned in package.json):
// sendPasswordlessEmail / resendPasswordlessEmail / verifyPasswordlessEmail go out
// as gRPC to `${GATEHOUSE_URL}/scalekit.v1.auth.passwordless.PasswordlessService/*`.
// Codes and magic links are read from the dev mailbox, `${GATEHOUSE_URL}/_dev/mail.json`,
// so the server must run with the dev mailbox on (no GATEHOUSE_SMTP_HOST, or
// GATEHOUSE_DEV_MAILBOX=true). The environment's passwordless mode is switched with
// Gatehouse's own settings API (PATCH /api/v1/passwordless/settings) and put back
// to OTP at the end.
//
// Usage:
//   GATEHOUSE_URL=http://127.0.0.1:8080 GATEHOUSE_CLIENT_ID=skc_... \
//   GATEHOUSE_CLIENT_SECRET=... node passwordless.mjs
//
// Output: `ok - <name>` per check, then `N passed, 0 failed` (see harness.mjs).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  ScalekitClient,
  ScalekitBadRequestException,
  ScalekitNotFoundException,
  ScalekitTooManyRequestsException,
} from '@scalekit-sdk/node';

import { GRPC, check, rejection, assertServerError, passed } from './harness.mjs';

const url = process.env.GATEHOUSE_URL;
const clientId = process.env.GATEHOUSE_CLIENT_ID;
const clientSecret = process.env.GATEHOUSE_CLIENT_SECRET;
const missing = Object.entries({ GATEHOUSE_URL: url, GATEHOUSE_CLIENT_ID: clientId, GATEHOUSE_CLIENT_SECRET: clientSecret })
  .filter(([, v]) => !v)
  .map(([k]) => k);
if (missing.length) {
  console.error(`usage: set ${missing.join(', ')} (GATEHOUSE_URL e.g. http://127.0.0.1:8080)`);
  process.exit(2);
}

const scalekit = new ScalekitClient(url, clientId, clientSecret);
const pl = scalekit.passwordless;
const run = `gh${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const address = (name) => `${run}-${name}@example.com`;
console.log(`# run ${run} against ${url}`);

// SDK enums (PasswordlessType: OTP=1, LINK=2, LINK_OTP=3; TemplateType: SIGNIN=1, SIGNUP=2).
const OTP = 1;
const LINK = 2;
const SIGNIN = 1;

/** The newest dev-mailbox message to `to`, read over plain HTTP. */
async function lastMail(to) {
  const res = await fetch(`${url}/_dev/mail.json?to=${encodeURIComponent(to)}`);
  assert.equal(res.status, 200, `/_dev/mail.json answered ${res.status}: is the dev mailbox on?`);
  const body = await res.json();
  assert.ok(body.messages.length > 0, `no mail to ${to} in the dev mailbox`);
  return body.messages[0];
}

async function codeFor(to) {
  const match = /\b(\d{6})\b/.exec((await lastMail(to)).text);
  assert.ok(match, `no 6-digit code in the mail to ${to}`);
  return match[1];
}

async function settings(body) {
  const tokenRes = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  const { access_token: token } = await tokenRes.json();
  const res = await fetch(`${url}/api/v1/passwordless/settings`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `PATCH /api/v1/passwordless/settings: ${res.status} ${text}`);
  return JSON.parse(text);
}

// ---------------------------------------------------------------------------
// OTP

const ann = address('ann');
const sent = await check('sendPasswordlessEmail returns auth_request_id, expires_in 300, expires_at, OTP', async () => {
  const res = await pl.sendPasswordlessEmail(ann, { template: 'SIGNIN', state: 'state-1' });
  assert.ok(res.authRequestId.length >= 43, `auth_request_id ${res.authRequestId}`);
  assert.equal(res.expiresIn, 300);
  const now = BigInt(Math.floor(Date.now() / 1000));
  assert.ok(res.expiresAt > now + 290n && res.expiresAt < now + 310n, `expires_at ${res.expiresAt}`);
  assert.equal(res.passwordlessType, OTP);
  return res;
});

await check('verifyPasswordlessEmail({code}, authRequestId) returns email, state, template, type', async () => {
  const res = await pl.verifyPasswordlessEmail({ code: await codeFor(ann) }, sent.authRequestId);
  assert.equal(res.email, ann);
  assert.equal(res.state, 'state-1');
  assert.equal(res.template, SIGNIN);
  assert.equal(res.passwordlessType, OTP);
});

await check('verifying the same code again is INVALID_ARGUMENT (one use)', async () => {
  const err = await rejection(() => pl.verifyPasswordlessEmail({ code: '000000' }, sent.authRequestId));
  assertServerError(err, ScalekitBadRequestException, GRPC.INVALID_ARGUMENT);
});

const bob = address('bob');
const bobSent = await check('sendPasswordlessEmail with expiresIn and templateVariables', async () => {
  const res = await pl.sendPasswordlessEmail(bob, { expiresIn: 600, templateVariables: { first_name: 'Bob' } });
  assert.equal(res.expiresIn, 600);
  return res;
});

await check('5 wrong codes are INVALID_ARGUMENT, then the request is dead: RESOURCE_EXHAUSTED (429)', async () => {
  const right = await codeFor(bob);
  const wrong = right === '000000' ? '000001' : '000000';
  for (let i = 0; i < 5; i++) {
    const err = await rejection(() => pl.verifyPasswordlessEmail({ code: wrong }, bobSent.authRequestId));
    assertServerError(err, ScalekitBadRequestException, GRPC.INVALID_ARGUMENT);
  }
  const err = await rejection(() => pl.verifyPasswordlessEmail({ code: right }, bobSent.authRequestId));
  assertServerError(err, ScalekitTooManyRequestsException, GRPC.RESOURCE_EXHAUSTED);
  assert.equal(err.httpStatus, 429);
});

// ---------------------------------------------------------------------------
// resend and the per-address limit

const cy = address('cy');
const cySent = await check('resendPasswordlessEmail keeps the auth_request_id and sends a new code', async () => {
  const first = await pl.sendPasswordlessEmail(cy);
  const again = await pl.resendPasswordlessEmail(first.authRequestId);
  assert.equal(again.authRequestId, first.authRequestId);
  assert.equal(again.passwordlessType, OTP);
  return again;
});

await check('a 3rd email to one address within a minute is RESOURCE_EXHAUSTED (429)', async () => {
  const err = await rejection(() => pl.sendPasswordlessEmail(cy));
  assertServerError(err, ScalekitTooManyRequestsException, GRPC.RESOURCE_EXHAUSTED);
});

await check('the resent code verifies', async () => {
  const res = await pl.verifyPasswordlessEmail({ code: await codeFor(cy) }, cySent.authRequestId);
  assert.equal(res.email, cy);
});

await check('resendPasswordlessEmail of an unknown auth_request_id is NOT_FOUND', async () => {
  const err = await rejection(() => pl.resendPasswordlessEmail(`unknown-${run}`));
  assertServerError(err, ScalekitNotFoundException, GRPC.NOT_FOUND);
});

await check('sendPasswordlessEmail of an invalid address is INVALID_ARGUMENT naming email', async () => {
  const err = await rejection(() => pl.sendPasswordlessEmail('not-an-address'));
  assertServerError(err, ScalekitBadRequestException, GRPC.INVALID_ARGUMENT);
  assert.ok(JSON.stringify(err.errDetails ?? err.unpackedDetails ?? '').includes('email') || /email/.test(err.message));
});

// ---------------------------------------------------------------------------
// magic links with same-browser enforcement

await check('settings: LINK with enforce_same_browser_origin', async () => {
  const res = await settings({ passwordless_type: 'LINK', enforce_same_browser_origin: true });
  assert.equal(res.passwordless_type, 'LINK');
});

const dee = address('dee');
const linkSent = await check('sendPasswordlessEmail with magiclinkAuthUri returns LINK', async () => {
  const res = await pl.sendPasswordlessEmail(dee, { magiclinkAuthUri: 'https://app.example.com/passwordless/callback' });
  assert.equal(res.passwordlessType, LINK);
  return res;
});

const linkToken = await check('the email links to magiclinkAuthUri?link_token=…', async () => {
  const text = (await lastMail(dee)).text;
  const match = /https:\/\/app\.example\.com\/passwordless\/callback\?link_token=([A-Za-z0-9_-]+)/.exec(text);
  assert.ok(match, `no magic link in: ${text}`);
  return match[1];
});

await check('verifyPasswordlessEmail({linkToken}) without authRequestId is INVALID_ARGUMENT (same browser enforced)', async () => {
  const err = await rejection(() => pl.verifyPasswordlessEmail({ linkToken }));
  assertServerError(err, ScalekitBadRequestException, GRPC.INVALID_ARGUMENT);
});

await check('verifyPasswordlessEmail({linkToken}, authRequestId) returns the email and LINK', async () => {
  const res = await pl.verifyPasswordlessEmail({ linkToken }, linkSent.authRequestId);
  assert.equal(res.email, dee);
  assert.equal(res.passwordlessType, LINK);
});

await check('settings: back to OTP without same-browser enforcement', async () => {
  const res = await settings({ passwordless_type: 'OTP', enforce_same_browser_origin: false });
  assert.equal(res.passwordless_type, 'OTP');
});

console.log(`${passed} passed, 0 failed`);
