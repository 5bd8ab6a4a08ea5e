import type { CoreMessages } from './localize.js';
import common from './en/common.js';
import gate from './en/gate.js';
import intake from './en/intake.js';

export const en: CoreMessages = {
  common,
  gate,
  intake,
};
