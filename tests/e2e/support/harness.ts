/**
 * What every end-to-end test file needs: the built widget (dist/), the demo (reference server in memory with a manual
 * clock, demo pages under the strict CSP) behind a switchable API front, one browser per engine (support/driver.ts),
 * polling waits, and screenshots kept as artefacts in test-results/e2e/<engine>/<test>/NN-step.png.
 *
 * Two harness hooks reach the pages, both from outside the product (scripts/demo-server.ts `headScript`, `apiFront`):
 * - a same-origin script first in every page's <head> installs @sinonjs/fake-timers with time flowing by itself, so a
 *   test can jump the notice's 15 s in every engine (WebDriver classic has no clock and no init script), and records
 *   policy violations and script errors where every engine's test can read them;
 * - the pages reach the API through a small proxy the test can switch off (offline) or make cut one request
 *   (a connection reset), in every engine, where Playwright alone could `setOffline` or `route`.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { after, afterEach, before, describe } from 'node:test';
import { build } from 'esbuild';
import type { MiddlewareHandler } from 'hono';
import { GATE_PROBE } from '../../../scripts/bench-signal.js';
import { root, startDemo, type RunningDemo } from '../../../scripts/demo-server.js';
import type { StartOptions } from '../../../src/server/index.js';
import { ManualClock } from '../../support/manual-clock.js';
import { TEST_POW } from '../../support/reference-server.js';
import type { Page as PlaywrightPage } from 'playwright-core';
import { Page, engines, launch, until, type Engine, type EngineBrowser, type ShotTarget } from './driver.js';

export { root, until, Page };
export type { Engine };
export { CHROMIUM_ARGS } from './driver.js';

export const PHONE = { width: 360, height: 740 } as const;

/** The tests drive the built bundle, as a portal would load it; fail early and say how to get it. */
export function requireBuild(): void {
  const manifest = path.join(root, 'dist', 'manifest.json');
  if (!existsSync(manifest)) {
    throw new Error(`${manifest} is missing: run \`npm run build:browser\` before the end-to-end tests`);
  }
}

/** Where the harness script is served on the demo's own origin. */
const HARNESS_SCRIPT = '/__e2e/harness.js';

/**
 * The page side of the harness, bundled once per process. `shouldAdvanceTime`: the page's timers run by themselves
 * (the form's 500 ms draft save, the SDK's retries) until a test jumps them; only timers and Date are faked (Lit's
 * microtasks and the map's frames stay real).
 */
let harnessScript: Promise<string> | undefined;
export const pageHarness = () =>
  (harnessScript ??= build({
    stdin: {
      contents: `
        import FakeTimers from '@sinonjs/fake-timers';
        const params = new URLSearchParams(location.search);
        // ?e2e-clock=paused: time stands still until the test moves it (a countdown that stays at 15 s for a screenshot).
        window.__aqjbClock = FakeTimers.withGlobal(window).install({
          shouldAdvanceTime: params.get('e2e-clock') !== 'paused',
          toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
        });
        const seen = (window.__aqjbSeen = { csp: [], errors: [], storage: [], dialogs: [] });
        performance.setResourceTimingBufferSize(2000);
        // Storage writes, as the page makes them (what stays behind after the tab is gone).
        const setItem = Storage.prototype.setItem;
        Storage.prototype.setItem = function (key, value) {
          const kind = this === localStorage ? 'local' : this === sessionStorage ? 'session' : 'other';
          seen.storage.push({ kind, key: String(key), value: String(value) });
          return setItem.call(this, key, value);
        };
        // A dialog opened by anything on the page (an injected handler calling alert) is recorded, not shown.
        for (const name of ['alert', 'confirm', 'prompt', 'print']) window[name] = (message) => void seen.dialogs.push(name + ': ' + String(message));
        // ?e2e-gate: the bench's probe tells the moment the notice gate is first interactive (performance.now()).
        if (params.has('e2e-gate')) {
          window.__benchReady = (ms) => (window.__aqjbGateReady ??= ms);
          ${GATE_PROBE}
        }
        document.addEventListener('securitypolicyviolation', (e) =>
          seen.csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')), true);
        addEventListener('error', (e) => seen.errors.push('script error: ' + e.message));
        addEventListener('unhandledrejection', (e) => seen.errors.push('unhandled rejection: ' + String(e.reason)));
        const consoleError = console.error;
        console.error = (...args) => (seen.errors.push('console: ' + args.map(String).join(' ')), consoleError.apply(console, args));
        // ?e2e-attr=<tag>:<attribute> sets the attribute as the parser inserts the element, before the deferred
        // module script upgrades it, as a portal's own markup would (survives a reload: it is in the address).
        for (const spec of params.getAll('e2e-attr')) {
          const [tag, attribute] = spec.split(':');
          new MutationObserver((_, observer) => {
            const el = document.querySelector(tag);
            if (!el) return;
            el.setAttribute(attribute, '');
            observer.disconnect();
          }).observe(document, { childList: true, subtree: true });
        }`,
      resolveDir: root,
      loader: 'js',
    },
    bundle: true,
    platform: 'browser',
    // Required only under Node (`_global.process`), never in a page.
    external: ['util'],
    format: 'iife',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text));

/** What the page side recorded (see `pageHarness`): policy violations and script/console errors. */
export const pageProblems = (page: Page) =>
  page.evaluate(() => {
    const seen = (window as unknown as { __aqjbSeen?: { csp: string[]; errors: string[] } }).__aqjbSeen;
    return { csp: seen?.csp ?? ['no harness script'], errors: seen?.errors ?? [] };
  });

export interface StorageWrite {
  kind: 'local' | 'session' | 'other';
  key: string;
  value: string;
}

/** Every `setItem` the page made, and every dialog something on it tried to open (see `pageHarness`). */
export const pageRecord = (page: Page) =>
  page.evaluate(() => {
    const seen = (window as unknown as { __aqjbSeen?: { storage: StorageWrite[]; dialogs: string[] } }).__aqjbSeen;
    return { storage: seen?.storage ?? [], dialogs: seen?.dialogs ?? ['no harness script'] };
  });

/** Every resource the page fetched (Resource Timing, every engine): its address and when the fetch started. */
export const pageResources = (page: Page) =>
  page.evaluate(() => performance.getEntriesByType('resource').map((r) => ({ url: r.name, startTime: r.startTime })));

/** A request for a page or one of its files, as the demo's page server saw it. */
export interface PageRequest {
  method: string;
  path: string;
  /** The whole address, query included. */
  url: string;
  /** The Cookie header it came with, if any. */
  cookie: string | null;
  /** Set-Cookie headers of its answer. */
  setCookie: string[];
}

/** The pages' server as the test sees it (scripts/demo-server.ts `pageHook`). */
export interface PageFront {
  readonly requests: PageRequest[];
  /**
   * Answers a request itself instead of the demo: a response, or 'reset' (the connection dropped, as a failed CDN or
   * a lost network does); undefined lets the demo answer. Set by a test, cleared after each.
   */
  answer?: (path: string) => Response | 'reset' | undefined;
}

function pageFront(): { front: PageFront; hook: MiddlewareHandler } {
  const front: PageFront = { requests: [] };
  const hook: MiddlewareHandler = async (c, next) => {
    const entry: PageRequest = { method: c.req.method, path: new URL(c.req.url).pathname, url: c.req.url, cookie: c.req.header('cookie') ?? null, setCookie: [] };
    front.requests.push(entry);
    const answer = front.answer?.(entry.path);
    if (answer === 'reset') {
      (c.env as { incoming: IncomingMessage }).incoming.socket.destroy();
      return new Response(null, { status: 204 });
    }
    if (answer) return answer;
    await next();
    entry.setCookie = c.res.headers.getSetCookie();
  };
  return { front, hook };
}

/** A request the API front passed on and its answer. */
export interface Passed {
  method: string;
  path: string;
  /** The whole address, query included. */
  url: string;
  status: number;
  headers: IncomingMessage['headers'];
  /** The request body as sent (UTF-8). */
  body: string;
  /** Set-Cookie headers of the answer. */
  setCookie: string[];
}

/** The pages' way to the API: a proxy the test switches off, or has cut a request, in every engine alike. */
export interface ApiFront {
  /** Where the pages reach the API. */
  readonly url: string;
  /** false: every connection is reset, open ones too, as when a phone loses its network. */
  online: boolean;
  /** Resets the connection of the requests for which it returns true (the request never reaches the API). */
  cut?: (request: IncomingMessage) => boolean;
  /** Every request answered, in order. */
  readonly passed: Passed[];
  close(): Promise<void>;
}

async function startApiFront(target: string): Promise<ApiFront> {
  const sockets = new Set<Socket>();
  const front: ApiFront = {
    url: '',
    online: true,
    passed: [],
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    if (!front.online || front.cut?.(req)) return void req.socket.destroy();
    const body: Buffer[] = [];
    req.on('data', (chunk: Buffer) => body.push(chunk));
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        // A new connection per request: a browser silently resends a request whose reused connection was reset
        // (it may have been idle), so a cut on a kept-alive connection would never reach the page.
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, connection: 'close' });
        answer.pipe(res);
        answer.on('end', () =>
          front.passed.push({
            method: req.method ?? '',
            path: new URL(req.url ?? '/', target).pathname,
            url: req.url ?? '/',
            status: answer.statusCode ?? 0,
            headers: req.headers,
            body: Buffer.concat(body).toString('utf8'),
            setCookie: answer.headers['set-cookie'] ?? [],
          }),
        );
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  let online = true;
  Object.defineProperty(front, 'online', {
    get: () => online,
    set: (value: boolean) => {
      online = value;
      if (!value) for (const s of sockets) s.destroy();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  Object.defineProperty(front, 'url', { value: `http://127.0.0.1:${port}${upstream.pathname}` });
  return front;
}

export interface E2E {
  engine: Engine;
  demo: RunningDemo;
  /** The server's clock: the notice gate needs 15 s on it as well as on the page's. */
  clock: ManualClock;
  /** The pages' way to the API (not the tests': `demo.api.url` is direct). */
  front: ApiFront;
  /** The pages' own server: what it was asked for, and answers a test puts in its place. */
  pages: PageFront;
  browser: EngineBrowser;
  /** A fresh context (own storage, cookies, clock) with a phone-sized page. */
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  /** Closes the pages opened so far (after each test). */
  closePages(): Promise<void>;
  close(): Promise<void>;
}

/** One demo and one browser per engine per test file; each test takes its own context. */
export async function startE2E(engine: Engine, options: { api?: Partial<StartOptions>; allowOrigins?: string[] } = {}): Promise<E2E> {
  requireBuild();
  const clock = new ManualClock(Date.now());
  let front: ApiFront | undefined;
  const pages = pageFront();
  // Side by side: PGlite's boot and the browser's launch are the slow parts of a file's start.
  const [demo, browser] = await Promise.allSettled([
    // Every page load opens a receipt from 127.0.0.1 on a clock that hardly moves: the proof-of-work's flat test price.
    startDemo({
      port: 0,
      api: { clock, pow: TEST_POW, ...options.api },
      allowOrigins: options.allowOrigins,
      apiFront: async (apiUrl) => (front = await startApiFront(apiUrl)).url,
      headScript: { path: HARNESS_SCRIPT, source: pageHarness },
      pageHook: pages.hook,
    }),
    launch(engine),
  ]).then(async ([d, b]) => {
    if (d.status === 'fulfilled' && b.status === 'fulfilled') return [d.value, b.value] as const;
    if (d.status === 'fulfilled') await d.value.close();
    if (b.status === 'fulfilled') await b.value.close();
    await front?.close();
    throw d.status === 'rejected' ? d.reason : (b as PromiseRejectedResult).reason;
  });
  let open: Page[] = [];
  const closePages = async () => {
    const closing = open;
    open = [];
    pages.front.answer = undefined;
    for (const p of closing) await p.close();
  };
  return {
    engine,
    demo,
    clock,
    front: front!,
    pages: pages.front,
    browser,
    async newPage({ viewport = PHONE } = {}) {
      const page = await browser.newPage({ viewport });
      open.push(page);
      return page;
    },
    closePages,
    async close() {
      await closePages();
      await browser.close();
      await demo.close();
      await front!.close();
    },
  };
}

/**
 * The file's tests once per engine (AQJB_ENGINES), each engine a suite named after it, so the report says which
 * engine a failure is in. `body` registers the tests; `e2e()` is the engine's harness once the suite has started.
 */
export function forEachEngine(
  body: (e2e: () => E2E, engine: Engine) => void,
  options: Parameters<typeof startE2E>[1] & { only?: readonly Engine[] } = {},
): void {
  for (const engine of engines()) {
    if (options.only && !options.only.includes(engine)) continue;
    describe(engine, () => {
      let e2e: E2E | undefined;
      before(async () => {
        e2e = await startE2E(engine, options);
      });
      afterEach(() => e2e?.closePages());
      after(() => e2e?.close());
      body(() => {
        if (!e2e) throw new Error(`the ${engine} harness did not start`);
        return e2e;
      }, engine);
    });
  }
}

/**
 * Screenshots of each step, kept as artefacts in test-results/e2e/<engine>/<test>/ (gitignored). Without an engine
 * (tests/cli's production page, in Chromium through Playwright directly) in test-results/e2e/<test>/.
 */
export class Shots {
  readonly dir: string;
  #n = 0;
  constructor(test: string, engine?: Engine) {
    this.dir = path.join(root, 'test-results', 'e2e', ...(engine ? [engine] : []), test);
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  /** The viewport (or the `full` page, or one element) as `NN-step.png`; returns the PNG bytes. */
  take(page: Page | PlaywrightPage, step: string, what: ShotTarget = {}): Promise<Buffer> {
    const file = path.join(this.dir, `${String(++this.#n).padStart(2, '0')}-${step}.png`);
    if (page instanceof Page) return page.screenshot(file, what);
    return page.screenshot({ path: file, fullPage: what.full ?? false, animations: 'disabled' });
  }
}
