/**
 * aqjb-embed — importing this registers every element. The first screen (the notice gate inside the intake) is
 * in this module; the rest is loaded when it is needed, from next to this file.
 */
// First: sends the notice's requests before the rest of this file is even evaluated (see prefetch.ts).
import './internal/prefetch.js';
import '../sdk/zod-setup.js'; // zod-free: before any chunk builds a schema
import './intake/intake.js';
import './notice-gate/notice-gate.js';
import { whenUsed } from './internal/lazy.js';

whenUsed('aqjb-progress-lookup', () => import('./progress-lookup/progress-lookup.js'));
whenUsed('aqjb-region-picker', () => import('./region-picker/region-picker.js'));
whenUsed('aqjb-report-form', () => import('./report-form/report-form.js'));
whenUsed('aqjb-evidence-upload', () => import('./evidence-upload/evidence-upload.js'));

export { AqjbIntake } from './intake/intake.js';
export { AqjbNoticeGate } from './notice-gate/notice-gate.js';
export type * from './intake/intake.events.js';
export type * from './notice-gate/notice-gate.events.js';
export type * from './region-picker/region-picker.events.js';
export type * from './report-form/report-form.events.js';
export type * from './progress-lookup/progress-lookup.events.js';
export type * from './evidence-upload/evidence-upload.events.js';
export type { AqjbTextSizeChangeEvent } from './internal/text-size.js';
