/**
 * The report form's 「您的信息」 section is a chunk of its own (dist/chunks/real-name-*.js), loaded when 实名举报 is
 * chosen. An anonymous report never asks for it; when the network loses it, the form says so in its place, keeps
 * what was typed, does not continue, and 「重新加载」 brings the section, or 「刷新页面」 where the engine keeps the
 * failed download (Firefox), with what was typed restored from the draft. In every engine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Shots, forEachEngine, until } from './support/harness.js';
import type { Page } from './support/driver.js';
import { FACTS, chooseMode, chooseRegion, field, fillFacts, inForm, openPage, passNotice, waitForStep } from './support/intake.js';

const REAL_NAME_CHUNK = /^\/dist\/chunks\/real-name-[\w-]+\.js$/;

forEachEngine((e2e, engine) => {
  test('an anonymous report up to the check never asks for the real-name chunk', async () => {
    const page = await e2e().newPage();
    await openPage(page, e2e(), `${e2e().demo.url}henan.html`);
    await passNotice(page, e2e());
    await chooseMode(page, '匿名举报');
    await chooseRegion(page, ['郑州市', '金水区']);
    await fillFacts(page);
    await page.click(inForm('[part~="continue-button"]'));
    await waitForStep(page, 'review');
    const paths = e2e().pages.requests.map((r) => r.path);
    assert.ok(paths.some((p) => p.startsWith('/dist/chunks/shared-')), 'the requests were recorded');
    assert.deepEqual(paths.filter((p) => REAL_NAME_CHUNK.test(p)), []);
  });

  /** Real-name, to the form with the facts typed, while the network loses the 「您的信息」 chunk. */
  async function toFormWithChunkLost(page: Page, lost: () => boolean) {
    e2e().pages.answer = (path) => (lost() && REAL_NAME_CHUNK.test(path) ? 'reset' : undefined);
    await openPage(page, e2e(), `${e2e().demo.url}henan.html`);
    await passNotice(page, e2e());
    await chooseMode(page, '实名举报');
    await chooseRegion(page, ['郑州市', '中牟县']);
    await fillFacts(page);
    const failed = inForm('#reporter-status');
    await until(async () => (await page.text(failed).catch(() => '')).includes('没有加载出来'), 'the failure note in place of 「您的信息」');
    assert.ok(e2e().pages.requests.some((r) => REAL_NAME_CHUNK.test(r.path)), 'the chunk was asked for');
  }

  test(
    'real-name with the chunk lost: the form says so, keeps what was typed and does not continue; 重新加载 brings the section',
    {
      skip:
        engine === 'firefox'
          ? 'Firefox keeps a failed module download for the page’s life (the HTML standard’s module map): there 刷新页面 brings the section, the next test'
          : undefined,
    },
    async () => {
      const page = await e2e().newPage();
      let lost = true;
      await toFormWithChunkLost(page, () => lost);
      // 继续 is marked unavailable (what pressing it does is the component test's: focus on this note, no check).
      assert.equal(await page.attr(inForm('[part~="continue-button"]'), 'aria-disabled'), 'true');
      assert.equal(await page.attr(inForm('[part~="continue-button"]'), 'aria-describedby'), 'reporter-status');

      lost = false;
      const asked = e2e().pages.requests.filter((r) => REAL_NAME_CHUNK.test(r.path)).length;
      await page.click(inForm({ css: '#reporter-status button', text: '重新加载' }));
      await until(() => page.count(field('reporter.name')), 'the 「您的信息」 section after 重新加载').catch((error: Error) => {
        const again = e2e().pages.requests.filter((r) => REAL_NAME_CHUNK.test(r.path)).length - asked;
        throw new Error(`${error.message}; the chunk was asked for ${again} more time(s) after 重新加载`);
      });
      assert.equal(await page.value(field('subject.name')), FACTS.name, 'what was typed is still there');
      assert.equal(await page.attr(inForm('[part~="continue-button"]'), 'aria-disabled'), 'false');
    },
  );

  test('real-name with the chunk lost: 刷新页面 brings the section, and what was typed is kept', async () => {
    const shots = new Shots('real-name-chunk-reload', engine);
    const page = await e2e().newPage();
    let lost = true;
    await toFormWithChunkLost(page, () => lost);
    await shots.take(page, 'failed', { target: inForm('#reporter-status') });
    lost = false;
    await page.click(inForm({ css: '#reporter-status button', text: '刷新页面' }));
    await until(() => page.count(field('reporter.name')).catch(() => 0), 'the 「您的信息」 section after the reload');
    assert.equal(await page.value(field('subject.name')), FACTS.name, 'what was typed came back with the draft');
    await shots.take(page, 'after-reload');
  });
});
