/**
 * The report form's 「您的信息」 section (reporter.ts with the SMS code controller and its texts) is loaded only in
 * real-name mode. A file of its own: the page must not have loaded that code before the first test looks.
 * The dev server serves each source module at its own URL, so the page's resource timing lists every module it
 * fetched; the form is imported only after the timing buffer was raised above its default of 250 entries.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../support/wait.js';
import { ManualClock } from '../support/manual-clock.js';
import { messagesFor } from '../../src/components/locales/localize.js';
import type { AqjbReportForm } from '../../src/components/report-form/report-form.js';

performance.setResourceTimingBufferSize(100_000);

const api = window.__AQJB__.api;
/** The modules only a real-name report needs. */
const REAL_NAME_ONLY = /\/src\/components\/(report-form\/reporter|controllers\/sms-cooldown|locales\/zh-CN\/reporter)\.ts/;
const fetched = () => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname);

const root = (el: AqjbReportForm) => el.shadowRoot!;
const byId = <T extends HTMLElement = HTMLInputElement>(el: AqjbReportForm, id: string) => root(el).querySelector<T>(`[id="${CSS.escape(id)}"]`);
const continueButton = (el: AqjbReportForm) => root(el).querySelector<HTMLButtonElement>('[part~="continue-button"]')!;

async function type(el: AqjbReportForm, field: string, text: string) {
  const input = byId<HTMLInputElement | HTMLTextAreaElement>(el, field)!;
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

async function mount(mode: 'anonymous' | 'real-name') {
  const el = await fixture<AqjbReportForm>(html`<aqjb-report-form
    api-base=${api}
    .mode=${mode}
    .clock=${new ManualClock()}
    .regionCode=${'410105'}
    .ackToken=${'placeholder-token'}
  ></aqjb-report-form>`);
  await waitUntil(() => byId(el, 'industry'), 'dictionaries did not load');
  return el;
}

describe('<aqjb-report-form> loads its real-name section only when needed', () => {
  before(async () => {
    sessionStorage.clear();
    await import('../../src/components/report-form/report-form.js');
  });

  it('an anonymous report, filled in and continued, never fetches the real-name code or texts', async () => {
    const el = await mount('anonymous');
    await type(el, 'subject.name', '某某化工有限公司');
    await type(el, 'subject.address', '郑州市金水区某路 1 号');
    const industry = byId<HTMLSelectElement>(el, 'industry')!;
    industry.value = 'chemical';
    industry.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    byId(el, 'problemTypes')!.click();
    await type(el, 'description', '储罐区可燃气体报警器长期损坏，夜间有人在罐区吸烟。');
    const done = oneEvent(el, 'aqjb-form-complete');
    continueButton(el).click();
    await done;

    const paths = fetched();
    // The check can fail: the form's own modules are in the list, so the timing buffer did record the imports.
    expect(paths.some((p) => p.endsWith('/report-form/report-form.component.ts')), 'the form’s module is listed').to.equal(true);
    expect(paths.filter((p) => REAL_NAME_ONLY.test(p))).to.deep.equal([]);
  });

  it('after the switch to real-name it says in place that the section is loading, does not continue, then shows it with nothing lost', async () => {
    const t = messagesFor('zh-CN').form;
    const el = await mount('anonymous');
    await type(el, 'subject.name', '某某化工有限公司');
    let completed = false;
    el.addEventListener('aqjb-form-complete', () => (completed = true));

    el.mode = 'real-name';
    await el.updateComplete;
    // Nothing of the section has arrived yet (a module fetch takes a round trip; this is the same task).
    const status = byId<HTMLElement>(el, 'reporter-status')!;
    expect(status.textContent?.trim()).to.equal(t.reporterLoading);
    expect(continueButton(el)).to.have.attribute('aria-disabled', 'true');
    expect(continueButton(el).getAttribute('aria-describedby')).to.equal('reporter-status');
    continueButton(el).click();
    await el.updateComplete;
    expect(root(el).activeElement, 'focus on the loading note').to.equal(status);
    expect(completed, 'no 继续 without the section').to.equal(false);

    await waitUntil(() => byId(el, 'reporter.name'), 'the 「您的信息」 section did not appear');
    expect(fetched().filter((p) => REAL_NAME_ONLY.test(p)).length, 'the section’s modules are fetched now').to.be.at.least(3);
    expect(byId(el, 'reporter-status')).to.equal(null);
    expect(root(el).querySelector('#reporter-heading')).to.have.text(messagesFor('zh-CN').reporter.reporterHeading);
    expect(root(el).querySelector('[part~="sms-button"]')).to.exist;
    expect(byId(el, 'subject.name')!.value).to.equal('某某化工有限公司');
    expect(continueButton(el)).to.have.attribute('aria-disabled', 'false');

    // Back to anonymous and again real-name: the section is there at once, no second load.
    el.mode = 'anonymous';
    await el.updateComplete;
    el.mode = 'real-name';
    await el.updateComplete;
    expect(byId(el, 'reporter.name')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('a form created in real-name mode (a restored draft, or the integrator’s mode) shows the section and focuses its fields on errors', async () => {
    const el = await mount('real-name');
    await waitUntil(() => byId(el, 'reporter.name'), 'the 「您的信息」 section did not appear');
    continueButton(el).click();
    await waitUntil(() => root(el).querySelector('[data-error-summary]'), 'error summary');
    const link = [...root(el).querySelectorAll<HTMLAnchorElement>('[data-error-summary] a')].find((a) => a.getAttribute('href') === '#reporter.name');
    expect(link, 'the summary lists the name').to.exist;
    link!.click();
    await el.updateComplete;
    expect((root(el).activeElement as HTMLElement | null)?.id).to.equal('reporter.name');
  });
});
