/** Path of the Chromium binary the browser tests drive (CHROME_PATH, else Debian's); exits with a hint if none. */
export function chromiumPath(): string;
/** Headless Chromium flags for tests, with a fake camera; `camera: false` refuses the permission. */
export function chromiumArgs(options?: { fakeVideo?: string; camera?: boolean }): string[];
