import { apiErrorMessages, errorMessages } from '../../messages/zh-CN.js';
import { registerMessages } from './localize.js';

// Validation and API error texts, registered by the modules that can show them (the notice gate's own
// problems are in its section): the first screen does not carry them.
registerMessages('errors', errorMessages);
registerMessages('api', apiErrorMessages);
