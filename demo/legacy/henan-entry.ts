// Browser bundle of the Henan demo page: the transition client and the Henan adapter (built by pages.ts).
import '../../src/sdk/zod-setup.js'; // first: zod must not probe `new Function` under the page's CSP
export { createTransitionClient, registerLegacyAdapter, TRANSITION_MODES } from '../../src/sdk/transition/index.js';
export { henanAdapter } from './henan-adapter.js';
