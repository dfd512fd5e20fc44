#!/usr/bin/env node
// Gatehouse as an OpenID provider, checked by a strict third-party relying party: openid-client
// (panva, pinned in package.json) with non-repudiation checks on, so every ID token's signature is
// verified against the JWKS, besides iss, aud, azp, exp, iat, nonce, state and the RFC 9207 `iss`
// of the authorization response. The hosted login is driven over HTTP by hosted-login.mjs, which
// reads the one-time code from the dev mailbox (/_dev/mail.json).
//
// Usage:
//   GATEHOUSE_URL=http://127.0.0.1:8080 GATEHOUSE_CLIENT_ID=skc_... \
//   GATEHOUSE_CLIENT_SECRET=... node oidc-rp.mjs
//
// GATEHOUSE_URL must be the environment's issuer. The script adds its redirect URI and post-logout
// redirect URI (http://localhost:3000/…, nothing listens there: the login driver stops at the
// redirect) to the client through PATCH /api/v1/clients/{id}.
// Output: `ok - <name>` per check, then `N passed, 0 failed` (see harness.mjs).

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as client from 'openid-client';

import { check, passed, rejection } from './harness.mjs';
import { CookieJar, hostedLogin, registerRedirectUris } from './hosted-login.mjs';

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

const run = `gh${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const email = `${run}-rp@example.com`;
const redirectUri = 'http://localhost:3000/callback/openid-client';
const postLogoutRedirectUri = 'http://localhost:3000/signed-out/openid-client';
const SCOPE = 'openid profile email offline_access';
console.log(`# run ${run} against ${url}`);

await check('redirect URI and post-logout redirect URI registered with PATCH /api/v1/clients/{id}', async () => {
  const registered = await registerRedirectUris(url, clientId, clientSecret,
    { redirectUris: [redirectUri], postLogoutRedirectUris: [postLogoutRedirectUri] });
  assert.ok(registered.redirect_uris.includes(redirectUri));
  assert.ok(registered.post_logout_redirect_uris.includes(postLogoutRedirectUri));
});

const config = await check('discovery: issuer, endpoints, S256, RFC 9207 iss (openid-client discovery)', async () => {
  const cfg = await client.discovery(new URL(url), clientId, clientSecret, client.ClientSecretBasic(clientSecret), {
    execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks],
  });
  const meta = cfg.serverMetadata();
  assert.equal(meta.issuer, url);
  for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint',
    'introspection_endpoint', 'revocation_endpoint', 'end_session_endpoint']) {
    assert.ok(meta[endpoint]?.startsWith(url), `${endpoint}: ${meta[endpoint]}`);
  }
  assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
  assert.equal(meta.authorization_response_iss_parameter_supported, true);
  assert.ok(meta.id_token_signing_alg_values_supported.includes('RS256'));
  assert.ok(meta.scopes_supported.includes('offline_access'));
  return cfg;
});

/** A fresh authorization request: PKCE S256, state and nonce. */
async function authorization(extra = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const request = {
    verifier,
    state: client.randomState(),
    nonce: client.randomNonce(),
  };
  request.url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: request.state,
    nonce: request.nonce,
    ...extra,
  });
  return request;
}

function exchange(request, callbackUrl) {
  return client.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
    idTokenExpected: true,
  });
}

function atHash(accessToken) {
  const digest = createHash('sha256').update(accessToken).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

async function assertOAuthError(promise, code) {
  const err = await rejection(() => promise);
  assert.ok(err instanceof client.ResponseBodyError, `expected a ResponseBodyError (${code}), got ${err?.name}: ${err?.message}`);
  assert.equal(err.error, code, `error: ${err.error} (${err.error_description})`);
  return err;
}

/** Where a GET of the authorize URL sends this browser: the hosted login or straight back to the app. */
async function landing(authorizeUrl, jar) {
  const res = await fetch(authorizeUrl, { redirect: 'manual', headers: { cookie: jar.header() } });
  assert.equal(res.status, 302, `authorize answered ${res.status}`);
  const location = new URL(res.headers.get('location'), url);
  if (location.origin === new URL(url).origin && location.pathname.startsWith('/login/')) return { kind: 'login', location };
  return { kind: 'callback', location };
}

// ---------------------------------------------------------------------------
// first login: a new user signs up with a code and creates an organization

const jar = new CookieJar();
const first = await authorization();
const login = await check('hosted login: email, 6-digit code from the dev mailbox, "Create your organization", callback', async () => {
  const result = await hostedLogin({ authorizeUrl: first.url, email, jar, organization: { create: `${run} RP Inc` } });
  assert.deepEqual(result.steps, ['email', 'code', 'create_organization']);
  assert.equal(result.pages.at(-1).heading, 'Create your organization');
  assert.equal(`${result.callbackUrl.origin}${result.callbackUrl.pathname}`, redirectUri);
  const params = result.callbackUrl.searchParams;
  assert.ok(params.get('code'), 'code');
  assert.equal(params.get('state'), first.state);
  assert.equal(params.get('iss'), url);
  return result;
});

await check('session cookie gatehouse_session is HttpOnly, SameSite=Lax, Path=/', async () => {
  assert.ok(jar.has('gatehouse_session'));
  const attributes = jar.attributes('gatehouse_session');
  assert.ok(attributes.includes('httponly'), attributes.join('; '));
  assert.ok(attributes.includes('samesite=lax'), attributes.join('; '));
  assert.ok(attributes.includes('path=/'), attributes.join('; '));
});

const tokens = await check('authorizationCodeGrant: ID token verified (JWKS signature, iss, aud, azp, nonce, exp, iat)', async () => {
  const t = await exchange(first, login.callbackUrl);
  assert.equal(t.token_type.toLowerCase(), 'bearer');
  assert.ok(t.expires_in > 0 && t.expires_in <= 300, `expires_in ${t.expires_in}`);
  assert.ok(t.refresh_token?.startsWith('rt_'), 'refresh token issued for offline_access');
  assert.deepEqual(t.scope.split(' ').sort(), SCOPE.split(' ').sort());
  return t;
});
const claims = tokens.claims();

await check('ID token claims: sub usr_…, email, email_verified, oid, sid, amr otp, at_hash of the access token', async () => {
  assert.match(claims.sub, /^usr_/);
  assert.equal(claims.iss, url);
  assert.ok([claims.aud].flat().includes(clientId));
  assert.equal(claims.nonce, first.nonce);
  assert.equal(claims.email, email);
  assert.equal(claims.email_verified, true);
  assert.match(claims.oid, /^org_/);
  assert.match(claims.sid, /^ses_/);
  assert.deepEqual(claims.amr, ['otp']);
  assert.equal(typeof claims.auth_time, 'number');
  assert.equal(claims.at_hash, atHash(tokens.access_token));
});

await check('access token: a JWT with sub, oid, sid, client_id and scopes as an array', async () => {
  const payload = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url'));
  assert.equal(payload.sub, claims.sub);
  assert.equal(payload.oid, claims.oid);
  assert.equal(payload.sid, claims.sid);
  assert.equal(payload.client_id, clientId);
  assert.deepEqual([...payload.scopes].sort(), SCOPE.split(' ').sort());
});

await check('fetchUserInfo: sub matches the ID token, email', async () => {
  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.sub, claims.sub);
  assert.equal(info.email, email);
  assert.equal(info.email_verified, true);
});

await check('tokenIntrospection of the access token: active, sub, client_id, scope, sid, oid', async () => {
  const info = await client.tokenIntrospection(config, tokens.access_token);
  assert.equal(info.active, true);
  assert.equal(info.sub, claims.sub);
  assert.equal(info.client_id, clientId);
  assert.deepEqual(info.scope.split(' ').sort(), SCOPE.split(' ').sort());
  assert.equal(info.sid, claims.sid);
  assert.equal(info.oid, claims.oid);
});

await check('tokenIntrospection of the refresh token: active', async () => {
  const info = await client.tokenIntrospection(config, tokens.refresh_token);
  assert.equal(info.active, true);
  assert.equal(info.sub, claims.sub);
});

const refreshed = await check('refreshTokenGrant rotates: a new refresh token, a new access token, same subject', async () => {
  const t = await client.refreshTokenGrant(config, tokens.refresh_token);
  assert.ok(t.refresh_token?.startsWith('rt_'));
  assert.notEqual(t.refresh_token, tokens.refresh_token);
  assert.notEqual(t.access_token, tokens.access_token);
  if (t.id_token) {
    assert.equal(t.claims().sub, claims.sub);
  }
  const info = await client.fetchUserInfo(config, t.access_token, claims.sub);
  assert.equal(info.email, email);
  return t;
});

await check('the rotated-out refresh token introspects inactive', async () => {
  assert.equal((await client.tokenIntrospection(config, tokens.refresh_token)).active, false);
});

await check('reusing the old refresh token is invalid_grant, and then the newest one fails too (family revoked)', async () => {
  await assertOAuthError(client.refreshTokenGrant(config, tokens.refresh_token), 'invalid_grant');
  await assertOAuthError(client.refreshTokenGrant(config, refreshed.refresh_token), 'invalid_grant');
  assert.equal((await client.tokenIntrospection(config, refreshed.access_token)).active, false);
});

// ---------------------------------------------------------------------------
// the session: later logins skip the hosted pages

async function sessionLogin(label) {
  const request = await authorization();
  const result = await hostedLogin({ authorizeUrl: request.url, jar });
  assert.deepEqual(result.steps, [], `${label}: the session should skip every page`);
  const t = await exchange(request, result.callbackUrl);
  return { request, result, tokens: t, claims: t.claims() };
}

const second = await check('a second login reuses the session: no email step, straight to the callback', async () => {
  const s = await sessionLogin('second login');
  assert.equal(s.claims.sub, claims.sub);
  assert.equal(s.claims.sid, claims.sid);
  assert.equal(s.claims.oid, claims.oid);
  assert.equal(s.claims.auth_time, claims.auth_time);
  assert.equal((await client.tokenIntrospection(config, s.tokens.access_token)).active, true);
  return s;
});

await check('tokenRevocation of the refresh token, then both tokens of that grant introspect inactive', async () => {
  await client.tokenRevocation(config, second.tokens.refresh_token);
  assert.equal((await client.tokenIntrospection(config, second.tokens.refresh_token)).active, false);
  assert.equal((await client.tokenIntrospection(config, second.tokens.access_token)).active, false);
  await assertOAuthError(client.refreshTokenGrant(config, second.tokens.refresh_token), 'invalid_grant');
});

await check('tokenRevocation of an access token, then introspection inactive; userinfo refuses it', async () => {
  const s = await sessionLogin('third login');
  await client.tokenRevocation(config, s.tokens.access_token);
  assert.equal((await client.tokenIntrospection(config, s.tokens.access_token)).active, false);
  const err = await rejection(() => client.fetchUserInfo(config, s.tokens.access_token, claims.sub));
  assert.ok(err instanceof client.WWWAuthenticateChallengeError || err instanceof client.ResponseBodyError,
    `${err?.name}: ${err?.message}`);
  assert.equal(err.status, 401);
});

await check('a replayed authorization code is invalid_grant and revokes the tokens it issued', async () => {
  const s = await sessionLogin('fourth login');
  await assertOAuthError(exchange(s.request, s.result.callbackUrl), 'invalid_grant');
  assert.equal((await client.tokenIntrospection(config, s.tokens.access_token)).active, false);
});

await check('prompt=login shows the hosted login despite the session', async () => {
  const request = await authorization({ prompt: 'login' });
  assert.equal((await landing(request.url, jar)).kind, 'login');
});

await check('an unsupported scope comes back as error=invalid_scope with state and iss (AuthorizationResponseError)', async () => {
  const request = await authorization({ scope: 'openid admin' });
  const { kind, location } = await landing(request.url, jar);
  assert.equal(kind, 'callback');
  const err = await rejection(() => exchange(request, location));
  assert.ok(err instanceof client.AuthorizationResponseError, `${err?.name}: ${err?.message}`);
  assert.equal(err.error, 'invalid_scope');
});

await check('a wrong PKCE verifier is invalid_grant', async () => {
  const request = await authorization();
  const result = await hostedLogin({ authorizeUrl: request.url, jar });
  await assertOAuthError(exchange({ ...request, verifier: client.randomPKCECodeVerifier() }, result.callbackUrl),
    'invalid_grant');
});

// ---------------------------------------------------------------------------
// logout

const last = await check('a fifth login through the session, for logout', () => sessionLogin('fifth login'));
const sessionCookie = jar.get('gatehouse_session');

await check('buildEndSessionUrl with an unregistered post_logout_redirect_uri: error page, no redirect, still signed in', async () => {
  const endSession = client.buildEndSessionUrl(config, {
    id_token_hint: last.tokens.id_token, post_logout_redirect_uri: 'http://localhost:3000/not-registered', state: 'x',
  });
  const res = await fetch(endSession, { redirect: 'manual', headers: { cookie: jar.header() } });
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('location'), null);
  assert.equal((await client.tokenIntrospection(config, last.tokens.access_token)).active, true);
});

await check('buildEndSessionUrl (id_token_hint, registered post_logout_redirect_uri, state): 302 there with state', async () => {
  const state = client.randomState();
  const endSession = client.buildEndSessionUrl(config, {
    id_token_hint: last.tokens.id_token, post_logout_redirect_uri: postLogoutRedirectUri, state,
  });
  assert.equal(`${endSession.origin}${endSession.pathname}`, config.serverMetadata().end_session_endpoint);
  const res = await fetch(endSession, { redirect: 'manual', headers: { cookie: jar.header() } });
  jar.store(res);
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location'));
  assert.equal(`${location.origin}${location.pathname}`, postLogoutRedirectUri);
  assert.equal(location.searchParams.get('state'), state);
  assert.equal(jar.has('gatehouse_session'), false, 'the session cookie is cleared');
});

await check('after logout: tokens of the session are inactive and its refresh token is invalid_grant', async () => {
  assert.equal((await client.tokenIntrospection(config, last.tokens.access_token)).active, false);
  await assertOAuthError(client.refreshTokenGrant(config, last.tokens.refresh_token), 'invalid_grant');
});

await check('after logout the old session cookie no longer skips the login', async () => {
  const replayed = new CookieJar();
  replayed.set('gatehouse_session', sessionCookie);
  assert.equal((await landing((await authorization()).url, replayed)).kind, 'login');
  assert.equal((await landing((await authorization()).url, jar)).kind, 'login');
});

await check('signing in again after logout asks for the email and a new code (no organization step: one membership)', async () => {
  const request = await authorization();
  const result = await hostedLogin({ authorizeUrl: request.url, email, jar });
  assert.deepEqual(result.steps, ['email', 'code']);
  const t = await exchange(request, result.callbackUrl);
  assert.equal(t.claims().sub, claims.sub);
  assert.equal(t.claims().oid, claims.oid);
  assert.notEqual(t.claims().sid, claims.sid);
});

console.log(`${passed} passed, 0 failed`);
