/**
 * Validates a JSON request body with a zod schema. Refuses other media types with 415 first: Hono's
 * validator would otherwise treat a text/plain body as `{}`, and defaults would fill it in silently.
 */
import { zValidator } from '@hono/zod-validator';
import type { MiddlewareHandler } from 'hono';
import type { ZodType } from 'zod';
import { ApiError } from '../errors.ts';

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

export function requireJson(): MiddlewareHandler {
  return async function requireJson(c, next) {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim();
    if (!JSON_TYPE.test(type))
      throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.');
    await next();
  };
}

export function jsonBody<T extends ZodType>(schema: T) {
  return zValidator('json', schema, (result) => {
    if (!result.success) {
      const issues = result.error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
        .join('; ');
      throw new ApiError(400, 'invalid_request', `The request body is not valid (${issues}).`);
    }
  });
}
