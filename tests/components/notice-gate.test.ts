import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../support/wait.js';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { AqjbNoticeGate } from '../../src/components/notice-gate/notice-gate.js';
import type { VisibilityDocument } from '../../src/components/controllers/visible-countdown.js';
import { zhCN } from '../../src/components/locales/zh-CN.js';
import { createClient, parseReportCode, type AqjbClient } from '../../src/sdk/index.js';
import { ManualClock } from '../support/manual-clock.js';
import { anonymousDraft } from '../support/drafts.js';

declare global {
  interface Window {
    __AQJB__: { api: string };
  }
}

const api = window.__AQJB__.api;
const t = zhCN.gate;

/**
 * Receipts on their way to the server. The gate shows the notice (and its button) without waiting for its receipt,
 * as it should; a test that moves the server's clock must first let the receipt arrive, or the receipt opens after
 * the move and the server rightly says it is too early.
 */
const receiptsInFlight = new Set<Promise<void>>();
const networkFetch = window.fetch.bind(window);
window.fetch = (input, init) => {
  const request = new Request(input, init);
  const answer = networkFetch(request);
  if (request.method === 'POST' && new URL(request.url).pathname.endsWith('/notice/receipts')) {
    const arrived = answer.then(
      () => {},
      () => {},
    );
    receiptsInFlight.add(arrived);
    void arrived.then(() => receiptsInFlight.delete(arrived));
  }
  return answer;
};
const advanceServerClock = async (ms: number) => {
  await Promise.all(receiptsInFlight);
  return fetch(`/__aqjb/clock?advance=${ms}`);
};

const part = <E extends Element = HTMLElement>(el: AqjbNoticeGate, name: string) =>
  el.shadowRoot!.querySelector<E>(`[part~="${name}"]`);
const acceptButton = (el: AqjbNoticeGate) => part<HTMLButtonElement>(el, 'accept-button');
const liveRegion = (el: AqjbNoticeGate) => el.shadowRoot!.querySelector('[aria-live]')!;
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
/** What the button is described by: the remaining wait, read when the reader lands on it. */
const description = (el: AqjbNoticeGate) => {
  const ids = acceptButton(el)?.getAttribute('aria-describedby') ?? '';
  return ids ? text(el.shadowRoot!.getElementById(ids)) : '';
};

/** A page whose visibility the test switches, as a phone does when the reader changes apps. */
function fakeDocument() {
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState });
  const set = (state: DocumentVisibilityState) => {
    doc.visibilityState = state;
    doc.dispatchEvent(new Event('visibilitychange'));
  };
  return { doc: doc as VisibilityDocument, set };
}

/** A connection the test can cut, as a phone loses signal: requests fail like a real offline fetch. */
function flakyClient() {
  const connection = { offline: false };
  const client: AqjbClient = createClient({
    baseUrl: api,
    retry: 0,
    fetch: (input, init) => (connection.offline ? Promise.reject(new TypeError('Failed to fetch')) : fetch(input, init)),
  });
  return { client, connection };
}

async function mount(clock: ManualClock, doc?: VisibilityDocument) {
  return fixture<AqjbNoticeGate>(
    html`<aqjb-notice-gate api-base=${api} .clock=${clock} .visibilityDocument=${doc}></aqjb-notice-gate>`,
  );
}

/** The notice is on screen and the server's receipt is open: the countdown has begun. */
async function reading(el: AqjbNoticeGate) {
  await el.updateComplete; // after restart(), the last reading's button goes first
  await waitUntil(() => acceptButton(el), 'the notice and its reading receipt load');
  // The countdown starts with the notice on screen, the receipt may still be on its way: the server counts its 15 s
  // from the receipt, so a test that moved the server's clock before it arrived left the gate waiting out the server's
  // retryAfterMs on the manual clock, which nobody moved again (Firefox under load, once the receipt's request left
  // later than the notice's).
  await waitUntil(() => (el as unknown as { loadPhase: string }).loadPhase === 'done', 'the reading receipt is open');
  await el.updateComplete;
  // The box’s tab stop is measured in the frame that lays the new text out (before its paint).
  await waitUntil(() => {
    const body = part(el, 'body');
    return !body || body.hidden || body.hasAttribute('tabindex') === body.scrollHeight > body.clientHeight + 1;
  }, 'the notice box takes a tab stop if it scrolls');
}

async function ready(el: AqjbNoticeGate) {
  await waitUntil(() => acceptButton(el)?.getAttribute('aria-disabled') === 'false', 'the button becomes available');
}

describe('<aqjb-notice-gate>', () => {
  it('shows the national notice as headings, paragraphs and lists', async () => {
    const el = await mount(new ManualClock());
    await reading(el);
    const root = el.shadowRoot!;
    expect(text(root.querySelector('h2'))).to.equal('安全生产举报须知');
    expect(root.querySelectorAll('h3').length).to.be.greaterThan(2);
    expect(root.querySelectorAll('#body li').length).to.be.greaterThan(2);
    const body = part(el, 'body')!;
    expect(body.getAttribute('role')).to.equal('region');
    expect(body.getAttribute('aria-labelledby')).to.equal('title');
    await expect(el).to.be.accessible();
  });

  it('is a keyboard-scrollable box on a large screen, and part of the page on a phone', async () => {
    await setViewport({ width: 1280, height: 800 });
    const el = await mount(new ManualClock());
    await reading(el);
    const body = part(el, 'body')!;
    expect(body.scrollHeight).to.be.greaterThan(body.clientHeight);
    // Measured in the frame that lays the text out, not while rendering.
    await waitUntil(() => body.getAttribute('tabindex') === '0', 'keyboard users can scroll it');
    await expect(el).to.be.accessible();

    // A nested scroller on a phone catches the thumb: there the page scrolls, and the box is no tab stop.
    await setViewport({ width: 360, height: 740 });
    await waitUntil(() => !body.hasAttribute('tabindex'), 'the box gives up its tab stop');
    expect(body.scrollHeight).to.equal(body.clientHeight);
    expect(document.documentElement.scrollWidth, 'no sideways scrolling').to.be.at.most(360);
    await expect(el).to.be.accessible();
    await setViewport({ width: 800, height: 600 });
  });

  it('keeps the reading where it was when the page moves the element', async () => {
    const clock = new ManualClock();
    const el = await mount(clock);
    await reading(el);
    clock.advance(5_000);
    await el.updateComplete;
    const parent = el.parentElement!;
    el.remove();
    clock.advance(30_000);
    parent.append(el);
    await el.updateComplete;
    expect(text(acceptButton(el))).to.contain('（10 秒）');
    await advanceServerClock(15_000);
    clock.advance(10_000);
    await ready(el);
  });

  it('keeps the button aria-disabled until 15 visible seconds have passed and the server has confirmed', async () => {
    const clock = new ManualClock();
    const el = await mount(clock);
    await reading(el);
    const accept = acceptButton(el)!;
    expect(accept).to.have.attribute('aria-disabled', 'true');
    expect(accept.hasAttribute('disabled'), 'never disabled: it stays focusable').to.equal(false);
    expect(text(accept)).to.contain('请阅读须知（15 秒）');
    expect(description(el)).to.equal('还需阅读 15 秒');
    await expect(el).to.be.accessible();

    await advanceServerClock(15_000);
    clock.advance(14_999);
    await el.updateComplete;
    expect(accept).to.have.attribute('aria-disabled', 'true');
    expect(text(accept)).to.contain('请阅读须知（1 秒）');
    expect(description(el)).to.equal('还需阅读 1 秒');
    // The spoken name stays 「请阅读须知」 while the seen number counts down.
    expect(text(accept.querySelector('[aria-hidden="true"]'))).to.equal('请阅读须知（1 秒）');
    expect(text(accept.querySelector('.visually-hidden'))).to.equal(t.countdownName);

    clock.advance(1);
    await ready(el);
    expect(text(acceptButton(el))).to.equal(t.accept);
    expect(acceptButton(el)!.hasAttribute('aria-describedby')).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('pressing the button early from the keyboard sends nothing and says how long is left', async () => {
    const clock = new ManualClock();
    const el = await mount(clock);
    await reading(el);
    let accepted = 0;
    el.addEventListener('aqjb-notice-accepted', () => accepted++);
    clock.advance(3_000);
    await el.updateComplete;

    acceptButton(el)!.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(accepted).to.equal(0);
    expect(el.ackToken).to.equal(undefined);
    expect(el.shadowRoot!.activeElement).to.equal(acceptButton(el));
    expect(text(part(el, 'hint'))).to.equal(t.early(12));
    expect(text(liveRegion(el))).to.equal(t.early(12));
    await expect(el).to.be.accessible();
  });

  it('does not count time while the tab is hidden', async () => {
    const clock = new ManualClock();
    const { doc, set } = fakeDocument();
    const el = await mount(clock, doc);
    await reading(el);
    await advanceServerClock(120_000);

    clock.advance(5_000);
    await el.updateComplete;
    expect(text(acceptButton(el))).to.contain('（10 秒）');

    set('hidden');
    clock.advance(60_000);
    await el.updateComplete;
    expect(acceptButton(el)).to.have.attribute('aria-disabled', 'true');
    expect(text(acceptButton(el))).to.contain('（10 秒）');

    set('visible');
    clock.advance(9_999);
    await el.updateComplete;
    expect(acceptButton(el)).to.have.attribute('aria-disabled', 'true');
    expect(text(acceptButton(el))).to.contain('（1 秒）');

    clock.advance(1);
    await ready(el);
  });

  it('waits as long as the server says when it answers NOTICE_TOO_EARLY, then confirms', async () => {
    const clock = new ManualClock();
    const el = await mount(clock);
    await reading(el);
    // The local countdown has run, but the server has seen only 10 of its 15 seconds.
    await advanceServerClock(10_000);
    clock.advance(15_000);
    await waitUntil(() => clock.pending === 1, 'the element waits retryAfterMs on the injected clock');
    await el.updateComplete;
    expect(acceptButton(el)).to.have.attribute('aria-disabled', 'true');
    expect(text(acceptButton(el))).to.equal(t.confirming);
    await expect(el).to.be.accessible();

    await advanceServerClock(5_000);
    clock.advance(4_999);
    await el.updateComplete;
    expect(acceptButton(el)).to.have.attribute('aria-disabled', 'true');
    expect(clock.pending, 'no second request before retryAfterMs').to.equal(1);

    clock.advance(1);
    await ready(el);
    expect(text(liveRegion(el))).to.equal(t.ready);
  });

  it('tells screen readers only when reading starts and when they can continue, not every second', async () => {
    const clock = new ManualClock();
    const el = await mount(clock);
    const live = liveRegion(el);
    expect(text(live), 'rendered empty from the start').to.equal('');
    const heard: string[] = [];
    const observer = new MutationObserver(() => {
      const now = text(live);
      if (now && now !== heard.at(-1)) heard.push(now);
    });
    observer.observe(live, { childList: true, characterData: true, subtree: true });

    await reading(el);
    await advanceServerClock(15_000);
    for (let second = 0; second < 15; second++) {
      clock.advance(1_000);
      await el.updateComplete;
    }
    await ready(el);
    await el.updateComplete;
    observer.disconnect();
    expect(heard).to.deep.equal(['请阅读须知，15 秒后可继续', '现在可以继续']);
  });

  it('fires aqjb-notice-accepted with an ackToken the server accepts for a report', async () => {
    const clock = new ManualClock();
    const el = await mount(clock);
    await reading(el);
    await advanceServerClock(15_000);
    clock.advance(15_000);
    await ready(el);
    expect(el.ackToken, 'nothing before the reader accepts').to.equal(undefined);

    setTimeout(() => acceptButton(el)!.click());
    const event = await oneEvent(el, 'aqjb-notice-accepted');
    expect(Object.keys(event.detail)).to.deep.equal(['ackToken']);
    expect(event.bubbles && event.composed).to.equal(true);
    expect(el.ackToken).to.equal(event.detail.ackToken);
    expect(Date.parse(el.expiresAt ?? '')).to.be.greaterThan(0);

    const client = createClient({ baseUrl: api, retry: 0 });
    const receipt = await client.submitReport(anonymousDraft(event.detail.ackToken), { idempotencyKey: crypto.randomUUID() });
    expect(parseReportCode(receipt.reportCode).ok).to.equal(true);
  });

  it('shows the host page’s own notice instead of the national one, with the server’s reading time', async () => {
    const el = await fixture<AqjbNoticeGate>(html`<aqjb-notice-gate api-base=${api} .clock=${new ManualClock()}>
      <p>河南省安全生产举报须知：请如实填写，我们将在 3 个工作日内决定是否受理。</p>
    </aqjb-notice-gate>`);
    await reading(el);
    const root = el.shadowRoot!;
    expect(root.querySelectorAll('h3').length, 'no national sections').to.equal(0);
    const slot = root.querySelector<HTMLSlotElement>('slot:not([name])')!;
    expect(slot.assignedElements().map((e) => e.textContent)).to.deep.equal([
      '河南省安全生产举报须知：请如实填写，我们将在 3 个工作日内决定是否受理。',
    ]);
    expect(part(el, 'body')!.hidden).to.equal(false);
    expect(text(root.querySelector('h2'))).to.equal(t.title);
    expect(text(acceptButton(el))).to.contain('（15 秒）');
    await expect(el).to.be.accessible();
  });

  it('offers 「重试」 when the notice cannot load, and takes the reader to the heading when it does', async () => {
    const { client, connection } = flakyClient();
    connection.offline = true;
    const el = await fixture<AqjbNoticeGate>(
      html`<aqjb-notice-gate .client=${client} .clock=${new ManualClock()}></aqjb-notice-gate>`,
    );
    await waitUntil(() => part(el, 'problem'), 'the load fails');
    expect(text(part(el, 'problem'))).to.contain(t.loadFailed);
    expect(text(liveRegion(el))).to.equal(t.loadFailed);
    expect(acceptButton(el)).to.equal(null);
    // Where a retry cannot help (Firefox keeps a failed module download), a reload and the hotline.
    expect(text(part(el, 'reload-button'))).to.equal('刷新页面');
    expect(part(el, 'problem')!.querySelector('a[href="tel:12350"]'), 'the hotline, callable').to.not.equal(null);
    await expect(el).to.be.accessible();

    connection.offline = false;
    part(el, 'retry-button')!.focus();
    await sendKeys({ press: 'Enter' });
    await reading(el);
    expect(el.shadowRoot!.activeElement?.id).to.equal('title');
    expect(text(el.shadowRoot!.querySelector('h2'))).to.equal('安全生产举报须知');
    await expect(el).to.be.accessible();
  });

  it('keeps the reading when the confirmation fails offline, and confirms on 「重试」 without reading again', async () => {
    const { client, connection } = flakyClient();
    const clock = new ManualClock();
    const el = await fixture<AqjbNoticeGate>(html`<aqjb-notice-gate .client=${client} .clock=${clock}></aqjb-notice-gate>`);
    await reading(el);
    await advanceServerClock(15_000);
    connection.offline = true;
    clock.advance(15_000);
    await waitUntil(() => part(el, 'problem'), 'the confirmation fails');
    expect(text(part(el, 'problem'))).to.contain(t.confirmFailed);
    expect(acceptButton(el)).to.have.attribute('aria-disabled', 'true');
    expect(description(el)).to.equal(t.confirmFailed);
    expect(text(part(el, 'reload-button'))).to.equal('刷新页面');
    await expect(el).to.be.accessible();

    connection.offline = false;
    part(el, 'retry-button')!.focus();
    await sendKeys({ press: 'Enter' });
    await ready(el);
    expect(el.shadowRoot!.activeElement).to.equal(acceptButton(el));
  });

  it('confirms with the solution of the receipt’s proof-of-work, which the SDK found while the notice was read', async () => {
    const sent: unknown[] = [];
    const client = createClient({
      baseUrl: api,
      retry: 0,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        if (request.url.endsWith('/confirm')) sent.push(await request.clone().json());
        return fetch(request);
      },
    });
    const clock = new ManualClock();
    const el = await fixture<AqjbNoticeGate>(html`<aqjb-notice-gate .client=${client} .clock=${clock}></aqjb-notice-gate>`);
    await reading(el);
    await advanceServerClock(15_000);
    clock.advance(15_000);
    await ready(el);
    expect(sent).to.have.length(1);
    const { solution } = sent[0] as { solution: { counter: number; derivedKey: string } };
    expect(solution.counter).to.be.a('number');
    expect(solution.derivedKey).to.match(/^[0-9a-f]{64}$/);
  });

  it('opens a new receipt quietly when the server refuses the proof-of-work, and says what to do if that keeps happening', async () => {
    // A solution the server will not take (as after a lost answer, or a challenge that expired in a hidden tab).
    const refusals = { left: 1 };
    let receipts = 0;
    const client = createClient({
      baseUrl: api,
      retry: 0,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        if (request.url.endsWith('/notice/receipts')) receipts++;
        if (!request.url.endsWith('/confirm') || refusals.left <= 0) return fetch(request);
        refusals.left--;
        const body = (await request.json()) as { solution: { derivedKey: string } };
        body.solution.derivedKey = '00'.repeat(32);
        return fetch(new Request(request.url, { method: 'POST', headers: request.headers, body: JSON.stringify(body) }));
      },
    });
    const clock = new ManualClock();
    const el = await fixture<AqjbNoticeGate>(html`<aqjb-notice-gate .client=${client} .clock=${clock}></aqjb-notice-gate>`);
    await reading(el);
    await advanceServerClock(15_000);
    clock.advance(15_000);
    // Refused once: a new receipt, no problem shown; its reading time (server clock) runs out, then it confirms.
    await waitUntil(() => receipts === 2 && clock.pending === 1, 'a new receipt, whose reading time is waited out');
    await el.updateComplete;
    expect(part(el, 'problem')).to.equal(null);
    expect(text(acceptButton(el))).to.contain(t.confirming);
    await advanceServerClock(15_000);
    clock.advance(15_000);
    await ready(el);

    // Refused every time: after the quiet retries, the reader is told what to do.
    refusals.left = Infinity;
    el.restart();
    await reading(el);
    await advanceServerClock(15_000);
    clock.advance(15_000);
    for (let i = 0; i < 2; i++) {
      await waitUntil(() => receipts === 4 + i && clock.pending === 1, 'another receipt is opened');
      await advanceServerClock(15_000);
      clock.advance(15_000);
    }
    await waitUntil(() => part(el, 'problem'), 'the problem is shown');
    expect(text(part(el, 'problem'))).to.contain(t.checkFailed);
    expect(acceptButton(el)).to.have.attribute('aria-disabled', 'true');
    await expect(el).to.be.accessible();
    refusals.left = 0;
    part(el, 'retry-button')!.click();
    await waitUntil(() => receipts === 6 && clock.pending === 1, 'a new receipt after 「重试」');
    await advanceServerClock(15_000);
    clock.advance(15_000);
    await ready(el);
  });

  it('restart() reads again from the start with a new receipt', async () => {
    const clock = new ManualClock();
    const el = await mount(clock);
    await reading(el);
    await advanceServerClock(15_000);
    clock.advance(15_000);
    await ready(el);
    acceptButton(el)!.click();
    const first = el.ackToken;
    expect(first).to.be.a('string');

    el.restart();
    expect(el.ackToken).to.equal(undefined);
    expect(el.expiresAt).to.equal(undefined);
    await el.updateComplete;
    expect(text(part(el, 'body')), 'the notice stays on screen').to.contain('感谢您关心安全生产');
    await reading(el);
    expect(acceptButton(el)).to.have.attribute('aria-disabled', 'true');
    expect(text(acceptButton(el))).to.contain('（15 秒）');
    await advanceServerClock(15_000);
    clock.advance(15_000);
    await ready(el);
    acceptButton(el)!.click();
    expect(el.ackToken).to.be.a('string').and.not.equal(first);
  });

  it('stays accessible with large text for older readers', async () => {
    const el = await fixture<AqjbNoticeGate>(
      html`<aqjb-notice-gate api-base=${api} text-size="large" .clock=${new ManualClock()}></aqjb-notice-gate>`,
    );
    await reading(el);
    expect(acceptButton(el)!.getBoundingClientRect().height).to.be.at.least(56);
    await expect(el).to.be.accessible();
  });
});
