/** The reader accepted the notice; `ackToken` goes with the report (`ReportDraft.ackToken`). */
export type AqjbNoticeAcceptedEvent = CustomEvent<{ ackToken: string }>;

/** The notice is on screen and its reading time runs (also after `restart()`): `minReadSeconds` from the server. */
export type AqjbNoticeShownEvent = CustomEvent<{ minReadSeconds: number }>;

declare global {
  interface GlobalEventHandlersEventMap {
    'aqjb-notice-accepted': AqjbNoticeAcceptedEvent;
    'aqjb-notice-shown': AqjbNoticeShownEvent;
  }
}
