/**
 * The demo as a function: the reference server (PGlite, --dev), the Henan legacy system of the two-year transition
 * (demo/legacy) and the demo pages beside them under the strict CSP a portal would use. `npm run demo`, the
 * end-to-end tests and the bench all start it here.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { startServer, type RunningServer, type StartOptions } from '../src/server/index.js';
import { startLegacyServer, type RunningLegacyServer } from '../demo/legacy/server.js';
import { createHenanDemoPages } from '../demo/legacy/pages.js';
import { cspHash, integrityImportMap, preloadLinks } from '../demo/importmap.js';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/**
 * Strict CSP: nothing inline but the import map with the chunks' SRI hashes (admitted by its own hash), no eval, the
 * API origins (national and legacy) only, and Trusted Types enforced (no string reaches an HTML sink; Lit's templates
 * go through its own `lit-html` policy).
 */
export const demoCsp = (apiOrigins: string[], importMapHash = '') =>
  [
    "default-src 'self'",
    `connect-src 'self' ${apiOrigins.join(' ')}`,
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "style-src 'self'",
    `script-src 'self'${importMapHash && ` ${importMapHash}`}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
    "require-trusted-types-for 'script'",
    'trusted-types lit-html',
  ].join('; ');

export interface DemoOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  apiPort?: number;
  /** Where the API keeps its data; in memory when omitted. */
  dataDir?: string;
  /** Extra options for the reference server (a manual clock, limits, a logger…). */
  api?: Partial<StartOptions>;
  /** Extra static folders, mounted at `/<name>/` (e.g. the peers for the bench). */
  mounts?: Record<string, string>;
  /** Origins of other pages (a portal's own, on another host or port) that may call the API besides the demo's. */
  allowOrigins?: string[];
  /** Port of the Henan legacy server; 0 (the default) picks a free one. */
  legacyPort?: number;
  /** Where the legacy server keeps its records; a temporary folder, removed on close, when omitted. */
  legacyDataDir?: string;
  /**
   * Test harness only (tests/e2e): the address the pages reach the API at, given the API's own, e.g. a proxy the
   * harness can cut off. The policy's connect-src follows it.
   */
  apiFront?: (apiUrl: string) => Promise<string>;
  /**
   * Test harness only (tests/e2e): a same-origin script served at `path` and loaded first in every page's `<head>`
   * (the page clock, the violation watcher). A `<script src>` from 'self', so the strict policy stays as it is.
   */
  headScript?: { path: string; source: () => Promise<string> };
  /**
   * Test harness only (tests/e2e): sees every request for the pages and their files first, in every engine, and may
   * answer it itself (a script that never arrives, an emptied stylesheet), as Playwright's `route` does in Chromium.
   */
  pageHook?: MiddlewareHandler;
}

export interface RunningDemo {
  url: string;
  api: RunningServer;
  apiBase: string;
  /** The Henan legacy reporting system (demo/legacy/server.ts). */
  legacy: RunningLegacyServer;
  /** Its base URL as the pages reach it, ending in `/`. */
  legacyBase: string;
  close(): Promise<void>;
}

interface Manifest {
  files: { file: string; integrity: string; preloadFor?: string }[];
}

/**
 * What the demo pages take from dist/manifest.json: each file's SRI hash, and the import map with the hash of every
 * module in dist/ (the embed's chunks, and the SDK with its own lazy parts for sdk.html and the configurator), as the
 * configurator writes it for a portal, with its policy hash. Read again when the manifest changes, so a rebuild while
 * the demo runs is picked up.
 */
let built: { stamp: number; manifest: Manifest; importMap: Promise<{ json: string; hash: string }> } | undefined;
function current(): NonNullable<typeof built> {
  const file = path.join(root, 'dist', 'manifest.json');
  const stamp = statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (built?.stamp !== stamp) {
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    } catch {
      manifest = { files: [] }; // not built yet: the pages say so by failing to load the script
    }
    const json = integrityImportMap(manifest, '/dist/', (f) => f.endsWith('.js') && !f.endsWith('.iife.js'));
    built = { stamp, manifest, importMap: cspHash(json).then((hash) => ({ json, hash })) };
  }
  return built;
}

/** SRI hash of a built file from dist/manifest.json, as a portal would paste it. */
export function integrity(file: string): string {
  return current().manifest.files.find((f) => f.file === file)?.integrity ?? '';
}

/** The demo pages' import map and its policy hash (see `current`). */
const demoImportMap = () => current().importMap;

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const host = options.host ?? '127.0.0.1';
  const publicHost = host === '0.0.0.0' ? '127.0.0.1' : host;
  const pages = new Hono();
  // The pages' port must be known before the API starts (its allowed origins), so the socket listens before the
  // routes below exist. Until they do, a request gets a plain 503 rather than reaching Hono: a Hono app that has
  // answered once refuses new routes, which crashed the demo when a browser asked for a page during start-up.
  let ready = false;
  const starting = () => new Response('演示正在启动，请稍候刷新。 The demo is starting; reload in a moment.\n', {
    status: 503,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '1' },
  });
  const http = await new Promise<{ port: number; close: () => void }>((resolve) => {
    const s = serve({ fetch: (request, env) => (ready ? pages.fetch(request, env) : starting()), port: options.port ?? 0, hostname: host }, (info) =>
      resolve({ port: info.port, close: () => s.close() }),
    );
  });
  const pageOrigins = [`http://${publicHost}:${http.port}`, `http://localhost:${http.port}`, `http://127.0.0.1:${http.port}`, ...(options.allowOrigins ?? [])];
  const api = await startServer({
    port: options.apiPort ?? 0,
    hostname: host,
    ...(options.dataDir ? { dataDir: options.dataDir } : { memory: true }),
    dev: true,
    allowOrigins: pageOrigins,
    logger: () => {},
    ...options.api,
  });
  const apiBase = (options.apiFront ? await options.apiFront(api.url) : api.url).replace('127.0.0.1', publicHost);
  const apiOrigin = new URL(apiBase).origin;
  const legacyDataDir = options.legacyDataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'aqjb-demo-legacy-')));
  const legacy = await startLegacyServer({
    port: options.legacyPort ?? 0,
    hostname: host,
    dataDir: legacyDataDir,
    allowOrigins: pageOrigins,
  }).catch(async (error: unknown) => {
    http.close();
    await api.close();
    throw error;
  });
  const legacyBase = legacy.url.replace('127.0.0.1', publicHost);
  const legacyOrigin = new URL(legacyBase).origin;
  const apiOrigins = [apiOrigin, apiOrigin.replace('127.0.0.1', 'localhost'), legacyOrigin, legacyOrigin.replace('127.0.0.1', 'localhost')];

  if (options.pageHook) pages.use('*', options.pageHook);
  pages.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', demoCsp(apiOrigins, (await demoImportMap()).hash));
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
  });
  const head = options.headScript;
  if (head) {
    pages.get(head.path, async (c) => c.body(await head.source(), 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
    pages.use('*', async (c, next) => {
      await next();
      if (!c.res.headers.get('Content-Type')?.startsWith('text/html')) return;
      const { status, headers } = c.res;
      const html = (await c.res.text()).replace(/<head>/i, `<head><script src="${head.path}"></script>`);
      headers.delete('Content-Length');
      c.res = undefined;
      c.res = new Response(html, { status, headers });
    });
  }
  pages.get('/', (c) => c.redirect('/index.html'));
  // A portal has its own icon; the demo has none, and says so without a 404 in every console.
  pages.get('/favicon.ico', (c) => c.body(null, 204));
  // Before the static routes: they would serve demo/legacy/henan.html with its placeholders unfilled.
  pages.route('/legacy', createHenanDemoPages({ apiBase, legacyBase }));
  // The rest of demo/legacy is server and adapter source, not page assets.
  pages.all('/legacy/*', (c) => c.notFound());
  // HTML pages learn the API base and SRI hashes here (no inline script under the CSP but the import map).
  pages.get('/:page{[a-z-]+\\.html}', async (c) => {
    const html = await readFile(path.join(root, 'demo', c.req.param('page')), 'utf8').catch(() => undefined);
    if (html === undefined) return c.notFound();
    const mapTag = `<script type="importmap">${(await demoImportMap()).json}</script>`;
    return c.html(
      html
        .replaceAll('%API_BASE%', apiBase)
        .replace('%IMPORTMAP%', mapTag)
        .replace(/%PRELOAD(?::([\w.-]+))?%/, (_, entry?: string) => preloadLinks(current().manifest, '/dist/', entry).join('\n  '))
        .replace(/%SRI:([\w./-]+)%/g, (_, file: string) => integrity(file)),
    );
  });
  const rel = (dir: string) => path.relative(process.cwd(), dir) || '.';
  for (const [name, dir] of Object.entries(options.mounts ?? {})) {
    pages.use(`/${name}/*`, serveStatic({ root: rel(dir), rewriteRequestPath: (p) => p.slice(name.length + 1) }));
  }
  // The script, its chunks and the map geometry are what a portal on its own origin loads from here (crossorigin
  // module scripts and fetches need CORS); public files, no credentials.
  for (const files of ['/dist/*', '/geometry/*']) pages.use(files, cors({ origin: '*' }));
  pages.use('/dist/*', serveStatic({ root: rel(root) }));
  pages.use('/*', serveStatic({ root: rel(path.join(root, 'demo')) }));
  ready = true;

  return {
    url: `http://${publicHost}:${http.port}/`,
    api,
    apiBase,
    legacy,
    legacyBase,
    async close() {
      http.close();
      await Promise.all([api.close(), legacy.close()]);
      if (!options.legacyDataDir) await rm(legacyDataDir, { recursive: true, force: true });
    },
  };
}
