/**
 * The report form's 「证据材料」 section: the embedded `<aqjb-evidence-upload>` with the form's client, language and
 * text size, and the finished uploads as the draft keeps them (with their names, which the event leaves out).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { LIMITS } from '../../sdk/schemas/report.js';
import type { AqjbClient } from '../../sdk/client.js';
import type { StoredAttachment } from '../controllers/draft-store.js';
import type { AqjbEvidenceUpload } from '../evidence-upload/evidence-upload.component.js';
import type { AqjbAttachmentsChangeEvent } from '../evidence-upload/evidence-upload.events.js';
import { errorOf, type FormView } from './fields.js';

export function renderEvidence(
  v: FormView,
  o: {
    /** Bumped by the form's reset(): a fresh upload element. */
    generation: number;
    client: AqjbClient | undefined;
    apiBase: string;
    locale: string;
    textSize: string;
    restored: StoredAttachment[];
    onChange: (event: AqjbAttachmentsChangeEvent) => void;
  },
): TemplateResult {
  const t = v.t.form;
  return html`<section part="section" aria-labelledby="evidence-heading">
    <h3 id="evidence-heading">${t.evidenceHeading}<span class="optional">${t.optional}</span></h3>
    <p class="hint" id="attachmentIds-hint">${t.evidenceHint}</p>
    ${errorOf(v, 'attachmentIds')}
    ${keyed(
      o.generation,
      html`<aqjb-evidence-upload
        id="attachmentIds"
        part="evidence"
        aria-describedby="attachmentIds-hint"
        .client=${o.client}
        api-base=${o.apiBase || nothing}
        locale=${o.locale || nothing}
        text-size=${o.textSize}
        .max=${LIMITS.attachments}
        .restored=${o.restored}
        @aqjb-attachments-change=${o.onChange}
      ></aqjb-evidence-upload>`,
    )}
  </section>`;
}

/** The finished uploads of a change event, with the names the upload element's `value` has (the event carries none: the host page sees it). */
export function storedAttachments(event: AqjbAttachmentsChangeEvent): StoredAttachment[] {
  const names = new Map((event.currentTarget as AqjbEvidenceUpload).value.map((f) => [f.attachmentId, f.name]));
  return event.detail.attachments.map(({ attachmentId, size, mime }) => ({ attachmentId, size, mime, name: names.get(attachmentId) ?? '' }));
}
