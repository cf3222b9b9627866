/**
 * Baseline for the callback → browser latency: the least a relay can do. `GET /events/:id` opens an
 * SSE stream (a comment first, so the client knows it is subscribed); `POST /callback/:id` pushes the
 * callback's body to that stream as one `status` event and answers 200. No checks, no upstream call.
 * Loopback only; RELAY_PORT names the port. Stops on SIGTERM.
 */
import { createServer, type ServerResponse } from 'node:http';

const streams = new Map<string, ServerResponse>();

const server = createServer((req, res) => {
  const match = /^\/(events|callback)\/([\w-]{1,64})$/.exec(req.url ?? '');
  if (req.url === '/ready') return void res.end('ok');
  if (!match) return void res.writeHead(404).end();
  const [, kind, id] = match as unknown as [string, string, string];
  if (kind === 'events' && req.method === 'GET') {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    res.write(': subscribed\n\n');
    streams.set(id, res);
    req.on('close', () => streams.delete(id));
    return;
  }
  if (kind === 'callback' && req.method === 'POST') {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      streams.get(id)?.write(`event: status\ndata: ${Buffer.concat(chunks).toString()}\n\n`);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
    return;
  }
  res.writeHead(405).end();
});

server.listen(Number(process.env.RELAY_PORT ?? 0), '127.0.0.1');
process.once('SIGTERM', () => {
  for (const res of streams.values()) res.end();
  server.close(() => process.exit(0));
});
