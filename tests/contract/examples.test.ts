/**
 * openapi.json's examples are true of the reference server: each parameter and request-body example, sent, gets an
 * answer the document allows; each error example is a body of its status with a code that status lists and the
 * server's own message. A query parameter or header the document does not list changes nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiErrorMessages } from '../../src/messages/zh-CN.js';
import type { ErrorBody } from '../../src/sdk/schemas/common.js';
import { startTestServer, type TestServer } from '../support/reference-server.js';
import { deref, operations, problemsWith, validatorAt, type Operation } from './document.js';
import { contractState, type ContractState } from './state.js';

let server: TestServer;
let state: ContractState;
before(async () => {
  server = await startTestServer();
  state = await contractState(server, 2);
});
after(() => server.close());

type Json = Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** The operation with good values everywhere, except `overrides` (by parameter name, or `body`). */
async function send(op: Operation, overrides: Record<string, unknown> = {}, extra: { query?: [string, string]; header?: [string, string] } = {}) {
  let path = op.path;
  const url = new URL(server.url);
  const headers = new Headers();
  for (const p of op.parameters) {
    const value = p.name in overrides ? overrides[p.name] : (state.good(op.name, p.name) ?? p.example);
    if (value === undefined) continue;
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(text(value)));
    else if (p.in === 'query') url.searchParams.set(p.name, text(value));
    else if (p.in === 'header') headers.set(p.name, text(value));
  }
  url.pathname = `${url.pathname.replace(/\/$/, '')}${path}`;
  if (extra.query) url.searchParams.append(...extra.query);
  if (extra.header) headers.set(...extra.header);
  if (op.secured) headers.set('authorization', `Bearer ${state.staffToken}`);
  let body: BodyInit | undefined;
  if (op.body) {
    const value = 'body' in overrides ? overrides.body : state.good(op.name, 'body');
    if (value !== undefined) {
      headers.set('content-type', op.body.type);
      body = value instanceof Uint8Array ? new Blob([value as Uint8Array<ArrayBuffer>]) : JSON.stringify(value);
    }
  }
  const res = await fetch(url, { method: op.method, headers, body });
  return { status: res.status, headers: res.headers, text: op.method === 'HEAD' ? '' : await res.text(), what: `${op.method} ${url.pathname}${url.search}` };
}

describe('every example in openapi.json holds', () => {
  for (const op of operations) {
    const examples = [
      ...op.parameters.flatMap((p) => [
        ...(p.example !== undefined ? [{ name: p.name, value: p.example }] : []),
        ...Object.values(p.examples ?? {}).map((ex) => ({ name: p.name, value: deref<Json>(ex, '').node.value })),
      ]),
      ...(op.body?.examples ?? []).map((ex) => ({ name: 'body', value: ex.value })),
    ];
    if (examples.length > 0) {
      test(`${op.name}: its ${examples.length} request example(s), sent, get an answer it documents`, async () => {
        server.clock.advance(3600_000); // a fresh rate-limit window
        await state.refill(examples.length);
        for (const { name, value } of examples) {
          const res = await send(op, { [name]: name === 'body' && op.name === 'POST /reports' ? { ...(value as Json), ackToken: state.ackTokens.pop() } : value });
          assert.deepEqual(problemsWith(op, res.status, res.headers, res.text), [], `${name} = ${text(value)}: ${res.what} → ${res.status}`);
        }
      });
    }
  }

  test('each error example is a body of its status, with a code that status lists and the server\'s message', () => {
    let seen = 0;
    for (const op of operations) {
      for (const [status, raw] of Object.entries(op.responses)) {
        const { node: response, pointer } = deref<Json>(raw, `${op.pointer}/responses/${status}`);
        const media = (response.content as Record<string, Json> | undefined)?.['application/json'];
        const codes = response['x-error-codes'] as string[] | undefined;
        for (const [name, ex] of Object.entries((media?.examples as Record<string, Json>) ?? {})) {
          const value = deref<Json>(ex, '').node.value as { error?: { code: string; message: string; fields?: unknown } };
          const where = `${op.name} ${status} example ${name}`;
          const validate = validatorAt(`${pointer}/content/application~1json/schema`);
          assert.ok(validate(value), `${where}: ${JSON.stringify(validate.errors)}`);
          if (Number(status) >= 400 && value.error) {
            assert.ok(codes?.includes(value.error.code), `${where}: ${value.error.code} is not among ${codes}`);
            assert.equal(value.error.message, apiErrorMessages[value.error.code as keyof typeof apiErrorMessages], where);
          }
          seen++;
        }
      }
    }
    assert.ok(seen > 20, `only ${seen} error examples`);
  });
});

describe('a query parameter or header the document does not list changes nothing', () => {
  // Safe methods only: repeating them changes no state, so both answers must be the same.
  for (const op of operations.filter((o) => o.method === 'GET' || o.method === 'HEAD')) {
    test(op.name, async () => {
      server.clock.advance(3600_000);
      const plain = await send(op);
      for (const extra of [{ query: ['debug', '1'] }, { query: ['admin', 'true'] }, { header: ['X-Debug', '1'] }, { header: ['X-Region', '110000'] }] as const) {
        const res = await send(op, {}, extra as { query?: [string, string]; header?: [string, string] });
        const what = `${res.what} with ${JSON.stringify(extra)}`;
        // Either ignored, or refused as the document says (a 400 it lists); never another answer.
        if (res.status === 400 && plain.status !== 400) assert.deepEqual(problemsWith(op, res.status, res.headers, res.text), [], what);
        // An answer without a documented body (GET /metrics: counters that move with every request) by its status.
        else if (!deref<Json>(op.responses[String(plain.status)], '').node.content) assert.equal(res.status, plain.status, what);
        else assert.deepEqual([res.status, res.text], [plain.status, plain.text], what);
      }
      assert.deepEqual(problemsWith(op, plain.status, plain.headers, plain.text), [], plain.what);
    });
  }
});

test('a method the document does not list for a path answers 405 METHOD_NOT_ALLOWED with Allow naming the ones it does', async () => {
  const byPath = new Map<string, Operation[]>();
  for (const op of operations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  for (const [template, ops] of byPath) {
    const documented = new Set(ops.map((op) => op.method));
    if (documented.has('GET')) documented.add('HEAD'); // HTTP: a GET resource answers HEAD
    const sample = ops[0]!;
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(state.good(sample.name, name) ?? 'x')));
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !documented.has(m))) {
      const res = await fetch(new URL(path.slice(1), server.url), { method });
      const what = `${method} ${template}`;
      assert.equal(res.status, 405, what);
      assert.deepEqual(new Set(res.headers.get('allow')?.split(/\s*,\s*/)), documented, what);
      assert.equal(((await res.json()) as ErrorBody).error.code, 'METHOD_NOT_ALLOWED', what);
    }
  }
});
