/** One cold page load in throttled Chromium, with every response's body captured and its ready moment handed over. */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { root, type RunningDemo } from '../demo-server.js';
import { GATE_PROBE, handOver, signalProbe } from '../bench-signal.js';
import { CPU_THROTTLING } from './browser.js';
import { brotliSize, gzipSize, type Kind, type Resource } from './bytes.js';

export interface Load {
  readyMs: number;
  heapBytes: number;
  resources: Resource[];
}

export interface Target {
  name: string;
  path: string;
  /** Peers: the `window` property the page sets to its ready timestamp. Ours: none, GATE_PROBE watches the gate. */
  signal?: string;
  ours: boolean;
}

export async function openPage(browser: Browser, options: { bypassCSP: boolean }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: options.bypassCSP });
  const page = await context.newPage();
  // Every response with its exact body, in the order they finished. A request the page aborts once it has the
  // headers (the SDK does so after the upload's POST, which has no body) is listed with an empty body.
  const responses: { url: string; body: Buffer }[] = [];
  const pending: Promise<unknown>[] = [];
  page.on('requestfinished', (request) => {
    pending.push(
      (async () => {
        const response = await request.response();
        const body = await (response?.body() ?? Promise.resolve(Buffer.alloc(0))).catch(() => Buffer.alloc(0)); // 204, HEAD
        responses.push({ url: request.url(), body });
      })(),
    );
  });
  page.on('requestfailed', (request) => responses.push({ url: request.url(), body: Buffer.alloc(0) }));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLING });
  return {
    context,
    page,
    /**
     * Every resource the page asked for, once the network is idle. With `before`: those Resource Timing lists as
     * started by then (the document always). Without: every response since navigation, as the network saw them
     * (Playwright's clock, installed for the flow, replaces `performance` with a stand-in that lists no entries).
     */
    async resources(classify: (url: string) => Kind, before?: number): Promise<Resource[]> {
      await page.waitForLoadState('networkidle');
      await Promise.all(pending);
      const toResource = (url: string, start: number, body: Buffer): Resource => ({
        url, kind: classify(url), start, raw: body.length, gzip: gzipSize(body), brotli: brotliSize(body),
      });
      if (before === undefined) return responses.filter((r) => /^https?:/.test(r.url)).map((r) => toResource(r.url, NaN, r.body));
      const entries = (await page.evaluate(() =>
        performance.getEntriesByType('resource').map((e) => ({ url: e.name, start: e.startTime })),
      )) as { url: string; start: number }[];
      const used = new Set<number>();
      return [{ url: page.url(), start: 0 }, ...entries]
        .filter((e) => e.start <= before && /^https?:/.test(e.url))
        .map((e) => {
          // The same URL asked twice (e.g. a region list) is matched to its responses in order.
          const i = responses.findIndex((r, k) => r.url === e.url && !used.has(k));
          if (i >= 0) used.add(i);
          return toResource(e.url, e.start, responses[i]?.body ?? Buffer.alloc(0));
        });
    },
    async heap(): Promise<number> {
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      return usedSize;
    },
  };
}

/** Another origin is an API the page talks to (ours, or any other it may come to call): counted. */
export function classifier(demo: RunningDemo): (url: string) => Kind {
  const pagesOrigin = new URL(demo.url).origin;
  return (url) => {
    const u = new URL(url);
    if (u.origin !== pagesOrigin) return 'api';
    if (u.pathname.startsWith('/dist/')) return 'code';
    if (u.pathname.startsWith('/geometry/')) return 'geometry';
    if (u.pathname.startsWith('/peers/')) return 'peer';
    return 'host';
  };
}

/** Name of the reference page made by `writeApiFloor`. */
export const API_FLOOR = 'API floor (scripts/bench-pages/api-floor.js)';

/**
 * The Henan portal page with our script tag swapped for scripts/bench-pages/api-floor.js, served under the same
 * strict CSP: how soon a page can show a notice it has to ask the API for, without any framework.
 */
export function writeApiFloor(dir: string, demo: RunningDemo): void {
  const page = readFileSync(path.join(root, 'demo/henan.html'), 'utf8')
    .replaceAll('%API_BASE%', demo.apiBase)
    .replace('%IMPORTMAP%', '')
    .replace('%PRELOAD%', '')
    .replace('href="henan.css"', 'href="/henan.css"')
    .replace(/<script type="module"[^>]*><\/script>/, '<script type="module" src="api-floor.js"></script>');
  if (!page.includes('api-floor.js')) throw new Error('demo/henan.html: its script tag was not found for the API floor');
  writeFileSync(path.join(dir, 'henan.html'), page);
  copyFileSync(path.join(root, 'scripts/bench-pages/api-floor.js'), path.join(dir, 'api-floor.js'));
}

export async function loadFirstScreen(browser: Browser, demo: RunningDemo, target: Target): Promise<Load> {
  const tab = await openPage(browser, { bypassCSP: !target.ours });
  try {
    // Handed over by the page, not polled (scripts/bench-signal.ts): polling would cost our page 30–40 ms of
    // throttled main thread while it loads, but never the floor, which is ready before the first poll.
    const ready = await handOver(tab.page, target.signal ? signalProbe(target.signal) : GATE_PROBE, target.name);
    await tab.page.goto(new URL(target.path, demo.url).href, { waitUntil: 'commit' });
    const readyMs = await ready();
    const resources = await tab.resources(classifier(demo), readyMs);
    const heapBytes = await tab.heap();
    return { readyMs, heapBytes, resources };
  } finally {
    await tab.context.close();
  }
}
