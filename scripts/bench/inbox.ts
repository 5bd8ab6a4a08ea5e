/**
 * The inbox bench (`npm run bench -- --only inbox`): the staff inbox over 100,000 reports on PostgreSQL (a
 * throwaway cluster), through HTTP as a bureau's tool calls it. Budget (#19): p95 ≤ 200 ms per query kind.
 *
 * The reports are written straight into the database by one `INSERT … SELECT generate_series` (spread over the
 * counties of Henan, two years of received days, every status, deadlines as the server would set them): the
 * inbox reads the rows, not how they came. Then, 4 clients at a time, `rounds` of each query kind, for a province,
 * a city and a county token: the first page; a status; the 督办 views (overdue, due within 3 working days); a
 * division below the token's; received dates; and the next page through the cursor.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer } from '../../src/server/index.js';
import { createStaffToken } from '../../src/server/staff/index.js';
import { createRegionIndex } from '../../src/server/regions.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { budgetLine, type SectionRun } from './run.js';

export const INBOX_BUDGET = { reports: 100_000, p95Ms: 200 } as const;
// A bureau's few staff at once; the server and PostgreSQL share the machine with the clients.
const CLIENTS = 4;

interface QueryKind {
  name: string;
  token: 'province' | 'city' | 'county';
  query: string;
  /** Follow the first page's cursor and time the second page instead. */
  nextPage?: boolean;
}

const KINDS: QueryKind[] = [
  { name: 'province, first page', token: 'province', query: '' },
  { name: 'province, status=submitted', token: 'province', query: 'status=submitted' },
  { name: 'province, due=overdue', token: 'province', query: 'due=overdue' },
  { name: 'province, due=soon&days=3', token: 'province', query: 'due=soon&days=3' },
  { name: 'province, region=410300', token: 'province', query: 'region=410300' },
  { name: 'province, next page', token: 'province', query: 'limit=50', nextPage: true },
  { name: 'city 410100, first page', token: 'city', query: '' },
  { name: 'city 410100, from/to a month', token: 'city', query: 'from=2026-01-01&to=2026-01-31' },
  { name: 'county 410105, due=overdue', token: 'county', query: 'due=overdue' },
];

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;

/** 100,000 reports across Henan's counties in one statement (the schema is the server's, migrated). */
export async function seedReports(sql: { query: (text: string, params?: unknown[]) => Promise<unknown> }, n: number): Promise<void> {
  const regions = createRegionIndex();
  const counties = regions.area('410000').filter((code) => regions.get(code)?.level === 'county');
  const orgs = counties.map((code) => regions.orgNameFor(code));
  await sql.query(
    `INSERT INTO reports (code, query_key_hash, mode, channel, region_code, handling_region, handling_org, status,
       subject_name, subject_address, industry, problem_types, description, occurred_at, reporter_enc,
       submitted_at, accept_due, accept_estimated, decided_at, verify_due, verify_estimated)
     SELECT 'B' || lpad(i::text, 11, '0'), md5(i::text), CASE WHEN i % 3 = 0 THEN 'real-name' ELSE 'anonymous' END,
       (ARRAY['web','letter','visit','fax','phone','legacy'])[1 + i % 6],
       c.code, c.code, c.org,
       (ARRAY['submitted','accepted','not-accepted','transferred','verifying','extended','supplement-requested','closed'])[1 + i % 8],
       '某某化工有限公司第' || i || '分厂', '河南省某市某路 ' || i || ' 号', 'chemical', '[{"code":"major-hazard"}]'::jsonb,
       '储罐区可燃气体报警器长期损坏。', NULL, NULL,
       d.day, to_char(d.day + interval '5 days', 'YYYY-MM-DD'), false,
       CASE WHEN i % 8 = 0 THEN NULL ELSE d.day + interval '1 day' END,
       CASE WHEN i % 8 = 0 THEN NULL ELSE to_char(d.day + interval '84 days', 'YYYY-MM-DD') END, false
     FROM generate_series(1, $1::int) AS i
     CROSS JOIN LATERAL (SELECT ($2::text[])[1 + (i::bigint * 7919) % array_length($2::text[], 1)] AS code,
                                ($3::text[])[1 + (i::bigint * 7919) % array_length($3::text[], 1)] AS org) c
     CROSS JOIN LATERAL (SELECT timestamptz '2025-01-01 00:00:00+08' + ((i::bigint * 104729) % 730) * interval '1 day' AS day) d`,
    [n, counties, orgs],
  );
  // As autovacuum would have by now on a live database: statistics, and the visibility map index-only scans need.
  await sql.query('VACUUM ANALYZE reports');
}

export interface InboxResult {
  kind: string;
  p50: number;
  p95: number;
  max: number;
  items: number;
}

export async function benchInbox({ rounds = 40, log = (_: string) => {} } = {}): Promise<InboxResult[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aqjb-bench-inbox-'));
  let cluster: ThrowawayPostgres | undefined;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    log('  inbox: starting a throwaway PostgreSQL cluster…');
    cluster = await startThrowawayPostgres({ settings: ['max_connections=100'], prefix: 'aqjb-bench-inbox-pg-' });
    server = await startServer({ port: 0, dataDir, databaseUrl: cluster.url, dataKey: randomBytes(32), logger: () => {} });
    const started = performance.now();
    await seedReports(server.sql, INBOX_BUDGET.reports);
    log(`  inbox: ${INBOX_BUDGET.reports} reports written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const token = {
      province: (await createStaffToken(server.sql, { scope: '410000', role: 'read-only', label: 'bench' })).token,
      city: (await createStaffToken(server.sql, { scope: '410100', role: 'read-only', label: 'bench' })).token,
      county: (await createStaffToken(server.sql, { scope: '410105', role: 'read-only', label: 'bench' })).token,
    };
    const base = server.url;
    const get = async (kind: QueryKind, query: string) => {
      const response = await fetch(new URL(`staff/inbox${query ? `?${query}` : ''}`, base), {
        headers: { authorization: `Bearer ${token[kind.token]}` },
      });
      if (response.status !== 200) throw new Error(`inbox ${kind.name}: HTTP ${response.status}`);
      return (await response.json()) as { items: unknown[]; nextCursor?: string };
    };
    const results: InboxResult[] = [];
    for (const kind of KINDS) {
      const cursor = kind.nextPage ? (await get(kind, kind.query)).nextCursor : undefined;
      const query = cursor ? `${kind.query}&cursor=${cursor}` : kind.query;
      // Warm, one request per client: the connections' plan caches, the JIT, the pages in PostgreSQL's buffers.
      await Promise.all(Array.from({ length: CLIENTS }, () => get(kind, query)));
      const times: number[] = [];
      let items = 0;
      let next = 0;
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next++ < rounds) {
            const t0 = performance.now();
            const page = await get(kind, query);
            times.push(performance.now() - t0);
            items = page.items.length;
          }
        }),
      );
      times.sort((a, b) => a - b);
      results.push({ kind: kind.name, p50: quantile(times, 0.5), p95: quantile(times, 0.95), max: times.at(-1)!, items });
    }
    return results;
  } finally {
    await server?.close().catch(() => {});
    if (cluster) await cluster.idle().catch(() => {});
    cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function inboxSection({ log, out, budgets, runs }: SectionRun): Promise<void> {
  log(`inbox: ${INBOX_BUDGET.reports} reports on PostgreSQL, ${CLIENTS} clients`);
  const results = await benchInbox({ rounds: Math.max(40, runs * 8), log: (line) => log(line) });
  out(`\nStaff inbox (scripts/bench/inbox.ts: ${INBOX_BUDGET.reports} reports on PostgreSQL, ${CLIENTS} clients on loopback)`);
  out('query                              p50 ms   p95 ms   max ms   items');
  for (const r of results) {
    out(`${r.kind.padEnd(34)} ${r.p50.toFixed(1).padStart(7)} ${r.p95.toFixed(1).padStart(8)} ${r.max.toFixed(1).padStart(8)} ${String(r.items).padStart(7)}`);
  }
  const worst = results.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  budgets.push({
    section: 'inbox',
    name: `inbox p95, slowest query kind (${worst.kind})`,
    actual: `${worst.p95.toFixed(0)} ms`,
    limit: `≤ ${INBOX_BUDGET.p95Ms} ms`,
    ok: worst.p95 <= INBOX_BUDGET.p95Ms,
  });
  out(budgetLine(budgets.at(-1)!));
}
