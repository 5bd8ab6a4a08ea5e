import { errorMessages } from '../../messages/zh-CN.js';
import { registerMessages } from './localize.js';

// Validation texts, registered by the modules that can show them (the notice gate's own problems are in its
// section): the first screen does not carry them. API error codes need no zh-CN table here: see `api` in localize.ts.
registerMessages('errors', errorMessages);
