// Drives Gatehouse's hosted login over plain HTTP, the way a browser without JavaScript would:
// fetch with redirect: 'manual' and a tiny cookie jar. Shared by oidc-rp.mjs and fsa.mjs.
//
//   const { callbackUrl, steps } = await hostedLogin({ authorizeUrl, email, organization: { create: 'Acme' } });
//
// From the authorize URL it follows redirects while they stay on Gatehouse's origin, answers each login
// page (email → code read from /_dev/mail.json → organization), and stops at the first redirect that
// leaves Gatehouse: that is the application's callback (`redirect_uri?code=…&state=…&iss=…`).
// The server must run with the dev mailbox on (no GATEHOUSE_SMTP_HOST, or GATEHOUSE_DEV_MAILBOX=true).

import assert from 'node:assert/strict';

const MAX_HOPS = 12;
const MAIL_WAIT_MS = 5000;
const MAIL_POLL_MS = 100;

/** Cookies by name for one origin; enough for Gatehouse's host-only, Path=/ cookies. */
export class CookieJar {
  #cookies = new Map();

  /** Takes every Set-Cookie of a response; Max-Age=0 or an empty value deletes. */
  store(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired = attributes.some((a) => /^max-age=0$/i.test(a) || /^max-age=-/i.test(a));
      if (expired || value === '') {
        this.#cookies.delete(name);
      } else {
        this.#cookies.set(name, { value, attributes: attributes.map((a) => a.toLowerCase()) });
      }
    }
  }

  header() {
    return [...this.#cookies].map(([name, c]) => `${name}=${c.value}`).join('; ');
  }

  has(name) {
    return this.#cookies.has(name);
  }

  /** The lower-cased attributes the server set on a cookie (httponly, samesite=lax, path=/ …). */
  attributes(name) {
    return this.#cookies.get(name)?.attributes ?? [];
  }

  delete(name) {
    this.#cookies.delete(name);
  }

  /** Sets a cookie by hand (e.g. to present a session cookie the server has since cleared). */
  set(name, value) {
    this.#cookies.set(name, { value, attributes: [] });
  }

  get(name) {
    return this.#cookies.get(name)?.value;
  }
}

async function send(jar, url, init = {}) {
  const headers = new Headers(init.headers ?? {});
  const cookie = jar.header();
  if (cookie) headers.set('cookie', cookie);
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(response);
  return response;
}

/** Messages of the dev mailbox to `to`, newest first. */
export async function mailTo(gatehouseUrl, to) {
  const res = await fetch(`${gatehouseUrl}/_dev/mail.json?to=${encodeURIComponent(to)}&limit=20`);
  assert.equal(res.status, 200, `/_dev/mail.json answered ${res.status}: is the dev mailbox on?`);
  return (await res.json()).messages;
}

/**
 * The 6-digit code of the newest message to `to` that is not in `seenIds`, polled for at most 5 s
 * (mail is sent inside the request, so it is normally there at once).
 */
export async function waitForCode(gatehouseUrl, to, seenIds = new Set()) {
  const deadline = Date.now() + MAIL_WAIT_MS;
  for (;;) {
    const fresh = (await mailTo(gatehouseUrl, to)).find((m) => !seenIds.has(m.id));
    if (fresh) {
      const match = /\b(\d{6})\b/.exec(fresh.text);
      assert.ok(match, `no 6-digit code in the mail to ${to}: ${fresh.text}`);
      return { code: match[1], message: fresh };
    }
    assert.ok(Date.now() < deadline, `no new mail to ${to} within ${MAIL_WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, MAIL_POLL_MS));
  }
}

function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_m, e) => {
    const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e.toLowerCase()];
    if (named) return named;
    return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

/** What a hosted login page asks for, read from its forms. */
export function parseLoginPage(html) {
  const attr = (tag, name) => {
    const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
    return m ? decodeEntities(m[1]) : undefined;
  };
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, open, body]) => {
    const fields = {};
    for (const [input] of body.matchAll(/<input\b[^>]*>/g)) {
      const name = attr(input, 'name');
      if (name) fields[name] = attr(input, 'value') ?? '';
    }
    const button = /<button\b([^>]*)>([\s\S]*?)<\/button>/.exec(body);
    return { action: attr(open, 'action'), fields, label: button ? decodeEntities(button[2].trim()) : '' };
  });
  const heading = /<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1];
  const error = /<p class="error"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1];
  const byAction = (action) => forms.filter((f) => f.fields.action === action);
  return {
    heading: heading && decodeEntities(heading.trim()),
    error: error && decodeEntities(error.trim()),
    forms,
    step: byAction('code').length ? 'code'
      : byAction('create_organization').length ? 'create_organization'
        : byAction('organization').length ? 'organization'
          : forms.some((f) => f.fields.action === 'email' && 'email' in f.fields && f.label !== 'Send again') ? 'email'
            : 'unknown',
    form: (action) => byAction(action)[0],
    organizations: byAction('organization').map((f) => ({ id: f.fields.organization_id, name: f.label })),
  };
}

function pageText(html) {
  return decodeEntities(html.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/**
 * Signs in through the hosted login and returns the application's callback URL.
 *
 * options:
 *   authorizeUrl   the /oauth/authorize URL (string or URL)
 *   email          the address to sign in with (a fresh one signs up)
 *   jar            a CookieJar to reuse across logins (the session cookie skips the login next time)
 *   organization   { create: 'name' } or { pick: 'org_…' } when the login asks; without it, asking fails
 *
 * returns { callbackUrl: URL, steps: ['email', 'code', 'create_organization' …], jar, pages: [{step, heading}] }
 */
export async function hostedLogin({ authorizeUrl, email, jar = new CookieJar(), organization }) {
  const start = new URL(authorizeUrl);
  const origin = start.origin;
  const steps = [];
  const pages = [];
  let seenMail = new Set();
  let response = await send(jar, start);
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (response.status >= 300 && response.status < 400) {
      const location = new URL(response.headers.get('location'), origin);
      if (location.origin !== origin) {
        return { callbackUrl: location, steps, jar, pages };
      }
      response = await send(jar, location);
      continue;
    }
    const html = await response.text();
    assert.equal(response.status, 200, `${response.url || 'login page'} answered ${response.status}: ${pageText(html)}`);
    const page = parseLoginPage(html);
    pages.push({ step: page.step, heading: page.heading });
    const post = (form, extra = {}) => send(jar, new URL(form.action, origin), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form.fields, ...extra }),
    });
    switch (page.step) {
      case 'email': {
        assert.ok(email, 'the login asks for an email address and none was given');
        seenMail = new Set((await mailTo(origin, email)).map((m) => m.id));
        steps.push('email');
        response = await post(page.form('email'), { email });
        break;
      }
      case 'code': {
        const { code } = await waitForCode(origin, email, seenMail);
        steps.push('code');
        response = await post(page.form('code'), { code });
        break;
      }
      case 'create_organization': {
        assert.ok(organization?.create, `the login asks to create an organization (${page.heading}) and no name was given`);
        steps.push('create_organization');
        response = await post(page.form('create_organization'), { name: organization.create });
        break;
      }
      case 'organization': {
        assert.ok(organization?.pick, `the login asks to pick one of ${JSON.stringify(page.organizations)}`);
        const choice = page.forms.find((f) => f.fields.action === 'organization'
          && f.fields.organization_id === organization.pick);
        assert.ok(choice, `${organization.pick} is not offered: ${JSON.stringify(page.organizations)}`);
        steps.push('organization');
        response = await post(choice);
        break;
      }
      default:
        assert.fail(`unexpected login page: ${pageText(html).slice(0, 400)}`);
    }
  }
  assert.fail(`no redirect to the application after ${MAX_HOPS} steps`);
}

/** A client_credentials access token of a management client (the environment's skc_… client). */
export async function managementToken(gatehouseUrl, clientId, clientSecret) {
  const res = await fetch(`${gatehouseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, `client_credentials: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/**
 * Adds redirect URIs and post-logout redirect URIs to the client with `PATCH /api/v1/clients/{id}`, keeping
 * the ones already registered (and the default) while the list stays within the limit of 5: the newest
 * URIs win, so a long-lived dev server keeps working for every script.
 */
export async function registerRedirectUris(gatehouseUrl, clientId, clientSecret, { redirectUris = [], postLogoutRedirectUris = [] }) {
  const token = await managementToken(gatehouseUrl, clientId, clientSecret);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const current = await fetch(`${gatehouseUrl}/api/v1/clients/${clientId}`, { headers });
  const { client } = await current.json();
  assert.equal(current.status, 200, `GET /api/v1/clients/${clientId}: ${current.status}`);
  const merge = (wanted, existing, keep = []) => {
    const others = existing.filter((u) => !wanted.includes(u) && !keep.includes(u));
    const fixed = [...new Set([...keep.filter(Boolean), ...wanted])];
    return [...fixed, ...others.slice(0, Math.max(0, 5 - fixed.length))];
  };
  const body = {
    redirect_uris: merge(redirectUris, client.redirect_uris, [client.default_redirect_uri]),
    post_logout_redirect_uris: merge(postLogoutRedirectUris, client.post_logout_redirect_uris),
  };
  const res = await fetch(`${gatehouseUrl}/api/v1/clients/${clientId}`, { method: 'PATCH', headers, body: JSON.stringify(body) });
  const text = await res.text();
  assert.equal(res.status, 200, `PATCH /api/v1/clients/${clientId}: ${res.status} ${text}`);
  return JSON.parse(text).client;
}
