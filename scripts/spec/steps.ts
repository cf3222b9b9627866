/** Small helpers the drivers share: labelled steps that record failures instead of stopping, and waiting. */
import { AssureError } from '../../server/assure/types.ts';
import type { Recorder } from './record.ts';

/** Something a driver could not do (a flow that broke), as opposed to an exchange that broke the spec. */
export interface FlowProblem {
  step: string;
  problem: string;
}

export interface Steps {
  recorder: Recorder;
  problems: FlowProblem[];
  /** Runs `work` with its exchanges labelled `label`; a throw becomes a flow problem and `undefined`. */
  run<T>(label: string, work: () => Promise<T>): Promise<T | undefined>;
  /** Runs `work`, which must fail with an AssureError whose upstream status is `status`. */
  expectStatus(label: string, status: number, work: () => Promise<unknown>): Promise<void>;
  fail(label: string, problem: string): void;
}

export function createSteps(recorder: Recorder): Steps {
  const problems: FlowProblem[] = [];
  const steps: Steps = {
    recorder,
    problems,
    async run(label, work) {
      recorder.label(label);
      try {
        return await work();
      } catch (error) {
        problems.push({ step: label, problem: describe(error) });
        return undefined;
      } finally {
        recorder.label(undefined);
      }
    },
    async expectStatus(label, status, work) {
      recorder.label(label);
      try {
        await work();
        problems.push({
          step: label,
          problem: `expected Assure to answer ${status}, the call succeeded`,
        });
      } catch (error) {
        if (!(error instanceof AssureError) || error.upstreamStatus !== status) {
          problems.push({
            step: label,
            problem: `expected Assure to answer ${status}, got ${describe(error)}`,
          });
        }
      } finally {
        recorder.label(undefined);
      }
    },
    fail(label, problem) {
      problems.push({ step: label, problem });
    },
  };
  return steps;
}

/** Polls `check` every 25 ms until it returns a value other than undefined/false, or throws after `ms`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  ms = 10_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function describe(error: unknown): string {
  if (error instanceof AssureError) {
    return `${error.code}${error.upstreamStatus !== undefined ? ` (Assure ${error.upstreamStatus})` : ''}: ${error.message}`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
