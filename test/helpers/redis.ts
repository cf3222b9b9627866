/**
 * A throwaway `redis-server` for tests: a free loopback port, nothing persisted, stopped after. It can
 * be killed (SIGKILL, an outage) and started again on the same port (a restart). When redis-server is
 * missing, Debian's package is installed once (CI runs as root, as .ci/run does); only if that fails
 * do the tests that need it skip, loudly.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** True while the server process runs. */
  running(): boolean;
  /** SIGKILL: an outage, as abrupt as they come. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  restart(): Promise<void>;
  /** Stops it for good and removes its folder. */
  stop(): Promise<void>;
}

let installed: string | undefined | null = null;

/** The path of redis-server, installing Debian's package once if needed; undefined when impossible. */
export function redisServerPath(): string | undefined {
  if (installed !== null) return installed;
  const which = () =>
    spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim() ||
    undefined;
  installed = which();
  if (!installed) {
    process.stderr.write(
      "test/helpers/redis.ts: redis-server is missing; installing Debian's redis-server package\n",
    );
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = () =>
      spawnSync('apt-get', ['install', '-y', '-qq', 'redis-server'], {
        env,
        stdio: 'ignore',
        timeout: 300_000,
      }).status === 0;
    if (!install()) {
      spawnSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore', timeout: 300_000 });
      install();
    }
    installed = which();
  }
  if (!installed) {
    process.stderr.write(
      [
        '',
        '**********************************************************************',
        '* redis-server is not installed and could not be installed:          *',
        '* the Redis store and scale-out tests are SKIPPED.                   *',
        '* Install it (apt-get install redis-server) to run them.             *',
        '**********************************************************************',
        '',
      ].join('\n'),
    );
  }
  return installed;
}

/** Why Redis tests must skip, or false when they can run (for `describe(name, { skip })`). */
export function redisSkipReason(): string | false {
  return redisServerPath() ? false : 'redis-server is not installed and could not be installed';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  const binary = redisServerPath();
  if (!binary) throw new Error('redis-server is not available');
  const dir = mkdtempSync(join(tmpdir(), 'sv-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;

  async function launch(): Promise<void> {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--loglevel',
      'notice',
    ];
    const started = spawn(binary!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start in 10 s:\n${output}`)),
        10_000,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/Ready to accept connections/i.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      started.stdout!.on('data', onData);
      started.stderr!.on('data', onData);
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`));
      });
    });
    // Keep draining its output so a chatty server never blocks on a full pipe.
    started.stdout!.resume();
    started.stderr!.resume();
  }

  async function end(signal: NodeJS.Signals) {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill(signal);
    await exited;
  }

  // A port found free may be taken before redis binds it: try a few.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (error) {
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    running: () => Boolean(child && child.exitCode === null && child.signalCode === null),
    kill: () => end('SIGKILL'),
    async restart() {
      await end('SIGKILL');
      await launch();
    },
    async stop() {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
