import type { ReportStatus } from '../../sdk/index.js';

/**
 * A lookup returned a report (also after 「刷新进度」 and after a supplement). Only the report code and the
 * status: never the query key, which the host page and its analytics must not see.
 */
export type AqjbProgressLoadedEvent = CustomEvent<{ reportCode: string; status: ReportStatus }>;

declare global {
  interface GlobalEventHandlersEventMap {
    'aqjb-progress-loaded': AqjbProgressLoadedEvent;
  }
}
