import { apiErrorMessages, errorMessages } from '../../messages/zh-CN.js';
import common from './zh-CN/common.js';
import gate from './zh-CN/gate.js';
import mode from './zh-CN/mode.js';
import region from './zh-CN/region.js';
import form from './zh-CN/form.js';
import upload from './zh-CN/upload.js';
import review from './zh-CN/review.js';
import receipt from './zh-CN/receipt.js';
import intake from './zh-CN/intake.js';
import lookup from './zh-CN/lookup.js';
import picker from './zh-CN/picker.js';

/** The default locale; its type is the contract every other locale must meet. */
export const zhCN = {
  common,
  gate,
  mode,
  region,
  form,
  upload,
  review,
  receipt,
  intake,
  lookup,
  picker,
  /** Validation keys → text (shared with the server). */
  errors: errorMessages,
  /** API error codes → text. */
  api: apiErrorMessages,
};
