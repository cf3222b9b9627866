/** What every emulator router gets: the shared state, engine, fault rules and resolved options. */
import type { Context } from 'hono';
import type { Engine } from './engine.ts';
import type { FaultInjector } from './faults.ts';
import type { ResolvedOptions } from './options.ts';
import type { EmulatorState } from './state.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /**
     * Path prefix the Assure emulator is served under ('' at the root, '/emulator' when mounted there).
     * A context variable map entry rather than an Env type parameter, so the emulator's app is a plain
     * `Hono` that any parent app can mount.
     */
    assureEmulatorBasePath: string;
  }
}

export interface EmulatorDeps {
  state: EmulatorState;
  engine: Engine;
  faults: FaultInjector;
  options: ResolvedOptions;
}

/** Absolute URL of an emulator path, for URLs handed to other parties (capture page). */
export function emulatorUrl(c: Context, path: string): string {
  return new URL(`${c.get('assureEmulatorBasePath')}${path}`, c.req.url).href;
}
