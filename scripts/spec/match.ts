/** Finds the spec operation a recorded request was meant for: method plus path below the server base. */
import type { SpecDocument, SpecOperation } from './document.ts';

export interface OperationMatch {
  operation: SpecOperation;
  pathParams: Record<string, string>;
}

export interface RelativeRequest {
  /** Below the spec's base path, e.g. `/dossiers/abc`; undefined when the URL is not under it. */
  path?: string;
  query: URLSearchParams;
  /** The URL's own path, for reports. */
  fullPath: string;
}

/**
 * Splits a recorded URL at the spec's base path (`/assure`). The API may sit under a prefix (the
 * sandbox serves it at `/emulator/assure`), so the first `/assure/` segment boundary counts.
 */
export function relativeRequest(url: string, basePath: string): RelativeRequest {
  const parsed = new URL(url);
  const fullPath = parsed.pathname;
  const base = basePath === '/' ? '' : basePath;
  let path: string | undefined;
  if (base === '') path = fullPath;
  else if (fullPath.endsWith(base)) path = '/';
  else {
    const at = fullPath.indexOf(`${base}/`);
    if (at >= 0) path = fullPath.slice(at + base.length);
  }
  return { path, query: parsed.searchParams, fullPath };
}

/**
 * The operation whose template matches `path` for `method`. When several templates match
 * (`/dossiers/all` and `/dossiers/{dossierId}`), the one with more literal segments wins.
 */
export function matchOperation(
  spec: SpecDocument,
  method: string,
  path: string,
): OperationMatch | undefined {
  let best: (OperationMatch & { literals: number }) | undefined;
  for (const operation of spec.operations) {
    if (operation.method !== method.toUpperCase()) continue;
    const matched = matchTemplate(operation.pathTemplate, path);
    if (!matched) continue;
    if (!best || matched.literals > best.literals) best = { operation, ...matched };
  }
  return best && { operation: best.operation, pathParams: best.pathParams };
}

/** Methods the spec has for `path` (to say "the path exists, not with this method"). */
export function methodsForPath(spec: SpecDocument, path: string): string[] {
  return [
    ...new Set(
      spec.operations.filter((o) => matchTemplate(o.pathTemplate, path)).map((o) => o.method),
    ),
  ];
}

function matchTemplate(
  template: string,
  path: string,
): { pathParams: Record<string, string>; literals: number } | undefined {
  const want = template.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return undefined;
  const pathParams: Record<string, string> = {};
  let literals = 0;
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    let value: string;
    try {
      value = decodeURIComponent(got[i]!);
    } catch {
      return undefined;
    }
    const param = /^\{([^}]+)\}$/.exec(segment);
    if (param) pathParams[param[1]!] = value;
    else if (segment === value) literals++;
    else return undefined;
  }
  return { pathParams, literals };
}
