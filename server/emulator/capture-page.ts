/**
 * HTML of the emulator's stand-in for Signicat's hosted capture page. Plain forms, no script and no
 * inline styles, so it works without JavaScript and under a strict CSP (`style-src 'self'`).
 */

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export interface CapturePageModel {
  providerName: string;
  processType?: string;
  /** Host the end-user returns to, shown so they know where the buttons lead. */
  returnHost: string;
}

/** The capture page; the form posts to the page's own URL, the stylesheet sits next to it. */
export function capturePage({ providerName, processType, returnHost }: CapturePageModel): string {
  const flavour = processType ? ` (${escapeHtml(processType)})` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Verify your identity · Signicat Assure sandbox</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<main class="card">
<p class="badge">Sandbox · Assure API emulator</p>
<h1>Verify your identity</h1>
<p class="provider">Capture with <strong>${escapeHtml(providerName)}</strong>${flavour}</p>
<p>On Signicat's hosted capture page you would now photograph your ID document and take a selfie.
This sandbox stand-in uses no camera: choose how the capture ends. You will then return to
<strong>${escapeHtml(returnHost)}</strong>.</p>
<form method="post">
<button type="submit" name="action" value="complete" class="primary">Submit</button>
<button type="submit" name="action" value="cancel">Cancel</button>
<button type="submit" name="action" value="fail" class="danger">Simulate a failure</button>
</form>
<p class="note">Submit starts verification (status <code>processing</code>); the final status follows after the
configured delay. Cancel ends with <code>canceled</code>, failure with <code>failed</code>.</p>
</main>
</body>
</html>
`;
}

/** A small page for used, unknown or finished capture links. */
export function captureMessagePage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Signicat Assure sandbox</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<main class="card">
<p class="badge">Sandbox · Assure API emulator</p>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
</main>
</body>
</html>
`;
}

export const CAPTURE_PAGE_CSS = `:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #eef1f5; color: #1d2433; }
.card { max-width: 32rem; margin: 1rem; padding: 2rem; background: #fff; border-radius: 12px;
  box-shadow: 0 4px 24px rgb(0 0 0 / 0.08); line-height: 1.5; }
.badge { display: inline-block; margin: 0; padding: 0.15rem 0.6rem; border-radius: 999px; background: #fff4d6;
  color: #6b4e00; font-size: 0.8rem; }
h1 { margin: 0.75rem 0 0.25rem; font-size: 1.5rem; }
.provider { margin-top: 0; color: #4a5468; }
form { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 1.5rem 0; }
button { font: inherit; padding: 0.6rem 1.2rem; border-radius: 8px; border: 1px solid #b8c0cc; background: #fff;
  color: inherit; cursor: pointer; }
button:focus-visible { outline: 3px solid #3b6cf6; outline-offset: 2px; }
button.primary { background: #2b4acb; border-color: #2b4acb; color: #fff; }
button.danger { border-color: #c43d3d; color: #a12b2b; }
.note { font-size: 0.85rem; color: #5b6477; }
@media (prefers-color-scheme: dark) {
  body { background: #151922; color: #e6e9ef; }
  .card { background: #1f2430; }
  .provider, .note { color: #aab2c2; }
  button { background: #1f2430; border-color: #4a5366; }
  button.danger { color: #ff8b8b; }
}
`;
