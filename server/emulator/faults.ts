/**
 * Fault injection (docs/emulator.md, `PUT /control/faults`): rules that make an operation answer an
 * error status, wait first, or (for the emulator's own deliveries) drop or duplicate a delivery, for
 * the next `times` calls or for good. Rules are checked in order; the first live rule for an
 * operation applies to a call. API operations are counted after the bearer check, so only calls that
 * reach the operation use a rule up.
 */
import type { MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { ResolvedOptions } from './options.ts';
import { problem } from './problem.ts';

/** The operations rules can target: Assure operations (spec operationId in brackets in the docs) and deliveries. */
export const FAULT_OPERATIONS = [
  'token',
  'createDossier',
  'getDossier',
  'deleteDossier',
  'createProcess',
  'setImages',
  'startVerification',
  'getProcess',
  'listProcesses',
  'failProcess',
  'download',
  'startCapture',
  'documentTypes',
  'callback',
  'event',
] as const;
export type FaultOperation = (typeof FAULT_OPERATIONS)[number];

/** The emulator's own outgoing deliveries: `status` 0 drops one, `duplicate` sends it twice. */
const DELIVERIES: readonly FaultOperation[] = ['callback', 'event'];
/** Operations whose real counterpart answers an empty 204 (Download before the zip is ready; no document types). */
const MAY_ANSWER_204: readonly FaultOperation[] = ['download', 'documentTypes'];

export interface FaultRule {
  operation: FaultOperation;
  /** HTTP status to answer (a problem body; 204 only for download/documentTypes); 0 drops a delivery. */
  status?: number;
  /** Seconds, sent as `Retry-After` with the status. */
  retryAfter?: number;
  /** Wait this long before answering (or before delivering). */
  delayMs?: number;
  /** The rule applies to this many calls, then is gone; absent: always. */
  times?: number;
  /** Deliveries only: send it twice (same body, same event id). */
  duplicate?: boolean;
}

const ruleSchema = z
  .strictObject({
    operation: z.enum(FAULT_OPERATIONS),
    status: z.number().int().min(0).max(599).optional(),
    retryAfter: z.number().int().min(0).max(86_400).optional(),
    // Capped so that setTimeout never overflows and a forgotten rule cannot hang a test for long.
    delayMs: z.number().int().min(0).max(600_000).optional(),
    times: z.number().int().min(1).max(1_000_000).optional(),
    duplicate: z.boolean().optional(),
  })
  .superRefine((rule, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: 'custom', message });
    const delivery = DELIVERIES.includes(rule.operation);
    if (rule.status === undefined && rule.delayMs === undefined && rule.duplicate !== true) {
      issue('a rule needs status, delayMs or duplicate');
    }
    if (delivery) {
      if (rule.status !== undefined && rule.status !== 0)
        issue(`${rule.operation}: status can only be 0 (drop the delivery)`);
      if (rule.retryAfter !== undefined)
        issue(`${rule.operation}: retryAfter applies to API operations only`);
      return;
    }
    if (rule.duplicate !== undefined)
      issue(`${rule.operation}: duplicate applies to callback and event only`);
    if (rule.status !== undefined) {
      const empty = rule.status === 204 && MAY_ANSWER_204.includes(rule.operation);
      if (!empty && (rule.status < 400 || rule.status > 599)) {
        issue(
          `${rule.operation}: status must be 400 to 599${MAY_ANSWER_204.includes(rule.operation) ? ', or 204' : ''}`,
        );
      }
    }
    if (rule.retryAfter !== undefined && (rule.status === undefined || rule.status < 400)) {
      issue('retryAfter needs an error status');
    }
  });

export const faultRulesSchema = z.strictObject({ rules: z.array(ruleSchema).max(100) });

const TITLES: Record<number, string> = {
  429: 'Too Many Requests.',
  500: 'Internal Server Error.',
  502: 'Bad Gateway.',
  503: 'Service Unavailable.',
  504: 'Gateway Timeout.',
};

interface LiveRule {
  rule: FaultRule;
  remaining: number | undefined;
}

type FaultOptions = Pick<ResolvedOptions, 'log'>;

export class FaultInjector {
  readonly #options: FaultOptions;
  #rules: LiveRule[] = [];
  readonly #sleeps = new Map<ReturnType<typeof setTimeout>, () => void>();

  constructor(options: FaultOptions) {
    this.#options = options;
  }

  /** Replaces every rule. Throws a TypeError naming the problem when a rule is invalid. */
  set(rules: readonly FaultRule[]): void {
    const parsed = faultRulesSchema.safeParse({ rules });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new TypeError(
        `fault rules: ${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`,
      );
    }
    this.#rules = parsed.data.rules.map((rule) => ({
      rule: rule as FaultRule,
      remaining: rule.times,
    }));
  }

  clear(): void {
    this.#rules = [];
  }

  /** The live rules; `times` is what is left of each. */
  list(): FaultRule[] {
    return this.#rules.map(({ rule, remaining }) => {
      const { times: _times, ...rest } = rule;
      return remaining === undefined ? rest : { ...rest, times: remaining };
    });
  }

  /** The rule for this call of `operation`, if any, counting it against `times`. */
  take(operation: FaultOperation): FaultRule | undefined {
    const index = this.#rules.findIndex(({ rule }) => rule.operation === operation);
    if (index < 0) return undefined;
    const live = this.#rules[index]!;
    if (live.remaining !== undefined && --live.remaining <= 0) this.#rules.splice(index, 1);
    const { rule } = live;
    this.#options.log({
      type: 'fault.applied',
      operation,
      ...(rule.status !== undefined && { status: rule.status }),
      ...(rule.delayMs !== undefined && { delayMs: rule.delayMs }),
      ...(rule.duplicate && { duplicate: true }),
    });
    return rule;
  }

  /** Route middleware: applies the next rule of `operation` (delay, then status) or passes through. */
  middleware(operation: FaultOperation): MiddlewareHandler {
    return async (c, next) => {
      const rule = this.take(operation);
      if (rule?.delayMs) await this.sleep(rule.delayMs);
      if (rule?.status === undefined) return next();
      if (rule.status === 204) return c.body(null, 204);
      throw problem(
        rule.status as ContentfulStatusCode,
        TITLES[rule.status] ?? 'Injected fault.',
        `Sandbox fault injection answered ${rule.status} for ${operation}.`,
        rule.retryAfter === undefined ? undefined : { 'Retry-After': String(rule.retryAfter) },
      );
    };
  }

  /** A wait that `close()` cuts short, so a delayed request never keeps the process alive. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#sleeps.delete(timer);
        resolve();
      }, ms);
      this.#sleeps.set(timer, resolve);
    });
  }

  close(): void {
    for (const [timer, resolve] of this.#sleeps) {
      clearTimeout(timer);
      resolve();
    }
    this.#sleeps.clear();
  }
}
