import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { LIMITS } from '../../sdk/schemas/report.js';
import type { AqjbClient } from '../../sdk/client.js';
import { renderErrorSummary, type FieldError } from '../internal/form-errors.js';
import type { Messages } from '../locales/localize.js';
import type { AqjbAttachmentsChangeEvent } from '../evidence-upload/evidence-upload.events.js';

/** Form paths of SupplementDraft, in field order; also the ids of the controls (error-summary links). */
export const SUPPLEMENT_FIELDS = ['text', 'attachmentIds'] as const;

export type SupplementAttachment = AqjbAttachmentsChangeEvent['detail']['attachments'][number];

export interface SupplementView {
  t: Messages['lookup'];
  request: string;
  text: string;
  /** Characters left (or over), once few are left; '' otherwise. */
  count: string;
  errors: readonly FieldError[];
  /** Show the error summary (after an attempt to send). */
  summary: boolean;
  /** A failed send: what is kept and what to do. */
  failure: string;
  sending: boolean;
  client: AqjbClient;
  /** The lookup's own `locale` and `text-size`, passed on to the upload (its `lang` lookup stops at the lookup). */
  locale: string;
  textSize: 'normal' | 'large';
  onText: (e: Event) => void;
  onTextBlur: () => void;
  onAttachments: (e: AqjbAttachmentsChangeEvent) => void;
  onSubmit: (e: Event) => void;
  focusField: (field: string) => void;
}

/**
 * 待补充材料: the authority's request in its own words, then a statement and evidence files, with the intake's
 * upload element and rules (resumable, metadata stripped, progress, cancel, retry).
 */
export function renderSupplement(v: SupplementView): TemplateResult {
  const { t } = v;
  const textError = v.errors.find((x) => x.field === 'text')?.message ?? '';
  const filesError = v.errors.find((x) => x.field === 'attachmentIds')?.message ?? '';
  const described = ['text-hint', v.count && 'text-count', textError && 'text-error'].filter(Boolean).join(' ');
  return html`<section class="block panel supplement" part="supplement" aria-labelledby="supplement-heading">
    <h3 id="supplement-heading">${t.supplementHeading}</h3>
    <p>${t.supplementRequest}</p>
    <p class="quote" data-request>${v.request}</p>
    ${v.summary ? renderErrorSummary(t.supplementErrorTitle, v.errors, v.focusField, 4) : nothing}
    ${v.failure
      ? html`<div class="alert" tabindex="-1" data-supplement-error><p role="alert">${v.failure}</p></div>`
      : nothing}
    <form novalidate @submit=${v.onSubmit}>
      <div class="field">
        <label for="text">${t.supplementTextLabel}</label>
        <p class="hint" id="text-hint">${t.supplementTextHint(LIMITS.supplementText)}</p>
        ${textError
          ? html`<p class="field-error" id="text-error"><span class="visually-hidden">${t.errorPrefix}</span>${textError}</p>`
          : nothing}
        <textarea
          id="text"
          rows="6"
          aria-describedby=${described}
          aria-invalid=${textError ? 'true' : 'false'}
          .value=${live(v.text)}
          @input=${v.onText}
          @blur=${v.onTextBlur}
        ></textarea>
        ${v.count ? html`<p class="hint count" id="text-count">${v.count}</p>` : nothing}
      </div>
      <fieldset class="field files" id="attachmentIds" tabindex="-1">
        <legend class="label">${t.evidenceLabel}</legend>
        ${filesError
          ? html`<p class="field-error" id="attachmentIds-error"><span class="visually-hidden">${t.errorPrefix}</span>${filesError}</p>`
          : nothing}
        <aqjb-evidence-upload
          part="evidence-upload"
          .client=${v.client}
          locale=${v.locale || nothing}
          text-size=${v.textSize}
          max=${LIMITS.attachments}
          ?disabled=${v.sending}
          @aqjb-attachments-change=${v.onAttachments}
        ></aqjb-evidence-upload>
      </fieldset>
      <button type="submit" part="supplement-button">${v.sending ? t.supplementSending : t.supplementSubmit}</button>
    </form>
  </section>`;
}
