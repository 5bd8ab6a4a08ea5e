/**
 * The lookup-only entry (dist/aqjb-lookup.js): for a portal's 举报查询 page, which shows `<aqjb-progress-lookup>`
 * alone. It brings the lookup and what it needs to show its form (`chunks/lookup-only-first-view`, which a page may
 * preload), not the intake's notice gate and steps that aqjb-embed.js carries. The lookup asks nothing before the
 * citizen types a code, so there is no prefetch. aqjb-embed.js also registers the lookup, for a page that has both.
 *
 * Built as aqjb-embed.js is: a small entry and a dynamic import, so the file a page's SRI covers stays a few lines.
 * No exports: the element is registered, and `customElements.get('aqjb-progress-lookup')` gives its class.
 */
// zod-free: zod is told not to probe `new Function` before any schema is built.
import '../sdk/zod-setup.js';

void import('./progress-lookup/progress-lookup.js');
