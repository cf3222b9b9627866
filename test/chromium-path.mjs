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

/**
 * Flags for headless Chromium in tests: no network chatter on this closed machine, root-safe, and a
 * fake camera. `camera: false` refuses the permission (a user who clicked "Block").
 * @param {{ fakeVideo?: string, camera?: boolean }} [options]
 * @returns {string[]}
 */
export function chromiumArgs({ fakeVideo, camera = true } = {}) {
  return [
    '--no-sandbox', // needed as root
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    '--use-fake-device-for-media-stream',
    camera ? '--use-fake-ui-for-media-stream' : '--deny-permission-prompts',
    ...(fakeVideo ? [`--use-file-for-fake-video-capture=${fakeVideo}`] : []),
  ];
}

/** @param {string} why @returns {never} */
function fail(why) {
  console.error(
    `${why} Browser tests need Chromium: on Debian run "apt-get install -y chromium", or set CHROME_PATH to a Chrome/Chromium binary.`,
  );
  process.exit(1);
}
