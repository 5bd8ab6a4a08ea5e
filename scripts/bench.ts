/**
 * `npm run bench` (issue 7): our embed against what a provincial web team would otherwise use, measured in one run on
 * this machine. The peers are the built pages in ../shared/peers (see its README), served beside our demo by
 * `startDemo({ mounts: { peers } })`; figures from different runs or machines are not comparable.
 *
 *   node --import tsx scripts/bench.ts [--runs 7] [--only gate,flow,heap,pow,map,server,inbox,backfill] [--skip-server]
 *                                      [--backfill-rows 2000] [--peers ../shared/peers]
 *
 * Every page load: a fresh browser context (cold cache), headless Debian Chromium, 4× CPU throttling (CDP
 * `Emulation.setCPUThrottlingRate`), 1280 × 800. Pages are loaded interleaved (ours, floor, Vue; again…) so that a slow
 * moment of the machine hits each alike, after one untimed warm-up round (first queries of the in-memory PGlite,
 * Chromium's first process start). Figures are medians of `--runs` loads.
 *
 * What is measured, and how:
 *  - ready: ms from navigation start (`performance.now()`). Ours (demo/henan.html, the portal page with its one script
 *    tag, under the demo's strict CSP): the notice gate is interactive, i.e. inside `<aqjb-intake>` the gate's
 *    `[part~="accept-button"]` is rendered (the gate renders it once the notice is on screen and its 15 s countdown
 *    runs; the server's reading receipt was asked for before, in parallel) and the notice text is on screen (the gate's
 *    `[part~="body"]` not hidden and holding the served notice's sections or the province's slotted text). A probe
 *    injected by Playwright (not part of the page: `addInitScript`) checks that on every animation frame and records
 *    the frame in which it first holds: the frame that paints it, as the floor's `__ready` is its first frame. Peers:
 *    their own `window.__ready` (README of the peers), caught by a setter the moment the page assigns it. Both hand
 *    the timestamp to a Playwright binding: nothing polls the page while it loads. The peers are loaded with
 *    `bypassCSP`: they are built with inline scripts and styles a portal would serve without our strict policy.
 *  - API floor: the same portal page with our script swapped for scripts/bench-pages/api-floor.js, a few lines
 *    without framework or validation that ask the API for the notice and the receipt and print the notice in the shape
 *    the probe looks for as soon as it is in. It is the lower bound for any gate whose notice comes from the API (one round trip and one more
 *    frame than the static floor); the gate's budget is a multiple of it (issue 20), the static floor is printed for reference.
 *    `scripts/bench/trace-gate.ts` shows where our gate's time goes (responses, trace events, functions).
 *  - transferred bytes, gzip -9 and brotli q11: every response the page requested (Resource Timing names, the
 *    document included) is captured through Playwright with its exact body, then compressed here, as a compressing
 *    server would send it (headers not counted). First screen: the resources requested before `ready` (all of them
 *    awaited to the end; the intake asks for the dictionaries while the notice loads, so they count). Ours counts our
 *    code (dist/) and the API's answers (notice, receipt, dictionaries); the portal's own page (henan.html, henan.css)
 *    is printed apart and not counted: the portal serves it with or without us. Peers count everything they load
 *    (document, JS, CSS): they have no API.
 *  - JS heap: CDP `HeapProfiler.collectGarbage`, then `Runtime.getHeapUsage().usedSize`, once the page is ready and
 *    the network has been idle for 500 ms (Playwright's `networkidle`).
 *  - flow: the whole anonymous report on henan.html, driven as a citizen would: notice (the 15 s skipped with
 *    Playwright's clock on the page and a ManualClock on the server, both moved by 15 s), 匿名举报, the place from the
 *    picker's list view (郑州市 › 金水区), the form with one small JPEG (made by Chromium's JPEG encoder), 提交举报, the
 *    receipt with its report code; then the report is checked in the database (anonymous, one attachment). Bytes:
 *    everything the page loaded from navigation to the receipt, map geometry (/geometry/) and the portal's own page
 *    excluded; the photo's upload is sent, not loaded: printed apart (its size as stored). Same throttling.
 *  - what the first screen's code is made of: the source maps of the dist/ files it loaded, bytes per package or
 *    source folder (each locale's catalogs apart).
 *  - pow: the notice's proof-of-work (#17.2). The SDK's solver (src/sdk/pow.ts, bundled here with esbuild as the
 *    embed's rollup build minifies it) solves ALTCHA challenges made by altcha-lib in Node whose answer is the last
 *    counter (the worst case a citizen can draw), in a blank page of the same throttled Chromium, one after the
 *    other: at the base price (DEFAULT_POW.baseMaxNumber) and at the price everyone pays under a global flood (×
 *    totalMaxFactor). Printed beside the 15 s read; budgeted: the base worst case, and, when the load average is below
 *    the core count, the longest main-thread task while solving (Long Tasks API; none reported means under 50 ms).
 *  - map: scripts/bench-map.ts (`benchMap`), our picker against the ECharts SVG and canvas pages.
 *  - server: scripts/bench/server.ts (`benchServer`, also `npm run bench:server`), PGlite and PostgreSQL (~70 s;
 *    `--skip-server` leaves it out).
 *  - inbox: scripts/bench/inbox.ts, the staff inbox over 100,000 reports on PostgreSQL, p95 ≤ 200 ms per query kind.
 *  - backfill: `benchBackfill` from scripts/backfill.ts (`--backfill-rows`, 2000 by default to keep the whole run
 *    near 4 minutes; its own `--bench` runs 10,000).
 * One module per section under scripts/bench/: pages.ts (gate, heap, flow: one demo server and one Chromium for the
 * three), pow.ts, map.ts, server.ts, backfill.ts; each keeps its own budgets.
 * Budgets (scripts/bench/pages.ts, issue 20): the gate interactive ≤ 1.5× the API floor and ≤ ½ of the Vue peer's
 * ready; the first screen ≤ 25 KB gzip; the whole report ≤ 70 KB gzip and ≤ ½ of the Vue peer's first screen; the JS
 * heap ≤ ½ of the Vue peer's; the map's in scripts/bench-map.ts (draw ≤ ¼ and ready ≤ ½ of the ECharts SVG page's).
 * Exits 1 when any budget below, of the map bench or of the server bench is broken, or a flow check fails.
 */
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { root } from './demo-server.js';
import { CHROMIUM_ARGS, CPU_THROTTLING } from './bench/browser.js';
import { SECTIONS, type Section, type SectionRun } from './bench/run.js';

export interface BenchOptions {
  runs?: number;
  only?: readonly Section[];
  peers?: string;
  backfillRows?: number;
  log?: (line: string) => void;
  out?: (line: string) => void;
}

/** Runs the bench; resolves with the broken budgets and failed checks (empty when all hold). */
export async function bench(options: BenchOptions = {}): Promise<string[]> {
  const runs = options.runs ?? 7;
  const only = new Set<Section>(options.only ?? SECTIONS);
  const run: SectionRun = {
    runs,
    only,
    peers: options.peers ?? path.resolve(root, '../shared/peers'),
    backfillRows: options.backfillRows,
    log: options.log ?? ((line: string) => console.error(line)),
    out: options.out ?? ((line: string) => console.log(line)),
    budgets: [],
    failures: [],
  };
  const started = performance.now();

  run.out(
    `npm run bench: headless Chromium (${CHROMIUM_ARGS.length} flags as TOOLCHAIN.md), ${CPU_THROTTLING}× CPU throttling, medians of ${runs} ` +
      `cold loads per page, interleaved, after one untimed warm-up round; 127.0.0.1 only; load average at start ` +
      `${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores`,
  );
  // Loaded when asked for: `--only backfill` needs neither Playwright nor the demo pages.
  if ((['gate', 'heap', 'flow'] as const).some((s) => only.has(s))) await (await import('./bench/pages.js')).benchPages(run);
  if (only.has('pow')) await (await import('./bench/pow.js')).powSection(run);
  if (only.has('map')) await (await import('./bench/map.js')).mapSection(run);
  if (only.has('server')) await (await import('./bench/server.js')).serverSection(run);
  if (only.has('inbox')) await (await import('./bench/inbox.js')).inboxSection(run);
  if (only.has('backfill')) await (await import('./bench/backfill.js')).backfillSection(run);

  const broken = run.budgets.filter((b) => !b.ok).map((b) => `${b.section}: ${b.name}: ${b.actual} (budget ${b.limit})`);
  run.out(`\ntotal run time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return [...broken, ...run.failures];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '7' },
      only: { type: 'string' },
      'skip-server': { type: 'boolean', default: false },
      'backfill-rows': { type: 'string', default: '2000' },
      peers: { type: 'string' },
    },
    strict: true,
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number ≥ 1');
  const backfillRows = Number(values['backfill-rows']);
  if (!Number.isInteger(backfillRows) || backfillRows < 1) throw new Error('--backfill-rows must be a whole number ≥ 1');
  let only: Section[] = [...SECTIONS];
  if (values.only) {
    only = values.only.split(',').map((s) => s.trim()) as Section[];
    const unknown = only.filter((s) => !SECTIONS.includes(s));
    if (unknown.length) throw new Error(`--only takes ${SECTIONS.join(',')}; unknown: ${unknown.join(',')}`);
  }
  if (values['skip-server']) only = only.filter((s) => s !== 'server');
  const problems = await bench({
    runs,
    only,
    backfillRows,
    peers: values.peers ? path.resolve(values.peers) : undefined,
  });
  if (problems.length) {
    for (const p of problems) console.error(`FAIL ${p}`);
    process.exitCode = 1;
  } else console.log('OK: every budget holds');
}

if (process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  main().catch((error: unknown) => {
    // A wrong option needs its message, not a stack.
    const usage = error instanceof Error && error.message.startsWith('--');
    console.error(`bench failed: ${error instanceof Error ? (usage ? error.message : (error.stack ?? error.message)) : String(error)}`);
    process.exitCode = 1;
  });
}
