/**
 * The Assure conformance check: the validation engine on hand-made exchanges (it must catch a wrong
 * status, a bad request body, a missing query parameter, a wrong content type…), the recording fetch,
 * and the full check against ../shared/reference/assure-openapi.json when that file exists.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { listen } from '../../server/http/listen.ts';
import { OPERATIONS_USED, runConformance } from '../../scripts/spec/conformance.ts';
import { loadSpec, parseSpec, SpecFileError } from '../../scripts/spec/document.ts';
import { createRecorder, REDACTED, type RecordedExchange } from '../../scripts/spec/record.ts';
import { formatConformance } from '../../scripts/spec/report.ts';
import { createSpecValidator } from '../../scripts/spec/validate.ts';

const SPEC_FILE = fileURLToPath(
  new URL('../../../shared/reference/assure-openapi.json', import.meta.url),
);
const HAVE_SPEC = existsSync(SPEC_FILE);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A small OpenAPI 3.1 document with the shapes that matter: refs, nullable, example, array enum, zip. */
const MINI = {
  openapi: '3.1.0',
  info: { title: 'mini', version: '1' },
  servers: [{ url: 'https://api.example/assure' }],
  security: [{ bearer: [] }],
  paths: {
    '/dossiers/{dossierId}/processes': {
      post: {
        operationId: 'createProcess',
        parameters: [{ name: 'dossierId', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/ProcessRequest' } },
          },
        },
        responses: {
          '201': {
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/ProcessResponse' } },
            },
          },
          '400': {
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } },
          },
        },
      },
    },
    '/dossiers/{dossierId}': {
      delete: { operationId: 'deleteDossier', responses: { '204': { description: 'gone' } } },
    },
    // After the template on purpose: the literal path must win by specificity, not by order.
    '/dossiers/all': {
      delete: { operationId: 'deleteAllDossiers', responses: { '204': { description: 'gone' } } },
    },
    '/dossiers/{dossierId}/processes/{processId}/download': {
      get: {
        operationId: 'getZipFile',
        responses: {
          '200': {
            content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
          },
          '204': {
            content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
          },
        },
      },
    },
    '/processes': {
      get: {
        operationId: 'getAllProcess',
        parameters: [
          { name: 'startCreationDate', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'status', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 2000 },
          },
        ],
        responses: { '200': { content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      ProcessRequest: {
        type: 'object',
        required: ['provider'],
        properties: {
          provider: { type: 'string', enum: ['onfido', 'signicatpaper'], example: 'onfido' },
          documentCountry: { type: 'string', nullable: true, example: 'NO' },
          example: { type: 'integer' },
        },
      },
      ProcessResponse: {
        type: 'object',
        properties: {
          processId: { type: 'string' },
          status: { type: 'string', enum: ['pending', 'processing'] },
          depictions: { type: 'array', enum: ['front', 'back'], items: { type: 'string' } },
          failReason: { $ref: '#/components/schemas/Reason' },
        },
      },
      Reason: { description: 'schemaless' },
      Problem: { type: 'object', properties: { title: { type: 'string' } } },
    },
  },
};

function exchange(partial: Partial<RecordedExchange>): RecordedExchange {
  return {
    method: 'POST',
    url: 'http://127.0.0.1:1/assure/dossiers/d1/processes',
    requestHeaders: { authorization: `Bearer ${REDACTED}`, 'content-type': 'application/json' },
    requestContentType: 'application/json',
    requestBody: { provider: 'onfido' },
    status: 201,
    responseContentType: 'application/json',
    responseBody: { processId: 'p1', status: 'pending' },
    responseBytes: 40,
    ...partial,
  };
}

describe('spec validation engine (hand-made exchanges)', () => {
  const validator = createSpecValidator(parseSpec(structuredClone(MINI), 'mini'));

  it('passes a conforming exchange (refs resolved, nullable and example compile)', () => {
    const verdict = validator.check(
      exchange({ requestBody: { provider: 'signicatpaper', documentCountry: null, example: 3 } }),
    );
    assert.deepEqual(
      [verdict.operation, verdict.path],
      ['createProcess', '/dossiers/{dossierId}/processes'],
    );
    assert.deepEqual([...verdict.requestProblems, ...verdict.responseProblems], []);
    assert.ok(verdict.requestOk && verdict.responseOk);
  });

  it('notes request fields the schema does not declare, without failing them', () => {
    const verdict = validator.check(
      exchange({ requestBody: { provider: 'onfido', notificationUrl: 'https://x.example/cb' } }),
    );
    assert.equal(verdict.requestOk, true);
    assert.deepEqual(verdict.notes, ['request fields not in the spec: notificationUrl']);
    assert.deepEqual(validator.check(exchange({})).notes, []);
  });

  it('catches a status code the operation does not list', () => {
    const verdict = validator.check(exchange({ status: 200 }));
    assert.equal(verdict.responseOk, false);
    assert.deepEqual(verdict.responseProblems, [
      'response: status 200 is not listed (spec: 201, 400)',
    ]);
    assert.equal(verdict.requestOk, true);
  });

  it('catches a bad request body: wrong enum, wrong type, missing required field', () => {
    const verdict = validator.check(
      exchange({ requestBody: { provider: 'eid', documentCountry: 578 } }),
    );
    assert.equal(verdict.requestOk, false);
    assert.equal(verdict.responseOk, true);
    assert.ok(
      verdict.requestProblems.some((p) =>
        /\/provider: must be equal to one of the allowed values .*got "eid"/.test(p),
      ),
      verdict.requestProblems.join('\n'),
    );
    assert.ok(
      verdict.requestProblems.some((p) => /\/documentCountry: must be string,null/.test(p)),
      verdict.requestProblems.join('\n'),
    );
    const missing = validator.check(exchange({ requestBody: { documentCountry: 'NO' } }));
    assert.ok(
      missing.requestProblems.some((p) => /must have required property 'provider'/.test(p)),
    );
    const none = validator.check(
      exchange({ requestBody: undefined, requestContentType: undefined }),
    );
    assert.deepEqual(none.requestProblems, [
      'request: the operation requires a body, none was sent',
    ]);
  });

  it('catches a bad response body through a $ref, and accepts any failReason', () => {
    const verdict = validator.check(
      exchange({
        responseBody: { processId: 7, status: 'done', failReason: { type: 'x', message: 'y' } },
      }),
    );
    assert.equal(verdict.responseOk, false);
    assert.equal(verdict.responseProblems.length, 2, verdict.responseProblems.join('\n'));
    assert.equal(
      validator.check(exchange({ responseBody: { processId: 'p', failReason: 'text' } }))
        .responseOk,
      true,
    );
  });

  it('reads an enum on an array as an enum of its items (generator quirk), and still catches bad items', () => {
    assert.equal(
      validator.check(exchange({ responseBody: { processId: 'p', depictions: ['front', 'back'] } }))
        .responseOk,
      true,
    );
    const bad = validator.check(
      exchange({ responseBody: { processId: 'p', depictions: ['front', 'portrait'] } }),
    );
    assert.deepEqual(
      bad.responseProblems.map((p) => p.split(':')[0]),
      ['response body /depictions/1'],
    );
  });

  it('catches a missing bearer token, a wrong request content type and a body where none belongs', () => {
    const verdict = validator.check(
      exchange({
        requestHeaders: {},
        requestContentType: 'text/plain',
        requestBody: 'provider=onfido',
      }),
    );
    assert.deepEqual(verdict.requestProblems, [
      'request: no Authorization: Bearer header',
      'request: content type text/plain is not one the operation takes (spec: application/json)',
    ]);
    const deleted = validator.check(
      exchange({
        method: 'DELETE',
        url: 'http://h/assure/dossiers/d1',
        status: 204,
        responseBytes: 0,
        responseBody: undefined,
      }),
    );
    assert.deepEqual(
      [deleted.operation, deleted.requestProblems],
      ['deleteDossier', ['request: a body was sent but the operation takes none']],
    );
  });

  it('prefers literal path segments (/dossiers/all over /dossiers/{dossierId})', () => {
    const base = {
      method: 'DELETE',
      requestBody: undefined,
      requestContentType: undefined,
      status: 204,
      responseBytes: 0,
      responseBody: undefined,
    };
    assert.equal(
      validator.check(exchange({ ...base, url: 'http://h/emulator/assure/dossiers/all' }))
        .operation,
      'deleteAllDossiers',
    );
    assert.equal(
      validator.check(exchange({ ...base, url: 'http://h/emulator/assure/dossiers/abc' }))
        .operation,
      'deleteDossier',
    );
  });

  it('checks query parameters: required present, values valid, names known', () => {
    const get = {
      method: 'GET',
      requestBody: undefined,
      requestContentType: undefined,
      status: 200,
      responseBody: {},
    };
    assert.equal(
      validator.check(
        exchange({
          ...get,
          url: 'http://h/assure/processes?startCreationDate=2024-01-01T00:00:00Z&status=accepted,rejected&limit=10',
        }),
      ).requestOk,
      true,
    );
    const verdict = validator.check(
      exchange({ ...get, url: 'http://h/assure/processes?statusList=accepted&limit=5000' }),
    );
    assert.deepEqual(verdict.requestProblems, [
      'request: required query parameter startCreationDate missing',
      'request query parameter limit: must be <= 2000, got 5000',
      'request: query parameter statusList is not in the spec (spec: startCreationDate, status, limit)',
    ]);
  });

  it('checks the content type of binary answers and that 204 has no body', () => {
    const download = {
      method: 'GET',
      url: 'http://h/assure/dossiers/d/processes/p/download',
      requestBody: undefined,
      requestContentType: undefined,
    };
    assert.equal(
      validator.check(
        exchange({
          ...download,
          status: 200,
          responseContentType: 'application/zip',
          responseBody: { binary: true, bytes: 22 },
          responseBytes: 22,
        }),
      ).responseOk,
      true,
    );
    assert.deepEqual(
      validator.check(
        exchange({
          ...download,
          status: 200,
          responseContentType: 'application/octet-stream',
          responseBody: { binary: true, bytes: 22 },
          responseBytes: 22,
        }),
      ).responseProblems,
      [
        'response: content type application/octet-stream is not listed for 200 (spec: application/zip)',
      ],
    );
    assert.deepEqual(
      validator.check(
        exchange({
          ...download,
          status: 200,
          responseContentType: 'application/zip',
          responseBody: undefined,
          responseBytes: 0,
        }),
      ).responseProblems,
      ['response: empty body; the spec lists application/zip for 200'],
    );
    assert.equal(
      validator.check(
        exchange({
          ...download,
          status: 204,
          responseContentType: undefined,
          responseBody: undefined,
          responseBytes: 0,
        }),
      ).responseOk,
      true,
    );
  });

  it('reports unknown paths as not in spec', () => {
    const verdict = validator.check(
      exchange({ url: 'http://h/assure/dossiers/d1/processes/p1/notes' }),
    );
    assert.deepEqual(
      [verdict.kind, verdict.operation, verdict.requestOk],
      ['unknown', 'not in spec', false],
    );
    const wrongMethod = validator.check(exchange({ method: 'PUT' }));
    assert.match(
      wrongMethod.requestProblems[0]!,
      /PUT is not an operation of this path \(spec: POST\)/,
    );
  });

  it('checks the token endpoint by its own rules (not in the spec)', () => {
    const token = (partial: Partial<RecordedExchange>) =>
      validator.check(
        exchange({
          url: 'http://h/auth/open/connect/token',
          requestHeaders: { authorization: `Basic ${REDACTED}` },
          requestContentType: 'application/x-www-form-urlencoded;charset=UTF-8',
          requestBody: { grant_type: 'client_credentials', scope: 'signicat-api' },
          status: 200,
          responseBody: { access_token: REDACTED, token_type: 'Bearer', expires_in: 600 },
          ...partial,
        }),
      );
    const good = token({});
    assert.deepEqual([good.kind, good.requestOk, good.responseOk], ['token', true, true]);
    const bad = token({
      requestHeaders: {},
      requestBody: { grant_type: 'password', client_secret: REDACTED },
    });
    assert.deepEqual(bad.requestProblems, [
      'request: grant_type must be client_credentials',
      'request: scope is missing',
      'request: the client secret must go in the Authorization header only (HTTP Basic), not the body',
      'request: no Authorization: Basic header (client_secret_basic)',
    ]);
    assert.equal(
      token({ status: 401, responseBody: { error: 'invalid_client' } }).responseOk,
      true,
    );
    assert.equal(token({ status: 500, responseBody: undefined }).responseOk, false);
  });

  it('refuses what is not an OpenAPI document', () => {
    assert.throws(() => parseSpec({ swagger: '2.0' }), SpecFileError);
  });
});

describe('recording fetch', () => {
  it('records both sides, redacts credentials and tokens, shortens dataURLs, and leaves the exchange intact', async () => {
    const server = await listen(async (request) => {
      const body = await request.text();
      return Response.json(
        { access_token: 'tok-123456789', authorization: 'sdk-token', echo: body.length },
        { status: 201 },
      );
    });
    try {
      const recorder = createRecorder();
      recorder.label('step one');
      const image = `data:image/jpeg;base64,${'A'.repeat(5000)}`;
      const response = await recorder.fetch(`${server.url}/assure/dossiers?x=1`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer secret-bearer-token',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ front: image, authorizationHeader: 'Bearer cb-secret' }),
      });
      // The caller still gets the whole answer, and the server got the whole body.
      const answer = (await response.json()) as { echo: number; access_token: string };
      assert.equal(answer.access_token, 'tok-123456789');
      assert.equal(
        answer.echo,
        JSON.stringify({ front: image, authorizationHeader: 'Bearer cb-secret' }).length,
      );
      const [recorded] = await recorder.exchanges();
      assert.ok(recorded);
      assert.equal(recorded.label, 'step one');
      assert.equal(recorded.requestHeaders.authorization, `Bearer ${REDACTED}`);
      const sent = recorded.requestBody as { front: string; authorizationHeader: string };
      assert.equal(sent.authorizationHeader, REDACTED);
      assert.match(sent.front, /^data:image\/jpeg;base64,A{48}…\[\+4952 chars\]$/);
      assert.deepEqual(recorded.responseBody, {
        access_token: REDACTED,
        authorization: REDACTED,
        echo: answer.echo,
      });
      assert.equal(recorded.status, 201);
      assert.doesNotMatch(
        JSON.stringify(recorded),
        /secret-bearer-token|tok-123456789|sdk-token|cb-secret/,
      );
    } finally {
      await server.close();
    }
  });

  it('records form bodies (token requests) with the secret fields redacted', async () => {
    const server = await listen(async () => new Response(null, { status: 204 }));
    try {
      const recorder = createRecorder();
      await recorder.fetch(`${server.url}/auth/open/connect/token`, {
        method: 'POST',
        headers: { authorization: 'Basic dXNlcjpwYXNz' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope: 'signicat-api',
          client_secret: 'x',
        }),
      });
      const [recorded] = await recorder.exchanges();
      assert.deepEqual(recorded!.requestBody, {
        grant_type: 'client_credentials',
        scope: 'signicat-api',
        client_secret: REDACTED,
      });
      assert.equal(recorded!.requestHeaders.authorization, `Basic ${REDACTED}`);
      assert.equal(recorded!.responseBytes, 0);
    } finally {
      await server.close();
    }
  });
});

describe('npm run check:assure-spec', () => {
  it('exits 2 and says so when the spec file is missing', async () => {
    const run = promisify(execFile);
    const failed = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/check-assure-spec.ts', 'no/such/openapi.json'],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '' },
      },
    ).then(
      () => assert.fail('expected exit 2'),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(failed.code, 2);
    assert.match(failed.stderr, /was not found/);
  });

  it(
    'finds no mismatch between the emulator, the client, the proxy flows and the shared OpenAPI file',
    {
      skip: HAVE_SPEC
        ? false
        : `no ${SPEC_FILE}: the conformance check needs Signicat's OpenAPI file`,
    },
    async () => {
      const spec = await loadSpec(SPEC_FILE);
      assert.equal(spec.basePath, '/assure');
      const result = await runConformance(SPEC_FILE);
      const seen = new Set(result.verdicts.map((v) => v.operation));
      assert.deepEqual(
        OPERATIONS_USED.filter((op) => !seen.has(op)),
        [],
        'every operation the proxy uses was exercised',
      );
      assert.ok(result.ok, formatConformance(result));
    },
  );
});
