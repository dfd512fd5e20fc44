#!/usr/bin/env node
// Full-stack auth with the official Scalekit Node SDK (@scalekit-sdk/node, pinned in package.json)
// against Gatehouse's hosted login: getAuthorizationUrl, authenticateWithCode, validateToken /
// validateAccessToken / verifyScopes, refreshAccessToken, getLogoutUrl, and the session methods
// (scalekit.session.getSession, getUserSessions with a status filter, revokeSession,
// revokeAllUserSessions). The hosted login is driven over HTTP by hosted-login.mjs, which reads
// the one-time code from the dev mailbox (/_dev/mail.json). The passwordless methods are
// covered by passwordless.mjs, the user and membership methods by users.mjs.
//
// Usage:
//   GATEHOUSE_URL=http://127.0.0.1:8080 GATEHOUSE_CLIENT_ID=skc_... \
//   GATEHOUSE_CLIENT_SECRET=... node fsa.mjs
//
// GATEHOUSE_URL must be the environment's issuer. The script adds its redirect URI and post-logout
// redirect URI (http://localhost:3000/…, nothing listens there) to the client with
// PATCH /api/v1/clients/{id}, works in organizations and users of its own (`gh<time><rand>` prefix)
// and deletes them at the end.
// Output: `ok - <name>` per check, then `N passed, 0 failed` (see harness.mjs).

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { ScalekitClient } from '@scalekit-sdk/node';

import { check, passed, rejection } from './harness.mjs';
import { CookieJar, hostedLogin, parseLoginPage, registerRedirectUris } from './hosted-login.mjs';

const url = process.env.GATEHOUSE_URL?.replace(/\/$/, '');
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
const run = `gh${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const redirectUri = 'http://localhost:3000/callback/scalekit-sdk';
const postLogoutRedirectUri = 'http://localhost:3000/signed-out/scalekit-sdk';
console.log(`# run ${run} against ${url}`);

const cleanup = { organizations: [], users: [] };

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function jwtPayload(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));
}

/** Where a GET of a URL sends this browser (status and Location). */
async function visit(target, jar) {
  const res = await fetch(target, { redirect: 'manual', headers: { cookie: jar.header() } });
  jar.store(res);
  return { status: res.status, location: res.headers.get('location') && new URL(res.headers.get('location'), url) };
}

/** Signed in: the authorize request skips the email step (it may still ask for the organization). */
async function isSignedIn(jar) {
  const { location } = await visit(scalekit.getAuthorizationUrl(redirectUri, { state: 'probe' }), jar);
  if (!(location.origin === new URL(url).origin && location.pathname.startsWith('/login/'))) return true;
  const page = await fetch(location, { headers: { cookie: jar.header() } });
  return parseLoginPage(await page.text()).step !== 'email';
}

await check('redirect URI and post-logout redirect URI registered with PATCH /api/v1/clients/{id}', async () => {
  await registerRedirectUris(url, clientId, clientSecret,
    { redirectUris: [redirectUri], postLogoutRedirectUris: [postLogoutRedirectUri] });
});

// ---------------------------------------------------------------------------
// a new user: PKCE, state, nonce, offline_access; signs up and creates an organization

const ann = `${run}-ann@example.com`;
const annPkce = pkce();
const annState = randomBytes(12).toString('base64url');
const annNonce = randomBytes(12).toString('base64url');
const annJar = new CookieJar();

const annAuthorizeUrl = await check('getAuthorizationUrl (codeChallenge S256, state, nonce, loginHint, scopes with offline_access)', async () => {
  const authorizeUrl = scalekit.getAuthorizationUrl(redirectUri, {
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    state: annState,
    nonce: annNonce,
    loginHint: ann,
    codeChallenge: annPkce.challenge,
    codeChallengeMethod: 'S256',
  });
  const parsed = new URL(authorizeUrl);
  assert.equal(`${parsed.origin}${parsed.pathname}`, `${url}/oauth/authorize`);
  assert.equal(parsed.searchParams.get('client_id'), clientId);
  assert.equal(parsed.searchParams.get('response_type'), 'code');
  assert.equal(parsed.searchParams.get('scope'), 'openid profile email offline_access');
  return authorizeUrl;
});

const annCallback = await check('hosted login of a new user: email (pre-filled from loginHint), code, create organization', async () => {
  const first = await fetch(annAuthorizeUrl, { redirect: 'manual' });
  const loginPage = await fetch(new URL(first.headers.get('location'), url), {
    headers: { cookie: first.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') },
  });
  assert.match(await loginPage.text(), new RegExp(`value="${ann.replace(/[.]/g, '\\.')}"`), 'login_hint pre-fills the email');
  const result = await hostedLogin({ authorizeUrl: annAuthorizeUrl, email: ann, jar: annJar, organization: { create: `${run} Ann Co` } });
  assert.deepEqual(result.steps, ['email', 'code', 'create_organization']);
  assert.equal(result.callbackUrl.searchParams.get('state'), annState);
  assert.equal(result.callbackUrl.searchParams.get('iss'), url);
  return result.callbackUrl;
});

const annAuth = await check('authenticateWithCode(code, redirectUri, {codeVerifier}): user fields, tokens, expiresIn', async () => {
  const res = await scalekit.authenticateWithCode(annCallback.searchParams.get('code'), redirectUri,
    { codeVerifier: annPkce.verifier });
  assert.match(res.user.id, /^usr_/);
  assert.equal(res.user.email, ann);
  assert.equal(res.user.emailVerified, true);
  assert.ok(res.idToken && res.accessToken);
  assert.ok(res.refreshToken?.startsWith('rt_'));
  assert.ok(res.expiresIn > 0 && res.expiresIn <= 300, `expiresIn ${res.expiresIn}`);
  return res;
});
const annClaims = jwtPayload(annAuth.idToken);
cleanup.users.push(annAuth.user.id);
cleanup.organizations.push(annClaims.oid);

await check('validateToken(idToken, {issuer, audience}): nonce, sid, oid, amr', async () => {
  const claims = await scalekit.validateToken(annAuth.idToken, { issuer: url, audience: [clientId] });
  assert.equal(claims.sub, annAuth.user.id);
  assert.equal(claims.nonce, annNonce);
  assert.match(claims.sid, /^ses_/);
  assert.match(claims.oid, /^org_/);
  assert.deepEqual(claims.amr, ['otp']);
});

await check('validateToken(accessToken, {issuer, audience, requiredScopes}): sub, oid, sid, scopes array', async () => {
  const claims = await scalekit.validateToken(annAuth.accessToken,
    { issuer: url, audience: [clientId], requiredScopes: ['openid', 'offline_access'] });
  assert.equal(claims.sub, annAuth.user.id);
  assert.equal(claims.oid, annClaims.oid);
  assert.equal(claims.sid, annClaims.sid);
  assert.ok(Array.isArray(claims.scopes) && claims.scopes.includes('email'));
  assert.equal(scalekit.verifyScopes(annAuth.accessToken, ['openid', 'profile']), true);
});

await check('validateAccessToken: true; false for a missing scope, another issuer, another audience, a tampered token', async () => {
  assert.equal(await scalekit.validateAccessToken(annAuth.accessToken, { issuer: url, audience: [clientId] }), true);
  assert.equal(await scalekit.validateAccessToken(annAuth.accessToken, { requiredScopes: ['admin'] }), false);
  assert.equal(await scalekit.validateAccessToken(annAuth.accessToken, { issuer: 'https://elsewhere.example' }), false);
  assert.equal(await scalekit.validateAccessToken(annAuth.accessToken, { audience: ['skc_someone_else'] }), false);
  const [h, p, s] = annAuth.accessToken.split('.');
  const forged = Buffer.from(JSON.stringify({ ...jwtPayload(annAuth.accessToken), oid: 'org_1' })).toString('base64url');
  assert.equal(await scalekit.validateAccessToken(`${h}.${forged}.${s}`), false);
});

const annRefreshed = await check('refreshAccessToken rotates the refresh token; the new access token validates', async () => {
  const res = await scalekit.refreshAccessToken(annAuth.refreshToken);
  assert.ok(res.refreshToken.startsWith('rt_'));
  assert.notEqual(res.refreshToken, annAuth.refreshToken);
  assert.notEqual(res.accessToken, annAuth.accessToken);
  const claims = await scalekit.validateToken(res.accessToken, { issuer: url, audience: [clientId] });
  assert.equal(claims.sub, annAuth.user.id);
  return res;
});

await check('session.getSession: active, user, organization, times, device', async () => {
  const s = await scalekit.session.getSession(annClaims.sid);
  assert.equal(s.sessionId, annClaims.sid);
  assert.equal(s.userId, annAuth.user.id);
  assert.equal(s.status, 'active');
  assert.equal(s.organizationId, annClaims.oid);
  assert.ok(s.authenticatedOrganizations.includes(annClaims.oid), JSON.stringify(s.authenticatedOrganizations));
  assert.ok(s.createdAt && s.idleExpiresAt && s.absoluteExpiresAt, 'times');
  assert.ok(s.device?.ip, 'device.ip');
});

await check('session.getUserSessions with filter status [active]: the one session', async () => {
  const res = await scalekit.session.getUserSessions(annAuth.user.id, { filter: { status: ['active'] } });
  assert.equal(res.totalSize, 1);
  assert.deepEqual(res.sessions.map((s) => s.sessionId), [annClaims.sid]);
});

await check('getLogoutUrl({idTokenHint, postLogoutRedirectUri, state}) followed: 302 there with state, session cookie cleared', async () => {
  const logoutUrl = scalekit.getLogoutUrl({ idTokenHint: annAuth.idToken, postLogoutRedirectUri, state: 'bye-ann' });
  assert.ok(logoutUrl.startsWith(`${url}/oidc/logout?`), logoutUrl);
  const { status, location } = await visit(logoutUrl, annJar);
  assert.equal(status, 302);
  assert.equal(`${location.origin}${location.pathname}`, postLogoutRedirectUri);
  assert.equal(location.searchParams.get('state'), 'bye-ann');
  assert.equal(annJar.has('gatehouse_session'), false);
});

await check('after logout: getSession status logout, getUserSessions [logout] lists it, [active] is empty', async () => {
  assert.equal((await scalekit.session.getSession(annClaims.sid)).status, 'logout');
  const loggedOut = await scalekit.session.getUserSessions(annAuth.user.id, { filter: { status: ['logout'] } });
  assert.deepEqual(loggedOut.sessions.map((s) => s.sessionId), [annClaims.sid]);
  assert.equal((await scalekit.session.getUserSessions(annAuth.user.id, { filter: { status: ['active'] } })).totalSize, 0);
});

await check('after logout refreshAccessToken rejects and the access token no longer reaches /userinfo', async () => {
  await rejection(() => scalekit.refreshAccessToken(annRefreshed.refreshToken));
  const res = await fetch(`${url}/userinfo`, { headers: { authorization: `Bearer ${annRefreshed.accessToken}` } });
  assert.equal(res.status, 401);
});

await check('signing in again after logout: email and code; replaying that code rejects and revokes its tokens', async () => {
  const authorizeUrl = scalekit.getAuthorizationUrl(redirectUri, { state: 'ann-2', scopes: ['openid', 'email', 'offline_access'] });
  const result = await hostedLogin({ authorizeUrl, email: ann, jar: annJar });
  assert.deepEqual(result.steps, ['email', 'code'], 'one membership: no organization step');
  const code = result.callbackUrl.searchParams.get('code');
  const res = await scalekit.authenticateWithCode(code, redirectUri);
  assert.equal(res.user.id, annAuth.user.id);
  await rejection(() => scalekit.authenticateWithCode(code, redirectUri));
  await rejection(() => scalekit.refreshAccessToken(res.refreshToken));
});

await check('getLogoutUrl() with no options: the signed-out page', async () => {
  const res = await fetch(scalekit.getLogoutUrl(), { redirect: 'manual' });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /You have signed out/);
});

// ---------------------------------------------------------------------------
// an existing user in two organizations: the picker, organizationId, two browsers, revocation

const [orgA, orgB] = await check('setup: two organizations and a user in both (SDK createUserAndMembership, createMembership)', async () => {
  const a = (await scalekit.organization.createOrganization(`${run} FSA A`, { externalId: `${run}-a` })).organization.id;
  const b = (await scalekit.organization.createOrganization(`${run} FSA B`, { externalId: `${run}-b` })).organization.id;
  cleanup.organizations.push(a, b);
  return [a, b];
});
const bob = `${run}-bob@example.com`;
const bobUser = await check('setup: Bob Builder, member of both organizations', async () => {
  const { user } = await scalekit.user.createUserAndMembership(orgA, {
    email: bob, userProfile: { firstName: 'Bob', lastName: 'Builder' }, sendInvitationEmail: false,
  });
  await scalekit.user.createMembership(orgB, user.id, { sendInvitationEmail: false });
  cleanup.users.push(user.id);
  return user;
});

const bobJar1 = new CookieJar();
const bob1 = await check('a member of two organizations gets the picker; authenticateWithCode without PKCE (client secret)', async () => {
  const authorizeUrl = scalekit.getAuthorizationUrl(redirectUri, { state: 'bob-1', scopes: ['openid', 'profile', 'email', 'offline_access'] });
  const result = await hostedLogin({ authorizeUrl, email: bob, jar: bobJar1, organization: { pick: orgB } });
  assert.deepEqual(result.steps, ['email', 'code', 'organization']);
  assert.equal(result.pages.at(-1).heading, 'Choose an organization');
  const res = await scalekit.authenticateWithCode(result.callbackUrl.searchParams.get('code'), redirectUri);
  assert.equal(res.user.id, bobUser.id);
  assert.equal(res.user.email, bob);
  assert.equal(res.user.givenName, 'Bob');
  assert.equal(res.user.familyName, 'Builder');
  assert.equal(res.user.name, 'Bob Builder');
  const access = await scalekit.validateToken(res.accessToken, { issuer: url, audience: [clientId] });
  assert.equal(access.oid, orgB);
  assert.ok(Array.isArray(access.roles), `roles ${JSON.stringify(access.roles)}`);
  return { ...res, sid: access.sid };
});

const bobJar2 = new CookieJar();
const bob2 = await check('getAuthorizationUrl with organizationId skips the picker (second browser)', async () => {
  const authorizeUrl = scalekit.getAuthorizationUrl(redirectUri, { state: 'bob-2', organizationId: orgA, scopes: ['openid', 'email', 'offline_access'] });
  const result = await hostedLogin({ authorizeUrl, email: bob, jar: bobJar2 });
  assert.deepEqual(result.steps, ['email', 'code']);
  const res = await scalekit.authenticateWithCode(result.callbackUrl.searchParams.get('code'), redirectUri);
  const access = await scalekit.validateToken(res.accessToken, { issuer: url, audience: [clientId] });
  assert.equal(access.oid, orgA);
  assert.notEqual(access.sid, bob1.sid);
  return { ...res, sid: access.sid };
});

await check('getUserSessions [active]: both browsers\' sessions', async () => {
  const res = await scalekit.session.getUserSessions(bobUser.id, { filter: { status: ['active'] }, pageSize: 10 });
  assert.equal(res.totalSize, 2);
  assert.deepEqual(res.sessions.map((s) => s.sessionId).sort(), [bob1.sid, bob2.sid].sort());
});

await check('revokeSession: status revoked; that browser must sign in again, its refresh token rejects; the other is untouched', async () => {
  const res = await scalekit.session.revokeSession(bob1.sid);
  assert.equal(res.revokedSession.sessionId, bob1.sid);
  assert.equal(res.revokedSession.status, 'revoked');
  assert.equal((await scalekit.session.getSession(bob1.sid)).status, 'revoked');
  assert.equal(await isSignedIn(bobJar1), false);
  await rejection(() => scalekit.refreshAccessToken(bob1.refreshToken));
  assert.equal(await isSignedIn(bobJar2), true);
});

await check('revokeAllUserSessions: the remaining session revoked; getUserSessions [revoked] lists both', async () => {
  const res = await scalekit.session.revokeAllUserSessions(bobUser.id);
  assert.equal(res.totalRevoked, 1);
  assert.deepEqual(res.revokedSessions.map((s) => s.sessionId), [bob2.sid]);
  assert.equal(await isSignedIn(bobJar2), false);
  await rejection(() => scalekit.refreshAccessToken(bob2.refreshToken));
  const revoked = await scalekit.session.getUserSessions(bobUser.id, { filter: { status: ['revoked'] } });
  assert.deepEqual(revoked.sessions.map((s) => s.sessionId).sort(), [bob1.sid, bob2.sid].sort());
  assert.equal((await scalekit.session.getUserSessions(bobUser.id, { filter: { status: ['active'] } })).totalSize, 0);
});

await check('cleanup: the run\'s users and organizations deleted', async () => {
  for (const id of cleanup.users) await scalekit.user.deleteUser(id);
  for (const id of cleanup.organizations) await scalekit.organization.deleteOrganization(id);
});

console.log(`${passed} passed, 0 failed`);
