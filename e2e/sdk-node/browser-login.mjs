#!/usr/bin/env node
// One real browser through the hosted login: Debian's Chromium, driven by playwright-core (the
// library only; it downloads no browser) with executablePath /usr/bin/chromium. A tiny test app
// (an HTTP server on 127.0.0.1, random port) is the OAuth client: the browser opens the authorize
// URL, types the email into the field labelled "Email address", reads nothing itself (the script
// fetches the code from /_dev/mail.json, as a person would read their inbox), types the code into
// "Verification code", creates an organization, and lands on the test app's /callback with `code`
// and `state`. The test app exchanges the code (PKCE + client secret) and shows who signed in.
// Along the way every page must have no console errors or uncaught exceptions, and every visible
// form field must have a label.
//
// Usage:
//   GATEHOUSE_URL=http://127.0.0.1:8080 GATEHOUSE_CLIENT_ID=skc_... \
//   GATEHOUSE_CLIENT_SECRET=... node browser-login.mjs
// Optional: CHROMIUM=/path/to/chromium (default /usr/bin/chromium),
//           SCREENSHOTS=<dir> (a PNG of each page, to look at).
// Output: `ok - <name>` per check, then `N passed, 0 failed` (see harness.mjs).

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

import { check, passed } from './harness.mjs';
import { registerRedirectUris, waitForCode } from './hosted-login.mjs';

const url = process.env.GATEHOUSE_URL?.replace(/\/$/, '');
const clientId = process.env.GATEHOUSE_CLIENT_ID;
const clientSecret = process.env.GATEHOUSE_CLIENT_SECRET;
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const screenshots = process.env.SCREENSHOTS;
const missing = Object.entries({ GATEHOUSE_URL: url, GATEHOUSE_CLIENT_ID: clientId, GATEHOUSE_CLIENT_SECRET: clientSecret })
  .filter(([, v]) => !v)
  .map(([k]) => k);
if (missing.length) {
  console.error(`usage: set ${missing.join(', ')} (GATEHOUSE_URL e.g. http://127.0.0.1:8080)`);
  process.exit(2);
}

const STEP_TIMEOUT_MS = 15_000;
const run = `gh${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const email = `${run}-browser@example.com`;
const organizationName = `${run} Browser Ltd`;
console.log(`# run ${run} against ${url} with ${executablePath}`);

// ---------------------------------------------------------------------------
// the test app: /callback receives code and state, exchanges the code, shows the user

const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');
const state = randomBytes(16).toString('base64url');
const callbacks = [];

const app = createServer(async (req, res) => {
  const requested = new URL(req.url, 'http://127.0.0.1');
  if (requested.pathname !== '/callback') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const params = Object.fromEntries(requested.searchParams);
  callbacks.push(params);
  let who = 'nobody';
  if (params.code && params.state === state) {
    const token = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code', code: params.code, redirect_uri: redirectUri, code_verifier: verifier,
        client_id: clientId, client_secret: clientSecret,
      }),
    });
    const body = await token.json();
    params.token_status = token.status;
    if (token.ok) {
      const idToken = JSON.parse(Buffer.from(body.id_token.split('.')[1], 'base64url'));
      who = idToken.email;
      params.id_token_claims = idToken;
    }
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    .end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test app</title>`
      + `<link rel="icon" href="data:,"></head><body><h1>Signed in as ${who}</h1></body></html>`);
});
await new Promise((resolve) => app.listen(0, '127.0.0.1', resolve));
const redirectUri = `http://127.0.0.1:${app.address().port}/callback`;

await check(`test app on ${redirectUri}, registered as a redirect URI`, async () => {
  const client = await registerRedirectUris(url, clientId, clientSecret, { redirectUris: [redirectUri] });
  assert.ok(client.redirect_uris.includes(redirectUri));
});

const authorizeUrl = `${url}/oauth/authorize?${new URLSearchParams({
  response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope: 'openid profile email',
  state, nonce: randomBytes(12).toString('base64url'), code_challenge: challenge, code_challenge_method: 'S256',
})}`;

// ---------------------------------------------------------------------------
// the browser

const userDataDir = mkdtempSync(join(tmpdir(), 'gatehouse-chromium-'));
if (screenshots) mkdirSync(screenshots, { recursive: true });
let context;
const problems = [];

async function shutdown() {
  await context?.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
  app.close();
}
process.on('exit', () => rmSync(userDataDir, { recursive: true, force: true }));

try {
  context = await check('Chromium starts headless with a fresh profile', async () => {
    const ctx = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      timeout: 30_000,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    console.log(`# browser ${ctx.browser()?.version() ?? '(persistent context)'}`);
    return ctx;
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception on ${page.url()}: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`);
  });

  /** Every visible form control has a label (label[for], a wrapping label, aria-label or aria-labelledby). */
  async function assertLabelled(step) {
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => el.type !== 'hidden')
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
      .map((el) => el.outerHTML));
    assert.deepEqual(unlabelled, [], `${step}: form fields without a label`);
    const nameless = await page.evaluate(() => [...document.querySelectorAll('button')]
      .filter((b) => !(b.textContent.trim() || b.getAttribute('aria-label'))).map((b) => b.outerHTML));
    assert.deepEqual(nameless, [], `${step}: buttons without an accessible name`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', `${step}: <html lang>`);
  }

  async function snap(name) {
    if (screenshots) await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  }

  function assertNoProblems(step) {
    assert.deepEqual(problems, [], `${step}: console errors, exceptions or failed requests`);
  }

  await check('the authorize URL redirects to the hosted login; the email field is labelled "Email address"', async () => {
    await page.goto(authorizeUrl);
    assert.match(new URL(page.url()).pathname, /^\/login\/lgn_/);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await assertLabelled('email page');
    await snap('1-email');
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    assertNoProblems('email page');
  });

  await check('the code from the dev mailbox, typed into "Verification code"', async () => {
    await assertLabelled('code page');
    assert.match(await page.locator('#sent-to').innerText(), new RegExp(email.replace(/[.]/g, '\\.')));
    await snap('2-code');
    const { code } = await waitForCode(url, email);
    await page.getByLabel('Verification code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Create your organization' }).waitFor();
    assertNoProblems('code page');
  });

  await check('"Create your organization": name typed into "Organization name", then the test app\'s callback', async () => {
    await assertLabelled('organization page');
    await snap('3-organization');
    await page.getByLabel('Organization name').fill(organizationName);
    await Promise.all([
      page.waitForURL((u) => u.href.startsWith(redirectUri)),
      page.getByRole('button', { name: 'Create and continue' }).click(),
    ]);
    await page.getByRole('heading', { name: `Signed in as ${email}` }).waitFor();
    await snap('4-callback');
    assertNoProblems('organization page and callback');
  });

  await check('the test app received code, state and iss; the code exchanged for an ID token of this user', async () => {
    assert.equal(callbacks.length, 1, JSON.stringify(callbacks));
    const [callback] = callbacks;
    assert.ok(callback.code, 'code');
    assert.equal(callback.state, state);
    assert.equal(callback.iss, url);
    assert.equal(callback.token_status, 200);
    assert.equal(callback.id_token_claims.email, email);
    assert.match(callback.id_token_claims.oid, /^org_/);
  });

  await check('cookies: gatehouse_session and gatehouse_browser are HttpOnly and SameSite=Lax', async () => {
    const cookies = await context.cookies(url);
    for (const name of ['gatehouse_session', 'gatehouse_browser']) {
      const cookie = cookies.find((c) => c.name === name);
      assert.ok(cookie, `${name} is set`);
      assert.equal(cookie.httpOnly, true, `${name} HttpOnly`);
      assert.equal(cookie.sameSite, 'Lax', `${name} SameSite`);
    }
  });

  await check('the same browser signs in again without any page (session), straight to the callback', async () => {
    await page.goto(authorizeUrl);
    await page.waitForURL((u) => u.href.startsWith(redirectUri));
    assert.equal(callbacks.length, 2);
    assert.equal(callbacks[1].state, state);
    assert.equal(callbacks[1].token_status, 200);
    assertNoProblems('second sign-in');
  });
} finally {
  await shutdown();
}

console.log(`${passed} passed, 0 failed`);
