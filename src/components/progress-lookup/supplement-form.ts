import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { SupplementDraft, LIMITS } from '../../sdk/schemas/report.js';
import { isAqjbError } from '../../sdk/errors.js';
import { toFieldIssues } from '../../sdk/issues.js';
import type { Clock } from '../controllers/clock.js';
import { TypingPause } from '../controllers/typing-pause.js';
import { toFieldErrors, type FieldError } from '../internal/form-errors.js';
import { Latest } from '../internal/latest.js';
import type { Messages } from '../locales/localize.js';
import type { AqjbAttachmentsChangeEvent } from '../evidence-upload/evidence-upload.events.js';
import { codeOf, failureOf, waitText } from './failure.js';

/** Form paths of SupplementDraft, in field order; also the ids of the controls (error-summary links). */
export const SUPPLEMENT_FIELDS = ['text', 'attachmentIds'] as const;

/** The count shows, and speaks, once this few characters are left. */
const COUNT_THRESHOLD = 200;

export type SupplementAttachment = AqjbAttachmentsChangeEvent['detail']['attachments'][number];

/**
 * What a send came to, for the lookup to move focus and reload: `invalid` (the summary lists the server's
 * problems), `sent`, `not-requested` (the authority no longer asks), `failed` (`failure` says what is kept and what
 * to do), or `aborted` (another lookup or removal).
 */
export type SupplementOutcome = 'invalid' | 'sent' | 'not-requested' | 'failed' | 'aborted';

/**
 * The supplement form of the progress lookup (待补充材料): the statement and the evidence files, what the schema
 * (SupplementDraft) and the server say of them and when, the character count spoken once typing pauses, and the
 * send, one at a time. DOM-free: the lookup renders it (supplement.ts) and moves focus by the outcome.
 */
export class SupplementForm implements ReactiveController {
  text = '';
  attachments: SupplementAttachment[] = [];
  uploadsBusy = false;
  sending = false;
  /** A failed send: what is kept and what to do. */
  failure = '';
  /** Show the error summary (after an attempt to send). */
  attempted = false;
  #touched = false;
  #serverErrors: FieldError[] = [];
  #request = new Latest();
  #host: ReactiveControllerHost;
  #t: () => Messages;
  #pause: TypingPause;

  constructor(host: ReactiveControllerHost, options: { clock: () => Clock; t: () => Messages; announce: (text: string) => void }) {
    this.#host = host;
    this.#t = options.t;
    this.#pause = new TypingPause(host, options.clock, () => {
      const count = this.count;
      if (count) options.announce(count);
    });
    host.addController(this);
  }

  hostDisconnected(): void {
    this.abort();
    this.reset();
  }

  /** Stops a send under way; its answer is then ignored. */
  abort(): void {
    this.#request.abort();
  }

  /** Empty again: another report, a sent supplement, or removal. */
  reset(): void {
    this.text = '';
    this.#touched = false;
    this.attempted = false;
    this.attachments = [];
    this.uploadsBusy = false;
    this.sending = false;
    this.failure = '';
    this.#serverErrors = [];
    this.#host.requestUpdate();
  }

  get #draft(): SupplementDraft {
    return { text: this.text, attachmentIds: this.attachments.map((a) => a.attachmentId) };
  }

  /** The schema decides (SupplementDraft); first problem per field, in field order; the server's until its field changes. */
  get errors(): FieldError[] {
    if (!this.attempted && !this.#touched) return [];
    const t = this.#t();
    const parsed = SupplementDraft.safeParse(this.#draft);
    let errors = parsed.success ? [] : toFieldErrors(toFieldIssues(parsed.error.issues), SUPPLEMENT_FIELDS, t);
    if (!this.attempted) return errors.filter((x) => x.field === 'text');
    if (this.uploadsBusy && !errors.some((x) => x.field === 'attachmentIds')) {
      errors = [...errors, { field: 'attachmentIds', message: t.lookup.uploadsBusy }];
    }
    const server = this.#serverErrors.filter((s) => !errors.some((x) => x.field === s.field));
    return [...errors, ...server];
  }

  /** Characters left (or over), once few are left; '' otherwise. Counts what the schema counts: the trimmed text. */
  get count(): string {
    const t = this.#t().lookup;
    const left = LIMITS.supplementText - this.text.trim().length;
    if (left > COUNT_THRESHOLD) return '';
    return left >= 0 ? t.charactersLeft(left) : t.charactersOver(-left);
  }

  onText = (e: Event): void => {
    this.text = (e.target as HTMLTextAreaElement).value;
    this.#forgetServerError('text');
    this.#pause.typed();
  };

  onTextBlur = (): void => {
    if (this.text) this.#touched = true;
    this.#host.requestUpdate();
  };

  onAttachments = (e: AqjbAttachmentsChangeEvent): void => {
    this.attachments = e.detail.attachments;
    this.uploadsBusy = e.detail.busy;
    this.#forgetServerError('attachmentIds');
  };

  #forgetServerError(field: string): void {
    this.#serverErrors = this.#serverErrors.filter((x) => x.field !== field);
    this.#host.requestUpdate();
  }

  /**
   * An attempt to send: the summary shows from now on, earlier answers are forgotten. True when the schema and the
   * uploads let the draft go. Synchronous, so the lookup focuses the summary in the render this attempt causes.
   */
  check(): boolean {
    this.attempted = true;
    this.#serverErrors = [];
    this.failure = '';
    this.#host.requestUpdate();
    return !this.errors.length;
  }

  /** Sends the checked draft through `add` (the SDK call, bound to the report and its key). */
  async send(add: (draft: SupplementDraft, signal: AbortSignal) => Promise<unknown>): Promise<SupplementOutcome> {
    const t = this.#t();
    const signal = this.#request.next();
    this.sending = true;
    try {
      await add(this.#draft, signal);
      this.reset();
      return 'sent';
    } catch (error) {
      const code = codeOf(error);
      if (code === 'ABORTED') return 'aborted';
      if (code === 'VALIDATION_FAILED' && isAqjbError(error) && 'fields' in error) {
        this.#serverErrors = toFieldErrors(error.fields as never, SUPPLEMENT_FIELDS, t);
        return 'invalid';
      }
      if (code === 'SUPPLEMENT_NOT_REQUESTED') {
        this.reset();
        return 'not-requested';
      }
      const failure = failureOf(error);
      this.failure =
        failure.kind === 'network'
          ? t.lookup.supplementNetwork
          : failure.kind === 'rate-limited'
            ? t.lookup.rateLimited(waitText(failure.waitMs, t.lookup))
            : t.lookup.supplementFailed;
      return 'failed';
    } finally {
      // An abort came from a reset (another lookup, removal), which has cleared `sending` itself.
      if (!signal.aborted) this.sending = false;
      this.#host.requestUpdate();
    }
  }
}
