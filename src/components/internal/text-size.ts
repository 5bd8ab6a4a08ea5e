import { css, html, type TemplateResult } from 'lit';
import type { AqjbElement } from './aqjb-element.js';

/** The citizen turned 「大字模式」 on or off (the page may keep the choice, or mirror it in its own 长者模式). */
export type AqjbTextSizeChangeEvent = CustomEvent<{ textSize: 'normal' | 'large' }>;

declare global {
  interface GlobalEventHandlersEventMap {
    'aqjb-text-size-change': AqjbTextSizeChangeEvent;
  }
}

/**
 * The citizen's own 「大字模式」 switch (适老化), at the top of the intake and the lookup: a toggle button whose name
 * stays the same while `aria-pressed` tells its state. It sets the element's `text-size`, which the element passes
 * on to the elements inside it; `after` runs once it is set (the intake keeps the choice in its draft). A portal
 * with its own switch hides this one with `::part(text-size-toggle) { display: none }` and sets `text-size`.
 */
export function textSizeSwitch(host: AqjbElement, after?: () => void): TemplateResult {
  const large = host.textSize === 'large';
  const toggle = () => {
    host.textSize = large ? 'normal' : 'large';
    host.emit('aqjb-text-size-change', { textSize: host.textSize });
    after?.();
  };
  return html`<div class="text-size">
    <button type="button" class="secondary" part="text-size-toggle" aria-pressed=${large} @click=${toggle}>
      <span class="check" aria-hidden="true"></span>${host.t.common.largeText}
    </button>
  </div>`;
}

export const textSizeStyles = css`
  .text-size {
    display: flex;
    justify-content: flex-end;
    margin-block-end: calc(var(--_space) * 0.5);
  }
  .text-size button {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
  }
  .text-size .check {
    inline-size: 1em;
    block-size: 1em;
    border: 2px solid currentColor;
    border-radius: 3px;
  }
  .text-size [aria-pressed='true'] .check::before {
    content: '';
    display: block;
    inline-size: 0.3em;
    block-size: 0.6em;
    margin: 0.05em auto 0;
    border: solid currentColor;
    border-width: 0 2px 2px 0;
    transform: rotate(45deg);
  }
`;
