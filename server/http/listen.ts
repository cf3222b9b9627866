/**
 * Starts a fetch handler (a Hono app's `fetch`) on a loopback port. Used by the process entry,
 * by tests (port 0 picks a free one) and by integrators who run the emulator on its own.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

export interface Listening {
  /** Origin without a trailing slash, e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  server: ServerType;
  close(): Promise<void>;
}

export type FetchHandler = (request: Request, env?: unknown) => Response | Promise<Response>;

export function listen(fetch: FetchHandler, options: { port?: number; hostname?: string } = {}): Promise<Listening> {
  const hostname = options.hostname ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: options.port ?? 0, hostname }, (info: AddressInfo) => {
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
    });
    server.once('error', reject);
  });
}
