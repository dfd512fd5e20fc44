// Shared by the official-SDK scripts (organizations.mjs, users.mjs): the `ok - <name>` /
// `N passed, 0 failed` harness, error descriptions and gRPC status helpers.
import assert from 'node:assert/strict';
import { ScalekitServerException } from '@scalekit-sdk/node';

// gRPC status codes (same numbering as @connectrpc/connect's Code enum).
export const GRPC = {
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5, ALREADY_EXISTS: 6, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9, ABORTED: 10, OUT_OF_RANGE: 11, UNIMPLEMENTED: 12,
  INTERNAL: 13, UNAVAILABLE: 14, DATA_LOSS: 15, UNAUTHENTICATED: 16,
};
export const GRPC_NAME = Object.fromEntries(Object.entries(GRPC).map(([k, v]) => [v, k]));


// ---------------------------------------------------------------------------
// harness

export let passed = 0;

export function json(value) {
  return JSON.stringify(
    value,
    (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v),
    2,
  );
}

export function describeError(err) {
  const lines = [];
  if (err instanceof ScalekitServerException) {
    lines.push(`  sdk error:   ${err.name}`);
    lines.push(`  grpc code:   ${err.grpcStatus} (${GRPC_NAME[err.grpcStatus] ?? '?'})`);
    lines.push(`  http status: ${err.httpStatus}`);
    lines.push(`  error_code:  ${err.errorCode}`);
    lines.push(`  message:     ${err.message}`);
    const details = err.unpackedDetails?.length ? err.unpackedDetails : err.errDetails;
    lines.push(`  details:     ${json(details)}`);
  } else if (err?.isAxiosError) {
    // Raw axios errors escape the SDK when the token endpoint fails during the
    // UNAUTHENTICATED -> POST /oauth/token -> retry handshake.
    lines.push(`  axios error: ${err.code ?? ''} ${err.message}`);
    if (err.response) {
      lines.push(`  http status: ${err.response.status} ${err.response.statusText ?? ''}`);
      lines.push(`  body:        ${json(err.response.data)}`);
    }
  } else if (err?.name === 'ConnectError') {
    lines.push(`  connect error: code ${err.code} (${GRPC_NAME[err.code] ?? '?'}) ${err.rawMessage}`);
  } else if (err instanceof assert.AssertionError) {
    lines.push(`  assertion:   ${err.message}`);
  } else {
    lines.push(`  error:       ${err?.name ?? typeof err}: ${err?.message ?? String(err)}`);
  }
  let cause = err?.cause;
  for (let depth = 0; cause && depth < 5; depth++, cause = cause.cause) {
    lines.push(`  cause:       ${cause.name ?? ''} ${cause.code ?? ''} ${cause.message ?? String(cause)}`);
  }
  if (err?.stack && !(err instanceof ScalekitServerException)) {
    lines.push(`  stack:       ${err.stack.split('\n').slice(1, 6).join('\n               ')}`);
  }
  return lines.join('\n');
}

export function fail(name, err) {
  console.log(`not ok - ${name}`);
  console.log(describeError(err));
  console.log(`${passed} passed, 1 failed`);
  process.exit(1);
}

export async function check(name, fn) {
  let result;
  try {
    result = await fn();
  } catch (err) {
    fail(name, err);
  }
  passed++;
  console.log(`ok - ${name}`);
  return result;
}

/** Runs fn, which must reject; returns the rejection. */
export async function rejection(fn) {
  try {
    const value = await fn();
    assert.fail(`expected a rejection, got a result: ${json(value)}`);
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err;
    return err;
  }
}

export function assertServerError(err, Cls, code) {
  if (!(err instanceof Cls)) {
    const e = new assert.AssertionError({
      message: `expected ${Cls.name} (grpc ${GRPC_NAME[code]}), got:\n${describeError(err)}`,
    });
    throw e;
  }
  assert.equal(err.grpcStatus, code, `grpc status: expected ${code} (${GRPC_NAME[code]}), got ${err.grpcStatus}`);
}


// ---------------------------------------------------------------------------
// settings

/** GATEHOUSE_URL, GATEHOUSE_CLIENT_ID and GATEHOUSE_CLIENT_SECRET from the environment; exits 2 (usage) when one is missing. */
export function requireSettings() {
  const settings = {
    url: process.env.GATEHOUSE_URL,
    clientId: process.env.GATEHOUSE_CLIENT_ID,
    clientSecret: process.env.GATEHOUSE_CLIENT_SECRET,
  };
  const missing = Object.entries({ GATEHOUSE_URL: settings.url, GATEHOUSE_CLIENT_ID: settings.clientId,
    GATEHOUSE_CLIENT_SECRET: settings.clientSecret }).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length) {
    console.error(`usage: set ${missing.join(', ')} (GATEHOUSE_URL e.g. http://127.0.0.1:8080)`);
    process.exit(2);
  }
  return settings;
}
