import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { createStaffToken } from '../../src/server/staff/index.js';
import { MAX_JSON_BYTES } from '../../src/server/validate.js';
import { startTestServer, type TestServer } from '../support/reference-server.js';

// #17.3: a JSON body is refused as soon as it passes the limit, whatever the transfer encoding, before the server
// holds it in memory.

let server: TestServer;
let staffToken: string;
before(async () => {
  server = await startTestServer();
  staffToken = (await createStaffToken(server.sql, { scope: '410000', role: 'handler', label: '河南省厅 测试' })).token;
});
after(() => server.close());

const MB = 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'a');

interface Outcome {
  /** Bytes the client handed to the socket before the answer came or the connection closed. */
  written: number;
  status?: number;
  body?: string;
  connection?: string;
}

/**
 * POSTs `total` bytes of a JSON string, chunked (no Content-Length), from a generator that honours backpressure; stops
 * at the first sign of refusal: the response, or the socket closing under it.
 */
function streamChunked(pathname: string, total: number, headers: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const url = new URL(pathname, server.url);
    const outcome: Outcome = { written: 0 };
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve(outcome);
    };
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } });
    assert.equal(req.getHeader('content-length'), undefined);
    req.on('response', (res) => {
      outcome.status = res.statusCode;
      outcome.connection = res.headers.connection;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (s: string) => (body += s));
      res.on('end', () => {
        outcome.body = body;
        req.destroy();
        finish();
      });
      res.on('error', finish);
    });
    req.on('error', finish);
    req.on('close', () => setImmediate(finish));
    function* chunks() {
      yield Buffer.from('{"phone":"');
      for (let sent = 0; sent < total; sent += CHUNK.length) yield CHUNK;
      yield Buffer.from('"}');
    }
    const source = chunks();
    const pump = () => {
      for (;;) {
        if (done || outcome.status !== undefined || req.destroyed) return;
        const next = source.next();
        if (next.done) return void req.end();
        outcome.written += next.value.length;
        if (!req.write(next.value)) return void req.once('drain', pump);
      }
    };
    req.flushHeaders();
    pump();
  });
}

const rss = () => process.memoryUsage().rss;

test('a 200 MB chunked body to POST /sms/codes is refused after a small part of it, without the server buffering it', async () => {
  global.gc?.();
  const before = rss();
  const outcome = await streamChunked('sms/codes', 200 * MB);
  const grown = rss() - before;
  assert.ok(outcome.written < 16 * MB, `the client wrote ${(outcome.written / MB).toFixed(1)} MB before being refused`);
  assert.ok(grown < 32 * MB, `RSS grew by ${(grown / MB).toFixed(1)} MB`);
  if (outcome.status !== undefined) {
    assert.equal(outcome.status, 413);
    assert.equal(JSON.parse(outcome.body!).error.code, 'BODY_TOO_LARGE');
    assert.equal(outcome.connection, 'close', 'the server stops reading and closes the connection');
  }
});

describe('every JSON route answers 413 BODY_TOO_LARGE to a chunked body over the limit', () => {
  const routes: [string, () => Promise<Record<string, string>>][] = [
    ['sms/codes', async () => ({})],
    ['reports', async () => ({ 'Idempotency-Key': crypto.randomUUID() })],
    ['reports/supplements', async () => ({ 'X-Report-Code': 'AQ00000000000000', 'X-Query-Key': 'ABCD-EFGH-JKLM-NPQR' })],
    ['dev/reports/AQ00000000000000/actions', async () => ({})],
    ['staff/reports', async () => ({ authorization: `Bearer ${staffToken}` })],
  ];
  for (const [route, headers] of routes) {
    test(`POST /${route}`, async () => {
      const outcome = await streamChunked(route, 4 * MB, await headers());
      assert.equal(outcome.status, 413, `answered ${outcome.status} after ${outcome.written} bytes`);
      assert.equal(JSON.parse(outcome.body!).error.code, 'BODY_TOO_LARGE');
      assert.ok(outcome.written < 4 * MB);
    });
  }
});

test('a body just under the limit, chunked, is read and validated as usual', async () => {
  const body = JSON.stringify({ phone: '1'.repeat(MAX_JSON_BYTES - 20) });
  assert.ok(Buffer.byteLength(body) < MAX_JSON_BYTES);
  const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(new URL('sms/codes', server.url), { method: 'POST', headers: { 'content-type': 'application/json' } });
    req.on('response', (r) => {
      let text = '';
      r.on('data', (s) => (text += s));
      r.on('end', () => resolve({ status: r.statusCode!, text }));
    });
    req.on('error', reject);
    // Two writes with no Content-Length: chunked.
    req.write(body.slice(0, 1000));
    req.end(body.slice(1000));
  });
  assert.equal(res.status, 400);
  assert.equal(JSON.parse(res.text).error.code, 'VALIDATION_FAILED');
});

/** Sends a head, then chunked bytes on a TCP connection until the server answers or closes. */
function rawExchange(head: string, bodyBytes: number): Promise<{ written: number; answer: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(server.port, '127.0.0.1');
    let answer = '';
    let written = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ written, answer });
    };
    socket.setEncoding('latin1');
    socket.on('data', (s: string) => {
      answer += s;
      if (/\r\n\r\n/.test(answer)) setImmediate(finish);
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.write(head);
    const chunk = `${CHUNK.length.toString(16)}\r\n${CHUNK.toString('latin1')}\r\n`;
    const pump = () => {
      while (!done && written < bodyBytes) {
        written += CHUNK.length;
        if (!socket.write(chunk, 'latin1')) return void socket.once('drain', pump);
      }
      if (!done) socket.write('0\r\n\r\n');
    };
    pump();
  });
}

test('a small Content-Length with a bigger chunked body is refused, not read to its end', async () => {
  const head =
    'POST /sms/codes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
    'Content-Length: 20\r\nTransfer-Encoding: chunked\r\n\r\n';
  const { written, answer } = await rawExchange(head, 200 * MB);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
  assert.ok(status === 400 || status === 413, `answered ${answer.slice(0, 40)}`);
  assert.ok(written < 16 * MB, `the client wrote ${(written / MB).toFixed(1)} MB`);
});

test('a small Content-Length followed by more bytes reads only what it declared', async () => {
  const socket = net.connect(server.port, '127.0.0.1');
  const answer = await new Promise<string>((resolve) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (s: string) => (text += s));
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
    socket.write(
      'POST /sms/codes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n' +
        `{"phone":"${'1'.repeat(MAX_JSON_BYTES * 4)}"}`,
    );
  });
  // The first 11 bytes are the whole body (not JSON); the rest is not a request: nothing reaches a handler as a body.
  assert.match(answer, /^HTTP\/1\.1 400/);
  assert.doesNotMatch(answer, / 5\d\d /);
});
