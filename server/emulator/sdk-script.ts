/**
 * Source of `GET /provider-sdk/sdk.js`, a tiny stand-in for a provider's web SDK (path D1) that a
 * demo page can load instead of, say, Onfido's. Kept as a string so the emulator needs no files at
 * runtime. Plain ES2020, no dependencies, no template literals (it lives inside one).
 */
export const PROVIDER_SDK_SCRIPT = `/**
 * Sandbox provider SDK (served by the Signicat Assure API emulator; not a real provider SDK).
 *
 * Stands in for a provider's own web SDK on integration path D1: it "captures" synthetic images
 * (a drawn ID document, front and back, and a face-like selfie, encoded as JPEG) and uploads them
 * the way the provider's SDK would, authorised by the process's \`authorization\` token.
 *
 *   import { capture } from 'https://<emulator>/provider-sdk/sdk.js';
 *   await capture({ token, provider: 'onfido', onComplete: (r) => ..., onError: (e) => ... });
 *
 * Options: token (required), provider (required), uploadUrl (default: next to this script),
 * sides (default ['front', 'back', 'selfie']), onComplete(result), onError(error).
 * Returns a promise of { provider, sides }; it rejects on failure unless onError is given.
 */
const BASE = new URL('./', import.meta.url);

function makeCanvas(width, height) {
  if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

function drawDocument(side) {
  const canvas = makeCanvas(640, 404);
  const g = canvas.getContext('2d');
  g.fillStyle = side === 'front' ? '#dfe9f5' : '#e8efe0';
  g.fillRect(0, 0, 640, 404);
  g.fillStyle = '#2b4acb';
  g.fillRect(0, 0, 640, 56);
  g.fillStyle = '#ffffff';
  g.font = 'bold 26px sans-serif';
  g.fillText('SANDBOX IDENTITY CARD', 24, 38);
  g.fillStyle = '#1d2433';
  g.font = '20px monospace';
  if (side === 'front') {
    g.fillStyle = '#b8c0cc';
    g.fillRect(24, 80, 150, 190);
    g.fillStyle = '#1d2433';
    const lines = ['SURNAME  SANDBOX NORDMANN', 'GIVEN    KARI', 'BORN     29.04.1990', 'EXPIRES  08.07.2031', 'NO.      SB1234567'];
    lines.forEach(function (line, i) { g.fillText(line, 196, 110 + i * 34); });
  } else {
    g.fillText('ISSUED BY SANDBOX POLICE', 24, 110);
    g.font = '22px monospace';
    g.fillText('IDNORSB12345670<<<<<<<<<<<<<<<', 24, 300);
    g.fillText('9004296F3107088NOR<<<<<<<<<<<2', 24, 334);
    g.fillText('SANDBOX<NORDMANN<<KARI<<<<<<<<', 24, 368);
  }
  return canvas;
}

function drawSelfie() {
  const canvas = makeCanvas(480, 640);
  const g = canvas.getContext('2d');
  g.fillStyle = '#c9d6e3';
  g.fillRect(0, 0, 480, 640);
  g.fillStyle = '#e0b48f';
  g.beginPath();
  g.ellipse(240, 300, 130, 170, 0, 0, Math.PI * 2);
  g.fill();
  g.fillStyle = '#1d2433';
  [190, 290].forEach(function (x) { g.beginPath(); g.arc(x, 270, 14, 0, Math.PI * 2); g.fill(); });
  g.lineWidth = 8;
  g.strokeStyle = '#8a3b3b';
  g.beginPath();
  g.arc(240, 350, 50, 0.15 * Math.PI, 0.85 * Math.PI);
  g.stroke();
  return canvas;
}

function toJpegDataUrl(canvas) {
  if (typeof canvas.convertToBlob !== 'function') return Promise.resolve(canvas.toDataURL('image/jpeg', 0.85));
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 }).then(function (blob) {
    return new Promise(function (resolve, reject) {
      const reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsDataURL(blob);
    });
  });
}

export async function capture(options) {
  const opts = options || {};
  try {
    if (!opts.token || !opts.provider) throw new Error('capture: token and provider are required');
    const sides = opts.sides || ['front', 'back', 'selfie'];
    const images = {};
    for (const side of sides) images[side] = await toJpegDataUrl(side === 'selfie' ? drawSelfie() : drawDocument(side));
    const url = opts.uploadUrl || new URL(encodeURIComponent(opts.provider) + '/images', BASE).href;
    const response = await fetch(url, {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + opts.token, 'Content-Type': 'application/json' },
      body: JSON.stringify(images),
    });
    if (response.status !== 204) {
      let detail = '';
      try { detail = (await response.json()).detail || ''; } catch (ignored) { /* not JSON */ }
      throw new Error('Upload failed: HTTP ' + response.status + (detail ? ': ' + detail : ''));
    }
    const result = { provider: opts.provider, sides: sides };
    if (opts.onComplete) opts.onComplete(result);
    return result;
  } catch (error) {
    if (opts.onError) { opts.onError(error); return undefined; }
    throw error;
  }
}
`;
