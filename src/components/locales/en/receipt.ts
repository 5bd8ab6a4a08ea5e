import type { Messages } from '../localize.js';

export default {
  heading: 'Report sent',
  intro: 'Thank you. Write down the report code and query key below: you need both to follow your report. The query key is shown only once.',
  code: 'Report code',
  key: 'Query key',
  routedTo: 'Handled by',
  acceptBy: 'Decision on acceptance',
  acceptByText: (date: string) => `by ${date}`,
  print: 'Print or save this receipt',
  lookup: 'Check progress',
  another: 'Send another report',
  keepSafe: 'Keep the report code and query key safe and do not share them.',
} satisfies Messages['receipt'];
