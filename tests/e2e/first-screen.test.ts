/**
 * The first screen on a phone, in every engine: the notice is shown from the answer the page prefetched, before the
 * contract's schemas (zod) have even been requested, and it is checked with them right after. A notice that fails
 * that check leaves the screen and cannot be accepted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Notice } from '../../src/sdk/schemas/notice.js';
import { forEachEngine, pageResources, root, until } from './support/harness.js';
import { ACCEPT, inIntake } from './support/intake.js';

/** The built files that carry zod, from their source maps. */
function filesWithZod(): string[] {
  const dir = path.join(root, 'dist');
  const maps = [...readdirSync(dir).map((f) => f), ...readdirSync(path.join(dir, 'chunks')).map((f) => `chunks/${f}`)].filter((f) => f.endsWith('.js.map'));
  return maps
    .filter((f) => (JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { sources: string[] }).sources.some((s) => s.includes('node_modules/zod/')))
    .map((f) => `/dist/${f.slice(0, -'.map'.length)}`);
}

const GATE = inIntake('aqjb-notice-gate');

forEachEngine((e2e) => {
  test('the notice is on screen before any schema code is requested, and is checked with the schemas right after', async () => {
    const zodFiles = filesWithZod();
    assert.ok(!zodFiles.includes('/dist/aqjb-embed.js'), 'the entry carries no zod');
    assert.ok(zodFiles.length > 0, 'some chunk does');
    const page = await e2e().newPage();
    // ?e2e-gate: the bench's probe records the frame in which the gate is first interactive (harness.ts), and each
    // request's start is in the page's Resource Timing, on the same clock: no polling decides what came first.
    await page.goto(`${e2e().demo.url}henan.html?e2e-gate`);
    const shownAt = await until(() => page.evaluate(() => (window as unknown as { __aqjbGateReady?: number }).__aqjbGateReady), 'the notice with its button');
    const schemaRequests = async () => (await pageResources(page)).filter((r) => zodFiles.includes(new URL(r.url).pathname));
    // Checked afterwards: the schemas' file comes, and the notice stays with its countdown.
    await until(async () => (await schemaRequests()).length > 0, 'the schemas loading after the first paint');
    const early = (await schemaRequests()).filter((r) => r.startTime < shownAt);
    assert.deepEqual(early.map((r) => `${new URL(r.url).pathname} at ${r.startTime} ms`), [], `no schema code before the notice showed (at ${shownAt} ms)`);
    await until(async () => (await page.attr(ACCEPT, 'aria-disabled')) === 'true', 'the countdown');
    assert.equal(await page.text([...GATE, '[part~="title"]']), '安全生产举报须知');
    assert.ok(await page.isVisible([...GATE, '[part~="title"]']));
  });
});

// A province's own notice with a list that lacks `ordered`: readable, so it is shown from the prefetch, but not what
// the contract says (AppOptions.notice is served as configured).
const broken = {
  version: 'broken-1',
  title: '本省举报须知（配置有误）',
  minReadSeconds: 15,
  sections: [{ heading: '须知', blocks: [{ type: 'list', items: ['第一条'] }] }],
} as unknown as Notice;

forEachEngine(
  (e2e) => {
    test('a notice that fails the contract’s check leaves the screen, and nothing can be accepted', async () => {
      const page = await e2e().newPage();
      await page.goto(`${e2e().demo.url}henan.html`);
      const problem = [...GATE, '[part~="problem"]'];
      await page.waitFor(problem, 'the loading problem');
      assert.match(await page.text(problem), /重试/);
      assert.equal(await page.isVisible([...GATE, '[part~="body"]']), false, 'the unchecked text is gone');
      assert.equal(await page.count(ACCEPT), 0, 'no button to accept');
      assert.equal(await page.count([{ css: '*', text: '第一条' }]), 0, 'the unchecked list is nowhere on the page');
    });
  },
  { api: { notice: broken } },
);
