#!/usr/bin/env node
// The admin portal embedded in an app's page, in a real browser: Debian's Chromium driven by playwright-core (as
// browser-login.mjs). A tiny test app (an HTTP server on 127.0.0.1, random port) registers its settings page as a
// redirect URI, generates a portal link with the official SDK (organization.generatePortalLink) and shows the link
// in an iframe; the page collects the portal's postMessage events. In the frame the script creates an OIDC
// connection, fills its settings, enables and disables it, and creates and enables a SCIM directory; the app's page
// must receive ORGANIZATION_SSO_ENABLED, ORGANIZATION_SSO_DISABLED and ORGANIZATION_DIRECTORY_ENABLED from
// Gatehouse's origin. Every page (in the frame too) must have no console error (a CSP refusal is one), no uncaught
// exception and no failed request.
//
// Usage:
//   GATEHOUSE_URL=http://127.0.0.1:8080 GATEHOUSE_CLIENT_ID=skc_... \
//   GATEHOUSE_CLIENT_SECRET=... node browser-portal.mjs
// Optional: CHROMIUM=/path/to/chromium (default /usr/bin/chromium).
// Output: `ok - <name>` per check, then `N passed, 0 failed` (see harness.mjs).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ScalekitClient } from '@scalekit-sdk/node';

import { check, passed, requireSettings } from './harness.mjs';
import { registerRedirectUris } from './hosted-login.mjs';

const { url: rawUrl, clientId, clientSecret } = requireSettings();
const url = rawUrl.replace(/\/$/, '');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const STEP_TIMEOUT_MS = 15_000;
const run = `gh${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
console.log(`# run ${run} against ${url} with ${executablePath}`);
const scalekit = new ScalekitClient(url, clientId, clientSecret);

// ---------------------------------------------------------------------------
// the test app: /settings frames the portal and keeps what the portal posts

let portalLocation = '';
const app = createServer((req, res) => {
  if (new URL(req.url, 'http://127.0.0.1').pathname !== '/settings') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><head>
<meta charset="utf-8"><title>Test app settings</title><link rel="icon" href="data:,"></head><body>
<h1>SSO settings</h1>
<iframe id="portal" title="Admin portal" src="${portalLocation}" width="100%" height="900"></iframe>
<script>window.portalEvents = []; window.onmessage = (e) => window.portalEvents.push({ origin: e.origin, data: e.data });</script>
</body></html>`);
});
await new Promise((resolve) => app.listen(0, '127.0.0.1', resolve));
const settingsUrl = `http://127.0.0.1:${app.address().port}/settings`;

await check(`test app on ${settingsUrl}, registered as a redirect URI (so it may frame the portal)`, async () => {
  const client = await registerRedirectUris(url, clientId, clientSecret, { redirectUris: [settingsUrl] });
  assert.ok(client.redirect_uris.includes(settingsUrl));
});

const org = await check('an organization and its portal link (organization.generatePortalLink)', async () => {
  const created = await scalekit.organization.createOrganization(`${run} Embedded`, { externalId: `${run}-embedded` });
  const link = await scalekit.organization.generatePortalLink(created.organization.id);
  portalLocation = link.location;
  return created.organization.id;
});

// ---------------------------------------------------------------------------
// the browser

const userDataDir = mkdtempSync(join(tmpdir(), 'gatehouse-chromium-'));
let context;
const problems = [];
process.on('exit', () => rmSync(userDataDir, { recursive: true, force: true }));

try {
  context = await check('Chromium starts headless with a fresh profile', async () => chromium.launchPersistentContext(
    userDataDir, {
      executablePath,
      headless: true,
      timeout: 30_000,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    }));
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`);
  });
  const portal = page.frameLocator('#portal');

  function assertNoProblems(step) {
    assert.deepEqual(problems, [], `${step}: console errors, exceptions or failed requests`);
  }

  async function waitForEvent(type) {
    await page.waitForFunction((t) => window.portalEvents.some((e) => e.data?.event_type === t), type);
    return page.evaluate((t) => window.portalEvents.find((e) => e.data.event_type === t), type);
  }

  await check('the app\'s page shows the portal of its organization in the iframe', async () => {
    await page.goto(settingsUrl);
    await portal.getByRole('heading', { name: 'Admin portal' }).waitFor();
    assert.ok((await portal.locator('nav').innerText()).includes(`${run} Embedded`));
    assertNoProblems('portal in a frame');
  });

  await check('an OIDC connection created and configured in the frame is COMPLETED', async () => {
    await portal.getByLabel('Identity provider').selectOption('OKTA');
    await portal.getByLabel('Protocol').selectOption('OIDC');
    await portal.getByRole('button', { name: 'Create connection' }).click();
    await portal.getByLabel('Redirect URI').waitFor();
    await portal.getByLabel('Issuer URL or discovery document URL').fill('https://acme.okta.example.test');
    await portal.getByLabel('Client ID').fill('gatehouse-client');
    await portal.getByLabel('Client secret').fill('s3cret-value');
    await portal.getByRole('button', { name: 'Save', exact: true }).click();
    await portal.locator('#connection-status', { hasText: 'COMPLETED' }).waitFor();
    assertNoProblems('connection configured');
  });

  await check('enabling it posts ORGANIZATION_SSO_ENABLED to the app from Gatehouse\'s origin', async () => {
    await portal.getByRole('button', { name: 'Enable connection' }).click();
    const event = await waitForEvent('ORGANIZATION_SSO_ENABLED');
    assert.equal(event.origin, url);
    assert.equal(event.data.object, 'connection');
    assert.equal(event.data.organization_id, org);
    assert.equal(event.data.data.enabled, true);
    assert.equal(event.data.data.type, 'OIDC');
    assert.match(event.data.data.id, /^conn_/);
  });

  await check('disabling it posts ORGANIZATION_SSO_DISABLED', async () => {
    await portal.getByRole('button', { name: 'Disable connection' }).click();
    const event = await waitForEvent('ORGANIZATION_SSO_DISABLED');
    assert.equal(event.data.data.enabled, false);
    assertNoProblems('enable and disable');
  });

  await check('a SCIM directory created and enabled in the frame posts ORGANIZATION_DIRECTORY_ENABLED', async () => {
    await portal.locator('#portal-home').click();
    await portal.getByLabel('Directory provider').selectOption('OKTA');
    await portal.getByRole('button', { name: 'Create directory' }).click();
    await portal.getByRole('button', { name: 'Enable provisioning' }).click();
    const event = await waitForEvent('ORGANIZATION_DIRECTORY_ENABLED');
    assert.equal(event.data.object, 'directory');
    assert.equal(event.data.data.directory_type, 'SCIM');
    assert.equal(event.data.data.provider, 'OKTA');
    assertNoProblems('directory');
  });

  await check('the portal cookie is HttpOnly and path-scoped to the link', async () => {
    // The cookie's path is the link's, so it is looked up among all of the browser's cookies.
    const cookie = (await context.cookies()).find((c) => c.name === 'gatehouse_portal');
    assert.ok(cookie, 'gatehouse_portal is set');
    assert.equal(cookie.httpOnly, true);
    assert.match(cookie.path, /^\/portal\/lnk_\d+$/);
  });
} finally {
  await context?.close().catch(() => {});
  app.close();
}

await check('cleanup: organization.deleteOrganization', async () => {
  await scalekit.organization.deleteOrganization(org);
});

console.log(`${passed} passed, 0 failed`);
