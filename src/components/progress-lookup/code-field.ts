/**
 * The lookup form's two inputs, the report code and the query key, over the shared labelled field: both are copied
 * from paper, so no autocomplete, no spelling help, capitals offered; each described by its hint, its error and
 * (the code) the 「已识别」 confirmation.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { describedBy, labelledField } from '../internal/form-fields.js';

/** The lookup form's fields in order: ids of the inputs, links of the error summary. */
export const LOOKUP_FIELDS = ['reportCode', 'queryKey'] as const;

export function codeField(
  errorPrefix: string,
  o: {
    field: (typeof LOOKUP_FIELDS)[number];
    part: string;
    label: string;
    hint: TemplateResult | string;
    error: string;
    value: string;
    onInput: (e: Event) => void;
    onBlur: () => void;
    enterkeyhint?: string;
    /** The code is recognised: `after` holds `<field>-ok`, which describes the input too. */
    ok?: boolean;
    after?: TemplateResult | typeof nothing;
  },
): TemplateResult {
  const { field, error } = o;
  return labelledField(
    field,
    o.label,
    o.hint,
    error,
    errorPrefix,
    html`<input
        id=${field}
        part=${o.part}
        class="code-input"
        type="text"
        autocomplete="off"
        autocapitalize="characters"
        spellcheck="false"
        enterkeyhint=${o.enterkeyhint ?? nothing}
        aria-describedby=${describedBy(`${field}-hint`, error && `${field}-error`, o.ok && `${field}-ok`)}
        aria-invalid=${error ? 'true' : 'false'}
        .value=${live(o.value)}
        @input=${o.onInput}
        @blur=${o.onBlur}
      />
      ${o.after ?? nothing}`,
  );
}
