// One place that finds the browser for every test runner: CHROME_PATH, else Debian's chromium.
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** @returns {string} */
export function chromiumPath() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) fail(`CHROME_PATH=${fromEnv} does not exist.`);
    return fromEnv;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) fail('No Chromium found.');
  return /** @type {string} */ (found);
}

/** @param {string} why @returns {never} */
function fail(why) {
  console.error(`${why} Browser tests need Chromium: on Debian run "apt-get install -y chromium", or set CHROME_PATH to a Chrome/Chromium binary.`);
  process.exit(1);
}
