/**
 * The body-size check the emulator and the proxy's callback route used, `hono/body-limit`, reads
 * `c.req.raw.body` before anything else, which makes @hono/node-server build a full Request with a web
 * stream for every request, GETs included, and read the body through it. Both now use the proxy's
 * header-first check (server/middleware/body-limit.ts: decide from Content-Length, read a chunked body
 * only up to the limit). Measured here on two minimal servers that differ only in that middleware
 * (before: hono's, after: the project's). Same machine, interleaved, in the bench process.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { listen } from '../../../server/http/listen.ts';
import { jsonBodyLimit } from '../../../server/middleware/body-limit.ts';
import { dataUrl, jpeg } from '../lib/client.ts';
import { percentile } from '../lib/stats.ts';

const MAX = 17 * 1024 * 1024;

/** What the emulator and the callback route use now. */
const headerFirst = (): MiddlewareHandler =>
  jsonBodyLimit(MAX, { refuse: (c) => c.text('too large', 413) });

function app(limit: MiddlewareHandler) {
  const a = new Hono();
  a.use('*', limit);
  a.get('/thing', (c) => c.json({ status: 'accepted' }));
  a.post('/images', async (c) => {
    const body = JSON.parse(await c.req.text()) as { front?: string };
    return c.body(null, body.front ? 201 : 400);
  });
  return a;
}

export interface BodyLimitRun {
  get: { hono: number; headerFirst: number };
  post: { hono: number; headerFirst: number };
}

export async function bodyLimitDetour(options: {
  runs: number;
  n: number;
  log: (line: string) => void;
}): Promise<{ runs: BodyLimitRun[]; postBytes: number }> {
  const honoServer = await listen(
    app(bodyLimit({ maxSize: MAX, onError: (c) => c.text('too large', 413) })).fetch,
    { port: 0 },
  );
  const proposedServer = await listen(app(headerFirst()).fetch, { port: 0 });
  const body = `{"front":"${dataUrl(jpeg(4000, 3000, 1_000_000))}"}`;
  const time = async (url: string, init?: RequestInit) => {
    const t0 = performance.now();
    const response = await fetch(url, init);
    await response.arrayBuffer();
    return performance.now() - t0;
  };
  const post = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body };
  try {
    for (let i = 0; i < 50; i++) {
      for (const server of [honoServer, proposedServer]) {
        await time(`${server.url}/thing`);
        if (i < 10) await time(`${server.url}/images`, post);
      }
    }
    const runs: BodyLimitRun[] = [];
    for (let run = 0; run < options.runs; run++) {
      const g = { hono: [] as number[], headerFirst: [] as number[] };
      const p = { hono: [] as number[], headerFirst: [] as number[] };
      for (let i = 0; i < options.n; i++) {
        const order =
          i % 2 === 0 ? (['hono', 'headerFirst'] as const) : (['headerFirst', 'hono'] as const);
        for (const name of order) {
          const server = name === 'hono' ? honoServer : proposedServer;
          for (let k = 0; k < 10; k++) g[name].push(await time(`${server.url}/thing`));
          p[name].push(await time(`${server.url}/images`, post));
        }
      }
      runs.push({
        get: { hono: percentile(g.hono, 50), headerFirst: percentile(g.headerFirst, 50) },
        post: { hono: percentile(p.hono, 50), headerFirst: percentile(p.headerFirst, 50) },
      });
      const last = runs.at(-1)!;
      options.log(
        `  body limit run ${run + 1}: GET ${last.get.hono.toFixed(3)} → ${last.get.headerFirst.toFixed(3)} ms, POST ${last.post.hono.toFixed(2)} → ${last.post.headerFirst.toFixed(2)} ms`,
      );
    }
    return { runs, postBytes: body.length };
  } finally {
    await honoServer.close();
    await proposedServer.close();
  }
}
