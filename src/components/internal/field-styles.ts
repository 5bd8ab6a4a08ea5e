import { css } from 'lit';

// Apart from styles.ts, whose base styles are on the first screen: these load with the elements that use them.

/** Form controls: labels, inputs, choices and their errors (not on the first screen, which has none). */
export const fieldStyles = css`
  label {
    display: block;
    font-weight: 600;
    margin-block: var(--_space) 0.25em;
  }
  input:not([type='checkbox']):not([type='radio']),
  select,
  textarea {
    font: inherit;
    color: inherit;
    background: var(--_surface);
    inline-size: 100%;
    min-block-size: var(--_target);
    padding: 0.4em 0.6em;
    border: 2px solid var(--_border);
    border-radius: var(--_radius);
  }
  /* The engine's own menu button (WebKit's is grey and rounded, Firefox's and Chromium's differ) gives way to the
     look of the other fields, with an arrow drawn in CSS (no image: nothing for a portal's CSP to allow). Forced
     colours keep the system's control. */
  select {
    appearance: none;
    padding-inline-end: 2.25em;
    background-image: linear-gradient(45deg, transparent 50%, currentColor 50%), linear-gradient(135deg, currentColor 50%, transparent 50%);
    background-position:
      right 1.25em center,
      right 0.9em center;
    background-size: 0.35em 0.35em;
    background-repeat: no-repeat;
  }
  @media (forced-colors: active) {
    select {
      appearance: auto;
      background-image: none;
    }
  }
  input[type='checkbox'],
  input[type='radio'] {
    /* em of the text around, not of the browser's 13.33px for form controls: the box grows with 大字模式. One size
       for every tick box of every element (24 px at the base size, 30 px in 大字模式). */
    font-size: inherit;
    inline-size: 1.5em;
    block-size: 1.5em;
    margin: 0;
    accent-color: var(--_accent);
    flex: none;
  }
  [aria-invalid='true'] {
    border-color: var(--_error) !important;
  }
  .field-error {
    color: var(--_error);
    font-weight: 600;
    margin-block: 0.25em;
  }
`;

export const errorSummaryStyles = css`
  .error-summary {
    border: 4px solid var(--_error);
    border-radius: var(--_radius);
    padding: var(--_space);
    margin-block-end: var(--_space);
  }
  .error-summary-title {
    font-weight: 700;
    font-size: 1.125em;
    margin-block-end: 0.5em;
  }
  .error-summary:focus {
    outline: 3px solid var(--_focus);
  }
  .error-summary ul {
    margin: 0;
    padding-inline-start: 1.25em;
  }
  .error-summary a {
    color: var(--_error);
    font-weight: 600;
  }
`;
