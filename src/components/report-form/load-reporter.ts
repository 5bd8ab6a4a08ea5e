import { loadOnce } from '../../sdk/load-once.js';

/**
 * The 「您的信息」 section (./reporter.ts: its template, the SMS code flow and its texts), which only a real-name report
 * shows: loaded when the citizen chooses 实名举报 (the intake asks while the place is chosen) or the form's `mode` is
 * `real-name`, so an anonymous report never downloads it. One load shared by the intake and the form; a failed load
 * is tried again on the next call (the form's 「重新加载」).
 */
export const loadReporter = loadOnce(() => import('./reporter.js'));
