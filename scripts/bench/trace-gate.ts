/**
 * Where the gate's time goes: `node --import tsx scripts/bench/trace-gate.ts [--runs 5] [--page /henan.html]`.
 * `--save out` writes each run's Chromium trace to out.<run>.json and its CPU profile to out.<run>.cpuprofile.
 * Loads the portal page as `npm run bench` does (cold context, 4× CPU throttling, the same probe) with the V8 CPU
 * profiler on, and prints, as medians over the runs: when each of our responses ended, when the page was ready, and the
 * main thread's self time by script (and by function for ours) from navigation to ready. Not a budget: a tool for
 * finding the cost between the script's arrival and the notice on screen.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startDemo } from '../demo-server.js';
import { ManualClock } from '../../tests/support/manual-clock.js';
import { GATE_PROBE, handOver } from '../bench-signal.js';
import { CPU_THROTTLING, launchChromium } from './browser.js';
import { median, ms, table } from './figures.js';
import { BENCH_LIMITS } from './limits.js';
import { writeApiFloor } from './page-load.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { documentLoaderURL?: string } };
}

/**
 * Self time (ms) of each complete event on the page's renderer main thread, from the navigation's start (the main
 * frame's navigationStart mark) to `readyMs` after it: a parent's time less its children's.
 */
function mainThreadSelfTime(events: TraceEvent[], readyMs: number): Map<string, number> {
  const nav = events.filter((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL?.startsWith('http')).at(-1);
  const out = new Map<string, number>();
  if (!nav) return out;
  const main = { pid: nav.pid, tid: nav.tid };
  const end = nav.ts + readyMs * 1000;
  const xs = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined && e.ts >= nav.ts && e.ts <= end)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const stack: { e: TraceEvent; child: number }[] = [];
  const close = (until: number) => {
    while (stack.length && stack.at(-1)!.e.ts + stack.at(-1)!.e.dur! <= until) {
      const { e, child } = stack.pop()!;
      out.set(e.name, (out.get(e.name) ?? 0) + (e.dur! - child) / 1000);
      if (stack.length) stack.at(-1)!.child += e.dur!;
    }
  };
  for (const e of xs) {
    close(e.ts);
    stack.push({ e, child: 0 });
  }
  close(Infinity);
  return out;
}

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, page: { type: 'string', default: '/henan.html' }, save: { type: 'string' } } });
const runs = Number(values.runs);
// `--page /api-floor/henan.html` traces the bench's API floor, for comparison.
const floorDir = mkdtempSync(path.join(tmpdir(), 'aqjb-trace-'));
const demo = await startDemo({
  port: 0,
  api: { clock: new ManualClock(Date.now()), limits: BENCH_LIMITS, pow: { clientMaxFactor: 1, totalMaxFactor: 1, openPerClient: 1e9 } },
  mounts: { 'api-floor': floorDir },
});
writeApiFloor(floorDir, demo);
const browser = await launchChromium();
const timings = new Map<string, number[]>();
const byScript = new Map<string, number[]>();
const byFunction = new Map<string, number[]>();
const byEvent = new Map<string, number[]>();
const add = (m: Map<string, number[]>, k: string, v: number, run: number) => {
  const xs = m.get(k) ?? [];
  xs[run] = (xs[run] ?? 0) + v;
  m.set(k, xs);
};
try {
  for (let run = -1; run < runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLING });
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    const ready = await handOver(page, GATE_PROBE, 'gate');
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'v8', 'blink.user_timing', 'loading'] });
    await cdp.send('Profiler.start');
    await page.goto(new URL(values.page!, demo.url).href, { waitUntil: 'commit' });
    const readyMs = await ready();
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
    const raw = await browser.stopTracing();
    if (values.save) {
      // For the DevTools performance panel (trace) and any .cpuprofile viewer (profile).
      writeFileSync(`${values.save}.${run}.json`, raw);
      writeFileSync(`${values.save}.${run}.cpuprofile`, JSON.stringify(profile));
    }
    const trace = JSON.parse(raw.toString('utf8')) as { traceEvents: TraceEvent[] };
    const entries = (await page.evaluate(() => [
      ...performance.getEntriesByType('resource').map((e) => ({ name: e.name, at: (e as PerformanceResourceTiming).responseEnd, start: e.startTime })),
      ...performance.getEntriesByType('mark').map((e) => ({ name: `mark ${e.name}`, at: e.startTime, start: e.startTime })),
      ...performance.getEntriesByType('paint').map((e) => ({ name: `paint ${e.name}`, at: e.startTime, start: e.startTime })),
      { name: 'domContentLoaded', at: performance.getEntriesByType('navigation')[0] ? (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd : NaN, start: 0 },
    ])) as { name: string; at: number; start: number }[];
    await context.close();
    if (run < 0) continue; // warm-up
    for (const [k, v] of mainThreadSelfTime(trace.traceEvents, readyMs)) add(byEvent, k, v, run);
    timings.set('ready', [...(timings.get('ready') ?? []), readyMs]);
    for (const e of entries) {
      if (e.start > readyMs) continue;
      const u = e.name.startsWith('http') ? new URL(e.name) : undefined;
      const name = u ? `${u.port === new URL(demo.url).port ? '' : 'API '}${u.pathname}` : e.name;
      timings.set(`${name} (start)`, [...(timings.get(`${name} (start)`) ?? []), e.start]);
      timings.set(`${name} (end)`, [...(timings.get(`${name} (end)`) ?? []), e.at]);
    }
    // Self time per sample, from navigation (the profile starts just before) to ready.
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    let t = profile.startTime;
    const navStart = profile.startTime; // close enough: started right before goto
    for (let i = 0; i < profile.samples.length; i++) {
      t += profile.timeDeltas[i]!;
      const dt = profile.timeDeltas[i + 1] ?? 0;
      if ((t - navStart) / 1000 > readyMs) break;
      const f = nodes.get(profile.samples[i]!)!.callFrame;
      const script = f.url ? path.basename(new URL(f.url).pathname) : `(${f.functionName || 'program'})`;
      if (script === '(idle)') continue;
      add(byScript, script, dt / 1000, run);
      if (f.url.includes('/dist/')) add(byFunction, `${script} ${f.functionName || '(anonymous)'}:${f.lineNumber}:${f.columnNumber}`, dt / 1000, run);
    }
  }
} finally {
  await browser.close();
  await demo.close();
}
const med = (xs: number[]) => median(Array.from({ length: runs }, (_, i) => xs[i] ?? 0));
console.log(`gate trace: ${runs} cold loads of ${values.page}, ${CPU_THROTTLING}× throttling; medians`);
console.log(table([['moment', 'ms'], ...[...timings].map(([k, xs]) => [k, ms(median(xs))] as [string, string]).sort((a, b) => parseFloat(a[1]) - parseFloat(b[1]))]));
console.log('\nmain thread until ready, self time by script');
console.log(table([['script', 'ms'], ...[...byScript].map(([k, xs]) => [k, med(xs)] as const).sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => [k, ms(v)])]));
console.log('\nrenderer main thread until ready, self time by trace event');
console.log(table([['event', 'ms'], ...[...byEvent].map(([k, xs]) => [k, med(xs)] as const).sort((a, b) => b[1] - a[1]).slice(0, 20).map(([k, v]) => [k, ms(v)])]));
console.log('\nour functions, self time');
console.log(table([['function', 'ms'], ...[...byFunction].map(([k, xs]) => [k, med(xs)] as const).sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => [k, ms(v)])]));
