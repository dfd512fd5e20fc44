#!/usr/bin/env node
// End-to-end check of Gatehouse's organization API and M2M token flow,
// driven through the official Scalekit Node SDK (@scalekit-sdk/node, pinned in
// package.json). Every management call below goes out as gRPC (HTTP/2, h2c for
// http:// URLs) to `${GATEHOUSE_URL}/scalekit.v1.organizations.OrganizationService/<Method>`;
// the token and JWKS calls go out as HTTP/1.1 to `${GATEHOUSE_URL}/oauth/token`
// and `${GATEHOUSE_URL}/keys`.
//
// Usage:
//   GATEHOUSE_URL=http://127.0.0.1:8080 GATEHOUSE_CLIENT_ID=skc_... \
//   GATEHOUSE_CLIENT_SECRET=... node organizations.mjs
//
// Output: one `ok - <name>` line per passed check and, at the end,
// `N passed, 0 failed`. The first failing check prints `not ok - <name>`, the
// error (for SDK errors: class, gRPC code, HTTP status, ErrorInfo error_code,
// message and details), `N passed, 1 failed`, and exits 1. Exit 2 = bad usage.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  ScalekitClient,
  ScalekitServerException,
  ScalekitBadRequestException,
  ScalekitNotFoundException,
  ScalekitUnauthorizedException,
} from '@scalekit-sdk/node';

import { GRPC, GRPC_NAME, json, describeError, check, rejection, assertServerError, passed } from './harness.mjs';

const ORG_SVC = '/scalekit.v1.organizations.OrganizationService';
const PAGE_ORGS = 30;
const PAGE_SIZE = 10;
const MAX_PAGES = 1000; // guard against a server that never stops handing out tokens

function assertOrg(org, expected, what = 'organization') {
  assert.ok(org, `${what}: response has no organization`);
  assert.match(org.id, /^org_/, `${what}: id ${JSON.stringify(org.id)} does not start with org_`);
  if (expected.id !== undefined) assert.equal(org.id, expected.id, `${what}: id`);
  if (expected.displayName !== undefined) assert.equal(org.displayName, expected.displayName, `${what}: display_name`);
  if (expected.externalId !== undefined) assert.equal(org.externalId, expected.externalId, `${what}: external_id`);
  if (expected.metadata !== undefined) assert.deepEqual({ ...org.metadata }, expected.metadata, `${what}: metadata`);
  assert.ok(org.createTime, `${what}: create_time is not set`);
  assert.ok(org.updateTime, `${what}: update_time is not set`);
}

function b64urlJson(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

// ---------------------------------------------------------------------------
// setup

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
const orgs = scalekit.organization;
const run = `gh${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const toCleanUp = new Set();
console.log(`# run ${run} against ${url}`);

// ---------------------------------------------------------------------------
// create / get

// SDK: POST ${ORG_SVC}/CreateOrganization, CreateOrganizationRequest{
//   organization: CreateOrganization{display_name(4), external_id(6) if truthy,
//   logo_url(10) if truthy, slug(9) if truthy}}.
// NB: SDK 2.11.0 createOrganization() silently DROPS options.metadata (and never
// sets region_code), so the organization it creates must come back with empty
// metadata. Metadata on create is exercised separately below through the SDK's
// own gRPC client.
const main = {
  displayName: `${run} Acme Corp`,
  externalId: `${run}-ext-main`,
};
const created = await check('createOrganization returns org_ id, display_name, external_id, empty metadata', async () => {
  const res = await orgs.createOrganization(main.displayName, { externalId: main.externalId, metadata: { tier: 'gold' } });
  assertOrg(res.organization, { ...main, metadata: {} });
  toCleanUp.add(res.organization.id);
  return res.organization;
});

await check('CreateOrganization with metadata (SDK gRPC client, wrapper drops metadata) returns metadata', async () => {
  // Same transport, interceptors and retry logic as the public wrapper; only the
  // request message differs (metadata(7) set).
  const metadata = { tier: 'gold', 'region.hint': 'eu-west' };
  const res = await scalekit.coreClient.connectExec(orgs.client.createOrganization, {
    organization: { displayName: `${run} Meta Inc`, externalId: `${run}-ext-meta`, metadata },
  });
  assertOrg(res.organization, { displayName: `${run} Meta Inc`, externalId: `${run}-ext-meta`, metadata });
  toCleanUp.add(res.organization.id);
  const got = await orgs.getOrganization(res.organization.id);
  assertOrg(got.organization, { id: res.organization.id, metadata }, 'getOrganization after create');
});

// SDK: POST ${ORG_SVC}/GetOrganization, GetOrganizationRequest{oneof identities: id(1)}.
await check('getOrganization(id) returns the created organization', async () => {
  const res = await orgs.getOrganization(created.id);
  assertOrg(res.organization, { id: created.id, ...main, metadata: {} });
});

// SDK: POST ${ORG_SVC}/GetOrganization (NOT .../GetOrganizationByExternalId!),
// GetOrganizationRequest{oneof identities: external_id(2)}.
await check('getOrganizationByExternalId(externalId) returns the same organization', async () => {
  const res = await orgs.getOrganizationByExternalId(main.externalId);
  assertOrg(res.organization, { id: created.id, ...main });
});

// ---------------------------------------------------------------------------
// list + paging

const pageIds = [];
await check(`create ${PAGE_ORGS} organizations with run prefix`, async () => {
  for (let i = 0; i < PAGE_ORGS; i++) {
    const n = String(i).padStart(2, '0');
    const expected = { displayName: `${run} Page Org ${n}`, externalId: `${run}-page-${n}` };
    const res = await orgs.createOrganization(expected.displayName, { externalId: expected.externalId });
    assertOrg(res.organization, expected, `page org ${n}`);
    assert.ok(!pageIds.includes(res.organization.id), `duplicate id ${res.organization.id}`);
    pageIds.push(res.organization.id);
    toCleanUp.add(res.organization.id);
  }
});

// SDK: POST ${ORG_SVC}/ListOrganization, ListOrganizationsRequest{page_size(1) uint32,
// page_token(2) string} -- the options object is passed through as-is. Response
// ListOrganizationsResponse{next_page_token(1), total_size(2) uint32,
// organizations(3), prev_page_token(4)}; "no more pages" = empty next_page_token.
await check(`listOrganization({pageSize: ${PAGE_SIZE}}) pages through all ${PAGE_ORGS} exactly once, totalSize >= ${PAGE_ORGS}`, async () => {
  const seen = new Map(pageIds.map((id) => [id, 0]));
  const tokens = new Set();
  let pageToken;
  let pages = 0;
  let total = 0;
  do {
    assert.ok(pages < MAX_PAGES, `still paging after ${MAX_PAGES} pages`);
    const res = await orgs.listOrganization({ pageSize: PAGE_SIZE, pageToken });
    pages++;
    assert.ok(Array.isArray(res.organizations), 'organizations is not a list');
    assert.ok(res.organizations.length <= PAGE_SIZE, `page ${pages} has ${res.organizations.length} > ${PAGE_SIZE} organizations`);
    assert.ok(res.totalSize >= PAGE_ORGS, `page ${pages}: total_size ${res.totalSize} < ${PAGE_ORGS}`);
    if (res.nextPageToken) {
      assert.ok(res.organizations.length > 0, `page ${pages} is empty but has a next_page_token`);
      assert.ok(!tokens.has(res.nextPageToken), `next_page_token ${res.nextPageToken} repeated`);
      tokens.add(res.nextPageToken);
    }
    for (const org of res.organizations) {
      assert.match(org.id, /^org_/);
      if (seen.has(org.id)) seen.set(org.id, seen.get(org.id) + 1);
    }
    total += res.organizations.length;
    pageToken = res.nextPageToken;
  } while (pageToken);
  const wrong = [...seen].filter(([, count]) => count !== 1);
  assert.deepEqual(wrong, [], `created ids not seen exactly once (id, times seen) over ${pages} pages / ${total} orgs`);
  assert.ok(pages >= Math.ceil(PAGE_ORGS / PAGE_SIZE), `only ${pages} pages for >= ${PAGE_ORGS} organizations at page size ${PAGE_SIZE}`);
});

// ---------------------------------------------------------------------------
// update

// SDK: POST ${ORG_SVC}/UpdateOrganization, UpdateOrganizationRequest{
//   oneof identities: id(1), organization(3): UpdateOrganization{optional display_name(4),
//   optional external_id(6), metadata(7) map, optional slug(9), optional logo_url(10)}}.
// update_mask(99) is never set: the server must treat this as a patch keyed on
// field presence (unset optional = keep; empty metadata map = keep).
const updated = {
  displayName: `${run} Acme Corp (renamed)`,
  externalId: `${run}-ext-main-2`,
  metadata: { plan: 'enterprise', seats: '250' },
};
await check('updateOrganization(id, {displayName, externalId, metadata}) returns the updated fields', async () => {
  const res = await orgs.updateOrganization(created.id, updated);
  assertOrg(res.organization, { id: created.id, ...updated });
});

await check('getOrganization after update returns the updated fields', async () => {
  const res = await orgs.getOrganization(created.id);
  assertOrg(res.organization, { id: created.id, ...updated });
});

await check('getOrganizationByExternalId(new externalId) finds it; the old externalId is NOT_FOUND', async () => {
  const res = await orgs.getOrganizationByExternalId(updated.externalId);
  assertOrg(res.organization, { id: created.id, ...updated });
  const err = await rejection(() => orgs.getOrganizationByExternalId(main.externalId));
  assertServerError(err, ScalekitNotFoundException, GRPC.NOT_FOUND);
});

await check('updateOrganization(id, {displayName}) only changes display_name', async () => {
  const displayName = `${run} Acme Corp (renamed twice)`;
  const res = await orgs.updateOrganization(created.id, { displayName });
  assertOrg(res.organization, { id: created.id, ...updated, displayName });
  updated.displayName = displayName;
});

// ---------------------------------------------------------------------------
// delete

// SDK: POST ${ORG_SVC}/DeleteOrganization, DeleteOrganizationRequest{oneof identities: id(1)}
// -> google.protobuf.Empty.
await check('deleteOrganization(id) resolves', async () => {
  await orgs.deleteOrganization(created.id);
  toCleanUp.delete(created.id);
});

await check('getOrganization(deleted id) rejects with ScalekitNotFoundException / NOT_FOUND', async () => {
  const err = await rejection(() => orgs.getOrganization(created.id));
  assertServerError(err, ScalekitNotFoundException, GRPC.NOT_FOUND);
  assert.equal(err.httpStatus, 404);
  console.log(`# not-found error: error_code=${err.errorCode} message=${JSON.stringify(err.message)}`);
});

// ---------------------------------------------------------------------------
// error paths

// The SDK puts display_name "" in the message; proto3 does not serialize it, so
// the server sees CreateOrganization{} without display_name.
await check('createOrganization("") rejects with ScalekitBadRequestException / INVALID_ARGUMENT', async () => {
  const err = await rejection(async () => {
    const res = await orgs.createOrganization('');
    if (res?.organization?.id) toCleanUp.add(res.organization.id);
    return res;
  });
  assertServerError(err, ScalekitBadRequestException, GRPC.INVALID_ARGUMENT);
  assert.equal(err.httpStatus, 400);
  console.log(`# invalid-argument error: error_code=${err.errorCode} message=${JSON.stringify(err.message)} details=${JSON.stringify(err.unpackedDetails)}`);
});

await check('a client with a wrong secret cannot call the management API', async () => {
  // First gRPC call (no authorization) must get UNAUTHENTICATED, which makes the
  // SDK POST /oauth/token; that must fail, and the raw axios error escapes.
  const bad = new ScalekitClient(url, clientId, `${clientSecret}-wrong`);
  const err = await rejection(() => bad.organization.listOrganization({ pageSize: 1 }));
  assert.ok(err?.isAxiosError && err.response,
    `expected the token endpoint's HTTP error (axios) after UNAUTHENTICATED, got:\n${describeError(err)}`);
  assert.ok([400, 401].includes(err.response.status), `token endpoint status ${err.response.status}, want 400/401`);
  assert.equal(err.response.data?.error, 'invalid_client', `token error body ${json(err.response.data)}`);
});

await check('getClientAccessToken() with a wrong secret rejects (invalid_client)', async () => {
  const bad = new ScalekitClient(url, clientId, `${clientSecret}-wrong`);
  const err = await rejection(() => bad.getClientAccessToken());
  assert.ok(err instanceof ScalekitServerException, `expected ScalekitServerException, got:\n${describeError(err)}`);
  // HTTP 401 -> ScalekitUnauthorizedException (16), HTTP 400 -> ScalekitBadRequestException (3).
  assert.ok(
    (err instanceof ScalekitUnauthorizedException && err.grpcStatus === GRPC.UNAUTHENTICATED) ||
      (err instanceof ScalekitBadRequestException && err.grpcStatus === GRPC.INVALID_ARGUMENT),
    `unexpected ${err.name} grpc ${err.grpcStatus}`,
  );
  assert.equal(err.errDetails?.error, 'invalid_client', `token error body ${json(err.errDetails)}`);
});

// ---------------------------------------------------------------------------
// tokens

// POST /oauth/token (form: grant_type=client_credentials, client_id, client_secret).
const token = await check('getClientAccessToken() returns a JWT', async () => {
  const t = await scalekit.getClientAccessToken();
  assert.equal(typeof t, 'string');
  const parts = t.split('.');
  assert.equal(parts.length, 3, 'JWT must have 3 dot-separated parts');
  const header = b64urlJson(parts[0]);
  const payload = b64urlJson(parts[1]);
  assert.ok(header.alg && header.alg !== 'none', `alg ${header.alg}`);
  assert.ok(header.kid, 'JWT header has no kid (the SDK looks keys up by kid)');
  assert.equal(typeof payload.exp, 'number', 'exp claim');
  assert.ok(payload.exp > Date.now() / 1000, 'token already expired');
  return t;
});

// GET /keys once (cached per client), then jose.jwtVerify(token, localJWKSet)
// with no issuer/audience: signature + exp/nbf only.
await check('validateAccessToken(client token) === true', async () => {
  const ok = await scalekit.validateAccessToken(token);
  if (ok !== true) {
    // validateAccessToken swallows the reason; validateToken surfaces it.
    try {
      await scalekit.validateToken(token);
    } catch (err) {
      assert.fail(`validateAccessToken returned ${ok}; validateToken says:\n${describeError(err)}`);
    }
  }
  assert.equal(ok, true);
});

await check("validateAccessToken('garbage') === false", async () => {
  assert.equal(await scalekit.validateAccessToken('garbage'), false);
});

// ---------------------------------------------------------------------------
// cleanup

await check(`cleanup: delete the ${toCleanUp.size} remaining organizations of this run`, async () => {
  for (const id of [...toCleanUp]) {
    await orgs.deleteOrganization(id);
    toCleanUp.delete(id);
  }
});

console.log(`${passed} passed, 0 failed`);
