import * as z from 'zod/mini';
import { route } from './route.js';

export const Health = z.object({
  status: z.enum(['ok', 'draining']),
  database: z.optional(z.enum(['pglite', 'postgres'])),
});
export type Health = z.infer<typeof Health>;

export const getHealth = route({
  operationId: 'getHealth',
  method: 'get',
  path: '/health',
  responses: { 200: Health, 503: Health },
  errors: {},
});
