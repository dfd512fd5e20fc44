#!/usr/bin/env node
// End-to-end check of Gatehouse's organization M2M clients (scalekit.v1.clients.ClientService)
// driven through the official Scalekit Node SDK (@scalekit-sdk/node, pinned in package.json):
// the SDK's `m2m` methods (gRPC), then a client_credentials token minted with the created client
// (`generateClientToken`, POST /oauth/token) and checked with `validateToken` / `requiredScopes`.
//
// Usage:
//   GATEHOUSE_URL=http://127.0.0.1:8080 GATEHOUSE_CLIENT_ID=skc_... \
//   GATEHOUSE_CLIENT_SECRET=... node m2m-clients.mjs
//
// Output: one `ok - <name>` line per passed check and, at the end, `N passed, 0 failed`.
// The first failing check prints `not ok - <name>`, the error, `N passed, 1 failed`, and exits 1.
// Exit 2 = bad usage.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  ScalekitClient,
  ScalekitServerException,
  ScalekitBadRequestException,
  ScalekitNotFoundException,
  ScalekitValidateTokenFailureException,
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
const m2m = scalekit.m2m;
const run = `gh${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
console.log(`# run ${run} against ${url}`);

const SCOPES = ['deploy:applications', 'read:deployments'];
const AUDIENCE = 'https://deploy-api.example.test';

const org = await check('createOrganization for the run', async () => {
  const res = await scalekit.organization.createOrganization(`${run} M2M`, { externalId: `${run}-m2m` });
  return res.organization.id;
});
const otherOrg = await check('createOrganization (a second one, for isolation)', async () => {
  const res = await scalekit.organization.createOrganization(`${run} other`, { externalId: `${run}-other` });
  return res.organization.id;
});

const created = await check('createOrganizationClient returns an m2morg_ client and its plain secret once', async () => {
  const res = await m2m.createOrganizationClient(org, {
    name: `${run} deployer`,
    description: 'GitHub Actions deployment service',
    scopes: SCOPES,
    audience: [AUDIENCE],
    customClaims: { github_repository: 'acme/inventory', environment: 'production_us' },
  });
  assert.match(res.client.clientId, /^m2morg_\d+$/);
  assert.equal(res.client.organizationId, org);
  assert.equal(res.client.name, `${run} deployer`);
  assert.deepEqual([...res.client.scopes], SCOPES);
  assert.deepEqual([...res.client.audience], [AUDIENCE]);
  assert.deepEqual(res.client.customClaims.map((c) => [c.key, c.value]),
    [['github_repository', 'acme/inventory'], ['environment', 'production_us']]);
  assert.equal(res.client.expiry, 3600n, 'default expiry is 3600 s');
  assert.ok(res.plainSecret.length >= 32, 'plain secret present');
  assert.equal(res.client.secrets.length, 1);
  assert.equal(res.client.secrets[0].secretSuffix, res.plainSecret.slice(-4));
  assert.ok(!res.client.secrets[0].plainSecret, 'the secret list never carries the plain secret');
  return { id: res.client.clientId, secret: res.plainSecret, secretId: res.client.secrets[0].id };
});

await check('getOrganizationClient returns the client without secret values', async () => {
  const res = await m2m.getOrganizationClient(org, created.id);
  assert.equal(res.client.clientId, created.id);
  assert.equal(res.client.description, 'GitHub Actions deployment service');
  assert.equal(res.client.secrets.length, 1);
  assert.ok(!JSON.stringify(res.client, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)).includes(created.secret));
});

await check('listOrganizationClients lists it (and only in its organization)', async () => {
  const res = await m2m.listOrganizationClients(org, { pageSize: 10 });
  assert.deepEqual(res.clients.map((c) => c.clientId), [created.id]);
  assert.equal(res.totalSize, 1);
  const other = await m2m.listOrganizationClients(otherOrg, { pageSize: 10 });
  assert.equal(other.clients.length, 0);
});

await check('updateOrganizationClient changes the fields given and keeps the rest', async () => {
  const res = await m2m.updateOrganizationClient(org, created.id, { description: 'now for production_eu' });
  assert.equal(res.client.description, 'now for production_eu');
  assert.equal(res.client.name, `${run} deployer`);
  assert.deepEqual([...res.client.scopes], SCOPES);
});

const token = await check('generateClientToken with the new client mints a token', async () => {
  const t = await scalekit.generateClientToken(created.id, created.secret);
  assert.equal(t.split('.').length, 3, 'a JWT');
  return t;
});

await check('validateToken (issuer, audience, requiredScopes) accepts it; claims carry oid, client_id, scopes, custom claims', async () => {
  const claims = await scalekit.validateToken(token, { issuer: url, audience: AUDIENCE, requiredScopes: ['deploy:applications'] });
  assert.equal(claims.sub, created.id);
  assert.equal(claims.client_id, created.id);
  assert.equal(claims.oid, org);
  assert.deepEqual(claims.scopes, SCOPES);
  assert.equal(claims.github_repository, 'acme/inventory');
  assert.equal(claims.environment, 'production_us');
  assert.equal(claims.exp - claims.iat, 3600);
  assert.equal(await scalekit.validateAccessToken(token), true);
  assert.equal(scalekit.verifyScopes(token, SCOPES), true);
});

await check('validateToken with a scope the client lacks is refused', async () => {
  const err = await rejection(() => scalekit.validateToken(token, { requiredScopes: ['admin:everything'] }));
  assert.ok(err instanceof ScalekitValidateTokenFailureException, `got ${err?.name}: ${err?.message}`);
  assert.match(String(err.message), /admin:everything/);
});

await check('validateToken with another audience is refused', async () => {
  const err = await rejection(() => scalekit.validateToken(token, { audience: 'https://other.example.test' }));
  assert.ok(err instanceof ScalekitValidateTokenFailureException, `got ${err?.name}: ${err?.message}`);
});

await check('the M2M client cannot call the management API', async () => {
  const asM2m = new ScalekitClient(url, created.id, created.secret);
  const err = await rejection(() => asM2m.organization.getOrganization(org));
  assertServerError(err, ScalekitServerException, GRPC.UNAUTHENTICATED);
});

const second = await check('addOrganizationClientSecret returns a second working secret', async () => {
  const res = await m2m.addOrganizationClientSecret(org, created.id);
  assert.ok(res.plainSecret && res.plainSecret !== created.secret);
  assert.equal(res.secret.secretSuffix, res.plainSecret.slice(-4));
  await scalekit.generateClientToken(created.id, res.plainSecret);
  return { id: res.secret.id, secret: res.plainSecret };
});

await check('a sixth secret is refused with FAILED_PRECONDITION', async () => {
  for (let i = 0; i < 3; i++) await m2m.addOrganizationClientSecret(org, created.id);
  const err = await rejection(() => m2m.addOrganizationClientSecret(org, created.id));
  assertServerError(err, ScalekitServerException, GRPC.FAILED_PRECONDITION);
});

await check('removeOrganizationClientSecret: the removed secret stops working, the other keeps working', async () => {
  await m2m.removeOrganizationClientSecret(org, created.id, created.secretId);
  const err = await rejection(() => scalekit.generateClientToken(created.id, created.secret));
  assert.ok(err instanceof ScalekitServerException, `got ${err?.name}`);
  assert.equal(err.httpStatus, 401);
  await scalekit.generateClientToken(created.id, second.secret);
});

await check('createOrganizationClient with a 129-character name is INVALID_ARGUMENT', async () => {
  const err = await rejection(() => m2m.createOrganizationClient(org, { name: 'x'.repeat(129) }));
  assertServerError(err, ScalekitBadRequestException, GRPC.INVALID_ARGUMENT);
});

await check('getOrganizationClient through another organization is NOT_FOUND', async () => {
  const err = await rejection(() => m2m.getOrganizationClient(otherOrg, created.id));
  assertServerError(err, ScalekitNotFoundException, GRPC.NOT_FOUND);
});

await check('deleteOrganizationClient: the client is gone and its secrets stop working', async () => {
  await m2m.deleteOrganizationClient(org, created.id);
  const err = await rejection(() => m2m.getOrganizationClient(org, created.id));
  assertServerError(err, ScalekitNotFoundException, GRPC.NOT_FOUND);
  const refused = await rejection(() => scalekit.generateClientToken(created.id, second.secret));
  assert.equal(refused.httpStatus, 401);
});

await check('cleanup: delete the run\'s organizations', async () => {
  await scalekit.organization.deleteOrganization(org);
  await scalekit.organization.deleteOrganization(otherOrg);
});

console.log(`${passed} passed, 0 failed`);
