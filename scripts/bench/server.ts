/**
 * The server bench (`npm run bench:server`, and the server section of `npm run bench`): the reference server on loopback
 * driven with autocannon along the citizen path, on PGlite and on a throwaway PostgreSQL cluster; every acknowledged
 * report must be stored. The phases, options and budget are described in scripts/bench-server.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, type RunningServer } from '../../src/server/index.js';
import type { PowSettings } from '../../src/server/pow.js';
import { solvePow } from '../../src/sdk/pow.js';
import type { PowChallenge, PowSolution } from '../../src/sdk/schemas/notice.js';
import { ReportDraft } from '../../src/sdk/schemas/report.js';
import { anonymousDraft } from '../../tests/support/drafts.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { runCannon, type CannonRequest } from './autocannon.js';
import { table } from './figures.js';
import { BENCH_LIMITS } from './limits.js';
import type { SectionRun } from './run.js';

/** Per-connection state autocannon keeps while one citizen goes through the requests (reset each cycle). */
interface CitizenContext {
  noticeMs?: number;
  receipt?: OpenReceipt;
  ackToken?: string;
  confirmMs?: number;
  idle?: boolean;
}

export type Backend = 'pglite' | 'postgres';

export interface BenchOptions {
  backend?: Backend | 'both';
  /** Seconds of the timed phase (confirm + report) per backend. */
  duration?: number;
  /** Seconds of the same cycle before timing starts (default 2); counted in `acknowledged`, not in the figures. */
  warmup?: number;
  /** Concurrent clients (keep-alive connections). */
  connections?: number;
  /** Receipts opened ahead per backend (default 400/s of warm-up + duration on PGlite, 1000/s on PostgreSQL); the timed
   * phase ends early when they run out. */
  receipts?: number;
  /** Extra settings for the throwaway PostgreSQL cluster (`name=value`). */
  pgSettings?: string[];
  /** Progress lines; silent when omitted. */
  log?: (line: string) => void;
}

export interface LatencyStats {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface BenchResult {
  backend: Backend;
  connections: number;
  /** Seconds the timed window took, from the end of the warm-up to the last report answered. */
  timedSeconds: number;
  /** Reports answered 201 in the timed window, per second. */
  reportsPerSecond: number;
  /** Reports answered 201, warm-up included. */
  acknowledged: number;
  /** Of which during the warm-up. */
  warmupAcknowledged: number;
  /** `SELECT count(*) FROM reports` after the run. */
  stored: number;
  /** Connection errors and timeouts, every phase. */
  errors: number;
  /** Responses outside 2xx, every phase. */
  non2xx: number;
  /** Latency of each request kind (ms), every status; confirm and report in the timed window only. */
  latency: { notice: LatencyStats; receipt: LatencyStats; confirm: LatencyStats; report: LatencyStats };
  /** Server time of one citizen's four requests added up (the 15 s of reading excluded). */
  citizenPath: LatencyStats;
  receiptsOpened: number;
  /** True when the receipts ran out before `duration`. */
  receiptsExhausted: boolean;
  /** Seconds spent waiting for the reading rule between opening and the timed phase. */
  waitedSeconds: number;
  /** Broken checks and budgets, one line each; empty when all hold. */
  failures: string[];
}

export const BUDGET = { reportsPerSecond: 100, reportP99Ms: 500 } as const;

/**
 * The proof-of-work stays on (every receipt gets a challenge, every confirmation is checked and spends it), but at a
 * flat price of 1,000 without the per-client cap: the server's work per receipt is one SHA-256 and one HMAC to create
 * and again to check, whatever the price, while solving thousands of full-price challenges here would take the
 * bench's own client minutes of the same two cores. The solving is timed by `npm run bench -- --only pow`.
 */
const BENCH_POW: Partial<PowSettings> = { baseMaxNumber: 1_000, clientMaxFactor: 1, totalMaxFactor: 1, openPerClient: 1e9 };

interface OpenReceipt {
  id: string;
  readableAt: number;
  /** notice + receipt latency of this citizen so far (ms). */
  pathMs: number;
  challenge: PowChallenge;
  /** Found after the receipts are opened, before the timed phase (as a page solves while the notice is read). */
  solution?: PowSolution;
}

function stats(values: number[]): LatencyStats {
  if (!values.length) return { count: 0, p50: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1]! };
}

/** The anonymous report every bench citizen files (the tests' draft, with a date of occurrence). */
const draftFor = (ackToken: string) => anonymousDraft(ackToken, { occurredAt: '2024-05-01' });

/** One backend: open receipts, wait out the reading rule, then the timed confirm + report phase. */
async function benchOne(
  backend: Backend,
  server: RunningServer,
  { duration, warmup, connections, receipts, log }: Required<Omit<BenchOptions, 'backend' | 'pgSettings'>>,
): Promise<BenchResult> {
  const url = server.url.replace(/\/$/, '');
  const samples = { notice: [] as number[], receipt: [] as number[], confirm: [] as number[], report: [] as number[] };
  const citizenPath: number[] = [];
  let errors = 0;
  let non2xx = 0;
  // onResponse runs synchronously just before autocannon's 'response' event for the same request: it leaves here
  // what the latency belongs to.
  let pending: { kind: keyof typeof samples | 'idle'; context: CitizenContext; receipt?: OpenReceipt } | undefined;

  // Phase 1: open receipts (notice, then receipt), as many citizens as `receipts`.
  const pool: OpenReceipt[] = [];
  const opening = runCannon<CitizenContext>(
    {
      url,
      connections,
      amount: receipts * 2,
      timeout: 30,
      requests: [
        { method: 'GET', path: '/notice', onResponse: (_s, _b, context) => void (pending = { kind: 'notice', context }) },
        {
          method: 'POST',
          path: '/notice/receipts',
          onResponse: (status, body, context) => {
            pending = { kind: 'receipt', context };
            if (status === 201) {
              const r = JSON.parse(body) as { receiptId: string; readableAt: string; challenge: PowChallenge };
              pending.receipt = { id: r.receiptId, readableAt: Date.parse(r.readableAt), pathMs: 0, challenge: r.challenge };
            }
          },
        },
      ],
    },
    (ms, status) => {
      const p = pending;
      pending = undefined;
      if (!p || p.kind === 'idle') return;
      samples[p.kind].push(ms);
      if (p.kind === 'notice') p.context.noticeMs = ms;
      if (p.receipt) {
        p.receipt.pathMs = (p.context.noticeMs ?? 0) + ms;
        pool.push(p.receipt);
      }
      if (status < 200 || status > 299) non2xx++;
    },
  );
  const openStarted = performance.now();
  const opened = await opening.done;
  errors += opened.errors;
  log(`  ${backend}: opened ${pool.length} receipts in ${((performance.now() - openStarted) / 1000).toFixed(1)} s`);

  // Phase 2: each receipt's proof-of-work is solved (as each citizen's page does while reading), then the reading
  // rule, on the real clock. A little margin: the server compares against its own now().
  const solveStarted = performance.now();
  for (const receipt of pool) receipt.solution = await solvePow(receipt.challenge);
  log(`  ${backend}: solved ${pool.length} challenges in ${((performance.now() - solveStarted) / 1000).toFixed(1)} s`);
  const readableAt = pool.reduce((latest, r) => Math.max(latest, r.readableAt), Date.now());
  const waitMs = Math.max(0, readableAt + 200 - Date.now());
  log(`  ${backend}: waiting ${(waitMs / 1000).toFixed(1)} s for the 15 s reading rule (real clock)…`);
  await sleep(waitMs);

  // Phase 3: confirm + report, `warmup` seconds untimed then `duration` seconds timed. Afterwards (or when receipts
  // run out) no new citizen starts; a citizen already confirmed still files the report; the run stops once nothing
  // is in flight.
  const runId = randomBytes(6).toString('hex');
  let seq = 0;
  let acknowledged = 0;
  let timedAcknowledged = 0;
  let measuring = warmup === 0;
  let measureStart = 0;
  let inFlight = 0;
  let draining = false;
  let exhausted = false;
  let ended = 0;
  let finish!: () => void;
  const allAnswered = new Promise<void>((resolve) => (finish = resolve));
  const idle = (request: CannonRequest<CitizenContext>, context: CitizenContext): CannonRequest<CitizenContext> => {
    context.idle = true;
    // Parked connections poll the static notice until autocannon stops (not counted).
    return { ...request, method: 'GET', path: '/notice', body: Buffer.alloc(0) };
  };
  const timed = runCannon<CitizenContext>(
    {
      url,
      connections,
      duration: warmup + duration + 120, // safety net only: the run is stopped below
      timeout: 30,
      sampleInt: 100,
      requests: [
        {
          method: 'POST',
          setupRequest: (request, context) => {
            if (draining) return idle(request, context);
            const receipt = pool.shift();
            if (!receipt) {
              exhausted = true;
              draining = true;
              return idle(request, context);
            }
            context.receipt = receipt;
            inFlight++;
            return {
              ...request,
              path: `/notice/receipts/${receipt.id}/confirm`,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ solution: receipt.solution }),
            };
          },
          onResponse: (status, body, context) => {
            pending = { kind: context.idle ? 'idle' : 'confirm', context };
            if (!context.idle && status === 200) context.ackToken = (JSON.parse(body) as { ackToken: string }).ackToken;
          },
        },
        {
          method: 'POST',
          path: '/reports',
          setupRequest: (request, context) => {
            // Idle cycle or failed confirm: back to the first request.
            if (!context.ackToken) return null;
            inFlight++;
            return {
              ...request,
              headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${runId}-${++seq}` },
              body: JSON.stringify(draftFor(context.ackToken)),
            };
          },
          onResponse: (_status, _body, context) => void (pending = { kind: 'report', context }),
        },
      ],
    },
    (ms, status) => {
      const p = pending;
      pending = undefined;
      if (!p || p.kind === 'idle') return;
      if (status < 200 || status > 299) non2xx++;
      if (p.kind === 'report' && status === 201) {
        acknowledged++;
        if (measuring) timedAcknowledged++;
      }
      if (p.kind === 'confirm') p.context.confirmMs = ms;
      if (measuring) {
        samples[p.kind].push(ms);
        if (p.kind === 'report' && p.context.receipt && p.context.confirmMs !== undefined) {
          citizenPath.push(p.context.receipt.pathMs + p.context.confirmMs + ms);
        }
      }
      inFlight--;
      if (draining && inFlight === 0 && !ended) {
        ended = performance.now();
        finish();
      }
    },
  );
  const started = performance.now();
  measureStart = started;
  const warmupTimer = setTimeout(() => {
    measuring = true;
    measureStart = performance.now();
  }, warmup * 1000);
  const stopTimer = setTimeout(
    () => {
      draining = true;
      if (inFlight === 0 && !ended) {
        ended = performance.now();
        finish();
      }
    },
    (warmup + duration) * 1000,
  );
  // Requests lost to connection errors never answer: give up waiting 30 s after the planned end.
  const watchdog = setInterval(() => {
    if (draining && performance.now() - started > (warmup + duration + 30) * 1000 && !ended) {
      ended = performance.now();
      finish();
    }
  }, 1000);
  await Promise.race([allAnswered, timed.done]);
  clearTimeout(warmupTimer);
  clearTimeout(stopTimer);
  clearInterval(watchdog);
  if (!ended) ended = performance.now();
  if (!measuring) log(`  ${backend}: the receipts ran out during the warm-up: no timed window`);
  timed.instance.stop();
  const timedResult = await timed.done;
  errors += timedResult.errors;

  const { rows } = await server.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
  const stored = Number(rows[0]?.n ?? 0);
  const timedSeconds = measuring ? (ended - measureStart) / 1000 : 0;
  const result: BenchResult = {
    backend,
    connections,
    timedSeconds,
    reportsPerSecond: timedSeconds > 0 ? timedAcknowledged / timedSeconds : 0,
    acknowledged,
    warmupAcknowledged: acknowledged - timedAcknowledged,
    stored,
    errors,
    non2xx,
    latency: {
      notice: stats(samples.notice),
      receipt: stats(samples.receipt),
      confirm: stats(samples.confirm),
      report: stats(samples.report),
    },
    citizenPath: stats(citizenPath),
    receiptsOpened: samples.receipt.length,
    receiptsExhausted: exhausted,
    waitedSeconds: waitMs / 1000,
    failures: [],
  };
  const fail = (line: string) => result.failures.push(`${backend}: ${line}`);
  if (acknowledged === 0) fail('no report was acknowledged');
  if (stored !== acknowledged) fail(`stored ${stored} ≠ acknowledged ${acknowledged}`);
  if (errors) fail(`${errors} connection errors/timeouts`);
  if (non2xx) fail(`${non2xx} non-2xx responses`);
  if (backend === 'postgres') {
    if (!(result.timedSeconds > 0 && result.reportsPerSecond >= BUDGET.reportsPerSecond)) {
      fail(`budget broken: ${result.reportsPerSecond.toFixed(1)} reports/s < ${BUDGET.reportsPerSecond}`);
    }
    if (!(result.latency.report.p99 <= BUDGET.reportP99Ms)) {
      fail(`budget broken: report p99 ${result.latency.report.p99.toFixed(0)} ms > ${BUDGET.reportP99Ms} ms`);
    }
  }
  return result;
}

/** Runs the bench on each backend asked for; never throws for a broken budget (see `failures`). */
export async function benchServer(options: BenchOptions = {}): Promise<BenchResult[]> {
  ReportDraft.parse(draftFor('fixture')); // the fixture must satisfy the contract, or every report would be a 400
  const backends: Backend[] = !options.backend || options.backend === 'both' ? ['pglite', 'postgres'] : [options.backend];
  const connections = options.connections ?? 50;
  const duration = options.duration ?? 10;
  const warmup = options.warmup ?? 2;
  const log = options.log ?? (() => {});
  const dataKey = randomBytes(32); // fixed for the run: reporter fields are sealed as in production
  const results: BenchResult[] = [];
  for (const backend of backends) {
    const dataDir = mkdtempSync(path.join(tmpdir(), `aqjb-bench-${backend}-`));
    let cluster: ThrowawayPostgres | undefined;
    let server: RunningServer | undefined;
    // Ctrl-C must not leave the throwaway cluster running.
    const onInterrupt = () => {
      cluster?.stop();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(130);
    };
    try {
      if (backend === 'postgres') {
        log(`  postgres: starting a throwaway cluster${options.pgSettings?.length ? ` (${options.pgSettings.join(', ')})` : ''}…`);
        // max_connections above the server pool's; durability at PostgreSQL's defaults, as a production server
        // would run, unless --pg-setting says otherwise.
        cluster = await startThrowawayPostgres({ settings: ['max_connections=100', ...(options.pgSettings ?? [])], prefix: 'aqjb-bench-pg-' });
        process.once('SIGINT', onInterrupt);
      }
      server = await startServer({
        port: 0,
        dataDir,
        databaseUrl: cluster?.url,
        dataKey,
        limits: BENCH_LIMITS,
        pow: BENCH_POW,
        logger: () => {},
      });
      // Enough receipts for the duration at well above the expected rate; whole cycles per connection, so every
      // client opens the same number.
      const wanted = options.receipts ?? (warmup + duration) * (backend === 'pglite' ? 400 : 1000);
      const receipts = Math.ceil(wanted / connections) * connections;
      results.push(await benchOne(backend, server, { duration, warmup, connections, receipts, log }));
    } finally {
      await server?.close().catch(() => {});
      process.off('SIGINT', onInterrupt);
      // The server's pool resolves close() before its sockets are gone; a fast shutdown would then terminate
      // sessions the pool still holds, and the pool (no 'error' listener) would crash the process.
      if (cluster) await cluster.idle().catch(() => {});
      cluster?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return results;
}

export function formatResults(results: BenchResult[]): string {
  const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
  const rows = [
    ['backend', 'reports/s', 'report p50', 'report p99', 'confirm p50', 'confirm p99', 'acked (201)', 'stored', 'errors', 'non-2xx'],
    ...results.map((r) => [
      r.backend,
      r.reportsPerSecond.toFixed(1),
      ms(r.latency.report.p50),
      ms(r.latency.report.p99),
      ms(r.latency.confirm.p50),
      ms(r.latency.confirm.p99),
      String(r.acknowledged),
      String(r.stored),
      String(r.errors),
      String(r.non2xx),
    ]),
  ];
  const out = [table(rows)];
  out.push('', 'latency in ms; whole citizen path = notice + receipt + confirm + report of one citizen (15 s of reading excluded)');
  for (const r of results) {
    const l = r.latency;
    out.push(
      `${r.backend}: ${r.connections} clients, timed ${r.timedSeconds.toFixed(1)} s (+${r.warmupAcknowledged} reports in the warm-up); notice p50/p99 ${ms(l.notice.p50)}/${ms(l.notice.p99)}, ` +
        `receipt ${ms(l.receipt.p50)}/${ms(l.receipt.p99)}, path ${ms(r.citizenPath.p50)}/${ms(r.citizenPath.p99)}; ` +
        `report max ${ms(l.report.max)}; ${r.receiptsOpened} receipts opened` +
        (r.receiptsExhausted ? ' (ran out before the duration: raise --receipts)' : ''),
    );
  }
  if (results.some((r) => r.backend === 'pglite')) {
    out.push('pglite: single-connection embedded database (WASM, in the server\'s own thread): figures for information, no budget.');
  }
  if (results.some((r) => r.backend === 'postgres')) {
    out.push(`postgres budget: ≥ ${BUDGET.reportsPerSecond} reports/s and report p99 ≤ ${BUDGET.reportP99Ms} ms.`);
  }
  return out.join('\n');
}

export async function serverSection({ log, out, failures }: SectionRun): Promise<void> {
  log('server: scripts/bench-server.ts (PGlite, then PostgreSQL)');
  const results = await benchServer({ log: (line) => log(`server:${line.startsWith(' ') ? '' : ' '}${line}`) });
  out('\nServer (scripts/bench-server.ts: the citizen path, 50 clients on loopback)');
  out(formatResults(results));
  for (const f of results.flatMap((r) => r.failures)) failures.push(`server: ${f}`);
}
