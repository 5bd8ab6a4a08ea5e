import { html, nothing, type TemplateResult } from 'lit';
import { isAqjbError } from '../../sdk/errors.js';
import type { Notice, NoticeAck, NoticeBlock } from '../../sdk/schemas/notice.js';
import { AqjbApiElement } from '../internal/client.js';
import { prefetchedJson } from '../internal/prefetch.js';
import { baseStyles } from '../internal/styles.js';
import { systemClock, type Clock } from '../controllers/clock.js';
import { VisibleCountdown, type VisibilityDocument } from '../controllers/visible-countdown.js';
import styles from './notice-gate.styles.js';
import { Latest } from '../internal/latest.js';
import { withHotline } from '../internal/hotline.js';
import { afterPaint } from '../internal/lazy.js';

export type { AqjbNoticeAcceptedEvent, AqjbNoticeShownEvent } from './notice-gate.events.js';

/**
 * Server confirmation of the reading receipt: not asked yet, under way (also while waiting out a 409), or stopped:
 * no answer (`failed`), receipt gone (`expired`), or its proof-of-work refused again and again (`unverified`).
 */
type ConfirmPhase = 'idle' | 'pending' | 'done' | 'failed' | 'expired' | 'unverified';

/** New receipts the gate opens by itself when the server refuses a receipt's proof-of-work, before it says so. */
const QUIET_CHALLENGE_RETRIES = 2;

const isAborted = (error: unknown) => isAqjbError(error) && error.code === 'ABORTED';

const isText = (value: unknown): value is string => typeof value === 'string';

/**
 * `raw` if it has what `render` reads, as a `Notice`; otherwise `undefined`. Only for showing a prefetched notice
 * before the schemas have loaded: `Notice` (zod) still checks it before anything depends on it.
 */
function readableNotice(raw: unknown): Notice | undefined {
  const n = raw as Partial<Notice> | undefined;
  const blockOk = (b: NoticeBlock) => (b?.type === 'paragraph' ? isText(b.text) : b?.type === 'list' && Array.isArray(b.items) && b.items.every(isText));
  const ok =
    isText(n?.title) &&
    Number.isInteger(n?.minReadSeconds) &&
    n!.minReadSeconds! > 0 &&
    Array.isArray(n?.sections) &&
    n!.sections!.every((s) => isText(s?.heading) && Array.isArray(s.blocks) && s.blocks.every(blockOk));
  return ok ? (raw as Notice) : undefined;
}

/** Slotted content counts only if it shows something: the whitespace around a host's markup does not. */
const showsSomething = (nodes: Iterable<Node>) =>
  [...nodes].some(
    (node) =>
      (node.nodeType === Node.ELEMENT_NODE && !(node as Element).hasAttribute('slot')) ||
      (node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== ''),
  );

/**
 * The national notice as DOM: headings, paragraphs and lists of text nodes (no markup is parsed, so nothing in the
 * text can become an element). Built once per notice and element, in a `display: contents` wrapper that lit commits
 * as one node: a template per paragraph and list item cost the first screen some 70 template instances, and every
 * tick of the countdown compared them all again.
 */
function noticeElement(notice: Notice): HTMLElement {
  const make = (tag: string, text?: string) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const root = make('div');
  root.className = 'notice';
  for (const { heading, blocks } of notice.sections) {
    const section = root.appendChild(make('section'));
    section.append(make('h3', heading));
    for (const block of blocks) {
      if (block.type === 'paragraph') section.append(make('p', block.text));
      else section.appendChild(make(block.ordered ? 'ol' : 'ul')).append(...block.items.map((item) => make('li', item)));
    }
  }
  return root;
}

/**
 * @summary Shows the reporting notice (举报须知); the intake opens after the notice has been visible for the server's
 * minimum reading time (15 s) and the server has confirmed the reading.
 *
 * @tag aqjb-notice-gate
 *
 * @slot - Notice text from the province (use `h3` for its headings). The national notice is shown when empty; the
 * minimum reading time still comes from the server.
 * @slot heading - Text for the notice's `h2` title, instead of the served notice's title.
 *
 * @event {AqjbNoticeAcceptedEvent} aqjb-notice-accepted - The reader pressed 「我已阅读以上条款」 once it was
 * available; `detail.ackToken` goes with the report.
 * @event {AqjbNoticeShownEvent} aqjb-notice-shown - The notice is on screen and its reading time runs:
 * `detail.minReadSeconds`. The intake loads its next steps from here on, while the citizen reads.
 *
 * @csspart title - The notice's `h2` heading.
 * @csspart body - The notice text; on large screens a scrollable, keyboard-focusable box.
 * @csspart actions - The area below the notice: the accept button, hints and problems.
 * @csspart accept-button - The button: 「请阅读须知（15 秒）」 while counting down, then 「我已阅读以上条款」.
 * @csspart status - The loading message.
 * @csspart hint - The gentle hint shown when the button is pressed too early.
 * @csspart problem - A loading or confirmation problem, with its button.
 * @csspart retry-button - 「重试」 (or 「重新阅读」) inside the problem.
 * @csspart reload-button - 「刷新页面」 inside a loading or confirmation problem, with the hotline: where a retry may not help.
 *
 * @cssproperty [--aqjb-color-accent=#a61b1b] - Colour of the accept button and of the reading progress bar.
 * @cssproperty [--aqjb-color-accent-contrast=#ffffff] - Text colour on the accent.
 * @cssproperty [--aqjb-color-disabled=#d0d7de] - Background of the accept button while the reader has to wait.
 * @cssproperty [--aqjb-color-border=#8c959f] - Border of the scrollable notice box.
 * @cssproperty [--aqjb-color-error=#b3261e] - Marks a loading or confirmation problem.
 * @cssproperty [--aqjb-notice-max-height=55vh] - Height of the notice box on large screens, where it scrolls by
 * itself; on phones the notice is never a box of its own, so the page scrolls as usual.
 * @cssproperty [--aqjb-target-size=44px] - Minimum height of buttons.
 */
export class AqjbNoticeGate extends AqjbApiElement {
  static override styles = [baseStyles, styles];
  // Declared here, not with decorators: see AqjbElement.
  static {
    for (const name of ['clock', 'visibilityDocument']) this.createProperty(name, { attribute: false });
    for (const name of ['confirmPhase', 'announcement', 'earlyPress', 'slotted', 'accepted', 'loadPhase']) this.createProperty(name, { state: true });
  }

  /** Time source for the countdown and for the server's retry waits; tests pass a `ManualClock`. */
  clock: Clock = systemClock;

  /** Where page visibility is read, `document` when unset; tests pass a stand-in before the element connects. */
  visibilityDocument: VisibilityDocument | undefined = undefined;

  private confirmPhase: ConfirmPhase = 'idle';
  private announcement = '';
  private earlyPress = false;
  private slotted = false;
  private accepted = false;

  /** The last notice served: it stays on screen while a restart opens a new receipt. */
  #notice: Notice | undefined;
  #receiptId: string | undefined;
  #ack: NoticeAck | undefined;
  #confirmRequest = new Latest();
  #challengeRetries = 0;
  /** The frame in which the box's tab stop is measured next (see `#measure`). */
  #measureFrame = 0;

  readonly #countdown = new VisibleCountdown(this, {
    clock: () => this.clock,
    document: () => this.visibilityDocument ?? document,
    onDone: () => void this.#confirm(),
  });

  /** Loading the notice and opening the receipt: under way, done, or failed (not counting an abort). */
  private loadPhase: 'pending' | 'done' | 'failed' = 'pending';
  #loadRequest = new Latest();
  /** The notice on screen has not been checked with the contract's schema yet (see `#load`). */
  #unchecked = false;

  /**
   * The notice and the receipt. The text shows, and the local countdown starts, as soon as the notice is here: the
   * receipt (a write on the server) is needed only to confirm, 15 s later. Its request leaves first, so the server's
   * clock is rarely behind ours; when it is (the notice came from the HTTP cache, the receipt is still on its way),
   * the server's 409 says how long to wait. Started once the element is connected with its attributes (the first
   * update), and again by a retry or `restart()`.
   *
   * On the first screen the notice the page prefetched is shown from its plain JSON before the contract's schemas
   * (zod) have loaded: they load after that first paint and check it, and the text is rendered as text either way.
   * A notice that fails the check leaves the screen; nothing can be accepted before it has passed.
   */
  async #load(): Promise<void> {
    const signal = this.#loadRequest.next();
    this.loadPhase = 'pending';
    try {
      const sdk = this.sdk;
      const early = prefetchedJson(sdk.baseUrl + 'notice');
      const preview = early && readableNotice(await early);
      if (signal.aborted) return;
      if (preview) {
        this.#unchecked = true;
        this.#show(preview);
        await afterPaint();
        if (signal.aborted) return;
      }
      const receipt = sdk.startNoticeReceipt({ signal });
      receipt.catch(() => {}); // awaited below; a failed notice must not leave it unhandled
      const notice = await sdk.getNotice({ signal });
      if (signal.aborted) return;
      this.#unchecked = false;
      this.#show(notice);
      const { receiptId } = await receipt;
      if (signal.aborted) return;
      this.#receiptId = receiptId;
      this.loadPhase = 'done';
      // Read faster than the server answered: confirm now.
      if (this.#countdown.done) void this.#confirm();
    } catch (error) {
      if (signal.aborted || isAborted(error)) return;
      // Only a setup mistake (no api-base, no client) is logged, for the integrator; SDK errors are shown, not logged.
      if (!isAqjbError(error)) console.error(error);
      if (this.#unchecked) this.#notice = undefined;
      this.#unchecked = false;
      this.#countdown.reset(); // a retry reads again against a new receipt
      this.loadPhase = 'failed';
      this.announcement = this.t.gate.loadFailed;
    }
  }

  /** Puts `notice` on screen; the first time since a (re)start, the countdown starts. */
  #show(notice: Notice): void {
    this.#notice = notice;
    this.requestUpdate();
    if (this.#countdown.started) return;
    this.#countdown.start(notice.minReadSeconds * 1000);
    this.announcement = this.t.gate.wait(notice.minReadSeconds);
    void this.updateComplete.then(() => this.emit('aqjb-notice-shown', { minReadSeconds: notice.minReadSeconds }));
  }

  /** The token a report needs (`ReportDraft.ackToken`), once the reader has accepted; otherwise `undefined`. */
  get ackToken(): string | undefined {
    return this.accepted ? this.#ack?.ackToken : undefined;
  }

  /** When `ackToken` stops being accepted (ISO 8601, server time), once the reader has accepted; then call `restart()`. */
  get expiresAt(): string | undefined {
    return this.accepted ? this.#ack?.expiresAt : undefined;
  }

  /** Reads the notice again with a new receipt and a full countdown, e.g. after `expiresAt` has passed. */
  restart(): void {
    const hadFocus = this.matches(':focus-within');
    this.#confirmRequest.abort();
    this.#countdown.reset();
    this.#receiptId = undefined;
    this.#ack = undefined;
    this.#challengeRetries = 0;
    this.accepted = false;
    this.confirmPhase = 'idle';
    this.earlyPress = false;
    this.announcement = '';
    void this.#load();
    if (hadFocus) this.#focusHeading();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.slotted = showsSomething(this.childNodes);
    addEventListener('resize', this.#scheduleMeasure, { passive: true });
    if (!this.hasUpdated) return;
    // Re-attached after a move: pick up what the disconnect interrupted.
    if (this.loadPhase === 'pending') void this.#load();
    else if (this.confirmPhase === 'pending') void this.#confirm();
    this.#scheduleMeasure();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#loadRequest.abort();
    this.#confirmRequest.abort();
    removeEventListener('resize', this.#scheduleMeasure);
    cancelAnimationFrame(this.#measureFrame);
    this.#measureFrame = 0;
  }

  /** No client yet at the first render: the load waits for `client` or `api-base` (see `updated`). */
  #waitingForClient = false;

  protected override firstUpdated(): void {
    // After the first render, so attributes a host page sets right after inserting the element are in place. A page
    // that sets `client` from its own module after importing the embed may do so only after that render (the embed's
    // entry awaits its first screen, so the page's module runs a few microtasks later): then the load waits for it.
    if (this.client || this.apiBase) void this.#load();
    else this.#waitingForClient = true;
  }

  protected override updated(): void {
    if (this.#waitingForClient && (this.client || this.apiBase)) {
      this.#waitingForClient = false;
      void this.#load();
    }
    this.style.setProperty('--aqjb-gate-progress', String(this.#countdown.progress));
    this.#scheduleMeasure();
  }

  get #stopped(): boolean {
    return this.confirmPhase === 'failed' || this.confirmPhase === 'expired' || this.confirmPhase === 'unverified';
  }

  get #problemText(): string {
    const t = this.t.gate;
    return this.confirmPhase === 'expired' ? t.receiptExpired : this.confirmPhase === 'unverified' ? t.checkFailed : t.confirmFailed;
  }

  get #ready(): boolean {
    return this.#countdown.done && this.confirmPhase === 'done';
  }

  /** Asks the server to confirm; while it answers NOTICE_TOO_EARLY, waits what it says on our clock and asks again. */
  async #confirm(): Promise<void> {
    if (!this.#receiptId) return;
    const signal = this.#confirmRequest.next();
    this.confirmPhase = 'pending';
    for (;;) {
      try {
        // Read each time: a refused proof-of-work brings a new receipt (below).
        const ack = await this.sdk.confirmNoticeReceipt(this.#receiptId!, { signal });
        if (signal.aborted) return;
        this.#ack = ack;
        this.#challengeRetries = 0;
        this.confirmPhase = 'done';
        this.earlyPress = false;
        this.announcement = this.t.gate.ready;
        return;
      } catch (error) {
        if (signal.aborted) return;
        if (isAqjbError(error) && error.code === 'NOTICE_TOO_EARLY') {
          // The server's clock rules; a receipt opened a moment after our countdown started is the usual cause.
          const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs ?? 1000;
          if (await this.#wait(retryAfterMs, signal)) continue;
          return;
        }
        if (isAqjbError(error) && error.code === 'CHALLENGE_INVALID') {
          // The receipt's proof-of-work was refused: solved after the challenge expired (a tab left for an hour), or a
          // retried confirmation whose first attempt had arrived. Quietly open a new receipt; the server's 409 then
          // says how much of its reading time is left, and the loop waits it out.
          if (this.#challengeRetries++ < QUIET_CHALLENGE_RETRIES && (await this.#renewReceipt(signal))) continue;
          if (signal.aborted) return;
          this.confirmPhase = 'unverified';
          this.announcement = this.t.gate.checkFailed;
          return;
        }
        const expired = isAqjbError(error) && error.code === 'NOTICE_RECEIPT_NOT_FOUND';
        this.confirmPhase = expired ? 'expired' : 'failed';
        this.announcement = expired ? this.t.gate.receiptExpired : this.t.gate.confirmFailed;
        return;
      }
    }
  }

  /** Opens a new receipt for the notice on screen, without a new countdown; false when that failed or was aborted. */
  async #renewReceipt(signal: AbortSignal): Promise<boolean> {
    try {
      this.#receiptId = (await this.sdk.startNoticeReceipt({ signal })).receiptId;
      return !signal.aborted;
    } catch {
      return false;
    }
  }

  /** Resolves true after `ms` on the injected clock, false if aborted first. */
  #wait(ms: number, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const clock = this.clock;
      const onAbort = () => {
        clock.clearTimeout(handle);
        resolve(false);
      };
      const handle = clock.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #onAccept = (): void => {
    const t = this.t.gate;
    if (this.#ready && this.#ack) {
      this.accepted = true;
      this.emit('aqjb-notice-accepted', { ackToken: this.#ack.ackToken });
      return;
    }
    // Never harmful: nothing is sent; the reader learns how long is left.
    if (this.#stopped) {
      this.announcement = this.#problemText;
    } else if (this.#countdown.done) {
      this.announcement = t.confirming;
    } else if (this.#countdown.started) {
      this.earlyPress = true;
      this.announcement = t.early(this.#countdown.remainingSeconds);
    }
    void this.#revealBelowButton();
  };

  /** A hint or problem appears under the button, which on a phone is often the bottom of the screen. */
  async #revealBelowButton(): Promise<void> {
    await this.updateComplete;
    const below = this.renderRoot.querySelector('[part~="hint"], [part~="problem"]');
    below?.scrollIntoView({ block: 'nearest' });
  }

  #retryLoad = (): void => {
    this.announcement = '';
    void this.#load();
    // The retry button goes away with the problem; the heading keeps the reader's place.
    this.#focusHeading();
  };

  #retryConfirm = async (): Promise<void> => {
    this.announcement = '';
    this.#challengeRetries = 0;
    void this.#confirm();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part~="accept-button"]')?.focus();
  };

  #onSlotChange = (event: Event): void => {
    this.slotted = showsSomething((event.target as HTMLSlotElement).assignedNodes());
  };

  #focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('#title')?.focus();
  }

  /**
   * The tab stop is measured in the next animation frame after each render (the countdown renders every second while
   * the citizen reads, so a box whose container changed size is caught within a second) and after the window is
   * resized. Not while rendering: reading the box's height then would force a layout of the whole page before the
   * frame (170–190 ms at 4× CPU throttling on the first screen); in the frame it is the layout the frame does anyway,
   * before its paint, so the first frame has the tab stop. Until then the box has one (in the template, so lit sets it
   * once and never again): a box that scrolls is never without a tab stop, even before that frame (WebKit can run a
   * check of the page in between, as axe in the tests did). Not with a ResizeObserver either: the sections below the
   * box's fold are laid out when they come near (`content-visibility: auto`), which can resize the observed text
   * after the observer has reported in that frame, and WebKit then reported "ResizeObserver loop completed with
   * undelivered notifications" as an error on the portal's page.
   */
  #scheduleMeasure = (): void => {
    if (this.#measureFrame || !this.isConnected) return;
    this.#measureFrame = requestAnimationFrame(() => {
      this.#measureFrame = 0;
      this.#measure();
    });
  };

  /**
   * The notice box takes a tab stop only when it actually scrolls (large screens, long text), so keyboard users can
   * scroll it. Set on the element, outside the template: measuring must not cost another render.
   */
  #measure(): void {
    const body = this.renderRoot.querySelector('#body');
    if (!body) return;
    if (body.scrollHeight > body.clientHeight + 1) body.setAttribute('tabindex', '0');
    else body.removeAttribute('tabindex');
  }

  #noticeDom: { notice: Notice; element: HTMLElement } | undefined;

  /** The notice's DOM, kept while the text is the same (the checked notice that replaces the prefetched one is). */
  #noticeElement(notice: Notice): HTMLElement {
    const dom = this.#noticeDom;
    if (dom?.notice !== notice) {
      const same = dom && JSON.stringify(dom.notice.sections) === JSON.stringify(notice.sections);
      this.#noticeDom = { notice, element: same ? dom.element : noticeElement(notice) };
    }
    return this.#noticeDom!.element;
  }

  protected override render(): TemplateResult {
    const t = this.t.gate;
    const notice = this.#notice;
    const national = !this.slotted && notice;
    return html`
      <h2 id="title" part="title" tabindex="-1"><slot name="heading">${national ? notice.title : t.title}</slot></h2>
      <div
        id="body"
        part="body"
        class="body"
        role="region"
        aria-labelledby="title"
        tabindex="0"
        ?hidden=${!this.slotted && !notice}
      >
        <div class="content">
          <slot @slotchange=${this.#onSlotChange}></slot>
          ${national ? this.#noticeElement(notice) : nothing}
        </div>
      </div>
      <div class="actions" part="actions">${this.#renderActions()}</div>
      <div class="visually-hidden" aria-live="polite">${this.announcement}</div>
    `;
  }

  #renderActions(): TemplateResult {
    const t = this.t.gate;
    if (this.loadPhase === 'failed') return this.#renderProblem(t.loadFailed, t.retry, this.#retryLoad, true);
    if (this.loadPhase === 'pending' && !this.#countdown.started) {
      // With text already on screen (the host's own, or the last notice on a restart), only the button is awaited.
      const onScreen = this.slotted || this.#notice;
      return html`<p class="status" part="status">${onScreen ? t.preparing : t.loading}</p>`;
    }

    const ready = this.#ready;
    const stopped = this.#stopped;
    const confirming = this.#countdown.done && !ready && !stopped;
    const seconds = this.#countdown.remainingSeconds;
    // While counting, the spoken name stays 「请阅读须知」: a name that changed every second would be read out
    // every second on a focused button. The number is in the description, read when the reader asks.
    const label = ready || stopped
      ? t.accept
      : confirming
        ? t.confirming
        : html`<span aria-hidden="true">${t.countdown(seconds)}</span><span class="visually-hidden">${t.countdownName}</span>`;
    const describedBy = ready || confirming ? nothing : stopped ? 'problem' : 'wait';
    return html`
      <button
        type="button"
        part="accept-button"
        class="accept"
        aria-disabled=${ready ? 'false' : 'true'}
        aria-describedby=${describedBy}
        @click=${this.#onAccept}
      >
        ${label}<span class="progress" aria-hidden="true"></span>
      </button>
      ${ready || confirming || stopped ? nothing : html`<span id="wait" class="visually-hidden">${t.remaining(seconds)}</span>`}
      ${this.earlyPress && !ready && !confirming && !stopped ? html`<p class="hint" part="hint">${t.early(seconds)}</p>` : nothing}
      ${this.confirmPhase === 'failed' || this.confirmPhase === 'unverified' ? this.#renderProblem(this.#problemText, t.retry, this.#retryConfirm, true) : nothing}
      ${this.confirmPhase === 'expired' ? this.#renderProblem(t.receiptExpired, t.reread, () => this.restart()) : nothing}
    `;
  }

  /**
   * A problem with its way on. Where a retry may not help (`reload`), also the page's reload and the hotline: Firefox
   * keeps a failed module download for the page's life, so when a part of the widget did not arrive (the schemas
   * that check the notice, the confirmation's route), 「重试」 fails again at once there, and only a new page loads it.
   * Nothing is typed yet at the gate, so a reload loses nothing but the reading time.
   */
  #renderProblem(message: string, action: string, onClick: () => void, reload = false): TemplateResult {
    return html`<div class="problem" part="problem">
      <p id="problem">${message}</p>
      <button type="button" class="secondary" part="retry-button" @click=${onClick}>${action}</button>
      ${reload
        ? html`<p class="reload">${withHotline(this.t.gate.reloadHint)}</p>
            <button type="button" class="secondary" part="reload-button" @click=${() => location.reload()}>${this.t.common.reload}</button>`
        : nothing}
    </div>`;
  }
}
