import { html, type TemplateResult } from 'lit';
import type { NotAcceptedReason, ProgressEvent } from '../../sdk/index.js';
import type { Locale, Messages } from '../locales/localize.js';
import { formatDate, formatEventTime } from '../locales/format.js';

/** The short reason shown in the timeline; the status block says it in full. */
export function reasonSummary(reason: NotAcceptedReason, t: Messages['lookup']): string {
  switch (reason.kind) {
    case 'needs-correction':
      return t.eventDetail.needsCorrection(reason.missing);
    case 'duplicate':
      return t.eventDetail.duplicate;
    case 'out-of-scope':
      return t.eventDetail.outOfScope(reason.department);
  }
}

function detail(event: ProgressEvent, t: Messages['lookup'], locale: Locale): string {
  switch (event.type) {
    case 'submitted':
      return t.channel[event.channel];
    case 'not-accepted':
      return reasonSummary(event.reason, t);
    case 'transferred':
      return t.eventDetail.transferred(event.toOrg);
    case 'extension-requested':
      return t.eventDetail.extensionRequested(event.days);
    case 'extension-approved':
      return t.eventDetail.extensionApproved(event.days, formatDate(locale, event.verifyBy));
    case 'supplement-requested':
      return event.request;
    case 'supplement-received':
      return t.eventDetail.supplementReceived(event.attachmentCount);
    case 'closed':
      return event.outcome;
    case 'accepted':
    case 'verifying':
      return '';
  }
}

/**
 * 办理记录: newest first, as a list a screen reader counts and walks; each entry says when, what, and which
 * authority acted. The API sends the events oldest first.
 */
export function renderTimeline(events: readonly ProgressEvent[], t: Messages['lookup'], locale: Locale): TemplateResult {
  const newestFirst = [...events].reverse();
  return html`<section class="block" aria-labelledby="timeline-heading">
    <h3 id="timeline-heading">${t.timelineHeading}</h3>
    <p class="hint" id="timeline-order">${t.timelineOrder}</p>
    <ol class="timeline" part="timeline" role="list" aria-labelledby="timeline-heading" aria-describedby="timeline-order">
      ${newestFirst.map((event) => {
        const text = detail(event, t, locale);
        return html`<li class="event" data-type=${event.type}>
          <p class="event-time"><time datetime=${event.at}>${formatEventTime(locale, event.at)}</time></p>
          <p class="event-title">${t.event[event.type]}</p>
          ${text ? html`<p class="event-detail">${text}</p>` : ''}
          <p class="event-org">${t.eventOrg(event.org)}</p>
        </li>`;
      })}
    </ol>
  </section>`;
}
