import { html, nothing, type TemplateResult } from 'lit';
import type { Progress, ProgressEvent, ReportStatus } from '../../sdk/index.js';
import type { Messages } from '../locales/localize.js';

/** How a status reads at a glance (the words carry the meaning; colour only repeats it). */
export const toneOf = (status: ReportStatus): 'progress' | 'action' | 'done' | 'stopped' =>
  status === 'supplement-requested' ? 'action' : status === 'closed' ? 'done' : status === 'not-accepted' ? 'stopped' : 'progress';

const lastOf = <T extends ProgressEvent['type']>(events: readonly ProgressEvent[], type: T) =>
  [...events].reverse().find((e): e is Extract<ProgressEvent, { type: T }> => e.type === type);

/** 当前状态 in plain words, what it means for the citizen and what happens next, and who handles it now. */
export function renderStatus(progress: Progress, t: Messages['lookup']): TemplateResult {
  return html`<div class="status" part="status" data-tone=${toneOf(progress.status)} data-status=${progress.status}>
    <h3 class="status-title" id="status-heading">
      <span class="status-label">${t.statusLabel}</span>
      <span class="status-value" data-status-value>${t.status[progress.status]}</span>
    </h3>
    <p class="status-text">${t.statusText[progress.status]}</p>
    <p class="handled-by"><span class="status-label">${t.handledBy}</span> ${progress.handledBy.orgName}</p>
  </div>`;
}

/** 不予受理: the reason in full, and what the citizen may do about it. */
export function renderReason(progress: Progress, t: Messages['lookup']): TemplateResult | typeof nothing {
  if (progress.status !== 'not-accepted') return nothing;
  const event = lastOf(progress.events, 'not-accepted');
  if (!event) return nothing;
  const { reason } = event;
  const body =
    reason.kind === 'needs-correction'
      ? html`<p>${t.reason.needsCorrection}</p>
          <p class="quote" data-missing>${reason.missing}</p>
          <p>${t.reason.needsCorrectionNext}</p>`
      : reason.kind === 'duplicate'
        ? html`<p>${t.reason.duplicate}</p>
            <p>${t.reason.duplicateNext}</p>`
        : html`<p>${t.reason.outOfScope(reason.department)}</p>
            <p>${t.reason.outOfScopeNext}</p>`;
  return html`<section class="block panel" part="reason" aria-labelledby="reason-heading" data-reason=${reason.kind}>
    <h3 id="reason-heading">${t.reasonHeading}</h3>
    ${body}
  </section>`;
}

/** 已办结: the verification result in the authority's words, whether it was substantiated, and any reward. */
export function renderOutcome(progress: Progress, t: Messages['lookup']): TemplateResult | typeof nothing {
  if (progress.status !== 'closed') return nothing;
  const event = lastOf(progress.events, 'closed');
  if (!event) return nothing;
  return html`<section class="block panel" part="outcome" aria-labelledby="outcome-heading">
    <h3 id="outcome-heading">${t.outcomeHeading}</h3>
    <p data-substantiated=${String(event.substantiated)}>${event.substantiated ? t.substantiated : t.unsubstantiated}</p>
    <p class="quote">${event.outcome}</p>
    ${event.reward ? html`<p class="reward">${t.reward(event.reward)}</p>` : nothing}
  </section>`;
}

/** What the authority asks for while a supplement is requested. */
export const supplementRequestOf = (progress: Progress): string | undefined =>
  progress.supplementRequest ?? lastOf(progress.events, 'supplement-requested')?.request;
