/**
 * getAllProcess: `GET /assure/processes` answers `ListAllProcesses {processes: ProcessWithDossierNode[],
 * filters, totalResults}` for the processes created in the last 30 days (and not deleted), filtered by
 * creation date and status, paged with offset and limit, newest first unless asked otherwise.
 */
import { Hono } from 'hono';
import { STATUSES } from '../statuses.ts';
import type { EmulatorDeps } from './context.ts';
import { problem } from './problem.ts';
import type { ProcessRecord } from './state.ts';
import { processWithDossier } from './views.ts';

const RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const ORDERS = ['createdAtDescending', 'createdAtAscending'] as const;

const badRequest = (detail: string) => problem(400, 'Bad Request.', detail);

function date(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = ISO_8601.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw badRequest(
      `${name} must be an ISO-8601 date and time with UTC, e.g. 2022-01-01T09:00:00Z.`,
    );
  return ms;
}

function integer(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const number = /^-?\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < min || number > max)
    throw badRequest(`${name} must be an integer from ${min} to ${max}.`);
  return number;
}

/** `status` may repeat (`?status=a&status=b`) or list values comma-separated, as Spring binds arrays. */
function statuses(values: string[] | undefined): string[] {
  const list = [
    ...new Set(
      (values ?? [])
        .flatMap((value) => value.split(','))
        .map((value) => value.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = list.filter((status) => !(STATUSES as readonly string[]).includes(status));
  if (unknown.length > 0)
    throw badRequest(
      `status must be valid: ${unknown.join(', ')} is not one of ${STATUSES.join(', ')}.`,
    );
  return list;
}

/** The createdAt the API shows has whole seconds; filter on that. */
const shownCreatedAt = (process: ProcessRecord) => Math.floor(process.createdAt / 1000) * 1000;

/** Mounted at `/assure/processes`. */
export function createListProcessesRouter({ state, faults, options }: EmulatorDeps): Hono {
  const router = new Hono();
  // getAllProcess: Get list of processes
  router.get('/', faults.middleware('listProcesses'), (c) => {
    const startText = c.req.query('startCreationDate');
    if (startText === undefined || startText === '')
      throw badRequest('startCreationDate is required.');
    const endText = c.req.query('endCreationDate') || undefined;
    const start = date('startCreationDate', startText)!;
    const end = date('endCreationDate', endText);
    if (end !== undefined && start > end)
      throw badRequest('startCreationDate should be <= endCreationDate.');
    const statusList = statuses(c.req.queries('status'));
    const offset = integer('offset', c.req.query('offset'), 0, 200_000, 0);
    const limit = integer('limit', c.req.query('limit'), 1, 2000, 100);
    const order = c.req.query('order') ?? 'createdAtDescending';
    if (!(ORDERS as readonly string[]).includes(order))
      throw badRequest(`order must be ${ORDERS.join(' or ')}.`);

    const oldest = options.now() - RETENTION_MS;
    const matching = [...state.processes.values()]
      .filter((process) => {
        const createdAt = shownCreatedAt(process);
        return (
          process.createdAt >= oldest &&
          createdAt >= start &&
          (end === undefined || createdAt <= end) &&
          (statusList.length === 0 || statusList.includes(process.status))
        );
      })
      .sort((a, b) => a.createdAt - b.createdAt || a.sequence - b.sequence);
    if (order === 'createdAtDescending') matching.reverse();

    return c.json({
      processes: matching
        .slice(offset, offset + limit)
        .map((process) => processWithDossier(process, state.dossiers.get(process.dossierId))),
      filters: {
        startCreationDate: startText,
        ...(endText !== undefined && { endCreationDate: endText }),
        ...(statusList.length > 0 && { statusList }),
        offset,
        limit,
        order,
      },
      totalResults: matching.length,
    });
  });
  return router;
}
