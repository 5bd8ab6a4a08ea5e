import { css } from 'lit';

/**
 * Shared look: every value comes from a documented `--aqjb-*` custom property with a default, so a province themes
 * the widget from its own stylesheet. Logical properties only, so a right-to-left locale needs no CSS changes.
 */
export const baseStyles = css`
  :host {
    --_accent: var(--aqjb-color-accent, #a61b1b);
    --_accent-contrast: var(--aqjb-color-accent-contrast, #ffffff);
    --_text: var(--aqjb-color-text, #1f2328);
    --_muted: var(--aqjb-color-muted, #57606a);
    --_border: var(--aqjb-color-border, #8c959f);
    --_surface: var(--aqjb-color-surface, #ffffff);
    --_error: var(--aqjb-color-error, #b3261e);
    --_success: var(--aqjb-color-success, #1a7f37);
    --_focus: var(--aqjb-color-focus, #0b57d0);
    --_radius: var(--aqjb-radius, 6px);
    /* px, not rem: a portal's html { font-size: 62.5% } must not shrink our spacing. */
    --_space: var(--aqjb-space, 16px);
    --_target: var(--aqjb-target-size, 44px);
    --_font-size: var(--aqjb-font-size, 16px);
    display: block;
    /*
     * A host page's own rules (a global * reset, body { font-size: 12px !important }) beat :host for inherited
     * properties; !important here wins over them, and portals still theme through the --aqjb-* properties.
     */
    box-sizing: border-box !important;
    color: var(--_text) !important;
    font-family: var(--aqjb-font-family, system-ui, 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif) !important;
    font-size: var(--_font-size) !important;
    font-style: normal !important;
    font-weight: 400 !important;
    line-height: 1.6 !important;
    text-align: start !important;
    letter-spacing: normal !important;
    word-spacing: normal !important;
    text-indent: 0 !important;
    text-transform: none !important;
    white-space: normal !important;
  }
  :host([hidden]) {
    display: none !important;
  }
  /* 适老化: larger text and targets. */
  :host([text-size='large']) {
    --_font-size: var(--aqjb-font-size-large, 20px);
    --_target: var(--aqjb-target-size-large, 56px);
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  h2,
  h3 {
    line-height: 1.3;
    margin-block: 0 calc(var(--_space) * 0.75);
  }
  h2 {
    font-size: 1.375em;
  }
  h3 {
    font-size: 1.125em;
  }
  p {
    margin-block: 0 calc(var(--_space) * 0.75);
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  [tabindex='-1']:focus {
    outline: none;
  }
  .visually-hidden {
    position: absolute !important;
    inline-size: 1px !important;
    block-size: 1px !important;
    min-block-size: 0 !important;
    padding: 0 !important;
    overflow: hidden !important;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  button,
  .button {
    font: inherit;
    min-block-size: var(--_target);
    min-inline-size: var(--_target);
    padding-block: 0.4em;
    padding-inline: 1.1em;
    border-radius: var(--_radius);
    border: 2px solid var(--_accent);
    background: var(--_accent);
    color: var(--_accent-contrast);
    cursor: pointer;
  }
  button.secondary,
  .button.secondary {
    background: var(--_surface);
    color: var(--_accent);
  }
  button.link {
    background: none;
    border: none;
    color: var(--_focus);
    text-decoration: underline;
    padding-inline: 0.25em;
  }
  button[aria-disabled='true'] {
    background: var(--aqjb-color-disabled, #d0d7de);
    border-color: var(--aqjb-color-disabled, #d0d7de);
    color: var(--_text);
    cursor: not-allowed;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.9375em;
    margin-block: 0 0.25em;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      transition: none !important;
      animation: none !important;
      scroll-behavior: auto !important;
    }
  }
  @media (forced-colors: active) {
    button,
    .button {
      border: 2px solid ButtonText;
    }
    button[aria-disabled='true'] {
      color: GrayText;
      border-color: GrayText;
    }
  }
`;
