import type { Messages } from '../localize.js';

export default {
  loading: 'Loading…',
  retry: 'Try again',
  back: 'Back',
  continue: 'Continue',
  change: 'Change',
  copy: 'Copy',
  copied: (what: string) => `${what} copied`,
  copyFailed: 'Could not copy automatically; please write it down',
  errorPrefix: 'Error: ',
  networkKept: 'The connection dropped. Everything you entered is still on this page; please try again shortly.',
  loadFailed: 'Could not load. Check your connection and try again.',
  hotline: 'You can also call the work-safety hotline 12350.',
  reload: 'Reload the page',
  reloadKeeps: 'If trying again does not help, reload the page: what you entered is kept.',
  largeText: 'Large text',
} satisfies Messages['common'];
