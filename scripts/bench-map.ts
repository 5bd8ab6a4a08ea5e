/**
 * The region picker's map against the ECharts peers (../shared/peers/map-svg and map-canvas), in one run on the
 * same machine: headless Chromium with 4× CPU throttling (CDP `Emulation.setCPUThrottlingRate`), medians of
 * `runs` page loads each.
 *
 *   node --import tsx scripts/bench-map.ts [--runs 15] [--peers ../shared/peers]    (npm run bench wires it in)
 *
 * Our page is a page with the picker alone, loading it as a portal would: the built picker-only entry
 * (dist/aqjb-region-picker.js, `npm run build:browser`) and whatever chunks it asks for.
 *
 * Measured per page:
 *  - bytes (gzip -9): code and map data. Ours: the picker's own code (Lit, the SDK and the shared internals
 *    excluded: every element shares them), every dist/ file the page loaded, and the national geometry file;
 *  - draw: from the map data being in (ours: the geometry file parsed — the picker's `aqjb-map-data` User Timing
 *    mark — and the `GET /regions` list received; ECharts: its `init`, after its fetch and JSON parse) to the map
 *    drawn and interactive (ours: the frame after the regions' shapes enter the DOM; ECharts: its `finished` event);
 *  - ready: navigation start to that moment;
 *  - JS heap used after a forced garbage collection (CDP `Runtime.getHeapUsage`).
 * Budgets (issue 5, issue 20): picker code ≤ 6 KB gzip; every geometry file ≤ 25 KB gzip (desktop, `.l`) and ≤ 15 KB
 * (phone, `.s`); the national file ≤ ½ of ECharts' map data; draw ≤ ¼ of ECharts' SVG draw and ready from
 * navigation ≤ ½ of the ECharts SVG page's, medians over at least MAP_LOADS loads each; heap ≤ ½ of the ECharts SVG
 * page's.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import ts from 'typescript';
// The build's plugin (@lit-labs/rollup-plugin-minify-html-literals) runs this function on every module.
import { minifyHTMLLiterals } from '@lit-labs/rollup-plugin-minify-html-literals/lib/minify-html-literals.js';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { handOver, signalProbe } from './bench-signal.js';
import { chromium, type Page } from 'playwright-core';
import { preloadLinks } from '../demo/importmap.js';
import { startTestServer } from '../tests/support/reference-server.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const PICKER_DIR = path.join(root, 'src/components/region-picker');
const GEOMETRY_DIR = path.join(root, 'demo/geometry');
const KB = 1024;
const DIST = path.join(root, 'dist');
const PICKER_ENTRY = 'aqjb-region-picker.js';

/** "map draw (data in → frame with the shapes) ≤ ¼ of ECharts' SVG draw, median over 15 loads each" (issue 20) */
export const MAP_LOADS = 15;
export const DRAW_VS_ECHARTS_SVG = 1 / 4;
/** "map ready from navigation (a page with the picker alone) ≤ ½ of the ECharts SVG page's" (issue 20) */
export const READY_VS_ECHARTS_SVG = 1 / 2;

export interface MapBenchRow {
  page: string;
  /** gzip bytes of the page's code (ours: every dist/ file it loaded). */
  codeGzip: number;
  /** gzip bytes of the map data the page loads. */
  dataGzip: number;
  /** Median ms from data in to map drawn and interactive. */
  drawMs: number;
  /** Median ms from navigation start to map drawn and interactive. */
  readyMs: number;
  /** Median JS heap in bytes. */
  heapBytes: number;
}

export interface MapBudget {
  name: string;
  actual: string;
  limit: string;
  ok: boolean;
}

export interface MapBenchResult {
  rows: MapBenchRow[];
  /** gzip bytes of the picker's own code. */
  pickerGzip: number;
  budgets: MapBudget[];
  ok: boolean;
}

const gz = (data: string | Buffer) => gzipSync(data, { level: 9 }).length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * The picker's own code as the production build makes it (rollup.config.mjs): compiled by TypeScript, its html``
 * and css`` templates minified by the same function as the build's plugin. Lit, the SDK and the internals every
 * element uses stay outside: they are counted in the page bundle only.
 */
const onlyPicker: Plugin = {
  name: 'only-picker',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const resolved = args.path.startsWith('.') ? path.resolve(args.resolveDir, args.path) : args.path;
      return resolved.startsWith(PICKER_DIR) ? undefined : { path: args.path, external: true };
    });
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const js = ts.transpileModule(readFileSync(args.path, 'utf8'), {
        compilerOptions: {
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ESNext,
          useDefineForClassFields: false,
          importHelpers: true,
          verbatimModuleSyntax: true,
        },
      }).outputText;
      return { loader: 'js', contents: (await minifyHTMLLiterals(js, { fileName: args.path }))?.code ?? js };
    });
  },
};

async function bundle(entry: string, plugins: Plugin[] = []): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    legalComments: 'none',
    tsconfig: path.join(root, 'tsconfig.json'),
    plugins,
    logLevel: 'error',
  });
  return result.outputFiles[0]!.text;
}

async function measure(page: Page, url: string, signal: string): Promise<{ draw: number; ready: number; heap: number; code: string[] }> {
  const code: string[] = [];
  page.on('requestfinished', (request) => {
    const u = new URL(request.url());
    if (u.pathname.startsWith('/dist/')) code.push(u.pathname.slice('/dist/'.length));
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  // Handed over by the page, not polled (scripts/bench-signal.ts): a poll could land between data in and drawn,
  // the short span measured for ours.
  const ready = await handOver(page, signalProbe(signal), url);
  await page.goto(url);
  await ready();
  const timing = (await page.evaluate('({ draw: window.__mapFinishedDur, ready: window.__mapFinished })')) as { draw: number; ready: number };
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await cdp.detach();
  return { ...timing, heap: usedSize, code };
}

/**
 * Our page: the picker alone at the national level, 800 px wide like the peers' chart, with its one script tag and
 * the preload of its first draw, as README's snippet for the picker has them.
 */
const OUR_PAGE = (api: string, integrity: string, preload: string) => `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width,initial-scale=1"><link rel="stylesheet" href="page.css">
<script type="module" src="probe.js"></script>
${preload}
<script type="module" src="/dist/${PICKER_ENTRY}" integrity="${integrity}" crossorigin="anonymous"></script></head>
<body><aqjb-region-picker api-base="${api}" geometry-base="/ours/geometry/"></aqjb-region-picker></body></html>`;

/** Our readiness signals, named as the peers' (`__mapFinished`, `__mapFinishedDur`). */
const PROBE = `window.__jsStart = performance.now();
const done = () => {
  window.__mapFinished = performance.now();
  // Data in: the geometry parsed (the picker's User Timing mark) and the region list received.
  const list = performance.getEntriesByType('resource').filter((r) => /\\/regions/.test(r.name));
  const parsed = performance.getEntriesByName('aqjb-map-data');
  window.__dataLoaded = Math.max(...list.map((r) => r.responseEnd), ...parsed.map((m) => m.startTime));
  window.__mapFinishedDur = window.__mapFinished - window.__dataLoaded;
};
// Watched, not polled: the moment the shapes are in the DOM, then the frame that paints them.
const drawn = (root) => root.querySelector('svg [role="button"]');
const tick = () => {
  const root = document.querySelector('aqjb-region-picker')?.shadowRoot;
  if (!root) return requestAnimationFrame(tick);
  if (drawn(root)) return requestAnimationFrame(done);
  const watch = new MutationObserver(() => {
    if (!drawn(root)) return;
    watch.disconnect();
    requestAnimationFrame(done);
  });
  watch.observe(root, { childList: true, subtree: true });
};
requestAnimationFrame(tick);`;

export async function benchMap({ runs = MAP_LOADS, peers = path.resolve(root, '../shared/peers'), log = (_: string) => {} } = {}): Promise<MapBenchResult> {
  const pickerCode = await bundle(path.join(PICKER_DIR, 'region-picker.component.ts'), [onlyPicker]);
  const manifest = path.join(DIST, 'manifest.json');
  const built = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as Parameters<typeof preloadLinks>[0]) : { files: [] };
  const entry = built.files.find((f) => f.file === PICKER_ENTRY);
  if (!entry) throw new Error(`dist/${PICKER_ENTRY} is not in dist/manifest.json: run \`npm run build:browser\` first`);
  const national = readFileSync(path.join(GEOMETRY_DIR, '000000.l.json'));

  const api = await startTestServer({ allowOrigins: ['*'] });
  const app = new Hono();
  app.get('/ours/', (c) => c.html(OUR_PAGE(api.url, entry.integrity, preloadLinks(built, '/dist/', PICKER_ENTRY).join(''))));
  app.get('/ours/page.css', (c) => c.body('aqjb-region-picker{width:800px}', 200, { 'Content-Type': 'text/css' }));
  app.get('/ours/probe.js', (c) => c.body(PROBE, 200, { 'Content-Type': 'text/javascript' }));
  app.get('/dist/*', (c) => {
    const file = path.join(DIST, decodeURIComponent(new URL(c.req.url).pathname.slice('/dist/'.length)));
    if (!file.startsWith(DIST + path.sep) || !existsSync(file)) return c.notFound();
    return c.body(readFileSync(file), 200, { 'Content-Type': 'text/javascript' });
  });
  app.get('/ours/geometry/:file', (c) => {
    const file = path.join(GEOMETRY_DIR, path.basename(c.req.param('file')));
    return existsSync(file) ? c.body(readFileSync(file), 200, { 'Content-Type': 'application/json' }) : c.notFound();
  });
  app.get('/peers/*', (c) => {
    const rel = decodeURIComponent(new URL(c.req.url).pathname.slice('/peers/'.length));
    const file = path.join(peers, rel.endsWith('/') ? `${rel}index.html` : rel);
    if (!file.startsWith(peers) || !existsSync(file)) return c.notFound();
    const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.js') ? 'text/javascript' : 'application/json';
    return c.body(readFileSync(file), 200, { 'Content-Type': `${type}; charset=utf-8` });
  });
  const http = await new Promise<{ port: number; close: () => void }>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve({ port: info.port, close: () => s.close() }));
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'],
  });

  const pages = [
    { page: 'aqjb-region-picker (SVG)', url: '/ours/', code: 0, data: gz(national) },
    ...['map-svg', 'map-canvas'].map((name) => {
      const dir = path.join(peers, name);
      const js = readdirSync(path.join(dir, 'assets')).filter((f) => f.endsWith('.js'));
      return {
        page: `ECharts ${name}`,
        url: `/peers/${name}/`,
        code: js.reduce((n, f) => n + gz(readFileSync(path.join(dir, 'assets', f))), 0),
        data: gz(readFileSync(path.join(dir, 'china.json'))),
      };
    }),
  ];
  const rows: MapBenchRow[] = [];
  try {
    const samples = new Map(pages.map((p) => [p.page, [] as { draw: number; ready: number; heap: number; code: string[] }[]]));
    // Interleaved, so that a slow moment of the machine hits every page alike.
    for (let run = 0; run < runs; run++) {
      for (const p of pages) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        samples.get(p.page)!.push(await measure(page, `http://127.0.0.1:${http.port}${p.url}`, '__mapFinished'));
        await context.close();
      }
      log(`run ${run + 1}/${runs} done`);
    }
    for (const p of pages) {
      const s = samples.get(p.page)!;
      // Ours: what the page loaded from dist/ (the same files every load; the first load's list).
      const code = p.code || [...new Set(s[0]!.code)].reduce((n, f) => n + gz(readFileSync(path.join(DIST, f))), 0);
      rows.push({
        page: p.page,
        codeGzip: code,
        dataGzip: p.data,
        drawMs: median(s.map((x) => x.draw)),
        readyMs: median(s.map((x) => x.ready)),
        heapBytes: median(s.map((x) => x.heap)),
      });
    }
  } finally {
    await browser.close();
    http.close();
    await api.close();
  }

  const ours = rows[0]!;
  const svgPeer = rows.find((r) => r.page === 'ECharts map-svg')!;
  const geometrySizes = readdirSync(GEOMETRY_DIR)
    .filter((f) => /\.[sl]\.json$/.test(f))
    .map((f) => ({ f, size: gz(readFileSync(path.join(GEOMETRY_DIR, f))) }));
  const largest = (kind: 's' | 'l') => geometrySizes.filter((g) => g.f.endsWith(`.${kind}.json`)).sort((a, b) => b.size - a.size)[0]!;
  const pickerGzip = gz(pickerCode);
  const kb = (n: number) => `${(n / KB).toFixed(1)} KB`;
  const budgets: MapBudget[] = [
    { name: 'picker code (gzip)', actual: kb(pickerGzip), limit: '6.0 KB', ok: pickerGzip <= 6 * KB },
    { name: `largest desktop geometry file (${largest('l').f})`, actual: kb(largest('l').size), limit: '25.0 KB', ok: largest('l').size <= 25 * KB },
    { name: `largest phone geometry file (${largest('s').f})`, actual: kb(largest('s').size), limit: '15.0 KB', ok: largest('s').size <= 15 * KB },
    { name: 'national geometry vs ECharts map data', actual: kb(ours.dataGzip), limit: `½ × ${kb(svgPeer.dataGzip)}`, ok: ours.dataGzip * 2 <= svgPeer.dataGzip },
    { name: `draw to interactive vs ECharts SVG (medians of ${runs})`, actual: `${ours.drawMs.toFixed(0)} ms`, limit: `¼ × ${svgPeer.drawMs.toFixed(0)} ms`, ok: ours.drawMs <= DRAW_VS_ECHARTS_SVG * svgPeer.drawMs },
    {
      name: `ready from navigation, picker alone vs ECharts SVG page (medians of ${runs})`,
      actual: `${ours.readyMs.toFixed(0)} ms = ${(ours.readyMs / svgPeer.readyMs).toFixed(2)}×`,
      limit: `½ × ${svgPeer.readyMs.toFixed(0)} ms`,
      ok: ours.readyMs <= READY_VS_ECHARTS_SVG * svgPeer.readyMs,
    },
    { name: 'JS heap vs ECharts SVG page', actual: `${(ours.heapBytes / KB / KB).toFixed(1)} MiB`, limit: `½ × ${(svgPeer.heapBytes / KB / KB).toFixed(1)} MiB`, ok: ours.heapBytes * 2 <= svgPeer.heapBytes },
  ];
  return { rows, pickerGzip, budgets, ok: budgets.every((b) => b.ok) };
}

export function formatMapBench(result: MapBenchResult): string {
  const kb = (n: number) => `${(n / KB).toFixed(1)} KB`;
  const lines = [
    'page                          code gz    data gz    draw (median)  ready (median)  JS heap',
    ...result.rows.map(
      (r) =>
        `${r.page.padEnd(30)}${kb(r.codeGzip).padStart(8)}${kb(r.dataGzip).padStart(11)}${`${r.drawMs.toFixed(0)} ms`.padStart(15)}` +
        `${`${r.readyMs.toFixed(0)} ms`.padStart(16)}${`${(r.heapBytes / KB / KB).toFixed(1)} MiB`.padStart(11)}`,
    ),
    '',
    ...result.budgets.map((b) => `${b.ok ? 'ok  ' : 'OVER'}  ${b.name}: ${b.actual} (budget ${b.limit})`),
  ];
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: String(MAP_LOADS) }, peers: { type: 'string' } } });
  const result = await benchMap({
    runs: Number(values.runs),
    peers: values.peers ? path.resolve(values.peers) : undefined,
    log: (line) => console.error(line),
  });
  console.log(formatMapBench(result));
  process.exit(result.ok ? 0 : 1);
}
