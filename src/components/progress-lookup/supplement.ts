/**
 * The supplement form's template (待补充材料): the authority's request in its own words, then a statement and
 * evidence files, with the intake's upload element and rules (resumable, metadata stripped, progress, cancel,
 * retry). Its state and sending are the SupplementForm controller's (supplement-form.ts).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { LIMITS } from '../../sdk/schemas/report.js';
import type { AqjbClient } from '../../sdk/client.js';
import { renderErrorSummary } from '../internal/form-errors.js';
import { describedBy, fieldError, labelledField } from '../internal/form-fields.js';
import type { Messages } from '../locales/localize.js';
import type { SupplementForm } from './supplement-form.js';

export interface SupplementView {
  t: Messages['lookup'];
  /** The authority's request, in its words. */
  request: string;
  client: AqjbClient;
  /** The lookup's own `locale` and `text-size`, passed on to the upload (its `lang` lookup stops at the lookup). */
  locale: string;
  textSize: 'normal' | 'large';
  onSubmit: (e: Event) => void;
  focusField: (field: string) => void;
}

export function renderSupplement(form: SupplementForm, v: SupplementView): TemplateResult {
  const { t } = v;
  const errors = form.errors;
  const count = form.count;
  const textError = errors.find((x) => x.field === 'text')?.message ?? '';
  const filesError = errors.find((x) => x.field === 'attachmentIds')?.message ?? '';
  return html`<section class="block panel supplement" part="supplement" aria-labelledby="supplement-heading">
    <h3 id="supplement-heading">${t.supplementHeading}</h3>
    <p>${t.supplementRequest}</p>
    <p class="quote" data-request>${v.request}</p>
    ${form.attempted ? renderErrorSummary(t.supplementErrorTitle, errors, v.focusField, 4) : nothing}
    ${form.failure
      ? html`<div class="alert" tabindex="-1" data-supplement-error><p role="alert">${form.failure}</p></div>`
      : nothing}
    <form novalidate @submit=${v.onSubmit}>
      ${labelledField(
        'text',
        t.supplementTextLabel,
        t.supplementTextHint(LIMITS.supplementText),
        textError,
        t.errorPrefix,
        html`<textarea
            id="text"
            rows="6"
            aria-describedby=${describedBy('text-hint', count && 'text-count', textError && 'text-error')}
            aria-invalid=${textError ? 'true' : 'false'}
            .value=${live(form.text)}
            @input=${form.onText}
            @blur=${form.onTextBlur}
          ></textarea>
          ${count ? html`<p class="hint count" id="text-count">${count}</p>` : nothing}`,
      )}
      <fieldset class="field files" id="attachmentIds" tabindex="-1">
        <legend class="label">${t.evidenceLabel}</legend>
        ${fieldError('attachmentIds', filesError, t.errorPrefix)}
        <aqjb-evidence-upload
          part="evidence-upload"
          .client=${v.client}
          locale=${v.locale || nothing}
          text-size=${v.textSize}
          max=${LIMITS.attachments}
          ?disabled=${form.sending}
          @aqjb-attachments-change=${form.onAttachments}
        ></aqjb-evidence-upload>
      </fieldset>
      <button type="submit" part="supplement-button">${form.sending ? t.supplementSending : t.supplementSubmit}</button>
    </form>
  </section>`;
}
