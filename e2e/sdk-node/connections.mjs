#!/usr/bin/env node
// End-to-end check of Gatehouse's Connections and Domains APIs through the official Scalekit Node SDK
// (@scalekit-sdk/node, pinned in package.json): scalekit.connection.* and scalekit.domain.*, all gRPC over h2c
// to `${GATEHOUSE_URL}/scalekit.v1.connections.ConnectionService/<Method>` and
// `${GATEHOUSE_URL}/scalekit.v1.domains.DomainService/<Method>`. The SDK has no method to configure a connection,
// so the SAML and OIDC settings go through the SDK's own gRPC client (UpdateConnection), as an app would.
//
// Usage:
//   GATEHOUSE_URL=http://127.0.0.1:8080 GATEHOUSE_CLIENT_ID=skc_... \
//   GATEHOUSE_CLIENT_SECRET=... node connections.mjs
//
// Output: one `ok - <name>` line per passed check, then `N passed, 0 failed`; the first failure prints
// `not ok - <name>` with the error and exits 1. Exit 2 = bad usage. The run works in an organization of its own
// and deletes it at the end.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  ScalekitClient,
  ScalekitServerException,
  ScalekitBadRequestException,
  ScalekitNotFoundException,
  ScalekitConflictException,
  ScalekitNotImplementedException,
} from '@scalekit-sdk/node';

import { GRPC, check, rejection, assertServerError, passed, requireSettings } from './harness.mjs';

const require = createRequire(import.meta.url);
const { ConnectionType, ConnectionProvider, ConnectionStatus } =
  require('@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/connections/connections_pb.js');
const { DomainType } = require('@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/domains/domains_pb.js');

// A self-signed RSA-2048 test certificate (CN=Test IdP 1, valid 2025-01-01 to 2034-12-30), as an admin would paste it.
const IDP_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIDATCCAemgAwIBAgIIOY+lC85eLVgwDQYJKoZIhvcNAQEMBQAwLzEYMBYGA1UE
ChMPR2F0ZWhvdXNlIFRlc3RzMRMwEQYDVQQDEwpUZXN0IElkUCAxMB4XDTI1MDEw
MTA1NTAzMFoXDTM0MTIzMDA1NTAzMFowLzEYMBYGA1UEChMPR2F0ZWhvdXNlIFRl
c3RzMRMwEQYDVQQDEwpUZXN0IElkUCAxMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A
MIIBCgKCAQEAkfseQEcvnOPcbkEaYn8Aemr9m4ttraHnb4sRoxHnl2nWomvaxMCx
t9CLoTW00MV5Bk8rfbWMEgWVAwmkH/b1W4bE8Dk4jGv0kZ3HKYVqnQ4pqLEI17FM
E0GNDV+kLmrsIiuh7y/Wk5SacMem9d3+S1ec1qN6EoQ2j7nucku/dz1qP+THd/lU
HAWF3TwS/Dgr/kXmVw9jEcfSVYD4L4PVcWzlGYZJyBSaUVjRwKOLvc/nmM4wIx9/
zxJRiCtwVH+2XAAO1vsQsyr1VTE1tjPpsJ2Uol8skMFkn4etRTxD2nEYInnRyrTD
gwmO5O915yjO2ISqHw3HWPdONcdUuF5MAwIDAQABoyEwHzAdBgNVHQ4EFgQUQDwQ
N0dKN06iNzF4islxsC3XmhYwDQYJKoZIhvcNAQEMBQADggEBAFeWECZ2vsvcuUDl
l6dzgC353fimzJbtSOkrmlS+9tSgtk01WNUK9T1o/yEFth+1ZboBDcv5U3cqac3/
D4UET/ZcLvBThGgEKCHFu+vJVyyYT+zQkncSr6SfE7KLfVb/QplmCCm7+xVgEgwz
vXBhaCMGgYfRJ4kb+4+g1ouFLLSH9bHCLidh6YQfm3X11U3G1lwmBkF9//DIzdY3
3ws3iiZLmLPf0/OwYcRb0DYNKrz9GrAeXYuGbDcHB1kz2SpDLKDjcux/U8fXh+M8
ANnO3oFUxLz6sEPg3dH+EzGENkETrHIn1kvfJc4CO4r8nzigOz9LLEiubT9KCFFd
zLF9dhs=
-----END CERTIFICATE-----`;

const { url, clientId, clientSecret } = requireSettings();
const scalekit = new ScalekitClient(url, clientId, clientSecret);
const connections = scalekit.connection;
const domains = scalekit.domain;
const run = `gh${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
console.log(`# run ${run} against ${url}`);

/** UpdateConnection through the SDK's own gRPC client (wrapper fields are plain values in protobuf-es). */
function updateConnection(organizationId, id, settings) {
  return scalekit.coreClient.connectExec(connections.client.updateConnection, {
    organizationId,
    id,
    connection: { settings },
  });
}

const org = await check('setup: organization.createOrganization', async () => {
  const res = await scalekit.organization.createOrganization(`${run} SSO`, { externalId: `${run}-sso` });
  return res.organization.id;
});

// ---------------------------------------------------------------------------
// SAML connection

const saml = await check('connection.createConnection(SAML, OKTA) is a disabled DRAFT with SP URLs', async () => {
  const res = await connections.createConnection(org, { type: ConnectionType.SAML, provider: ConnectionProvider.OKTA });
  const c = res.connection;
  assert.match(c.id, /^conn_\d+$/);
  assert.equal(c.type, ConnectionType.SAML);
  assert.equal(c.provider, ConnectionProvider.OKTA);
  assert.equal(c.status, ConnectionStatus.DRAFT);
  assert.equal(c.enabled, false);
  assert.equal(c.organizationId, org);
  assert.equal(c.settings.case, 'samlConfig');
  assert.equal(c.settings.value.spAssertionUrl, `${url.replace(/\/$/, '')}/sso/v1/saml/${c.id}/callback`);
  assert.equal(c.attributeMapping.email, 'email');
  return c;
});

await check('connection.getConnection returns it', async () => {
  const res = await connections.getConnection(org, saml.id);
  assert.equal(res.connection.id, saml.id);
  assert.equal(res.connection.status, ConnectionStatus.DRAFT);
});

await check('connection.enableConnection of a DRAFT is FAILED_PRECONDITION', async () => {
  const err = await rejection(() => connections.enableConnection(org, saml.id));
  assertServerError(err, ScalekitBadRequestException, GRPC.FAILED_PRECONDITION);
  assert.equal(err.errorCode, 'FAILED_PRECONDITION');
});

await check('UpdateConnection (SDK gRPC client) with IdP entity ID, SSO URL and certificate completes it', async () => {
  const res = await updateConnection(org, saml.id, {
    case: 'samlConfig',
    value: {
      idpEntityId: 'https://idp.example.test/entity',
      idpSsoUrl: 'https://idp.example.test/sso',
      idpCertificate: IDP_CERTIFICATE,
      // The SDK's SAMLConnectionConfigRequest has no allow_idp_initiated_login (Gatehouse takes it as #13, D-CN3),
      // so the SDK cannot send it: it stays false.
      allowIdpInitiatedLogin: true,
    },
  });
  const c = res.connection;
  assert.equal(c.status, ConnectionStatus.COMPLETED);
  const certificates = c.settings.value.idpCertificates;
  assert.equal(certificates.length, 1);
  assert.match(certificates[0].id, /^cert_/);
  assert.equal(new Date(Number(certificates[0].expiryTime.seconds) * 1000).toISOString(), '2034-12-30T05:50:30.000Z');
  assert.equal(c.settings.value.allowIdpInitiatedLogin, false);
});

// ---------------------------------------------------------------------------
// domains

const domainName = `${run}.example.test`;
const domain = await check('domain.createDomain(ORGANIZATION_DOMAIN) lower-cases and stays PENDING', async () => {
  const res = await domains.createDomain(org, domainName.toUpperCase(), { domainType: 'ORGANIZATION_DOMAIN' });
  const d = res.domain;
  assert.match(d.id, /^dom_\d+$/);
  assert.equal(d.domain, domainName);
  assert.equal(d.organizationId, org);
  assert.equal(d.domainType, DomainType.ORGANIZATION_DOMAIN);
  return d;
});

await check('domain.createDomain(ALLOWED_EMAIL_DOMAIN) and listDomains by type', async () => {
  await domains.createDomain(org, `allowed-${domainName}`, { domainType: 'ALLOWED_EMAIL_DOMAIN' });
  assert.equal((await domains.listDomains(org)).domains.length, 2);
  const allowed = await domains.listDomains(org, { domainType: 'ALLOWED_EMAIL_DOMAIN' });
  assert.deepEqual(allowed.domains.map((d) => d.domain), [`allowed-${domainName}`]);
});

await check('domain.getDomain returns it', async () => {
  const res = await domains.getDomain(org, domain.id);
  assert.equal(res.domain.domain, domainName);
});

await check('domain.createDomain of the same domain (any case) is ALREADY_EXISTS', async () => {
  const err = await rejection(() => domains.createDomain(org, domainName.toUpperCase()));
  assertServerError(err, ScalekitConflictException, GRPC.ALREADY_EXISTS);
});

await check('domain.createDomain of a public email domain is INVALID_ARGUMENT', async () => {
  const err = await rejection(() => domains.createDomain(org, 'gmail.com'));
  assertServerError(err, ScalekitBadRequestException, GRPC.INVALID_ARGUMENT);
});

// ---------------------------------------------------------------------------
// enable, list, disable

await check('connection.enableConnection enables it', async () => {
  const res = await connections.enableConnection(org, saml.id);
  assert.equal(res.enabled, true);
});

await check('connection.listConnections(org) lists it enabled with its domain', async () => {
  const res = await connections.listConnections(org);
  assert.equal(res.connections.length, 1);
  assert.equal(res.connections[0].id, saml.id);
  assert.equal(res.connections[0].enabled, true);
  assert.deepEqual(res.connections[0].domains, [domainName]);
  assert.equal(res.connections[0].organizationName, `${run} SSO`);
});

await check('connection.listConnectionsByDomain finds the active connection', async () => {
  const res = await connections.listConnectionsByDomain(domainName);
  assert.deepEqual(res.connections.map((c) => c.id), [saml.id]);
});

await check('connection.disableConnection disables it; listConnectionsByDomain lists only active ones', async () => {
  assert.equal((await connections.disableConnection(org, saml.id)).enabled, false);
  assert.equal((await connections.listConnectionsByDomain(domainName)).connections.length, 0);
});

// ---------------------------------------------------------------------------
// OIDC connection: the client secret is sealed and never comes back

const secret = `sdk-secret-${randomBytes(8).toString('hex')}`;
const oidc = await check('OIDC connection with a client secret answers only a mask', async () => {
  const created = (await connections.createConnection(org, { type: ConnectionType.OIDC, provider: ConnectionProvider.CUSTOM })).connection;
  const res = await updateConnection(org, created.id, {
    case: 'oidcConfig',
    value: { issuer: 'https://idp.example.test', clientId: 'sdk-app', clientSecret: secret },
  });
  assert.equal(res.connection.status, ConnectionStatus.COMPLETED);
  assert.equal(res.connection.settings.value.clientSecret, '********');
  const fetched = await connections.getConnection(org, created.id);
  assert.equal(fetched.connection.settings.value.clientSecret, '********');
  assert.ok(!JSON.stringify(fetched, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)).includes(secret));
  return created;
});

// ---------------------------------------------------------------------------
// errors and clean-up

await check('connection.getConnection of an unknown ID is NOT_FOUND', async () => {
  const err = await rejection(() => connections.getConnection(org, 'conn_404'));
  assertServerError(err, ScalekitNotFoundException, GRPC.NOT_FOUND);
});

await check('connection.createConnection of a social provider is INVALID_ARGUMENT', async () => {
  const err = await rejection(() => connections.createConnection(org, { type: ConnectionType.OIDC, provider: ConnectionProvider.GITHUB }));
  assertServerError(err, ScalekitBadRequestException, GRPC.INVALID_ARGUMENT);
});

await check('connection.listAppConnections is UNIMPLEMENTED', async () => {
  const err = await rejection(() => connections.listAppConnections());
  assertServerError(err, ScalekitNotImplementedException, GRPC.UNIMPLEMENTED);
});

await check('domain.deleteDomain, then getDomain is NOT_FOUND', async () => {
  await domains.deleteDomain(org, domain.id);
  const err = await rejection(() => domains.getDomain(org, domain.id));
  assertServerError(err, ScalekitServerException, GRPC.NOT_FOUND);
});

await check('connection.deleteConnection, then getConnection is NOT_FOUND', async () => {
  await connections.deleteConnection(org, saml.id);
  await connections.deleteConnection(org, oidc.id);
  const err = await rejection(() => connections.getConnection(org, saml.id));
  assertServerError(err, ScalekitNotFoundException, GRPC.NOT_FOUND);
  assert.equal((await connections.listConnections(org)).connections.length, 0);
});

await check('cleanup: delete the organization', async () => {
  await scalekit.organization.deleteOrganization(org);
});

console.log(`${passed} passed, 0 failed`);
