import type { Messages } from '../localize.js';

export default {} satisfies Messages['common'];
