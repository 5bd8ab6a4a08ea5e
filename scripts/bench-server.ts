/**
 * `npm run bench:server`: drives the reference server on loopback with autocannon along the citizen path, once on
 * PGlite (embedded, data directory in a temp folder) and once on PostgreSQL (a throwaway cluster started and stopped
 * here), and checks that every acknowledged report is stored.
 *
 *   --backend pglite|postgres|both (both)   --duration SECONDS (10)   --connections N (50)
 *   --warmup SECONDS    untimed confirm + report cycles before the timed window (2): JIT and WASM tier-up
 *   --receipts N        receipts opened ahead per backend (default: 400 per second of warm-up + duration on PGlite,
 *                       1000 on PostgreSQL); the timed phase ends early, and says so, when they run out
 *   --pg-setting K=V    extra PostgreSQL setting for the throwaway cluster, repeatable (e.g. synchronous_commit=off)
 *
 * Phases per backend, on the server's real clock (never faked):
 *   1. open: N citizens each `GET /notice` then `POST /notice/receipts` (50 concurrent clients);
 *   2. solve every receipt's proof-of-work (at scripts/bench/server.ts BENCH_POW's flat price), then wait until the last receipt is readable
 *      (the 15 s reading rule), so neither enters the figures;
 *   3. timed: each client takes an opened receipt, `POST /notice/receipts/{id}/confirm` with its solution, then `POST /reports` with a
 *      fresh Idempotency-Key and an anonymous ReportDraft carrying the ack token: `--warmup` seconds untimed, then
 *      `--duration` seconds measured; then the requests in flight finish (nothing is cut off mid-request, so stored
 *      must equal acknowledged, warm-up included).
 * Budget (PostgreSQL only): ≥ 100 reports/s and report p99 ≤ 500 ms. PGlite serves one connection (embedded,
 * WASM): its figures are printed for information only. Exits 1 naming each broken check or budget.
 * The bench itself is scripts/bench/server.ts (also the server section of `npm run bench`); the cluster comes from
 * scripts/support/postgres.ts, the launcher `npm test` uses.
 */
import path from 'node:path';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { benchServer, formatResults } from './bench/server.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'both' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '50' },
      receipts: { type: 'string' },
      'pg-setting': { type: 'string', multiple: true, default: [] },
    },
    strict: true,
  });
  const backend = values.backend;
  if (backend !== 'pglite' && backend !== 'postgres' && backend !== 'both') {
    throw new Error('--backend must be pglite, postgres or both');
  }
  const positive = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const nonNegative = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0`);
    return n;
  };
  const started = performance.now();
  console.log(
    `bench:server: ${values.connections} clients, ${values.warmup} s warm-up + ${values.duration} s timed per backend, ` +
      `127.0.0.1 only; load average at start ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores (other work on the machine skews the figures)`,
  );
  const results = await benchServer({
    backend,
    duration: positive('duration', values.duration),
    warmup: nonNegative('warmup', values.warmup),
    connections: Math.round(positive('connections', values.connections)),
    receipts: values.receipts === undefined ? undefined : Math.round(positive('receipts', values.receipts)),
    pgSettings: values['pg-setting'],
    log: (line) => console.log(line),
  });
  console.log('\n' + formatResults(results));
  console.log(`\ntotal run time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const failures = results.flatMap((r) => r.failures);
  for (const f of failures) console.error(`FAIL ${f}`);
  if (failures.length) process.exitCode = 1;
  else console.log('OK: stored == acknowledged, no errors, no non-2xx' + (results.some((r) => r.backend === 'postgres') ? ', PostgreSQL budget met' : ''));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(`bench:server failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
