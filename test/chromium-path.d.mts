/** Path of the Chromium binary the browser tests drive (CHROME_PATH, else Debian's); exits with a hint if none. */
export function chromiumPath(): string;
