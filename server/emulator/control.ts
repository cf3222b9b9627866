/**
 * Sandbox control routes (docs/emulator.md; never part of the real API, no bearer token needed):
 * outcome and delay of new processes and of one process, fault rules, the older callback switches,
 * the Assure Events target, and a reset.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { FINAL_STATUSES, isFinal } from '../statuses.ts';
import { readJson, validate } from './body.ts';
import type { EmulatorDeps } from './context.ts';
import { faultRulesSchema, type FaultRule } from './faults.ts';
import { checkEventsTarget, type EventsTarget } from './options.ts';
import { notFound, problem } from './problem.ts';

const outcomeSchema = z.strictObject({
  status: z.enum(FINAL_STATUSES),
  // Capped so that setTimeout never overflows; an hour is plenty for a sandbox.
  delayMs: z.number().int().min(0).max(3_600_000).optional(),
});

const callbacksSchema = z.strictObject({
  drop: z.boolean().optional(),
  duplicate: z.boolean().optional(),
});

const eventsSchema = z.strictObject({ url: z.string(), secret: z.string().optional() });

/** The events target as shown: never the secret, only whether payloads are signed. */
const eventsView = (target: EventsTarget | undefined) =>
  target ? { url: target.url, signed: target.secret !== undefined } : { url: null, signed: false };

export function createControlRouter({ state, engine, faults, options }: EmulatorDeps): Hono {
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

  router.get('/faults', (c) => c.json({ rules: faults.list() }));

  /** Replaces every rule (docs/emulator.md, "Fault rules"). */
  router.put('/faults', async (c) => {
    const { rules } = validate(faultRulesSchema, await readJson(c));
    faults.set(rules as FaultRule[]);
    return c.json({ rules: faults.list() });
  });

  router.delete('/faults', (c) => {
    faults.clear();
    return c.body(null, 204);
  });

  router.get('/callbacks', (c) => c.json(state.callbackFaults));

  /** The older switches for notificationUrl callbacks (kept working): omitted flags are false. */
  router.put('/callbacks', async (c) => {
    const switches = validate(callbacksSchema, await readJson(c));
    state.callbackFaults = { drop: switches.drop ?? false, duplicate: switches.duplicate ?? false };
    return c.json(state.callbackFaults);
  });

  router.get('/events', (c) => c.json(eventsView(engine.eventsTarget())));

  /** Where Assure Events go from now on, signed with `secret` when given. */
  router.put('/events', async (c) => {
    const input = validate(eventsSchema, await readJson(c));
    try {
      state.eventsTarget = checkEventsTarget(input, 'PUT /control/events');
    } catch (error) {
      throw problem(
        400,
        'Invalid request body.',
        error instanceof Error ? error.message : String(error),
      );
    }
    return c.json(eventsView(engine.eventsTarget()));
  });

  /** No events from now on (also when the options named a target). */
  router.delete('/events', (c) => {
    state.eventsTarget = null;
    return c.body(null, 204);
  });

  /** Restores the default outcome, delay, callback switches, fault rules and events target; data is kept. */
  router.post('/reset', (c) => {
    state.resetControls();
    faults.clear();
    return c.json({
      outcome: currentOutcome(),
      callbacks: state.callbackFaults,
      faults: faults.list(),
      events: eventsView(engine.eventsTarget()),
    });
  });

  return router;
}
