import common from './zh-CN/common.js';
import gate from './zh-CN/gate.js';
import intake from './zh-CN/intake.js';

/**
 * The default locale's texts for the first screen (the notice inside the intake); its type is the contract every
 * other locale must meet. The texts of the later steps, the form, upload, lookup and picker, and the error texts are
 * registered by the modules that show them (`registerMessages`), so a page downloads only the texts it can show.
 */
export const zhCN = {
  common,
  gate,
  intake,
};
