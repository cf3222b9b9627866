/**
 * Emulator options from environment variables, for `main.ts` (the emulator on its own HTTP server).
 * Throws an Error naming the variable when a value is unusable; never echoes a secret.
 */
import type { StartEmulatorOptions } from './index.ts';

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, min: number, max: number): number | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[]): T | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return undefined;
  if (!(allowed as readonly string[]).includes(text))
    throw new Error(`${name} must be one of ${allowed.join(', ')}`);
  return text as T;
}

function clients(env: Env): Record<string, string> | undefined {
  const text = env['EMULATOR_CLIENTS']?.trim();
  if (text === undefined || text === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('EMULATOR_CLIENTS must be JSON: {"<client id>": "<client secret>", ...}');
  }
  const valid =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.keys(parsed).length > 0 &&
    Object.entries(parsed).every(
      ([id, secret]) => id !== '' && typeof secret === 'string' && secret !== '',
    );
  if (!valid)
    throw new Error(
      'EMULATOR_CLIENTS must map at least one non-empty client id to a non-empty secret string',
    );
  return parsed as Record<string, string>;
}

/**
 * EMULATOR_PORT (default 0: a free port), EMULATOR_HOST (127.0.0.1), EMULATOR_CLIENTS (JSON
 * `{"id":"secret"}`), EMULATOR_BASIC_DECODING (form|raw), EMULATOR_DOCUMENT_COUNTRY_FORMAT
 * (alpha2|alpha3), EMULATOR_EVENTS_URL, EMULATOR_EVENTS_SECRET, EMULATOR_LEGACY_CALLBACKS (0|1),
 * EMULATOR_DELAY_MS, EMULATOR_ZIP_READY_DELAY_MS.
 */
export function emulatorOptionsFromEnv(env: Env): StartEmulatorOptions {
  const options: StartEmulatorOptions = {
    port: integer(env, 'EMULATOR_PORT', 0, 65_535) ?? 0,
    hostname: env['EMULATOR_HOST']?.trim() || '127.0.0.1',
  };
  const clientMap = clients(env);
  if (clientMap) options.clients = clientMap;
  const decoding = oneOf(env, 'EMULATOR_BASIC_DECODING', ['form', 'raw'] as const);
  if (decoding) options.basicAuthDecoding = decoding;
  const format = oneOf(env, 'EMULATOR_DOCUMENT_COUNTRY_FORMAT', ['alpha2', 'alpha3'] as const);
  if (format) options.documentCountryFormat = format;
  const legacy = oneOf(env, 'EMULATOR_LEGACY_CALLBACKS', ['0', '1'] as const);
  if (legacy) options.legacyCallbacks = legacy === '1';
  const delay = integer(env, 'EMULATOR_DELAY_MS', 0, 3_600_000);
  if (delay !== undefined) options.processingDelayMs = delay;
  const zipDelay = integer(env, 'EMULATOR_ZIP_READY_DELAY_MS', 0, 3_600_000);
  if (zipDelay !== undefined) options.zipReadyDelayMs = zipDelay;
  const eventsUrl = env['EMULATOR_EVENTS_URL']?.trim();
  const eventsSecret = env['EMULATOR_EVENTS_SECRET'];
  if (eventsUrl)
    options.events = { url: eventsUrl, ...(eventsSecret ? { secret: eventsSecret } : {}) };
  else if (eventsSecret) throw new Error('EMULATOR_EVENTS_SECRET needs EMULATOR_EVENTS_URL');
  return options;
}
