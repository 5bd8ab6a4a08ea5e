import { defineElement } from '../internal/aqjb-element.js';
import { AqjbReportForm } from './report-form.component.js';
// The form embeds the evidence list.
import '../evidence-upload/evidence-upload.js';

export { AqjbReportForm };
export type { AqjbFormCompleteEvent } from './report-form.events.js';

defineElement('aqjb-report-form', AqjbReportForm);

declare global {
  interface HTMLElementTagNameMap {
    'aqjb-report-form': AqjbReportForm;
  }
}
