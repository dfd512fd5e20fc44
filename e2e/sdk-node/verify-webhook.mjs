#!/usr/bin/env node
// Verifies one webhook delivery with the official Scalekit Node SDK's verifyWebhookPayload.
//
// Usage: node verify-webhook.mjs <file.json>     (or WEBHOOK_JSON='{"secret":…}' node verify-webhook.mjs)
// The JSON holds {"secret": "whsec_…", "headers": {"webhook-id": …, "webhook-timestamp": …,
// "webhook-signature": …}, "body": "<raw body exactly as received>"}.
// Exit 0: the SDK returned true. Exit 1: it returned false or threw (the reason is printed).
// Exit 2: bad usage. Verification is local; the client's URL, ID and secret are never contacted.

import { readFileSync } from 'node:fs';
import { ScalekitClient } from '@scalekit-sdk/node';

let input;
try {
  const raw = process.argv[2] ? readFileSync(process.argv[2], 'utf8') : process.env.WEBHOOK_JSON;
  if (!raw) throw new Error('no input');
  input = JSON.parse(raw);
  if (typeof input.secret !== 'string' || typeof input.body !== 'string' || typeof input.headers !== 'object') {
    throw new Error('secret, headers and body are required');
  }
} catch (e) {
  console.error(`usage: node verify-webhook.mjs <file.json> (or WEBHOOK_JSON=...): ${e.message}`);
  process.exit(2);
}

const client = new ScalekitClient('http://127.0.0.1:9', 'skc_unused', 'unused');
try {
  const ok = client.verifyWebhookPayload(input.secret, input.headers, input.body);
  if (ok === true) {
    console.log('ok - verifyWebhookPayload returned true');
    process.exit(0);
  }
  console.log(`not ok - verifyWebhookPayload returned ${ok}`);
  process.exit(1);
} catch (e) {
  console.log(`not ok - verifyWebhookPayload threw ${e.name}: ${e.message}`);
  process.exit(1);
}
