/**
 * `GET /metrics` in the Prometheus text format (#19.5): what an operator needs to see the service's load, and
 * nothing about anyone who used it.
 *
 *   const metrics = createMetrics({ routes, token, uploadsInProgress, pool });  // once per app: its own registry
 *   metrics.observe(c, seconds)   // every answer: by route pattern, method and status
 *   metrics.reportFiled(channel, mode) / metrics.refused(limit)
 *   metrics.allowed(c)            // the access rule below; the route answers 404 when it says no
 *
 * Labels are closed sets: a route is a path template of the contract table (`/uploads/{id}`) or `unmatched`, a
 * method one of the HTTP methods we route (else `OTHER`), a status a number, a limit a name we wrote. A report
 * code, query key, upload id, phone or address never reaches a label, and a client cannot add label values.
 *
 * Access: the numbers describe the service's load (how busy, which limits trip, how many uploads are open), which
 * helps whoever plans a flood, so they are not for the public internet. With `AQJB_METRICS_TOKEN` (32+ characters)
 * set, `/metrics` answers only `Authorization: Bearer <token>` (compared in constant time). Without it, only a client
 * on this machine's loopback that came through no proxy (no `X-Forwarded-For`, `Forwarded` or `X-Real-IP`): a proxy
 * on the same host would otherwise make every public request look local. Everyone else gets the 404 of a path that
 * does not exist.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Route } from '../sdk/contract/index.js';
import { bearerToken } from './bearer.js';
import { isLoopback } from './client-address.js';
import { routeMatcher } from './validate.js';

/** Shortest metrics token accepted: 32 characters, as for the SMS webhook secret. */
export const MIN_METRICS_TOKEN_LENGTH = 32;

export interface PoolCounts {
  total: number;
  idle: number;
  waiting: number;
}

export interface MetricsOptions {
  /** The routes this app serves, in the table's order (`/regions/search` before `/regions/{code}`). */
  routes: readonly Route[];
  /** `AQJB_METRICS_TOKEN`: a bearer token of 32+ characters; without it only loopback clients without a proxy. */
  token?: string;
  /** Unfinished uploads (the database's count: every instance's, and right after a restart). */
  uploadsInProgress: () => Promise<number>;
  /** PostgreSQL pool counts; absent for PGlite (one embedded connection). */
  pool?: () => PoolCounts;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The path template of the table that `path` falls under, or `unmatched`: never the path itself. */
export function routeLabeller(routes: readonly Route[]): (path: string) => string {
  const match = routeMatcher(routes);
  return (path) => match(path)?.template ?? 'unmatched';
}

/** Whether `header` is `Bearer <token>`, compared in constant time (digests of equal length, whatever was sent). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const sent = bearerToken(header);
  if (sent === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(sent), digest(token));
}

export function createMetrics(options: MetricsOptions) {
  if (options.token !== undefined && options.token.length < MIN_METRICS_TOKEN_LENGTH) {
    throw new Error(`AQJB_METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters (e.g. openssl rand -base64 32)`);
  }
  const token = options.token;
  // One registry per app: tests run many apps in one process, and the global default registry would collide.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'aqjb_' });
  const registers = [registry];
  const labelRoute = routeLabeller(options.routes);

  const requests = new Counter({
    name: 'aqjb_http_requests_total',
    help: 'Answered HTTP requests, by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'aqjb_http_request_duration_seconds',
    help: 'Time from the request reaching the app to its answer, by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const filed = new Counter({
    name: 'aqjb_reports_filed_total',
    help: 'Reports filed through this instance, by channel (web, letter, visit, fax, phone, legacy) and mode.',
    labelNames: ['channel', 'mode'] as const,
    registers,
  });
  const refusals = new Counter({
    name: 'aqjb_rate_limit_refusals_total',
    help: 'Requests refused with 429 by this instance, by the limit that refused them.',
    labelNames: ['limit'] as const,
    registers,
  });
  const { uploadsInProgress, pool } = options;
  new Gauge({
    name: 'aqjb_uploads_in_progress',
    help: 'Unfinished evidence uploads (counted in the database: all instances together).',
    registers,
    async collect() {
      // A database that does not answer leaves the last value; readiness (/health) reports the database.
      await uploadsInProgress().then(
        (n) => this.set(n),
        () => undefined,
      );
    },
  });
  if (pool) {
    new Gauge({
      name: 'aqjb_db_pool_connections',
      help: 'PostgreSQL pool of this instance: connections open (total), idle, and queries waiting for one.',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const counts = pool();
        for (const state of ['total', 'idle', 'waiting'] as const) this.set({ state }, counts[state]);
      },
    });
  }

  return {
    registry,
    /** Counts one answer. */
    observe(c: Context, seconds: number): void {
      const method = METHODS.has(c.req.method) ? c.req.method : 'OTHER';
      const labels = { route: labelRoute(c.req.path), method, status: String(c.res.status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
    reportFiled(channel: string, mode: string): void {
      filed.inc({ channel, mode });
    },
    refused(limit: string): void {
      refusals.inc({ limit });
    },
    /** The access rule at the top of this module. */
    allowed(c: Context): boolean {
      if (token !== undefined) return bearerMatches(c.req.header('authorization'), token);
      // Present at all, even empty: an empty X-Forwarded-For must not hide the X-Real-IP beside it.
      if (['x-forwarded-for', 'forwarded', 'x-real-ip'].some((name) => c.req.header(name) !== undefined)) return false;
      let address: string | undefined;
      try {
        address = getConnInfo(c).remote.address;
      } catch {
        return false; // not served by @hono/node-server: no socket to tell where it came from
      }
      return address !== undefined && isLoopback(address);
    },
    /** The exposition and its content type (Prometheus text format 0.0.4). */
    async render(): Promise<{ body: string; contentType: string }> {
      return { body: await registry.metrics(), contentType: registry.contentType };
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
