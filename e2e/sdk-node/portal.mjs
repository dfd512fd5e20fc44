#!/usr/bin/env node
// End-to-end check of Gatehouse's admin portal links and organization session policies through the official
// Scalekit Node SDK (@scalekit-sdk/node, pinned in package.json): scalekit.organization.generatePortalLink,
// updateOrganizationSessionPolicy and getOrganizationSessionPolicy; GetPortalLinks, DeletePortalLinkByID,
// DeletePortalLink and GetApplicationSessionPolicy, which the SDK has no method for, through the SDK's own gRPC client.
// The generated link is then opened over HTTP like a browser: it must start a portal session of the organization.
//
// Usage:
//   GATEHOUSE_URL=http://127.0.0.1:8080 GATEHOUSE_CLIENT_ID=skc_... \
//   GATEHOUSE_CLIENT_SECRET=... node portal.mjs
//
// Output: one `ok - <name>` line per passed check, then `N passed, 0 failed`; the first failure prints
// `not ok - <name>` with the error and exits 1. Exit 2 = bad usage. The run works in an organization of its own
// and deletes it at the end.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  ScalekitClient,
  ScalekitBadRequestException,
  ScalekitNotFoundException,
} from '@scalekit-sdk/node';

import { GRPC, check, rejection, assertServerError, passed, requireSettings } from './harness.mjs';

const require = createRequire(import.meta.url);
const { SessionPolicyType } =
  require('@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/organizations/organizations_pb.js');
const { TimeUnit } = require('@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/commons/commons_pb.js');

const { url, clientId, clientSecret } = requireSettings();
const base = url.replace(/\/$/, '');
const scalekit = new ScalekitClient(url, clientId, clientSecret);
const organizations = scalekit.organization;
const run = `gh${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
console.log(`# run ${run} against ${url}`);

/** An RPC the SDK declares but has no method for, through its own gRPC client. */
function call(method, request) {
  return scalekit.coreClient.connectExec(organizations.client[method], request);
}

const org = await check('setup: organization.createOrganization', async () => {
  const res = await organizations.createOrganization(`${run} Portal`, { externalId: `${run}-portal` });
  return res.organization.id;
});

// ---------------------------------------------------------------------------
// portal links

const link = await check('organization.generatePortalLink answers {id, location, expireTime} of a 7-day link', async () => {
  const before = Date.now();
  const l = await organizations.generatePortalLink(org);
  assert.match(l.id, /^lnk_\d+$/);
  assert.ok(l.location.startsWith(`${base}/portal/${l.id}?key=`), l.location);
  const expires = Number(l.expireTime.seconds) * 1000;
  const week = 7 * 24 * 3600 * 1000;
  assert.ok(expires >= before + week - 5000 && expires <= Date.now() + week + 5000, `expireTime ${expires}`);
  return l;
});

await check('the location opens the organization\'s admin portal in a browser', async () => {
  const opened = await fetch(link.location, { redirect: 'manual' });
  assert.equal(opened.status, 303);
  const cookie = opened.headers.get('set-cookie');
  assert.match(cookie, /^gatehouse_portal=[^;]+;.*Path=\/portal\/lnk_/);
  const home = await fetch(opened.headers.get('location'), { headers: { cookie: cookie.split(';')[0] } });
  assert.equal(home.status, 200);
  const html = await home.text();
  assert.ok(html.includes(`${run} Portal`), 'the page names the organization');
  assert.match(home.headers.get('content-security-policy'), /frame-ancestors 'self'/);
});

await check('GetPortalLinks lists the live links, without their key', async () => {
  const second = await organizations.generatePortalLink(org);
  const res = await call('getPortalLinks', { id: org });
  assert.deepEqual(res.links.map(l => l.id), [link.id, second.id]);
  assert.equal(res.links[0].location, `${base}/portal/${link.id}`);
});

await check('DeletePortalLinkByID revokes one link: it stops opening the portal', async () => {
  await call('deletePortalLinkByID', { id: org, linkId: link.id });
  const res = await call('getPortalLinks', { id: org });
  assert.equal(res.links.length, 1);
  const opened = await fetch(link.location, { redirect: 'manual' });
  assert.equal(opened.status, 404);
  const err = await rejection(() => call('deletePortalLinkByID', { id: org, linkId: link.id }));
  assertServerError(err, ScalekitNotFoundException, GRPC.NOT_FOUND);
});

await check('DeletePortalLink revokes every link of the organization', async () => {
  await call('deletePortalLink', { id: org });
  assert.equal((await call('getPortalLinks', { id: org })).links.length, 0);
});

await check('generatePortalLink of an unknown organization: ScalekitNotFoundException', async () => {
  const err = await rejection(() => organizations.generatePortalLink('org_99999999999999999'));
  assertServerError(err, ScalekitNotFoundException, GRPC.NOT_FOUND);
});

// ---------------------------------------------------------------------------
// session policies

await check('getOrganizationSessionPolicy of a new organization: APPLICATION', async () => {
  const policy = await organizations.getOrganizationSessionPolicy(org);
  assert.equal(policy.policySource, SessionPolicyType.APPLICATION);
});

await check('updateOrganizationSessionPolicy(CUSTOM) as the SDK documents it, read back', async () => {
  const updated = await organizations.updateOrganizationSessionPolicy(org, {
    policySource: 'CUSTOM',
    absoluteSessionTimeout: 360,
    absoluteSessionTimeoutUnit: 'MINUTES',
    idleSessionTimeoutEnabled: true,
    idleSessionTimeout: 84,
    idleSessionTimeoutUnit: 'MINUTES',
  });
  assert.equal(updated.policySource, SessionPolicyType.CUSTOM);
  assert.equal(updated.absoluteSessionTimeout, 360);
  assert.equal(updated.absoluteSessionTimeoutUnit, TimeUnit.MINUTES);
  assert.equal(updated.idleSessionTimeoutEnabled, true);
  assert.equal(updated.idleSessionTimeout, 84);
  assert.equal(updated.idleSessionTimeoutUnit, TimeUnit.MINUTES);
  const read = await organizations.getOrganizationSessionPolicy(org);
  assert.equal(read.absoluteSessionTimeout, 360);
  assert.equal(read.idleSessionTimeout, 84);
});

await check('updateOrganizationSessionPolicy(CUSTOM) without a timeout: ScalekitBadRequestException', async () => {
  const err = await rejection(() => organizations.updateOrganizationSessionPolicy(org, {
    policySource: 'CUSTOM', absoluteSessionTimeout: 2, absoluteSessionTimeoutUnit: 'MINUTES' }));
  assertServerError(err, ScalekitBadRequestException, GRPC.INVALID_ARGUMENT);
});

await check('updateOrganizationSessionPolicy(APPLICATION) reverts to the environment\'s settings', async () => {
  const reverted = await organizations.updateOrganizationSessionPolicy(org, { policySource: 'APPLICATION' });
  assert.equal(reverted.policySource, SessionPolicyType.APPLICATION);
  assert.equal((await organizations.getOrganizationSessionPolicy(org)).policySource, SessionPolicyType.APPLICATION);
});

await check('GetApplicationSessionPolicy answers the environment\'s timeouts and access token lifetime', async () => {
  const res = await call('getApplicationSessionPolicy', { organizationId: org });
  const p = res.applicationPolicy;
  assert.ok(p.absoluteSessionTimeout > 0);
  assert.ok(p.absoluteSessionTimeoutUnit !== undefined);
  assert.equal(p.idleSessionTimeoutEnabled, true);
  assert.ok(p.idleSessionTimeout > 0);
  assert.ok(p.accessTokenExpiry >= 60, `access token expiry ${p.accessTokenExpiry} s`);
});

await check('getOrganizationSessionPolicy of an unknown organization: ScalekitNotFoundException', async () => {
  const err = await rejection(() => organizations.getOrganizationSessionPolicy('org_99999999999999999'));
  assertServerError(err, ScalekitNotFoundException, GRPC.NOT_FOUND);
});

await check('cleanup: organization.deleteOrganization', async () => {
  await organizations.deleteOrganization(org);
});

console.log(`${passed} passed, 0 failed`);
