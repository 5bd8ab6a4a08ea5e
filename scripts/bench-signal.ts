/**
 * How a page tells the bench it is ready, without the bench polling it: the page calls a Playwright binding
 * (`window.__benchReady(ms)`, CDP Runtime.addBinding, set up before navigation). Playwright's polling would evaluate
 * its injected script in the throttled page (30–40 ms each), inside the very spans measured: ours while it loads,
 * the map's short draw. Used by scripts/bench.ts, scripts/bench-map.ts and tests/e2e/first-screen.test.ts.
 */
import type { Page } from 'playwright-core';

/**
 * Our notice gate is interactive: inside `aqjb-intake` (or bare) the gate's `[part~="accept-button"]` is rendered
 * and its `[part~="body"]` shows the served notice's sections or the province's slotted text. Walks the open shadow
 * roots once per animation frame and hands over the first frame in which that holds.
 */
export const GATE_PROBE = `(() => {
  const interactive = () => {
    const intake = document.querySelector('aqjb-intake');
    const gate = intake?.shadowRoot?.querySelector('aqjb-notice-gate') ?? document.querySelector('aqjb-notice-gate');
    const root = gate?.shadowRoot;
    const button = root?.querySelector('[part~="accept-button"]');
    const body = root?.querySelector('[part~="body"]');
    if (!button || !body || body.hidden) return false;
    return !!body.querySelector('section') || (gate.textContent ?? '').trim() !== '';
  };
  const frame = () => {
    if (interactive()) window.__benchReady(performance.now());
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;

/** A page's own signal (`window[signal] = timestamp`), handed over the moment the page sets it. */
export const signalProbe = (signal: string) =>
  `Object.defineProperty(window, ${JSON.stringify(signal)}, { configurable: true, get() { return this.__benchValue; }, ` +
  `set(v) { this.__benchValue = v; window.__benchReady(v); } });`;

/**
 * Installs `probe` (one of the above) on `page` before it navigates; `onReady` runs in Node with what the page hands
 * over, each time. Returns a wait for the first hand-over, which fails after `timeoutMs` from its own call.
 */
export async function handOver(
  page: Page,
  probe: string,
  what: string,
  onReady: (ms: number) => void = () => {},
  timeoutMs = 60_000,
): Promise<() => Promise<number>> {
  let ready!: (ms: number) => void;
  const signalled = new Promise<number>((resolve) => (ready = resolve));
  await page.exposeBinding('__benchReady', (_source, ms: number) => {
    onReady(ms);
    ready(ms);
  });
  await page.addInitScript(probe);
  return () =>
    Promise.race([
      signalled,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not ready within ${timeoutMs / 1000} s`)), timeoutMs).unref()),
    ]);
}
