import { html, nothing } from 'lit';
import type { Dictionaries } from '../../sdk/schemas/dictionaries.js';
import type { ReportDraft } from '../../sdk/schemas/report.js';
import type { Messages } from '../locales/localize.js';
import type { IntakeDraft } from './intake-draft.js';
import type { IntakeStep } from './intake.events.js';

interface ReviewInput {
  t: Messages;
  draft: ReportDraft;
  region: IntakeDraft['region'];
  dictionaries: Dictionaries | undefined;
  /** Back to a step; `field` is the id of the control to focus there. */
  change: (step: IntakeStep, field?: string) => void;
}

/**
 * Check your answers: everything on one page, each answer with a 「修改」 that names it in hidden text and returns
 * to its field.
 */
export function renderReview({ t, draft, region, dictionaries, change }: ReviewInput) {
  const r = t.review;
  const industry = dictionaries?.industries.find((i) => i.code === draft.industry)?.name ?? draft.industry;
  const problems = draft.problemTypes.map((choice) => {
    const type = dictionaries?.problemTypes.find((p) => p.code === choice.code);
    const items = (choice.items ?? []).map((code) => type?.items.find((i) => i.code === code)?.name ?? code);
    return { name: type?.name ?? choice.code, items };
  });
  const row = (label: string, value: unknown, step: IntakeStep, field?: string) => html`<div class="review-row">
    <dt>${label}</dt>
    <dd>${value}</dd>
    <dd class="review-change">
      <button type="button" class="link" @click=${() => change(step, field)}>
        ${t.common.change}<span class="visually-hidden">${label}</span>
      </button>
    </dd>
  </div>`;
  const realName = draft.mode === 'real-name' ? draft : undefined;
  return html`<p class="hint">${r.hint}</p>
    <dl part="review" class="review">
      ${row(r.mode, draft.mode === 'anonymous' ? t.mode.anonymous : t.mode.realName, 'mode')}
      ${row(r.region, region?.path.map((p) => p.name).join(' › ') ?? draft.regionCode, 'region')}
      ${row(r.subjectName, draft.subject.name, 'form', 'subject.name')}
      ${row(r.subjectAddress, draft.subject.address, 'form', 'subject.address')}
      ${row(r.industry, industry, 'form', 'industry')}
      ${row(
        r.problemTypes,
        html`<ul class="plain">
          ${problems.map((p) => html`<li>${p.name}${p.items.length ? html`<ul>${p.items.map((i) => html`<li>${i}</li>`)}</ul>` : nothing}</li>`)}
        </ul>`,
        'form',
        'problemTypes',
      )}
      ${row(r.description, html`<span class="pre">${draft.description}</span>`, 'form', 'description')}
      ${row(r.occurredAt, draft.occurredAt || r.notGiven, 'form', 'occurredAt')}
      ${row(r.attachments, r.attachmentCount(draft.attachmentIds?.length ?? 0), 'form', 'evidence')}
      ${realName
        ? html`${row(r.reporterName, realName.reporter.name, 'form', 'reporter.name')}
          ${row(r.reporterPhone, realName.reporter.phone, 'form', 'reporter.phone')}
          ${row(r.reporterId, realName.reporter.idNumber || r.notGiven, 'form', 'reporter.idNumber')}`
        : nothing}
    </dl>`;
}
