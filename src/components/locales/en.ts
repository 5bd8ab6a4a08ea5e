import type { CoreMessages } from './localize.js';
import common from './en/common.js';
import gate from './en/gate.js';
import mode from './en/mode.js';
import region from './en/region.js';
import review from './en/review.js';
import receipt from './en/receipt.js';
import intake from './en/intake.js';
import { apiErrorMessagesEn, errorMessagesEn } from '../../messages/en.js';

export const en: CoreMessages = {
  common,
  gate,
  mode,
  region,
  review,
  receipt,
  intake,
  errors: errorMessagesEn,
  api: apiErrorMessagesEn,
};
