/**
 * Sandbox control routes (interfaces.md §4; never part of the real API, no bearer token needed):
 * outcome and delay of new processes, of one process, callback faults, and a reset.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { FINAL_STATUSES, isFinal } from '../statuses.ts';
import { readJson, validate } from './body.ts';
import type { EmulatorDeps } from './context.ts';
import { notFound, problem } from './problem.ts';

const outcomeSchema = z.strictObject({
  status: z.enum(FINAL_STATUSES),
  // Capped so that setTimeout never overflows; an hour is plenty for a sandbox.
  delayMs: z.number().int().min(0).max(3_600_000).optional(),
});

const callbacksSchema = z.strictObject({ drop: z.boolean().optional(), duplicate: z.boolean().optional() });

export function createControlRouter({ state, engine, options }: EmulatorDeps): Hono {
  const router = new Hono();
  const currentOutcome = () => ({
    status: state.outcome?.status ?? options.defaultOutcome,
    delayMs: state.outcome?.delayMs ?? options.processingDelayMs,
  });

  router.get('/outcome', (c) => c.json(currentOutcome()));

  /** Replaces the setting: an omitted `delayMs` means the configured default delay. */
  router.put('/outcome', async (c) => {
    state.outcome = validate(outcomeSchema, await readJson(c));
    return c.json(currentOutcome());
  });

  router.get('/processes/:processId', (c) => {
    const processId = c.req.param('processId');
    if (!state.processes.has(processId)) throw notFound(`Process ${processId}`);
    return c.json({ processId, ...state.processOutcomes.get(processId) });
  });

  /** Also reaches a process that is already processing (an omitted `delayMs` keeps its timer). */
  router.put('/processes/:processId', async (c) => {
    const processId = c.req.param('processId');
    const process = state.processes.get(processId);
    if (!process) throw notFound(`Process ${processId}`);
    const setting = validate(outcomeSchema, await readJson(c));
    if (isFinal(process.status)) {
      throw problem(409, 'Conflict.', `The process is already ${process.status}.`);
    }
    state.processOutcomes.set(processId, setting);
    engine.reschedule(process, setting);
    return c.json({ processId, ...setting });
  });

  router.get('/callbacks', (c) => c.json(state.callbackFaults));

  /** Replaces the setting: omitted flags are false. */
  router.put('/callbacks', async (c) => {
    const faults = validate(callbacksSchema, await readJson(c));
    state.callbackFaults = { drop: faults.drop ?? false, duplicate: faults.duplicate ?? false };
    return c.json(state.callbackFaults);
  });

  /** Restores the default outcome, delay and callback behaviour; data is kept. */
  router.post('/reset', (c) => {
    state.resetControls();
    return c.json({ outcome: currentOutcome(), callbacks: state.callbackFaults });
  });

  return router;
}
