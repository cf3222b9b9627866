/**
 * Oversized-body load check (issue 8, "Bounded memory and sockets"): 16 concurrent requests each
 * announce a 256 MiB JSON body to POST /api/sessions and stream bytes until the server refuses them
 * (or a time bound), while /healthz is polled every 20 ms. Measures the server's RSS growth and the
 * worst /healthz latency, and writes the figures into docs/security.md between the
 * `security-bodies` markers. Goal: RSS grows by less than 50 MiB, /healthz answers within 100 ms.
 *
 * The server runs in a child process (the real startServer, sandbox mode, port 0), so the figures
 * are the server's own and not the load generator's.
 *
 * Run: node --import tsx scripts/security-bodies.ts [--no-write]
 */
import { fork } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

const CLIENTS = 16;
const ANNOUNCED = 256 * 1024 * 1024;
const CHUNK = 64 * 1024;
const TIME_BOUND_MS = 20_000;
const HEALTH_EVERY_MS = 20;
const GOAL_RSS_MIB = 50;
const GOAL_HEALTH_MS = 100;
const DOC = fileURLToPath(new URL('../docs/security.md', import.meta.url));
const START = '<!-- security-bodies:start -->';
const END = '<!-- security-bodies:end -->';

type FromServer =
  { type: 'listening'; url: string; rss: number } | { type: 'rss'; baseline: number; peak: number };

if (process.argv.includes('--serve')) await serve();
else if (process.argv.includes('--poll'))
  await poll(process.argv[process.argv.indexOf('--poll') + 1]!);
else await drive();

/**
 * Child: polls /healthz every 20 ms until told to stop, then reports. A process of its own, so the
 * load generator's busy event loop cannot delay the checks and inflate the figure.
 */
async function poll(url: string) {
  let worstMs = 0,
    checks = 0,
    failures = 0;
  let polling = true;
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stop') polling = false;
  });
  // Warm up first (the first fetch of a process loads undici and connects): not part of the figure.
  for (let i = 0; i < 5; i++) await (await fetch(`${url}/healthz`)).text();
  process.send!({ type: 'polling' });
  while (polling) {
    const started = performance.now();
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) });
      await response.text();
      if (!response.ok) failures++;
    } catch {
      failures++;
    }
    const ms = performance.now() - started;
    worstMs = Math.max(worstMs, ms);
    checks++;
    await new Promise((r) => setTimeout(r, Math.max(0, HEALTH_EVERY_MS - ms)));
  }
  process.send!({ type: 'health', worstMs, checks, failures });
  process.disconnect();
}

/** Child: the real server, plus an RSS sampler the parent reads over IPC. */
async function serve() {
  const { loadConfig } = await import('../server/config.ts');
  const { startServer } = await import('../server/server.ts');
  const { silentLogger } = await import('../server/log.ts');
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', EMULATOR_DELAY_MS: '0' });
  const server = await startServer(config, { log: silentLogger });
  let baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  process.on('message', (message: { type: string }) => {
    if (message.type === 'baseline') {
      (globalThis as { gc?: () => void }).gc?.();
      baseline = process.memoryUsage().rss;
      peak = baseline;
    } else if (message.type === 'rss') {
      process.send!({ type: 'rss', baseline, peak } satisfies FromServer);
    } else if (message.type === 'stop') {
      clearInterval(sampler);
      void server.close().then(() => process.exit(0));
    }
  });
  process.send!({ type: 'listening', url: server.url, rss: baseline } satisfies FromServer);
}

interface BodyResult {
  status: number | 'closed' | 'timeout';
  sentBytes: number;
  ms: number;
}

/** One request announcing 256 MiB, streaming as fast as the socket drains until answered or closed. */
function oversizedBody(port: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    const chunk = Buffer.alloc(CHUNK, 0x20); // spaces: still "JSON" to anything that would parse it
    let sentBytes = 0;
    let status: BodyResult['status'] | undefined;
    let head = '';
    let done = false;
    const finish = (final: BodyResult['status']) => {
      if (done) return;
      done = true;
      clearTimeout(bound);
      socket.destroy();
      resolve({ status: status ?? final, sentBytes, ms: Math.round(performance.now() - started) });
    };
    const bound = setTimeout(() => finish('timeout'), TIME_BOUND_MS);
    socket.on('error', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    socket.on('data', (data) => {
      head += data.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (match) {
        status = Number(match[1]);
        // Keep sending until the server hangs up: it must not need our cooperation to stop reading.
      }
    });
    const pump = () => {
      while (!done && sentBytes < ANNOUNCED) {
        sentBytes += CHUNK;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      if (!done && sentBytes >= ANNOUNCED) socket.once('data', () => finish('closed'));
    };
    socket.once('connect', () => {
      socket.write(
        `POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${ANNOUNCED}\r\n\r\n`,
      );
      pump();
    });
  });
}

async function drive() {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: FromServer['type']) =>
    new Promise<FromServer>((resolve) =>
      child.once('message', (m: FromServer) => m.type === type && resolve(m)),
    );
  const listening = (await next('listening')) as Extract<FromServer, { type: 'listening' }>;
  const port = Number(new URL(listening.url).port);

  // Warm up the routes measured, then take the baseline.
  for (let i = 0; i < 20; i++) await (await fetch(`${listening.url}/healthz`)).text();
  await fetch(`${listening.url}/api/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  }).then((r) => r.text());
  child.send({ type: 'baseline' });

  const poller = fork(fileURLToPath(import.meta.url), ['--poll', listening.url], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve) => poller.once('message', () => resolve()));
  await new Promise((r) => setTimeout(r, 200)); // a few checks before the load starts

  const started = performance.now();
  const results = await Promise.all(Array.from({ length: CLIENTS }, () => oversizedBody(port)));
  const wallMs = Math.round(performance.now() - started);
  await new Promise((r) => setTimeout(r, 200)); // let the server settle while still polling
  const health = new Promise<{ worstMs: number; checks: number; failures: number }>((resolve) =>
    poller.once('message', resolve),
  );
  poller.send({ type: 'stop' });
  const { worstMs: worstHealthMs, checks: healthChecks, failures: healthFailures } = await health;

  child.send({ type: 'rss' });
  const rss = (await next('rss')) as Extract<FromServer, { type: 'rss' }>;
  child.send({ type: 'stop' });

  const mib = (bytes: number) => bytes / (1024 * 1024);
  const growthMiB = mib(rss.peak - rss.baseline);
  const statuses = results.map((r) => r.status);
  const sentMiB = results.map((r) => mib(r.sentBytes));
  const figures = {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    clients: CLIENTS,
    rssBaselineMiB: mib(rss.baseline),
    rssPeakMiB: mib(rss.peak),
    rssGrowthMiB: growthMiB,
    worstHealthMs,
    healthChecks,
    healthFailures,
    wallMs,
    statuses,
    maxSentMiB: Math.max(...sentMiB),
    maxRequestMs: Math.max(...results.map((r) => r.ms)),
  };
  const rssOk = growthMiB < GOAL_RSS_MIB;
  const healthOk = worstHealthMs <= GOAL_HEALTH_MS && healthFailures === 0;
  console.log(JSON.stringify(figures, null, 2));
  console.log(
    `RSS growth ${growthMiB.toFixed(1)} MiB (goal < ${GOAL_RSS_MIB}): ${rssOk ? 'met' : 'NOT met'}`,
  );
  console.log(
    `worst /healthz ${worstHealthMs.toFixed(1)} ms (goal <= ${GOAL_HEALTH_MS}): ${healthOk ? 'met' : 'NOT met'}`,
  );

  if (!process.argv.includes('--no-write')) {
    const counts = new Map<string, number>();
    for (const status of statuses)
      counts.set(String(status), (counts.get(String(status)) ?? 0) + 1);
    const block = [
      START,
      `Measured ${figures.date} on Node ${figures.node} by \`npm run test:security-bodies\` (scripts/security-bodies.ts):`,
      `${CLIENTS} concurrent \`POST /api/sessions\` announcing 256 MiB each, streaming until refused (bound ${TIME_BOUND_MS / 1000} s), \`/healthz\` polled every ${HEALTH_EVERY_MS} ms.`,
      '',
      '| figure | measured | goal |',
      '| --- | --- | --- |',
      `| server RSS growth | ${growthMiB.toFixed(1)} MiB (${figures.rssBaselineMiB.toFixed(0)} → ${figures.rssPeakMiB.toFixed(0)} MiB) | < ${GOAL_RSS_MIB} MiB ${rssOk ? '✅' : '❌'} |`,
      `| worst \`/healthz\` latency | ${worstHealthMs.toFixed(1)} ms over ${healthChecks} checks, ${healthFailures} failed | ≤ ${GOAL_HEALTH_MS} ms ${healthOk ? '✅' : '❌'} |`,
      `| answers | ${[...counts].map(([status, n]) => `${n}× ${status}`).join(', ')} | 413 before the body is read, then the connection closes ("closed": the reset reached the client before it read the 413) |`,
      `| most bytes one client got to send | ${figures.maxSentMiB.toFixed(1)} MiB in ${figures.maxRequestMs} ms | (socket buffers only) |`,
      END,
    ].join('\n');
    const doc = await readFile(DOC, 'utf8');
    const from = doc.indexOf(START),
      to = doc.indexOf(END);
    if (from < 0 || to < from)
      throw new Error(`docs/security.md lacks the ${START} … ${END} markers`);
    await writeFile(DOC, doc.slice(0, from) + block + doc.slice(to + END.length));
    console.log('figures written to docs/security.md');
  }
  process.exitCode = rssOk && healthOk ? 0 : 1;
}
