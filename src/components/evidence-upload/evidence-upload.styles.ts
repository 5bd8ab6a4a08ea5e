import { css } from 'lit';

export default css`
  .base {
    display: grid;
    gap: calc(var(--_space) * 0.5);
  }
  .base > p {
    margin: 0;
  }
  .privacy {
    border-inline-start: 4px solid var(--_focus);
    padding-inline-start: 0.75em;
  }
  .check {
    display: flex;
    align-items: flex-start;
    gap: 0.6em;
    min-block-size: var(--_target);
  }
  .check input {
    margin-block-start: 0.2em;
  }
  .check label {
    margin: 0;
    font-weight: 400;
    cursor: pointer;
  }

  .pickers {
    position: relative; /* holds the hidden file inputs, so they never widen the page */
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    margin-block: calc(var(--_space) * 0.25);
  }
  .pick {
    flex: 1 1 7em;
    max-inline-size: 14em;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    margin: 0;
    font-weight: 600;
    text-align: center;
  }
  .drop-zone {
    flex: 1 1 100%;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: 0.5em 1em;
    margin: 0;
    padding: var(--_space);
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    font-weight: 400;
    color: var(--_muted);
    cursor: pointer;
  }
  .drop-zone .button {
    display: inline-flex;
    align-items: center;
    font-weight: 600;
  }
  .drop-zone.dragging {
    border-color: var(--_focus);
    border-style: solid;
    background: color-mix(in srgb, var(--_focus) 8%, var(--_surface));
  }
  input[type='file'].visually-hidden {
    inset-block-start: 0;
    inset-inline-start: 0;
    padding: 0;
    border: 0;
    min-block-size: 0;
  }
  input[type='file']:focus-visible + label {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  input[type='file']:disabled + label {
    opacity: 0.55;
    cursor: not-allowed;
  }
  /* Phones cannot drop files: the zone becomes a plain button beside 拍照 and 录像. */
  @media (pointer: coarse) {
    .drop-zone {
      flex: 1 1 7em;
      padding: 0;
      border: none;
    }
    .drop-zone .button {
      flex: 1;
      justify-content: center;
    }
    .drop-hint {
      display: none;
    }
  }

  .refusals {
    margin: 0;
    padding-block: 0.25em;
    padding-inline: 0.75em 0;
    list-style: none;
    border-inline-start: 4px solid var(--_error);
    color: var(--_error);
    font-weight: 600;
  }
  .refusals li + li {
    margin-block-start: 0.25em;
  }
  .count {
    color: var(--_muted);
  }

  .files {
    display: grid;
    gap: 0.5em;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .file {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em 1em;
    padding: 0.75em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .info {
    flex: 1 1 16em;
    min-inline-size: 0;
  }
  .info p {
    margin: 0;
  }
  .file-name {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .file-meta {
    color: var(--_muted);
    font-size: 0.9375em;
  }
  .file-status {
    font-size: 0.9375em;
  }
  .file-removed {
    color: var(--_muted);
    font-size: 0.9375em;
  }
  [data-status='done'] .file-status {
    color: var(--_success);
    font-weight: 600;
  }
  [data-status='done'] .file-status::before {
    content: '✓ ' / '';
  }
  [data-status='failed'] .file-status {
    color: var(--_error);
    font-weight: 600;
  }
  [data-status='cancelled'] .file-status {
    color: var(--_muted);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
  }

  progress {
    display: block;
    inline-size: 100%;
    block-size: 0.75em;
    margin-block: 0.35em;
    appearance: none;
    border: 1px solid var(--_border);
    border-radius: 999px;
    overflow: hidden;
    background: var(--aqjb-color-track, #eaeef2);
  }
  progress::-webkit-progress-bar {
    background: var(--aqjb-color-track, #eaeef2);
  }
  progress::-webkit-progress-value {
    background: var(--_focus);
    transition: inline-size 0.2s ease-out;
  }
  progress::-moz-progress-bar {
    background: var(--_focus);
  }

  @media (forced-colors: active) {
    /* System colours, kept as given: otherwise the filled part of the bar disappears. */
    progress {
      forced-color-adjust: none;
      border-color: CanvasText;
      background: Canvas;
    }
    progress::-webkit-progress-bar {
      background: Canvas;
    }
    progress::-webkit-progress-value {
      background: Highlight;
    }
    progress::-moz-progress-bar {
      background: Highlight;
    }
    .drop-zone,
    .file {
      border-color: CanvasText;
    }
    input[type='file']:focus-visible + label {
      outline-color: Highlight;
    }
    input[type='file']:disabled + label {
      color: GrayText;
      border-color: GrayText;
    }
  }
`;
