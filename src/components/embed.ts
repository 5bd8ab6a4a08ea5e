/**
 * The entry of the ES build, dist/aqjb-embed.js: sends the first screen's requests (prefetch.ts, in this file), then
 * loads the first screen (index.ts: the intake, the notice gate, the SDK's notice calls) and registers every element.
 *
 * Two rules shape it, both measured on the bench's portal page (4× CPU throttling):
 *  - The first screen is behind a dynamic import. A browser runs none of a module graph before it has fetched and
 *    compiled all of it: with the first screen in this file, the notice was asked for only once some 60 KB had been
 *    compiled (270–370 ms). Behind the import, that compiling overlaps the notice's round trip.
 *  - The prefetch is in this file, not a chunk of its own: a static import is one more round trip before anything
 *    runs, and on the portal page it let the page's first layout (about 200 ms) start first — the notice left at
 *    1019 ms, against 573 ms on the bench's API floor. For that the entry exports no classes (the elements are
 *    registered, `customElements.get` gives their classes; the npm package exports them): exports from here would need
 *    a top-level await of the first screen, and the first screen imports the prefetch from this file — a cycle that
 *    never settles.
 */
import './internal/prefetch.js';

void import('./index.js');
