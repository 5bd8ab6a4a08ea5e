import type { Messages } from './localize.js';
import common from './en/common.js';
import gate from './en/gate.js';
import intake from './en/intake.js';
import form from './en/form.js';
import reporter from './en/reporter.js';
import upload from './en/upload.js';
import lookup from './en/lookup.js';
import picker from './en/picker.js';
import mode from './en/mode.js';
import region from './en/region.js';
import review from './en/review.js';
import receipt from './en/receipt.js';
import { apiErrorMessagesEn, errorMessagesEn } from '../../messages/en.js';

/**
 * Every English text, in one chunk loaded only when an element resolves to `en` (about 8 KB gzip that a zh-CN page
 * never downloads). Typed as the whole catalog, so a section missing here fails the build.
 */
export const en: Messages = {
  common,
  gate,
  intake,
  form,
  reporter,
  upload,
  lookup,
  picker,
  mode,
  region,
  review,
  receipt,
  errors: errorMessagesEn,
  api: apiErrorMessagesEn,
};
