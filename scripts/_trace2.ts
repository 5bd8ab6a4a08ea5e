import { chromium } from 'playwright-core';
import { startDemo } from './demo-server.js';
import { ManualClock } from '../tests/support/manual-clock.js';
import { readFileSync } from 'node:fs';
const PROBE = readFileSync('/tmp/probe.js', 'utf8');
const demo = await startDemo({ port: 0, api: { clock: new ManualClock(Date.now()), limits: { noticeReceipts: { max: 1e9, windowMs: 3600_000 } } } });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (let run = 0; run < 3; run++) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript(PROBE);
  const events: any[] = [];
  cdp.on('Tracing.dataCollected', (e: any) => events.push(...e.value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,v8.execute,blink.user_timing,loading,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  await page.goto(new URL('/henan.html', demo.url).href);
  await page.waitForFunction(() => (window as any).__r, null, { polling: 300 });
  const ready = await page.evaluate('window.__r');
  await cdp.send('Tracing.end'); await done;
  if (run === 0) { await ctx.close(); continue; }
  const nav = events.find((e) => e.name === 'navigationStart' && e.args?.data?.isLoadingMainFrame) ?? events.find((e) => e.name === 'navigationStart');
  const t0 = nav.ts; const pid = nav.pid; const tid = nav.tid;
  const main = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.dur > 0);
  const tops = main.filter((e) => e.name === 'RunTask').sort((a, b) => a.ts - b.ts);
  console.log('--- ready', ready);
  for (const t of tops) {
    const s = (t.ts - t0) / 1000; if (s < 0 || t.dur < 3000) continue;
    const kids = main.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e.dur > 1500 && e.name !== 'RunTask');
    const desc = kids.slice(0, 8).map((k) => `${k.name}${k.args?.data?.url ? '(' + String(k.args.data.url).split('/').pop() + ')' : ''}${k.args?.data?.functionName ? '(' + k.args.data.functionName + ')' : ''}:${(k.dur / 1000).toFixed(0)}`).join(' ');
    console.log(`${s.toFixed(0).padStart(5)} +${(t.dur / 1000).toFixed(0).padStart(4)}  ${desc}`);
  }
  await ctx.close();
}
await browser.close(); await demo.close(); process.exit(0);
