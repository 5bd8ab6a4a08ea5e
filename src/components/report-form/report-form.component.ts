import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { ApiError, NetworkError, ValidationError } from '../../sdk/errors.js';
import { LIMITS, ReportDraft } from '../../sdk/schemas/report.js';
import type { FieldIssue } from '../../sdk/schemas/common.js';
import type { Dictionaries, ProblemType } from '../../sdk/schemas/dictionaries.js';
import { toFieldIssues } from '../../sdk/issues.js';
import { AqjbApiElement } from '../internal/client.js';
import { focusFieldIn, renderErrorSummary, toFieldErrors, type FieldError } from '../internal/form-errors.js';
import { systemClock, type Clock } from '../controllers/clock.js';
import { DraftStore, type DraftData, type StoredAttachment } from '../controllers/draft-store.js';
import { draftStorageFor, type DraftStorageKind } from '../controllers/draft-storage.js';
import { SmsCooldown } from '../controllers/sms-cooldown.js';
import { Load } from '../controllers/load.js';
import type { AqjbEvidenceUpload } from '../evidence-upload/evidence-upload.component.js';
import type { AqjbAttachmentsChangeEvent } from '../evidence-upload/evidence-upload.events.js';
import styles from './report-form.styles.js';
import { registerMessages } from '../locales/localize.js';
import zhForm from '../locales/zh-CN/form.js';
import '../locales/errors.js';

registerMessages('form', zhForm);

type Mode = 'anonymous' | 'real-name';

/** Dotted draft paths in the order the fields appear: ids of the controls, order of the error summary. */
const FIELD_ORDER = [
  'subject.name',
  'subject.address',
  'industry',
  'problemTypes',
  'description',
  'occurredAt',
  'attachmentIds',
  'reporter.name',
  'reporter.phone',
  'reporter.smsCode',
  'reporter.idNumber',
  'consent',
] as const;

/** Fields that identify the citizen: stored in a draft only when the integrator opted in. The code never is. */
const PERSONAL_FIELDS = ['reporter.name', 'reporter.phone', 'reporter.idNumber', 'consent'] as const;

type TextField = 'subject.name' | 'subject.address' | 'description' | 'occurredAt' | 'reporter.name' | 'reporter.phone' | 'reporter.smsCode' | 'reporter.idNumber';

interface Values {
  text: Record<TextField, string>;
  industry: string;
  problemTypes: string[];
  /** Ticked 七严禁 / 五不准 items by problem type. Kept when a type is unticked, so ticking it again restores them. */
  items: Record<string, string[]>;
  consent: boolean;
}

const emptyValues = (): Values => ({
  text: {
    'subject.name': '',
    'subject.address': '',
    description: '',
    occurredAt: '',
    'reporter.name': '',
    'reporter.phone': '',
    'reporter.smsCode': '',
    'reporter.idNumber': '',
  },
  industry: '',
  problemTypes: [],
  items: {},
  consent: false,
});

/** A character count is spoken only once typing pauses this long (GOV.UK character count). */
const COUNT_ANNOUNCE_DELAY_MS = 1000;

/** Beijing calendar date (YYYY-MM-DD): the day the server compares `occurredAt` with. */
const beijingDate = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(ms);

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
    for (const name of ['values', 'attachments', 'restoredAttachments', 'uploadBusy', 'restored', 'summary', 'serverErrors', 'shown', 'attempted', 'smsSending', 'smsStatus', 'announcement', 'generation']) this.createProperty(name, { state: true });
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
  private smsSending = false;
  /** What happened to the last code request, shown under the phone field (error) or the code field (sent). */
  private smsStatus: { kind: 'sent' | 'error'; text: string } | undefined = undefined;
  /** The one polite live region's text. */
  private announcement = '';
  /** Bumped by reset(): renders a fresh upload element. */
  private generation = 0;

  #changed = new Set<string>();
  #countTimer: unknown;

  /** Industries and problem types: the page's when it gives them, else the server's. */
  #dictionaries = new Load(this, async (given: Dictionaries | undefined, signal) => given ?? this.sdk.getDictionaries({ signal }));

  #draftStore = new DraftStore(this, {
    name: 'report',
    storage: () => draftStorageFor(this.draftStorage),
    clock: () => this.clock,
    personal: () => this.draftPersonal,
    personalFields: PERSONAL_FIELDS,
    read: () => this.#snapshot(),
    restore: (data) => this.#restore(data),
  });

  #cooldown = new SmsCooldown(this, () => this.clock);

  /** @internal The dictionaries on screen: given through `dictionaries`, or loaded by the form itself. */
  get dictionariesShown(): Dictionaries | undefined {
    return this.#dictionaries.value;
  }

  /** The report as entered, in the contract's shape (`ReportDraft`); reporter and consent only in real-name mode. */
  get draft(): ReportDraft {
    const { text, industry, problemTypes, items, consent } = this.values;
    const base = {
      ackToken: this.ackToken,
      regionCode: this.regionCode,
      subject: { name: text['subject.name'], address: text['subject.address'] },
      industry,
      problemTypes: problemTypes.map((code) => {
        const ticked = items[code] ?? [];
        return ticked.length ? { code, items: [...ticked] } : { code };
      }),
      description: text.description,
      ...(text.occurredAt ? { occurredAt: text.occurredAt } : {}),
      attachmentIds: this.attachments.map((a) => a.attachmentId),
    };
    if (this.mode !== 'real-name') return { mode: 'anonymous', ...base };
    const idNumber = text['reporter.idNumber'];
    return {
      mode: 'real-name',
      ...base,
      reporter: {
        name: text['reporter.name'],
        phone: text['reporter.phone'],
        smsCode: text['reporter.smsCode'],
        ...(idNumber ? { idNumber } : {}),
      },
      // The schema wants the literal `true`; `false` fails it with `consent.required`, as it should.
      consent: consent as true,
    };
  }

  /**
   * Puts a server `ValidationError`'s fields on the form's fields and in the error summary, and focuses the summary.
   * Returns the issues that belong to no field of this form (e.g. `regionCode`) for the caller to show.
   */
  showServerErrors(fields: readonly FieldIssue[]): FieldIssue[] {
    const own = fields.filter((f) => this.#fieldOf(f.path));
    const errors = toFieldErrors(own, FIELD_ORDER, this.t);
    this.serverErrors = new Map(errors.map((e) => [e.field, e.message]));
    this.summary = errors;
    void this.#focusSummary();
    return fields.filter((f) => !this.#fieldOf(f.path));
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
    this.smsStatus = undefined;
    this.announcement = '';
    this.generation++;
    this.#changed.clear();
    this.#cancelCountAnnouncement();
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
    this.#cancelCountAnnouncement();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A draft written under another setting must follow the new one (e.g. personal fields dropped).
    if ((changed.has('draftPersonal') || changed.has('draftStorage')) && this.hasUpdated) this.#draftStore.changed();
    this.#dictionaries.want(this.dictionaries);
  }

  // ——— Rendering ———

  protected override render(): TemplateResult {
    const t = this.t.form;
    return html`
      ${renderErrorSummary(t.errorSummaryTitle, this.summary, (field) => this.#focusField(field))}
      <form novalidate @submit=${this.#onSubmit} @input=${this.#onInput} @focusout=${this.#onFocusOut}>
        <p class="intro">${t.intro}</p>
        ${this.mode === 'real-name' ? nothing : html`<p class="anonymous-note">${t.anonymousNote}</p>`} ${this.#renderDraftNote()}
        <section part="section" aria-labelledby="subject-heading">
          <h3 id="subject-heading">${t.subjectHeading}</h3>
          ${this.#renderText('subject.name', t.subjectName, { hint: t.subjectNameHint, autocomplete: 'off' })}
          ${this.#renderText('subject.address', t.subjectAddress, { hint: t.subjectAddressHint, autocomplete: 'off' })}
        </section>
        <section part="section" aria-labelledby="problem-heading">
          <h3 id="problem-heading">${t.problemHeading}</h3>
          ${this.#dictionaries.phase === 'failed'
            ? html`<div class="load-failed">
                <p>${t.dictionariesFailed}</p>
                <button type="button" class="secondary" @click=${() => void this.#dictionaries.load(this.dictionaries)}>${t.dictionariesRetry}</button>
              </div>`
            : // Dictionaries handed in later by the intake must not pull the controls from under the citizen's focus.
              this.#dictionaries.value
              ? this.#renderChoices(this.#dictionaries.value)
              : this.#renderDictionariesLoading()}
          ${this.#renderDescription()}
          ${this.#renderText('occurredAt', t.occurredAt, { hint: t.occurredAtHint, type: 'date', optional: true, max: beijingDate(this.clock.now()) })}
        </section>
        <section part="section" aria-labelledby="evidence-heading">
          <h3 id="evidence-heading">${t.evidenceHeading}<span class="optional">${t.optional}</span></h3>
          <p class="hint" id="attachmentIds-hint">${t.evidenceHint}</p>
          ${this.#renderError('attachmentIds')} ${this.#renderUpload()}
        </section>
        ${this.mode === 'real-name' ? this.#renderReporter() : nothing}
        <div class="actions">
          <slot name="back"></slot>
          <button part="continue-button" type="submit" aria-disabled=${this.uploadBusy ? 'true' : 'false'} aria-describedby=${this.uploadBusy ? 'continue-note' : nothing}>
            ${t.continue}
          </button>
          ${this.uploadBusy ? html`<p id="continue-note" class="continue-note">${t.uploadBusy}</p>` : nothing}
        </div>
      </form>
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    `;
  }

  #renderDraftNote() {
    const t = this.t.form;
    const kept = this.draftStorage === 'local' ? t.draftLocal : this.draftStorage === 'session' ? t.draftSession : '';
    return html`${this.restored ? html`<p class="restored">${t.draftRestored}</p>` : nothing}
    ${kept ? html`<p class="hint">${kept}</p>` : nothing}`;
  }

  #renderChoices(d: Dictionaries) {
    return html`${this.#renderIndustry(d)} ${this.#renderProblemTypes(d)}`;
  }

  #renderDictionariesLoading() {
    return html`<p class="loading">${this.t.form.dictionariesLoading}</p>`;
  }

  /** One text-like control with its label, hint and error. */
  #renderText(
    field: TextField,
    label: string,
    opts: {
      hint?: string;
      type?: 'text' | 'tel' | 'date';
      optional?: boolean;
      autocomplete?: string;
      inputmode?: string;
      max?: string;
      after?: TemplateResult;
    } = {},
  ) {
    const t = this.t.form;
    const error = this.#errorFor(field);
    const hintId = opts.hint ? `${field}-hint` : '';
    return html`<div class="field">
      <label for=${field}>${label}${opts.optional ? html`<span class="optional">${t.optional}</span>` : nothing}</label>
      ${opts.hint ? html`<p class="hint" id=${hintId}>${opts.hint}</p>` : nothing} ${this.#renderError(field)}
      <div class=${opts.after ? 'with-button' : 'control'}>
        <input
          id=${field}
          name=${field}
          data-field=${field}
          type=${opts.type ?? 'text'}
          .value=${this.values.text[field]}
          autocomplete=${opts.autocomplete ?? nothing}
          inputmode=${opts.inputmode ?? nothing}
          max=${opts.max ?? nothing}
          spellcheck="false"
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${this.#describedBy(field, hintId) || nothing}
        />
        ${opts.after ?? nothing}
      </div>
    </div>`;
  }

  #renderError(field: string) {
    const error = this.#errorFor(field);
    if (!error) return nothing;
    return html`<p class="field-error" id="${field}-error"><span class="visually-hidden">${this.t.form.errorPrefix}</span>${error}</p>`;
  }

  #describedBy(field: string, ...ids: string[]): string {
    return [...ids, this.#errorFor(field) ? `${field}-error` : ''].filter(Boolean).join(' ');
  }

  #renderIndustry(d: Dictionaries) {
    const t = this.t.form;
    const field = 'industry';
    return html`<div class="field">
      <label for=${field}>${t.industry}</label>
      ${this.#renderError(field)}
      <select
        id=${field}
        name=${field}
        data-field=${field}
        aria-invalid=${this.#errorFor(field) ? 'true' : 'false'}
        aria-describedby=${this.#describedBy(field) || nothing}
      >
        <option value="" ?selected=${!this.values.industry}>${t.industryChoose}</option>
        ${d.industries.map((i) => html`<option value=${i.code} ?selected=${i.code === this.values.industry}>${i.name}</option>`)}
      </select>
    </div>`;
  }

  #renderProblemTypes(d: Dictionaries) {
    const t = this.t.form;
    const field = 'problemTypes';
    const invalid = this.#errorFor(field) ? 'true' : 'false';
    return html`<fieldset class="field group" aria-describedby=${this.#describedBy(field, 'problemTypes-hint')}>
      <legend>${t.problemTypes}</legend>
      <p class="hint" id="problemTypes-hint">${t.problemTypesHint(LIMITS.problemTypes)}</p>
      ${this.#renderError(field)}
      ${d.problemTypes.map((type, i) => {
        const id = i === 0 ? field : `problemTypes-${type.code}`;
        const ticked = this.values.problemTypes.includes(type.code);
        return html`<div class="choice">
            <input
              type="checkbox"
              id=${id}
              name=${field}
              value=${type.code}
              data-field=${field}
              data-type=${type.code}
              .checked=${ticked}
              aria-invalid=${invalid}
            />
            <label for=${id}>${type.name}</label>
          </div>
          ${ticked && type.items.length ? this.#renderItems(type) : nothing}`;
      })}
    </fieldset>`;
  }

  /** The 七严禁 / 五不准 items of a ticked type, with the type's hint. */
  #renderItems(type: ProblemType) {
    const chosen = this.values.items[type.code] ?? [];
    const hintId = `problemTypes-${type.code}-hint`;
    return html`<fieldset class="items" aria-describedby=${type.hint ? hintId : nothing}>
      <legend>${this.t.form.items(type.name)}</legend>
      ${type.hint ? html`<p class="hint" id=${hintId}>${type.hint}</p>` : nothing}
      ${type.items.map((item) => {
        const id = `problemTypes-${type.code}-${item.code}`;
        return html`<div class="choice">
          <input
            type="checkbox"
            id=${id}
            value=${item.code}
            data-field="problemTypes"
            data-item-of=${type.code}
            .checked=${chosen.includes(item.code)}
          />
          <label for=${id}>${item.name}</label>
        </div>`;
      })}
    </fieldset>`;
  }

  #renderDescription() {
    const t = this.t.form;
    const field = 'description';
    const error = this.#errorFor(field);
    const count = this.#countText();
    const over = this.values.text.description.trim().length > LIMITS.descriptionMax;
    return html`<div class="field">
      <label for=${field}>${t.description}</label>
      <p class="hint" id="description-hint">${t.descriptionHint(LIMITS.descriptionMin, LIMITS.descriptionMax)}</p>
      ${this.#renderError(field)}
      <textarea
        id=${field}
        name=${field}
        data-field=${field}
        rows="6"
        .value=${this.values.text.description}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${this.#describedBy(field, 'description-hint')}
      ></textarea>
      <!-- Silent for screen readers: they hear the count in the live region once typing pauses. -->
      <p class="count ${over ? 'over' : ''}" id="description-count" aria-hidden="true">${count}</p>
    </div>`;
  }

  /** Counts what the schema counts: the trimmed text's length. */
  #countText(): string {
    const t = this.t.form;
    const length = this.values.text.description.trim().length;
    if (length < LIMITS.descriptionMin) return t.countUnder(length, LIMITS.descriptionMin);
    if (length <= LIMITS.descriptionMax) return t.countLeft(LIMITS.descriptionMax - length);
    return t.countOver(length - LIMITS.descriptionMax);
  }

  #renderUpload() {
    return keyed(
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
    );
  }

  #renderReporter() {
    const t = this.t.form;
    return html`<section part="section" aria-labelledby="reporter-heading">
      <h3 id="reporter-heading">${t.reporterHeading}</h3>
      <p class="hint">${t.reporterIntro}</p>
      ${this.#renderText('reporter.name', t.reporterName, { autocomplete: 'name' })}
      ${this.#renderText('reporter.phone', t.reporterPhone, {
        hint: t.reporterPhoneHint,
        type: 'tel',
        autocomplete: 'tel',
        inputmode: 'tel',
        after: this.#renderSmsButton(),
      })}
      ${this.#renderText('reporter.smsCode', t.smsCode, {
        hint: this.smsStatus?.kind === 'sent' ? this.smsStatus.text : t.smsCodeHint,
        inputmode: 'numeric',
        autocomplete: 'one-time-code',
      })}
      ${this.#renderText('reporter.idNumber', t.idNumber, { hint: t.idNumberHint, optional: true, autocomplete: 'off' })}
      ${this.#renderConsent()}
    </section>`;
  }

  #renderSmsButton() {
    const t = this.t.form;
    const seconds = this.#cooldown.remainingSeconds;
    const label = this.smsSending
      ? t.smsSending
      : seconds > 120
        ? t.smsWaitMinutes(Math.ceil(seconds / 60))
        : seconds > 0
          ? t.smsWaitSeconds(seconds)
          : t.smsSend;
    // Focusable while waiting (aria-disabled, not disabled), so keyboard and screen-reader users can find it.
    return html`<button
      part="sms-button"
      type="button"
      class="secondary sms"
      aria-disabled=${this.smsSending || seconds > 0 ? 'true' : 'false'}
      @click=${this.#requestSmsCode}
    >
      ${label}
    </button>`;
  }

  #renderConsent() {
    const field = 'consent';
    const error = this.#errorFor(field);
    return html`<div class="field">
      ${this.#renderError(field)}
      <div class="choice consent">
        <input
          type="checkbox"
          id=${field}
          name=${field}
          data-field=${field}
          .checked=${this.values.consent}
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${this.#describedBy(field) || nothing}
        />
        <label for=${field}>${this.t.form.consent}</label>
      </div>
    </div>`;
  }

  // ——— Validation ———

  /** The form's own problems, by the contract's schema, first per field in field order, in the element's language. */
  #clientErrors(): FieldError[] {
    const result = ReportDraft.safeParse(this.draft);
    const issues = result.success ? [] : toFieldIssues(result.error.issues, { anonymous: this.mode === 'anonymous' });
    const date = this.#dateIssue();
    if (date) issues.unshift(date);
    // ackToken and regionCode belong to other steps.
    const own = issues.filter((i) => this.#fieldOf(i.path));
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
    if (field === 'reporter.phone' && this.smsStatus?.kind === 'error') return this.smsStatus.text;
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

  #fieldOf(path: string): string | undefined {
    return FIELD_ORDER.find((f) => path === f || path.startsWith(`${f}.`));
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
    if (this.serverErrors.has(field)) this.serverErrors = new Map([...this.serverErrors].filter(([f]) => f !== field));
    if (field === 'reporter.phone' && this.smsStatus?.kind === 'error') this.smsStatus = undefined;
    if (field === 'description') this.#announceCountLater();
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
    this.attempted = true;
    // A server error still standing (its field unchanged since) wins at its field, so the summary says the same.
    const byField = new Map([...this.#clientErrors().map((e) => [e.field, e.message] as const), ...this.serverErrors]);
    this.summary = FIELD_ORDER.filter((f) => byField.has(f)).map((field) => ({ field, message: byField.get(field)! }));
    if (this.summary.length) return void (await this.#focusSummary());
    this.emit('aqjb-form-complete', {});
  };

  #onAttachments = (event: AqjbAttachmentsChangeEvent) => {
    // The event carries no file names (the host page sees it); the element's `value` has them for the draft.
    const names = new Map((event.currentTarget as AqjbEvidenceUpload).value.map((f) => [f.attachmentId, f.name]));
    this.attachments = event.detail.attachments.map(({ attachmentId, size, mime }) => ({
      attachmentId,
      size,
      mime,
      name: names.get(attachmentId) ?? '',
    }));
    this.uploadBusy = event.detail.busy;
    if (this.serverErrors.has('attachmentIds')) this.serverErrors = new Map([...this.serverErrors].filter(([f]) => f !== 'attachmentIds'));
    this.#draftStore.changed();
  };

  #requestSmsCode = async () => {
    if (this.smsSending || this.#cooldown.active) return;
    const t = this.t.form;
    this.smsSending = true;
    this.smsStatus = undefined;
    try {
      // The notice token goes along: only a reader of the notice gets a code, and the code answers only to it.
      const { cooldownSeconds } = await this.sdk.sendSmsCode({ phone: this.values.text['reporter.phone'], ackToken: this.ackToken });
      this.#cooldown.start(cooldownSeconds * 1000);
      this.smsStatus = { kind: 'sent', text: t.smsSent };
      this.#announce(t.smsSent);
    } catch (error) {
      this.smsStatus = { kind: 'error', text: this.#smsErrorText(error) };
      if (error instanceof ApiError && error.retryAfterMs) this.#cooldown.start(error.retryAfterMs);
      await this.updateComplete;
      this.#focusField('reporter.phone');
    } finally {
      this.smsSending = false;
    }
  };

  #smsErrorText(error: unknown): string {
    const t = this.t.form;
    if (error instanceof ValidationError && error.fields.some((f) => f.path === 'phone')) {
      // Checked by the SDK before sending: the phone is not a mainland mobile number.
      return this.t.errors['reporter.phone.invalid'];
    }
    // The only other field is the notice token: none yet, or the server no longer takes it.
    if (error instanceof ValidationError || (error instanceof ApiError && error.code === 'NOTICE_ACK_INVALID')) return t.smsNoticeExpired;
    if (error instanceof NetworkError) return t.smsNetwork;
    if (error instanceof ApiError && error.code === 'RATE_LIMITED') return t.smsTooSoon;
    if (error instanceof ApiError && error.code === 'UNAVAILABLE') return t.smsUnavailable;
    return t.smsFailed;
  }

  // ——— Focus, announcements ———

  async #focusSummary(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-error-summary]')?.focus();
  }

  #focusField(field: string): void {
    focusFieldIn(this.renderRoot as ShadowRoot, field);
  }

  #announce(text: string): void {
    // Empty first, so the same sentence twice is spoken twice.
    this.announcement = '';
    void this.updateComplete.then(() => (this.announcement = text));
  }

  #announceCountLater(): void {
    this.#cancelCountAnnouncement();
    this.#countTimer = this.clock.setTimeout(() => {
      this.#countTimer = undefined;
      this.announcement = this.#countText();
    }, COUNT_ANNOUNCE_DELAY_MS);
  }

  #cancelCountAnnouncement(): void {
    if (this.#countTimer !== undefined) this.clock.clearTimeout(this.#countTimer);
    this.#countTimer = undefined;
  }

  // ——— Draft ———

  #snapshot(): DraftData {
    const { text, industry, problemTypes, items, consent } = this.values;
    const fields: DraftData['fields'] = { industry, problemTypes };
    for (const [path, value] of Object.entries(text)) if (path !== 'reporter.smsCode') fields[path] = value;
    for (const [code, chosen] of Object.entries(items)) if (chosen.length) fields[`items.${code}`] = chosen;
    if (this.mode === 'real-name') fields.consent = consent;
    else for (const path of PERSONAL_FIELDS) delete fields[path];
    return { fields, attachments: this.attachments };
  }

  #restore({ fields, attachments }: DraftData): void {
    const values = emptyValues();
    for (const [path, value] of Object.entries(fields)) {
      if (path === 'industry' && typeof value === 'string') values.industry = value;
      else if (path === 'problemTypes' && Array.isArray(value)) values.problemTypes = value;
      else if (path === 'consent' && typeof value === 'boolean') values.consent = value;
      else if (path.startsWith('items.') && Array.isArray(value)) values.items[path.slice('items.'.length)] = value;
      else if (path in values.text && path !== 'reporter.smsCode' && typeof value === 'string') values.text[path as TextField] = value;
    }
    this.values = values;
    this.attachments = attachments;
    this.restoredAttachments = attachments;
    this.restored = true;
  }
}

const toggle = (list: readonly string[], value: string, on: boolean) =>
  on ? (list.includes(value) ? [...list] : [...list, value]) : list.filter((v) => v !== value);
