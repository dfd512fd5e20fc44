#!/usr/bin/env node
// IdP-initiated login with the official Scalekit Node SDK: the `idp_initiated_login` token that Gatehouse sent to the
// default redirect URI (from the SAML ACS, or from the IdP simulator's "IdP initiated SSO" scenario) must pass
// `getIdpInitiatedLoginClaims` (signature checked against /keys), carry the expected claims, and a tampered or foreign
// token must be refused.
//
// Usage:
//   GATEHOUSE_URL=http://127.0.0.1:8080 GATEHOUSE_CLIENT_ID=skc_... GATEHOUSE_CLIENT_SECRET=... \
//   IDP_INITIATED_LOGIN=<jwt> EXPECT_CONNECTION_ID=conn_... EXPECT_ORGANIZATION_ID=org_... \
//   EXPECT_LOGIN_HINT=user@example.com [EXPECT_RELAY_STATE=...] node idp-initiated.mjs
// Output: `ok - <name>` per check, then `N passed, 0 failed` (see harness.mjs).

import assert from 'node:assert/strict';
import { ScalekitClient } from '@scalekit-sdk/node';

import { check, passed, rejection, requireSettings } from './harness.mjs';

const { url, clientId, clientSecret } = requireSettings();
const token = process.env.IDP_INITIATED_LOGIN;
if (!token) {
  console.error('usage: set IDP_INITIATED_LOGIN (and EXPECT_* values)');
  process.exit(2);
}
const scalekit = new ScalekitClient(url.replace(/\/$/, ''), clientId, clientSecret);

await check('getIdpInitiatedLoginClaims: the token verifies against /keys and names the connection', async () => {
  const claims = await scalekit.getIdpInitiatedLoginClaims(token);
  assert.equal(claims.connection_id, process.env.EXPECT_CONNECTION_ID);
  assert.equal(claims.organization_id, process.env.EXPECT_ORGANIZATION_ID);
  assert.equal(claims.login_hint, process.env.EXPECT_LOGIN_HINT);
  if (process.env.EXPECT_RELAY_STATE) assert.equal(claims.relay_state, process.env.EXPECT_RELAY_STATE);
  assert.equal(claims.exp - claims.iat, 300);
  assert.equal(claims.iss, url.replace(/\/$/, ''));
});

await check('getIdpInitiatedLoginClaims: a token with changed claims is refused', async () => {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  claims.organization_id = 'org_1';
  const forged = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
  await rejection(() => scalekit.getIdpInitiatedLoginClaims(forged));
});

await check('getIdpInitiatedLoginClaims: a token signed by another key is refused', async () => {
  const { generateKeyPairSync, sign } = await import('node:crypto');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const [header, payload] = token.split('.');
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url');
  await rejection(() => scalekit.getIdpInitiatedLoginClaims(`${header}.${payload}.${signature}`));
});

console.log(`${passed} passed, 0 failed`);
