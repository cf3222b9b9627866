/**
 * The bin's command line → what to do and which settings it overrides. Flags are the settings'
 * variables in kebab case (`--trust-proxy-hops 1` sets TRUST_PROXY_HOPS); secrets are refused as
 * flags with a message that says why.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ENVIRONMENT_ONLY } from './settings.ts';
import { BIN, flagOf, settings } from './help.ts';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CommandLine {
  command: 'start' | 'doctor' | 'help' | 'version';
  /** Settings given as flags, by variable name. */
  env: Record<string, string>;
  envFile?: string;
  /** doctor: print JSON. */
  json: boolean;
}

export function parseCommandLine(argv: readonly string[]): CommandLine {
  for (const arg of argv) {
    const secret = [...ENVIRONMENT_ONLY].find(
      (name) => arg === flagOf(name) || arg.startsWith(`${flagOf(name)}=`),
    );
    if (secret)
      throw new UsageError(
        `${flagOf(secret)}: set ${secret} in the environment (or --env-file), not on the command line, which ps and shell history show`,
      );
  }
  const flags = new Map(
    settings().flatMap((s) => (s.flag ? [[s.flag.slice(2), s.name] as const] : [])),
  );
  const options: NonNullable<ParseArgsConfig['options']> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean' },
    json: { type: 'boolean' },
    'env-file': { type: 'string' },
  };
  for (const flag of flags.keys()) options[flag] = { type: 'string' };

  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs names the flag; its hint about "--" does not apply here.
    throw new UsageError(
      (error as Error).message.replace(/\. To specify a positional argument.*$/s, ''),
    );
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== 'doctor')) {
    throw new UsageError(
      `unknown command "${positionals.join(' ')}" (commands: doctor; run ${BIN} --help)`,
    );
  }
  const env: Record<string, string> = {};
  for (const [flag, name] of flags) {
    const value = values[flag];
    if (typeof value === 'string') env[name] = value;
  }
  const command = values.help
    ? 'help'
    : values.version
      ? 'version'
      : positionals[0] === 'doctor'
        ? 'doctor'
        : 'start';
  if (values.json && command !== 'doctor') throw new UsageError('--json goes with doctor');
  return {
    command,
    env,
    json: values.json === true,
    ...(typeof values['env-file'] === 'string' && { envFile: values['env-file'] }),
  };
}
