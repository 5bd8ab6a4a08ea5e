/** The reader accepted the notice; `ackToken` goes with the report (`ReportDraft.ackToken`). */
export type AqjbNoticeAcceptedEvent = CustomEvent<{ ackToken: string }>;

declare global {
  interface GlobalEventHandlersEventMap {
    'aqjb-notice-accepted': AqjbNoticeAcceptedEvent;
  }
}
