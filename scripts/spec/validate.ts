/**
 * Checks one recorded exchange against the spec: the operation exists, the status is one it lists,
 * the response body matches the listed schema (JSON) or content type (zip and other binaries), and the
 * request the client sent matches: body schema, content type, required and known query parameters,
 * path parameters, bearer token. Schemas are compiled with ajv (JSON Schema 2020-12, the dialect of
 * OpenAPI 3.1); `strict: false` because the spec carries `example` and other annotations.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import {
  isObject,
  pointer,
  type ContentMap,
  type SpecDocument,
  type SpecOperation,
  type SpecParameter,
} from './document.ts';
import { matchOperation, methodsForPath, relativeRequest } from './match.ts';
import { isJson, mediaType, type RecordedExchange } from './record.ts';
import { checkTokenExchange, isTokenUrl } from './token.ts';

export interface ExchangeVerdict {
  /** `operation`: matched in the spec; `token`: the token endpoint (checked by its own rules); `unknown`: not in the spec. */
  kind: 'operation' | 'token' | 'unknown';
  /** The spec's operationId, `token`, or `not in spec`. */
  operation: string;
  method: string;
  /** The spec's path template (`/dossiers/{dossierId}`), else the URL's path. */
  path: string;
  status: number;
  requestOk: boolean;
  responseOk: boolean;
  requestProblems: string[];
  responseProblems: string[];
  /** Worth knowing, not a mismatch: e.g. request fields the schema does not declare (allowed, maybe ignored). */
  notes: string[];
  label?: string;
}

export interface SpecValidator {
  spec: SpecDocument;
  check(exchange: RecordedExchange): ExchangeVerdict;
}

/** `$id` under which the document's components are registered, so `#/components/...` refs resolve. */
const SPEC_ID = 'https://signicat-verify.invalid/openapi.json';

/** Query parameter values that may be printed in a problem (never tokens or personal data in the Assure API). */
const MAX_SHOWN_VALUE = 40;

export function createSpecValidator(spec: SpecDocument): SpecValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true, validateFormats: true });
  addFormats(ajv);
  // OpenAPI's own formats (ajv-formats does not know them).
  const int = (bits: number) => (n: number) =>
    Number.isInteger(n) && n >= -(2 ** (bits - 1)) && n < 2 ** (bits - 1);
  ajv.addFormat('int32', { type: 'number', validate: int(32) });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  for (const name of ['binary', 'byte', 'password']) ajv.addFormat(name, true);
  // Annotations OpenAPI adds to JSON Schema: known, so they never count as unknown keywords.
  // (`nullable` is built into ajv; the document loader has already turned it into a `null` type.)
  for (const keyword of ['example', 'discriminator', 'xml', 'externalDocs'])
    if (!ajv.getKeyword(keyword)) ajv.addKeyword(keyword);
  ajv.addSchema({ $id: SPEC_ID, components: spec.document.components ?? {} });

  const compiled = new Map<string, ValidateFunction | Error>();
  function validatorFor(key: string, schema: unknown): ValidateFunction | Error {
    let found = compiled.get(key);
    if (!found) {
      try {
        found = ajv.compile(rebase(schema) as object);
      } catch (error) {
        found = error instanceof Error ? error : new Error(String(error));
      }
      compiled.set(key, found);
    }
    return found;
  }

  function validate(key: string, schema: unknown, value: unknown, where: string): string[] {
    if (schema === undefined) return [];
    const validator = validatorFor(key, schema);
    if (validator instanceof Error)
      return [`${where}: the spec's schema does not compile (${validator.message})`];
    return validator(value) ? [] : describeErrors(validator.errors ?? [], where);
  }

  return {
    spec,
    check(exchange) {
      const { path, query, fullPath } = relativeRequest(exchange.url, spec.basePath);
      const base = {
        method: exchange.method,
        status: exchange.status,
        ...(exchange.label !== undefined && { label: exchange.label }),
      };
      if (isTokenUrl(fullPath))
        return {
          ...base,
          ...checkTokenExchange(exchange),
          notes: [],
          kind: 'token',
          operation: 'token',
          path: fullPath,
        };
      const match = path === undefined ? undefined : matchOperation(spec, exchange.method, path);
      if (!match || path === undefined) {
        const methods = path === undefined ? [] : methodsForPath(spec, path);
        const why =
          methods.length > 0
            ? `${exchange.method} is not an operation of this path (spec: ${methods.join(', ')})`
            : `not in spec (no path matches ${fullPath} below ${spec.basePath || '/'})`;
        return {
          ...base,
          kind: 'unknown',
          operation: 'not in spec',
          path: fullPath,
          requestOk: false,
          responseOk: false,
          requestProblems: [why],
          responseProblems: [],
          notes: [],
        };
      }
      const { operation, pathParams } = match;
      // Compiled validators are cached per operation and place (request body, 200 JSON, a parameter…).
      const scoped: Validate = (key, schema, value, where) =>
        validate(`${operation.operationId}:${key}`, schema, value, where);
      const requestProblems = [
        ...checkAuthorization(operation, exchange),
        ...checkParameters(operation, pathParams, query, scoped),
        ...checkRequestBody(operation, exchange, scoped),
      ];
      const responseProblems = checkResponse(operation, exchange, scoped);
      return {
        ...base,
        kind: 'operation',
        operation: operation.operationId,
        path: operation.pathTemplate,
        requestOk: requestProblems.length === 0,
        responseOk: responseProblems.length === 0,
        requestProblems,
        responseProblems,
        notes: undeclaredFields(spec, operation, exchange),
      };
    },
  };
}

type Validate = (key: string, schema: unknown, value: unknown, where: string) => string[];

function checkAuthorization(operation: SpecOperation, exchange: RecordedExchange): string[] {
  if (!operation.bearer) return [];
  const scheme = (exchange.requestHeaders.authorization ?? '').split(' ')[0]!.toLowerCase();
  return scheme === 'bearer' ? [] : ['request: no Authorization: Bearer header'];
}

function checkParameters(
  operation: SpecOperation,
  pathParams: Record<string, string>,
  query: URLSearchParams,
  validate: Validate,
): string[] {
  const problems: string[] = [];
  const byName = new Map(
    operation.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]),
  );
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path') {
      const value = pathParams[parameter.name];
      if (value === undefined) continue;
      problems.push(
        ...validate(
          `path:${parameter.name}`,
          parameter.schema,
          coerce(parameter, [value]),
          `request path parameter ${parameter.name}`,
        ),
      );
    } else if (parameter.in === 'query') {
      const values = query.getAll(parameter.name);
      if (values.length === 0) {
        if (parameter.required)
          problems.push(`request: required query parameter ${parameter.name} missing`);
        continue;
      }
      problems.push(
        ...validate(
          `query:${parameter.name}`,
          parameter.schema,
          coerce(parameter, values),
          `request query parameter ${parameter.name}`,
        ),
      );
    }
  }
  for (const name of new Set(query.keys())) {
    if (!byName.has(name))
      problems.push(
        `request: query parameter ${name} is not in the spec (spec: ${[...byName.keys()].join(', ') || 'none'})`,
      );
  }
  return problems;
}

/** Query and path values are strings on the wire; turn them into what the parameter's schema expects. */
function coerce(parameter: SpecParameter, values: string[]): unknown {
  const schema = isObject(parameter.schema) ? parameter.schema : {};
  const scalar = (value: string, type: unknown): unknown => {
    if (
      (type === 'integer' || type === 'number') &&
      value.trim() !== '' &&
      !Number.isNaN(Number(value))
    )
      return Number(value);
    if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
    return value;
  };
  if (schema.type === 'array') {
    const items = isObject(schema.items) ? schema.items : {};
    // Repeated (`status=a&status=b`) and comma-separated (`status=a,b`) both bind to a list.
    return values.flatMap((v) => v.split(',')).map((v) => scalar(v, items.type));
  }
  return scalar(values.at(-1)!, schema.type);
}

function checkRequestBody(
  operation: SpecOperation,
  exchange: RecordedExchange,
  validate: Validate,
): string[] {
  const spec = operation.requestBody;
  const sent = exchange.requestBody !== undefined;
  if (!spec) return sent ? ['request: a body was sent but the operation takes none'] : [];
  if (!sent) return spec.required ? ['request: the operation requires a body, none was sent'] : [];
  const media = mediaType(exchange.requestContentType);
  const key = pickContent(spec.content, media);
  if (key === undefined) {
    return [
      `request: content type ${media || '(none)'} is not one the operation takes (spec: ${Object.keys(spec.content).join(', ')})`,
    ];
  }
  if (!isJson(media)) return [];
  return validate(
    `request:${key}`,
    spec.content[key]!.schema,
    exchange.requestBody,
    'request body',
  );
}

function checkResponse(
  operation: SpecOperation,
  exchange: RecordedExchange,
  validate: Validate,
): string[] {
  if (exchange.status === 0) return [`response: none (${exchange.error ?? 'request failed'})`];
  const statusKey = responseKey(operation, exchange.status);
  if (statusKey === undefined) {
    return [
      `response: status ${exchange.status} is not listed (spec: ${Object.keys(operation.responses).join(', ')})`,
    ];
  }
  const listed = operation.responses[statusKey]!;
  const content = listed.content ?? {};
  const hasBody = exchange.responseBytes > 0;
  const media = mediaType(exchange.responseContentType);
  // 204 and 304 never carry a body, whatever content the spec lists for them.
  if (exchange.status === 204 || exchange.status === 304 || Object.keys(content).length === 0) {
    return hasBody
      ? [
          `response: ${exchange.status} should have no body (got ${exchange.responseBytes} bytes of ${media || 'no content type'})`,
        ]
      : [];
  }
  if (!hasBody)
    return [
      `response: empty body; the spec lists ${Object.keys(content).join(', ')} for ${statusKey}`,
    ];
  const key = pickContent(content, media);
  if (key === undefined) {
    return [
      `response: content type ${media || '(none)'} is not listed for ${statusKey} (spec: ${Object.keys(content).join(', ')})`,
    ];
  }
  if (!isJson(media)) return [];
  if (exchange.responseJsonInvalid) return ['response: the body is not valid JSON'];
  return validate(
    `response:${statusKey}:${key}`,
    content[key]!.schema,
    exchange.responseBody,
    'response body',
  );
}

/**
 * Top-level request body fields the operation's schema does not declare. The schemas allow extra
 * fields, so this is a note, not a mismatch: Assure may ignore them (the legacy `notificationUrl`).
 */
function undeclaredFields(
  spec: SpecDocument,
  operation: SpecOperation,
  exchange: RecordedExchange,
): string[] {
  const content = operation.requestBody?.content;
  const body = exchange.requestBody;
  if (!content || !isObject(body)) return [];
  const key = pickContent(content, mediaType(exchange.requestContentType));
  let schema: unknown = key === undefined ? undefined : content[key]!.schema;
  for (let hops = 0; isObject(schema) && typeof schema.$ref === 'string' && hops < 10; hops++) {
    schema = pointer(spec.document, schema.$ref.replace(/^#/, ''));
  }
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  const declared = schema.properties;
  const extra = Object.keys(body).filter((name) => !(name in declared));
  return extra.length > 0 ? [`request fields not in the spec: ${extra.join(', ')}`] : [];
}

function responseKey(operation: SpecOperation, status: number): string | undefined {
  const exact = String(status);
  if (operation.responses[exact]) return exact;
  const range = `${Math.floor(status / 100)}XX`;
  if (operation.responses[range]) return range;
  return operation.responses.default ? 'default' : undefined;
}

/** The spec's media-type key for an actual content type: exact, then `type/*`, then `*\/*`. */
function pickContent(content: ContentMap, media: string): string | undefined {
  if (media === '') return undefined;
  if (content[media]) return media;
  const wildcard = `${media.split('/')[0]}/*`;
  if (content[wildcard]) return wildcard;
  return content['*/*'] ? '*/*' : undefined;
}

/** A copy of an operation-level schema whose local refs point into the registered components. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (!isObject(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/'))
      out[key] = `${SPEC_ID}${value}`;
    else if (key === 'example' || key === 'examples') out[key] = value;
    else out[key] = rebase(value);
  }
  return out;
}

/** ajv errors as short lines: where, what, and a short scalar value when it helps (never objects). */
function describeErrors(errors: ErrorObject[], where: string): string[] {
  const lines = errors.map((error) => {
    const at = error.instancePath ? ` ${error.instancePath}` : '';
    let detail = error.message ?? 'is invalid';
    const params = error.params as Record<string, unknown>;
    if (Array.isArray(params.allowedValues)) detail += ` (${params.allowedValues.join(', ')})`;
    if (typeof params.additionalProperty === 'string') detail += `: ${params.additionalProperty}`;
    const value = (error as ErrorObject & { data?: unknown }).data;
    const shown =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? JSON.stringify(value)
        : undefined;
    if (shown !== undefined && shown.length <= MAX_SHOWN_VALUE && error.keyword !== 'required')
      detail += `, got ${shown}`;
    return `${where}${at}: ${detail}`;
  });
  return [...new Set(lines)];
}
