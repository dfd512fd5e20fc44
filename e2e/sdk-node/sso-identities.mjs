#!/usr/bin/env node
// The official Scalekit Node SDK's authenticateWithCode after an enterprise SSO login: the user it builds from the
// ID token carries `identities` (spec-sso §2.5) with the connection's organization, ID, type, provider, `social`
// and the IdP's raw attributes, and the connection's mapped custom attributes.
//
// The login itself happens outside (app/src/test/.../SamlSignInTest signs a SAML response with its test IdP and
// posts it to the ACS); this script gets the code it ended with.
//
// Usage:
//   GATEHOUSE_URL=… GATEHOUSE_CLIENT_ID=… GATEHOUSE_CLIENT_SECRET=… SSO_CODE=… SSO_REDIRECT_URI=… \
//   SSO_CODE_VERIFIER=… SSO_CONNECTION_ID=conn_… SSO_ORGANIZATION_ID=org_… SSO_EMAIL=… \
//   SSO_RAW_ATTRIBUTE=name=value SSO_CUSTOM_ATTRIBUTE=name=value node sso-identities.mjs
// Output: `ok - <name>` per check, then `N passed, 0 failed` (see harness.mjs).

import assert from 'node:assert/strict';
import { ScalekitClient } from '@scalekit-sdk/node';

import { check, passed } from './harness.mjs';

const env = Object.fromEntries(['GATEHOUSE_URL', 'GATEHOUSE_CLIENT_ID', 'GATEHOUSE_CLIENT_SECRET', 'SSO_CODE',
  'SSO_REDIRECT_URI', 'SSO_CODE_VERIFIER', 'SSO_CONNECTION_ID', 'SSO_ORGANIZATION_ID', 'SSO_EMAIL',
  'SSO_RAW_ATTRIBUTE', 'SSO_CUSTOM_ATTRIBUTE'].map((name) => [name, process.env[name]]));
const missing = Object.entries(env).filter(([, v]) => !v).map(([k]) => k);
if (missing.length) {
  console.error(`usage: set ${missing.join(', ')}`);
  process.exit(2);
}
const pair = (text) => [text.slice(0, text.indexOf('=')), text.slice(text.indexOf('=') + 1)];
const [rawName, rawValue] = pair(env.SSO_RAW_ATTRIBUTE);
const [customName, customValue] = pair(env.SSO_CUSTOM_ATTRIBUTE);

const scalekit = new ScalekitClient(env.GATEHOUSE_URL.replace(/\/$/, ''), env.GATEHOUSE_CLIENT_ID,
  env.GATEHOUSE_CLIENT_SECRET);

const result = await check('authenticateWithCode(code, redirectUri, {codeVerifier}) after SAML SSO', async () => {
  const res = await scalekit.authenticateWithCode(env.SSO_CODE, env.SSO_REDIRECT_URI,
    { codeVerifier: env.SSO_CODE_VERIFIER });
  assert.equal(res.user.email, env.SSO_EMAIL);
  return res;
});

await check('user.identities: the SAML connection, not social, with the IdP\'s attributes as sent', async () => {
  assert.ok(Array.isArray(result.user.identities), `identities: ${JSON.stringify(result.user.identities)}`);
  assert.equal(result.user.identities.length, 1);
  const [identity] = result.user.identities;
  assert.equal(identity.connection_id, env.SSO_CONNECTION_ID);
  assert.equal(identity.organization_id, env.SSO_ORGANIZATION_ID);
  assert.equal(identity.connection_type, 'SAML');
  assert.equal(identity.provider_name, 'OKTA');
  assert.equal(identity.social, false);
  assert.equal(identity.provider_raw_attributes[rawName], rawValue);
});

await check('the ID token also carries the mapped custom attribute and c_hash', async () => {
  const claims = JSON.parse(Buffer.from(result.idToken.split('.')[1], 'base64url').toString('utf8'));
  assert.equal(claims.custom_attributes?.[customName], customValue);
  assert.match(claims.c_hash, /^[A-Za-z0-9_-]{22}$/);
});

console.log(`${passed} passed, 0 failed`);
