import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { LIMITS, SupplementDraft } from '../../sdk/schemas/report.js';
import type { Progress } from '../../sdk/schemas/progress.js';
import { formatReportCode, parseReportCode, type ParsedReportCode } from '../../sdk/report-code.js';
import { isAqjbError, type AqjbError } from '../../sdk/errors.js';
import { toFieldIssues } from '../../sdk/issues.js';
import { AqjbApiElement } from '../internal/client.js';
import { systemClock, type Clock } from '../controllers/clock.js';
import { focusFieldIn, renderErrorSummary, toFieldErrors, type FieldError } from '../internal/form-errors.js';
import type { Messages } from '../locales/localize.js';
import type { AqjbAttachmentsChangeEvent } from '../evidence-upload/evidence-upload.events.js';
import type {} from './progress-lookup.events.js';
import { codeProblemText, showWhileTyping } from './code-check.js';
import { beijingToday, renderDeadlines } from './deadlines.js';
import { renderTimeline } from './timeline.js';
import { renderOutcome, renderReason, renderStatus, supplementRequestOf } from './status.js';
import { renderSupplement, SUPPLEMENT_FIELDS, type SupplementAttachment } from './supplement.js';
import styles from './progress-lookup.styles.js';
// A named import, not a bare one: package.json's `sideEffects` list lets bundlers drop bare imports of our modules.
import { AqjbEvidenceUpload } from '../evidence-upload/evidence-upload.js';
import { registerMessages } from '../locales/localize.js';
import zhLookup from '../locales/zh-CN/lookup.js';
import { withHotline } from '../internal/hotline.js';
import { Latest } from '../internal/latest.js';
import { textSizeSwitch } from '../internal/text-size.js';

registerMessages('lookup', zhLookup);

type Failure = { kind: 'not-found' } | { kind: 'rate-limited'; waitMs: number } | { kind: 'network' } | { kind: 'failed' };
type LoadReason = 'lookup' | 'refresh' | 'supplement';

const LOOKUP_FIELDS = ['reportCode', 'queryKey'] as const;
/** A character count speaks only after typing pauses this long (GOV.UK character count). */
const COUNT_PAUSE_MS = 1_000;
/** The count shows, and speaks, once this few characters are left. */
const COUNT_THRESHOLD = 200;

const codeOf = (error: unknown) => (isAqjbError(error) ? error.code : '');

function failureOf(error: unknown): Failure {
  switch (codeOf(error)) {
    // One neutral answer for a wrong key and an unknown code: the server gives both the same, and so do we.
    case 'REPORT_NOT_FOUND':
    case 'REPORT_CODE_INVALID':
      return { kind: 'not-found' };
    case 'RATE_LIMITED':
      return { kind: 'rate-limited', waitMs: (error as AqjbError & { retryAfterMs?: number }).retryAfterMs ?? 60_000 };
    case 'NETWORK':
    case 'TIMEOUT':
      return { kind: 'network' };
    default:
      return { kind: 'failed' };
  }
}

/** 「45 秒」 under a minute, else whole minutes, rounded up so the citizen never comes back too early. */
function waitText(ms: number, t: Messages['lookup']): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds < 60 ? t.waitSeconds(seconds) : t.waitMinutes(Math.ceil(seconds / 60));
}

/**
 * @summary Progress of a filed report by report code and query key: the status in plain words, deadlines, the
 * handling history, the reason when not accepted, and a form to answer when the authority asks for more.
 * @tag aqjb-progress-lookup
 * @event {AqjbProgressLoadedEvent} aqjb-progress-loaded - A lookup returned: `detail.reportCode` and `detail.status` only, never the query key.
 * @event {AqjbTextSizeChangeEvent} aqjb-text-size-change - The citizen turned 「大字模式」 on or off: `detail.textSize`.
 * @csspart text-size-toggle - The citizen's 「大字模式」 switch (hide it when the portal has its own and sets `text-size`).
 * @csspart form - The lookup form (report code and query key).
 * @csspart code-input - The report-code field.
 * @csspart key-input - The query-key field.
 * @csspart submit-button - The 「查询进度」 button.
 * @csspart error-summary - The list of problems above a form after a failed attempt.
 * @csspart lookup-error - A failed lookup: not found, too many lookups, or no connection (with 「重新查询」).
 * @csspart retry-button - The 「重新查询」 button.
 * @csspart result - The progress of the report.
 * @csspart report-code - The report code in the result, in groups of four.
 * @csspart status - The current status, what it means and who handles it.
 * @csspart reason - Why a report was not accepted, and what the citizen may do.
 * @csspart outcome - The result of a closed report.
 * @csspart deadlines - The acceptance and verification deadlines.
 * @csspart timeline - The handling history, newest first.
 * @csspart supplement - The supplement request and its form.
 * @csspart supplement-button - The 「提交补充材料」 button.
 * @csspart evidence-upload - The evidence files of a supplement (`<aqjb-evidence-upload>`).
 * @csspart notice - The confirmation after a supplement was sent.
 * @csspart refresh-button - The 「刷新进度」 button.
 * @csspart new-lookup-button - The 「查询其他举报」 button.
 * @cssproperty [--aqjb-color-accent=#a61b1b] - Buttons and the status that needs the citizen's action.
 * @cssproperty [--aqjb-color-accent-contrast=#ffffff] - Text on accent buttons.
 * @cssproperty [--aqjb-color-text=#1f2328] - Text colour.
 * @cssproperty [--aqjb-color-muted=#57606a] - Hints, times and secondary text.
 * @cssproperty [--aqjb-color-border=#8c959f] - Field borders and the timeline line.
 * @cssproperty [--aqjb-color-surface=#ffffff] - Background of fields and panels.
 * @cssproperty [--aqjb-color-error=#b3261e] - Error messages and borders.
 * @cssproperty [--aqjb-color-success=#1a7f37] - Closed reports and confirmations.
 * @cssproperty [--aqjb-color-focus=#0b57d0] - Focus outline and reports in progress.
 * @cssproperty [--aqjb-font-family=system-ui] - Font family.
 * @cssproperty [--aqjb-font-size=16px] - Base text size; `--aqjb-font-size-large` (20px) with `text-size="large"`.
 * @cssproperty [--aqjb-radius=6px] - Corner radius.
 * @cssproperty [--aqjb-space=1rem] - Base spacing.
 * @cssproperty [--aqjb-target-size=44px] - Minimum size of touch targets; `--aqjb-target-size-large` (56px) with `text-size="large"`.
 */
export class AqjbProgressLookup extends AqjbApiElement {
  static override styles = styles;

  /** @internal Elements this one renders; referencing them keeps their registration in every bundle. */
  static readonly dependencies = { 'aqjb-evidence-upload': AqjbEvidenceUpload };
  // Declared here, not with decorators: see AqjbElement.
  static override properties: PropertyDeclarations = {
    code: {},
  };
  static {
    this.createProperty('clock', { attribute: false });
    for (const name of ['view', 'codeText', 'codeTouched', 'keyFilled', 'keyTouched', 'lookupAttempted', 'failure', 'progress', 'announcement', 'lookupPhase', 'supplementText', 'supplementTouched', 'supplementAttempted', 'attachments', 'uploadsBusy', 'sending', 'supplementFailure', 'serverSupplementErrors', 'notice', 'supplementSent']) this.createProperty(name, { state: true });
  }

  /** A report code to prefill (e.g. from the receipt link); the citizen still types the query key. */
  code = '';

  /** Time source for "today" (deadline due today or just past) and the character-count pause; tests inject a manual clock. */
  clock: Clock = systemClock;

  private view: 'form' | 'result' = 'form';
  private codeText = '';
  private codeTouched = false;
  private keyFilled = false;
  private keyTouched = false;
  private lookupAttempted = false;
  private failure: Failure | undefined = undefined;
  private progress: Progress | undefined = undefined;
  private announcement = '';
  /** The lookup or refresh: none yet (or aborted), under way, done, or failed. */
  private lookupPhase: 'idle' | 'pending' | 'done' | 'failed' = 'idle';

  private supplementText = '';
  private supplementTouched = false;
  private supplementAttempted = false;
  private attachments: SupplementAttachment[] = [];
  private uploadsBusy = false;
  private sending = false;
  private supplementFailure = '';
  private serverSupplementErrors: FieldError[] = [];
  private notice = '';
  /** Sent: the form goes away at once, before the reloaded progress confirms it. */
  private supplementSent = false;

  /** The query key: in memory only, never in an attribute, URL, event, log or storage; cleared on removal. */
  #key = '';
  #reason: LoadReason = 'lookup';
  #countTimer: unknown;
  #supplementRequest = new Latest();
  #lookupRequest = new Latest();

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('code')) this.codeText = this.code;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abortLookup();
    this.#supplementRequest.abort();
    this.clock.clearTimeout(this.#countTimer);
    // Without the key the result can be neither refreshed nor answered: back to the form, code kept.
    this.#forgetKey();
    this.view = 'form';
    this.progress = undefined;
    this.failure = undefined;
    this.#resetSupplement();
  }

  // ── lookup ────────────────────────────────────────────────────────────────────────────────────────────────

  /** A legacy system's code, when a transition client's adapter recognises `text`. */
  #legacyCodeOf(text: string): string | undefined {
    let client: unknown;
    try {
      client = this.sdk;
    } catch {
      return undefined; // no client configured yet: the lookup itself reports that
    }
    return (client as { legacyCodeOf?(t: string): string | undefined }).legacyCodeOf?.(text);
  }

  /** A national code (check character verified offline), or a legacy code during the transition, kept as issued. */
  #parseCode(text: string): ParsedReportCode {
    const legacy = this.#legacyCodeOf(text);
    return legacy ? { ok: true, code: legacy, formatted: legacy } : parseReportCode(text);
  }

  get #codeError(): string {
    const parsed = this.#parseCode(this.codeText);
    if (parsed.ok) return '';
    return this.codeTouched || this.lookupAttempted || showWhileTyping(parsed) ? codeProblemText(parsed, this.t.lookup) : '';
  }

  get #keyError(): string {
    return !this.keyFilled && (this.keyTouched || this.lookupAttempted) ? this.t.lookup.keyEmpty : '';
  }

  #forgetKey(): void {
    this.#key = '';
    this.keyFilled = false;
    const input = this.renderRoot?.querySelector<HTMLInputElement>('#queryKey');
    if (input) input.value = '';
  }

  #onCodeInput = (e: Event) => {
    this.codeText = (e.target as HTMLInputElement).value;
  };

  #onCodeBlur = () => {
    if (this.codeText.trim()) this.codeTouched = true;
  };

  #onKeyInput = (e: Event) => {
    this.#key = (e.target as HTMLInputElement).value;
    this.keyFilled = this.#key.trim() !== '';
  };

  #onKeyBlur = () => {
    if (this.keyFilled) this.keyTouched = true;
  };

  #submitLookup = async (e?: Event) => {
    e?.preventDefault();
    this.lookupAttempted = true;
    this.codeTouched = true;
    this.keyTouched = true;
    // With the transition attributes, legacy codes are recognised once the transition module has loaded.
    if (this.transitionConfig) await this.sdkReady.catch(() => undefined);
    const parsed = this.#parseCode(this.codeText);
    if (!parsed.ok || !this.keyFilled) {
      this.failure = undefined;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-error-summary]')?.focus();
      return;
    }
    this.#run('lookup', parsed.code);
  };

  #run(reason: LoadReason, code: string): void {
    this.#reason = reason;
    this.failure = undefined;
    void this.#lookup(code);
  }

  /** One request at a time: a new one aborts the one under way, whose answer is then ignored. */
  async #lookup(code: string): Promise<void> {
    const signal = this.#lookupRequest.next();
    this.lookupPhase = 'pending';
    let progress: Progress;
    try {
      // The key is read as the request starts and goes nowhere else.
      progress = await this.sdk.getProgress(code, this.#key, { signal });
    } catch (error) {
      if (signal.aborted) return;
      this.lookupPhase = 'failed';
      void this.#failed(error);
      return;
    }
    if (signal.aborted) return;
    this.lookupPhase = 'done';
    void this.#loaded(progress);
  }

  #abortLookup(): void {
    this.#lookupRequest.abort();
    if (this.lookupPhase === 'pending') this.lookupPhase = 'idle';
  }

  #refresh = () => {
    if (this.progress) this.#run('refresh', this.progress.reportCode);
  };

  #retry = () => (this.view === 'result' ? this.#refresh() : void this.#submitLookup());

  async #loaded(progress: Progress): Promise<void> {
    const reason = this.#reason;
    const other = this.progress?.reportCode !== progress.reportCode;
    this.progress = progress;
    this.view = 'result';
    this.supplementSent = false;
    if (other) this.#resetSupplement();
    if (reason === 'lookup') this.notice = '';
    this.emit('aqjb-progress-loaded', { reportCode: progress.reportCode, status: progress.status });
    const status = this.t.lookup.status[progress.status];
    if (reason === 'lookup') {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-view-heading]')?.focus();
      await this.#announce(this.t.lookup.loaded(status));
    } else if (reason === 'refresh') {
      await this.#announce(this.t.lookup.refreshed(status));
    }
  }

  async #failed(error: unknown): Promise<void> {
    if (codeOf(error) === 'ABORTED') return;
    this.failure = failureOf(error);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-lookup-error]')?.focus();
  }

  #another = async () => {
    this.#abortLookup();
    this.#supplementRequest.abort();
    this.#forgetKey();
    this.codeText = '';
    this.codeTouched = false;
    this.keyTouched = false;
    this.lookupAttempted = false;
    this.failure = undefined;
    this.progress = undefined;
    this.notice = '';
    this.#resetSupplement();
    this.view = 'form';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-view-heading]')?.focus();
  };

  /** Clears the live region first, so the same sentence twice is spoken twice. */
  async #announce(text: string): Promise<void> {
    this.announcement = '';
    await this.updateComplete;
    this.announcement = text;
  }

  // ── supplement ────────────────────────────────────────────────────────────────────────────────────────────

  #resetSupplement(): void {
    this.supplementText = '';
    this.supplementTouched = false;
    this.supplementAttempted = false;
    this.attachments = [];
    this.uploadsBusy = false;
    this.sending = false;
    this.supplementFailure = '';
    this.serverSupplementErrors = [];
  }

  get #supplementDraft() {
    return { text: this.supplementText, attachmentIds: this.attachments.map((a) => a.attachmentId) };
  }

  /** The schema decides (SupplementDraft); first problem per field, in field order. */
  get #supplementErrors(): FieldError[] {
    if (!this.supplementAttempted && !this.supplementTouched) return [];
    const parsed = SupplementDraft.safeParse(this.#supplementDraft);
    let errors = parsed.success ? [] : toFieldErrors(toFieldIssues(parsed.error.issues), SUPPLEMENT_FIELDS, this.t);
    if (!this.supplementAttempted) return errors.filter((x) => x.field === 'text');
    if (this.uploadsBusy && !errors.some((x) => x.field === 'attachmentIds')) {
      errors = [...errors, { field: 'attachmentIds', message: this.t.lookup.uploadsBusy }];
    }
    const server = this.serverSupplementErrors.filter((s) => !errors.some((x) => x.field === s.field));
    return [...errors, ...server];
  }

  #onTextInput = (e: Event) => {
    this.supplementText = (e.target as HTMLTextAreaElement).value;
    this.serverSupplementErrors = this.serverSupplementErrors.filter((x) => x.field !== 'text');
    this.clock.clearTimeout(this.#countTimer);
    this.#countTimer = this.clock.setTimeout(() => {
      const text = this.#countText();
      if (text) void this.#announce(text);
    }, COUNT_PAUSE_MS);
  };

  #onTextBlur = () => {
    if (this.supplementText) this.supplementTouched = true;
  };

  #countText(): string {
    const left = LIMITS.supplementText - this.supplementText.trim().length;
    if (left > COUNT_THRESHOLD) return '';
    return left >= 0 ? this.t.lookup.charactersLeft(left) : this.t.lookup.charactersOver(-left);
  }

  #onAttachments = (e: AqjbAttachmentsChangeEvent) => {
    this.attachments = e.detail.attachments;
    this.uploadsBusy = e.detail.busy;
    this.serverSupplementErrors = this.serverSupplementErrors.filter((x) => x.field !== 'attachmentIds');
  };

  #focusField = (field: string) => focusFieldIn(this.renderRoot as ShadowRoot, field);

  #sendSupplement = async (e: Event) => {
    e.preventDefault();
    const progress = this.progress;
    if (this.sending || !progress) return;
    this.supplementAttempted = true;
    this.serverSupplementErrors = [];
    this.supplementFailure = '';
    if (this.#supplementErrors.length) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-error-summary]')?.focus();
      return;
    }
    const t = this.t.lookup;
    const signal = this.#supplementRequest.next();
    this.sending = true;
    try {
      await this.sdk.addSupplement(progress.reportCode, this.#key, this.#supplementDraft, { signal });
      this.#resetSupplement();
      this.supplementSent = true;
      this.notice = t.supplementSent;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-notice]')?.focus();
      // The timeline now shows 「已收到补充材料」.
      this.#run('supplement', progress.reportCode);
    } catch (error) {
      const code = codeOf(error);
      if (code === 'ABORTED') return;
      if (code === 'VALIDATION_FAILED' && isAqjbError(error) && 'fields' in error) {
        this.serverSupplementErrors = toFieldErrors(error.fields as never, SUPPLEMENT_FIELDS, this.t);
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('[data-error-summary]')?.focus();
        return;
      }
      if (code === 'SUPPLEMENT_NOT_REQUESTED') {
        this.#resetSupplement();
        this.notice = t.supplementNotRequested;
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('[data-notice]')?.focus();
        this.#run('supplement', progress.reportCode);
        return;
      }
      const failure = failureOf(error);
      this.supplementFailure =
        failure.kind === 'network'
          ? t.supplementNetwork
          : failure.kind === 'rate-limited'
            ? t.rateLimited(waitText(failure.waitMs, t))
            : t.supplementFailed;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-supplement-error]')?.focus();
    } finally {
      // An abort came from a reset (another lookup, removal), which has cleared `sending` itself.
      if (!signal.aborted) this.sending = false;
    }
  };

  // ── render ────────────────────────────────────────────────────────────────────────────────────────────────

  protected override render(): TemplateResult {
    return html`${textSizeSwitch(this)}${this.view === 'result' && this.progress ? this.#renderResult(this.progress) : this.#renderForm()}
      <div class="visually-hidden" aria-live="polite" data-live>${this.announcement}</div>`;
  }

  #renderFailure(): TemplateResult | typeof nothing {
    const failure = this.failure;
    if (!failure) return nothing;
    const t = this.t.lookup;
    const text =
      failure.kind === 'not-found'
        ? t.notFound
        : failure.kind === 'rate-limited'
          ? t.rateLimited(waitText(failure.waitMs, t))
          : failure.kind === 'network'
            ? t.network
            : t.failed;
    const canRetry = failure.kind === 'network' || failure.kind === 'failed';
    return html`<div class="alert" part="lookup-error" tabindex="-1" data-lookup-error data-kind=${failure.kind}>
      <div role="alert">
        <p>${text}</p>
        ${failure.kind === 'not-found' ? html`<p>${withHotline(t.notFoundHelp)}</p>` : nothing}
      </div>
      ${canRetry
        ? html`<button type="button" class="secondary" part="retry-button" @click=${this.#retry}>${t.retry}</button>`
        : nothing}
    </div>`;
  }

  #fieldError(id: string, message: string): TemplateResult | typeof nothing {
    if (!message) return nothing;
    return html`<p class="field-error" id="${id}-error">
      <span class="visually-hidden">${this.t.lookup.errorPrefix}</span>${message}
    </p>`;
  }

  #renderForm(): TemplateResult {
    const t = this.t.lookup;
    const pending = this.lookupPhase === 'pending';
    const codeError = this.#codeError;
    const keyError = this.#keyError;
    const parsed = this.#parseCode(this.codeText);
    const summary: FieldError[] = this.lookupAttempted
      ? [
          { field: LOOKUP_FIELDS[0], message: codeError },
          { field: LOOKUP_FIELDS[1], message: keyError },
        ].filter((x) => x.message)
      : [];
    const codeDescribed = ['reportCode-hint', codeError && 'reportCode-error', parsed.ok && 'reportCode-ok'].filter(Boolean).join(' ');
    const keyDescribed = ['queryKey-hint', keyError && 'queryKey-error'].filter(Boolean).join(' ');
    return html`<section class="view" aria-labelledby="lookup-heading">
      <h2 id="lookup-heading" tabindex="-1" data-view-heading>${t.heading}</h2>
      ${renderErrorSummary(t.errorSummaryTitle, summary, this.#focusField)} ${this.#renderFailure()}
      <p>${t.intro}</p>
      <form part="form" novalidate @submit=${this.#submitLookup}>
        <div class="field">
          <label for="reportCode">${t.codeLabel}</label>
          <p class="hint" id="reportCode-hint">${t.codeHint} <span class="example">${t.codeExample}</span></p>
          ${this.#fieldError('reportCode', codeError)}
          <input
            id="reportCode"
            part="code-input"
            class="code-input"
            type="text"
            autocomplete="off"
            autocapitalize="characters"
            spellcheck="false"
            aria-describedby=${codeDescribed}
            aria-invalid=${codeError ? 'true' : 'false'}
            .value=${live(this.codeText)}
            @input=${this.#onCodeInput}
            @blur=${this.#onCodeBlur}
          />
          ${parsed.ok
            ? html`<p class="code-ok" id="reportCode-ok">${t.codeOk}<span class="example">${parsed.formatted}</span></p>`
            : nothing}
        </div>
        <div class="field">
          <label for="queryKey">${t.keyLabel}</label>
          <p class="hint" id="queryKey-hint">${t.keyHint}</p>
          ${this.#fieldError('queryKey', keyError)}
          <input
            id="queryKey"
            part="key-input"
            class="code-input"
            type="text"
            autocomplete="off"
            autocapitalize="characters"
            spellcheck="false"
            enterkeyhint="search"
            aria-describedby=${keyDescribed}
            aria-invalid=${keyError ? 'true' : 'false'}
            .value=${live(this.#key)}
            @input=${this.#onKeyInput}
            @blur=${this.#onKeyBlur}
          />
        </div>
        <button type="submit" part="submit-button" class="submit">${pending ? t.submitting : t.submit}</button>
      </form>
    </section>`;
  }

  #renderResult(progress: Progress): TemplateResult {
    const t = this.t.lookup;
    const locale = this.lang_;
    const refreshing = this.lookupPhase === 'pending';
    const request = progress.status === 'supplement-requested' && !this.supplementSent ? supplementRequestOf(progress) : undefined;
    return html`<section class="view" part="result" aria-labelledby="result-heading" aria-busy=${refreshing ? 'true' : 'false'}>
      <h2 id="result-heading" tabindex="-1" data-view-heading>${t.resultHeading}</h2>
      ${this.notice
        ? html`<div class="notice" part="notice" tabindex="-1" data-notice><p role="status">${this.notice}</p></div>`
        : nothing}
      ${this.#renderFailure()}
      <p class="code-line">
        <span class="status-label">${t.reportCode}</span>
        <span class="report-code" part="report-code">${this.#legacyCodeOf(progress.reportCode) ?? formatReportCode(progress.reportCode)}</span>
      </p>
      ${renderStatus(progress, t)} ${renderReason(progress, t)} ${renderOutcome(progress, t)}
      ${request !== undefined
        ? renderSupplement({
            t,
            request,
            text: this.supplementText,
            count: this.#countText(),
            errors: this.#supplementErrors,
            summary: this.supplementAttempted,
            failure: this.supplementFailure,
            sending: this.sending,
            client: this.sdk,
            locale: this.locale,
            textSize: this.textSize,
            onText: this.#onTextInput,
            onTextBlur: this.#onTextBlur,
            onAttachments: this.#onAttachments,
            onSubmit: this.#sendSupplement,
            focusField: this.#focusField,
          })
        : nothing}
      ${renderDeadlines(progress.deadlines, t, locale, beijingToday(this.clock.now()))} ${renderTimeline(progress.events, t, locale)}
      <div class="actions">
        <button type="button" class="secondary" part="refresh-button" @click=${this.#refresh}>
          ${refreshing ? t.submitting : t.refresh}
        </button>
        <button type="button" class="secondary" part="new-lookup-button" @click=${this.#another}>${t.another}</button>
      </div>
    </section>`;
  }
}
