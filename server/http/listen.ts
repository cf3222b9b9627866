/**
 * Starts a fetch handler (a Hono app's `fetch`) on a loopback port. Used by the process entry,
 * by tests (port 0 picks a free one) and by integrators who run the emulator on its own.
 * Socket limits (timeouts, a connection cap) bound what slow or numerous clients can hold.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  /** Origin without a trailing slash, e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  server: ServerType;
  close(): Promise<void>;
}

export type FetchHandler = (request: Request, env?: unknown) => Response | Promise<Response>;

export interface ListenOptions {
  port?: number;
  hostname?: string;
  /** Longest time to receive a whole request, body included; then 408 and the socket closes. Node's default: 300 s. */
  requestTimeoutMs?: number;
  /** Longest time to receive the request headers. */
  headersTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs?: number;
  /** Connections beyond this are closed at once. */
  maxConnections?: number;
}

export function listen(fetch: FetchHandler, options: ListenOptions = {}): Promise<Listening> {
  const hostname = options.hostname ?? '127.0.0.1';
  const { requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs } = options;
  // Node checks request and header deadlines only every connectionsCheckingInterval (default 30 s):
  // check often enough that a deadline is kept to within about a quarter of itself.
  const shortest = Math.min(requestTimeoutMs ?? Infinity, headersTimeoutMs ?? Infinity);
  const serverOptions = {
    ...(requestTimeoutMs !== undefined && { requestTimeout: requestTimeoutMs }),
    ...(headersTimeoutMs !== undefined && { headersTimeout: headersTimeoutMs }),
    ...(keepAliveTimeoutMs !== undefined && { keepAliveTimeout: keepAliveTimeoutMs }),
    ...(Number.isFinite(shortest) && {
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(shortest / 4))),
    }),
  };
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch, port: options.port ?? 0, hostname, serverOptions },
      (info: AddressInfo) => {
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          server,
          close: () =>
            new Promise<void>((done) => {
              // SSE streams would keep the server open; end them so tests and shutdowns stop by themselves.
              if ('closeAllConnections' in server) server.closeAllConnections();
              server.close(() => done());
            }),
        });
      },
    );
    if (options.maxConnections !== undefined)
      (server as Server).maxConnections = options.maxConnections;
    if (keepAliveTimeoutMs !== undefined) (server as Server).keepAliveTimeout = keepAliveTimeoutMs;
    server.once('error', reject);
  });
}
