import { apiErrorMessages, errorMessages } from '../../messages/zh-CN.js';
import common from './zh-CN/common.js';
import gate from './zh-CN/gate.js';
import mode from './zh-CN/mode.js';
import region from './zh-CN/region.js';
import review from './zh-CN/review.js';
import receipt from './zh-CN/receipt.js';
import intake from './zh-CN/intake.js';

/**
 * The default locale's texts for the first screen (notice, intake steps, receipt) and errors; its type is the
 * contract every other locale must meet. The form, upload, lookup and picker texts are registered by their
 * elements' modules (`registerMessages`), so a page downloads only the texts it can show.
 */
export const zhCN = {
  common,
  gate,
  mode,
  region,
  review,
  receipt,
  intake,
  /** Validation keys → text (shared with the server). */
  errors: errorMessages,
  /** API error codes → text. */
  api: apiErrorMessages,
};
