import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../support/wait.js';
import { createClient, parseReportCode, type AqjbClient } from '../../src/sdk/index.js';
import { ManualClock } from '../support/manual-clock.js';
import '../../src/components/intake/intake.js';
import type { AqjbIntake } from '../../src/components/intake/intake.js';
import { chooseRegion, clickButton, fill, fillForm, fillIntake, passGate, root, visibleStep, within } from '../support/intake-driver.js';

const api = (window as unknown as { __AQJB__: { api: string } }).__AQJB__.api;
describe('<aqjb-intake>', () => {
  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
  });

  it('takes a citizen from the notice to a receipt anonymously, and the report is on record', async () => {
    const clock = new ManualClock(Date.now());
    const el = await fixture<AqjbIntake>(html`<aqjb-intake api-base=${api} province="410000" .clock=${clock}></aqjb-intake>`);
    await expect(el).to.be.accessible();
    await passGate(el, clock);
    expect(root(el).activeElement?.matches('[data-step="mode"] [data-step-heading]')).to.equal(true, 'focus on the new heading');

    await clickButton(root(el), '继续');
    expect(within(el, '.step-error')?.textContent).to.contain('请选择匿名举报或实名举报');
    within(el, 'input[name="mode"][value="anonymous"]')!.click();
    await clickButton(root(el), '继续');
    await waitUntil(() => visibleStep(el) === 'region');
    await expect(el).to.be.accessible();

    await chooseRegion(el, ['郑州市', '金水区']);
    await waitUntil(() => (within(el, 'aqjb-region-picker') as HTMLInputElement).value === '410105', 'place chosen');
    within(el, '[data-step="region"] [part~="continue-button"]')!.click();
    await waitUntil(() => visibleStep(el) === 'form');

    const form = await fillForm(el);
    root(form).querySelector<HTMLElement>('[part~="continue-button"]')!.click();
    await waitUntil(() => visibleStep(el) === 'review', 'review step');
    const review = within(el, '[part~="review"]')!;
    expect(review.textContent).to.contain('某某化工有限公司');
    expect(review.textContent).to.contain('金水区');
    expect(review.textContent).to.contain('涉嫌存在重大事故隐患');
    await expect(el).to.be.accessible();

    const submitted = oneEvent(el, 'aqjb-submitted');
    within(el, '[part~="submit-button"]')!.click();
    const { detail } = await submitted;
    expect(Object.keys(detail).sort()).to.deep.equal(['reportCode', 'routedTo']);
    expect(detail.routedTo.orgName).to.equal('郑州市金水区应急管理局');
    await waitUntil(() => visibleStep(el) === 'receipt');
    const code = within(el, '[part~="report-code"]')!.textContent!;
    const key = within(el, '[part~="query-key"]')!.textContent!;
    expect(parseReportCode(code).ok).to.equal(true);
    await expect(el).to.be.accessible();

    const progress = await createClient({ baseUrl: api }).getProgress(code, key);
    expect(progress.status).to.equal('submitted');
    expect(sessionStorage.getItem('aqjb-embed:draft:intake')).to.equal(null, 'draft cleared after submit');
  });

  it('works on a portal served over plain http, where crypto.randomUUID and the clipboard do not exist', async () => {
    // What a page outside a secure context lacks (every engine hides both there).
    const uuid = Object.getOwnPropertyDescriptor(Crypto.prototype, 'randomUUID')!;
    const clipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard')!;
    Object.defineProperty(Crypto.prototype, 'randomUUID', { value: undefined, configurable: true, writable: true });
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
    try {
      const clock = new ManualClock(Date.now());
      const el = await fixture<AqjbIntake>(html`<aqjb-intake api-base=${api} province="410000" .clock=${clock}></aqjb-intake>`);
      await fillIntake(el, clock);
      within(el, '[part~="submit-button"]')!.click();
      await waitUntil(() => visibleStep(el) === 'receipt', 'the receipt');
      expect(parseReportCode(within(el, '[part~="report-code"]')!.textContent!).ok).to.equal(true);
      expect(within(el, '[part~="receipt"] button.copy'), 'no copy button that cannot copy').to.equal(null);
    } finally {
      Object.defineProperty(Crypto.prototype, 'randomUUID', uuid);
      Object.defineProperty(Navigator.prototype, 'clipboard', clipboard);
    }
  });

  it('keeps the draft when the connection drops at submit, and a retry files exactly one report', async () => {
    const clock = new ManualClock(Date.now());
    const answers: string[] = [];
    let dropNext = true;
    // The report reaches the server but the answer is lost on the way back, as on a flaky phone network.
    const flaky: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/reports') && (init?.method ?? (input as Request).method) === 'POST') {
        answers.push((await response.clone().json()).reportCode);
        if (dropNext) {
          dropNext = false;
          throw new TypeError('Failed to fetch');
        }
      }
      return response;
    };
    const client: AqjbClient = createClient({ baseUrl: api, fetch: flaky, retry: 0 });
    const el = await fixture<AqjbIntake>(html`<aqjb-intake .client=${client} province="410000" .clock=${clock}></aqjb-intake>`);
    await fillIntake(el, clock, { names: ['郑州市', '郑州航空港经济综合实验区'], code: '410173' });

    within(el, '[part~="submit-button"]')!.click();
    await waitUntil(() => within(el, '[data-submit-failure]'), 'failure shown');
    expect(within(el, '[data-submit-failure]')!.textContent).to.contain('已填写的内容都还在');
    expect(visibleStep(el)).to.equal('review');
    expect(within(el, '[part~="review"]')!.textContent).to.contain('某某化工有限公司');
    await expect(el).to.be.accessible();

    within(el, '[part~="submit-button"]')!.click();
    await waitUntil(() => visibleStep(el) === 'receipt', 'receipt after retry');
    const code = parseReportCode(within(el, '[part~="report-code"]')!.textContent!);
    expect(answers).to.have.length(2);
    expect(answers[1]).to.equal(answers[0], 'the retry got the first report back, not a second one');
    expect(code.ok && code.code).to.equal(answers[0]);
  });

  it("says in the server's words why it refused the report, and only then: an unreadable answer gets the retry hint", async () => {
    const clock = new ManualClock(Date.now());
    // A proxy on the way: first it sends the report on as text/plain, which the server refuses with its own zh-CN
    // text (415); then it answers with a page of its own that the SDK cannot read.
    let refusal: 'server' | 'proxy' = 'server';
    const proxy: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (!request.url.endsWith('/reports') || request.method !== 'POST') return fetch(request);
      if (refusal === 'proxy') return new Response('<html>413 Request Entity Too Large</html>', { status: 413 });
      const headers = new Headers(request.headers);
      headers.set('content-type', 'text/plain');
      return fetch(request.url, { method: 'POST', headers, body: await request.text() });
    };
    const client: AqjbClient = createClient({ baseUrl: api, fetch: proxy, retry: 0 });
    const el = await fixture<AqjbIntake>(html`<aqjb-intake .client=${client} province="410000" .clock=${clock}></aqjb-intake>`);
    await fillIntake(el, clock);

    within(el, '[part~="submit-button"]')!.click();
    await waitUntil(() => within(el, '[data-submit-failure]'), 'failure shown');
    expect(within(el, '[data-submit-failure]')!.textContent).to.contain('请求内容类型不受支持');

    refusal = 'proxy';
    within(el, '[part~="submit-button"]')!.click();
    await waitUntil(() => within(el, '[data-submit-failure]')?.textContent?.includes('已填写的内容都还在'), 'the retry hint');
    expect(within(el, '[data-submit-failure]')!.textContent).not.to.contain('413');
    expect(visibleStep(el)).to.equal('review');
  });
  it('restores the step, mode and place after a reload, without personal data in storage', async () => {
    const clock = new ManualClock(Date.now());
    let el = await fixture<AqjbIntake>(html`<aqjb-intake api-base=${api} province="410000" .clock=${clock}></aqjb-intake>`);
    await passGate(el, clock);
    within(el, 'input[name="mode"][value="real-name"]')!.click();
    await clickButton(root(el), '继续');
    await chooseRegion(el, ['郑州市', '金水区']);
    await waitUntil(() => (within(el, 'aqjb-region-picker') as HTMLInputElement).value === '410105', 'place chosen');
    within(el, '[data-step="region"] [part~="continue-button"]')!.click();
    await waitUntil(() => visibleStep(el) === 'form');
    const form = within(el, 'aqjb-report-form')!;
    await waitUntil(() => form.shadowRoot?.querySelector('[id="reporter.name"]'), 'real-name fields');
    fill(form, 'subject.name', '草稿中的单位');
    fill(form, 'reporter.name', '王小明');
    fill(form, 'reporter.phone', '13900001111');
    clock.advance(1_000); // the form saves 500 ms after the last change
    el.remove();

    el = await fixture<AqjbIntake>(html`<aqjb-intake api-base=${api} province="410000" .clock=${clock}></aqjb-intake>`);
    await waitUntil(() => visibleStep(el) === 'form', 'back on the form');
    const restored = within(el, 'aqjb-report-form')!;
    const subjectName = () => restored.shadowRoot?.querySelector<HTMLInputElement>('[id="subject.name"]')?.value;
    await waitUntil(() => subjectName() === '草稿中的单位', 'fields restored');
    const stored = JSON.stringify({ ...sessionStorage });
    expect(stored).to.contain('草稿中的单位');
    expect(stored).not.to.contain('王小明');
    expect(stored).not.to.contain('13900001111');
    expect(localStorage.length).to.equal(0);
  });
  it('has a 大字模式 switch that enlarges every step, tells the page, and is kept across a reload', async () => {
    const clock = new ManualClock(Date.now());
    let el = await fixture<AqjbIntake>(html`<aqjb-intake api-base=${api} province="410000" .clock=${clock}></aqjb-intake>`);
    const toggle = () => within(el, '[part~="text-size-toggle"]') as HTMLButtonElement;
    expect(toggle().getAttribute('aria-pressed')).to.equal('false');
    expect(toggle().textContent!.trim()).to.equal('大字模式');
    const changed = oneEvent(el, 'aqjb-text-size-change');
    toggle().click();
    expect((await changed).detail).to.deep.equal({ textSize: 'large' });
    await el.updateComplete;
    expect(el.getAttribute('text-size')).to.equal('large');
    expect(toggle().getAttribute('aria-pressed')).to.equal('true');
    const gate = within(el, 'aqjb-notice-gate') as HTMLElement & { updateComplete: Promise<unknown> };
    await gate.updateComplete;
    expect(gate.getAttribute('text-size')).to.equal('large');
    expect(getComputedStyle(gate).fontSize).to.equal('20px');
    await expect(el).to.be.accessible();

    // A reload keeps the citizen's choice (in the draft's session storage, not in localStorage).
    el.remove();
    el = await fixture<AqjbIntake>(html`<aqjb-intake api-base=${api} province="410000" .clock=${clock}></aqjb-intake>`);
    expect(el.textSize).to.equal('large');
    expect(toggle().getAttribute('aria-pressed')).to.equal('true');
    expect(localStorage.length).to.equal(0);

    // Off again, and the gate follows.
    toggle().click();
    await el.updateComplete;
    expect(el.textSize).to.equal('normal');
    expect(within(el, 'aqjb-notice-gate')!.getAttribute('text-size')).to.equal('normal');
  });

  it('starts the switch pressed when the portal sets text-size="large", and keeps no choice the citizen did not make', async () => {
    const clock = new ManualClock(Date.now());
    const el = await fixture<AqjbIntake>(html`<aqjb-intake api-base=${api} province="410000" text-size="large" .clock=${clock}></aqjb-intake>`);
    expect(within(el, '[part~="text-size-toggle"]')!.getAttribute('aria-pressed')).to.equal('true');
    await passGate(el, clock);
    expect(sessionStorage.getItem('aqjb-embed:draft:intake')).to.be.a('string');
    expect(JSON.parse(sessionStorage.getItem('aqjb-embed:draft:intake')!)).not.to.have.property('textSize');
  });
});
