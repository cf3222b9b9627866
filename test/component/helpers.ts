import { waitUntil } from '@open-wc/testing';
import { SignicatVerifyElement } from '../../component/signicat-verify.js';

/** Short delays so retry and polling tests run fast. */
export function fastTiming(): () => void {
  const saved = { ...SignicatVerifyElement.timing };
  Object.assign(SignicatVerifyElement.timing, {
    retryBaseMs: 10,
    pollMinMs: 20,
    pollMaxMs: 80,
    slowPollMs: 5000,
  });
  return () => Object.assign(SignicatVerifyElement.timing, saved);
}

export function root(el: HTMLElement): ShadowRoot {
  return el.shadowRoot!;
}

export function headingText(el: HTMLElement): string {
  return root(el).querySelector('#heading')?.textContent?.trim() ?? '';
}

export function findButton(el: HTMLElement, text: string | RegExp): HTMLButtonElement | undefined {
  return [...root(el).querySelectorAll('button')].find((b) => {
    // The accessible name, as a screen-reader user would find the button.
    const label = (b.getAttribute('aria-label') ?? b.textContent!).replace(/\s+/g, ' ').trim();
    return typeof text === 'string' ? label === text : text.test(label);
  });
}

export async function waitForHeading(
  el: HTMLElement,
  text: string | RegExp,
  message?: string,
): Promise<void> {
  await waitUntil(
    () => (typeof text === 'string' ? headingText(el) === text : text.test(headingText(el))),
    message ?? `heading "${String(text)}" (now "${headingText(el)}")`,
    { timeout: 5000 },
  );
}

export async function click(el: HTMLElement, text: string | RegExp): Promise<void> {
  await waitUntil(
    () => {
      const b = findButton(el, text);
      return b && !b.disabled;
    },
    `enabled button "${String(text)}"`,
    { timeout: 5000 },
  );
  findButton(el, text)!.click();
}

/** Collects every event of `type` that reaches `target`. */
export function collect<T extends Event>(target: EventTarget, type: string): T[] {
  const seen: T[] = [];
  target.addEventListener(type, (e) => seen.push(e as T));
  return seen;
}

/** A small JPEG made with a canvas. */
export async function makeJpeg(width: number, height: number, fill = '#c33'): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = fill;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, Math.max(1, width / 4), Math.max(1, height / 4));
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
}

/** Puts a file into the capture step's file input and fires `change`, as a user choosing a photo would. */
export function chooseFile(el: HTMLElement, file: File): void {
  const input = root(el).querySelector<HTMLInputElement>('input[type=file]')!;
  const transfer = new DataTransfer();
  transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

export const COUNTRY_HEADING = 'Which country issued your document?';

/** Accepts the preselected issuing country (the default provider, Signicat Paper, asks for it). */
export async function continueCountry(el: HTMLElement): Promise<void> {
  await waitForHeading(el, COUNTRY_HEADING);
  await click(el, 'Continue');
}

/** The country step's text box. */
export function countryInput(el: HTMLElement): HTMLInputElement {
  return root(el).querySelector<HTMLInputElement>('input[role=combobox]')!;
}

/** On a capture step: switches to the file picker if needed, chooses a photo and accepts it. */
export async function photoByPicker(el: HTMLElement, heading: string): Promise<void> {
  // A file for the selfie too: by default the element takes it from the live camera only.
  el.setAttribute('allow-selfie-upload', '');
  await waitForHeading(el, heading);
  if (!root(el).querySelector('input[type=file]')) await click(el, 'Upload a photo instead');
  await waitUntil(() => root(el).querySelector('input[type=file]'), 'file input');
  chooseFile(el, new File([await makeJpeg(64, 40)], 'photo.jpg', { type: 'image/jpeg' }));
  // A 64×40 still is judged too small to read: the element offers "Use it anyway" instead.
  await click(el, /^(Use this photo|Use it anyway)$/);
}
