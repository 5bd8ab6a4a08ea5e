import { defineElement } from '../internal/aqjb-element.js';
import { AqjbNoticeGate } from './notice-gate.component.js';

export { AqjbNoticeGate };
export type { AqjbNoticeAcceptedEvent, AqjbNoticeShownEvent } from './notice-gate.events.js';

defineElement('aqjb-notice-gate', AqjbNoticeGate);

declare global {
  interface HTMLElementTagNameMap {
    'aqjb-notice-gate': AqjbNoticeGate;
  }
}
