import { defineElement } from '../internal/aqjb-element.js';
import { AqjbRegionPicker } from './region-picker.component.js';

export { AqjbRegionPicker };
export type * from './region-picker.events.js';

defineElement('aqjb-region-picker', AqjbRegionPicker);

declare global {
  interface HTMLElementTagNameMap {
    'aqjb-region-picker': AqjbRegionPicker;
  }
}
