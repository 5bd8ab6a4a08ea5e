import type { AttachmentRef } from '../controllers/upload-queue.js';

export interface AqjbAttachmentsChangeDetail {
  /** Finished attachments, in list order. No file names: a name can identify the reporter. */
  attachments: AttachmentRef[];
  /** True while a file is still uploading: the form must not submit then. */
  busy: boolean;
}

/** Fired when the citizen added, finished, cancelled, retried or deleted a file. */
export type AqjbAttachmentsChangeEvent = CustomEvent<AqjbAttachmentsChangeDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'aqjb-attachments-change': AqjbAttachmentsChangeEvent;
  }
}
