/**
 * @module
 * The `signicat-verify-proxy` package's library entry (docs/deployment.md, "Library use"). Importing it
 * starts nothing: `createProxy()` gives a Hono app to mount under any path of your server,
 * `startServer()` runs the whole server of `npx signicat-verify-proxy`, and the Assure API emulator
 * (`createEmulator`, `startEmulator`) stands in for Signicat in your tests. The emulator alone:
 * `signicat-verify-proxy/emulator`.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { createAssureClient, createProxy, loadConfig } from 'signicat-verify-proxy';
 *
 * const config = loadConfig(process.env);
 * const assure = createAssureClient({ ...config.signicat, timeoutMs: config.upstreamTimeoutMs });
 * const proxy = createProxy({ config, assure, publicUrl: 'https://shop.example/verify' });
 * new Hono().route('/verify', proxy.app); // the element's endpoint: https://shop.example/verify/api
 * ```
 */
export { createProxy, type Proxy, type ProxyOptions } from './app.ts';
export { startServer, type RunningServer, type ServerOptions } from './server.ts';
export { ConfigError, loadConfig, type Config } from './config.ts';
export {
  createAssureClient,
  AssureError,
  type AssureClient,
  type AssureClientOptions,
} from './assure/index.ts';
export {
  createEmulator,
  startEmulator,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  type AssureEmulator,
  type EmulatorOptions,
  type RunningEmulator,
  type StartEmulatorOptions,
} from './emulator/index.ts';
export {
  createArchive,
  createWebhookDelivery,
  verifyWebhookSignature,
  type ResultPayload,
  type ResultSink,
} from './delivery/index.ts';
export { createMemoryStore } from './state/memory-store.ts';
export { openSharedStore, StoreUnavailableError, type SessionStore } from './state/index.ts';
export { createLogger, type Logger, type LogLevel } from './log.ts';
export { runDoctor, formatDoctor, doctorJson, type DoctorReport } from './doctor/index.ts';
export { staticRoutes, serveFile } from './static.ts';
export { compressTree } from './compression.ts';
/** Mounts `proxy.app.fetch` in Express, Fastify or node:http (docs/deployment.md), with no extra install. */
export { getRequestListener } from '@hono/node-server';
