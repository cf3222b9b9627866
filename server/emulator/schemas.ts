/** zod schemas shared by the routes that accept callback settings. */
import { z } from 'zod';

/** An absolute http(s) URL. */
export const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'expected an absolute http(s) URL');

/** A value that can be sent as an HTTP header (no control characters, so no header injection). */
export const headerValue = z
  .string()
  .max(4096)
  .regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'must be a valid HTTP header value (no line breaks or control characters)');
