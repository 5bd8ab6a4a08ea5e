/**
 * <aqjb-report-form>: its properties, state and events, the top of its template, when a field shows its error, and
 * the wiring of its controllers (dictionaries, draft, SMS code, spoken count) and of the evidence upload. The
 * questions' templates are in problem.ts and reporter.ts, the values and their draft shape in values.ts. reporter.ts
 * (with the SMS code controller and its texts) loads only in real-name mode.
 */
import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { LIMITS, ReportDraft } from '../../sdk/schemas/report.js';
import type { FieldIssue } from '../../sdk/schemas/common.js';
import type { Dictionaries } from '../../sdk/schemas/dictionaries.js';
import { toFieldIssues } from '../../sdk/issues.js';
import { AqjbApiElement } from '../internal/client.js';
import { focusFieldIn, renderErrorSummary, toFieldErrors, type FieldError } from '../internal/form-errors.js';
import { focusRendered } from '../internal/form-fields.js';
import { systemClock, type Clock } from '../controllers/clock.js';
// The Beijing date the server compares `occurredAt` with (the date input's `max`).
import { beijingDate } from '../../sdk/beijing-date.js';
import { DraftStore, type StoredAttachment } from '../controllers/draft-store.js';
import { draftStorageFor, type DraftStorageKind } from '../controllers/draft-storage.js';
import type { SmsCooldown } from '../controllers/sms-cooldown.js';
import { TypingPause } from '../controllers/typing-pause.js';
import { Load } from '../controllers/load.js';
import type { AqjbAttachmentsChangeEvent } from '../evidence-upload/evidence-upload.events.js';
import styles from './report-form.styles.js';
import { registerMessages } from '../locales/localize.js';
import zhForm from '../locales/zh-CN/form.js';
import '../locales/errors.js';
import { emptyValues, FIELD_ORDER, fieldOf, PERSONAL_FIELDS, restoreValues, snapshot, storedAttachments, toDraft, toggle, type Mode, type Values } from './values.js';
import { errorOf, textField, type FormView } from './fields.js';
import { countText, renderChoices, renderDescription } from './problem.js';
import { loadReporter } from './load-reporter.js';
import { reloadOffer } from '../internal/reload-offer.js';

registerMessages('form', zhForm);

/**
 * @summary The report itself: the unit and where it is, industry, problem types (with the 七严禁 / 五不准 items),
 * description, date and evidence; in real-name mode also name, mobile with SMS code, ID number and consent.
 * Validates with the contract's schemas, keeps a draft across reloads, and says 「继续」 only when all is well.
 * @tag aqjb-report-form
 * @event {AqjbFormCompleteEvent} aqjb-form-complete - The citizen chose 「继续」 and every field is valid. `detail` is `{}`: read `form.draft`.
 * @slot back - A button placed before 「继续」, at the inline start (the intake puts its 「返回上一步」 here, so that every step has its
 *   buttons in the same places).
 * @csspart error-summary - The list of problems shown above the form after a failed 「继续」.
 * @csspart section - Each group of questions (unit, problem, evidence, reporter).
 * @csspart sms-button - The 「获取验证码」 button.
 * @csspart continue-button - The 「继续」 button.
 * @csspart evidence - The embedded `<aqjb-evidence-upload>`.
 * @cssproperty [--aqjb-color-accent=#a61b1b] - Buttons and ticked boxes.
 * @cssproperty [--aqjb-color-error=#b3261e] - Error messages, invalid fields and the error summary.
 * @cssproperty [--aqjb-color-text=#1f2328] - Text colour.
 * @cssproperty [--aqjb-color-muted=#57606a] - Hints and the character count.
 * @cssproperty [--aqjb-color-border=#8c959f] - Borders of fields.
 * @cssproperty [--aqjb-color-focus=#0b57d0] - Focus outline.
 * @cssproperty [--aqjb-font-family=system-ui] - Font family.
 * @cssproperty [--aqjb-font-size=16px] - Base text size (`--aqjb-font-size-large`, 20px, with `text-size="large"`).
 * @cssproperty [--aqjb-radius=6px] - Corner radius.
 * @cssproperty [--aqjb-space=1rem] - Base spacing.
 * @cssproperty [--aqjb-target-size=44px] - Minimum size of touch targets (`--aqjb-target-size-large`, 56px).
 */
export class AqjbReportForm extends AqjbApiElement {
  static override styles = styles;
  // Declared here, not with decorators: see AqjbElement.
  static override properties: PropertyDeclarations = {
    mode: { reflect: true },
    draftStorage: { attribute: 'draft-storage' },
    draftPersonal: { attribute: 'draft-personal', type: Boolean },
  };
  static {
    for (const name of ['regionCode', 'ackToken', 'dictionaries', 'clock']) this.createProperty(name, { attribute: false });
    for (const name of ['values', 'attachments', 'restoredAttachments', 'uploadBusy', 'restored', 'summary', 'serverErrors', 'shown', 'attempted', 'announcement', 'generation']) this.createProperty(name, { state: true });
  }

  /** `anonymous` collects nothing about the citizen; `real-name` adds name, verified mobile, ID number and consent. */
  mode: Mode = 'anonymous';

  /** Six-digit division code chosen in the place step; goes into `draft`. */
  regionCode = '';

  /** Token from the notice gate; goes into `draft`. */
  ackToken = '';

  /** Industries and problem types, when the page already has them; otherwise the form loads them. */
  dictionaries: Dictionaries | undefined = undefined;

  /** Time source for the draft autosave, the SMS cooldown and the spoken character count (tests pass a manual clock). */
  clock: Clock = systemClock;

  /** Where the draft is kept between reloads: `session` (default), `local` (opt-in, survives closing the browser), or `none`. */
  draftStorage: DraftStorageKind = 'session';

  /** Also keep name, mobile and ID number in the stored draft (off by default; the SMS code is never kept). */
  draftPersonal = false;

  private values: Values = emptyValues();
  /** Finished uploads, kept with their names for the draft. */
  private attachments: StoredAttachment[] = [];
  /** Given to the upload element after a draft restore. */
  private restoredAttachments: StoredAttachment[] = [];
  private uploadBusy = false;
  private restored = false;
  /** Errors listed in the summary: from the last 「继续」 or `showServerErrors`, unchanged until the next. */
  private summary: FieldError[] = [];
  /** Server errors by field, shown until the citizen changes that field. */
  private serverErrors = new Map<string, string>();
  /** Fields whose error may show: changed and left, or all after a 「继续」. */
  private shown = new Set<string>();
  private attempted = false;
  /** The one polite live region's text. */
  private announcement = '';
  /** Bumped by reset(): renders a fresh upload element. */
  private generation = 0;

  #changed = new Set<string>();

  /** Industries and problem types: the page's when it gives them, else the server's. */
  #dictionaries = new Load(this, async (given: Dictionaries | undefined, signal) => given ?? this.sdk.getDictionaries({ signal }));

  #draftStore = new DraftStore(this, {
    name: 'report',
    storage: () => draftStorageFor(this.draftStorage),
    clock: () => this.clock,
    personal: () => this.draftPersonal,
    personalFields: PERSONAL_FIELDS,
    read: () => snapshot(this.values, this.mode, this.attachments),
    restore: ({ fields, attachments }) => {
      this.values = restoreValues(fields);
      this.attachments = attachments;
      this.restoredAttachments = attachments;
      this.restored = true;
    },
  });

  /**
   * The 「您的信息」 section, loaded when the form is first in real-name mode; until then the form says so in its place
   * and does not continue. Its values live in `values` all along, so a load (or a failed one) loses nothing typed.
   */
  #reporter = new Load(this, async () => {
    const section = await loadReporter();
    // The notice token goes along: only a reader of the notice gets a code, and the code answers only to it.
    this.#sms ??= new section.SmsCooldown(this, () => this.clock, () => this.sdk.sendSmsCode({ phone: this.values.text['reporter.phone'], ackToken: this.ackToken }));
    return section;
  });
  #sms: SmsCooldown | undefined;

  /** The description's count, spoken once typing pauses. */
  #countPause = new TypingPause(this, () => this.clock, () => (this.announcement = countText(this.t.form, this.values.text.description)));

  /** @internal The dictionaries on screen: given through `dictionaries`, or loaded by the form itself. */
  get dictionariesShown(): Dictionaries | undefined {
    return this.#dictionaries.value;
  }

  /** The report as entered, in the contract's shape (`ReportDraft`); reporter and consent only in real-name mode. */
  get draft(): ReportDraft {
    return toDraft(this.values, this.mode, this.ackToken, this.regionCode, this.attachments);
  }

  /**
   * Puts a server `ValidationError`'s fields on the form's fields and in the error summary, and focuses the summary.
   * Returns the issues that belong to no field of this form (e.g. `regionCode`) for the caller to show.
   */
  showServerErrors(fields: readonly FieldIssue[]): FieldIssue[] {
    const own = fields.filter((f) => fieldOf(f.path));
    const errors = toFieldErrors(own, FIELD_ORDER, this.t);
    this.serverErrors = new Map(errors.map((e) => [e.field, e.message]));
    this.summary = errors;
    void focusRendered(this, '[data-error-summary]');
    return fields.filter((f) => !fieldOf(f.path));
  }

  /** Empties every field, the evidence list and the stored draft. */
  reset(): void {
    this.values = emptyValues();
    this.attachments = [];
    this.restoredAttachments = [];
    this.uploadBusy = false;
    this.restored = false;
    this.summary = [];
    this.serverErrors = new Map();
    this.shown = new Set();
    this.attempted = false;
    this.#sms?.clear();
    this.announcement = '';
    this.generation++;
    this.#changed.clear();
    this.#countPause.cancel();
    this.#draftStore.clear();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-attached after a move: load what the disconnect interrupted.
    if (this.hasUpdated && this.#dictionaries.phase === 'pending') void this.#dictionaries.load(this.dictionaries);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#dictionaries.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A draft written under another setting must follow the new one (e.g. personal fields dropped).
    if ((changed.has('draftPersonal') || changed.has('draftStorage')) && this.hasUpdated) this.#draftStore.changed();
    this.#dictionaries.want(this.dictionaries);
    if (this.mode === 'real-name') this.#reporter.want('real-name');
  }

  // ——— Rendering ———

  protected override render(): TemplateResult {
    const t = this.t.form;
    const v: FormView = { t: this.t, values: this.values, errorFor: (field) => this.#errorFor(field) };
    return html`
      ${renderErrorSummary(t.errorSummaryTitle, this.summary, (field) => this.#focusField(field))}
      <form novalidate @submit=${this.#onSubmit} @input=${this.#onInput} @focusout=${this.#onFocusOut}>
        <p class="intro">${t.intro}</p>
        ${this.mode === 'real-name' ? nothing : html`<p class="anonymous-note">${t.anonymousNote}</p>`} ${this.#renderDraftNote()}
        <section part="section" aria-labelledby="subject-heading">
          <h3 id="subject-heading">${t.subjectHeading}</h3>
          ${textField(v, 'subject.name', t.subjectName, { hint: t.subjectNameHint, autocomplete: 'off' })}
          ${textField(v, 'subject.address', t.subjectAddress, { hint: t.subjectAddressHint, autocomplete: 'off' })}
        </section>
        <section part="section" aria-labelledby="problem-heading">
          <h3 id="problem-heading">${t.problemHeading}</h3>
          ${
            // Dictionaries handed in later by the intake must not pull the controls from under the citizen's focus.
            this.#dictionaries.value && this.#dictionaries.phase !== 'failed'
              ? renderChoices(v, this.#dictionaries.value)
              : this.#renderNotYet(this.#dictionaries.phase, t.dictionariesLoading, t.dictionariesFailed, () => this.#dictionaries.load(this.dictionaries))
          }
          ${renderDescription(v)}
          ${textField(v, 'occurredAt', t.occurredAt, { hint: t.occurredAtHint, type: 'date', optional: true, max: beijingDate(this.clock.now()) })}
        </section>
        <section part="section" aria-labelledby="evidence-heading">
          <h3 id="evidence-heading">${t.evidenceHeading}<span class="optional">${t.optional}</span></h3>
          <p class="hint" id="attachmentIds-hint">${t.evidenceHint}</p>
          ${errorOf(v, 'attachmentIds')}
          ${keyed(
            this.generation,
            html`<aqjb-evidence-upload
              id="attachmentIds"
              part="evidence"
              aria-describedby="attachmentIds-hint"
              .client=${this.client}
              api-base=${this.apiBase || nothing}
              locale=${this.locale || nothing}
              text-size=${this.textSize}
              .max=${LIMITS.attachments}
              .restored=${this.restoredAttachments}
              @aqjb-attachments-change=${this.#onAttachments}
            ></aqjb-evidence-upload>`,
          )}
        </section>
        ${this.mode === 'real-name' ? this.#renderReporter(v) : nothing}
        <div class="actions">
          <slot name="back"></slot>
          <button
            part="continue-button"
            type="submit"
            aria-disabled=${this.uploadBusy || this.#reporterMissing ? 'true' : 'false'}
            aria-describedby=${this.uploadBusy ? 'continue-note' : this.#reporterMissing ? 'reporter-status' : nothing}
          >
            ${t.continue}
          </button>
          ${this.uploadBusy ? html`<p id="continue-note" class="continue-note">${t.uploadBusy}</p>` : nothing}
        </div>
      </form>
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    `;
  }

  /** Real-name mode without the 「您的信息」 section yet: it is loading, or failed to load. */
  get #reporterMissing(): boolean {
    return this.mode === 'real-name' && !(this.#reporter.value && this.#sms);
  }

  #renderReporter(v: FormView) {
    const section = this.#reporter.value;
    if (section && this.#sms) return section.renderReporter(v, this.#sms, this.#requestSmsCode);
    const t = this.t.form;
    return this.#renderNotYet(this.#reporter.phase, t.reporterLoading, t.reporterFailed, () => this.#reporter.load('real-name'), 'reporter-status');
  }

  /**
   * A part of the form that is not in yet: a note while it loads, or its failure with 「重新加载」. `status` names the
   * place (focusable) where 「继续」 points when the form cannot go on without that part.
   */
  #renderNotYet(phase: Load<unknown, unknown>['phase'], loading: string, failed: string, retry: () => Promise<void>, status?: string) {
    const id = status ?? nothing;
    const tabindex = status ? '-1' : nothing;
    return phase === 'failed'
      ? html`<div class="load-failed" id=${id} tabindex=${tabindex}>
          <p>${failed}</p>
          <button type="button" class="secondary" @click=${() => void retry()}>${this.t.form.loadRetry}</button>
          ${reloadOffer(this.t.common, draftStorageFor(this.draftStorage) !== undefined)}
        </div>`
      : html`<p class="loading" id=${id} tabindex=${tabindex}>${loading}</p>`;
  }

  #renderDraftNote() {
    const t = this.t.form;
    const kept = this.draftStorage === 'local' ? t.draftLocal : this.draftStorage === 'session' ? t.draftSession : '';
    return html`${this.restored ? html`<p class="restored">${t.draftRestored}</p>` : nothing}
    ${kept ? html`<p class="hint">${kept}</p>` : nothing}`;
  }

  // ——— Validation ———

  /** The form's own problems, by the contract's schema, first per field in field order, in the element's language. */
  #clientErrors(): FieldError[] {
    const result = ReportDraft.safeParse(this.draft);
    const issues = result.success ? [] : toFieldIssues(result.error.issues, { anonymous: this.mode === 'anonymous' });
    const date = this.#dateIssue();
    if (date) issues.unshift(date);
    // ackToken and regionCode belong to other steps.
    const own = issues.filter((i) => fieldOf(i.path));
    return toFieldErrors(own, FIELD_ORDER, this.t);
  }

  /**
   * The date control knows two things the draft cannot: a half-typed date (its value is then '') and a day after
   * `max` (today in Beijing; the server refuses future dates with `occurredAt.future`).
   */
  #dateIssue(): FieldIssue | undefined {
    const input = this.renderRoot?.querySelector<HTMLInputElement>('[id="occurredAt"]');
    const code = input?.validity.badInput ? 'occurredAt.invalid' : input?.validity.rangeOverflow ? 'occurredAt.future' : undefined;
    return code && { path: 'occurredAt', code, message: this.t.errors[code] };
  }

  #errorsCache: Map<string, string> | undefined;

  /** The message to show at a field now, or '' (a server's until the field changes, else the schema's once allowed). */
  #errorFor(field: string): string {
    const server = this.serverErrors.get(field);
    if (server) return server;
    const smsError = this.#sms?.error;
    if (field === 'reporter.phone' && smsError) return this.#reporter.value?.smsErrorText(this.t, smsError) ?? '';
    if (!this.attempted && !this.shown.has(field)) return '';
    this.#errorsCache ??= new Map(this.#clientErrors().map((e) => [e.field, e.message]));
    return this.#errorsCache.get(field) ?? '';
  }

  #rendering = false;

  protected override update(changed: PropertyValues<this>): void {
    this.#errorsCache = undefined; // one schema run per render
    this.#rendering = true;
    try {
      super.update(changed);
    } finally {
      this.#rendering = false;
    }
  }

  // ——— Events ———

  #onInput = (event: Event) => {
    const target = event.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    const field = target.dataset.field;
    if (!field) return; // events from the upload element's own controls
    const values = { ...this.values };
    if (target instanceof HTMLInputElement && target.type === 'checkbox') {
      const typeCode = target.dataset.type;
      const itemOf = target.dataset.itemOf;
      if (field === 'consent') values.consent = target.checked;
      else if (typeCode) values.problemTypes = toggle(values.problemTypes, typeCode, target.checked);
      else if (itemOf) values.items = { ...values.items, [itemOf]: toggle(values.items[itemOf] ?? [], target.value, target.checked) };
    } else if (field === 'industry') {
      values.industry = target.value;
    } else {
      values.text = { ...values.text, [field]: target.value };
    }
    this.values = values;
    this.#changed.add(field);
    this.#forgetServerError(field);
    if (field === 'reporter.phone' && this.#sms) this.#sms.error = undefined; // its error was about the number before
    if (field === 'description') this.#countPause.typed();
    this.#draftStore.changed();
  };

  /** A changed field shows its error once the citizen leaves it (a checkbox group: once focus leaves the group). */
  #onFocusOut = (event: FocusEvent) => {
    const target = event.target as HTMLElement;
    // Chromium also fires focusout when a render removes the focused field (a mode switch): that is not leaving it.
    if (this.#rendering) return;
    const field = target.dataset.field;
    // A half-typed date fires no input event (its value stays ''), yet it is a change the citizen made.
    if (field && target instanceof HTMLInputElement && target.validity.badInput) this.#changed.add(field);
    if (!field || !this.#changed.has(field)) return;
    if ((event.relatedTarget as HTMLElement | null)?.dataset?.field === field) return;
    if (!this.shown.has(field)) this.shown = new Set([...this.shown, field]);
    else this.requestUpdate(); // e.g. a date typed only halfway: its validity changed without an input event
  };

  #onSubmit = async (event: Event) => {
    event.preventDefault();
    this.#draftStore.save();
    if (this.uploadBusy) {
      // The files would be missing from the report: the draft names only finished uploads.
      this.#announce(this.t.form.uploadBusy);
      return;
    }
    if (this.#reporterMissing) {
      // The report would lack the citizen's name and number. Focus on the section's place reads out where it stands.
      return void (await focusRendered(this, '#reporter-status'));
    }
    this.attempted = true;
    // A server error still standing (its field unchanged since) wins at its field, so the summary says the same.
    const byField = new Map([...this.#clientErrors().map((e) => [e.field, e.message] as const), ...this.serverErrors]);
    this.summary = FIELD_ORDER.filter((f) => byField.has(f)).map((field) => ({ field, message: byField.get(field)! }));
    if (this.summary.length) return void (await focusRendered(this, '[data-error-summary]'));
    this.emit('aqjb-form-complete', {});
  };

  #onAttachments = (event: AqjbAttachmentsChangeEvent) => {
    this.attachments = storedAttachments(event);
    this.uploadBusy = event.detail.busy;
    this.#forgetServerError('attachmentIds');
    this.#draftStore.changed();
  };

  /** A server error stands until the citizen changes its field. */
  #forgetServerError(field: string): void {
    if (this.serverErrors.has(field)) this.serverErrors = new Map([...this.serverErrors].filter(([f]) => f !== field));
  }

  #requestSmsCode = async () => {
    const sent = await this.#sms?.request();
    if (sent) this.#announce(this.t.reporter.smsSent);
    else if (sent === false) {
      await this.updateComplete;
      this.#focusField('reporter.phone');
    }
  };

  // ——— Focus, announcements ———

  #focusField(field: string): void {
    focusFieldIn(this.renderRoot as ShadowRoot, field);
  }

  #announce(text: string): void {
    // Empty first, so the same sentence twice is spoken twice.
    this.announcement = '';
    void this.updateComplete.then(() => (this.announcement = text));
  }
}
