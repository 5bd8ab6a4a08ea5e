/**
 * The report form's 「您的信息」 section is a chunk of its own (dist/chunks/real-name-*.js), loaded when 实名举报 is
 * chosen. An anonymous report never asks for it; when the network loses it, the form says so in its place, keeps
 * what was typed, does not continue, and 「重新加载」 brings the section. In every engine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, until } from './support/harness.js';
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
    assert.ok(paths.some((p) => p.startsWith('/dist/chunks/intake-steps-')), 'the requests were recorded');
    assert.deepEqual(paths.filter((p) => REAL_NAME_CHUNK.test(p)), []);
  });

  test(
    'real-name with the chunk lost: the form says so, keeps what was typed and does not continue; 重新加载 brings the section',
    {
      // Open defect of #20, not hidden: it runs and reports in Firefox, but does not fail the suite until fixed.
      todo:
        engine === 'firefox'
          ? 'Firefox keeps a failed module fetch in its module map: import() of the same chunk fails again without a request, so 重新加载 (loadOnce) cannot bring the section; every lazily loaded chunk is affected'
          : undefined,
    },
    async () => {
    const page = await e2e().newPage();
    let lost = true;
    e2e().pages.answer = (path) => (lost && REAL_NAME_CHUNK.test(path) ? 'reset' : undefined);
    await openPage(page, e2e(), `${e2e().demo.url}henan.html`);
    await passNotice(page, e2e());
    await chooseMode(page, '实名举报');
    await chooseRegion(page, ['郑州市', '中牟县']);
    await fillFacts(page);
    const failed = inForm('#reporter-status');
    await until(async () => (await page.text(failed).catch(() => '')).includes('没有加载出来'), 'the failure note in place of 「您的信息」');
    assert.ok(e2e().pages.requests.some((r) => REAL_NAME_CHUNK.test(r.path)), 'the chunk was asked for');
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
});
