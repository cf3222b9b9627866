/**
 * End-to-end harness: the real server (sandbox mode, built element and demo) on a free loopback port,
 * driven by Debian's Chromium through puppeteer-core. The fake camera plays a synthetic ID card.
 * E2E_SCREENSHOTS=<dir> saves a screenshot of every step a test names.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before } from 'node:test';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, {
  type Browser,
  type ElementHandle,
  type KeyInput,
  type Page,
} from 'puppeteer-core';
import { chromiumArgs, chromiumPath } from '../chromium-path.mjs';
import { startSandbox, type Sandbox, type SandboxOptions } from '../helpers/sandbox.ts';

export const FAKE_VIDEO = fileURLToPath(new URL('../fixtures/id-card.y4m', import.meta.url));
const SCREENSHOT_DIR = process.env.E2E_SCREENSHOTS;

export interface BrowserOptions {
  /** false: the camera permission is refused, as when a user clicks "Block". */
  camera?: boolean;
}

export async function launchBrowser(options: BrowserOptions = {}): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: chromiumArgs({ fakeVideo: FAKE_VIDEO, camera: options.camera !== false }),
  });
}

export interface Problems {
  /** Console errors, uncaught exceptions and failed requests seen on the page. */
  list: string[];
}

export interface OpenOptions {
  /** Patterns of problems that are expected (each must be justified where it is used). */
  allow?: RegExp[];
  /** Record element events and camera streams ({@link instrument}); default true. */
  instrument?: boolean;
  /**
   * Test pages: path → HTML, answered by the browser itself (DevTools Fetch domain) on the origin of
   * `url`, so a test can mount the element as an integrator would without the server knowing the page.
   */
  pages?: Record<string, string>;
}

/**
 * Opens a page that records every console error, page error, failed request, HTTP error answer
 * (4xx/5xx) and request to anything but 127.0.0.1 in `problems.list`, and every request URL in `requests`.
 */
export async function openPage(
  browser: Browser,
  url: string,
  options: OpenOptions | RegExp[] = {},
): Promise<{ page: Page; problems: Problems; requests: URL[] }> {
  const {
    allow = [],
    instrument: wantsInstrument = true,
    pages = {},
  } = Array.isArray(options) ? { allow: options } : options;
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  if (wantsInstrument) await instrument(page);
  if (Object.keys(pages).length) await servePages(page, new URL(url).origin, pages);
  const problems: Problems = { list: [] };
  const requests: URL[] = [];
  const note = (text: string) => {
    if (!allow.some((pattern) => pattern.test(text))) problems.list.push(text);
  };
  page.on('request', (request) => {
    const url = new URL(request.url());
    requests.push(url);
    // Everything runs on the loopback sandbox: nothing may leave the machine.
    if (/^(https?|wss?):$/.test(url.protocol) && url.hostname !== '127.0.0.1')
      note(`external request: ${url.href}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') note(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) =>
    note(`pageerror: ${error instanceof Error ? error.message : String(error)}`),
  );
  page.on('requestfailed', (request) => {
    // Closing an EventSource or leaving a page aborts requests on purpose.
    if (request.failure()?.errorText !== 'net::ERR_ABORTED')
      note(`requestfailed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400)
      note(`http ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems, requests };
}

/** Answers requests for `origin` + each path of `pages` with that HTML, in the browser; nothing else is paused. */
async function servePages(
  page: Page,
  origin: string,
  pages: Record<string, string>,
): Promise<void> {
  const cdp = await page.createCDPSession();
  cdp.on('Fetch.requestPaused', (event) => {
    const html = pages[new URL(event.request.url).pathname];
    const answer =
      html === undefined
        ? cdp.send('Fetch.continueRequest', { requestId: event.requestId })
        : cdp.send('Fetch.fulfillRequest', {
            requestId: event.requestId,
            responseCode: 200,
            responseHeaders: [
              { name: 'Content-Type', value: 'text/html; charset=utf-8' },
              { name: 'Cache-Control', value: 'no-store' },
            ],
            body: Buffer.from(html).toString('base64'),
          });
    answer.catch(() => undefined); // the page may be gone
  });
  await cdp.send('Fetch.enable', {
    patterns: Object.keys(pages).map((path) => ({
      urlPattern: `${origin}${path}*`,
      requestStage: 'Request' as const,
    })),
  });
}

/**
 * Saves `<dir>/<name>.png` when E2E_SCREENSHOTS is set: cropped to `selector` when given (small files),
 * else the viewport.
 */
export async function screenshot(page: Page, name: string, selector?: string): Promise<void> {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`) as `${string}.png`;
  // Two frames: pending renders and image decodes land, so the picture shows the step, not a half-drawn one.
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  const target = selector ? await page.$(selector) : null;
  if (target) {
    await target.screenshot({ path });
    await target.dispose();
  } else {
    await page.screenshot({ path });
  }
}

export async function startE2eSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({
    ...options,
    env: { EMULATOR_DELAY_MS: '300', POLL_INITIAL_MS: '200', ...options.env },
  });
}

// ---------------------------------------------------------------------------------------------------
// Helpers for driving the element (its shadow root) and observing what it does.

export type FinalStatus = 'accepted' | 'rejected' | 'inconclusive' | 'failed' | 'canceled';
export interface RecordedEvent {
  type: string;
  detail: Record<string, unknown>;
}

export const ELEMENT_EVENTS = [
  'signicat-verify-status',
  'signicat-verify-complete',
  'signicat-verify-error',
  'signicat-verify-provider-sdk',
] as const;

/**
 * Before any page script runs: records every element event (they are composed and bubble, so the
 * document sees them) in `window.__events`, and keeps every stream `getUserMedia` returns in
 * `window.__streams` (and what was asked for in `window.__constraints`) so a test can check that the
 * camera was released. Content-Security-Policy violations go to `window.__csp`.
 */
export async function instrument(page: Page): Promise<void> {
  await page.evaluateOnNewDocument((types: readonly string[]) => {
    const w = window as unknown as {
      __events: unknown[];
      __streams: MediaStream[];
      __constraints: unknown[];
    };
    w.__events = [];
    w.__streams = [];
    w.__constraints = [];
    const csp: string[] = ((window as unknown as { __csp: string[] }).__csp = []);
    document.addEventListener('securitypolicyviolation', (event) => {
      csp.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
    for (const type of types) {
      document.addEventListener(type, (event) => {
        w.__events.push({
          type,
          detail: JSON.parse(JSON.stringify((event as CustomEvent).detail ?? null)),
        });
      });
    }
    const devices = navigator.mediaDevices;
    if (devices?.getUserMedia) {
      const original = devices.getUserMedia.bind(devices);
      devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
        w.__constraints.push(JSON.parse(JSON.stringify(constraints ?? null)));
        const stream = await original(constraints);
        w.__streams.push(stream);
        return stream;
      };
    }
  }, ELEMENT_EVENTS);
}

export async function events(page: Page, type?: string): Promise<RecordedEvent[]> {
  const all = await page.evaluate(
    () => (window as unknown as { __events: RecordedEvent[] }).__events,
  );
  return type ? all.filter((event) => event.type === type) : all;
}

/** Waits until `count` events of `type` were recorded (and returns them). */
export async function waitForEvents(
  page: Page,
  type: string,
  count = 1,
  timeout = 15_000,
): Promise<RecordedEvent[]> {
  await page.waitForFunction(
    (t: string, n: number) =>
      (window as unknown as { __events: RecordedEvent[] }).__events.filter((e) => e.type === t)
        .length >= n,
    { timeout },
    type,
    count,
  );
  return events(page, type);
}

/** `readyState` of every track of every stream `getUserMedia` returned so far, stream by stream. */
export async function streamStates(page: Page): Promise<string[][]> {
  return page.evaluate(() =>
    (window as unknown as { __streams: MediaStream[] }).__streams.map((stream) =>
      stream.getTracks().map((track) => track.readyState),
    ),
  );
}

/**
 * Waits until the element's shadow root holds a visible, enabled button whose text matches `text`
 * (and, when given, `data-kind`), then clicks it with a real mouse click.
 */
export async function clickButton(
  page: Page,
  text: RegExp | null,
  options: { kind?: string; timeout?: number } = {},
): Promise<void> {
  const handle = await page.waitForFunction(
    (source: string | null, flags: string, kind: string | null) => {
      const root = document.querySelector('signicat-verify')?.shadowRoot;
      if (!root) return null;
      const pattern = source === null ? null : new RegExp(source, flags);
      return (
        [...root.querySelectorAll('button')].find(
          (button) =>
            !button.disabled &&
            button.getClientRects().length > 0 &&
            (pattern === null || pattern.test(button.textContent?.trim() ?? '')) &&
            (kind === null || button.dataset['kind'] === kind),
        ) ?? null
      );
    },
    { timeout: options.timeout ?? 15_000 },
    text?.source ?? null,
    text?.flags ?? '',
    options.kind ?? null,
  );
  await (handle as ElementHandle<HTMLButtonElement>).click();
  await handle.dispose();
}

/** The text of the current step's heading inside the element. */
export async function heading(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      document
        .querySelector('signicat-verify')
        ?.shadowRoot?.querySelector('#heading')
        ?.textContent?.trim() ?? '',
  );
}

/** Waits until the element's step heading matches `text`. */
export async function waitForHeading(page: Page, text: RegExp, timeout = 15_000): Promise<string> {
  await page.waitForFunction(
    (source: string, flags: string) =>
      new RegExp(source, flags).test(
        document
          .querySelector('signicat-verify')
          ?.shadowRoot?.querySelector('#heading')
          ?.textContent?.trim() ?? '',
      ),
    { timeout },
    text.source,
    text.flags,
  );
  return heading(page);
}

/** Waits until the element's shadow root holds something matching `selector` (and returns it). */
export async function waitInElement(
  page: Page,
  selector: string,
  timeout = 15_000,
): Promise<ElementHandle<Element>> {
  const handle = await page.waitForFunction(
    (s: string) => document.querySelector('signicat-verify')?.shadowRoot?.querySelector(s) ?? null,
    { timeout },
    selector,
  );
  return handle as ElementHandle<Element>;
}

/**
 * Waits for the outcome panel of `status`, checks that its icon is drawn (real SVG shapes with a size),
 * and returns the panel's text.
 */
export async function waitForOutcome(
  page: Page,
  status: FinalStatus,
  timeout = 20_000,
): Promise<string> {
  const outcome = await waitInElement(page, `[part="outcome"].outcome--${status}`, timeout);
  const { text, icon } = await outcome.evaluate((node) => {
    const shapes = [...node.querySelectorAll('svg.outcome__icon > *')];
    return {
      text: node.textContent?.replace(/\s+/g, ' ').trim() ?? '',
      icon: shapes.map((shape) =>
        shape instanceof SVGGraphicsElement
          ? Math.round(shape.getBBox().width + shape.getBBox().height)
          : `not SVG: ${shape.namespaceURI}`,
      ),
    };
  });
  await outcome.dispose();
  if (!icon.length || !icon.every((size) => typeof size === 'number' && size > 0)) {
    throw new Error(`the ${status} outcome icon is not drawn: ${JSON.stringify(icon)}`);
  }
  return text;
}

/** Waits for the live camera preview of the current side to be ready (the shutter is enabled). */
export async function waitForCamera(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const root = document.querySelector('signicat-verify')?.shadowRoot;
      const video = root?.querySelector('video');
      const shutter = root?.querySelector<HTMLButtonElement>('.btn--shutter');
      return (
        !!video && video.readyState >= 2 && video.videoWidth > 0 && !!shutter && !shutter.disabled
      );
    },
    { timeout: 15_000 },
  );
}

/** Takes a photo of the current side with the fake camera and accepts it. */
export async function takePhoto(page: Page, shot?: string): Promise<void> {
  await waitForCamera(page);
  if (shot) await screenshot(page, shot, 'signicat-verify');
  await clickButton(page, /^Take photo$/);
  await waitInElement(page, '.preview--still img');
  await clickButton(page, /^Use this photo$/);
}

/** The width and height in a JPEG's SOF segment. */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) throw new Error(`not a JPEG marker at ${at}`);
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return {
        height: (bytes[at + 5]! << 8) | bytes[at + 6]!,
        width: (bytes[at + 7]! << 8) | bytes[at + 8]!,
      };
    }
    at += 2 + length;
  }
  throw new Error('no SOF segment');
}

/** Content-Security-Policy violations the document reported (see {@link instrument}). */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

export interface E2e {
  readonly sandbox: Sandbox;
  readonly browser: Browser;
}

/** One sandbox server and one browser for a test file: started before its tests, closed after them. */
export function useE2e(options: { sandbox?: SandboxOptions; browser?: BrowserOptions } = {}): E2e {
  let sandbox: Sandbox | undefined;
  let browser: Browser | undefined;
  before(async () => {
    sandbox = await startE2eSandbox(options.sandbox);
    browser = await launchBrowser(options.browser);
  });
  after(async () => {
    await browser?.close();
    await sandbox?.close();
  });
  return {
    get sandbox() {
      if (!sandbox) throw new Error('useE2e: the sandbox starts in before()');
      return sandbox;
    },
    get browser() {
      if (!browser) throw new Error('useE2e: the browser starts in before()');
      return browser;
    },
  };
}

/** How many sessions the server created so far (from its log). */
export const sessionsCreated = (sandbox: Sandbox): number =>
  sandbox.logs.filter((line) => JSON.parse(line).event === 'session.created').length;

/** A country to find in the issuing-country step: what to type, and the name the element must show. */
export interface CountrySearch {
  search: string;
  name: string;
}

/** The sandbox's DEFAULT_DOCUMENT_COUNTRY (`NO`), as the element names it in English. */
export const DEFAULT_COUNTRY_NAME = 'Norway';

/** The combobox's state, read from its ARIA attributes and what is on screen. */
export async function countryBox(page: Page): Promise<{
  value: string;
  focused: boolean;
  expanded: string | null;
  activeOption: string | null;
  options: string[];
  listVisible: boolean;
}> {
  return page.evaluate(() => {
    const root = document.querySelector('signicat-verify')!.shadowRoot!;
    const input = root.querySelector<HTMLInputElement>('input[role="combobox"]')!;
    const list = root.getElementById(input.getAttribute('aria-controls') ?? '');
    const activeId = input.getAttribute('aria-activedescendant');
    // An option's accessible name: its text without Lit's comment markers and the aria-hidden check
    // mark. (No named helper in here: tsx would wrap it in a __name() call the page does not have.)
    const options = [...(list?.querySelectorAll('[role="option"]') ?? [])].map((option) => ({
      id: option.id,
      name: [...option.childNodes]
        .filter(
          (node) =>
            node.nodeType === Node.TEXT_NODE ||
            (node instanceof Element && node.getAttribute('aria-hidden') !== 'true'),
        )
        .map((node) => node.textContent)
        .join('')
        .trim(),
    }));
    return {
      value: input.value,
      focused: root.activeElement === input,
      expanded: input.getAttribute('aria-expanded'),
      activeOption: activeId
        ? (options.find((o) => o.id === activeId)?.name ?? `missing #${activeId}`)
        : null,
      options: options.map((o) => o.name),
      listVisible: !!list && !list.hidden && list.getClientRects().length > 0,
    };
  });
}

/**
 * The issuing-country step by keyboard only, checking the combobox's ARIA states at every key: Tab from
 * the focused step heading into the box; ↓ opens the list on the preselected country, ↓ and ↑ move;
 * Escape closes the list, a second Escape clears the box; typing `search` filters, with the first match
 * active; ↓ (then ↑/↓ on to the wanted country), Enter chooses it, Enter on the closed list continues.
 */
export async function chooseCountryByKeyboard(
  page: Page,
  country: CountrySearch,
  shot?: string,
): Promise<void> {
  await waitInElement(page, 'input[role="combobox"]:not([disabled])');
  await page.keyboard.press('Tab');
  let box = await countryBox(page);
  const preselected = box.value;
  const all = box.options;
  assert.ok(box.focused, 'Tab from the step heading reaches the country box');
  assert.equal(box.expanded, 'false', 'the list starts closed');

  const key = async (name: KeyInput) => {
    await page.keyboard.press(name);
    box = await countryBox(page);
  };
  const move = async (name: 'ArrowDown' | 'ArrowUp') => {
    const at = box.options.indexOf(box.activeOption ?? '');
    await key(name);
    const to =
      name === 'ArrowDown' ? Math.min(at + 1, box.options.length - 1) : Math.max(at - 1, 0);
    assert.equal(
      box.activeOption,
      box.options[to],
      `${name} moves aria-activedescendant (and stops at the ends)`,
    );
  };

  await key('ArrowDown');
  assert.deepEqual([box.expanded, box.listVisible], ['true', true], '↓ opens the list');
  assert.equal(box.activeOption, preselected || all[0], 'on the preselected country');
  await move('ArrowDown');
  assert.notEqual(box.activeOption, preselected, '↓ moved on');
  await move('ArrowUp');
  await key('Escape');
  assert.deepEqual(
    [box.expanded, box.listVisible, box.value],
    ['false', false, preselected],
    'Escape closes the list, the choice stays',
  );
  await key('Escape');
  assert.equal(box.value, '', 'a second Escape clears the box');

  await page.keyboard.type(country.search);
  box = await countryBox(page);
  assert.equal(box.value, country.search);
  assert.deepEqual([box.expanded, box.listVisible], ['true', true], 'typing opens the list');
  assert.ok(
    box.options.length < all.length,
    `"${country.search}" narrows the list: ${JSON.stringify(box.options)}`,
  );
  assert.ok(
    box.options.includes(country.name),
    `"${country.search}" finds ${country.name}: ${JSON.stringify(box.options)}`,
  );
  assert.equal(box.activeOption, box.options[0], 'the first match is active');
  if (shot) await screenshot(page, shot, 'signicat-verify');
  await move('ArrowDown');
  while (box.activeOption !== country.name) {
    await move(
      box.options.indexOf(country.name) > box.options.indexOf(box.activeOption ?? '')
        ? 'ArrowDown'
        : 'ArrowUp',
    );
  }
  await key('Enter');
  assert.deepEqual(
    [box.value, box.expanded, box.focused],
    [country.name, 'false', true],
    'Enter chose it and closed the list',
  );
  await page.keyboard.press('Enter'); // on the closed list: Continue
}

/**
 * The issuing-country step with the mouse: the toggle button opens the whole list, on the preselected
 * country (checked and active); a click on an option chooses it and closes the list.
 */
export async function chooseCountryByPointer(
  page: Page,
  name: string,
  shot?: string,
): Promise<void> {
  const toggle = await waitInElement(page, 'button.combobox__toggle:not([disabled])');
  await toggle.click();
  await toggle.dispose();
  let box = await countryBox(page);
  assert.deepEqual([box.expanded, box.listVisible], ['true', true], 'the button opens the list');
  assert.equal(
    box.options.length > 1 && box.activeOption,
    box.value,
    'the whole list, on the preselected country',
  );
  if (shot) await screenshot(page, shot, 'signicat-verify');
  const option = await waitInElement(
    page,
    `[role="option"][data-code="${await codeOf(page, name)}"]`,
  );
  await option.click();
  await option.dispose();
  box = await countryBox(page);
  assert.deepEqual(
    [box.value, box.expanded, box.listVisible],
    [name, 'false', false],
    'the click chose it and closed the list',
  );
}

/** The `data-code` of the listed option named `name`. */
async function codeOf(page: Page, name: string): Promise<string> {
  const code = await page.evaluate(
    (wanted: string) =>
      [
        ...(document
          .querySelector('signicat-verify')
          ?.shadowRoot?.querySelectorAll<HTMLElement>('[role="option"]') ?? []),
      ]
        // The name is the option's own text; the check mark sits in a child element.
        .find(
          (option) =>
            [...option.childNodes]
              .filter((node) => node.nodeType === Node.TEXT_NODE)
              .map((node) => node.textContent)
              .join('')
              .trim() === wanted,
        )?.dataset['code'],
    name,
  );
  assert.ok(code, `${name} is listed`);
  return code;
}

/**
 * From the intro: Start → issuing country → document type. The country: by default the preselected one
 * (the sandbox's Norway) is accepted with a click on Continue; `pointer` first opens the whole list with
 * its button and clicks that country; `country` chooses another by keyboard ({@link chooseCountryByKeyboard}).
 * `shots` names screenshots of the two steps.
 */
export async function chooseCountryAndType(
  page: Page,
  options: {
    type: string;
    country?: CountrySearch;
    pointer?: boolean;
    shots?: { country?: string; type?: string };
  },
): Promise<void> {
  const { type, country, pointer = false, shots = {} } = options;
  await waitForHeading(page, /^Verify your identity$/);
  await clickButton(page, /^Start$/);
  await waitForHeading(page, /^Which country issued your document\?$/);
  if (country) {
    await chooseCountryByKeyboard(page, country, shots.country);
  } else {
    await page.waitForFunction(
      (name: string) =>
        document
          .querySelector('signicat-verify')
          ?.shadowRoot?.querySelector<HTMLInputElement>('input[role="combobox"]')?.value === name,
      { timeout: 5000 },
      DEFAULT_COUNTRY_NAME,
    );
    if (pointer) await chooseCountryByPointer(page, DEFAULT_COUNTRY_NAME, shots.country);
    else if (shots.country) await screenshot(page, shots.country, 'signicat-verify');
    await clickButton(page, /^Continue$/);
  }
  await waitForHeading(page, /^Which document will you use\?$/);
  const chosen = country?.name ?? DEFAULT_COUNTRY_NAME;
  const hint = await page.$eval(
    'signicat-verify >>> .hint',
    (p) => p.textContent?.replace(/\s+/g, ' ').trim() ?? '',
  );
  assert.match(
    hint,
    new RegExp(`^Issued in ${chosen}\\.`),
    'the type step names the chosen country',
  );
  await waitInElement(page, `button[data-kind="${type}"]`);
  if (shots.type) await screenshot(page, shots.type, 'signicat-verify');
  await clickButton(page, null, { kind: type });
}

/** One call of the proxy API as the page made it. */
export interface ApiExchange {
  method: string;
  /** The path below `/api`, e.g. `/sessions/<token>/images/front`. */
  path: string;
  /** Request headers, names in lower case. */
  headers: Record<string, string>;
  /** The JSON request body, when there was one. */
  body?: unknown;
  status: number;
  /** The JSON answer, when there was one (not for event streams). */
  answer?: unknown;
}

/** Records every `/api/` call the page makes, with JSON bodies both ways, in the order they finish. */
export function recordApi(page: Page): () => Promise<ApiExchange[]> {
  const pending: Array<Promise<ApiExchange>> = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/api/')) return;
    const request = response.request();
    const headers = Object.fromEntries(
      Object.entries(request.headers()).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const json = (type: string | undefined) => /^application\/(.+\+)?json/.test(type ?? '');
    pending.push(
      (async () => ({
        method: request.method(),
        path: url.pathname.slice('/api'.length) + url.search,
        headers,
        ...(json(headers['content-type']) &&
          request.postData() && { body: JSON.parse(request.postData()!) }),
        status: response.status(),
        ...(json(response.headers()['content-type']) && {
          answer: await response.json().catch(() => undefined),
        }),
      }))(),
    );
  });
  return () => Promise.all(pending);
}

/** From the front step of a passport: photograph front and selfie with the fake camera, then send. */
export async function photographPassportAndSend(page: Page): Promise<void> {
  await waitForHeading(page, /^Front of your document$/);
  await takePhoto(page);
  await waitForHeading(page, /^Take a selfie$/);
  await takePhoto(page);
  await waitForHeading(page, /^Check your photos$/);
  await clickButton(page, /^Send for verification$/);
}
