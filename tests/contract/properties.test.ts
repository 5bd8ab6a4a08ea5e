/**
 * A property-based run over every operation in openapi.json against the real reference server: requests built
 * from each operation's parameter and body schemas (valid values, state from a real session, and invalid ones:
 * wrong types, lengths off by one, required parts missing, parameters the document does not list), and every
 * answer must be one the document allows: a documented status (never a 5xx), a body that validates against that
 * status's schema, the headers it must carry. Deterministic: a fixed seed (AQJB_CONTRACT_SEED to vary it), printed
 * with any failure so the run can be repeated.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../support/reference-server.js';
import { headerText, invalid, undocumentedName, valid } from './arbitraries.js';
import { operations, problemsWith, type Operation } from './document.js';
import { contractState, type ContractState } from './state.js';

const SEED = Number(process.env.AQJB_CONTRACT_SEED ?? 18);
/** Runs per operation: ~22 operations × 30 stay well under a minute on two busy cores. */
const RUNS = Number(process.env.AQJB_CONTRACT_RUNS ?? 30);

let server: TestServer;
let state: ContractState;
before(async () => {
  server = await startTestServer();
  state = await contractState(server);
});
after(() => server.close());

type Choice = { kind: 'omit' } | { kind: 'good' } | { kind: 'valid'; value: unknown } | { kind: 'invalid'; value: unknown };
const choice = (schema: unknown, required: boolean): fc.Arbitrary<Choice> =>
  fc.oneof(
    { weight: required ? 1 : 3, arbitrary: fc.constant<Choice>({ kind: 'omit' }) },
    { weight: 4, arbitrary: fc.constant<Choice>({ kind: 'good' }) },
    { weight: 3, arbitrary: valid(schema).map((value): Choice => ({ kind: 'valid', value })) },
    { weight: 3, arbitrary: invalid(schema).map((value): Choice => ({ kind: 'invalid', value })) },
  );

interface Spec {
  params: Choice[];
  body: Choice;
  contentType: 'documented' | 'text/plain' | 'none';
  extra: { in: 'query' | 'header'; name: string; value: string } | null;
  auth: 'token' | 'none' | 'wrong';
}

const specFor = (op: Operation): fc.Arbitrary<Spec> =>
  fc.record({
    params: fc.tuple(...op.parameters.map((p) => choice(p.schema, p.required === true))) as fc.Arbitrary<Choice[]>,
    body: op.body ? choice(op.body.schema, op.body.required) : fc.constant<Choice>({ kind: 'omit' }),
    contentType: fc.oneof(
      { weight: 6, arbitrary: fc.constant<Spec['contentType']>('documented') },
      { weight: 1, arbitrary: fc.constantFrom<Spec['contentType']>('text/plain', 'none') },
    ),
    extra: fc.option(fc.record({ in: fc.constantFrom<'query' | 'header'>('query', 'header'), name: undocumentedName, value: fc.constantFrom('1', 'true', '410000', '../x', '') }), { freq: 3 }),
    auth: fc.constantFrom<Spec['auth']>('token', 'token', 'none', 'wrong'),
  });

const scalar = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

function requestFor(op: Operation, spec: Spec): { url: URL; init: RequestInit } {
  let path = op.path;
  const url = new URL(server.url);
  const headers = new Headers();
  op.parameters.forEach((p, i) => {
    const c = spec.params[i]!;
    let value: unknown = c.kind === 'good' ? state.good(op.name, p.name) : c.kind === 'omit' ? undefined : c.value;
    if (c.kind === 'good' && value === undefined) value = p.example;
    if (value === undefined) {
      if (p.in === 'path') value = 'none'; // a path cannot lose its segment: an id nobody has stands in
      else return;
    }
    // An empty, `.` or `..` segment would name another route (or be folded away by URL): a segment stays one.
    const segment = (s: string) => (s === '' || s === '.' || s === '..' ? `_${s}` : s);
    if (p.in === 'path') path = path.replace(`{${p.name}}`, segment(encodeURIComponent(scalar(value))));
    else if (p.in === 'query') url.searchParams.append(p.name, scalar(value));
    else if (p.in === 'header') headers.set(p.name, headerText(value));
  });
  url.pathname = `${url.pathname.replace(/\/$/, '')}${path}`;
  if (spec.extra?.in === 'query') url.searchParams.append(spec.extra.name, spec.extra.value);
  if (spec.extra?.in === 'header') headers.set(spec.extra.name, spec.extra.value);
  if (op.secured && spec.auth !== 'none') headers.set('authorization', `Bearer ${spec.auth === 'token' ? state.staffToken : 'aqjbst_' + 'x'.repeat(32)}`);
  let body: BodyInit | undefined;
  if (op.body && spec.body.kind !== 'omit') {
    const value = spec.body.kind === 'good' ? (state.good(op.name, 'body') ?? op.body.examples[0]?.value) : spec.body.value;
    if (value !== undefined) {
      body = value instanceof Uint8Array ? new Blob([value as Uint8Array<ArrayBuffer>]) : op.body.type.includes('json') ? JSON.stringify(value) : scalar(value);
      if (spec.contentType === 'documented') headers.set('content-type', op.body.type);
      else if (spec.contentType === 'text/plain') headers.set('content-type', 'text/plain');
    }
  }
  return { url, init: { method: op.method, headers, body, redirect: 'manual' } };
}

describe(`every operation answers as openapi.json says (seed ${SEED}, ${RUNS} runs each)`, () => {
  for (const op of operations) {
    test(op.name, async (t) => {
      const statuses = new Map<number, number>();
      // Each operation starts in a new rate-limit window (an hour on the manual clock; tokens last three), so one
      // operation's refusals do not decide the next one's answers.
      server.clock.advance(3600_000);
      if (op.name === 'POST /reports' || op.name === 'POST /sms/codes') await state.refill(4);
      try {
        await fc.assert(
          fc.asyncProperty(specFor(op), async (spec) => {
            const { url, init } = requestFor(op, spec);
            const res = await fetch(url, init);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            const text = op.method === 'HEAD' ? '' : await res.text();
            const problems = problemsWith(op, res.status, res.headers, text);
            assert.deepEqual(problems, [], `${op.method} ${url.pathname}${url.search} ${JSON.stringify(Object.fromEntries(new Headers(init.headers)))} ${typeof init.body === 'string' ? init.body.slice(0, 300) : ''}`);
          }),
          { seed: SEED, numRuns: RUNS, endOnFailure: true },
        );
        // Which answers the run reached (a run that never gets past validation proves little).
        t.diagnostic([...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' '));
      } catch (error) {
        // fast-check's report names the seed and the counterexample; the assertion under it says what was wrong.
        const cause = (error as Error).cause as Error | undefined;
        throw new Error(`${op.name}, seed ${SEED} (AQJB_CONTRACT_SEED=${SEED} repeats it):\n${cause?.message ?? ''}\n${(error as Error).message.split('\n').slice(0, 3).join('\n')}`);
      }
    });
  }
});
