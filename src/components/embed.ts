/**
 * The entry of the ES build, dist/aqjb-embed.js: sends the first screen's requests (prefetch.ts, in a small chunk of
 * its own), then loads the first screen (index.ts: the intake, the notice gate, the SDK's notice calls). A browser
 * runs none of a module graph before it has fetched and compiled all of it: with the first screen in this file, the
 * notice was asked for only once some 60 KB had been compiled (270–370 ms at 4× CPU throttling). Behind a dynamic
 * import, that compiling overlaps the notice's round trip. The same exports as index.ts; the single-file IIFE build
 * and the npm package start from index.ts itself.
 */
import './internal/prefetch.js';
import type * as FirstScreen from './index.js';

// The prefetch chunk is not in this file: the first screen imports it too, and a chunk that imported this module
// while it awaits that chunk would wait for ever (top-level await).
const firstScreen: typeof FirstScreen = await import('./index.js');

export const { AqjbIntake, AqjbNoticeGate } = firstScreen;
export type AqjbIntake = FirstScreen.AqjbIntake;
export type AqjbNoticeGate = FirstScreen.AqjbNoticeGate;
export type * from './index.js';
