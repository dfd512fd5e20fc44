#!/usr/bin/env node
// Self-test of organizations.mjs that needs no Gatehouse server: the script
// must load, refuse to run without its env vars, and fail cleanly (exit 1,
// `not ok - ...`, the SDK's error printed) within 30 s when GATEHOUSE_URL
// points at a closed port. The SDK retries UNAVAILABLE with 1 s / 2 s / 4 s
// (+-50 %) backoff, so expect ~3.5-7 s.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./organizations.mjs', import.meta.url));
const LIMIT_MS = 30_000;
let passed = 0;

function runScript(env) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [script], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS + 5_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, ms: Date.now() - started });
    });
  });
}

async function closedPort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

async function check(name, fn) {
  try {
    await fn();
  } catch (err) {
    console.log(`not ok - ${name}\n${err.message}`);
    console.log(`${passed} passed, 1 failed`);
    process.exit(1);
  }
  passed++;
  console.log(`ok - ${name}`);
}

await check('organizations.mjs without env vars exits 2 with usage', async () => {
  const r = await runScript({});
  assert.equal(r.code, 2, r.out);
  assert.match(r.out, /usage: set GATEHOUSE_URL, GATEHOUSE_CLIENT_ID, GATEHOUSE_CLIENT_SECRET/);
});

await check(`organizations.mjs against a closed port fails cleanly within ${LIMIT_MS / 1000} s`, async () => {
  const port = await closedPort();
  const r = await runScript({
    GATEHOUSE_URL: `http://127.0.0.1:${port}`,
    GATEHOUSE_CLIENT_ID: 'skc_selftest',
    GATEHOUSE_CLIENT_SECRET: 'selftest-secret',
  });
  const show = `exit ${r.code} signal ${r.signal} after ${r.ms} ms; output:\n${r.out}`;
  assert.equal(r.signal, null, show);
  assert.ok(r.ms < LIMIT_MS, `took ${r.ms} ms; ${show}`);
  assert.equal(r.code, 1, show);
  assert.match(r.out, /^# run gh\w+ against http:\/\/127\.0\.0\.1:\d+$/m, show);
  assert.match(r.out, /^not ok - createOrganization /m, show);
  assert.match(r.out, /ScalekitServiceUnavailableException|UNAVAILABLE/, show);
  assert.match(r.out, /ECONNREFUSED/, show);
  assert.match(r.out, /^0 passed, 1 failed$/m, show);
  assert.doesNotMatch(r.out, /selftest-secret/, `client secret leaked into output; ${show}`);
  console.log(`# failed as expected after ${r.ms} ms:\n${r.out.trimEnd().replace(/^/gm, '#   ')}`);
});

console.log(`${passed} passed, 0 failed`);
