/**
 * Child processes for restart and real-mode tests: start `node --import tsx <entry>` with an
 * environment, wait for the line that tells its URL, and stop it (gracefully or with SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Child {
  url: string;
  process: ChildProcess;
  output(): string;
  /** SIGTERM and wait; `kill: true` for SIGKILL (a crash). */
  stop(options?: { kill?: boolean }): Promise<void>;
}

export async function startChild(
  entry: string,
  env: Record<string, string>,
  urlPattern: RegExp,
  ms = 20_000,
): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${entry} did not start in ${ms} ms:\n${output}`)),
      ms,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = urlPattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    output: () => output,
    async stop(options = {}) {
      if (child.exitCode === null && child.signalCode === null)
        child.kill(options.kill ? 'SIGKILL' : 'SIGTERM');
      await exited;
    },
  };
}
