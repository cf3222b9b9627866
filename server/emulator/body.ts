/**
 * JSON request bodies. Assure accepts an empty body on several routes, and every failure must be a
 * problem body, so this stays a small helper instead of the generic validator middleware.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { problem } from './problem.ts';

/** Parses the body as JSON; an empty body gives `undefined`. Malformed JSON → 400 problem. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw problem(400, 'Malformed JSON.', 'The request body is not valid JSON.');
  }
}

/** Validates against a zod schema; the first issue becomes the 400 problem's detail. */
export function validate<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw problem(400, 'Invalid request body.', `${path}${issue.message}`);
}

/** A JSON object body (an empty body counts as `{}`). */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const value = (await readJson(c)) ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw problem(400, 'Invalid request body.', 'Expected a JSON object.');
  }
  return value as Record<string, unknown>;
}
