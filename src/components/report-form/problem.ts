/**
 * The report form's 「问题情况」 questions: industry, problem types with their 七严禁 / 五不准 items, and the
 * description with its character count. Templates over the form's view; the limits are the contract's.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { LIMITS } from '../../sdk/schemas/report.js';
import type { Dictionaries, ProblemType } from '../../sdk/schemas/dictionaries.js';
import type { Messages } from '../locales/localize.js';
import { describe, errorOf, formField, invalid, type FormView } from './fields.js';

export function renderChoices(v: FormView, d: Dictionaries): TemplateResult {
  return html`${renderIndustry(v, d)} ${renderProblemTypes(v, d)}`;
}

function renderIndustry(v: FormView, d: Dictionaries) {
  const t = v.t.form;
  const field = 'industry';
  return formField(v, field, t.industry, undefined, html`<select
      id=${field}
      name=${field}
      data-field=${field}
      aria-invalid=${invalid(v, field)}
      aria-describedby=${describe(v, field) || nothing}
    >
      <option value="" ?selected=${!v.values.industry}>${t.industryChoose}</option>
      ${d.industries.map((i) => html`<option value=${i.code} ?selected=${i.code === v.values.industry}>${i.name}</option>`)}
    </select>`);
}

function renderProblemTypes(v: FormView, d: Dictionaries) {
  const t = v.t.form;
  const field = 'problemTypes';
  const invalidNow = invalid(v, field);
  return html`<fieldset class="field group" aria-describedby=${describe(v, field, 'problemTypes-hint')}>
    <legend>${t.problemTypes}</legend>
    <p class="hint" id="problemTypes-hint">${t.problemTypesHint(LIMITS.problemTypes)}</p>
    ${errorOf(v, field)}
    ${d.problemTypes.map((type, i) => {
      const id = i === 0 ? field : `problemTypes-${type.code}`;
      const ticked = v.values.problemTypes.includes(type.code);
      return html`<div class="choice">
          <input
            type="checkbox"
            id=${id}
            name=${field}
            value=${type.code}
            data-field=${field}
            data-type=${type.code}
            .checked=${ticked}
            aria-invalid=${invalidNow}
          />
          <label for=${id}>${type.name}</label>
        </div>
        ${ticked && type.items.length ? renderItems(v, type) : nothing}`;
    })}
  </fieldset>`;
}

/** The 七严禁 / 五不准 items of a ticked type, with the type's hint. */
function renderItems(v: FormView, type: ProblemType) {
  const chosen = v.values.items[type.code] ?? [];
  const hintId = `problemTypes-${type.code}-hint`;
  return html`<fieldset class="items" aria-describedby=${type.hint ? hintId : nothing}>
    <legend>${v.t.form.items(type.name)}</legend>
    ${type.hint ? html`<p class="hint" id=${hintId}>${type.hint}</p>` : nothing}
    ${type.items.map((item) => {
      const id = `problemTypes-${type.code}-${item.code}`;
      return html`<div class="choice">
        <input
          type="checkbox"
          id=${id}
          value=${item.code}
          data-field="problemTypes"
          data-item-of=${type.code}
          .checked=${chosen.includes(item.code)}
        />
        <label for=${id}>${item.name}</label>
      </div>`;
    })}
  </fieldset>`;
}

export function renderDescription(v: FormView): TemplateResult {
  const t = v.t.form;
  const field = 'description';
  const over = v.values.text.description.trim().length > LIMITS.descriptionMax;
  const hint = t.descriptionHint(LIMITS.descriptionMin, LIMITS.descriptionMax);
  return formField(v, field, t.description, hint, html`<textarea
        id=${field}
        name=${field}
        data-field=${field}
        rows="6"
        .value=${v.values.text.description}
        aria-invalid=${invalid(v, field)}
        aria-describedby=${describe(v, field, 'description-hint')}
      ></textarea>
      <!-- Silent for screen readers: they hear the count in the live region once typing pauses. -->
      <p class="count ${over ? 'over' : ''}" id="description-count" aria-hidden="true">${countText(t, v.values.text.description)}</p>`);
}

/** Counts what the schema counts: the trimmed text's length. */
export function countText(t: Messages['form'], description: string): string {
  const length = description.trim().length;
  if (length < LIMITS.descriptionMin) return t.countUnder(length, LIMITS.descriptionMin);
  if (length <= LIMITS.descriptionMax) return t.countLeft(LIMITS.descriptionMax - length);
  return t.countOver(length - LIMITS.descriptionMax);
}
