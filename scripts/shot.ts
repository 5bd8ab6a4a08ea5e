/**
 * Screenshots of elements as a citizen sees them, in Debian's headless Chromium against the real reference server.
 *
 *   node --import tsx scripts/shot.ts --module src/components/notice-gate/notice-gate.ts \
 *     --html '<aqjb-notice-gate api-base="%API%"></aqjb-notice-gate>' --out /tmp/gate.png [--width 360 --height 740]
 *     [--script 'await page.click(...)'] [--wait 1500] [--full] [--engine chromium|firefox|webkit]
 *
 * `--engine firefox` uses Debian's firefox-esr, or FIREFOX_PATH (puppeteer-core), `--engine webkit` WebKitGTK through
 * WebKitWebDriver (tests/support/webdriver.ts); `--script` is Chromium's only (playwright-core's `page`).
 * The module is bundled with esbuild; the page is served with a strict CSP; `%API%` becomes the server's URL.
 * `--script` runs with `page` (playwright-core) and `server` (the reference server, with a manual clock) in scope.
 */
import { parseArgs } from 'node:util';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { startTestServer } from '../tests/support/reference-server.js';
import { WebKitDriverServer } from '../tests/support/webdriver.js';
import { FIREFOX_PATH, FIREFOX_PREFS } from '../tests/support/engines.js';

const { values } = parseArgs({
  options: {
    module: { type: 'string', multiple: true, default: [] },
    html: { type: 'string', default: '' },
    out: { type: 'string', default: '/tmp/shot.png' },
    width: { type: 'string', default: '360' },
    height: { type: 'string', default: '740' },
    script: { type: 'string', default: '' },
    wait: { type: 'string', default: '1500' },
    full: { type: 'boolean', default: false },
    lang: { type: 'string', default: 'zh-CN' },
    engine: { type: 'string', default: 'chromium' },
  },
});

const server = await startTestServer({ allowOrigins: ['*'] });
const dir = mkdtempSync(path.join(tmpdir(), 'aqjb-shot-'));
const entry = path.join(dir, 'entry.ts');
writeFileSync(entry, values.module!.map((m) => `import ${JSON.stringify(path.resolve(m))};`).join('\n'));
await build({ entryPoints: [entry], bundle: true, format: 'esm', outfile: path.join(dir, 'bundle.js'), target: 'es2022', tsconfig: 'tsconfig.json', logLevel: 'error' });

const page = new Hono();
page.get('/', (c) => {
  c.header('Content-Security-Policy', `default-src 'self'; connect-src 'self' ${new URL(server.url).origin}; img-src 'self' blob: data:; style-src 'self'; script-src 'self'`);
  return c.html(`<!doctype html><html lang="${values.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><script type="module" src="/bundle.js"></script></head><body>${values.html!.replaceAll('%API%', server.url)}</body></html>`);
});
page.get('/bundle.js', (c) => {
  c.header('Content-Type', 'text/javascript');
  return c.body(readFileSync(path.join(dir, 'bundle.js'), 'utf8'));
});
const http = await new Promise<{ port: number; close: () => void }>((resolve) => {
  const s = serve({ fetch: page.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve({ port: info.port, close: () => s.close() }));
});

const [width, height] = [Number(values.width), Number(values.height)];
const url = `http://127.0.0.1:${http.port}/`;
const settle = () => new Promise((r) => setTimeout(r, Number(values.wait)));
if (values.engine === 'webkit') {
  const driver = await WebKitDriverServer.start();
  try {
    const tab = await driver.newSession();
    await tab.setViewport(width, height);
    await tab.navigate(url);
    await settle();
    // WebDriver shoots the viewport: for the full page, make the viewport as tall as the page.
    if (values.full) await tab.setViewport(width, await tab.execute<number>('return document.documentElement.scrollHeight'));
    writeFileSync(values.out!, await tab.screenshot());
    await tab.close();
    console.log(`wrote ${values.out}`);
  } finally {
    await driver.close();
    http.close();
    await server.close();
  }
  process.exit(0);
}
if (values.engine === 'firefox') {
  const firefox = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, extraPrefsFirefox: FIREFOX_PREFS });
  try {
    const tab = await firefox.newPage();
    await tab.setViewport({ width, height });
    await tab.goto(url);
    await settle();
    await tab.screenshot({ path: values.out as `${string}.png`, fullPage: values.full });
    console.log(`wrote ${values.out}`);
  } finally {
    await firefox.close();
    http.close();
    await server.close();
  }
  process.exit(0);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const tab = await browser.newPage({ viewport: { width: Number(values.width), height: Number(values.height) } });
  const violations: string[] = [];
  tab.on('console', (m) => m.type() === 'error' && violations.push(m.text()));
  await tab.goto(`http://127.0.0.1:${http.port}/`);
  await tab.waitForTimeout(Number(values.wait));
  if (values.script) {
    const run = new Function('page', 'server', `return (async () => { ${values.script} })()`);
    await run(tab, server);
    await tab.waitForTimeout(500);
  }
  await tab.screenshot({ path: values.out, fullPage: values.full });
  if (violations.length) console.log('console errors:\n' + violations.join('\n'));
  console.log(`wrote ${values.out}`);
} finally {
  await browser.close();
  http.close();
  await server.close();
}
