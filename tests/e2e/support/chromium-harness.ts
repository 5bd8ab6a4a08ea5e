/**
 * Chromium only, for the end-to-end files not yet on the three-engine driver (support/harness.ts, support/driver.ts):
 * fallback, first-screen, pages, hostile-*, security, snippet. They move to the driver one by one (#20); until then
 * this copy keeps them running as they were. What every such file needs: the built widget (dist/), the demo (reference server in memory with a manual
 * clock, demo pages under the strict CSP), Debian's Chromium through playwright-core, polling waits, and screenshots
 * kept as artefacts in test-results/e2e/<test>/<step>.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { root, startDemo, type RunningDemo } from '../../../scripts/demo-server.js';
import type { StartOptions } from '../../../src/server/index.js';
import { ManualClock } from '../../support/manual-clock.js';
import { TEST_POW } from '../../support/reference-server.js';
import { CHROMIUM_ARGS } from './driver.js';
import { PHONE, requireBuild, until } from './harness.js';

export { root, until };

export interface E2E {
  demo: RunningDemo;
  /** The server's clock: the notice gate needs 15 s on it as well as on the page's. */
  clock: ManualClock;
  browser: Browser;
  /** A fresh context (own storage, cookies, clock) with a phone-sized page. */
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/** One demo and one browser per test file; each test takes its own context. */
export async function startE2E(options: { api?: Partial<StartOptions>; allowOrigins?: string[] } = {}): Promise<E2E> {
  requireBuild();
  const clock = new ManualClock(Date.now());
  // Side by side: PGlite's boot and Chromium's launch are the slow parts of a file's start.
  const [demo, browser] = await Promise.allSettled([
    // Every page load opens a receipt from 127.0.0.1 on a clock that hardly moves: the proof-of-work's flat test price.
    startDemo({ port: 0, api: { clock, pow: TEST_POW, ...options.api }, allowOrigins: options.allowOrigins }),
    chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS }),
  ]).then(async ([d, b]) => {
    if (d.status === 'fulfilled' && b.status === 'fulfilled') return [d.value, b.value] as const;
    if (d.status === 'fulfilled') await d.value.close();
    if (b.status === 'fulfilled') await b.value.close();
    throw d.status === 'rejected' ? d.reason : (b as PromiseRejectedResult).reason;
  });
  const contexts: BrowserContext[] = [];
  return {
    demo,
    clock,
    browser,
    async newPage({ viewport = PHONE } = {}) {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      context.setDefaultTimeout(10_000);
      contexts.push(context);
      const page = await context.newPage();
      return { context, page };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
      await demo.close();
    },
  };
}

/**
 * Every Content-Security-Policy violation report (Trusted Types included) of the context's pages, as
 * `directive blocked-URI sample`, gathered into the returned list. Call before the pages navigate.
 */
export async function cspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.exposeBinding('__cspViolation', (_source, text: string) => void violations.push(text));
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) =>
    window.__cspViolation(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')), true);`);
  return violations;
}

/** Screenshots of each step, kept as artefacts (test-results/ is gitignored). */
export class Shots {
  readonly dir: string;
  #n = 0;
  constructor(test: string) {
    this.dir = path.join(root, 'test-results', 'e2e', 'chromium', test);
    mkdirSync(this.dir, { recursive: true });
  }

  /** The viewport (or `full` page, one element, or a `clip` of the page) as `NN-step.png`; returns the PNG bytes. */
  async take(
    page: Page,
    step: string,
    target: { full?: boolean; locator?: Locator; clip?: { x: number; y: number; width: number; height: number } } = {},
  ): Promise<Buffer> {
    const file = path.join(this.dir, `${String(++this.#n).padStart(2, '0')}-${step}.png`);
    if (target.locator) return target.locator.screenshot({ path: file, animations: 'disabled' });
    return page.screenshot({ path: file, fullPage: target.full ?? Boolean(target.clip), clip: target.clip, animations: 'disabled' });
  }
}
