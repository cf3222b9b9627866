/**
 * The image upload path (server/images/read-upload.ts, server/assure/images-body.ts): raw bytes read
 * straight from Node's request, with Content-Length or chunked, never past the limit, and sent on as
 * the same dataURL JSON that JSON.stringify would give, as a byte body with its Content-Length.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setImagesBody } from '../../server/assure/images-body.ts';
import { jpegBytes } from '../helpers/images.ts';
import { startHarness, type Harness } from '../helpers/proxy-harness.ts';
import { json } from '../helpers/sandbox.ts';

const LIMIT = 200_000;
let h: Harness;

before(async () => {
  h = await startHarness({ env: { MAX_IMAGE_BYTES: String(LIMIT) } });
});
after(() => h.close());
beforeEach(() => {
  h.requests.length = 0;
});

async function session(): Promise<string> {
  const created = await h.api('/sessions', json({ mode: 'capture', documentType: 'passport' }));
  assert.equal(created.status, 201);
  return ((await created.json()) as { session: string }).session;
}

/** A PUT with a chunked body over a raw socket: `chunks` are written until the answer's head arrives. */
function chunkedPut(
  path: string,
  chunks: Iterable<Uint8Array>,
): Promise<{ status: number; body: string; sent: number }> {
  const { port } = new URL(h.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    let sent = 0;
    let answered = false;
    socket.on('error', (error) => (answered ? undefined : reject(error)));
    socket.on('data', (data) => {
      answered = true;
      answer += data.toString('latin1');
    });
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
      resolve({ status, body: answer.slice(answer.indexOf('\r\n\r\n') + 4), sent });
    });
    socket.write(
      `PUT ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
    );
    const iterator = chunks[Symbol.iterator]();
    const feed = () => {
      while (!answered && !socket.destroyed) {
        const next = iterator.next();
        if (next.done) {
          socket.write('0\r\n\r\n');
          return;
        }
        sent += next.value.byteLength;
        const more = socket.write(
          Buffer.concat([
            Buffer.from(`${next.value.byteLength.toString(16)}\r\n`),
            next.value,
            Buffer.from('\r\n'),
          ]),
        );
        if (!more) return void socket.once('drain', feed);
      }
    };
    feed();
  });
}

const dataUrlOf = (bytes: Uint8Array) =>
  `data:image/jpeg;base64,${Buffer.from(bytes).toString('base64')}`;

describe('the Set images body', () => {
  it('is the JSON that JSON.stringify gives, for every length, below and above the native-encoder size', () => {
    // 773 935 bytes make 1 031 916 base64 characters: from there Node's own encoder is used.
    for (const length of [1, 2, 3, 4, 5, 6, 1000, 773_933, 773_934, 773_935, 773_936, 1_200_001]) {
      const front = randomBytes(length);
      const back = randomBytes(length % 7);
      const body = setImagesBody({
        front: { mime: 'image/jpeg', bytes: front },
        back: { mime: 'image/png', bytes: back.subarray(0, back.length) },
      });
      const expected = JSON.stringify({
        front: `data:image/jpeg;base64,${front.toString('base64')}`,
        back: `data:image/png;base64,${back.toString('base64')}`,
      });
      // Not assert.equal: a failure would print megabytes.
      assert.ok(Buffer.from(body).toString('latin1') === expected, `length ${length}`);
    }
  });
});

describe('image uploads', () => {
  it('sends the upload on as the dataURL JSON, as bytes with a Content-Length', async () => {
    const token = await session();
    const bytes = jpegBytes(640, 480, 150_000);
    const answer = await h.api(`/sessions/${token}/images/front`, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg' },
      body: bytes,
    });
    assert.equal(answer.status, 200);
    const sent = h.requests.find((r) => r.method === 'POST' && r.path.endsWith('/images'));
    assert.ok(sent?.body instanceof Uint8Array, 'a byte body');
    const text = Buffer.from(sent.body).toString('utf8');
    assert.equal(text, JSON.stringify({ front: dataUrlOf(bytes) }));
  });

  it('reads a chunked upload under the limit intact', async () => {
    const token = await session();
    const bytes = jpegBytes(640, 480, 150_000);
    const pieces = [bytes.subarray(0, 1000), bytes.subarray(1000, 70_000), bytes.subarray(70_000)];
    const answer = await chunkedPut(`/api/sessions/${token}/images/front`, pieces);
    assert.equal(answer.status, 200, answer.body);
    const sent = h.requests.find((r) => r.method === 'POST' && r.path.endsWith('/images'));
    assert.ok(sent?.body instanceof Uint8Array);
    assert.deepEqual(JSON.parse(Buffer.from(sent.body).toString('utf8')), {
      front: dataUrlOf(bytes),
    });
  });

  it('refuses an endless chunked upload at the limit, answering while the client still sends', async () => {
    const token = await session();
    const head = jpegBytes(640, 480, 16_384);
    function* endless() {
      yield head;
      for (let i = 0; i < 100_000; i++) yield new Uint8Array(16_384);
    }
    const answer = await chunkedPut(`/api/sessions/${token}/images/front`, endless());
    assert.equal(answer.status, 413);
    assert.equal(
      (JSON.parse(answer.body) as { error: { code: string } }).error.code,
      'image_too_large',
    );
    assert.ok(answer.sent < 50 * LIMIT, `stopped early (${answer.sent} bytes sent)`);
    assert.equal(
      h.requests.filter((r) => r.path.endsWith('/images')).length,
      0,
      'nothing was sent to Signicat',
    );
  });

  it('refuses an announced length over the limit before reading the body', async () => {
    const token = await session();
    const answer = await h.api(`/sessions/${token}/images/front`, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg' },
      body: jpegBytes(640, 480, LIMIT + 1),
    });
    assert.equal(answer.status, 413);
    assert.equal(
      ((await answer.json()) as { error: { code: string } }).error.code,
      'image_too_large',
    );
  });
});
