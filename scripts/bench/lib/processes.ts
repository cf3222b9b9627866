/**
 * The processes under test: the proxy (`server/index.ts`, real mode), the standalone emulator and the
 * baseline relay, each its own Node process so its CPU time and memory are its own. Reads CPU time
 * and (peak) resident memory from /proc (Linux); elsewhere those figures are left out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Proc {
  name: string;
  pid: number;
  url: string;
  /** User + system CPU time so far, in ms; NaN without /proc. */
  cpuMs(): number;
  /** Resident memory now, MiB. */
  rssMiB(): number;
  /** Starts a new peak-memory window (clear_refs, with a sampler as fallback). */
  resetPeak(): void;
  /** Peak resident memory since the last resetPeak, MiB. */
  peakMiB(): number;
  stop(): Promise<void>;
  output(): string;
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

function statusKiB(pid: number, field: string): number {
  const text = readProc(pid, 'status');
  const match = text && new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return match ? Number(match[1]) : Number.NaN;
}

/** Starts `node --import tsx <entry>` and waits until `ready()` answers true (bounded). */
export async function startNode(
  name: string,
  entry: string,
  env: Record<string, string>,
  url: string,
  ready: () => Promise<boolean>,
  nodeArgs: string[] = [],
  timeoutMs = 30_000,
): Promise<Proc> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    // stdout (the log, JSON lines) goes nowhere, as to a log shipper that keeps up; stderr is kept for errors.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    if (await ready().catch(() => false)) break;
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not ready within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(100);
  }
  const pid = child.pid!;
  let sampled = 0;
  let sampler: ReturnType<typeof setInterval> | undefined;
  let hwmReset = false;
  const proc: Proc = {
    name,
    pid,
    url,
    cpuMs() {
      const stat = readProc(pid, 'stat');
      if (!stat) return Number.NaN;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
    },
    rssMiB: () => statusKiB(pid, 'VmRSS') / 1024,
    resetPeak() {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        hwmReset = true;
      } catch {
        hwmReset = false;
      }
      sampled = proc.rssMiB();
      clearInterval(sampler);
      sampler = setInterval(() => {
        const now = proc.rssMiB();
        if (now > sampled) sampled = now;
      }, 50);
      sampler.unref();
    },
    peakMiB() {
      const hwm = hwmReset ? statusKiB(pid, 'VmHWM') / 1024 : Number.NaN;
      return Math.max(Number.isFinite(hwm) ? hwm : 0, sampled, proc.rssMiB());
    },
    async stop() {
      clearInterval(sampler);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
    output: () => output,
  };
  return proc;
}

async function answers(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await response.body?.cancel();
  return response.status < 500;
}

export interface EmulatorSettings {
  /** Time from processing to final. @default 0 */
  delayMs?: number;
}

export async function startEmulatorProcess(settings: EmulatorSettings = {}): Promise<Proc> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  return startNode(
    'emulator',
    'server/emulator/main.ts',
    {
      EMULATOR_PORT: String(port),
      EMULATOR_HOST: '127.0.0.1',
      EMULATOR_DELAY_MS: String(settings.delayMs ?? 0),
    },
    url,
    () => answers(`${url}/control/outcome`),
  );
}

export const SANDBOX_CLIENT = { id: 'sandbox-client', secret: 'sandbox-secret' };
/** Fresh per bench run: the bench decrypts session tokens with it (to address the same process directly). */
export const SESSION_SECRET = randomBytes(32).toString('base64url');
const WEBHOOK_SECRET = randomBytes(32).toString('hex');

export interface ProxySettings {
  emulatorUrl: string;
  webhookUrl: string;
  /** Extra environment (e.g. MAX_UPSTREAM_CONCURRENCY, SESSION_TOKEN_CACHE_ENTRIES, REDIS_URL). */
  env?: Record<string, string>;
  /** Extra node flags (e.g. --cpu-prof when looking into a figure). */
  nodeArgs?: string[];
}

/** The proxy in real mode against the emulator, with abuse limits far above what the bench sends. */
export async function startProxyProcess(settings: ProxySettings): Promise<Proc> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    SIGNICAT_CLIENT_ID: SANDBOX_CLIENT.id,
    SIGNICAT_CLIENT_SECRET: SANDBOX_CLIENT.secret,
    SIGNICAT_API_URL: settings.emulatorUrl,
    SIGNICAT_TOKEN_URL: `${settings.emulatorUrl}/auth/open/connect/token`,
    SESSION_SECRET,
    RESULT_WEBHOOK_URL: settings.webhookUrl,
    RESULT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ALLOW_PRIVATE_WEBHOOK: '1',
    RATE_LIMIT_SESSIONS_PER_MINUTE: '1000000',
    RATE_LIMIT_SESSIONS_GLOBAL_PER_MINUTE: '10000000',
    RATE_LIMIT_UPLOADS_PER_MINUTE: '1000000',
    RATE_LIMIT_SUBMITS_PER_MINUTE: '1000000',
    MAX_CONCURRENT_UPLOADS_PER_CLIENT: '1000',
    SSE_MAX_PER_CLIENT: '100000',
    LOG_LEVEL: 'info',
    ...settings.env,
  };
  return startNode(
    'proxy',
    'server/index.ts',
    env,
    url,
    () => answers(`${url}/healthz`),
    settings.nodeArgs,
  );
}

/** The baseline for callback → SSE: a relay that pushes each callback body to its SSE client. */
export async function startRelayProcess(): Promise<Proc> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  return startNode('relay', 'scripts/bench/relay.ts', { RELAY_PORT: String(port) }, url, () =>
    answers(`${url}/ready`),
  );
}
