import type { Messages } from '../localize.js';

export default {
  label: 'Work-safety report',
  steps: { notice: 'Notice', mode: 'Type', region: 'Location', form: 'Details', review: 'Check', receipt: 'Done' },
  stepOf: (n: number, total: number, name: string) => `Step ${n} of ${total}: ${name}`,
  clearDraft: 'Clear draft',
  clearConfirm: 'Clear everything you entered? This cannot be undone.',
  draftRestored: 'What you entered last time has been restored.',
  draftCleared: 'Draft cleared.',
  unsupported: 'Your browser is too old for online reporting. Please call the work-safety hotline 12350, or use an up-to-date browser to visit the national reporting system.',
} satisfies Messages['intake'];
