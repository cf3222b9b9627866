/**
 * Structured JSON-lines logging. Callers pass events, never request bodies: the logger additionally
 * drops fields whose names suggest secrets or personal data, so a careless call cannot leak them.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;
export type Logger = (level: Exclude<LogLevel, 'silent'>, event: string, fields?: LogFields) => void;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const REDACTED_KEYS = /secret|token|authorization|password|cookie|image|bytes|body|finalresult|result|reference/i;

export function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) out[key] = REDACTED_KEYS.test(key) ? '[redacted]' : value;
  return out;
}

export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger {
  const threshold = ORDER[level];
  return (eventLevel, event, fields = {}) => {
    if (ORDER[eventLevel] < threshold) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: eventLevel, event, ...redact(fields) }));
  };
}

export const silentLogger: Logger = () => {};
