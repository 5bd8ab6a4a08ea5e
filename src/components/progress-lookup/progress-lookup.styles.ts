import { css } from 'lit';
import { baseStyles } from '../internal/styles.js';
import { errorSummaryStyles, fieldStyles } from '../internal/field-styles.js';
import { textSizeStyles } from '../internal/text-size.js';

const lookupStyles = css`
  :host {
    max-inline-size: 48rem;
  }
  .view > * + * {
    margin-block-start: var(--_space);
  }
  h2 {
    margin-block-end: calc(var(--_space) * 0.5);
  }
  .field {
    margin-block-end: var(--_space);
  }
  .field > label,
  .label {
    display: block;
    font-weight: 600;
    margin-block: var(--_space) 0.25em;
  }
  .code-input {
    letter-spacing: 0.08em;
    font-variant-numeric: tabular-nums;
    /* Lower case is accepted; upper case is how the code is printed, and easier to compare with the paper. */
    text-transform: uppercase;
  }
  .example {
    white-space: nowrap;
  }
  .code-ok {
    color: var(--_success);
    font-weight: 600;
    margin-block: 0.25em 0;
  }
  .code-ok::before {
    content: '✓ ' / '';
  }
  .submit,
  .supplement button[type='submit'] {
    inline-size: 100%;
  }
  @media (min-width: 30em) {
    .submit,
    .supplement button[type='submit'] {
      inline-size: auto;
    }
  }

  .alert,
  .notice {
    border: 2px solid var(--_error);
    border-inline-start-width: 8px;
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 0.75) var(--_space);
    background: var(--_surface);
  }
  .alert p,
  .notice p {
    margin-block: 0 0.5em;
  }
  .alert p:last-child,
  .notice p:last-child {
    margin-block-end: 0;
  }
  .alert [role='alert'] p:first-child {
    font-weight: 600;
  }
  .notice {
    border-color: var(--_success);
    font-weight: 600;
  }
  .alert:focus,
  .notice:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }

  .code-line {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0 0.75em;
  }
  .status-label {
    color: var(--_muted);
    font-weight: 400;
    font-size: 0.9375rem;
  }
  :host([text-size='large']) .status-label {
    font-size: 1.125rem;
  }
  .report-code {
    font-size: 1.25em;
    font-weight: 600;
    letter-spacing: 0.06em;
    font-variant-numeric: tabular-nums;
    overflow-wrap: anywhere;
  }

  .status {
    --_tone: var(--_focus);
    border: 2px solid var(--_tone);
    border-inline-start-width: 8px;
    border-radius: var(--_radius);
    padding: var(--_space);
    background: var(--_surface);
  }
  .status[data-tone='action'] {
    --_tone: var(--_accent);
  }
  .status[data-tone='done'] {
    --_tone: var(--_success);
  }
  .status[data-tone='stopped'] {
    --_tone: var(--_muted);
  }
  .status-title {
    display: flex;
    flex-direction: column;
    gap: 0.125em;
    margin-block-end: 0.5em;
  }
  .status-value {
    font-size: 1.5em;
    color: var(--_tone);
  }
  .status-text {
    margin-block-end: 0.5em;
  }
  .handled-by {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .handled-by .status-label {
    display: block;
  }

  .block {
    margin-block-start: calc(var(--_space) * 1.5);
  }
  .panel {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space);
  }
  .supplement {
    border: 2px solid var(--_accent);
  }
  .quote {
    border-inline-start: 4px solid var(--_border);
    padding-inline-start: 0.75em;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .reward {
    font-weight: 600;
  }

  .deadlines {
    display: grid;
    gap: 0.5em;
    margin: 0;
  }
  .deadline {
    display: grid;
    grid-template-columns: minmax(6em, max-content) 1fr;
    gap: 0 1em;
    padding: 0.5em 0.75em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .deadline dt {
    font-weight: 600;
    grid-row: span 2;
  }
  .deadline dd {
    margin: 0;
  }
  .deadline-left {
    color: var(--_muted);
  }
  .deadline[data-state='overdue'],
  .deadline[data-state='past'],
  .deadline[data-state='today'] {
    border-inline-start: 6px solid var(--_accent);
  }
  .deadline[data-state='overdue'] .deadline-left,
  .deadline[data-state='past'] .deadline-left,
  .deadline[data-state='today'] .deadline-left {
    color: var(--_text);
    font-weight: 600;
  }
  .estimated {
    color: var(--_muted);
  }
  /* Side by side while the box has room (in its own font size, so large text stacks sooner). */
  .deadlines {
    container-type: inline-size;
  }
  @container (max-width: 20em) {
    .deadline {
      grid-template-columns: 1fr;
    }
    .deadline dt {
      grid-row: auto;
    }
  }

  .timeline {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .event {
    position: relative;
    padding-inline-start: 1.5em;
    padding-block-end: var(--_space);
    border-inline-start: 2px solid var(--_border);
    margin-inline-start: 0.5em;
  }
  .event:last-child {
    border-inline-start-color: transparent;
  }
  /* A border, not a background, so the dot survives forced colours. */
  .event::before {
    content: '';
    position: absolute;
    inset-inline-start: calc(-0.5em - 1px);
    inset-block-start: 0.35em;
    inline-size: 0;
    block-size: 0;
    border: 0.5em solid var(--_border);
    border-radius: 50%;
  }
  .event:first-child::before {
    border-color: var(--_accent);
  }
  .event p {
    margin: 0;
  }
  .event-time,
  .event-org {
    color: var(--_muted);
    font-size: 0.9375em;
  }
  .event-title {
    font-weight: 600;
  }
  .event-detail,
  .event-org {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  fieldset.files {
    border: 0;
    padding: 0;
    margin: 0 0 var(--_space);
    min-inline-size: 0;
  }
  fieldset.files > legend {
    padding: 0;
  }
  /* Keeps anything wider inside the upload element (its hidden file inputs) from scrolling the page sideways at
     320 px; the margin leaves room for focus outlines. */
  aqjb-evidence-upload {
    display: block;
    position: relative;
    overflow-x: clip;
    overflow-clip-margin: 8px;
  }
  textarea {
    min-block-size: 8em;
    resize: vertical;
  }
  .count {
    margin-block: 0.25em 0;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75em;
    margin-block-start: calc(var(--_space) * 1.5);
  }
  .actions button {
    flex: 1 1 12em;
  }

  @media (forced-colors: active) {
    .status,
    .alert,
    .notice,
    .deadline {
      border-color: CanvasText;
    }
    .status-value {
      color: CanvasText;
    }
    .event:last-child {
      border-inline-start-color: Canvas;
    }
  }
`;

export default [baseStyles, fieldStyles, errorSummaryStyles, textSizeStyles, lookupStyles];
