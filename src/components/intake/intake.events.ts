import type { RoutedTo } from '../../sdk/schemas/report.js';

export type IntakeStep = 'notice' | 'mode' | 'region' | 'form' | 'review' | 'receipt';

/** The citizen moved to another step. */
export type AqjbStepEvent = CustomEvent<{ step: IntakeStep; index: number }>;
/** The report was filed. Never carries the query key or personal data. */
export type AqjbSubmittedEvent = CustomEvent<{ reportCode: string; routedTo: RoutedTo }>;
/** Something failed that the citizen was told about; `code` is the SDK's or API's stable code. */
export type AqjbErrorEvent = CustomEvent<{ code: string; step: IntakeStep }>;

declare global {
  interface GlobalEventHandlersEventMap {
    'aqjb-step': AqjbStepEvent;
    'aqjb-submitted': AqjbSubmittedEvent;
    'aqjb-error': AqjbErrorEvent;
  }
}
