import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { AqjbClient } from '../../sdk/client.js';
import type { Dictionaries } from '../../sdk/schemas/dictionaries.js';
import type { ReportReceipt } from '../../sdk/schemas/report.js';
import { AqjbApiElement } from '../internal/client.js';
import { adoptLater, whenIdle } from '../internal/lazy.js';
import { systemClock, type Clock } from '../controllers/clock.js';
import type { IntakeStep } from './intake.events.js';
import { loadIntakeDraft, saveIntakeDraft, STEPS, type IntakeDraft } from './intake-draft.js';
import { draftStorageFor, type DraftStorageKind } from '../controllers/draft-storage.js';
import styles from './intake.styles.js';
import '../notice-gate/notice-gate.js';
import { withHotline } from '../internal/hotline.js';
import { textSizeSwitch } from '../internal/text-size.js';
import { reloadOffer } from '../internal/reload-offer.js';

type StepsModule = typeof import('./intake-steps.js');

/** The parts of the gate the intake drives. */
interface GateElement extends HTMLElement {
  expiresAt?: string;
  restart(): void;
}

/**
 * 128 random bits as hex. Not `crypto.randomUUID()`: that exists only in a secure context, and a provincial portal may
 * still be served over plain http, where it is undefined and the intake would not start; `getRandomValues` is everywhere.
 */
const newKey = (): string => Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * @summary The whole citizen intake: notice, anonymous or real-name, the place, the report, a check of the answers,
 * and the receipt with the report code and query key.
 * @tag aqjb-intake
 * @event {AqjbStepEvent} aqjb-step - The citizen moved to another step: `detail.step`, `detail.index`.
 * @event {AqjbSubmittedEvent} aqjb-submitted - The report was filed: `detail.reportCode`, `detail.routedTo`. Never the query key or personal data.
 * @event {AqjbErrorEvent} aqjb-error - A failure the citizen was shown: `detail.code`, `detail.step`.
 * @event {AqjbTextSizeChangeEvent} aqjb-text-size-change - The citizen turned 「大字模式」 on or off: `detail.textSize`.
 * @csspart text-size-toggle - The citizen's 「大字模式」 switch (hide it when the portal has its own and sets `text-size`).
 * @csspart steps - The step indicator.
 * @csspart step-heading - Each step's heading.
 * @csspart mode-option - Each of the two reporting choices.
 * @csspart continue-button - The buttons that move on.
 * @csspart back-button - The 「返回上一步」 buttons.
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
  // Declared here, not with decorators: see AqjbElement.
  static override properties: PropertyDeclarations = {
    province: {},
    draftStorage: { attribute: 'draft-storage' },
    draftPersonal: { attribute: 'draft-personal', type: Boolean },
    geometryBase: { attribute: 'geometry-base' },
  };
  static {
    this.createProperty('clock', { attribute: false });
    for (const name of ['step', 'reached', 'mode', 'region', 'ackToken', 'dictionaries', 'stepError', 'submitting', 'submitFailure', 'receipt', 'confirmingClear', 'announcement', 'showLookup', 'stepsFailed']) this.createProperty(name, { state: true });
  }

  /** Province code (e.g. `410000`): the place step starts there, with a way out to 全国. */
  province = '';

  /** Where the draft is kept between reloads: `session` (default), `local` (opt-in), or `none`. Personal fields stay out either way. */
  draftStorage: DraftStorageKind = 'session';

  /** Keep name, mobile and ID number in the stored draft too (only with the citizen's device in mind). */
  draftPersonal = false;

  /** Time source for the notice countdown and SMS cooldown (tests inject a manual clock). */
  clock: Clock = systemClock;

  /** Base URL of the region-map geometry files; without it the place step shows the list. */
  geometryBase = '';

  // The steps after the notice live in ./intake-steps.ts, loaded while the notice is read; their state lives here so a
  // reload restores it before that module is in.
  /** @internal */ step: IntakeStep = 'notice';
  /** @internal */ reached = new Set<IntakeStep>(['notice']);
  /** @internal */ mode: 'anonymous' | 'real-name' | undefined = undefined;
  /** @internal */ region: IntakeDraft['region'] = undefined;
  /** @internal */ ackToken: string | undefined = undefined;
  /** @internal */ dictionaries: Dictionaries | undefined = undefined;
  /** @internal */ stepError = '';
  /** @internal */ submitting = false;
  /** @internal */ submitFailure: { message: string; retry: boolean } | undefined = undefined;
  /** @internal */ receipt: ReportReceipt | undefined = undefined;
  /** @internal */ confirmingClear = false;
  /** @internal */ announcement = '';
  /** @internal */ showLookup = false;
  private stepsFailed = false;

  /** @internal One key per draft: every retry of this draft files at most one report. */
  idempotencyKey: string = newKey();
  #ackExpiresAt: string | undefined;
  /** The step to return to after re-reading an expired notice. */
  #resumeAt: IntakeStep | undefined;
  #steps: StepsModule | undefined;
  #stepsLoading: Promise<StepsModule | undefined> | undefined;
  /** Set only by the citizen's own switch, so that a draft does not pin the portal's `text-size`. */
  #chosenTextSize: 'normal' | 'large' | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#restore();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A restored draft past the notice needs its steps at once.
    if (changed.has('step') && this.step !== 'notice') void this.#loadSteps();
  }

  /** Loads the later steps (and, through them, the next elements and the dictionaries). Failure shows a retry. */
  #loadSteps(): Promise<StepsModule | undefined> {
    this.stepsFailed = false;
    this.#stepsLoading ??= import('./intake-steps.js').then(
      (steps) => {
        adoptLater(this.renderRoot, steps.stepStyles);
        this.#steps = steps;
        steps.preload(this);
        this.requestUpdate();
        return steps;
      },
      () => {
        this.#stepsLoading = undefined;
        this.stepsFailed = true;
        return undefined;
      },
    );
    return this.#stepsLoading;
  }

  /** @internal The client the nested elements use: this element's. */
  get nestedClient(): AqjbClient | undefined {
    try {
      return this.sdk;
    } catch {
      return undefined;
    }
  }

  /** @internal */
  get storage(): Storage | undefined {
    return draftStorageFor(this.draftStorage);
  }

  #restore(): void {
    const draft = loadIntakeDraft(this.storage);
    if (!draft) return;
    this.idempotencyKey = draft.idempotencyKey;
    if (draft.textSize) this.#chosenTextSize = this.textSize = draft.textSize;
    this.mode = draft.mode;
    this.region = draft.region;
    // The server judges the token (its clock, not the phone's); an expired one sends the citizen back to the
    // notice at submit, with everything kept.
    const ackValid = Boolean(draft.ackToken);
    if (ackValid) {
      this.ackToken = draft.ackToken;
      this.#ackExpiresAt = draft.ackExpiresAt;
    }
    const step = draft.step === 'receipt' ? 'review' : draft.step;
    const target = ackValid ? step : 'notice';
    if (!ackValid && step !== 'notice') this.#resumeAt = step;
    this.reached = new Set(STEPS.slice(0, STEPS.indexOf(step) + 1));
    this.step = target;
    if (step !== 'notice' || draft.mode) this.announcement = this.t.intake.draftRestored;
  }

  /** @internal Starts a new draft: no mode or place yet, and a new idempotency key (a new report, not a retry). */
  forgetDraft(): void {
    this.mode = undefined;
    this.region = undefined;
    this.idempotencyKey = newKey();
  }

  /** @internal Keeps the draft (never a personal field; the form keeps its own fields). */
  save(): void {
    if (this.step === 'receipt') return;
    saveIntakeDraft(this.storage, {
      step: this.step,
      mode: this.mode,
      region: this.region,
      ackToken: this.ackToken,
      ackExpiresAt: this.#ackExpiresAt,
      idempotencyKey: this.idempotencyKey,
      textSize: this.#chosenTextSize,
    });
  }

  /** @internal Moves to a step and puts focus on its heading, or on `focusSelector` inside it. */
  async goTo(step: IntakeStep, focusSelector?: string): Promise<void> {
    this.step = step;
    this.stepError = '';
    this.reached = new Set([...this.reached, step]);
    this.save();
    this.emit('aqjb-step', { step, index: STEPS.indexOf(step) });
    if (step !== 'notice') await this.#loadSteps();
    await this.updateComplete;
    const section = this.renderRoot.querySelector<HTMLElement>(`[data-step="${step}"]`);
    // The notice step's heading is the notice's own title, inside the gate.
    const heading =
      step === 'notice'
        ? this.#gate?.shadowRoot?.querySelector<HTMLElement>('[part~="title"]')
        : section?.querySelector<HTMLElement>('[data-step-heading]');
    const target = focusSelector ? this.#steps?.findDeep(this, focusSelector) : heading;
    target?.focus();
    (target ?? section)?.scrollIntoView?.({ block: 'nearest' });
  }

  get #gate(): GateElement | null {
    return this.renderRoot.querySelector('aqjb-notice-gate') as GateElement | null;
  }

  #onAccepted = (event: CustomEvent<{ ackToken: string }>) => {
    this.ackToken = event.detail.ackToken;
    this.#ackExpiresAt = this.#gate?.expiresAt;
    const next = this.#resumeAt ?? 'mode';
    this.#resumeAt = undefined;
    void this.goTo(next);
  };

  /** @internal Re-read the notice (expired confirmation, or a new report), then come back to `resumeAt`. */
  rereadNotice(resumeAt?: IntakeStep, message = ''): void {
    this.ackToken = undefined;
    this.#ackExpiresAt = undefined;
    this.#resumeAt = resumeAt;
    this.#gate?.restart();
    void this.goTo('notice').then(() => (this.stepError = message));
  }

  protected override render() {
    const t = this.t;
    const index = STEPS.indexOf(this.step);
    const client = this.nestedClient;
    return html`
      <section class="intake" aria-label=${t.intake.label}>
        ${textSizeSwitch(this, () => {
          this.#chosenTextSize = this.textSize;
          this.save();
        })}
        ${this.step === 'receipt'
          ? nothing
          : html`<ol part="steps" class="steps">
              ${STEPS.slice(0, -1).map(
                (s, i) =>
                  html`<li class=${i < index ? 'done' : i === index ? 'current' : ''} aria-current=${i === index ? 'step' : nothing}>
                    <span class="step-number">${i + 1}</span><span class="step-name">${t.intake.steps[s]}</span>
                  </li>`,
              )}
            </ol>`}
        <div class="live visually-hidden" aria-live="polite">${this.announcement}</div>
        <div data-step="notice" ?hidden=${this.step !== 'notice'}>
          ${this.step === 'notice' && this.stepError ? html`<p class="step-error" role="alert">${this.stepError}</p>` : nothing}
          <aqjb-notice-gate
            .client=${client}
            .clock=${this.clock}
            locale=${this.locale || nothing}
            text-size=${this.textSize}
            @aqjb-notice-accepted=${this.#onAccepted}
            @aqjb-notice-shown=${() => whenIdle(() => this.#loadSteps())}
          ></aqjb-notice-gate>
        </div>
        ${this.#steps
          ? this.#steps.render(this, client)
          : this.step === 'notice'
            ? nothing
            : this.stepsFailed
              ? html`<div class="step-error" role="alert">
                  <p>${t.common.loadFailed}</p>
                  <p>${withHotline(t.common.hotline)}</p>
                  <button type="button" @click=${() => this.#loadSteps()}>${t.common.retry}</button>
                  ${reloadOffer(t.common, this.storage !== undefined)}
                </div>`
              : html`<p role="status">${t.common.loading}</p>`}
      </section>
    `;
  }
}
