import type { Messages } from '../localize.js';

const seconds = (n: number) => (n === 1 ? '1 second' : `${n} seconds`);

export default {
  title: 'Reporting notice',
  loading: 'Loading the reporting notice…',
  preparing: 'Getting ready, please wait…',
  loadFailed:
    'The reporting notice could not be loaded, perhaps because the connection is unstable. Check your connection and select “Try again”. If that does not help, try again in a few minutes.',
  retry: 'Try again',
  countdown: (n: number) => `Please read the notice (${n} s)`,
  countdownName: 'Please read the notice',
  remaining: (n: number) => `${seconds(n)} of reading left`,
  confirming: 'Confirming, please wait',
  accept: 'I have read the notice above',
  wait: (n: number) => `Please read the notice. You can continue in ${seconds(n)}.`,
  ready: 'You can continue now',
  early: (n: number) => `Please read the notice above first. In ${seconds(n)} you can select “I have read the notice above”.`,
  confirmFailed:
    'The connection is unstable, so we could not confirm that you have read the notice. Check your connection and select “Try again”. You do not need to read it again.',
  receiptExpired: 'This reading has expired. Select “Read again” and read the notice once more.',
  checkFailed:
    'The page’s automatic check did not pass, even after several tries. Select “Try again”. If that does not help, reload the page or open it in another browser.',
  reread: 'Read again',
  reloadHint: 'If trying again does not help, reload the page and read the notice once more, or call the work-safety hotline 12350.',
} satisfies Messages['gate'];
