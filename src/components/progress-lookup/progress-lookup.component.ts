/**
 * <aqjb-progress-lookup>: the lookup by report code and query key (the key kept in memory only), the result with
 * its refresh, and the wiring of the supplement form (supplement-form.ts, supplement.ts). Status, deadlines,
 * timeline and failures are rendered by their own modules.
 */
import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { Progress } from '../../sdk/schemas/progress.js';
import { formatReportCode, parseReportCode, type ParsedReportCode } from '../../sdk/report-code.js';
import { AqjbApiElement } from '../internal/client.js';
import { systemClock, type Clock } from '../controllers/clock.js';
import { focusFieldIn, renderErrorSummary, type FieldError } from '../internal/form-errors.js';
import { focusRendered } from '../internal/form-fields.js';
import type {} from './progress-lookup.events.js';
import { codeProblemText, showWhileTyping } from './code-check.js';
import { codeField, LOOKUP_FIELDS } from './code-field.js';
import { beijingToday, renderDeadlines } from './deadlines.js';
import { renderTimeline } from './timeline.js';
import { renderOutcome, renderReason, renderStatus, supplementRequestOf } from './status.js';
import { codeOf, failureOf, renderFailure, type Failure } from './failure.js';
import { SupplementForm } from './supplement-form.js';
import { renderSupplement } from './supplement.js';
import styles from './progress-lookup.styles.js';
// A named import, not a bare one: package.json's `sideEffects` list lets bundlers drop bare imports of our modules.
import { AqjbEvidenceUpload } from '../evidence-upload/evidence-upload.js';
import { registerMessages } from '../locales/localize.js';
import zhLookup from '../locales/zh-CN/lookup.js';
import { Latest } from '../internal/latest.js';
import { textSizeSwitch } from '../internal/text-size.js';

registerMessages('lookup', zhLookup);

type LoadReason = 'lookup' | 'refresh' | 'supplement';

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
    for (const name of ['view', 'codeText', 'codeTouched', 'keyFilled', 'keyTouched', 'lookupAttempted', 'failure', 'progress', 'announcement', 'lookupPhase', 'notice', 'supplementSent']) this.createProperty(name, { state: true });
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
  private notice = '';
  /** Sent: the form goes away at once, before the reloaded progress confirms it. */
  private supplementSent = false;

  /** The query key: in memory only, never in an attribute, URL, event, log or storage; cleared on removal. */
  #key = '';
  #reason: LoadReason = 'lookup';
  #lookupRequest = new Latest();
  #supplement = new SupplementForm(this, { clock: () => this.clock, t: () => this.t, announce: (text) => void this.#announce(text) });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('code')) this.codeText = this.code;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback(); // the supplement form aborts its send and empties itself
    this.#abortLookup();
    // Without the key the result can be neither refreshed nor answered: back to the form, code kept.
    this.#forgetKey();
    this.view = 'form';
    this.progress = undefined;
    this.failure = undefined;
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
      return focusRendered(this, '[data-error-summary]');
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
    if (other) this.#supplement.reset();
    // The confirmation of a sent supplement stays with the answer that follows the sending, not with a later one.
    if (reason !== 'supplement') this.notice = '';
    this.emit('aqjb-progress-loaded', { reportCode: progress.reportCode, status: progress.status });
    const status = this.t.lookup.status[progress.status];
    if (reason === 'lookup') {
      await focusRendered(this, '[data-view-heading]');
      await this.#announce(this.t.lookup.loaded(status));
    } else if (reason === 'refresh') {
      await this.#announce(this.t.lookup.refreshed(status));
    }
  }

  async #failed(error: unknown): Promise<void> {
    if (codeOf(error) === 'ABORTED') return;
    this.failure = failureOf(error);
    await focusRendered(this, '[data-lookup-error]');
  }

  #another = async () => {
    this.#abortLookup();
    this.#supplement.abort();
    this.#forgetKey();
    this.codeText = '';
    this.codeTouched = false;
    this.keyTouched = false;
    this.lookupAttempted = false;
    this.failure = undefined;
    this.progress = undefined;
    this.notice = '';
    this.#supplement.reset();
    this.view = 'form';
    await focusRendered(this, '[data-view-heading]');
  };

  /** Clears the live region first, so the same sentence twice is spoken twice. */
  async #announce(text: string): Promise<void> {
    this.announcement = '';
    await this.updateComplete;
    this.announcement = text;
  }

  // ── supplement ────────────────────────────────────────────────────────────────────────────────────────────

  #focusField = (field: string) => focusFieldIn(this.renderRoot as ShadowRoot, field);

  #sendSupplement = async (e: Event) => {
    e.preventDefault();
    const progress = this.progress;
    const form = this.#supplement;
    if (form.sending || !progress) return;
    if (!form.check()) return focusRendered(this, '[data-error-summary]');
    const outcome = await this.#supplement.send((draft, signal) => this.sdk.addSupplement(progress.reportCode, this.#key, draft, { signal }));
    if (outcome === 'invalid') return focusRendered(this, '[data-error-summary]');
    if (outcome === 'failed') return focusRendered(this, '[data-supplement-error]');
    if (outcome !== 'sent' && outcome !== 'not-requested') return;
    this.supplementSent = outcome === 'sent';
    this.notice = outcome === 'sent' ? this.t.lookup.supplementSent : this.t.lookup.supplementNotRequested;
    await focusRendered(this, '[data-notice]');
    // The timeline now shows 「已收到补充材料」 (or no longer asks).
    this.#run('supplement', progress.reportCode);
  };

  // ── render ────────────────────────────────────────────────────────────────────────────────────────────────

  protected override render(): TemplateResult {
    return html`${textSizeSwitch(this)}${this.view === 'result' && this.progress ? this.#renderResult(this.progress) : this.#renderForm()}
      <div class="visually-hidden" aria-live="polite" data-live>${this.announcement}</div>`;
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
    return html`<section class="view" aria-labelledby="lookup-heading">
      <h2 id="lookup-heading" tabindex="-1" data-view-heading>${t.heading}</h2>
      ${renderErrorSummary(t.errorSummaryTitle, summary, this.#focusField)} ${renderFailure(this.failure, t, this.#retry)}
      <p>${t.intro}</p>
      <form part="form" novalidate @submit=${this.#submitLookup}>
        ${codeField(t.errorPrefix, {
          field: 'reportCode',
          part: 'code-input',
          label: t.codeLabel,
          hint: html`${t.codeHint} <span class="example">${t.codeExample}</span>`,
          error: codeError,
          value: this.codeText,
          onInput: this.#onCodeInput,
          onBlur: this.#onCodeBlur,
          ok: parsed.ok,
          after: parsed.ok ? html`<p class="code-ok" id="reportCode-ok">${t.codeOk}<span class="example">${parsed.formatted}</span></p>` : nothing,
        })}
        ${codeField(t.errorPrefix, {
          field: 'queryKey',
          part: 'key-input',
          label: t.keyLabel,
          hint: t.keyHint,
          error: keyError,
          value: this.#key,
          onInput: this.#onKeyInput,
          onBlur: this.#onKeyBlur,
          enterkeyhint: 'search',
        })}
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
      ${renderFailure(this.failure, t, this.#retry)}
      <p class="code-line">
        <span class="status-label">${t.reportCode}</span>
        <span class="report-code" part="report-code">${this.#legacyCodeOf(progress.reportCode) ?? formatReportCode(progress.reportCode)}</span>
      </p>
      ${renderStatus(progress, t)} ${renderReason(progress, t)} ${renderOutcome(progress, t)}
      ${request !== undefined
        ? renderSupplement(this.#supplement, {
            t,
            request,
            client: this.sdk,
            locale: this.locale,
            textSize: this.textSize,
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
