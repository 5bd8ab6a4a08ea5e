import { defineElement } from '../internal/aqjb-element.js';
import { AqjbProgressLookup } from './progress-lookup.component.js';

export { AqjbProgressLookup };
export type { AqjbProgressLoadedEvent } from './progress-lookup.events.js';
export type { AqjbTextSizeChangeEvent } from '../internal/text-size.js';

defineElement('aqjb-progress-lookup', AqjbProgressLookup);

declare global {
  interface HTMLElementTagNameMap {
    'aqjb-progress-lookup': AqjbProgressLookup;
  }
}
