import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../support/wait.js';
import { sendKeys } from '@web/test-runner-commands';
import {
  AnonymousReportDraft,
  RealNameReportDraft,
  ValidationError,
  createClient,
  type Dictionaries,
} from '../../src/sdk/index.js';
import '../../src/components/report-form/report-form.js';
import type { AqjbReportForm } from '../../src/components/report-form/report-form.js';
import { messagesFor } from '../../src/components/locales/localize.js';
import zhReporter from '../../src/components/locales/zh-CN/reporter.js';
import { ManualClock } from '../support/manual-clock.js';

// The element's module has registered its texts by now (imports run first).
const zhCN = messagesFor('zh-CN');

const api = window.__AQJB__.api;
const client = createClient({ baseUrl: api, retry: 0 });
// The 「您的信息」 section's texts come with it (real-name mode), the form's with the element.
const t = { ...zhCN.form, ...zhReporter };
const errors = zhCN.errors;
const KEY = 'aqjb-embed:draft:report';

let dictionaries: Dictionaries;
/** Distinct numbers: the server keeps a 60 s cooldown per phone on its own clock. */
let nextPhone = 13_700_000_001;
const newPhone = () => String(nextPhone++);

const root = (el: AqjbReportForm) => el.shadowRoot!;
const $ = <T extends Element = HTMLElement>(el: AqjbReportForm, selector: string) => root(el).querySelector<T>(selector);
const byId = <T extends HTMLElement = HTMLInputElement>(el: AqjbReportForm, id: string) =>
  root(el).querySelector<T>(`[id="${CSS.escape(id)}"]`)!;
const liveRegion = (el: AqjbReportForm) => $(el, '[aria-live="polite"]')!;
const continueButton = (el: AqjbReportForm) => $<HTMLButtonElement>(el, '[part~="continue-button"]')!;
const smsButton = (el: AqjbReportForm) => $<HTMLButtonElement>(el, '[part~="sms-button"]')!;
const errorText = (el: AqjbReportForm, field: string) => byId(el, `${field}-error`)?.textContent?.trim() ?? '';
const activeId = (el: AqjbReportForm) => (root(el).activeElement as HTMLElement | null)?.id ?? '';

async function mount(
  opts: { mode?: 'anonymous' | 'real-name'; clock?: ManualClock; storage?: string; personal?: boolean; preload?: boolean } = {},
) {
  const clock = opts.clock ?? new ManualClock();
  const el = await fixture<AqjbReportForm>(html`<aqjb-report-form
    api-base=${api}
    .mode=${opts.mode ?? 'anonymous'}
    .clock=${clock}
    .dictionaries=${opts.preload === false ? undefined : dictionaries}
    .regionCode=${'410105'}
    .ackToken=${'placeholder-token'}
    draft-storage=${opts.storage ?? 'session'}
    ?draft-personal=${opts.personal ?? false}
  ></aqjb-report-form>`);
  await waitUntil(() => $(el, '[id="industry"]'), 'dictionaries did not load');
  if (opts.mode === 'real-name') await waitUntil(() => $(el, '[id="reporter.name"]'), 'the 「您的信息」 section did not load');
  return { el, clock };
}

/** Types like a user: focus the field, then real key presses. */
async function type(el: AqjbReportForm, field: string, text: string) {
  byId(el, field).focus();
  await sendKeys({ type: text });
  await el.updateComplete;
}

async function leave(el: AqjbReportForm) {
  await sendKeys({ press: 'Tab' });
  await el.updateComplete;
}

async function click(el: AqjbReportForm, target: HTMLElement) {
  target.click();
  await el.updateComplete;
}

async function chooseIndustry(el: AqjbReportForm, code: string) {
  const select = byId<HTMLSelectElement>(el, 'industry');
  select.value = code;
  select.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

async function fillValidReport(el: AqjbReportForm) {
  await type(el, 'subject.name', '某某化工有限公司');
  await type(el, 'subject.address', '郑州市金水区某路 1 号');
  await chooseIndustry(el, 'chemical');
  await click(el, byId(el, 'problemTypes'));
  await type(el, 'description', '储罐区可燃气体报警器长期损坏，夜间有人在罐区吸烟。');
}

async function devOutboxCode(phone: string): Promise<string> {
  const { messages } = (await (await fetch(new URL('dev/outbox', api))).json()) as { messages: { phone: string; code: string }[] };
  const message = messages.find((m) => m.phone === phone);
  if (!message) throw new Error('no SMS in the dev outbox');
  return message.code;
}

/** A real 1 × 1 PNG, so the upload element's content check and the server both accept it. */
const pngBytes = () =>
  Uint8Array.from(
    atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='),
    (c) => c.charCodeAt(0),
  );

const advanceServerClock = (ms: number) => fetch(`/__aqjb/clock?advance=${ms}`);

/** Reads the notice on the server's clock, as the intake's gate would: the token a report and an SMS code need. */
async function confirmedNotice(): Promise<string> {
  const { receiptId } = await client.startNoticeReceipt();
  await advanceServerClock(15_000);
  return (await client.confirmNoticeReceipt(receiptId)).ackToken;
}

describe('<aqjb-report-form>', () => {
  before(async () => {
    dictionaries = await client.getDictionaries();
  });

  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
  });

  describe('validation', () => {
    it('loads industries and problem types itself and is accessible before anything is entered', async () => {
      const { el } = await mount({ preload: false });
      const options = [...byId<HTMLSelectElement>(el, 'industry').options].map((o) => o.textContent?.trim());
      expect(options[0]).to.equal(t.industryChoose);
      expect(options).to.include('化工（含石油化工）');
      expect(root(el).querySelectorAll('input[data-type]')).to.have.length(dictionaries.problemTypes.length);
      expect(liveRegion(el).textContent).to.equal('');
      expect($(el, '.anonymous-note')).to.have.text(t.anonymousNote);
      await expect(el).to.be.accessible();
    });

    it('shows a field’s error in Chinese only after the citizen changed and left it', async () => {
      const { el } = await mount();
      await type(el, 'subject.name', '某');
      await sendKeys({ press: 'Backspace' });
      await el.updateComplete;
      expect(byId(el, 'subject.name-error')).to.equal(null, 'no error while still typing');

      await leave(el); // to the address field
      expect(errorText(el, 'subject.name')).to.equal(`${t.errorPrefix}${errors['subject.name.required']}`);
      const name = byId(el, 'subject.name');
      expect(name).to.have.attribute('aria-invalid', 'true');
      expect(name.getAttribute('aria-describedby')!.split(' ')).to.include('subject.name-error');
      expect(byId(el, 'subject.name-error').querySelector('.visually-hidden')).to.have.text(t.errorPrefix);

      await leave(el); // leaving the untouched address field shows nothing there
      expect(byId(el, 'subject.address-error')).to.equal(null);
      expect(byId(el, 'subject.address')).to.have.attribute('aria-invalid', 'false');

      await type(el, 'description', '太短了');
      await leave(el);
      expect(errorText(el, 'description')).to.equal(`${t.errorPrefix}${errors['description.tooShort']}`);

      await type(el, 'subject.name', '某某物流仓库');
      expect(byId(el, 'subject.name-error')).to.equal(null, 'a corrected field loses its error at once');
      await expect(el).to.be.accessible();
    });

    it('on 继续 with errors shows a focused summary in field order whose links focus their fields', async () => {
      const { el } = await mount();
      let completed = false;
      el.addEventListener('aqjb-form-complete', () => (completed = true));
      await type(el, 'description', '短');
      await click(el, continueButton(el));
      await waitUntil(() => root(el).activeElement?.hasAttribute('data-error-summary'), 'the summary takes focus');
      expect(completed).to.equal(false);

      const summary = $(el, '[part~="error-summary"]')!;
      expect(summary.querySelector('[role="alert"] [role="heading"][aria-level="2"]')).to.have.text(t.errorSummaryTitle);
      const links = [...summary.querySelectorAll('a')];
      expect(links.map((a) => a.textContent?.trim())).to.deep.equal([
        errors['subject.name.required'],
        errors['subject.address.required'],
        errors['industry.required'],
        errors['problemTypes.required'],
        errors['description.tooShort'],
      ]);
      expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([
        '#subject.name',
        '#subject.address',
        '#industry',
        '#problemTypes',
        '#description',
      ]);
      // Every field now shows the same sentence as the summary.
      expect(errorText(el, 'industry')).to.equal(`${t.errorPrefix}${errors['industry.required']}`);
      expect(errorText(el, 'problemTypes')).to.equal(`${t.errorPrefix}${errors['problemTypes.required']}`);
      expect($(el, 'fieldset.group')!.getAttribute('aria-describedby')!.split(' ')).to.include('problemTypes-error');
      await expect(el).to.be.accessible();

      links[2]!.click();
      expect(activeId(el)).to.equal('industry');
      links[3]!.click();
      expect(activeId(el)).to.equal('problemTypes');
    });

    it('reveals the 七严禁 items with the type’s hint only while 安全评价机构违法违规 is ticked', async () => {
      const { el } = await mount();
      const agency = dictionaries.problemTypes.find((p) => p.code === 'evaluation-agency')!;
      expect(root(el).querySelectorAll('[data-item-of]')).to.have.length(0);

      await click(el, byId(el, 'problemTypes-evaluation-agency'));
      const items = [...root(el).querySelectorAll<HTMLInputElement>('[data-item-of="evaluation-agency"]')];
      expect(items).to.have.length(7);
      const group = items[0]!.closest('fieldset')!;
      expect(group.querySelector('legend')).to.have.text(t.items('安全评价机构违法违规'));
      expect(group.textContent).to.include(agency.hint!);
      expect(group.textContent).to.include('严禁出具失实、虚假的安全评价报告。');
      expect(root(el).querySelectorAll('[data-item-of="expert-misconduct"]')).to.have.length(0);
      await expect(el).to.be.accessible();

      await click(el, items[2]!);
      expect(el.draft.problemTypes).to.deep.equal([{ code: 'evaluation-agency', items: ['qyj-3'] }]);

      await click(el, byId(el, 'problemTypes-expert-misconduct'));
      expect(root(el).querySelectorAll('[data-item-of="expert-misconduct"]')).to.have.length(5);

      await click(el, byId(el, 'problemTypes-evaluation-agency'));
      expect(root(el).querySelectorAll('[data-item-of="evaluation-agency"]')).to.have.length(0);
      expect(el.draft.problemTypes).to.deep.equal([{ code: 'expert-misconduct' }]);
    });

    it('counts characters visibly at once and speaks the count only after typing pauses', async () => {
      const { el, clock } = await mount();
      const count = $(el, '#description-count')!;
      expect(count).to.have.attribute('aria-hidden', 'true');
      expect(count).to.have.text(t.countUnder(0, 10));

      await type(el, 'description', '仓库消防通道');
      expect(count).to.have.text(t.countUnder(6, 10));
      expect(liveRegion(el).textContent).to.equal('');
      clock.advance(999);
      await el.updateComplete;
      expect(liveRegion(el).textContent).to.equal('', 'not while typing');

      await sendKeys({ type: '被堵塞了很久' });
      await el.updateComplete;
      expect(count).to.have.text(t.countLeft(1988));
      clock.advance(999);
      await el.updateComplete;
      expect(liveRegion(el).textContent).to.equal('', 'each key press restarts the wait');
      clock.advance(1);
      await el.updateComplete;
      expect(liveRegion(el).textContent).to.equal(t.countLeft(1988));

      const textarea = byId<HTMLTextAreaElement>(el, 'description');
      textarea.value = '很'.repeat(2003);
      textarea.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      await el.updateComplete;
      expect(count).to.have.text(t.countOver(3));
      expect(count).to.have.class('over');
      await expect(el).to.be.accessible();
    });

    it('refuses a date after today in Beijing with the server’s message', async () => {
      const { el } = await mount({ clock: new ManualClock('2026-03-02T01:00:00Z') });
      const date = byId(el, 'occurredAt');
      expect(date).to.have.attribute('max', '2026-03-02');
      date.focus();
      date.value = '2026-03-03';
      date.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      byId(el, 'subject.name').focus(); // Tab would only move between the date's own day, month and year
      await el.updateComplete;
      expect(errorText(el, 'occurredAt')).to.equal(`${t.errorPrefix}${errors['occurredAt.future']}`);
    });

    it('an empty date field reads as empty in every engine, and a chosen date shows as it is', async () => {
      const { el } = await mount();
      const date = byId(el, 'occurredAt');
      const placeholder = () => $(el, '.date-empty');
      const shown = (node: Element | null) => !!node && getComputedStyle(node).display !== 'none';
      // Where the engine draws the field's text itself (WebKit shows today's date there, greyed; Chromium 年/月/日),
      // that text is hidden and ours is shown; Firefox's own empty field already reads as empty.
      const engineDrawn = CSS.supports('selector(::-webkit-datetime-edit)');
      expect(shown(placeholder()), 'our 年 / 月 / 日 where the engine would print a date').to.equal(engineDrawn);
      if (engineDrawn) expect(placeholder()).to.have.text(t.dateEmpty);
      // The field still takes focus (hiding its text must not hide its parts from the keyboard)…
      date.focus();
      expect(root(el).activeElement).to.equal(date);
      expect(shown(placeholder()), 'no placeholder over what the citizen types').to.equal(false);
      // …and a chosen date is shown as it is.
      date.value = '2026-03-01';
      date.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      await el.updateComplete;
      expect(placeholder()).to.equal(null);
    });

    it('draws the industry menu like the other fields, not in the engine’s grey button look', async () => {
      const { el } = await mount();
      const select = getComputedStyle(byId(el, 'industry'));
      const input = getComputedStyle(byId(el, 'subject.name'));
      expect(select.appearance).to.equal('none');
      for (const p of ['backgroundColor', 'borderTopColor', 'borderTopWidth', 'borderTopLeftRadius', 'fontSize'] as const) {
        expect(select[p], p).to.equal(input[p]);
      }
      expect(select.backgroundImage, 'its arrow').to.contain('linear-gradient');
    });
  });

  describe('anonymous and real-name', () => {
    it('an anonymous draft carries no personal field and passes the anonymous schema', async () => {
      const { el } = await mount({ mode: 'real-name' });
      await type(el, 'reporter.name', '张三');
      el.mode = 'anonymous';
      await el.updateComplete;
      expect(byId(el, 'reporter.name')).to.equal(null);
      await fillValidReport(el);
      const draft = el.draft as Record<string, unknown>;
      expect(draft).to.not.have.property('reporter');
      expect(draft).to.not.have.property('consent');
      expect(draft.mode).to.equal('anonymous');
      expect(AnonymousReportDraft.safeParse(draft).success).to.equal(true);

      const done = oneEvent(el, 'aqjb-form-complete');
      await click(el, continueButton(el));
      const event = await done;
      expect(event.detail).to.deep.equal({});
    });

    it('real name: the SMS code is requested, the cooldown counts down on the clock, and the draft parses', async () => {
      const { el, clock } = await mount({ mode: 'real-name' });
      el.ackToken = await confirmedNotice();
      await expect(el).to.be.accessible();
      const phone = newPhone();
      expect(byId(el, 'reporter.phone')).to.have.attribute('inputmode', 'tel');
      expect(byId(el, 'reporter.phone')).to.have.attribute('autocomplete', 'tel');
      expect(byId(el, 'reporter.smsCode')).to.have.attribute('autocomplete', 'one-time-code');
      expect(byId(el, 'reporter.smsCode')).to.have.attribute('inputmode', 'numeric');
      expect(smsButton(el).textContent?.trim()).to.equal(t.smsSend);

      await type(el, 'reporter.phone', phone);
      smsButton(el).click();
      await waitUntil(() => smsButton(el).textContent?.trim() === t.smsWaitSeconds(60), 'the cooldown starts');
      expect(smsButton(el)).to.have.attribute('aria-disabled', 'true');
      await waitUntil(() => liveRegion(el).textContent === t.smsSent, 'the sent code is announced');
      expect(byId(el, 'reporter.smsCode-hint')).to.have.text(t.smsSent);

      clock.advance(1000);
      await el.updateComplete;
      expect(smsButton(el).textContent?.trim()).to.equal(t.smsWaitSeconds(59));
      clock.advance(58_000);
      await el.updateComplete;
      expect(smsButton(el).textContent?.trim()).to.equal(t.smsWaitSeconds(1));
      clock.advance(1000);
      await el.updateComplete;
      expect(smsButton(el).textContent?.trim()).to.equal(t.smsSend);
      expect(smsButton(el)).to.have.attribute('aria-disabled', 'false');

      await type(el, 'reporter.smsCode', await devOutboxCode(phone));
      await type(el, 'reporter.name', '张三');
      await fillValidReport(el);
      await click(el, byId(el, 'consent'));
      expect($(el, 'label[for="consent"]')).to.have.text(t.consent);

      const parsed = RealNameReportDraft.safeParse(el.draft);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).to.equal(true);
      expect(parsed.data?.reporter.phone).to.equal(phone);
      await expect(el).to.be.accessible();
    });

    it('a 429 from the server starts the cooldown from retryAfterMs and says so at the phone field', async () => {
      const { el, clock } = await mount({ mode: 'real-name' });
      el.ackToken = await confirmedNotice();
      const phone = newPhone();
      await client.sendSmsCode({ phone, ackToken: await confirmedNotice() }); // another tab asked a moment ago
      await type(el, 'reporter.phone', phone);
      smsButton(el).click();
      await waitUntil(() => byId(el, 'reporter.phone-error'), 'the refusal is shown at the phone field');
      expect(errorText(el, 'reporter.phone')).to.equal(`${t.errorPrefix}${t.smsTooSoon}`);
      expect(byId(el, 'reporter.phone')).to.have.attribute('aria-invalid', 'true');
      expect(activeId(el)).to.equal('reporter.phone');
      expect(smsButton(el).textContent?.trim()).to.equal(t.smsWaitSeconds(60));
      clock.advance(60_000);
      await el.updateComplete;
      expect(smsButton(el).textContent?.trim()).to.equal(t.smsSend);
      await expect(el).to.be.accessible();
      await advanceServerClock(60_000);
    });

    it('without a confirmed notice no code is sent, and the phone field says to read the notice again', async () => {
      const { el } = await mount({ mode: 'real-name' }); // its token is a placeholder the server never issued
      const phone = newPhone();
      await type(el, 'reporter.phone', phone);
      smsButton(el).click();
      await waitUntil(() => byId(el, 'reporter.phone-error'), 'the refusal is shown at the phone field');
      expect(errorText(el, 'reporter.phone')).to.equal(`${t.errorPrefix}${t.smsNoticeExpired}`);
      expect(smsButton(el).textContent?.trim()).to.equal(t.smsSend, 'no cooldown: nothing was sent');
      let sent = true;
      await devOutboxCode(phone).catch(() => (sent = false));
      expect(sent).to.equal(false);
    });

    it('an invalid mobile number is caught before any code is sent', async () => {
      const { el } = await mount({ mode: 'real-name' });
      await type(el, 'reporter.phone', '1380000');
      smsButton(el).click();
      await waitUntil(() => byId(el, 'reporter.phone-error'));
      expect(errorText(el, 'reporter.phone')).to.equal(`${t.errorPrefix}${errors['reporter.phone.invalid']}`);
      expect(smsButton(el).textContent?.trim()).to.equal(t.smsSend);
      await type(el, 'reporter.phone', '1');
      expect(byId(el, 'reporter.phone-error')).to.equal(null, 'changing the number clears it');
    });

    it('puts the server’s field errors on the fields and in the summary', async () => {
      const { el } = await mount({ mode: 'real-name' });
      const { receiptId } = await client.startNoticeReceipt();
      await advanceServerClock(15_000);
      const { ackToken } = await client.confirmNoticeReceipt(receiptId);
      el.ackToken = ackToken;
      await type(el, 'reporter.name', '李四');
      await type(el, 'reporter.phone', newPhone());
      await type(el, 'reporter.smsCode', '000000'); // never sent: the server refuses it
      await fillValidReport(el);
      await click(el, byId(el, 'consent'));

      let error: unknown;
      try {
        await client.submitReport(el.draft, { idempotencyKey: crypto.randomUUID() });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ValidationError);
      const fields = (error as ValidationError).fields;
      const extra = { path: 'regionCode', code: 'region.unknown', message: errors['region.unknown'] };
      const left = el.showServerErrors([...fields, extra]);
      expect(left).to.deep.equal([extra], 'issues outside the form go back to the caller');
      await waitUntil(() => root(el).activeElement?.hasAttribute('data-error-summary'));
      expect([...root(el).querySelectorAll('[part~="error-summary"] a')].map((a) => a.textContent?.trim())).to.deep.equal([
        errors['reporter.smsCode.wrong'],
      ]);
      expect(errorText(el, 'reporter.smsCode')).to.equal(`${t.errorPrefix}${errors['reporter.smsCode.wrong']}`);
      expect(byId(el, 'reporter.smsCode')).to.have.attribute('aria-invalid', 'true');
      await expect(el).to.be.accessible();

      el.showServerErrors([{ path: 'subject.name', code: 'subject.name.tooLong', message: '服务器的原文' }]);
      await el.updateComplete;
      expect(errorText(el, 'subject.name')).to.equal(`${t.errorPrefix}${errors['subject.name.tooLong']}`, 'in the element’s words, by key');

      await type(el, 'subject.name', '有限公司');
      expect(byId(el, 'subject.name-error')).to.equal(null, 'editing the field clears the server’s error');
    });
  });

  describe('upload', () => {
    it('does not continue while a file is still uploading, and says why', async () => {
      const { el } = await mount();
      await fillValidReport(el);
      let completed = 0;
      el.addEventListener('aqjb-form-complete', () => completed++);
      const upload = $(el, 'aqjb-evidence-upload')!;
      upload.dispatchEvent(new CustomEvent('aqjb-attachments-change', { detail: { attachments: [], busy: true } }));
      await el.updateComplete;
      expect(continueButton(el)).to.have.attribute('aria-disabled', 'true');
      expect(byId(el, 'continue-note')).to.have.text(t.uploadBusy);
      await click(el, continueButton(el));
      await waitUntil(() => liveRegion(el).textContent === t.uploadBusy);
      expect(completed).to.equal(0);
      await expect(el).to.be.accessible();

      const attachment = { attachmentId: 'att_1', size: 10, mime: 'image/png' as const };
      upload.dispatchEvent(new CustomEvent('aqjb-attachments-change', { detail: { attachments: [attachment], busy: false } }));
      await el.updateComplete;
      expect(el.draft.attachmentIds).to.deep.equal(['att_1']);
      const done = oneEvent(el, 'aqjb-form-complete');
      await click(el, continueButton(el));
      await done;
    });
  });

  describe('draft', () => {
    it('re-attaches uploaded evidence, with its name, after the element is re-created', async () => {
      const clock = new ManualClock();
      const first = await mount({ clock });
      const upload = $(first.el, 'aqjb-evidence-upload')!;
      await (upload as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
      const picker = upload.shadowRoot!.querySelector<HTMLInputElement>('#pick-files')!;
      const files = new DataTransfer();
      files.items.add(new File([pngBytes()], '现场照片.png', { type: 'image/png' }));
      picker.files = files.files;
      picker.dispatchEvent(new Event('change', { bubbles: true }));
      await waitUntil(() => first.el.draft.attachmentIds?.length === 1, 'the upload finishes', { timeout: 8000 });
      const [attachmentId] = first.el.draft.attachmentIds!;
      clock.advance(500);
      expect(sessionStorage.getItem(KEY)).to.include('现场照片.png');
      first.el.remove();

      const { el } = await mount({ clock });
      expect(el.draft.attachmentIds).to.deep.equal([attachmentId]);
      const restored = $(el, 'aqjb-evidence-upload')!;
      await waitUntil(() => restored.shadowRoot?.textContent?.includes('现场照片.png'), 'the file is listed again');
    });

    it('saves 500 ms after the last change and restores into a re-created element', async () => {
      const clock = new ManualClock();
      const first = await mount({ clock });
      await type(first.el, 'subject.name', '某某化工有限公司');
      await click(first.el, byId(first.el, 'problemTypes-evaluation-agency'));
      await click(first.el, byId(first.el, 'problemTypes-evaluation-agency-qyj-7'));
      await chooseIndustry(first.el, 'chemical');
      clock.advance(499);
      expect(sessionStorage.getItem(KEY)).to.equal(null);
      clock.advance(1);
      expect(sessionStorage.getItem(KEY)).to.be.a('string');
      expect(localStorage.length).to.equal(0, 'nothing goes to localStorage by default');
      first.el.remove();

      const { el } = await mount({ clock });
      expect(byId(el, 'subject.name').value).to.equal('某某化工有限公司');
      expect(byId<HTMLSelectElement>(el, 'industry').value).to.equal('chemical');
      expect(byId(el, 'problemTypes-evaluation-agency').checked).to.equal(true);
      expect(byId(el, 'problemTypes-evaluation-agency-qyj-7').checked).to.equal(true);
      expect($(el, '.restored')).to.have.text(t.draftRestored);
      await expect(el).to.be.accessible();
    });

    it('saves at once when the page is left (a reload or a closed tab within the 500 ms loses nothing)', async () => {
      const clock = new ManualClock();
      const { el } = await mount({ clock });
      await type(el, 'subject.name', '某某化工有限公司');
      expect(sessionStorage.getItem(KEY)).to.equal(null, 'not yet: 500 ms have not passed');
      // What the browser fires on a reload or navigation, before the page goes (no element is disconnected then).
      window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
      expect(sessionStorage.getItem(KEY)).to.include('某某化工有限公司');
    });

    it('keeps name and mobile out of the stored draft unless draft-personal is set; never the SMS code', async () => {
      const clock = new ManualClock();
      const first = await mount({ mode: 'real-name', clock });
      await type(first.el, 'reporter.name', '王五');
      await type(first.el, 'reporter.phone', '13912345678');
      await type(first.el, 'reporter.smsCode', '246801');
      await type(first.el, 'subject.address', '某路 8 号');
      clock.advance(500);
      const stored = sessionStorage.getItem(KEY)!;
      expect(stored).to.include('某路 8 号');
      expect(stored).to.not.include('王五');
      expect(stored).to.not.include('13912345678');
      expect(stored).to.not.include('246801');
      first.el.remove();
      const second = await mount({ mode: 'real-name', clock });
      expect(byId(second.el, 'reporter.name').value).to.equal('');
      expect(byId(second.el, 'subject.address').value).to.equal('某路 8 号');
      second.el.remove();

      sessionStorage.clear();
      const third = await mount({ mode: 'real-name', clock, personal: true });
      await type(third.el, 'reporter.name', '王五');
      await type(third.el, 'reporter.phone', '13912345678');
      await type(third.el, 'reporter.smsCode', '246801');
      clock.advance(500);
      const personal = sessionStorage.getItem(KEY)!;
      expect(personal).to.include('王五');
      expect(personal).to.include('13912345678');
      expect(personal).to.not.include('246801');
      third.el.remove();
      const fourth = await mount({ mode: 'real-name', clock, personal: true });
      expect(byId(fourth.el, 'reporter.name').value).to.equal('王五');
      expect(byId(fourth.el, 'reporter.phone').value).to.equal('13912345678');
      expect(byId(fourth.el, 'reporter.smsCode').value).to.equal('');
    });

    it('uses localStorage only with draft-storage="local", and nothing with "none"', async () => {
      const clock = new ManualClock();
      const local = await mount({ clock, storage: 'local' });
      await type(local.el, 'subject.name', '本地保存');
      clock.advance(500);
      expect(localStorage.getItem(KEY)).to.include('本地保存');
      expect(sessionStorage.getItem(KEY)).to.equal(null);
      local.el.remove();
      localStorage.clear();

      const none = await mount({ clock, storage: 'none' });
      await type(none.el, 'subject.name', '不保存');
      clock.advance(500);
      expect(localStorage.length + sessionStorage.length).to.equal(0);
    });

    it('ignores a corrupt or foreign stored draft and survives storage that refuses writes', async () => {
      sessionStorage.setItem(KEY, '{not json');
      const a = await mount();
      expect(byId(a.el, 'subject.name').value).to.equal('');
      a.el.remove();

      sessionStorage.setItem(KEY, JSON.stringify({ fields: { 'subject.name': 42 }, hello: 'world' }));
      const b = await mount();
      expect(byId(b.el, 'subject.name').value).to.equal('');
      expect($(b.el, '.restored')).to.equal(null);
      b.el.remove();

      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = () => {
        throw new DOMException('full', 'QuotaExceededError');
      };
      try {
        const c = await mount();
        await type(c.el, 'subject.name', '满了也能填');
        c.clock.advance(500);
        expect(byId(c.el, 'subject.name').value).to.equal('满了也能填');
      } finally {
        Storage.prototype.setItem = setItem;
      }
    });

    it('forgets the stored draft once a report was filed (aqjb-submitted)', async () => {
      const { el, clock } = await mount();
      await type(el, 'subject.name', '已经提交的');
      clock.advance(500);
      expect(sessionStorage.getItem(KEY)).to.be.a('string');
      el.dispatchEvent(new CustomEvent('aqjb-submitted', { bubbles: true, composed: true, detail: {} }));
      expect(sessionStorage.getItem(KEY)).to.equal(null);
    });

    it('reset() empties the fields and forgets the stored draft', async () => {
      const { el, clock } = await mount();
      await type(el, 'subject.name', '要清掉的');
      clock.advance(500);
      expect(sessionStorage.getItem(KEY)).to.be.a('string');
      el.reset();
      await el.updateComplete;
      expect(byId(el, 'subject.name').value).to.equal('');
      expect(sessionStorage.getItem(KEY)).to.equal(null);
      clock.advance(500);
      expect(sessionStorage.getItem(KEY)).to.equal(null);
    });
  });

  describe('keyboard', () => {
    it('fills a valid anonymous report with Tab, Space, arrows and typing, and continues', async () => {
      const { el } = await mount();
      const done = oneEvent(el, 'aqjb-form-complete');
      byId(el, 'subject.name').focus();
      await sendKeys({ type: '某某化工有限公司' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ type: '郑州市金水区某路 1 号' });
      await sendKeys({ press: 'Tab' });
      expect(activeId(el)).to.equal('industry');
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Tab' });
      expect(activeId(el)).to.equal('problemTypes');
      await sendKeys({ press: ' ' });
      // Through the remaining types to the description.
      for (let i = 0; i < 10 && activeId(el) !== 'description'; i++) await sendKeys({ press: 'Tab' });
      expect(activeId(el)).to.equal('description');
      await sendKeys({ type: '储罐区可燃气体报警器长期损坏。' });
      // Past the optional date and the evidence controls to 「继续」.
      for (let i = 0; i < 20 && root(el).activeElement !== continueButton(el); i++) await sendKeys({ press: 'Tab' });
      expect(root(el).activeElement).to.equal(continueButton(el));
      await sendKeys({ press: 'Enter' });
      await done;
      expect(el.draft.industry).to.equal(dictionaries.industries[0]!.code);
      expect(el.draft.problemTypes).to.deep.equal([{ code: dictionaries.problemTypes[0]!.code }]);
    });
  });

  describe('layout', () => {
    it('grows its tick boxes with text-size="large", not only the text (适老化)', async () => {
      const { el } = await mount({ mode: 'real-name' });
      const box = (host: Element, selector: string) => host.shadowRoot!.querySelector<HTMLElement>(selector)!.getBoundingClientRect().height;
      const upload = root(el).querySelector('aqjb-evidence-upload')!;
      const normal = { type: box(el, '#problemTypes'), consent: box(el, '#consent'), location: box(upload, '#keep-location') };
      el.textSize = 'large';
      await el.updateComplete;
      await (upload as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
      const large = { type: box(el, '#problemTypes'), consent: box(el, '#consent'), location: box(upload, '#keep-location') };
      for (const key of ['type', 'consent', 'location'] as const) {
        expect(large[key], `${key}: ${normal[key]} → ${large[key]}`).to.be.at.least(normal[key] * 1.2);
        expect(large[key], key).to.be.at.least(24);
      }
    });

    it('puts a slotted 「返回上一步」 before 「继续」, on the same row', async () => {
      const { el } = await mount();
      const back = document.createElement('button');
      back.slot = 'back';
      back.textContent = '返回上一步';
      el.append(back);
      await el.updateComplete;
      const a = back.getBoundingClientRect();
      const b = continueButton(el).getBoundingClientRect();
      expect(a.right).to.be.at.most(b.left);
      expect(Math.abs(a.top - b.top)).to.be.below(2);
    });
  });
});
