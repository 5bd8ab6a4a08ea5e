import { css } from 'lit';
import { baseStyles } from '../internal/styles.js';
import { errorSummaryStyles, fieldStyles } from '../internal/field-styles.js';

export default [
  baseStyles,
  fieldStyles,
  errorSummaryStyles,
  css`
    form {
      display: grid;
      gap: 0;
    }
    section {
      border-block-start: 1px solid var(--_border);
      padding-block: var(--_space);
    }
    section > h3 {
      margin-block-end: 0.25em;
    }
    .intro {
      margin-block-end: 0.25em;
    }
    .restored {
      border-inline-start: 4px solid var(--_focus);
      padding-inline-start: 0.75em;
      font-weight: 600;
    }
    .optional {
      font-weight: normal;
      color: var(--_muted);
    }
    .field {
      margin-block-end: calc(var(--_space) * 0.5);
      max-inline-size: 40em;
    }
    .field > label {
      margin-block-start: var(--_space);
    }
    fieldset {
      border: none;
      margin: 0;
      padding: 0;
      min-inline-size: 0;
    }
    legend {
      font-weight: 600;
      padding: 0;
      margin-block: var(--_space) 0.25em;
    }
    .choice {
      display: flex;
      align-items: flex-start;
      gap: 0.75em;
      min-block-size: var(--_target);
      padding-block: 0.25em;
    }
    /* The whole label is the target: with the box it is at least --_target tall. */
    .choice input[type='checkbox'] {
      margin-block-start: 0.1em;
    }
    .choice label {
      font-weight: normal;
      margin: 0;
      flex: 1;
      min-inline-size: 0;
      min-block-size: calc(var(--_target) - 0.5em);
      cursor: pointer;
      overflow-wrap: anywhere;
    }
    .items {
      margin-block: 0.25em 0.5em;
      margin-inline-start: 0.75em;
      padding-inline-start: 1em;
      border-inline-start: 4px solid var(--_border);
    }
    .items legend {
      margin-block-start: 0.25em;
    }
    .consent {
      margin-block-start: var(--_space);
      padding: 0.5em 0.75em;
      border: 2px solid var(--_border);
      border-radius: var(--_radius);
    }
    .consent label {
      font-weight: 600;
    }
    textarea {
      resize: vertical;
      min-block-size: 8em;
    }
    .date {
      position: relative;
      max-inline-size: 14em;
    }
    /* An empty date field must look empty. WebKit (Safari, WeChat on iOS) shows today's date in grey there, which
       reads as filled in; Chromium shows its own 年/月/日. Where the engine draws the field with ::-webkit-datetime-edit
       (not Firefox, whose empty field already reads as empty), its text is hidden while the field is empty, not focused
       and not half typed (:invalid), and our placeholder shows instead. */
    .date-empty {
      display: none;
    }
    @supports selector(::-webkit-datetime-edit) {
      input[type='date'].empty:not(:focus):not(:invalid)::-webkit-datetime-edit {
        /* Not visibility: hidden — that makes the field's inner parts unfocusable, and the field with them. */
        opacity: 0;
      }
      input[type='date'].empty:not(:focus):not(:invalid) + .date-empty {
        display: flex;
        align-items: center;
        position: absolute;
        inset-block: 0;
        inset-inline-start: calc(0.6em + 2px);
        color: var(--_muted);
        pointer-events: none;
      }
    }
    .count {
      color: var(--_muted);
      font-size: 0.9375em;
      margin-block: 0.25em 0;
    }
    .count.over {
      color: var(--_error);
      font-weight: 600;
    }
    /* Phone and its 「获取验证码」 button side by side when there is room, stacked on a narrow phone. */
    .with-button {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5em;
    }
    .with-button input {
      flex: 1 1 12em;
      inline-size: auto;
      min-inline-size: 0;
    }
    .with-button button {
      flex: 0 1 auto;
      white-space: normal;
    }
    .anonymous-note {
      border-inline-start: 4px solid var(--_success);
      padding-inline-start: 0.75em;
      margin-block: var(--_space);
    }
    .load-failed {
      border-inline-start: 4px solid var(--_error);
      padding-inline-start: 0.75em;
      margin-block: var(--_space);
    }
    .loading {
      color: var(--_muted);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75em;
      border-block-start: 1px solid var(--_border);
      padding-block-start: var(--_space);
    }
    .actions button {
      min-inline-size: 8em;
      margin-inline-start: auto;
    }
    .continue-note {
      flex-basis: 100%;
      margin-block: 0;
      font-weight: 600;
    }
    @media (forced-colors: active) {
      .items,
      .restored,
      .anonymous-note,
      .load-failed {
        border-inline-start-color: CanvasText;
      }
    }
  `,
];
