/**
 * `signicat-verify-proxy --help`: generated from the config schema (server/config.ts), so every
 * variable, its flag, default and range are listed as `loadConfig` reads them and cannot drift.
 */
import { z } from 'zod';
import { CONFIG_VARIABLES } from '../config.ts';
import { ENVIRONMENT_ONLY, SETTING_HELP } from './settings.ts';

export const BIN = 'signicat-verify-proxy';

export interface Setting {
  /** The environment variable. */
  name: string;
  /** Its command-line flag; undefined for secrets (environment only). */
  flag?: string;
  default?: string;
  /** Allowed values (`basic|basic-raw`) or range (`0–10`). */
  values?: string;
  help?: string;
}

export const flagOf = (name: string) => `--${name.toLowerCase().replace(/_/g, '-')}`;

/** Every setting `loadConfig` reads, in the schema's order. */
export function settings(): Setting[] {
  return Object.entries(CONFIG_VARIABLES.shape).map(([name, schema]) => {
    let inner: z.ZodType = schema;
    let fallback: unknown;
    if (inner instanceof z.ZodDefault) {
      fallback = inner.def.defaultValue;
      inner = inner.unwrap() as z.ZodType;
    }
    if (inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
    let values: string | undefined;
    if (inner instanceof z.ZodEnum) values = (inner.options as string[]).join('|');
    else if (inner instanceof z.ZodNumber && inner.minValue !== null && inner.maxValue !== null)
      values = `${inner.minValue}–${inner.maxValue}`;
    return {
      name,
      ...(!ENVIRONMENT_ONLY.has(name) && { flag: flagOf(name) }),
      ...(fallback !== undefined && fallback !== '' && { default: String(fallback) }),
      ...(values && { values }),
      ...(SETTING_HELP[name] && { help: SETTING_HELP[name] }),
    };
  });
}

export function helpText(version: string): string {
  const lines = [
    `${BIN} ${version}`,
    '',
    "Runs the signicat-verify proxy for Signicat's Assure API on one port: the proxy API at /api, the",
    "element's script-tag build at /signicat-verify.js, the demo at /, /healthz, and in sandbox mode (no",
    'Signicat credentials) the Assure API emulator at /emulator. Stops cleanly on SIGTERM and SIGINT.',
    '',
    'Usage',
    `  ${BIN} [--port <n>] [--host <address>] [--<setting> <value> ...]`,
    `  ${BIN} doctor [--json]     check first contact with Signicat and exit (1: a check failed)`,
    `  ${BIN} --help | --version`,
    '',
    'Every setting is an environment variable; its flag overrides it for this run. --env-file <path>',
    'reads variables from a file first (variables already set win). Secrets are taken from the',
    'environment (or the env file) only: command lines show in ps and shell history.',
    '',
    'Settings',
  ];
  for (const s of settings()) {
    const facts = [
      s.flag ?? '(environment only)',
      s.default !== undefined && `default ${s.default}`,
      s.values && `(${s.values})`,
    ];
    lines.push(`  ${s.name}  ${facts.filter(Boolean).join('  ')}`);
    if (s.help) lines.push(`      ${s.help}`);
  }
  lines.push(
    '',
    'More: README.md ("Configuration") and docs/deployment.md of the signicat-verify repository.',
    '',
  );
  return lines.join('\n');
}
