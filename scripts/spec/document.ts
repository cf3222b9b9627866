/**
 * Loads an OpenAPI 3.1 description (a file the maintainer names; it never lives in this repository),
 * repairs the few generator quirks that would make a JSON Schema validator reject valid answers, and
 * lists its operations with their parameters, request body and responses resolved.
 */
import { readFile } from 'node:fs/promises';

export type JsonObject = Record<string, unknown>;

export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema?: unknown;
}

/** A media-type map: `{ "application/json": { schema } }`. */
export type ContentMap = Record<string, { schema?: unknown }>;

export interface SpecOperation {
  operationId: string;
  /** Upper case, e.g. `POST`. */
  method: string;
  /** Relative to the server base, e.g. `/dossiers/{dossierId}`. */
  pathTemplate: string;
  parameters: SpecParameter[];
  requestBody?: { required: boolean; content: ContentMap };
  /** Keyed by status code, `2XX`-style range or `default`. */
  responses: Record<string, { content?: ContentMap }>;
  /** The operation needs `Authorization: Bearer …` (an `http`/`bearer` security scheme applies). */
  bearer: boolean;
}

export interface SpecDocument {
  source: string;
  title: string;
  version: string;
  /** Path of the first server URL, e.g. `/assure`. Recorded URLs are matched below it. */
  basePath: string;
  /** The normalised document; schemas in it still use `#/components/...` references. */
  document: JsonObject;
  operations: SpecOperation[];
  /** What the normalisation changed, for the report (each a generator quirk, never a real rule). */
  repairs: string[];
}

export class SpecFileError extends Error {
  override readonly name = 'SpecFileError';
  constructor(
    message: string,
    readonly missing = false,
  ) {
    super(message);
  }
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

export async function loadSpec(file: string): Promise<SpecDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SpecFileError(
      `cannot read the OpenAPI file ${file} (${code ?? 'error'})`,
      code === 'ENOENT',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SpecFileError(
      `${file} is not JSON (only the JSON form of the OpenAPI description is read)`,
    );
  }
  return parseSpec(parsed, file);
}

export function parseSpec(input: unknown, source = '(inline)'): SpecDocument {
  if (!isObject(input) || typeof input.openapi !== 'string' || !isObject(input.paths)) {
    throw new SpecFileError(
      `${source} is not an OpenAPI description (no "openapi" version or "paths")`,
    );
  }
  if (!input.openapi.startsWith('3.'))
    throw new SpecFileError(`${source}: OpenAPI ${input.openapi} is not supported (3.x only)`);
  const repairs: string[] = [];
  const document = normalise(structuredClone(input), '', repairs) as JsonObject;
  const info = isObject(document.info) ? document.info : {};
  const servers = Array.isArray(document.servers) ? document.servers : [];
  const firstServer =
    isObject(servers[0]) && typeof servers[0].url === 'string' ? servers[0].url : '/';
  const basePath = new URL(firstServer, 'http://base.invalid').pathname.replace(/\/+$/, '');

  const operations: SpecOperation[] = [];
  for (const [pathTemplate, rawItem] of Object.entries(document.paths as JsonObject)) {
    const item = deref(document, rawItem);
    if (!isObject(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const operation = deref(document, item[method]);
      if (!isObject(operation)) continue;
      operations.push({
        operationId:
          typeof operation.operationId === 'string'
            ? operation.operationId
            : `${method.toUpperCase()} ${pathTemplate}`,
        method: method.toUpperCase(),
        pathTemplate,
        parameters: parameters(
          document,
          shared,
          Array.isArray(operation.parameters) ? operation.parameters : [],
        ),
        requestBody: requestBody(document, operation.requestBody),
        responses: responses(document, operation.responses),
        bearer: needsBearer(document, operation),
      });
    }
  }
  return {
    source,
    title: typeof info.title === 'string' ? info.title : '(untitled)',
    version: typeof info.version === 'string' ? info.version : '?',
    basePath,
    document,
    operations,
    repairs,
  };
}

/** Follows local `$ref`s (`#/components/...`) of non-schema objects: parameters, bodies, responses. */
export function deref(document: JsonObject, node: unknown, seen = new Set<string>()): unknown {
  if (!isObject(node) || typeof node.$ref !== 'string') return node;
  const ref = node.$ref;
  if (!ref.startsWith('#/'))
    throw new SpecFileError(`only local references are supported, not ${ref}`);
  if (seen.has(ref)) throw new SpecFileError(`reference loop at ${ref}`);
  seen.add(ref);
  const target = pointer(document, ref.slice(1));
  if (target === undefined) throw new SpecFileError(`unresolved reference ${ref}`);
  return deref(document, target, seen);
}

/** RFC 6901 JSON pointer (`/components/schemas/Dossier`) into `document`. */
export function pointer(document: unknown, path: string): unknown {
  let node: unknown = document;
  for (const raw of path.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function parameters(document: JsonObject, shared: unknown[], own: unknown[]): SpecParameter[] {
  const byKey = new Map<string, SpecParameter>();
  // Operation parameters override path-item ones with the same name and location (OpenAPI 3.1 §4.8.9).
  for (const raw of [...shared, ...own]) {
    const p = deref(document, raw);
    if (!isObject(p) || typeof p.name !== 'string' || typeof p.in !== 'string') continue;
    const location = p.in as SpecParameter['in'];
    byKey.set(`${location}:${p.name}`, {
      name: p.name,
      in: location,
      required: p.required === true || location === 'path',
      schema: p.schema,
    });
  }
  return [...byKey.values()];
}

function requestBody(document: JsonObject, raw: unknown): SpecOperation['requestBody'] {
  const body = deref(document, raw);
  if (!isObject(body)) return undefined;
  return { required: body.required === true, content: contentMap(body.content) };
}

function responses(document: JsonObject, raw: unknown): SpecOperation['responses'] {
  const out: SpecOperation['responses'] = {};
  if (!isObject(raw)) return out;
  for (const [status, value] of Object.entries(raw)) {
    const response = deref(document, value);
    if (!isObject(response)) continue;
    out[status.toUpperCase() === 'DEFAULT' ? 'default' : status.toUpperCase()] = {
      content: response.content === undefined ? undefined : contentMap(response.content),
    };
  }
  return out;
}

function contentMap(raw: unknown): ContentMap {
  const out: ContentMap = {};
  if (!isObject(raw)) return out;
  for (const [mediaType, value] of Object.entries(raw)) {
    out[mediaType.toLowerCase()] = isObject(value) ? { schema: value.schema } : {};
  }
  return out;
}

function needsBearer(document: JsonObject, operation: JsonObject): boolean {
  const requirements = Array.isArray(operation.security)
    ? operation.security
    : Array.isArray(document.security)
      ? document.security
      : [];
  const components = isObject(document.components) ? document.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  return requirements.some(
    (requirement) =>
      isObject(requirement) &&
      Object.keys(requirement).some((name) => {
        const scheme = schemes[name];
        return (
          isObject(scheme) &&
          scheme.type === 'http' &&
          String(scheme.scheme).toLowerCase() === 'bearer'
        );
      }),
  );
}

/**
 * OpenAPI-isms a JSON Schema 2020-12 validator misreads, repaired in a copy of the document:
 * - `nullable: true` (OpenAPI 3.0) → `null` added to `type` (and `enum`);
 * - `enum` of strings on an array schema (a generator quirk: Signicat's `depictions` and `redact`) → the
 *   enum moved to `items`, which is what the description means; as written no array could ever match.
 * Example values are left alone (they are data, not schemas).
 */
function normalise(node: unknown, path: string, repairs: string[], propertyMap = false): unknown {
  if (Array.isArray(node)) return node.map((item, i) => normalise(item, `${path}/${i}`, repairs));
  if (!isObject(node)) return node;
  for (const [key, value] of Object.entries(node)) {
    // In a `properties` map the keys are property names (a property may be called "example").
    if (!propertyMap && (key === 'example' || key === 'examples')) continue;
    const childPath = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    node[key] = normalise(
      value,
      childPath,
      repairs,
      !propertyMap && (key === 'properties' || key === 'patternProperties'),
    );
  }
  if (propertyMap) return node;
  if (node.nullable === true && (typeof node.type === 'string' || Array.isArray(node.type))) {
    const types = Array.isArray(node.type) ? node.type : [node.type];
    if (!types.includes('null')) node.type = [...types, 'null'];
    if (Array.isArray(node.enum) && !node.enum.includes(null)) node.enum = [...node.enum, null];
    delete node.nullable;
    repairs.push(`${path}: nullable → type includes null`);
  }
  if (
    node.type === 'array' &&
    Array.isArray(node.enum) &&
    node.enum.every((v) => typeof v !== 'object' || v === null)
  ) {
    const items = isObject(node.items) ? node.items : {};
    node.items = { ...items, enum: node.enum };
    delete node.enum;
    repairs.push(`${path}: enum on an array moved to its items`);
  }
  return node;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
