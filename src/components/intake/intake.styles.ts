import { css } from 'lit';
import { baseStyles } from '../internal/styles.js';

export default [
  baseStyles,
  css`
    .intake {
      background: var(--_surface);
    }
    .steps {
      display: flex;
      gap: 0.25em;
      list-style: none;
      margin: 0 0 var(--_space);
      padding: 0;
      counter-reset: step;
      font-size: 0.875em;
    }
    .steps li {
      flex: 1 1 0;
      min-inline-size: 0;
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 0.15em;
      color: var(--_muted);
      text-align: center;
      border-block-start: 4px solid var(--aqjb-color-disabled, #d0d7de);
      padding-block-start: 0.35em;
    }
    .steps li.done {
      border-color: var(--_accent);
    }
    .steps li.current {
      border-color: var(--_accent);
      color: var(--_text);
      font-weight: 700;
    }
    .step-number {
      font-variant-numeric: tabular-nums;
    }
    .step-name {
      overflow-wrap: anywhere;
    }
    @media (max-width: 420px) {
      /* Phones: the current step's name only, the others as numbers. */
      .steps li:not(.current) .step-name {
        position: absolute;
        inline-size: 1px;
        block-size: 1px;
        overflow: hidden;
        clip-path: inset(50%);
      }
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75em;
      margin-block: var(--_space);
    }
    .actions button:last-child {
      margin-inline-start: auto;
    }
    .modes {
      border: 0;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.75em;
    }
    .mode-option {
      display: flex;
      gap: 0.75em;
      align-items: flex-start;
      margin: 0;
      padding: var(--_space);
      border: 2px solid var(--_border);
      border-radius: var(--_radius);
      cursor: pointer;
      font-weight: 400;
    }
    .mode-option input {
      margin-block-start: 0.3em;
    }
    .mode-option.selected {
      border-color: var(--_accent);
      box-shadow: inset 0 0 0 1px var(--_accent);
    }
    .mode-text {
      display: grid;
      gap: 0.25em;
    }
    .mode-label {
      font-weight: 700;
      font-size: 1.0625em;
    }
    .step-error,
    .submit-failure {
      color: var(--_error);
      font-weight: 600;
      border-inline-start: 4px solid var(--_error);
      padding-inline-start: 0.75em;
    }
    .chosen {
      font-weight: 600;
    }
    .review {
      margin: 0;
    }
    .review-row {
      display: grid;
      grid-template-columns: minmax(6em, 30%) 1fr auto;
      gap: 0.25em 1em;
      padding-block: 0.6em;
      border-block-end: 1px solid var(--aqjb-color-disabled, #d0d7de);
    }
    .review dt {
      font-weight: 600;
    }
    .review dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .review-change button {
      min-block-size: var(--_target);
    }
    @media (max-width: 480px) {
      .review-row {
        grid-template-columns: 1fr auto;
      }
      .review-row dt {
        grid-column: 1 / -1;
      }
    }
    .pre {
      white-space: pre-wrap;
    }
    ul.plain {
      margin: 0;
      padding-inline-start: 1.1em;
    }
    .receipt-codes {
      display: grid;
      gap: 0.75em;
      margin: var(--_space) 0;
    }
    .receipt-codes dt {
      font-weight: 600;
    }
    .receipt-codes dd {
      margin: 0;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5em 1em;
    }
    .code {
      font-family: var(--aqjb-font-family-code, ui-monospace, 'Noto Sans Mono CJK SC', monospace);
      font-size: 1.5em;
      font-weight: 700;
      letter-spacing: 0.06em;
      overflow-wrap: anywhere;
      user-select: all;
    }
    .draft-actions {
      margin-block-start: calc(var(--_space) * 2);
      border-block-start: 1px solid var(--aqjb-color-disabled, #d0d7de);
      padding-block-start: 0.5em;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5em;
    }
    @media print {
      .steps,
      .draft-actions,
      .no-print,
      .copy {
        display: none !important;
      }
      .code {
        font-size: 18pt;
      }
    }
  `,
];
