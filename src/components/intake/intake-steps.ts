/**
 * The intake's steps after the notice: reporting mode, place, report, check and receipt. Loaded while the citizen
 * reads the notice (the first screen carries only the notice), so moving on never waits for it in practice.
 * State stays on the element (`AqjbIntake`): these functions render it and act on it.
 */
import { css, html, nothing } from 'lit';
import { fieldStyles } from '../internal/field-styles.js';
import type { AqjbClient } from '../../sdk/client.js';
import { ApiError, ValidationError, isAqjbError } from '../../sdk/errors.js';
import type { FieldIssue } from '../../sdk/schemas/common.js';
import type { Dictionaries } from '../../sdk/schemas/dictionaries.js';
import type { ReportDraft } from '../../sdk/schemas/report.js';
import { registerMessages } from '../locales/localize.js';
import { formatDate } from '../locales/format.js';
import '../locales/errors.js';
import zhMode from '../locales/zh-CN/mode.js';
import zhRegion from '../locales/zh-CN/region.js';
import zhReview from '../locales/zh-CN/review.js';
import zhReceipt from '../locales/zh-CN/receipt.js';
import type { AqjbIntake } from './intake.component.js';
import type { IntakeStep } from './intake.events.js';
import { saveIntakeDraft, STEPS } from './intake-draft.js';
import { renderReview } from './review.js';
import { renderReceipt } from './receipt.js';
import { loadReporter } from '../report-form/load-reporter.js';

registerMessages('mode', zhMode);
registerMessages('region', zhRegion);
registerMessages('review', zhReview);
registerMessages('receipt', zhReceipt);

/** The parts of the composed form the intake drives. */
interface FormElement extends HTMLElement {
  draft: ReportDraft;
  dictionariesShown: Dictionaries | undefined;
  showServerErrors(fields: FieldIssue[]): void;
  reset(): void;
}

const loadPicker = () => import('../region-picker/region-picker.js');
const loadForm = () => import('../report-form/report-form.js');

/** A real-name report's 「您的信息」 section, asked for as soon as the mode is known: the place step leaves time for it. */
const preloadReporter = (host: AqjbIntake) => {
  if (host.mode === 'real-name') void loadReporter().catch(() => {}); // the form shows its own retry
};

/** While the notice is read: the place step's element and the dictionaries the form and the check need. */
export function preload(host: AqjbIntake): void {
  void loadPicker().catch(() => {});
  if (STEPS.indexOf(host.step) >= STEPS.indexOf('region')) void loadForm().catch(() => {});
  preloadReporter(host); // a restored real-name draft
  void (async () => {
    try {
      host.dictionaries ??= await (await host.sdkReady).getDictionaries();
    } catch {
      // The form loads them itself and shows its own retry.
    }
  })();
}

const formOf = (host: AqjbIntake) => host.renderRoot.querySelector('aqjb-report-form') as FormElement | null;

/** Finds a field inside the form's shadow root, for 「修改」 links. */
export function findDeep(host: AqjbIntake, selector: string): HTMLElement | null {
  return formOf(host)?.shadowRoot?.querySelector<HTMLElement>(selector) ?? host.renderRoot.querySelector<HTMLElement>(selector);
}

function heading(host: AqjbIntake, step: IntakeStep) {
  const t = host.t;
  const i = STEPS.indexOf(step);
  const headings: Record<IntakeStep, string> = {
    notice: t.intake.steps.notice,
    mode: t.mode.heading,
    region: t.region.heading,
    form: t.intake.steps.form,
    review: t.review.heading,
    receipt: t.receipt.heading,
  };
  return html`<h2 part="step-heading" tabindex="-1" data-step-heading>
    ${step === 'receipt' ? nothing : html`<span class="visually-hidden">${t.intake.stepOf(i + 1, STEPS.length - 1, '')}</span>`}${headings[step]}
  </h2>`;
}

const stepError = (host: AqjbIntake, step: IntakeStep) =>
  host.step === step && host.stepError ? html`<p class="step-error" role="alert">${host.stepError}</p>` : nothing;

const backButton = (host: AqjbIntake, to: IntakeStep, slot?: string) =>
  html`<button class="secondary" part="back-button" type="button" slot=${slot ?? nothing} @click=${() => host.goTo(to)}>${host.t.common.back}</button>`;

const continueButton = (host: AqjbIntake, onClick: () => void) =>
  html`<button part="continue-button" type="button" @click=${onClick}>${host.t.common.continue}</button>`;

/** Everything after the notice. */
export function render(host: AqjbIntake, client: AqjbClient | undefined) {
  return html`${renderMode(host)} ${renderRegion(host, client)} ${renderForm(host, client)} ${renderReviewStep(host)}
  ${renderReceiptStep(host, client)} ${renderDraftActions(host)}`;
}

function renderMode(host: AqjbIntake) {
  if (!host.reached.has('mode')) return nothing;
  const t = host.t.mode;
  const choose = (mode: 'anonymous' | 'real-name') => {
    host.mode = mode;
    host.stepError = '';
    host.save();
    preloadReporter(host);
  };
  const next = () => {
    if (host.mode) return void host.goTo('region');
    host.stepError = t.required;
    void host.updateComplete.then(() => host.renderRoot.querySelector<HTMLElement>('[data-step="mode"] input')?.focus());
  };
  const option = (value: 'anonymous' | 'real-name', label: string, hint: string) =>
    html`<label part="mode-option" class="mode-option ${host.mode === value ? 'selected' : ''}">
      <input
        type="radio"
        name="mode"
        .value=${value}
        .checked=${host.mode === value}
        aria-describedby="mode-hint-${value}"
        @change=${() => choose(value)}
      />
      <span class="mode-text"><span class="mode-label">${label}</span><span class="hint" id="mode-hint-${value}">${hint}</span></span>
    </label>`;
  return html`<div data-step="mode" ?hidden=${host.step !== 'mode'}>
    ${heading(host, 'mode')} ${stepError(host, 'mode')}
    <fieldset class="modes">
      <legend class="visually-hidden">${t.heading}</legend>
      ${option('anonymous', t.anonymous, t.anonymousHint)} ${option('real-name', t.realName, t.realNameHint)}
    </fieldset>
    <div class="actions">${continueButton(host, next)}</div>
  </div>`;
}

function renderRegion(host: AqjbIntake, client: AqjbClient | undefined) {
  if (!host.reached.has('region')) return nothing;
  // The report form is next: it loads while the place is chosen.
  void loadForm().catch(() => {});
  const onChange = (event: CustomEvent<{ code: string; path: { code: string; name: string }[] }>) => {
    host.region = { code: event.detail.code, path: event.detail.path };
    host.stepError = '';
    host.save();
  };
  const next = () => {
    if (host.region) return void host.goTo('form');
    host.stepError = host.t.region.required;
  };
  return html`<div data-step="region" ?hidden=${host.step !== 'region'}>
    ${heading(host, 'region')}
    <p class="hint">${host.t.region.hint}</p>
    ${stepError(host, 'region')}
    <aqjb-region-picker
      .client=${client}
      root=${host.province || nothing}
      geometry-base=${host.geometryBase || nothing}
      .value=${host.region?.code ?? ''}
      required
      locale=${host.locale || nothing}
      text-size=${host.textSize}
      @aqjb-region-change=${onChange}
    ></aqjb-region-picker>
    <div class="actions">${backButton(host, 'mode')} ${continueButton(host, next)}</div>
  </div>`;
}

function renderForm(host: AqjbIntake, client: AqjbClient | undefined) {
  if (!host.reached.has('form')) return nothing;
  return html`<div data-step="form" ?hidden=${host.step !== 'form'}>
    ${heading(host, 'form')}
    <aqjb-report-form
      .client=${client}
      .mode=${host.mode ?? 'anonymous'}
      .regionCode=${host.region?.code ?? ''}
      .ackToken=${host.ackToken ?? ''}
      .dictionaries=${host.dictionaries}
      .clock=${host.clock}
      draft-storage=${host.draftStorage}
      ?draft-personal=${host.draftPersonal}
      locale=${host.locale || nothing}
      text-size=${host.textSize}
      @aqjb-form-complete=${() => host.goTo('review')}
      >${backButton(host, 'region', 'back')}</aqjb-report-form
    >
  </div>`;
}

function renderReviewStep(host: AqjbIntake) {
  if (!host.reached.has('review') || host.step !== 'review') return nothing;
  const draft = formOf(host)?.draft;
  if (!draft) return nothing;
  const t = host.t;
  return html`<div data-step="review">
    ${heading(host, 'review')}
    ${renderReview({
      t,
      draft,
      region: host.region,
      // The form's own when the intake's preload failed: the check names what the form showed, never a bare code.
      dictionaries: host.dictionaries ?? formOf(host)?.dictionariesShown,
      change: (step, field) => host.goTo(step, field ? `[id="${field}"]` : undefined),
    })}
    ${host.submitFailure
      ? html`<div class="submit-failure" role="alert" tabindex="-1" data-submit-failure><p>${host.submitFailure.message}</p></div>`
      : nothing}
    <div class="actions">
      ${backButton(host, 'form')}
      <button part="submit-button" type="button" aria-disabled=${host.submitting ? 'true' : 'false'} @click=${() => submit(host)}>
        ${host.submitting ? t.review.submitting : host.submitFailure ? t.review.resubmit : t.review.submit}
      </button>
    </div>
  </div>`;
}

async function submit(host: AqjbIntake): Promise<void> {
  const form = formOf(host);
  if (!form || host.submitting) return;
  if (!host.ackToken) return host.rereadNotice('review', host.t.review.ackExpired);
  host.submitting = true;
  host.submitFailure = undefined;
  try {
    const receipt = await host.sdk.submitReport({ ...form.draft, ackToken: host.ackToken } as ReportDraft, {
      idempotencyKey: host.idempotencyKey,
    });
    host.receipt = receipt;
    form.reset();
    saveIntakeDraft(host.storage, undefined);
    host.emit('aqjb-submitted', { reportCode: receipt.reportCode, routedTo: receipt.routedTo });
    await host.goTo('receipt');
  } catch (error) {
    onSubmitError(host, error);
  } finally {
    host.submitting = false;
  }
}

function onSubmitError(host: AqjbIntake, error: unknown): void {
  const t = host.t;
  host.emit('aqjb-error', { code: isAqjbError(error) ? error.code : 'INTERNAL', step: 'review' });
  if (error instanceof ValidationError && error.status === 400) {
    if (error.fields.some((f) => f.path === 'regionCode')) {
      void host.goTo('region').then(() => (host.stepError = t.errors['region.unknown']));
      return;
    }
    void host.goTo('form').then(() => formOf(host)?.showServerErrors(error.fields));
    return;
  }
  if (error instanceof ApiError && error.code === 'NOTICE_ACK_INVALID') return host.rereadNotice('review', t.review.ackExpired);
  const transient = !(error instanceof ApiError) || error.status >= 500 || error.status === 429 || error.status === 408;
  // English has a table of its own; in zh-CN the error body's text is the contract's for its code. An answer the
  // SDK could not read (BAD_RESPONSE) has no text for a citizen.
  const known =
    error instanceof ApiError && error.code !== 'BAD_RESPONSE'
      ? t.api
        ? (t.api as Record<string, string>)[error.code]
        : error.message
      : undefined;
  host.submitFailure = { message: transient ? t.review.retryHint : (known ?? t.review.retryHint), retry: true };
  void host.updateComplete.then(() => host.renderRoot.querySelector<HTMLElement>('[data-submit-failure]')?.focus());
}

function renderReceiptStep(host: AqjbIntake, client: AqjbClient | undefined) {
  if (host.step !== 'receipt' || !host.receipt) return nothing;
  const openLookup = async () => {
    await import('../progress-lookup/progress-lookup.js');
    host.showLookup = true;
    await host.updateComplete;
    const lookup = host.renderRoot.querySelector('aqjb-progress-lookup');
    await (lookup as { updateComplete?: Promise<unknown> } | null)?.updateComplete;
    lookup?.shadowRoot?.querySelector<HTMLElement>('[part~="key-input"]')?.focus();
  };
  const another = () => {
    host.showLookup = false;
    host.receipt = undefined;
    host.forgetDraft();
    host.reached = new Set(['notice']);
    host.rereadNotice();
  };
  return html`<div data-step="receipt">
    ${heading(host, 'receipt')}
    ${renderReceipt({
      t: host.t,
      receipt: host.receipt,
      acceptBy: formatDate(host.lang_, host.receipt.acceptBy),
      announce: (text) => (host.announcement = text),
      another,
      lookup: openLookup,
    })}
    ${host.showLookup
      ? html`<aqjb-progress-lookup
          .client=${client}
          code=${host.receipt.reportCode}
          .clock=${host.clock}
          locale=${host.locale || nothing}
          text-size=${host.textSize}
        ></aqjb-progress-lookup>`
      : nothing}
  </div>`;
}

function renderDraftActions(host: AqjbIntake) {
  if (host.step === 'notice' || host.step === 'receipt') return nothing;
  const t = host.t.intake;
  const clear = () => {
    formOf(host)?.reset();
    host.forgetDraft();
    host.confirmingClear = false;
    saveIntakeDraft(host.storage, undefined);
    host.reached = new Set(['notice', 'mode']);
    host.announcement = t.draftCleared;
    void host.goTo(host.ackToken ? 'mode' : 'notice');
  };
  return html`<div class="draft-actions">
    ${host.confirmingClear
      ? html`<p role="alert">${t.clearConfirm}</p>
          <button type="button" class="secondary" @click=${clear}>${t.clearDraft}</button>
          <button type="button" class="link" @click=${() => (host.confirmingClear = false)}>${host.t.common.back}</button>`
      : html`<button type="button" class="link" @click=${() => (host.confirmingClear = true)}>${t.clearDraft}</button>`}
  </div>`;
}

/** Styles of the steps after the notice (the first screen's are in intake.styles.ts). */
export const stepStyles = css`
  ${fieldStyles}
  .modes {
    border: 0;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.75em;
  }
  .mode-option {
    display: flex;
    gap: 0.75em;
    align-items: flex-start;
    margin: 0;
    padding: var(--_space);
    border: 2px solid var(--_border);
    border-radius: var(--_radius);
    cursor: pointer;
    font-weight: 400;
  }
  .mode-option input {
    margin-block-start: 0.3em;
  }
  .mode-option.selected {
    border-color: var(--_accent);
    box-shadow: inset 0 0 0 1px var(--_accent);
  }
  .mode-text {
    display: grid;
    gap: 0.25em;
  }
  .mode-label {
    font-weight: 700;
    font-size: 1.0625em;
  }
  .submit-failure {
    color: var(--_error);
    font-weight: 600;
    border-inline-start: 4px solid var(--_error);
    padding-inline-start: 0.75em;
  }
  .chosen {
    font-weight: 600;
  }
  .review {
    margin: 0;
  }
  .review-row {
    display: grid;
    grid-template-columns: minmax(6em, 30%) 1fr auto;
    gap: 0.25em 1em;
    padding-block: 0.6em;
    border-block-end: 1px solid var(--aqjb-color-disabled, #d0d7de);
  }
  .review dt {
    font-weight: 600;
  }
  .review dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .review-change button {
    min-block-size: var(--_target);
  }
  @media (max-width: 480px) {
    .review-row {
      grid-template-columns: 1fr auto;
    }
    .review-row dt {
      grid-column: 1 / -1;
    }
  }
  .pre {
    white-space: pre-wrap;
  }
  ul.plain {
    margin: 0;
    padding-inline-start: 1.1em;
  }
  .receipt-codes {
    display: grid;
    gap: 0.75em;
    margin: var(--_space) 0;
  }
  .receipt-codes dt {
    font-weight: 600;
  }
  .receipt-codes dd {
    margin: 0;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em 1em;
  }
  .code {
    font-family: var(--aqjb-font-family-code, ui-monospace, 'Noto Sans Mono CJK SC', monospace);
    font-size: 1.5em;
    font-weight: 700;
    letter-spacing: 0.06em;
    overflow-wrap: anywhere;
    user-select: all;
  }
  .draft-actions {
    margin-block-start: calc(var(--_space) * 2);
    border-block-start: 1px solid var(--aqjb-color-disabled, #d0d7de);
    padding-block-start: 0.5em;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
  }
  @media print {
    .draft-actions,
    .no-print,
    .copy {
      display: none !important;
    }
    .code {
      font-size: 18pt;
    }
  }
`;
