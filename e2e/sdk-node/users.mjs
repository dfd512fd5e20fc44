#!/usr/bin/env node
// End-to-end check of Gatehouse's Users API (users, memberships, invitations,
// roles) driven through the official Scalekit Node SDK (@scalekit-sdk/node,
// pinned in package.json). Every call below goes out as gRPC (HTTP/2, h2c for
// http:// URLs) to `${GATEHOUSE_URL}/scalekit.v1.users.UserService/<Method>`
// (and OrganizationService for the organizations the run needs).
//
// Usage:
//   GATEHOUSE_URL=http://127.0.0.1:8080 GATEHOUSE_CLIENT_ID=skc_... \
//   GATEHOUSE_CLIENT_SECRET=... node users.mjs
//
// Output: one `ok - <name>` line per passed check and, at the end,
// `N passed, 0 failed`. The first failing check prints `not ok - <name>`, the
// error, `N passed, 1 failed`, and exits 1. Exit 2 = bad usage.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  ScalekitClient,
  ScalekitServerException,
  ScalekitBadRequestException,
  ScalekitNotFoundException,
} from '@scalekit-sdk/node';

import { GRPC, GRPC_NAME, json, describeError, check, rejection, assertServerError, passed } from './harness.mjs';

const PAGE_SIZE = 10;
const MAX_PAGES = 1000; // guard against a server that never stops handing out tokens

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
console.log(`# run ${run} against ${url}`);
const users = scalekit.user;

// scalekit.v1.commons.MembershipStatus (numbers in the SDK's protobuf-es messages).
const STATUS = { ACTIVE: 1, INACTIVE: 2, PENDING_INVITE: 3, INVITE_EXPIRED: 4 };

function assertUser(user, expected, what = 'user') {
  assert.ok(user, `${what}: response has no user`);
  assert.match(user.id, /^usr_/, `${what}: id ${JSON.stringify(user.id)} does not start with usr_`);
  if (expected.id !== undefined) assert.equal(user.id, expected.id, `${what}: id`);
  if (expected.email !== undefined) assert.equal(user.email, expected.email, `${what}: email`);
  if (expected.externalId !== undefined) assert.equal(user.externalId, expected.externalId, `${what}: external_id`);
  if (expected.metadata !== undefined) assert.deepEqual({ ...user.metadata }, expected.metadata, `${what}: metadata`);
  assert.ok(user.createTime, `${what}: create_time is not set`);
  assert.ok(user.updateTime, `${what}: update_time is not set`);
}

function membershipIn(user, organizationId) {
  const m = user.memberships.find((x) => x.organizationId === organizationId);
  assert.ok(m, `no membership in ${organizationId}; memberships: ${json(user.memberships)}`);
  return m;
}

// ---------------------------------------------------------------------------
// organizations the run works in

const [orgA, orgB] = await check('createOrganization x2 for the run', async () => [
  (await scalekit.organization.createOrganization(`${run} Users A`, { externalId: `${run}-a` })).organization.id,
  (await scalekit.organization.createOrganization(`${run} Users B`, { externalId: `${run}-b` })).organization.id,
]);
const email = `${run}-ada@example.com`;
const externalId = `${run}-ada`;

// ---------------------------------------------------------------------------
// create / get / list

// SDK: CreateUserAndMembership{organization_id(1), user(2){email(5), external_id(6),
//   user_profile(8){first_name(21), last_name(22)}, metadata(9)}, send_invitation_email(3)}.
const created = await check('createUserAndMembership(sendInvitationEmail: false) returns an ACTIVE member with the default role', async () => {
  const res = await users.createUserAndMembership(orgA, {
    email,
    externalId,
    metadata: { plan: 'pro' },
    userProfile: { firstName: 'Ada', lastName: 'Lovelace' },
    sendInvitationEmail: false,
  });
  assertUser(res.user, { email, externalId, metadata: { plan: 'pro' } });
  assert.equal(res.user.userProfile.firstName, 'Ada');
  assert.equal(res.user.userProfile.lastName, 'Lovelace');
  assert.equal(res.user.userProfile.emailVerified, true);
  const m = membershipIn(res.user, orgA);
  assert.equal(m.membershipStatus, STATUS.ACTIVE, 'membership_status');
  assert.deepEqual(m.roles.map((r) => r.name), ['member'], 'default role');
  assert.ok(m.joinTime, 'join_time is set');
  return res.user;
});

const bob = await check('createUserAndMembership without sendInvitationEmail makes a PENDING_INVITE with a 15-day expiry', async () => {
  const res = await users.createUserAndMembership(orgA, { email: `${run}-bob@example.com` });
  const m = membershipIn(res.user, orgA);
  assert.equal(m.membershipStatus, STATUS.PENDING_INVITE, 'membership_status');
  assert.ok(m.createdAt && m.expiresAt, 'created_at and expires_at are set');
  const days = (Number(m.expiresAt.seconds) - Number(m.createdAt.seconds)) / 86400;
  assert.equal(days, 15, 'invitation lifetime in days');
  assert.equal(res.user.userProfile.emailVerified, false);
  // SDK: ResendInvite{organization_id(1), id(2)}.
  const resent = await users.resendInvite(orgA, res.user.id);
  assert.equal(resent.invite.status, 'PENDING_INVITE');
  assert.equal(resent.invite.resentCount, 1);
  assert.equal(resent.invite.userId, res.user.id);
  return res.user;
});

await check('getUser(id) returns the created user', async () => {
  const res = await users.getUser(created.id);
  assertUser(res.user, { id: created.id, email, externalId, metadata: { plan: 'pro' } });
});

await check('listUsers pages through the environment and finds the run\'s users', async () => {
  const seen = new Set();
  let pageToken;
  let pages = 0;
  let total = 0;
  do {
    const res = await users.listUsers({ pageSize: 10, pageToken });
    res.users.forEach((u) => seen.add(u.id));
    total = res.totalSize;
    pageToken = res.nextPageToken || undefined;
    assert.ok(++pages < MAX_PAGES, 'too many pages');
  } while (pageToken);
  assert.ok(seen.has(created.id), 'created user listed');
  assert.equal(seen.size, total, 'every user exactly once, total_size matches');
});

await check('listOrganizationUsers(orgA) lists exactly the two members with total_size 2', async () => {
  const res = await users.listOrganizationUsers(orgA, { pageSize: 1 });
  assert.equal(res.totalSize, 2);
  assert.equal(res.users.length, 1);
  assert.ok(res.nextPageToken, 'next_page_token on the first of two pages');
  const second = await users.listOrganizationUsers(orgA, { pageSize: 1, pageToken: res.nextPageToken });
  assert.equal(second.users.length, 1);
  assert.notEqual(second.users[0].id, res.users[0].id);
  assert.equal(second.nextPageToken, '');
});

// ---------------------------------------------------------------------------
// update

// SDK: UpdateUser{oneof identities: id(1), user(3){external_id(6), user_profile(8){first_name, last_name}, metadata(9)}}.
await check('updateUser changes the profile and metadata and keeps the email', async () => {
  const res = await users.updateUser(created.id, { userProfile: { firstName: 'Augusta' }, metadata: { plan: 'enterprise' } });
  assertUser(res.user, { id: created.id, email, externalId, metadata: { plan: 'enterprise' } });
  assert.equal(res.user.userProfile.firstName, 'Augusta');
  assert.equal(res.user.userProfile.lastName, 'Lovelace');
});

// ---------------------------------------------------------------------------
// memberships

// SDK: CreateMembership{organization_id(1), membership(2){roles(4)[{name}], metadata(7)}, id(3), send_invitation_email(5)}.
await check('createMembership(orgB, roles: [admin]) adds a second membership', async () => {
  const res = await users.createMembership(orgB, created.id, { roles: ['admin'], metadata: { seat: '7' }, sendInvitationEmail: false });
  assert.equal(res.user.memberships.length, 2);
  const m = membershipIn(res.user, orgB);
  assert.deepEqual(m.roles.map((r) => r.name), ['admin']);
  assert.deepEqual({ ...m.metadata }, { seat: '7' });
  assert.equal(m.membershipStatus, STATUS.ACTIVE);
});

// SDK: UpdateMembership{organization_id(1), id(2), membership(5){roles(4), metadata(7)}}.
await check('updateMembership(orgA, roles: [admin]) changes the role; listUserRoles shows it', async () => {
  const res = await users.updateMembership(orgA, created.id, { roles: ['admin'] });
  assert.deepEqual(membershipIn(res.user, orgA).roles.map((r) => r.name), ['admin']);
  const roles = await users.listUserRoles(orgA, created.id);
  assert.deepEqual(roles.roles.map((r) => r.name), ['admin']);
});

// SDK: SearchUsers{query(1), page_size(2), page_token(3)}; SearchOrganizationUsers{organization_id(1), query(2), ...}.
await check('searchUsers(run marker) finds the run\'s users; searchOrganizationUsers narrows to the organization', async () => {
  const all = await users.searchUsers(run.toUpperCase(), 30);
  const ids = all.users.map((u) => u.id);
  assert.ok(ids.includes(created.id) && ids.includes(bob.id), `search found ${json(ids)}`);
  assert.equal(all.totalSize, 2);
  const inB = await users.searchOrganizationUsers(orgB, run, 30);
  assert.deepEqual(inB.users.map((u) => u.id), [created.id]);
});

// SDK: DeleteMembership{organization_id(1), id(2)}.
await check('deleteMembership(orgB) removes that membership and keeps the user', async () => {
  await users.deleteMembership(orgB, created.id);
  const res = await users.getUser(created.id);
  assert.deepEqual(res.user.memberships.map((m) => m.organizationId), [orgA]);
});

// SDK: AssignUserRoles{organization_id(1), user_id(2), roles(3)[{role_name(2)}]}; RemoveUserRole{..., role_name(3)}.
await check('assignUserRoles adds a role and removeUserRole takes one away', async () => {
  const assigned = await users.assignUserRoles(orgA, bob.id, ['admin']);
  assert.deepEqual(assigned.roles.map((r) => r.name), ['member', 'admin']);
  await users.removeUserRole(orgA, bob.id, 'member');
  const roles = await users.listUserRoles(orgA, bob.id);
  assert.deepEqual(roles.roles.map((r) => r.name), ['admin']);
});

// The *ByExternalId methods send the same RPCs with the external_id(2/3/4) oneof member.
await check('getUserByExternalId / updateUserByExternalId address the user by external_id', async () => {
  const got = await users.getUserByExternalId(externalId);
  assertUser(got.user, { id: created.id, externalId });
  const updated = await users.updateUserByExternalId(externalId, { metadata: { plan: 'team' } });
  assertUser(updated.user, { id: created.id, metadata: { plan: 'team' } });
});

await check('create/update/deleteMembershipByExternalId manage a membership by external_id', async () => {
  const orgC = (await scalekit.organization.createOrganization(`${run} Users C`)).organization.id;
  try {
    const added = await users.createMembershipByExternalId(orgC, externalId, { roles: ['member'], sendInvitationEmail: false });
    assert.equal(membershipIn(added.user, orgC).membershipStatus, STATUS.ACTIVE);
    const changed = await users.updateMembershipByExternalId(orgC, externalId, { roles: ['admin'] });
    assert.deepEqual(membershipIn(changed.user, orgC).roles.map((r) => r.name), ['admin']);
    await users.deleteMembershipByExternalId(orgC, externalId);
    const after = await users.getUser(created.id);
    assert.ok(!after.user.memberships.some((m) => m.organizationId === orgC), 'membership in orgC removed');
  } finally {
    await scalekit.organization.deleteOrganization(orgC);
  }
});

// ---------------------------------------------------------------------------
// errors

await check('createUserAndMembership with a taken email (other case) is ALREADY_EXISTS', async () => {
  const err = await rejection(() => users.createUserAndMembership(orgB, { email: email.toUpperCase() }));
  assertServerError(err, ScalekitServerException, GRPC.ALREADY_EXISTS);
});

await check('createUserAndMembership with an invalid email is INVALID_ARGUMENT', async () => {
  const err = await rejection(() => users.createUserAndMembership(orgA, { email: 'not-an-email' }));
  assertServerError(err, ScalekitBadRequestException, GRPC.INVALID_ARGUMENT);
});

await check('createMembership with an unknown role is INVALID_ARGUMENT', async () => {
  const err = await rejection(() => users.createMembership(orgB, created.id, { roles: ['overlord'] }));
  assertServerError(err, ScalekitBadRequestException, GRPC.INVALID_ARGUMENT);
});

await check('getUser of an unknown user is NOT_FOUND', async () => {
  const err = await rejection(() => users.getUser('usr_99999999999999999'));
  assertServerError(err, ScalekitNotFoundException, GRPC.NOT_FOUND);
});

await check('updateMembership in an organization the user is not in is NOT_FOUND', async () => {
  const err = await rejection(() => users.updateMembership(orgB, created.id, { roles: ['member'] }));
  assertServerError(err, ScalekitNotFoundException, GRPC.NOT_FOUND);
});

// ---------------------------------------------------------------------------
// delete and cleanup

// SDK: DeleteUser{oneof identities: external_id(2)}.
await check('deleteUserByExternalId removes the user; getUser is then NOT_FOUND', async () => {
  await users.deleteUserByExternalId(externalId);
  const err = await rejection(() => users.getUser(created.id));
  assertServerError(err, ScalekitNotFoundException, GRPC.NOT_FOUND);
});

await check('cleanup: deleting the run\'s organizations removes their memberships; then delete the last user', async () => {
  await scalekit.organization.deleteOrganization(orgA);
  await scalekit.organization.deleteOrganization(orgB);
  const res = await users.getUser(bob.id);
  assert.deepEqual(res.user.memberships, [], 'no membership outlives its organization');
  // SDK: DeleteUser{oneof identities: id(1)}.
  await users.deleteUser(bob.id);
});

console.log(`${passed} passed, 0 failed`);
