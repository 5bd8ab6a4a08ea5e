/**
 * The report form's own field templates, over the shared ones (internal/form-fields.ts): a text-like control bound
 * to the form's values, and the error and `aria-describedby` of any field, from the form's view of its state.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { describedBy, fieldError, labelledField } from '../internal/form-fields.js';
import type { Messages } from '../locales/localize.js';
import type { TextField, Values } from './values.js';

/** What the templates read from the form: its texts, its values, and the error a field shows now ('' for none). */
export interface FormView {
  readonly t: Messages;
  readonly values: Values;
  errorFor(field: string): string;
}

export const errorOf = (v: FormView, field: string) => fieldError(field, v.errorFor(field), v.t.form.errorPrefix);

/** The control's `aria-describedby`: the given ids, then the error's while there is one. */
export const describe = (v: FormView, field: string, ...ids: string[]) => describedBy(...ids, v.errorFor(field) && `${field}-error`);

export const invalid = (v: FormView, field: string) => (v.errorFor(field) ? 'true' : 'false');

/** A labelled field of the form: its error from the form's view, in the form's language. */
export const formField = (v: FormView, field: string, label: TemplateResult | string, hint: string | undefined, control: TemplateResult) =>
  labelledField(field, label, hint, v.errorFor(field), v.t.form.errorPrefix, control);

/** One text-like control with its label, hint and error; `after` sits beside it (the 「获取验证码」 button). */
export function textField(
  v: FormView,
  field: TextField,
  label: string,
  opts: {
    hint?: string;
    type?: 'text' | 'tel' | 'date';
    optional?: boolean;
    autocomplete?: string;
    inputmode?: string;
    max?: string;
    after?: TemplateResult;
  } = {},
): TemplateResult {
  const hintId = opts.hint ? `${field}-hint` : '';
  const fullLabel = html`${label}${opts.optional ? html`<span class="optional">${v.t.form.optional}</span>` : nothing}`;
  const empty = v.values.text[field] === '';
  const isDate = opts.type === 'date';
  return formField(v, field, fullLabel, opts.hint, html`<div class=${opts.after ? 'with-button' : isDate ? 'control date' : 'control'}>
      <input
        id=${field}
        name=${field}
        data-field=${field}
        type=${opts.type ?? 'text'}
        .value=${v.values.text[field]}
        autocomplete=${opts.autocomplete ?? nothing}
        inputmode=${opts.inputmode ?? nothing}
        max=${opts.max ?? nothing}
        spellcheck="false"
        class=${isDate && empty ? 'empty' : nothing}
        aria-invalid=${invalid(v, field)}
        aria-describedby=${describe(v, field, hintId) || nothing}
      />
      ${isDate && empty ? html`<span class="date-empty" aria-hidden="true">${v.t.form.dateEmpty}</span>` : nothing}
      ${opts.after ?? nothing}
    </div>`);
}
