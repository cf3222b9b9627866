/** zod schemas and checks shared by the routes. */
import { z } from 'zod';
import { httpUrlOrUndefined } from './options.ts';

/** An absolute http(s) URL (the capture flow's `redirectUrl`: the emulator must be able to send the browser there). */
export const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => httpUrlOrUndefined(value) !== undefined, 'expected an absolute http(s) URL');

/** A value that can be sent as an HTTP header (no control characters, so no header injection). */
export function headerValueOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' &&
    value.length <= 4096 &&
    /^[\t\x20-\x7e\x80-\xff]*$/.test(value)
    ? value
    : undefined;
}

/**
 * The legacy per-process callback settings of the older integration guide. The spec has neither field,
 * so, like a Spring API ignoring unknown properties, unusable values are dropped instead of refused.
 */
export function legacyCallbackFields(input: Record<string, unknown>): {
  notificationUrl?: string;
  authorizationHeader?: string;
} {
  const notificationUrl = httpUrlOrUndefined(input['notificationUrl']);
  const authorizationHeader = headerValueOrUndefined(input['authorizationHeader']);
  return {
    ...(notificationUrl !== undefined && { notificationUrl }),
    ...(notificationUrl !== undefined &&
      authorizationHeader !== undefined && { authorizationHeader }),
  };
}
