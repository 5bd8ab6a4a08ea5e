/**
 * The first screen on a phone: the notice is shown from the answer the page prefetched, before the contract's
 * schemas (zod) have even been requested, and it is checked with them right after. A notice that fails that check
 * leaves the screen and cannot be accepted.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Notice } from '../../src/sdk/schemas/notice.js';
import { root, startE2E, until, type E2E } from './support/chromium-harness.js';
import { acceptButton } from './support/chromium-intake.js';
import { GATE_PROBE, handOver } from '../../scripts/bench-signal.js';

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(() => e2e?.close());

/** The built files that carry zod, from their source maps. */
function filesWithZod(): string[] {
  const dir = path.join(root, 'dist');
  const maps = [...readdirSync(dir).map((f) => f), ...readdirSync(path.join(dir, 'chunks')).map((f) => `chunks/${f}`)].filter((f) => f.endsWith('.js.map'));
  return maps
    .filter((f) => (JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { sources: string[] }).sources.some((s) => s.includes('node_modules/zod/')))
    .map((f) => `/dist/${f.slice(0, -'.map'.length)}`);
}

test('the notice is on screen before any schema code is requested, and is checked with the schemas right after', async () => {
  const zodFiles = filesWithZod();
  assert.ok(!zodFiles.includes('/dist/aqjb-embed.js'), 'the entry carries no zod');
  assert.ok(zodFiles.length > 0, 'some chunk does');
  const { page } = await e2e.newPage();
  const requested: string[] = [];
  let onScreen: string[] | undefined;
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  // Told by the page itself in the frame the gate is first interactive (the bench's probe), not by polling.
  const shown = await handOver(page, GATE_PROBE, 'the notice with its button', () => (onScreen ??= [...requested]));
  await page.goto(new URL('henan.html', e2e.demo.url).href);
  await shown();
  const before = onScreen!;
  assert.deepEqual(before.filter((p) => zodFiles.includes(p)), [], 'no schema code before the notice showed');
  // Checked afterwards: the schemas' file comes, and the notice stays with its countdown.
  await until(() => requested.some((p) => zodFiles.includes(p)), 'the schemas loading after the first paint');
  await until(async () => (await acceptButton(page).getAttribute('aria-disabled')) === 'true', 'the countdown');
  assert.ok(await page.getByRole('heading', { name: '安全生产举报须知' }).isVisible());
});

test('a notice that fails the contract’s check leaves the screen, and nothing can be accepted', async () => {
  // A province's own notice with a list that lacks `ordered`: readable, so it is shown from the prefetch, but not
  // what the contract says (AppOptions.notice is served as configured).
  const broken = {
    version: 'broken-1',
    title: '本省举报须知（配置有误）',
    minReadSeconds: 15,
    sections: [{ heading: '须知', blocks: [{ type: 'list', items: ['第一条'] }] }],
  } as unknown as Notice;
  const other = await startE2E({ api: { notice: broken } });
  try {
    const { page } = await other.newPage();
    await page.goto(new URL('henan.html', other.demo.url).href);
    const gate = page.locator('aqjb-intake aqjb-notice-gate');
    await until(() => gate.locator('[part~="problem"]').isVisible(), 'the loading problem');
    assert.match((await gate.locator('[part~="problem"]').textContent()) ?? '', /重试/);
    assert.equal(await gate.locator('[part~="body"]').isVisible(), false, 'the unchecked text is gone');
    assert.equal(await gate.locator('[part~="accept-button"]').count(), 0, 'no button to accept');
    assert.equal(await page.getByText('第一条').count(), 0);
  } finally {
    await other.close();
  }
});
