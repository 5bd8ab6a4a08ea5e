import { defineElement } from '../internal/aqjb-element.js';
import { AqjbIntake } from './intake.component.js';

export { AqjbIntake };
export type { AqjbStepEvent, AqjbSubmittedEvent, AqjbErrorEvent, IntakeStep } from './intake.events.js';
export type { AqjbTextSizeChangeEvent } from '../internal/text-size.js';

defineElement('aqjb-intake', AqjbIntake);

declare global {
  interface HTMLElementTagNameMap {
    'aqjb-intake': AqjbIntake;
  }
}
