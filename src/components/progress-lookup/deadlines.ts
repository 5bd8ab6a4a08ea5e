import { html, nothing, type TemplateResult } from 'lit';
import type { Deadline } from '../../sdk/index.js';
import type { Locale, Messages } from '../locales/localize.js';
import { formatDate } from '../locales/format.js';
import { withHotline } from '../internal/hotline.js';

export type DeadlineState =
  | { kind: 'met'; at: string }
  | { kind: 'left'; days: number }
  | { kind: 'today' }
  /** The due date has passed but no working day since (e.g. due Friday, today Saturday). */
  | { kind: 'past' }
  | { kind: 'overdue'; days: number };

/** The Asia/Shanghai calendar date of an instant: deadlines are Beijing dates (UTC+8, no DST). */
export { beijingDate as beijingToday } from '../../sdk/beijing-date.js';

/**
 * Where a deadline stands. The server counts working days with the official holiday calendar; this only reads
 * its answer. `workingDaysLeft` 0 means "due today" unless the date is already behind us, which only today's date
 * can tell (YYYY-MM-DD strings compare in calendar order).
 */
export function deadlineState(deadline: Deadline, today: string): DeadlineState {
  if (deadline.metAt) return { kind: 'met', at: deadline.metAt };
  const left = deadline.workingDaysLeft ?? 0;
  if (left > 0) return { kind: 'left', days: left };
  if (left < 0) return { kind: 'overdue', days: -left };
  return today > deadline.due ? { kind: 'past' } : { kind: 'today' };
}

function stateText(deadline: Deadline, state: DeadlineState, t: Messages['lookup'], locale: Locale): string {
  switch (state.kind) {
    case 'met':
      return deadline.kind === 'acceptance' ? t.metAcceptance(formatDate(locale, state.at)) : t.metVerification(formatDate(locale, state.at));
    case 'left':
      return t.daysLeft(state.days);
    case 'today':
      return t.dueToday;
    case 'past':
      return t.pastDue;
    case 'overdue':
      return t.overdue(state.days);
  }
}

/** 办理期限: each deadline as a date and as working days left, met, due today or overdue (calmly). */
export function renderDeadlines(deadlines: readonly Deadline[], t: Messages['lookup'], locale: Locale, today: string): TemplateResult {
  const states = deadlines.map((d) => deadlineState(d, today));
  const estimated = deadlines.some((d, i) => d.estimated && states[i]?.kind !== 'met');
  const late = states.some((s) => s.kind === 'overdue' || s.kind === 'past');
  return html`<section class="block" aria-labelledby="deadlines-heading">
    <h3 id="deadlines-heading">${t.deadlinesHeading}</h3>
    <dl class="deadlines" part="deadlines">
      ${deadlines.map((d, i) => {
        const state = states[i]!;
        return html`<div class="deadline" data-kind=${d.kind} data-state=${state.kind}>
          <dt>${t.deadline[d.kind]}</dt>
          <dd class="deadline-date">
            ${t.deadlineDue(formatDate(locale, d.due))}${d.estimated ? html`<span class="estimated">${t.estimated}</span>` : nothing}
          </dd>
          <dd class="deadline-left">${stateText(d, state, t, locale)}</dd>
        </div>`;
      })}
    </dl>
    ${estimated ? html`<p class="hint" data-estimated-note>${t.estimatedNote}</p>` : nothing}
    ${late ? html`<p class="hint" data-overdue-note>${withHotline(t.overdueNote)}</p>` : nothing}
  </section>`;
}
