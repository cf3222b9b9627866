/**
 * Problem bodies shaped as the spec's `StandardException*` schemas (`instance, method, status, type,
 * title, detail, traceId`). Handlers throw {@link problem};
 * the app's single `onError` turns it into JSON with the request's path and method.
 */
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { traceId } from './ids.ts';

export interface ProblemBody {
  instance: string;
  method: string;
  status: number;
  type: 'base:client-problem' | 'base:server-problem';
  title: string;
  detail: string;
  traceId: string;
}

/** An error that the emulator answers as a problem body with `status`. */
export class ProblemException extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly title: string,
    readonly detail: string,
    readonly headers?: Record<string, string>,
  ) {
    super(status, { message: title });
  }
}

/** Builds (for `throw`) a problem with a short `title` and a `detail` that says what to fix. */
export function problem(
  status: ContentfulStatusCode,
  title: string,
  detail: string = title,
  headers?: Record<string, string>,
): ProblemException {
  return new ProblemException(status, title, detail, headers);
}

export function problemBody(
  status: number,
  title: string,
  detail: string,
  instance: string,
  method: string,
): ProblemBody {
  return {
    instance,
    method,
    status,
    type: status >= 500 ? 'base:server-problem' : 'base:client-problem',
    title,
    detail,
    traceId: traceId(),
  };
}

/** Shorthand for the most common answer. */
export const notFound = (what: string): ProblemException =>
  problem(404, 'Not found.', `${what} was not found.`);
