/**
 * Structured JSON-lines logging. Callers pass events, never request bodies: the logger additionally
 * drops fields whose names suggest secrets or personal data, and replaces anything shaped like a
 * credential (a session token in a URL, a JWT, a long opaque run) by a short SHA-256 fingerprint, so
 * a careless call cannot leak them. Reverse proxies log URLs too: session tokens in paths are bearer
 * credentials and never reach a log line in clear.
 */
import { fingerprint } from './security.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;
export type Logger = (
  level: Exclude<LogLevel, 'silent'>,
  event: string,
  fields?: LogFields,
) => void;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
/** Values under these keys are dropped outright: secrets, and bodies, images and personal data. */
const SECRET_KEYS =
  /secret|password|passphrase|authorization|cookie|api[-_]?key|credential|private/i;
const DATA_KEYS =
  /image|bytes|body|finalresult|result|reference|firstname|lastname|birth|documentnumber/i;
/**
 * Values under these keys are bearer credentials: logged as a fingerprint so lines can be correlated.
 * `sessionId` is not one (the random id inside the encrypted token grants nothing) and stays readable.
 */
const TOKEN_KEYS = /token|session(?!Id$)|jwe|jwt/i;

/**
 * Credential shapes inside any string: a JWS/JWE (`eyJ…` with 3 or 5 dot-separated segments), any
 * five base64url segments (JWE compact serialisation, `dir` has an empty second one), and runs of 40 or
 * more base64url characters (opaque tokens; UUIDs are 36 and stay readable).
 */
const CREDENTIAL_SHAPES = new RegExp(
  [
    'eyJ[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]*){2,4}',
    '[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}',
    '[A-Za-z0-9_-]{40,}',
  ].join('|'),
  'g',
);

const MAX_DEPTH = 4;

/** A string with every credential-shaped part replaced by its fingerprint. */
export function redactString(value: string): string {
  return value.replace(CREDENTIAL_SHAPES, (match) => `[${fingerprint(match)}]`);
}

function redactValue(key: string, value: unknown, depth: number): unknown {
  if (SECRET_KEYS.test(key) || DATA_KEYS.test(key)) return '[redacted]';
  if (TOKEN_KEYS.test(key)) {
    if (typeof value === 'string') return value ? `[${fingerprint(value)}]` : value;
    if (
      typeof value === 'number' ||
      typeof value === 'boolean' ||
      value === null ||
      value === undefined
    )
      return value;
    return '[redacted]';
  }
  return scrub(value, depth);
}

function scrub(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  if (value instanceof Error) return redactString(`${value.name}: ${value.message}`);
  if (value instanceof URL) return redactString(value.href);
  const out: LogFields = {};
  for (const [key, inner] of Object.entries(value)) out[key] = redactValue(key, inner, depth + 1);
  return out;
}

/** The fields as they may be logged: by key (secrets, data, tokens) and by shape (credentials in strings). */
export function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) out[key] = redactValue(key, value, 0);
  return out;
}

export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger {
  const threshold = ORDER[level];
  return (eventLevel, event, fields = {}) => {
    if (ORDER[eventLevel] < threshold) return;
    write(
      JSON.stringify({
        time: new Date().toISOString(),
        level: eventLevel,
        event: redactString(event),
        ...redact(fields),
      }),
    );
  };
}

export const silentLogger: Logger = () => {};
