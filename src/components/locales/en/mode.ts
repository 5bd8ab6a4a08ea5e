import type { Messages } from '../localize.js';

export default {
  heading: 'How do you want to report?',
  anonymous: 'Anonymously',
  anonymousHint: 'You give no personal details and none are collected. Keep the report code and query key you receive to follow the outcome.',
  realName: 'With your real name',
  realNameHint: 'You give your name and mobile number. The authority can contact you, and if the report is confirmed you may receive a reward.',
  required: 'Choose to report anonymously or with your real name',
} satisfies Messages['mode'];
