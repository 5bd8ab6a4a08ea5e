import type { Messages } from './localize.js';
import common from './en/common.js';
import gate from './en/gate.js';
import mode from './en/mode.js';
import region from './en/region.js';
import form from './en/form.js';
import upload from './en/upload.js';
import review from './en/review.js';
import receipt from './en/receipt.js';
import intake from './en/intake.js';
import lookup from './en/lookup.js';
import picker from './en/picker.js';
import { apiErrorMessages, errorMessages } from '../../messages/zh-CN.js';

export const en: Messages = {
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
  // TODO(#7): English validation and API error texts.
  errors: errorMessages,
  api: apiErrorMessages,
};
