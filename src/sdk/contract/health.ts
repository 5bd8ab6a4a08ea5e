import * as z from 'zod/mini';
import { route } from './route.js';

/** What readiness checks (#19.5): the database answers, and the upload folders take a file. */
export const ReadinessCheck = z.enum(['database', 'uploads']);

export const Health = z.object({
  /** `ok`: ready; `draining`: shutting down; `unavailable`: a check in `failed` did not pass. */
  status: z.enum(['ok', 'draining', 'unavailable']),
  database: z.optional(z.enum(['pglite', 'postgres'])),
  /** With `unavailable`: the checks that failed (never a path or an error text). */
  failed: z.optional(z.array(ReadinessCheck)),
});
export type Health = z.infer<typeof Health>;

export const getHealth = route({
  operationId: 'getHealth',
  method: 'get',
  path: '/health',
  responses: { 200: Health, 503: Health },
  errors: {},
});

/** The process answers HTTP (`{ status: 'ok' }`); checks nothing else, so a database outage restarts no instance. */
export const getLiveness = route({
  operationId: 'getLiveness',
  method: 'get',
  path: '/health/live',
  responses: { 200: Health },
  errors: {},
});

/** Prometheus text format; for the operator's scraper only (bearer token or loopback, else 404 as if absent). */
export const getMetrics = route({
  operationId: 'getMetrics',
  method: 'get',
  path: '/metrics',
  responses: { 200: null },
  errors: { 404: ['NOT_FOUND'] },
});
