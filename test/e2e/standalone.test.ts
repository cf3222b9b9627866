/**
 * The script-tag build on /standalone.html, as an integrator uses it: one module script and the element.
 * Checks what the first load fetches (the capture code is a lazy chunk), the caching headers of the
 * script and its versioned URL, the page's strict CSP, and a whole capture flow under that CSP.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { eventually } from '../helpers/sandbox.ts';
import {
  chooseCountryAndType,
  cspViolations,
  events,
  openPage,
  streamStates,
  waitForEvents,
  waitForHeading,
  waitForOutcome,
  photographPassportAndSend,
  useE2e,
} from './harness.ts';

const VERSION: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;

const e2e = useE2e();

test('/signicat-verify.js is cacheable, its versioned URL immutable', async () => {
  const plain = await fetch(`${e2e.sandbox.url}/signicat-verify.js`);
  assert.equal(plain.status, 200);
  assert.match(plain.headers.get('content-type') ?? '', /javascript/);
  assert.match(plain.headers.get('cache-control') ?? '', /max-age=\d+/);
  const body = await plain.text();
  assert.match(body, /customElements|signicat-verify/);

  const versioned = await fetch(`${e2e.sandbox.url}/signicat-verify@${VERSION}.js`);
  assert.equal(versioned.status, 200);
  assert.match(versioned.headers.get('content-type') ?? '', /javascript/);
  const cache = versioned.headers.get('cache-control') ?? '';
  assert.match(cache, /immutable/);
  assert.match(cache, /max-age=(\d{7,})/, 'a long max-age');
  assert.equal(
    await versioned.text(),
    readFileSync(new URL(`../../dist/cdn/signicat-verify@${VERSION}.js`, import.meta.url), 'utf8'),
    'its own build, whose lazy chunks import the pinned URL (test/e2e/versioned-url.test.ts)',
  );

  const unknownVersion = await fetch(`${e2e.sandbox.url}/signicat-verify@0.0.0-nope.js`);
  assert.equal(unknownVersion.status, 404);
  await unknownVersion.arrayBuffer();
});

test('/standalone.html has a strict Content-Security-Policy', async () => {
  const response = await fetch(`${e2e.sandbox.url}/standalone.html`);
  assert.equal(response.status, 200);
  await response.text();
  const csp = response.headers.get('content-security-policy') ?? '';
  const directives = new Map(
    csp.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values] as const;
    }),
  );
  assert.deepEqual(directives.get('default-src'), ["'self'"]);
  assert.deepEqual(
    directives.get('script-src'),
    ["'self'"],
    'scripts only from the page origin: no inline, no eval',
  );
  assert.ok(!/unsafe-inline|unsafe-eval|\*/.test(csp), csp);
  assert.deepEqual(directives.get('object-src'), ["'none'"]);
  assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
  assert.deepEqual(directives.get('base-uri'), ["'none'"]);
});

test('script tag only: lazy capture chunk, then a passport capture → accepted under the CSP', async () => {
  await e2e.sandbox.control('/outcome', { status: 'accepted', delayMs: 300 });
  const delivered = e2e.sandbox.results.length;
  const { page, problems, requests } = await openPage(
    e2e.browser,
    `${e2e.sandbox.url}/standalone.html`,
  );

  await waitForHeading(page, /^Verify your identity$/);
  await page.waitForNetworkIdle({ idleTime: 250 });
  const initial = requests.map((url) => url.pathname);
  assert.ok(
    requests.every((url) => url.origin === e2e.sandbox.url),
    'only the page origin is contacted',
  );
  assert.equal(initial[0], '/standalone.html');
  assert.ok(initial.includes('/signicat-verify.js'), `requests: ${initial}`);
  // Besides the page's own HTML, stylesheet and icon: only the script and its chunks.
  const scripts = initial.filter(
    (path) =>
      !['/standalone.html', '/standalone.css', '/favicon.svg', '/favicon.ico'].includes(path),
  );
  for (const path of scripts) {
    assert.ok(
      path === '/signicat-verify.js' || /^\/chunks\/[\w-]+\.js$/.test(path),
      `only the script and its chunks: ${path}`,
    );
  }
  assert.ok(
    !scripts.some((path) => /capture-kit|image-worker/.test(path)),
    `no capture code before Start: ${scripts}`,
  );
  assert.ok(
    !initial.some((path) => path.startsWith('/api/') || path.startsWith('/assets/')),
    `nothing else: ${initial}`,
  );

  await chooseCountryAndType(page, { type: 'passport' });
  await waitForHeading(page, /^Front of your document$/);
  assert.ok(
    requests.some((url) => /^\/chunks\/capture-kit-[\w-]+\.js$/.test(url.pathname)),
    'the capture chunk is loaded once the user starts',
  );
  await photographPassportAndSend(page);
  assert.match(await waitForOutcome(page, 'accepted'), /You are verified/);

  const complete = await waitForEvents(page, 'signicat-verify-complete');
  assert.deepEqual(
    complete.map((e) => e.detail['status']),
    ['accepted'],
  );
  assert.deepEqual(await events(page, 'signicat-verify-error'), []);
  assert.ok(
    (await streamStates(page)).flat().every((s) => s === 'ended'),
    'camera released',
  );
  // The images were encoded in the module worker, which the CSP allows from the page origin.
  assert.ok(
    requests.some((url) => /^\/chunks\/image-worker-[\w-]+\.js$/.test(url.pathname)),
    'image worker used',
  );

  const result = await eventually(() => e2e.sandbox.results[delivered], 10_000, 'the result');
  assert.equal(result.status, 'accepted');
  assert.equal(result.mode, 'capture');

  assert.deepEqual(await cspViolations(page), [], 'no CSP violations');
  assert.deepEqual(problems.list, []);
  await page.close();
});
