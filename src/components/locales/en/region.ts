import type { Messages } from '../localize.js';

export default {
  heading: 'Where is the problem?',
  hint: 'Choose the province, city and county where the problem is. The local emergency-management bureau will handle the report.',
  required: 'Choose where the problem is (province, city, county)',
  chosen: (path: string) => `Selected: ${path}`,
} satisfies Messages['region'];
