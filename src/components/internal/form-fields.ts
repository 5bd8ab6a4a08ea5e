/**
 * Field templates the report form and the progress lookup (with its supplement form) render alike: a labelled field
 * in GOV.UK order (label, hint, error, control), the error line with its visually hidden 「错误：」, the
 * `aria-describedby` list, and moving focus to what a render has just put on screen (an error summary, a notice).
 * Rules stay out: which error a field shows, and when, is the element's business.
 */
import { html, nothing, type ReactiveElement, type TemplateResult } from 'lit';

type Content = TemplateResult | string;

/** A field's error, under its hint and above its control; `id` is `<field>-error`, for `aria-describedby`. */
export function fieldError(field: string, message: string, prefix: string): TemplateResult | typeof nothing {
  return message
    ? html`<p class="field-error" id="${field}-error"><span class="visually-hidden">${prefix}</span>${message}</p>`
    : nothing;
}

/** The ids a control is described by, in reading order, the empty ones left out. */
export const describedBy = (...ids: (string | false | undefined)[]): string => ids.filter(Boolean).join(' ');

/**
 * One labelled field: `<label for=field>`, the hint (id `<field>-hint`) when there is one, the error, then the
 * control and whatever the element puts after it (a count, a button, a confirmation).
 */
export function labelledField(
  field: string,
  label: Content,
  hint: Content | undefined,
  error: string,
  errorPrefix: string,
  control: TemplateResult,
): TemplateResult {
  return html`<div class="field">
    <label for=${field}>${label}</label>
    ${hint ? html`<p class="hint" id="${field}-hint">${hint}</p>` : nothing} ${fieldError(field, error, errorPrefix)}
    ${control}
  </div>`;
}

/** Focuses the first match of `selector` once the render under way has put it on screen (summary, notice, heading). */
export async function focusRendered(host: ReactiveElement, selector: string): Promise<void> {
  await host.updateComplete;
  host.renderRoot.querySelector<HTMLElement>(selector)?.focus();
}
