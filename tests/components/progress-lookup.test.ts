import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../support/wait.js';
import { sendKeys } from '@web/test-runner-commands';
import { ApiError, createClient, formatReportCode, type AqjbClient, type DevAction, type Progress } from '../../src/sdk/index.js';
import { checkCharacter, generateReportCode } from '../../src/sdk/report-code.js';
import { loadLocale, messagesFor } from '../../src/components/locales/localize.js';
import { formatDate } from '../../src/components/locales/format.js';
import { AqjbProgressLookup } from '../../src/components/progress-lookup/progress-lookup.js';
import type { AqjbProgressLoadedEvent } from '../../src/components/progress-lookup/progress-lookup.js';
import type { AqjbEvidenceUpload } from '../../src/components/evidence-upload/evidence-upload.js';
import { ManualClock } from '../support/manual-clock.js';
import { anonymousDraft } from '../support/drafts.js';
import { pdf as wellFormedPdf } from '../support/media-fixtures.js';

// The element's module has registered its texts by now (imports run first).
const zhCN = messagesFor('zh-CN');
await loadLocale('en');
const en = messagesFor('en');

declare global {
  interface Window {
    __AQJB__: { api: string };
  }
}

// Keeps the registration module in the bundle (a bare import may be dropped as side-effect free).
expect(customElements.get('aqjb-progress-lookup')).to.equal(AqjbProgressLookup);

const api = window.__AQJB__.api;
const t = zhCN.lookup;
const DAY = 86_400_000;

// ---- the reference server ---------------------------------------------------------------------------------------

/** Moves the shared server clock forward (it never goes back) and returns its new time. */
async function advanceServerClock(ms: number): Promise<number> {
  const response = await fetch(`/__aqjb/clock?advance=${ms}`);
  return ((await response.json()) as { now: number }).now;
}
const serverNow = () => advanceServerClock(0);

/** The SDK as the citizen's page uses it, without automatic retries so that 429 answers reach the element. */
const sdk = createClient({ baseUrl: api, retry: 0 });

/** Files a fresh anonymous report, reading the notice for 15 s on the server's clock. */
async function fileReport(regionCode = '410100'): Promise<{ reportCode: string; queryKey: string }> {
  for (;;) {
    const { receiptId } = await sdk.startNoticeReceipt();
    await advanceServerClock(15_000);
    const { ackToken } = await sdk.confirmNoticeReceipt(receiptId);
    try {
      return await sdk.submitReport(anonymousDraft(ackToken, { regionCode }), { idempotencyKey: crypto.randomUUID() });
    } catch (error) {
      // The whole browser run shares one server and one client address: wait out its hourly report limit.
      if (!(error instanceof ApiError && error.code === 'RATE_LIMITED')) throw error;
      await advanceServerClock(error.retryAfterMs ?? 3_600_000);
    }
  }
}

async function act(code: string, action: DevAction): Promise<Progress> {
  const response = await fetch(new URL(`dev/reports/${code}/actions`, api), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(action),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`${action.action}: ${JSON.stringify(body)}`);
  return body as Progress;
}

/** A filed report, accepted, whose handler now asks for a supplement with `request`. */
async function awaitingSupplement(request: string): Promise<{ reportCode: string; queryKey: string }> {
  const receipt = await fileReport();
  await act(receipt.reportCode, { action: 'accept' });
  await act(receipt.reportCode, { action: 'request-supplement', request });
  return receipt;
}

// ---- the element ------------------------------------------------------------------------------------------------

async function mount(
  options: { client?: AqjbClient; clock?: ManualClock; code?: string; lang?: string; textSize?: 'large' } = {},
): Promise<AqjbProgressLookup> {
  const clock = options.clock ?? new ManualClock(await serverNow());
  const wrapper = await fixture<HTMLElement>(html`<div lang=${options.lang ?? 'zh-CN'}>
    <aqjb-progress-lookup
      .client=${options.client ?? sdk}
      .clock=${clock}
      code=${options.code ?? ''}
      text-size=${options.textSize ?? 'normal'}
    ></aqjb-progress-lookup>
  </div>`);
  const el = wrapper.querySelector('aqjb-progress-lookup')!;
  await el.updateComplete;
  return el;
}

const root = (el: Element) => el.shadowRoot!;
const $ = <E extends Element = HTMLElement>(el: Element, selector: string) => root(el).querySelector<E & HTMLElement>(selector);
const $$ = (el: Element, selector: string) => [...root(el).querySelectorAll<HTMLElement>(selector)];
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const live = (el: Element) => text($(el, '[aria-live="polite"]'));
const focused = (el: Element) => root(el).activeElement as HTMLElement | null;
const codeInput = (el: Element) => $<HTMLInputElement>(el, '#reportCode')!;
const keyInput = (el: Element) => $<HTMLInputElement>(el, '#queryKey')!;
const button = (el: Element, part: string) => $<HTMLButtonElement>(el, `[part~="${part}"]`)!;
const fieldError = (el: Element, id: string) => text($(el, `#${id}-error`)).replace(t.errorPrefix, '');
const statusValue = (el: Element) => text($(el, '[data-status-value]'));
const timeline = (el: Element) =>
  $$(el, '[part~="timeline"] > li').map((li) => ({
    time: text(li.querySelector('time')),
    title: text(li.querySelector('.event-title')),
    detail: text(li.querySelector('.event-detail')),
    org: text(li.querySelector('.event-org')),
  }));
const deadline = (el: Element, kind: 'acceptance' | 'verification') => {
  const row = $(el, `.deadline[data-kind="${kind}"]`);
  return row && { date: text(row.querySelector('.deadline-date')), left: text(row.querySelector('.deadline-left')) };
};
/**
 * A deadline's date line as the server's answer gives it: 「（估算）」 whenever the server says so. The server's clock is
 * shared by every engine and only moves forward (another test moves it to late 2026), so whether a due date falls in a
 * year without a holiday calendar depends on what ran before; the answer says which, the test must not assume.
 */
const dueLine = (d: { due: string; estimated?: boolean }) => `${t.deadlineDue(formatDate('zh-CN', d.due))}${d.estimated ? t.estimated : ''}`;

/** Types like a citizen: real key presses into the focused field. */
async function typeInto(input: HTMLInputElement | HTMLTextAreaElement, value: string) {
  input.focus();
  input.select?.();
  if (value) await sendKeys({ type: value });
  else await sendKeys({ press: 'Backspace' });
}

/** Sets a field's text at once (a paste, or an input method committing a phrase). */
function paste(input: HTMLInputElement | HTMLTextAreaElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

/** Types code and key and presses Enter; resolves with the `aqjb-progress-loaded` event. */
async function lookUp(el: AqjbProgressLookup, code: string, key: string): Promise<AqjbProgressLoadedEvent> {
  const loaded = oneEvent(el, 'aqjb-progress-loaded');
  await typeInto(codeInput(el), code);
  await typeInto(keyInput(el), key);
  await sendKeys({ press: 'Enter' });
  const event = await loaded;
  await el.updateComplete;
  return event;
}

async function refresh(el: AqjbProgressLookup): Promise<void> {
  const loaded = oneEvent(el, 'aqjb-progress-loaded');
  button(el, 'refresh-button').click();
  await loaded;
  await el.updateComplete;
}

const until = (what: string, condition: () => boolean) => waitUntil(condition, what);

/** Full-width forms of ASCII letters and digits (ＡＢＣ１２３), as Chinese input methods type them. */
const fullWidth = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('<aqjb-progress-lookup>', () => {
  // Lookups are limited to 30 a minute per client address; each test starts in a fresh minute of server time.
  beforeEach(() => advanceServerClock(60_000));

  it('finds a report by code and key, by keyboard alone, and says where it stands and what happens next', async () => {
    const receipt = await fileReport();
    const expected = await sdk.getProgress(receipt.reportCode, receipt.queryKey);
    const el = await mount();
    await expect(el).to.be.accessible();
    (document.activeElement as HTMLElement | null)?.blur();

    // Keyboard only, in the order on screen: the 大字模式 switch, the code field, then the key; Enter submits.
    await sendKeys({ press: 'Tab' });
    expect(focused(el)?.getAttribute('part')).to.equal('text-size-toggle');
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal(codeInput(el));
    const loaded = oneEvent(el, 'aqjb-progress-loaded');
    await sendKeys({ type: receipt.reportCode.toLowerCase() });
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal(keyInput(el));
    await sendKeys({ type: receipt.queryKey });
    await sendKeys({ press: 'Enter' });
    const event = await loaded;
    await el.updateComplete;

    // Only the code and the status leave the element: never the key.
    expect(event.detail).to.deep.equal({ reportCode: receipt.reportCode, status: 'submitted' });
    expect(focused(el)?.id).to.equal('result-heading');
    expect(text(focused(el))).to.equal(t.resultHeading);
    await until('the lookup is announced', () => live(el) === t.loaded(t.status.submitted));

    expect(text($(el, '[part~="report-code"]'))).to.equal(formatReportCode(receipt.reportCode));
    expect(statusValue(el)).to.equal('受理中');
    expect(text($(el, '.status-text'))).to.equal(t.statusText.submitted);
    expect(text($(el, '.handled-by'))).to.equal(`${t.handledBy} 郑州市应急管理局`);

    const acceptance = expected.deadlines.find((d) => d.kind === 'acceptance')!;
    expect(deadline(el, 'acceptance')).to.deep.equal({
      date: dueLine(acceptance),
      left: t.daysLeft(acceptance.workingDaysLeft!),
    });
    expect(acceptance.workingDaysLeft).to.be.greaterThan(0);
    expect(deadline(el, 'verification')).to.equal(null);

    expect(timeline(el)).to.deep.equal([
      // Only the date of filing is kept (#17.6): the citizen sees the date, not 00:00.
      { time: formatDate('zh-CN', expected.events[0]!.at), title: '提交举报', detail: '通过网上举报提交', org: '办理单位：郑州市应急管理局' },
    ]);
    const list = $(el, '[part~="timeline"]')!;
    expect(list.getAttribute('role')).to.equal('list');
    expect(list.getAttribute('aria-labelledby')).to.equal('timeline-heading');

    // The key is nowhere but in memory.
    expect(location.href).not.to.include(receipt.queryKey);
    expect(JSON.stringify({ ...sessionStorage, ...localStorage })).not.to.include(receipt.queryKey);
    expect(el.outerHTML).not.to.include(receipt.queryKey);
    expect(root(el).innerHTML).not.to.include(receipt.queryKey);
    await expect(el).to.be.accessible();
  });

  it('forgives spaces, hyphens, lower case and full-width characters in the code', async () => {
    let requests = 0;
    const counting = createClient({ baseUrl: api, retry: 0, fetch: (input, init) => (requests++, fetch(input, init)) });
    const el = await mount({ client: counting });
    const code = generateReportCode();
    const formatted = formatReportCode(code);
    const typed = [
      code.toLowerCase(),
      formatted,
      formatted.toLowerCase().replaceAll('-', ' '),
      ` ${code.slice(0, 4)}  ${code.slice(4, 8)}\t${code.slice(8)} `,
      fullWidth(code),
      fullWidth(formatted.toLowerCase()).replaceAll('-', '－'),
      code.split('').join('.'),
    ];
    for (const value of typed) {
      paste(codeInput(el), value);
      await el.updateComplete;
      expect(text($(el, '#reportCode-ok')), JSON.stringify(value)).to.equal(`${t.codeOk}${formatted}`);
      expect(codeInput(el).getAttribute('aria-invalid')).to.equal('false');
      expect(codeInput(el).getAttribute('aria-describedby')).to.include('reportCode-ok');
    }
    expect(requests).to.equal(0);
  });

  it('catches a mistyped code before any request and says which mistake is likely', async () => {
    let requests = 0;
    const counting = createClient({ baseUrl: api, retry: 0, fetch: (input, init) => (requests++, fetch(input, init)) });
    const el = await mount({ client: counting });
    const code = generateReportCode();
    const body = code.slice(0, -1);
    const other = [...'23456789ABCDEFGHJKMNPQRSTVWXYZ'].find((c) => c !== code[3])!;
    const swapAt = [...Array(10).keys()].find((i) => {
      const swapped = body.slice(0, i) + body[i + 1] + body[i] + body.slice(i + 2);
      return body[i] !== body[i + 1] && checkCharacter(swapped) !== code.slice(-1);
    })!;
    const cases: [typed: string, message: string][] = [
      [`${code.slice(0, 5)}O${code.slice(6)}`, t.code.zero],
      [`${code.slice(0, 5)}0${code.slice(6)}`, t.code.zero],
      [`${code.slice(0, 2)}1${code.slice(3)}`, t.code.one],
      [`${code.slice(0, 2)}i${code.slice(3)}`, t.code.one],
      [`${code.slice(0, 2)}l${code.slice(3)}`, t.code.one],
      [`${code.slice(0, 7)}u${code.slice(8)}`, t.code.u],
      [`${code.slice(0, 4)}#${code.slice(4)}`, t.code.other('#')],
      [`${code.slice(0, 3)}${other}${code.slice(4)}`, t.code.checksum],
      [body.slice(0, swapAt) + body[swapAt + 1] + body[swapAt] + body.slice(swapAt + 2) + code.slice(-1), t.code.checksum],
    ];
    for (const [typed, message] of cases) {
      // Shown while typing: these mistakes are certain before the citizen leaves the field.
      await typeInto(codeInput(el), typed);
      await el.updateComplete;
      expect(fieldError(el, 'reportCode'), typed).to.equal(message);
      expect(codeInput(el).getAttribute('aria-invalid')).to.equal('true');
      expect(codeInput(el).getAttribute('aria-describedby')).to.include('reportCode-error');
      await expect(el).to.be.accessible();
    }

    // An unfinished code is not an error while typing; it is once the citizen moves on.
    await typeInto(codeInput(el), code.slice(0, 9));
    await el.updateComplete;
    expect($(el, '#reportCode-error')).to.equal(null);
    await sendKeys({ press: 'Tab' });
    await el.updateComplete;
    expect(fieldError(el, 'reportCode')).to.equal(t.code.length(9));

    // Enter with a wrong code and no key: the summary lists both, takes focus, and links to each field.
    await typeInto(codeInput(el), `${code.slice(0, 5)}O${code.slice(6)}`);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    const summary = $(el, '[part~="error-summary"]')!;
    expect(focused(el)).to.equal(summary);
    expect(text(summary.querySelector('[role="heading"]'))).to.equal(t.errorSummaryTitle);
    expect([...summary.querySelectorAll('li')].map(text)).to.deep.equal([t.code.zero, t.keyEmpty]);
    expect(fieldError(el, 'queryKey')).to.equal(t.keyEmpty);
    await expect(el).to.be.accessible();
    summary.querySelectorAll('a')[1]!.click();
    expect(focused(el)).to.equal(keyInput(el));
    expect(requests).to.equal(0);
  });

  it('gives one neutral answer for a wrong key and for an unknown code, and keeps what was typed', async () => {
    const receipt = await fileReport();
    const el = await mount();
    const unknown = generateReportCode();
    const wrongKey = receipt.queryKey.slice(0, -1) + (receipt.queryKey.endsWith('A') ? 'B' : 'A');

    const answers: string[] = [];
    for (const [code, key] of [
      [receipt.reportCode, wrongKey],
      [unknown, receipt.queryKey],
    ] as const) {
      await typeInto(codeInput(el), code);
      await typeInto(keyInput(el), key);
      await sendKeys({ press: 'Enter' });
      await until('the answer is shown', () => !!$(el, '[part~="lookup-error"]'));
      await el.updateComplete;
      const box = $(el, '[part~="lookup-error"]')!;
      expect(focused(el)).to.equal(box);
      expect(box.querySelector('[role="alert"]')).to.exist;
      answers.push(text(box));
      // Nothing to retry: the citizen checks what they typed, which is still there.
      expect(box.querySelector('[part~="retry-button"]')).to.equal(null);
      expect(codeInput(el).value).to.equal(code);
      expect(keyInput(el).value).to.equal(key);
      await expect(el).to.be.accessible();
    }
    expect(answers[0]).to.equal(`${t.notFound} ${t.notFoundHelp}`);
    expect(answers[1]).to.equal(answers[0]);
    // The hotline in the help can be called with one tap on a phone.
    expect($(el, '[part~="lookup-error"] a[href="tel:12350"]')?.textContent).to.equal('12350');
  });

  it('shows each status and event as the authority moves the report along', async function () {
    const receipt = await fileReport('410100');
    const el = await mount();
    await lookUp(el, receipt.reportCode, receipt.queryKey);
    expect(statusValue(el)).to.equal('受理中');

    const step = async (action: DevAction) => {
      const progress = await act(receipt.reportCode, action);
      await refresh(el);
      expect(statusValue(el), action.action).to.equal(t.status[progress.status]);
      expect(text($(el, '.status-text'))).to.equal(t.statusText[progress.status]);
      expect(text($(el, '.handled-by'))).to.equal(`${t.handledBy} ${progress.handledBy.orgName}`);
      await until('the refresh is announced', () => live(el) === t.refreshed(t.status[progress.status]));
      expect(timeline(el).length).to.equal(progress.events.length);
      await expect(el).to.be.accessible();
      return progress;
    };

    let progress = await step({ action: 'accept' });
    expect(timeline(el)[0]).to.include({ title: '已受理', detail: '', org: '办理单位：郑州市应急管理局' });
    const verification = progress.deadlines.find((d) => d.kind === 'verification')!;
    expect(deadline(el, 'verification')).to.deep.equal({
      date: dueLine(verification),
      left: t.daysLeft(verification.workingDaysLeft!),
    });
    const decided = progress.deadlines.find((d) => d.kind === 'acceptance')!.metAt!;
    expect(deadline(el, 'acceptance')!.left).to.equal(t.metAcceptance(formatDate('zh-CN', decided)));

    await step({ action: 'transfer', toRegionCode: '410105' });
    expect(statusValue(el)).to.equal('已转办');
    expect(text($(el, '.handled-by'))).to.equal(`${t.handledBy} 郑州市金水区应急管理局`);
    expect(timeline(el)[0]).to.include({ title: '已转办', detail: '转交郑州市金水区应急管理局办理', org: '办理单位：郑州市应急管理局' });

    await step({ action: 'request-supplement', request: '请补充现场照片。' });
    expect(statusValue(el)).to.equal('待补充材料');
    expect(text($(el, '[data-request]'))).to.equal('请补充现场照片。');
    expect(timeline(el)[0]).to.include({ title: '请您补充材料', detail: '请补充现场照片。', org: '办理单位：郑州市金水区应急管理局' });

    // Answered elsewhere (another device): the refresh shows it and the form goes away.
    await sdk.addSupplement(receipt.reportCode, receipt.queryKey, { text: '照片已另行邮寄。', attachmentIds: [] });
    await refresh(el);
    expect(statusValue(el)).to.equal('已转办');
    expect($(el, '[part~="supplement"]')).to.equal(null);
    expect(timeline(el)[0]).to.include({ title: '已收到补充材料', detail: '补充说明' });

    await step({ action: 'verify' });
    expect(statusValue(el)).to.equal('核查中');
    expect(timeline(el)[0]).to.include({ title: '开始核查', detail: '' });

    progress = await step({ action: 'extend', days: 30 });
    expect(statusValue(el)).to.equal('已延期');
    const approved = progress.events.at(-1)!;
    if (approved.type !== 'extension-approved') throw new Error('expected extension-approved last');
    expect(timeline(el).slice(0, 2).map((e) => [e.title, e.detail])).to.deep.equal([
      ['延期已批准', `核查期限延长 30 天，至 ${formatDate('zh-CN', approved.verifyBy)}`],
      ['申请延长核查期限', '申请延长 30 天'],
    ]);
    const extended = progress.deadlines.find((d) => d.kind === 'verification')!;
    expect(deadline(el, 'verification')!.date).to.equal(dueLine({ due: approved.verifyBy, estimated: extended.estimated }));

    progress = await step({ action: 'close', outcome: '举报属实，已责令整改。', substantiated: true, reward: '奖励 2000 元' });
    expect(statusValue(el)).to.equal('已办结');
    const outcome = $(el, '[part~="outcome"]')!;
    expect(text(outcome)).to.equal(`${t.outcomeHeading} ${t.substantiated} 举报属实，已责令整改。 ${t.reward('奖励 2000 元')}`);
    expect(timeline(el)[0]).to.include({ title: '已办结', detail: '举报属实，已责令整改。' });
    const closedAt = progress.deadlines.find((d) => d.kind === 'verification')!.metAt!;
    expect(deadline(el, 'verification')!.left).to.equal(t.metVerification(formatDate('zh-CN', closedAt)));
    // Newest first: the report's life reads backwards from the result.
    expect(timeline(el).map((e) => e.title)).to.deep.equal([
      '已办结',
      '延期已批准',
      '申请延长核查期限',
      '开始核查',
      '已收到补充材料',
      '请您补充材料',
      '已转办',
      '已受理',
      '提交举报',
    ]);
  });

  it('says plainly why a report was not accepted and what the citizen may do', async function () {
    const cases = [
      {
        reason: { kind: 'needs-correction', missing: '被举报单位的具体地址和现场照片' },
        text: `${t.reasonHeading} ${t.reason.needsCorrection} 被举报单位的具体地址和现场照片 ${t.reason.needsCorrectionNext}`,
        detail: '需补正：被举报单位的具体地址和现场照片',
      },
      { reason: { kind: 'duplicate' }, text: `${t.reasonHeading} ${t.reason.duplicate} ${t.reason.duplicateNext}`, detail: '重复举报' },
      {
        reason: { kind: 'out-of-scope', department: '郑州市住房和城乡建设局' },
        text: `${t.reasonHeading} ${t.reason.outOfScope('郑州市住房和城乡建设局')} ${t.reason.outOfScopeNext}`,
        detail: '不属于本部门职责，已转交郑州市住房和城乡建设局',
      },
    ] as const;
    for (const c of cases) {
      const receipt = await fileReport();
      await act(receipt.reportCode, { action: 'reject', reason: c.reason });
      const el = await mount();
      const event = await lookUp(el, receipt.reportCode, receipt.queryKey);
      expect(event.detail.status).to.equal('not-accepted');
      expect(statusValue(el)).to.equal('不予受理');
      expect(text($(el, '[part~="reason"]'))).to.equal(c.text);
      expect(timeline(el)[0]).to.include({ title: '不予受理', detail: c.detail });
      await expect(el).to.be.accessible();
    }
  });

  it('takes a supplement with a statement and a file, then shows it in the timeline', async function () {
    const receipt = await awaitingSupplement('请补充消防通道被堵塞的照片或说明。');
    const el = await mount();
    await lookUp(el, receipt.reportCode, receipt.queryKey);
    const section = $(el, '[part~="supplement"]')!;
    expect(text(section.querySelector('h3'))).to.equal(t.supplementHeading);
    expect(text(section.querySelector('[data-request]'))).to.equal('请补充消防通道被堵塞的照片或说明。');
    expect(text(section.querySelector('label[for="text"]'))).to.equal(t.supplementTextLabel);
    await expect(el).to.be.accessible();

    // Sending nothing: the schema's message, in the summary and at the field, and focus on the summary.
    button(el, 'supplement-button').click();
    await el.updateComplete;
    const summary = $(el, '[part~="error-summary"]')!;
    expect(focused(el)).to.equal(summary);
    expect([...summary.querySelectorAll('li')].map(text)).to.deep.equal([zhCN.errors['supplement.text.required']]);
    expect(fieldError(el, 'text')).to.equal(zhCN.errors['supplement.text.required']);
    await expect(el).to.be.accessible();
    summary.querySelector('a')!.click();
    expect(focused(el)?.id).to.equal('text');

    await sendKeys({ type: '通道在仓库东侧，照片见附件。' });
    await el.updateComplete;
    expect($(el, '#text-error')).to.equal(null);

    // The intake's upload element: a PDF, uploaded (resumable) before sending.
    const upload = $<AqjbEvidenceUpload>(el, 'aqjb-evidence-upload') as unknown as AqjbEvidenceUpload;
    const pdf = wellFormedPdf({ size: 2048 }); // the server parses it (#17.4)
    const input = upload.shadowRoot!.querySelector<HTMLInputElement>('#pick-files')!;
    const dt = new DataTransfer();
    dt.items.add(new File([pdf], '现场说明.pdf', { type: 'application/pdf' }));
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await until('the file is uploaded', () => !upload.busy && upload.attachments.length === 1);

    const loaded = oneEvent(el, 'aqjb-progress-loaded');
    button(el, 'supplement-button').click();
    await until('the confirmation shows', () => !!$(el, '[part~="notice"]'));
    await el.updateComplete;
    expect(focused(el)).to.equal($(el, '[part~="notice"]'));
    expect(text($(el, '[part~="notice"]'))).to.equal(t.supplementSent);
    expect($(el, '[part~="supplement"]')).to.equal(null);
    const event = await loaded;
    await el.updateComplete;
    expect(event.detail).to.deep.equal({ reportCode: receipt.reportCode, status: 'accepted' });
    expect(statusValue(el)).to.equal('已受理');
    expect(timeline(el)[0]).to.include({ title: '已收到补充材料', detail: '补充说明和 1 个证据文件' });
    await expect(el).to.be.accessible();

    // The confirmation belongs to the sending: a later refresh, which may show the report closed, drops it.
    const refreshed = oneEvent(el, 'aqjb-progress-loaded');
    button(el, 'refresh-button').click();
    await refreshed;
    await el.updateComplete;
    // Compared as text: chai's message for an element that is still there would serialise the whole shadow tree.
    expect(text($(el, '[part~="notice"]')), 'no confirmation after the refresh').to.equal('');
  });

  it('speaks the characters left only after typing pauses, and only when few are left', async () => {
    const receipt = await awaitingSupplement('请详细说明。');
    const clock = new ManualClock(await serverNow());
    const el = await mount({ clock });
    await lookUp(el, receipt.reportCode, receipt.queryKey);
    const area = $<HTMLTextAreaElement>(el, '#text') as unknown as HTMLTextAreaElement;
    await until('the lookup announcement is done', () => live(el) !== '');

    paste(area, '很长的说明'.repeat(370)); // 1850 characters
    await el.updateComplete;
    expect(text($(el, '#text-count'))).to.equal(t.charactersLeft(150));
    clock.advance(999);
    await el.updateComplete;
    expect(live(el)).to.equal(t.loaded(t.status['supplement-requested']));
    clock.advance(1);
    await until('the count is spoken', () => live(el) === t.charactersLeft(150));

    paste(area, '很长的说明'.repeat(404)); // 2020 characters
    clock.advance(1000);
    await until('the excess is spoken', () => live(el) === t.charactersOver(20));
    expect(text($(el, '#text-count'))).to.equal(t.charactersOver(20));
  });

  it('shows an overdue deadline calmly, with the server’s count of working days', async function () {
    // Overdue: a month after filing, the acceptance decision is many working days late.
    const late = await fileReport();
    await advanceServerClock(30 * DAY);
    const expected = (await sdk.getProgress(late.reportCode, late.queryKey)).deadlines[0]!;
    expect(expected.workingDaysLeft).to.be.lessThan(0);
    const el = await mount();
    await lookUp(el, late.reportCode, late.queryKey);
    expect(deadline(el, 'acceptance')!.left).to.equal(t.overdue(-expected.workingDaysLeft!));
    expect(text($(el, '[data-overdue-note]'))).to.equal(t.overdueNote);
    expect($(el, '[data-overdue-note] a[href="tel:12350"]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('tells “due today” from “past the deadline” over a weekend by today’s date (injected clock)', async function () {
    // Filed on a Tuesday in an ordinary week, the decision is due on Friday; on Saturday no working day has passed.
    const beijingDay = (ms: number) => new Date(ms + 8 * 3_600_000).getUTCDay();
    let receipt: { reportCode: string; queryKey: string } | undefined;
    let due = '';
    for (let week = 0; week < 8 && !receipt; week++) {
      const now = await serverNow();
      const today10 = Date.parse(`${new Date(now + 8 * 3_600_000).toISOString().slice(0, 10)}T10:00:00+08:00`);
      const daysToTuesday = (2 - beijingDay(now) + 7) % 7 || 7;
      await advanceServerClock(today10 + daysToTuesday * DAY - now);
      const filed = await fileReport();
      due = (await sdk.getProgress(filed.reportCode, filed.queryKey)).deadlines[0]!.due;
      if (new Date(`${due}T00:00:00Z`).getUTCDay() === 5) receipt = filed;
    }
    if (!receipt) throw new Error('no ordinary week found in two months');

    const friday = await advanceServerClock(Date.parse(`${due}T12:00:00+08:00`) - (await serverNow()));
    const el = await mount({ clock: new ManualClock(friday) });
    await lookUp(el, receipt.reportCode, receipt.queryKey);
    expect(deadline(el, 'acceptance')!.left).to.equal(t.dueToday);
    expect($(el, '[data-overdue-note]')).to.equal(null);

    const saturday = await advanceServerClock(DAY);
    expect((await sdk.getProgress(receipt.reportCode, receipt.queryKey)).deadlines[0]!.workingDaysLeft).to.equal(0);
    el.clock = new ManualClock(saturday);
    await refresh(el);
    expect(deadline(el, 'acceptance')!.left).to.equal(t.pastDue);
    expect(text($(el, '[data-overdue-note]'))).to.equal(t.overdueNote);
    await expect(el).to.be.accessible();
  });

  it('marks a deadline in a year without a published holiday calendar as estimated', async function () {
    // Accepted from mid-October 2026, the 60th working day falls in 2027, which chinese-days does not know.
    const target = Date.parse('2026-10-20T02:00:00Z');
    await advanceServerClock(Math.max(0, target - (await serverNow())));
    const receipt = await fileReport();
    const progress = await act(receipt.reportCode, { action: 'accept' });
    const verification = progress.deadlines.find((d) => d.kind === 'verification')!;
    expect(verification.estimated).to.equal(true);
    const el = await mount();
    await lookUp(el, receipt.reportCode, receipt.queryKey);
    expect(deadline(el, 'verification')).to.deep.equal({
      date: `${t.deadlineDue(formatDate('zh-CN', verification.due))}${t.estimated}`,
      left: t.daysLeft(verification.workingDaysLeft!),
    });
    expect(text($(el, '[data-estimated-note]'))).to.equal(t.estimatedNote);
    const acceptance = progress.deadlines.find((d) => d.kind === 'acceptance')!;
    expect(deadline(el, 'acceptance')!.date).to.equal(dueLine(acceptance));
    await expect(el).to.be.accessible();
  });

  it('tells the citizen how long to wait when lookups are rate-limited', async () => {
    const receipt = await fileReport();
    const probe = () =>
      fetch(new URL('reports/progress', api), { headers: { 'X-Report-Code': receipt.reportCode, 'X-Query-Key': 'WRONG' } });
    let answer = await probe();
    while (answer.status !== 429) answer = await probe();
    const { error } = (await answer.json()) as { error: { retryAfterMs: number } };
    const el = await mount();
    await typeInto(codeInput(el), receipt.reportCode);
    await typeInto(keyInput(el), receipt.queryKey);
    await sendKeys({ press: 'Enter' });
    await until('the wait is shown', () => !!$(el, '[part~="lookup-error"]'));
    await el.updateComplete;
    // The server's clock stands still, so its wait is the same as in the probe's answer.
    const seconds = Math.ceil(error.retryAfterMs / 1000);
    const wait = seconds < 60 ? t.waitSeconds(seconds) : t.waitMinutes(Math.ceil(seconds / 60));
    expect(text($(el, '[part~="lookup-error"]'))).to.equal(t.rateLimited(wait));
    expect(focused(el)).to.equal($(el, '[part~="lookup-error"]'));
    expect(keyInput(el).value).to.equal(receipt.queryKey);
    await expect(el).to.be.accessible();

    await advanceServerClock(error.retryAfterMs);
    const loaded = oneEvent(el, 'aqjb-progress-loaded');
    keyInput(el).focus();
    await sendKeys({ press: 'Enter' });
    await loaded;
  });

  it('keeps what was typed when the network fails, and the retry finds the report', async () => {
    const receipt = await fileReport();
    let offline = true;
    const flaky = createClient({
      baseUrl: api,
      retry: 0,
      fetch: (input, init) => (offline ? Promise.reject(new TypeError('Failed to fetch')) : fetch(input, init)),
    });
    const el = await mount({ client: flaky });
    await typeInto(codeInput(el), receipt.reportCode);
    await typeInto(keyInput(el), receipt.queryKey);
    await sendKeys({ press: 'Enter' });
    await until('the failure is shown', () => !!$(el, '[part~="lookup-error"]'));
    await el.updateComplete;
    const box = $(el, '[part~="lookup-error"]')!;
    expect(focused(el)).to.equal(box);
    expect(text(box.querySelector('[role="alert"]'))).to.equal(t.network);
    expect(codeInput(el).value).to.equal(receipt.reportCode);
    expect(keyInput(el).value).to.equal(receipt.queryKey);
    await expect(el).to.be.accessible();

    offline = false;
    const loaded = oneEvent(el, 'aqjb-progress-loaded');
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal(button(el, 'retry-button'));
    expect(text(focused(el))).to.equal(t.retry);
    await sendKeys({ press: 'Enter' });
    await loaded;
    await el.updateComplete;
    expect(statusValue(el)).to.equal('受理中');
  });

  it('「查询其他举报」 clears the report and the key, and removal forgets the key', async () => {
    const receipt = await fileReport();
    const el = await mount({ code: formatReportCode(receipt.reportCode) });
    // A prefilled code (e.g. from the receipt): the citizen types only the key.
    expect(codeInput(el).value).to.equal(formatReportCode(receipt.reportCode));
    const loaded = oneEvent(el, 'aqjb-progress-loaded');
    await typeInto(keyInput(el), receipt.queryKey);
    await sendKeys({ press: 'Enter' });
    await loaded;
    await el.updateComplete;

    button(el, 'new-lookup-button').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect($(el, '[part~="result"]')).to.equal(null);
    expect(focused(el)?.id).to.equal('lookup-heading');
    expect(codeInput(el).value).to.equal('');
    expect(keyInput(el).value).to.equal('');
    await expect(el).to.be.accessible();

    // Typed again, then the element is removed (the citizen leaves the page section): the key goes with it.
    await typeInto(keyInput(el), receipt.queryKey);
    const parent = el.parentElement!;
    el.remove();
    expect(keyInput(el).value).to.equal('');
    parent.append(el);
    await el.updateComplete;
    expect(keyInput(el).value).to.equal('');
  });

  it('follows the page language and the large text size', async () => {
    const receipt = await fileReport();
    const el = await mount({ lang: 'en', textSize: 'large' });
    expect(text($(el, 'label[for="reportCode"]'))).to.equal(en.lookup.codeLabel);
    expect(codeInput(el).getBoundingClientRect().height).to.be.at.least(56);
    await lookUp(el, receipt.reportCode, receipt.queryKey);
    expect(statusValue(el)).to.equal(en.lookup.status.submitted);
    expect(timeline(el)[0]!.title).to.equal(en.lookup.event.submitted);
    for (const b of $$(el, '.actions button')) expect(b.getBoundingClientRect().height).to.be.at.least(56);
    await expect(el).to.be.accessible();
  });
  it('has a 大字模式 switch, and passes its size and its own locale on to the supplement’s upload', async function () {
    const receipt = await awaitingSupplement('请补充现场照片。');
    const el = await mount();
    el.locale = 'en'; // on the element itself: the page around it stays zh-CN
    await loadLocale('en');
    await el.updateComplete;
    const toggle = () => $(el, '[part~="text-size-toggle"]') as HTMLButtonElement;
    expect(toggle().getAttribute('aria-pressed')).to.equal('false');
    expect(text(toggle())).to.equal(en.common.largeText);
    const changed = oneEvent(el, 'aqjb-text-size-change');
    toggle().click();
    expect((await changed).detail).to.deep.equal({ textSize: 'large' });
    await el.updateComplete;
    expect(toggle().getAttribute('aria-pressed')).to.equal('true');
    expect(codeInput(el).getBoundingClientRect().height).to.be.at.least(56);

    await lookUp(el, receipt.reportCode, receipt.queryKey);
    const upload = $(el, 'aqjb-evidence-upload') as AqjbEvidenceUpload;
    await upload.updateComplete;
    expect(upload.getAttribute('text-size')).to.equal('large');
    expect(upload.getAttribute('locale')).to.equal('en');
    expect(upload.shadowRoot!.textContent).to.contain(en.upload.chooseFiles);
    await expect(el).to.be.accessible();
  });
});
