import { css } from 'lit';
import { baseStyles } from '../internal/styles.js';
import { textSizeStyles } from '../internal/text-size.js';

export default [
  baseStyles,
  textSizeStyles,
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
      /* Phones: the current step's name only, the others as numbers; the current step takes the room its name
         needs, so that 「阅读须知」 stays on one line in 大字模式 too. */
      .steps li.current {
        flex-grow: 3;
      }
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
    .step-error {
      color: var(--_error);
      font-weight: 600;
      border-inline-start: 4px solid var(--_error);
      padding-inline-start: 0.75em;
    }
    @media print {
      .steps {
        display: none !important;
      }
    }
  `,
];
