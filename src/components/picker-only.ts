/**
 * The picker-only entry (dist/aqjb-region-picker.js): for a page that shows `<aqjb-region-picker>` alone. It brings
 * the picker and what its first draw needs, not the intake's notice gate and steps that aqjb-embed.js carries; the
 * picker's list request and its first map leave the moment this script runs (see prefetch.ts). A page with the
 * intake uses aqjb-embed.js, which also loads the picker wherever a page has one.
 *
 * Built as aqjb-embed.js is (see embed.ts): this file holds the prefetch, and the picker (`chunks/picker-first-draw`)
 * comes behind a dynamic import, which a page may preload. A browser runs none of a module graph before it has
 * fetched and compiled all of it: with the picker in this file, its requests left only once some 100 KB had been
 * compiled (about 400 ms at 4× CPU throttling). No exports, for the same reason as the embed's: the element is
 * registered, and `customElements.get('aqjb-region-picker')` gives its class.
 */
import './internal/prefetch.js';
// zod-free: zod is told not to probe `new Function` before any schema is built.
import '../sdk/zod-setup.js';

void import('./region-picker/region-picker.js');
