/** What every proxy route needs, built once in app.ts and passed to each router. */
import type { AssureClient } from './assure/types.ts';
import type { Config } from './config.ts';
import type { Lifecycle } from './lifecycle/lifecycle.ts';
import type { Logger } from './log.ts';
import type { SessionTokens } from './session/token.ts';
import type { SessionStore } from './state/store.ts';

export interface ProxyContext {
  config: Config;
  assure: AssureClient;
  store: SessionStore;
  tokens: SessionTokens;
  lifecycle: Lifecycle;
  log: Logger;
  /** Origin Signicat sends callbacks to (PUBLIC_URL, or the sandbox server's own origin). */
  publicUrl: string;
  /** Origins the browser API answers and `redirectUrl` may point to. */
  allowedOrigins: readonly string[];
}
