/**
 * The picker-only entry (dist/aqjb-region-picker.js): for a page that shows `<aqjb-region-picker>` alone. It brings
 * the picker and what its first draw needs, not the intake's notice gate and steps that aqjb-embed.js carries; the
 * picker's list request leaves the moment this script runs (see prefetch.ts). A page with the intake uses
 * aqjb-embed.js, which also loads the picker wherever a page has one.
 */
// First, as in the embed's entry: the list request leaves before the rest is evaluated, and zod is told not to probe
// `new Function` before any schema is built.
import './internal/prefetch.js';
import '../sdk/zod-setup.js';
import './region-picker/region-picker.js';

export { AqjbRegionPicker } from './region-picker/region-picker.js';
export type * from './region-picker/region-picker.events.js';
