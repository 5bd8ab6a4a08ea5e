import { defineElement } from '../internal/aqjb-element.js';
import { AqjbEvidenceUpload } from './evidence-upload.component.js';

export { AqjbEvidenceUpload, type EvidenceFile } from './evidence-upload.component.js';
export type { AqjbAttachmentsChangeEvent, AqjbAttachmentsChangeDetail } from './evidence-upload.events.js';

defineElement('aqjb-evidence-upload', AqjbEvidenceUpload);

declare global {
  interface HTMLElementTagNameMap {
    'aqjb-evidence-upload': AqjbEvidenceUpload;
  }
}
