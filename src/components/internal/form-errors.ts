import { html, nothing, type TemplateResult } from 'lit';
import type { FieldIssue } from '../../sdk/index.js';
import type { Messages } from '../locales/localize.js';
import '../locales/errors.js';

export interface FieldError {
  /** Dotted form path, also the id of the control (`subject.name`, `reporter.phone`). */
  field: string;
  message: string;
}

/**
 * First issue per field, in the form's field order, in the element's language (by the stable key; the server's
 * zh-CN text only when the key is unknown). Client checks and server `ValidationError`s take the same path.
 */
export function toFieldErrors(issues: readonly FieldIssue[], order: readonly string[], t: Messages): FieldError[] {
  const first = new Map<string, FieldError>();
  for (const issue of issues) {
    const field = order.find((f) => issue.path === f || issue.path.startsWith(`${f}.`)) ?? issue.path;
    if (first.has(field)) continue;
    const text = (t.errors as Record<string, string>)[issue.code] ?? issue.message;
    first.set(field, { field, message: text });
  }
  const rank = (f: string) => (order.includes(f) ? order.indexOf(f) : order.length);
  return [...first.values()].sort((a, b) => rank(a.field) - rank(b.field));
}

/**
 * The error summary (GOV.UK pattern): a titled list above the step, focused on arrival; the alert is a child so the
 * announcement is not cut short; each link brings its field's label into view and focuses the field.
 */
export function renderErrorSummary(
  title: string,
  errors: readonly FieldError[],
  focusField: (field: string) => void,
  /** Heading level of the title: 2 at the top of a step, 4 inside a section headed h3. */
  level: 2 | 3 | 4 = 2,
): TemplateResult | typeof nothing {
  if (!errors.length) return nothing;
  return html`<div part="error-summary" class="error-summary" tabindex="-1" data-error-summary>
    <div role="alert">
      <div class="error-summary-title" role="heading" aria-level=${level}>${title}</div>
      <ul>
        ${errors.map(
          (e) =>
            html`<li>
              <a
                href="#${e.field}"
                @click=${(ev: Event) => {
                  ev.preventDefault();
                  focusField(e.field);
                }}
                >${e.message}</a
              >
            </li>`,
        )}
      </ul>
    </div>
  </div>`;
}

/** Scrolls the field's label into view, then focuses the field without scrolling again. */
export function focusFieldIn(root: ShadowRoot | HTMLElement, field: string): void {
  const control = root.querySelector<HTMLElement>(`[id="${CSS.escape(field)}"]`);
  const label = root.querySelector<HTMLElement>(`label[for="${CSS.escape(field)}"]`) ?? control?.closest('fieldset')?.querySelector('legend');
  (label ?? control)?.scrollIntoView({ block: 'start' });
  control?.focus({ preventScroll: true });
}
