import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { provide } from '@lit/context';
import {
  ApiError,
  ValidationError,
  isAqjbError,
  type AqjbClient,
  type Dictionaries,
  type FieldIssue,
  type ReportDraft,
  type ReportReceipt,
} from '../../sdk/index.js';
import { AqjbApiElement, clientContext } from '../internal/client.js';
import { formatDate } from '../locales/localize.js';
import { systemClock, type Clock } from '../controllers/clock.js';
import type { IntakeStep } from './intake.events.js';
import { loadIntakeDraft, saveIntakeDraft, type IntakeDraft } from './intake-draft.js';
import { draftStorageFor, type DraftStorageKind } from '../controllers/draft-store.js';
import { renderReview } from './review.js';
import { renderReceipt } from './receipt.js';
import styles from './intake.styles.js';
import '../notice-gate/notice-gate.js';

/** Each step loads the next step's element while the citizen is on it: the first screen (the notice) stays small. */
const PRELOAD: Partial<Record<IntakeStep, () => Promise<unknown>>> = {
  mode: () => import('../region-picker/region-picker.js'),
  region: () => import('../report-form/report-form.js'),
};

/** The parts of the composed elements the intake drives. */
interface GateElement extends HTMLElement {
  expiresAt?: string;
  restart(): void;
}
interface FormElement extends HTMLElement {
  draft: ReportDraft;
  showServerErrors(fields: FieldIssue[]): void;
  reset(): void;
}

const STEPS: readonly IntakeStep[] = ['notice', 'mode', 'region', 'form', 'review', 'receipt'];
const newKey = (): string => globalThis.crypto.randomUUID();

/**
 * @summary The whole citizen intake: notice, anonymous or real-name, the place, the report, a check of the answers,
 * and the receipt with the report code and query key.
 * @tag aqjb-intake
 * @event {AqjbStepEvent} aqjb-step - The citizen moved to another step: `detail.step`, `detail.index`.
 * @event {AqjbSubmittedEvent} aqjb-submitted - The report was filed: `detail.reportCode`, `detail.routedTo`. Never the query key or personal data.
 * @event {AqjbErrorEvent} aqjb-error - A failure the citizen was shown: `detail.code`, `detail.step`.
 * @csspart steps - The step indicator.
 * @csspart step-heading - Each step's heading.
 * @csspart mode-option - Each of the two reporting choices.
 * @csspart continue-button - The buttons that move on.
 * @csspart submit-button - The 「提交举报」 button.
 * @csspart review - The check-your-answers list.
 * @csspart receipt - The receipt.
 * @csspart report-code - The report code on the receipt.
 * @csspart query-key - The query key on the receipt.
 * @cssproperty [--aqjb-color-accent=#a61b1b] - Buttons, the current step, focus accents.
 * @cssproperty [--aqjb-color-text=#1f2328] - Text colour.
 * @cssproperty [--aqjb-font-family=system-ui] - Font family.
 * @cssproperty [--aqjb-radius=6px] - Corner radius.
 * @cssproperty [--aqjb-space=1rem] - Base spacing.
 * @cssproperty [--aqjb-target-size=44px] - Minimum size of touch targets.
 */
export class AqjbIntake extends AqjbApiElement {
  static override styles = styles;

  /** Province code (e.g. `410000`): the place step starts there, with a way out to 全国. */
  @property() accessor province = '';

  /** Where the draft is kept between reloads: `session` (default), `local` (opt-in), or `none`. Personal fields stay out either way. */
  @property({ attribute: 'draft-storage' }) accessor draftStorage: DraftStorageKind = 'session';

  /** Keep name, mobile and ID number in the stored draft too (only with the citizen's device in mind). */
  @property({ attribute: 'draft-personal', type: Boolean }) accessor draftPersonal = false;

  /** Time source for the notice countdown and SMS cooldown (tests inject a manual clock). */
  @property({ attribute: false }) accessor clock: Clock = systemClock;

  /** Base URL of the region-map geometry files; without it the place step shows the list. */
  @property({ attribute: 'geometry-base' }) accessor geometryBase = '';

  /** @internal The client given to the nested elements. */
  @provide({ context: clientContext })
  @state()
  accessor providedClient: AqjbClient | undefined = undefined;

  @state() private accessor step: IntakeStep = 'notice';
  @state() private accessor reached = new Set<IntakeStep>(['notice']);
  @state() private accessor mode: 'anonymous' | 'real-name' | undefined = undefined;
  @state() private accessor region: IntakeDraft['region'] = undefined;
  @state() private accessor ackToken: string | undefined = undefined;
  @state() private accessor ackExpiresAt: string | undefined = undefined;
  @state() private accessor dictionaries: Dictionaries | undefined = undefined;
  @state() private accessor stepError = '';
  @state() private accessor submitting = false;
  @state() private accessor submitFailure: { message: string; retry: boolean } | undefined = undefined;
  @state() private accessor receipt: ReportReceipt | undefined = undefined;
  @state() private accessor confirmingClear = false;
  @state() private accessor announcement = '';
  @state() private accessor showLookup = false;

  #idempotencyKey: string = newKey();
  /** The step to return to after re-reading an expired notice. */
  #resumeAt: IntakeStep | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#restore();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client') || changed.has('apiBase') || changed.has('contextClient')) {
      try {
        this.providedClient = this.sdk;
      } catch {
        this.providedClient = undefined;
      }
    }
  }

  protected override firstUpdated(): void {
    void this.#loadDictionaries();
    this.#preload(this.step);
  }

  /** Loads the elements of the steps up to one after `step`. */
  #preload(step: IntakeStep): void {
    for (const s of STEPS.slice(0, STEPS.indexOf(step) + 1)) void PRELOAD[s]?.().catch(() => {});
  }

  async #loadDictionaries(): Promise<void> {
    try {
      this.dictionaries = await this.sdk.getDictionaries();
    } catch {
      // The form loads them itself and shows its own retry.
    }
  }

  get #storage() {
    return draftStorageFor(this.draftStorage);
  }

  #restore(): void {
    const draft = loadIntakeDraft(this.#storage);
    if (!draft) return;
    this.#idempotencyKey = draft.idempotencyKey;
    this.mode = draft.mode;
    this.region = draft.region;
    // The server judges the token (its clock, not the phone's); an expired one sends the citizen back to the
    // notice at submit, with everything kept.
    const ackValid = Boolean(draft.ackToken);
    if (ackValid) {
      this.ackToken = draft.ackToken;
      this.ackExpiresAt = draft.ackExpiresAt;
    }
    const step = draft.step === 'receipt' ? 'review' : draft.step;
    const target = ackValid ? step : 'notice';
    if (!ackValid && step !== 'notice') this.#resumeAt = step;
    this.reached = new Set(STEPS.slice(0, STEPS.indexOf(step) + 1));
    this.step = target;
    if (step !== 'notice' || draft.mode) this.announcement = this.t.intake.draftRestored;
  }

  #save(): void {
    if (this.step === 'receipt') return;
    saveIntakeDraft(this.#storage, {
      step: this.step,
      mode: this.mode,
      region: this.region,
      ackToken: this.ackToken,
      ackExpiresAt: this.ackExpiresAt,
      idempotencyKey: this.#idempotencyKey,
    });
  }

  async #goTo(step: IntakeStep, focusSelector?: string): Promise<void> {
    this.#preload(step);
    this.step = step;
    this.stepError = '';
    this.reached = new Set([...this.reached, step]);
    this.#save();
    this.emit('aqjb-step', { step, index: STEPS.indexOf(step) });
    await this.updateComplete;
    const section = this.renderRoot.querySelector<HTMLElement>(`[data-step="${step}"]`);
    // The notice step's heading is the notice's own title, inside the gate.
    const heading =
      step === 'notice'
        ? this.#gate?.shadowRoot?.querySelector<HTMLElement>('[part~="title"]')
        : section?.querySelector<HTMLElement>('[data-step-heading]');
    const target = focusSelector ? this.#findDeep(focusSelector) : heading;
    target?.focus();
    (target ?? section)?.scrollIntoView?.({ block: 'nearest' });
  }

  /** Finds a field inside the form's shadow root for 「修改」 links. */
  #findDeep(selector: string): HTMLElement | null {
    const form = this.#form;
    return (form?.shadowRoot?.querySelector<HTMLElement>(selector) ?? this.renderRoot.querySelector<HTMLElement>(selector)) || null;
  }

  get #form(): FormElement | null {
    return this.renderRoot.querySelector('aqjb-report-form') as FormElement | null;
  }

  get #gate(): GateElement | null {
    return this.renderRoot.querySelector('aqjb-notice-gate') as GateElement | null;
  }

  #onAccepted = (event: CustomEvent<{ ackToken: string }>) => {
    this.ackToken = event.detail.ackToken;
    this.ackExpiresAt = this.#gate?.expiresAt;
    const next = this.#resumeAt ?? 'mode';
    this.#resumeAt = undefined;
    void this.#goTo(next);
  };

  #chooseMode(mode: 'anonymous' | 'real-name') {
    this.mode = mode;
    this.stepError = '';
    this.#save();
  }

  #continueFromMode() {
    if (!this.mode) {
      this.stepError = this.t.mode.required;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[data-step="mode"] input')?.focus());
      return;
    }
    void this.#goTo('region');
  }

  #onRegion = (event: CustomEvent<{ code: string; path: { code: string; name: string }[] }>) => {
    this.region = { code: event.detail.code, path: event.detail.path };
    this.stepError = '';
    this.#save();
  };

  #continueFromRegion() {
    if (!this.region) {
      this.stepError = this.t.region.required;
      return;
    }
    void this.#goTo('form');
  }

  async #submit(): Promise<void> {
    const form = this.#form;
    if (!form || this.submitting) return;
    if (!this.ackToken) return void this.#expireNotice();
    this.submitting = true;
    this.submitFailure = undefined;
    try {
      const receipt = await this.sdk.submitReport({ ...form.draft, ackToken: this.ackToken } as ReportDraft, {
        idempotencyKey: this.#idempotencyKey,
      });
      this.receipt = receipt;
      form.reset();
      saveIntakeDraft(this.#storage, undefined);
      this.emit('aqjb-submitted', { reportCode: receipt.reportCode, routedTo: receipt.routedTo });
      await this.#goTo('receipt');
    } catch (error) {
      this.#onSubmitError(error);
    } finally {
      this.submitting = false;
    }
  }

  #onSubmitError(error: unknown): void {
    const code = isAqjbError(error) ? error.code : 'INTERNAL';
    this.emit('aqjb-error', { code, step: 'review' });
    if (error instanceof ValidationError && error.status === 400) {
      const regionIssue = error.fields.some((f) => f.path === 'regionCode');
      if (regionIssue) {
        void this.#goTo('region');
        this.stepError = this.t.errors['region.unknown'];
        return;
      }
      void this.#goTo('form').then(() => this.#form?.showServerErrors(error.fields));
      return;
    }
    if (error instanceof ApiError && error.code === 'NOTICE_ACK_INVALID') return void this.#expireNotice();
    const transient = !(error instanceof ApiError) || error.status >= 500 || error.status === 429 || error.status === 408;
    const known = error instanceof ApiError ? (this.t.api as Record<string, string>)[error.code] : undefined;
    this.submitFailure = {
      message: transient ? this.t.review.retryHint : (known ?? this.t.review.retryHint),
      retry: true,
    };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[data-submit-failure]')?.focus());
  }

  /** The notice confirmation expired: read it again, then come back to the answers. */
  #expireNotice(): void {
    this.ackToken = undefined;
    this.ackExpiresAt = undefined;
    this.#resumeAt = 'review';
    this.#gate?.restart();
    this.stepError = this.t.review.ackExpired;
    void this.#goTo('notice').then(() => (this.stepError = this.t.review.ackExpired));
  }

  #clearDraft(): void {
    this.#form?.reset();
    this.mode = undefined;
    this.region = undefined;
    this.#idempotencyKey = newKey();
    this.confirmingClear = false;
    saveIntakeDraft(this.#storage, undefined);
    this.reached = new Set(['notice', 'mode']);
    this.announcement = this.t.intake.draftCleared;
    void this.#goTo(this.ackToken ? 'mode' : 'notice');
  }

  async #openLookup(): Promise<void> {
    await import('../progress-lookup/progress-lookup.js');
    this.showLookup = true;
    await this.updateComplete;
    const lookup = this.renderRoot.querySelector('aqjb-progress-lookup');
    await (lookup as { updateComplete?: Promise<unknown> } | null)?.updateComplete;
    lookup?.shadowRoot?.querySelector<HTMLElement>('[part~="key-input"]')?.focus();
  }

  #startAnother(): void {
    this.showLookup = false;
    this.receipt = undefined;
    this.#idempotencyKey = newKey();
    this.mode = undefined;
    this.region = undefined;
    this.ackToken = undefined;
    this.reached = new Set(['notice']);
    this.#gate?.restart();
    void this.#goTo('notice');
  }

  protected override render() {
    const t = this.t;
    const index = STEPS.indexOf(this.step);
    const visible = STEPS.slice(0, -1);
    return html`
      <section class="intake" aria-label=${t.intake.label}>
        ${this.step === 'receipt'
          ? nothing
          : html`<ol part="steps" class="steps">
              ${visible.map(
                (s, i) =>
                  html`<li class=${i < index ? 'done' : i === index ? 'current' : ''} aria-current=${i === index ? 'step' : nothing}>
                    <span class="step-number">${i + 1}</span><span class="step-name">${t.intake.steps[s]}</span>
                  </li>`,
              )}
            </ol>`}
        <div class="live visually-hidden" aria-live="polite">${this.announcement}</div>
        ${this.#renderNotice()} ${this.#renderMode()} ${this.#renderRegion()} ${this.#renderForm()} ${this.#renderReview()}
        ${this.#renderReceipt()} ${this.#renderDraftActions()}
      </section>
    `;
  }

  #heading(step: IntakeStep) {
    const i = STEPS.indexOf(step);
    const headings: Record<IntakeStep, string> = {
      notice: this.t.intake.steps.notice,
      mode: this.t.mode.heading,
      region: this.t.region.heading,
      form: this.t.intake.steps.form,
      review: this.t.review.heading,
      receipt: this.t.receipt.heading,
    };
    return html`<h2 part="step-heading" tabindex="-1" data-step-heading>
      ${step === 'receipt' ? nothing : html`<span class="visually-hidden">${this.t.intake.stepOf(i + 1, STEPS.length - 1, '')}</span>`}${headings[step]}
    </h2>`;
  }

  #stepError() {
    return this.stepError ? html`<p class="step-error" role="alert">${this.stepError}</p>` : nothing;
  }

  #backButton(to: IntakeStep) {
    return html`<button class="secondary" type="button" @click=${() => this.#goTo(to)}>${this.t.common.back}</button>`;
  }

  #renderNotice() {
    return html`<div data-step="notice" ?hidden=${this.step !== 'notice'}>
      ${this.step === 'notice' ? this.#stepError() : nothing}
      <aqjb-notice-gate
        .clock=${this.clock}
        locale=${this.locale || nothing}
        text-size=${this.textSize}
        @aqjb-notice-accepted=${this.#onAccepted}
      ></aqjb-notice-gate>
    </div>`;
  }

  #renderMode() {
    if (!this.reached.has('mode')) return nothing;
    const t = this.t.mode;
    const option = (value: 'anonymous' | 'real-name', label: string, hint: string) =>
      html`<label part="mode-option" class="mode-option ${this.mode === value ? 'selected' : ''}">
        <input
          type="radio"
          name="mode"
          .value=${value}
          .checked=${this.mode === value}
          aria-describedby="mode-hint-${value}"
          @change=${() => this.#chooseMode(value)}
        />
        <span class="mode-text"><span class="mode-label">${label}</span><span class="hint" id="mode-hint-${value}">${hint}</span></span>
      </label>`;
    return html`<div data-step="mode" ?hidden=${this.step !== 'mode'}>
      ${this.#heading('mode')} ${this.step === 'mode' ? this.#stepError() : nothing}
      <fieldset class="modes">
        <legend class="visually-hidden">${t.heading}</legend>
        ${option('anonymous', t.anonymous, t.anonymousHint)} ${option('real-name', t.realName, t.realNameHint)}
      </fieldset>
      <div class="actions">
        <button part="continue-button" type="button" @click=${this.#continueFromMode}>${this.t.common.continue}</button>
      </div>
    </div>`;
  }

  #renderRegion() {
    if (!this.reached.has('region')) return nothing;
    return html`<div data-step="region" ?hidden=${this.step !== 'region'}>
      ${this.#heading('region')}
      <p class="hint">${this.t.region.hint}</p>
      ${this.step === 'region' ? this.#stepError() : nothing}
      <aqjb-region-picker
        root=${this.province || nothing}
        geometry-base=${this.geometryBase || nothing}
        .value=${this.region?.code ?? ''}
        required
        locale=${this.locale || nothing}
        text-size=${this.textSize}
        @aqjb-region-change=${this.#onRegion}
      ></aqjb-region-picker>
      <div class="actions">
        ${this.#backButton('mode')}
        <button part="continue-button" type="button" @click=${this.#continueFromRegion}>${this.t.common.continue}</button>
      </div>
    </div>`;
  }

  #renderForm() {
    if (!this.reached.has('form')) return nothing;
    return html`<div data-step="form" ?hidden=${this.step !== 'form'}>
      ${this.#heading('form')}
      <aqjb-report-form
        .mode=${this.mode ?? 'anonymous'}
        .regionCode=${this.region?.code ?? ''}
        .ackToken=${this.ackToken ?? ''}
        .dictionaries=${this.dictionaries}
        .clock=${this.clock}
        draft-storage=${this.draftStorage}
        ?draft-personal=${this.draftPersonal}
        locale=${this.locale || nothing}
        text-size=${this.textSize}
        @aqjb-form-complete=${() => this.#goTo('review')}
      ></aqjb-report-form>
      <div class="actions">${this.#backButton('region')}</div>
    </div>`;
  }

  #renderReview() {
    if (!this.reached.has('review') || this.step !== 'review') return nothing;
    const draft = this.#form?.draft;
    if (!draft) return nothing;
    return html`<div data-step="review">
      ${this.#heading('review')}
      ${renderReview({
        t: this.t,
        draft,
        region: this.region,
        dictionaries: this.dictionaries,
        change: (step, field) => this.#goTo(step, field ? `[id="${field}"]` : undefined),
      })}
      ${this.submitFailure
        ? html`<div class="submit-failure" role="alert" tabindex="-1" data-submit-failure><p>${this.submitFailure.message}</p></div>`
        : nothing}
      <div class="actions">
        ${this.#backButton('form')}
        <button part="submit-button" type="button" aria-disabled=${this.submitting ? 'true' : 'false'} @click=${this.#submit}>
          ${this.submitting ? this.t.review.submitting : this.submitFailure ? this.t.review.resubmit : this.t.review.submit}
        </button>
      </div>
    </div>`;
  }

  #renderReceipt() {
    if (this.step !== 'receipt' || !this.receipt) return nothing;
    return html`<div data-step="receipt">
      ${this.#heading('receipt')}
      ${renderReceipt({
        t: this.t,
        receipt: this.receipt,
        acceptBy: formatDate(this.lang_, this.receipt.acceptBy),
        announce: (text) => (this.announcement = text),
        another: () => this.#startAnother(),
        lookup: () => this.#openLookup(),
      })}
      ${this.showLookup
        ? html`<aqjb-progress-lookup
            code=${this.receipt.reportCode}
            .clock=${this.clock}
            locale=${this.locale || nothing}
            text-size=${this.textSize}
          ></aqjb-progress-lookup>`
        : nothing}
    </div>`;
  }

  #renderDraftActions() {
    if (this.step === 'notice' || this.step === 'receipt') return nothing;
    const t = this.t.intake;
    return html`<div class="draft-actions">
      ${this.confirmingClear
        ? html`<p role="alert">${t.clearConfirm}</p>
            <button type="button" class="secondary" @click=${this.#clearDraft}>${t.clearDraft}</button>
            <button type="button" class="link" @click=${() => (this.confirmingClear = false)}>${this.t.common.back}</button>`
        : html`<button type="button" class="link" @click=${() => (this.confirmingClear = true)}>${t.clearDraft}</button>`}
    </div>`;
  }
}
