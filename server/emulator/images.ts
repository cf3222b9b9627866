/**
 * Image checks of setImages (`UploadImageRequest`: "dataURL format", "jpg/png"): base64 dataURLs of PNG
 * or JPEG, recognised by magic bytes that must match the declared type, at most 4 MiB decoded and 5000 px
 * a side (assumed limits: the spec states them only for the Watermark image).
 */
import {
  inspectImage,
  isImageProblem,
  MAX_IMAGE_BYTES,
  MAX_IMAGE_SIDE,
  type ImageInfo,
  type ImageMime,
} from '../images/inspect.ts';
import { DEPICTIONS, type Depiction } from '../statuses.ts';
import { problem } from './problem.ts';

// The prefix only: one regex over megabytes of base64 was the emulator's largest CPU cost under load.
const DATA_URL_PREFIX = /^data:(image\/[a-z0-9.+-]+);base64,/;
const BASE64_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')
  BASE64_CHAR[c.charCodeAt(0)] = 1;

/** `[A-Za-z0-9+/]*={0,2}` from `start` to the end, as a table scan. */
function isBase64Tail(value: string, start: number): boolean {
  let end = value.length;
  if (end > start && value.charCodeAt(end - 1) === 61) end--;
  if (end > start && value.charCodeAt(end - 1) === 61) end--;
  for (let i = start; i < end; i++) {
    const code = value.charCodeAt(i);
    if (code > 127 || BASE64_CHAR[code] === 0) return false;
  }
  return true;
}

export interface ParsedImage extends ImageInfo {
  bytes: Uint8Array;
}

/**
 * Checks one image as Set images does. Throws a 400 problem naming the depiction.
 * Accepts a dataURL string (the API's wire format).
 */
export function parseImage(depiction: string, value: unknown): ParsedImage {
  const refuse = (reason: string) =>
    problem(400, 'Invalid image.', `The ${depiction} image is invalid: ${reason}.`);
  if (typeof value !== 'string') throw refuse('expected a dataURL string');
  const prefix = DATA_URL_PREFIX.exec(value);
  if (!prefix || !isBase64Tail(value, prefix[0].length))
    throw refuse('expected a base64 dataURL such as data:image/jpeg;base64,...');
  const declared = prefix[1]!;
  if (declared !== 'image/png' && declared !== 'image/jpeg') {
    throw refuse(`${declared} is not supported, only image/png and image/jpeg`);
  }
  const base64 = value.slice(prefix[0].length);
  if (base64.length % 4 !== 0) throw refuse('the base64 data is malformed');
  // Refuse oversized data before decoding it.
  const decodedLength =
    (base64.length / 4) * 3 - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);
  if (decodedLength > MAX_IMAGE_BYTES)
    throw refuse(`it is larger than ${MAX_IMAGE_BYTES} bytes (4 MiB)`);
  if (decodedLength === 0) throw refuse('it is empty');
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  const info = inspectImage(bytes);
  if (isImageProblem(info)) throw refuse(info.reason);
  if (info.mime !== declared)
    throw refuse(`it is declared as ${declared} but the data is ${info.mime}`);
  if (info.width > MAX_IMAGE_SIDE || info.height > MAX_IMAGE_SIDE) {
    throw refuse(
      `it is ${info.width}×${info.height} px; at most ${MAX_IMAGE_SIDE} px a side are allowed`,
    );
  }
  return { ...info, bytes };
}

/**
 * Checks a Set images body (`UploadImageRequest`): an object with at least one of `front`, `back`,
 * `selfie`; other keys are ignored, as a Spring API ignores unknown properties. Returns the parsed
 * images, or throws a 400 problem (one bad image refuses the whole call).
 */
export function parseImageSet(body: unknown): Partial<Record<Depiction, ParsedImage>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw problem(
      400,
      'Invalid request body.',
      'Expected a JSON object with front, back and/or selfie dataURLs.',
    );
  }
  const record = body as Record<string, unknown>;
  const depictions = DEPICTIONS.filter(
    (depiction) => Object.hasOwn(record, depiction) && record[depiction] !== null,
  );
  if (depictions.length === 0)
    throw problem(
      400,
      'Invalid request body.',
      'At least one of front, back or selfie is required.',
    );
  const images: Partial<Record<Depiction, ParsedImage>> = {};
  for (const depiction of depictions) images[depiction] = parseImage(depiction, record[depiction]);
  return images;
}

export { MAX_IMAGE_BYTES, MAX_IMAGE_SIDE, type ImageMime };
