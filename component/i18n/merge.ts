/**
 * @module
 * Deep merge for dictionaries: an override replaces only the strings it names, so a nested override
 * (`{ errors: { network: '…' } }`) keeps its sibling strings instead of blanking them.
 */

/** Every part optional, nested records too; functions and strings are replaced whole. */
export type DeepPartial<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `base` with `over` laid on top, neither changed. `undefined`, `null` and empty strings in `over` are
 * skipped: an empty label would leave a button without an accessible name.
 */
export function deepMerge<T>(base: T, over: DeepPartial<T> | undefined): T {
  if (!isRecord(base) || !isRecord(over)) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined || value === null || value === '' || key === '__proto__') continue;
    out[key] = isRecord(value) && isRecord(out[key]) ? deepMerge(out[key], value) : value;
  }
  return out as T;
}
