/** What every proxy route needs, built once in app.ts and passed to each router. */
import type { Context } from 'hono';
import type { AssureClient } from './assure/types.ts';
import type { Config } from './config.ts';
import type { Lifecycle } from './lifecycle/lifecycle.ts';
import type { Logger } from './log.ts';
import type { ExternalReferences } from './session/external-reference.ts';
import type { SessionTokens } from './session/token.ts';
import type { SessionStore } from './state/store.ts';
import type { VerificationService } from './verification/service.ts';

export interface StreamLimiter {
  /** A release function, or undefined when a cap (per session, per client, total) is reached. */
  acquire(sessionKey: string, clientKey: string): (() => void) | undefined;
}

export interface ProxyContext {
  config: Config;
  assure: AssureClient;
  store: SessionStore;
  tokens: SessionTokens;
  references: ExternalReferences;
  lifecycle: Lifecycle;
  verification: VerificationService;
  log: Logger;
  /** Origin Signicat sends callbacks to (PUBLIC_URL, or the sandbox server's own origin). */
  publicUrl: string;
  /** Origins the browser API answers and `redirectUrl` may point to. */
  allowedOrigins: readonly string[];
  /** The client's address: the socket's, or X-Forwarded-For within TRUST_PROXY_HOPS. */
  clientAddress(c: Context): string | undefined;
  /** What per-client limits count by (the address; IPv6 per /64). */
  clientKey(c: Context): string;
  streams: StreamLimiter;
}
