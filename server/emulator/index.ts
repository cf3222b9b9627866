/**
 * @module
 * Signicat Assure API emulator: the paths, status codes and JSON shapes of Signicat's OpenAPI
 * description of the Assure API wherever it speaks (docs/emulator.md lists each route's operationId
 * and every choice made where it is silent), plus sandbox control routes. Serve it on its own with
 * {@link startEmulator} (or `server/emulator/main.ts`), or mount it:
 * `parent.route('/emulator', createEmulator().app)`.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ processingDelayMs: 0 });
 * // … point the proxy at `${emulator.url}` with SANDBOX_CLIENT_ID / SANDBOX_CLIENT_SECRET …
 * await emulator.close();
 * ```
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { basePath } from 'hono/route';
import { listen, type Listening } from '../http/listen.ts';
import { jsonBodyLimit } from '../middleware/body-limit.ts';
import { bearerAuth, createAuthRouter } from './auth.ts';
import { createCaptureFlowRouter, createCapturePageRouter } from './capture.ts';
import { createConfigurationsRouter } from './configurations.ts';
import type { EmulatorDeps } from './context.ts';
import { createControlRouter } from './control.ts';
import { createDocumentTypesRouter } from './document-types.ts';
import { Deliverer } from './delivery.ts';
import { createDossiersRouter } from './dossiers.ts';
import { Engine } from './engine.ts';
import { FaultInjector, type FaultRule } from './faults.ts';
import { MAX_IMAGE_BYTES } from './images.ts';
import { createListProcessesRouter } from './list-processes.ts';
import {
  checkEventsTarget,
  resolveOptions,
  type EmulatorOptions,
  type EventsTarget,
} from './options.ts';
import { problem, problemBody, ProblemException } from './problem.ts';
import { createProcessesRouter } from './processes.ts';
import { createProviderSdkRouter } from './provider-sdk.ts';
import { EmulatorState } from './state.ts';

export { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './options.ts';
export type { EmulatorClient, EmulatorEvent, EmulatorOptions, EventsTarget } from './options.ts';
export {
  DOCUMENT_TYPES_FIXTURE,
  documentTypesFor,
  type DocumentTypeEntry,
} from './document-types.ts';
export { FAULT_OPERATIONS, type FaultOperation, type FaultRule } from './faults.ts';
export { SANDBOX_ACCOUNT_ID } from './events.ts';
export { SANDBOX_IDENTITY } from './results.ts';
export { MAX_IMAGE_BYTES, MAX_IMAGE_SIDE } from './images.ts';

/**
 * Largest accepted request body: three 4 MiB images in base64 (×4/3) plus JSON overhead.
 * Anything bigger is answered 413 before it is read into memory.
 */
export const MAX_BODY_BYTES = Math.ceil((3 * MAX_IMAGE_BYTES * 4) / 3) + 64 * 1024;

export interface AssureEmulator {
  /** The emulator's routes, relative to its root; mount with `parent.route(prefix, app)`. */
  app: Hono;
  /** Fault rules for in-process tests; the same rules as `PUT`/`DELETE /control/faults`. */
  faults: {
    /** Replaces every rule; throws a TypeError for an invalid rule. */
    set(rules: readonly FaultRule[]): void;
    clear(): void;
    /** The live rules (`times` is what is left). */
    list(): FaultRule[];
  };
  /** The Assure Events target; the same as `PUT`/`DELETE /control/events`. */
  events: {
    /** Throws a RangeError for a URL that is not absolute http(s). */
    set(target: EventsTarget): void;
    clear(): void;
  };
  /** Stops every timer (processing delays, delivery retries, fault delays) and aborts deliveries in flight. */
  close(): void;
}

export function createEmulator(options: EmulatorOptions = {}): AssureEmulator {
  const resolved = resolveOptions(options);
  const state = new EmulatorState();
  const faults = new FaultInjector(resolved);
  const deliverer = new Deliverer(resolved);
  const engine = new Engine(state, resolved, deliverer, faults);
  const deps: EmulatorDeps = { state, engine, faults, options: resolved };
  const notRouted = () =>
    problem(404, 'Not found.', 'No such route (or it is not emulated by the sandbox).');

  const app = new Hono();

  app.use('*', async function emulatorContext(c, next) {
    // The mount prefix, so absolute URLs work both standalone and under e.g. /emulator.
    c.set('assureEmulatorBasePath', resolved.basePath ?? basePath(c).replace(/\/+$/, ''));
    if (resolved.retentionTtlMs !== undefined) {
      const cutoff = resolved.now() - resolved.retentionTtlMs;
      for (const dossier of [...state.dossiers.values()]) {
        if (dossier.createdAt > cutoff) continue;
        engine.deleteDossier(dossier);
        resolved.log({ type: 'dossier.expired', dossierId: dossier.dossierId });
      }
    }
    await next();
  });
  // Decided from Content-Length when there is one (hono/body-limit would read every request, GETs
  // too, through a web stream); a chunked body is read up to the limit and no further.
  app.use(
    '*',
    jsonBodyLimit(MAX_BODY_BYTES, {
      refuse: () => {
        throw problem(
          413,
          'Payload too large.',
          `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`,
          // The rest of the body is not drained.
          { Connection: 'close' },
        );
      },
    }),
  );

  app.route('/auth/open/connect', createAuthRouter(deps));
  app.route('/control', createControlRouter(deps));
  app.route('/provider-sdk', createProviderSdkRouter(deps));
  app.route('/capture', createCapturePageRouter(deps));

  app.use('/assure/*', bearerAuth(deps));
  app.route('/assure/dossiers', createDossiersRouter(deps));
  app.route('/assure/dossiers/:dossierId/processes', createProcessesRouter(deps));
  app.route('/assure/dossiers/:dossierId/capture', createCaptureFlowRouter(deps));
  app.route('/assure/processes', createListProcessesRouter(deps));
  app.route('/assure/capture/configurations', createConfigurationsRouter(deps));
  app.route('/assure', createDocumentTypesRouter(deps));

  // A catch-all route rather than notFound(): when mounted, the parent app's notFound would answer.
  app.all('*', () => {
    throw notRouted();
  });

  app.onError((error, c) => {
    const prefix = c.get('assureEmulatorBasePath') ?? '';
    const instance = c.req.path.startsWith(prefix)
      ? c.req.path.slice(prefix.length) || '/'
      : c.req.path;
    const answer = (
      status: number,
      title: string,
      detail: string,
      headers?: Record<string, string>,
    ) => c.json(problemBody(status, title, detail, instance, c.req.method), status as 400, headers);
    if (error instanceof ProblemException)
      return answer(error.status, error.title, error.detail, error.headers);
    if (error instanceof HTTPException && error.status < 500) {
      return answer(
        error.status,
        error.message || 'Bad request.',
        error.message || 'The request was not accepted.',
      );
    }
    resolved.log({
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
    });
    return answer(500, 'Internal error.', 'The emulator failed to handle the request.');
  });

  return {
    app,
    faults: {
      set: (rules) => faults.set(rules),
      clear: () => faults.clear(),
      list: () => faults.list(),
    },
    events: {
      set: (target) => {
        state.eventsTarget = checkEventsTarget(target, 'emulator.events.set');
      },
      clear: () => {
        state.eventsTarget = null;
      },
    },
    close() {
      engine.close();
      deliverer.close();
      faults.close();
    },
  };
}

export interface StartEmulatorOptions extends EmulatorOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  hostname?: string;
}

export interface RunningEmulator extends Listening {
  emulator: AssureEmulator;
  /** Stops the emulator's timers and the HTTP server. */
  close(): Promise<void>;
}

/** Serves a new emulator at the root of its own HTTP server (for integrators' tests and local runs). */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const { port, hostname, ...emulatorOptions } = options;
  const emulator = createEmulator(emulatorOptions);
  const listening = await listen(emulator.app.fetch, {
    ...(port !== undefined && { port }),
    ...(hostname !== undefined && { hostname }),
  });
  return {
    ...listening,
    emulator,
    async close() {
      emulator.close();
      await listening.close();
    },
  };
}
