/**
 * "The first screen needs exactly one script": holds back every lazy chunk (`/chunks/….js`) a page asks
 * for until released, so a test can check that the element's first view renders with the entry alone.
 * Chunks fetched early on purpose (views prefetched while the user reads the intro) are fine: they
 * are held, and the first view must not wait for them.
 */
import type { HTTPRequest, Page } from 'puppeteer-core';

export interface HeldChunks {
  /** Paths of the chunks asked for and held so far. */
  held(): string[];
  /** Lets the held chunks (and every later one) through. */
  release(): Promise<void>;
}

/** Call before navigating. */
export async function holdChunks(page: Page): Promise<HeldChunks> {
  await page.setRequestInterception(true);
  let holding = true;
  const held: HTTPRequest[] = [];
  page.on('request', (request) => {
    if (request.isInterceptResolutionHandled()) return;
    if (holding && /\/chunks\/[^/]+\.js$/.test(new URL(request.url()).pathname)) held.push(request);
    else void request.continue().catch(() => undefined); // the page may be gone
  });
  return {
    held: () => held.map((request) => new URL(request.url()).pathname),
    async release() {
      holding = false;
      await Promise.all(held.map((request) => request.continue().catch(() => undefined)));
    },
  };
}
