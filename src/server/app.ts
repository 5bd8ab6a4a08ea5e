import { Hono, type Context, type MiddlewareHandler, type Next } from 'hono';
import { cors } from 'hono/cors';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { Sql } from './db/sql.js';
import { migrate } from './db/migrate.js';
import { sealedAt, SealedValueError, type CipherName, type DataKeys } from './crypto.js';
import { openSealer } from './keys.js';
import { Problem } from './problem.js';
import { methodAllowed, register } from './validate.js';
import { createClientSalts, hit, limitFailures, pruneRateLimits, RateLimited, type Limit } from './rate-limit.js';
import { createMetrics } from './metrics.js';
import { createReadiness } from './readiness.js';
import { createClientBucket } from './client-address.js';
import { jsonLogger, type Logger } from './log.js';
import { createNoticeService } from './notice.js';
import { createPow, DEFAULT_POW, type PowSettings } from './pow.js';
import { createSmsService, devOutboxSender, DEFAULT_SMS_LIMITS, type SmsLimits, type SmsSender } from './sms.js';
import { createReportService } from './reports/service.js';
import { createHandlingService } from './reports/handling.js';
import { createRegionIndex, type RegionIndex } from './regions.js';
import { createUploadRoutes, type UploadLimits } from './uploads/routes.js';
import { createStaffRoutes } from './staff/index.js';
import { defaultNotice } from './content/notice.js';
import { dictionaries } from './content/dictionaries.js';
import { ROUTES, type Route } from '../sdk/contract/index.js';
import type { Fields } from '../sdk/contract/route.js';
import { IDEMPOTENCY_KEY_HEADER, QUERY_KEY_HEADER, REPORT_CODE_HEADER } from '../sdk/contract/reports.js';
import type { Notice } from '../sdk/schemas/notice.js';
import { parseReportCode } from '../sdk/report-code.js';

export interface RateLimits {
  noticeReceipts: Limit;
  reports: Limit;
  lookupsPerClient: Limit;
  lookupsPerCode: Limit;
  /** Refused staff tokens (401) per client: token guessing stays slow and cannot flood the audit table. */
  staffAuthFailures: Limit;
  sms: SmsLimits;
}

export const DEFAULT_LIMITS: RateLimits = {
  noticeReceipts: { max: 300, windowMs: 3600_000 },
  // Portals sit behind carrier NAT: many citizens can share one address.
  reports: { max: 60, windowMs: 3600_000 },
  lookupsPerClient: { max: 30, windowMs: 60_000 },
  lookupsPerCode: { max: 60, windowMs: 3600_000 },
  staffAuthFailures: { max: 20, windowMs: 3600_000 },
  sms: DEFAULT_SMS_LIMITS,
};

export interface AppOptions {
  sql: Sql;
  /** Folder for uploads (shared storage when several instances run). */
  dataDir: string;
  /**
   * Key for reporter fields at rest (AES-256-GCM): one 32-byte key, or a keyring with the current key first. It
   * must open the database's key check, or createApp throws a `KeyCheckError` (src/server/keys.ts).
   */
  dataKey: DataKeys;
  /**
   * The cipher new reporter values, evidence files and lookup hashes use: `aes` (AES-256-GCM, HMAC-SHA256; the
   * default) or `sm4` (SM4-CTR with HMAC-SM3, HMAC-SM3; for a GB/T 39786 assessment). Values under either keep
   * opening; `aqjb rotate-key` with the same cipher moves the rest (src/server/crypto.ts).
   */
  cipher?: CipherName;
  clock?: Clock;
  /** Enables `/dev/*`: handling actions and the SMS outbox. Never in production. */
  dev?: boolean;
  /** Portal origins allowed to call the API from a browser (CORS). */
  allowOrigins?: readonly string[];
  /** One proxy of ours in front: the client is the right-most `X-Forwarded-For` entry, the one it appended. */
  trustProxy?: boolean;
  /** CIDRs of our proxies (e.g. `10.0.0.0/8`): `X-Forwarded-For` is walked from the right past them. */
  trustedProxies?: readonly string[];
  /** Seconds of reading before reporting; never below 15. */
  minReadSeconds?: number;
  notice?: Notice;
  limits?: Partial<RateLimits>;
  /** The notice's proof-of-work: difficulty under load, open receipts per client (`DEFAULT_POW`, #17.2). */
  pow?: Partial<PowSettings>;
  smsSender?: SmsSender;
  logger?: Logger;
  regions?: RegionIndex;
  /** Unfinished uploads are removed after this long. */
  uploadExpiryMs?: number;
  /**
   * Bytes of evidence kept in total (finished plus declared by unfinished uploads); beyond it a creation gets 507
   * `STORAGE_FULL`. Unlimited by default: only the free-space margin (`uploadLimits.minFreeBytes`) applies.
   */
  uploadQuotaBytes?: number;
  /** Per-client upload windows and the free-space margin (`DEFAULT_UPLOAD_LIMITS`, #17.5). */
  uploadLimits?: Partial<UploadLimits>;
  /** Finished uploads no report or supplement took are deleted after this long (48 h by default). */
  orphanAttachmentMs?: number;
  /**
   * `AQJB_METRICS_TOKEN` (32+ characters): `/metrics` answers only `Authorization: Bearer <token>`. Without it, only
   * loopback clients that came through no proxy (src/server/metrics.ts); everyone else gets 404.
   */
  metricsToken?: string;
}

export const MIN_READ_SECONDS = 15;

/** Builds the reference server's Hono app on an open database. Only `main.ts`/`startServer` listen. */
export async function createApp(options: AppOptions) {
  const { sql, dataDir } = options;
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? jsonLogger();
  const limits: RateLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const minReadSeconds = Math.max(MIN_READ_SECONDS, options.minReadSeconds ?? MIN_READ_SECONDS);
  const notice = options.notice ? { ...options.notice, minReadSeconds } : defaultNotice(minReadSeconds);
  const allowOrigins = new Set(options.allowOrigins ?? []);

  await migrate(sql);
  const sealer = await openSealer(sql, options.dataKey, () => clock.now(), { cipher: options.cipher });
  const regions = options.regions ?? createRegionIndex();
  const uploads = createUploadRoutes({
    sql,
    dataDir,
    clock,
    expiryMs: options.uploadExpiryMs,
    log: (event) => log('info', 'upload', event as Record<string, string | number>),
    sealer,
    clientOf: (c) => clientHash(c),
    uploadLimits: { ...options.uploadLimits, ...(options.uploadQuotaBytes !== undefined ? { quotaBytes: options.uploadQuotaBytes } : {}) },
    orphanAttachmentMs: options.orphanAttachmentMs,
  });
  const sms = createSmsService({
    sql,
    clock,
    sealer,
    limits: limits.sms,
    send: options.smsSender ?? (options.dev ? devOutboxSender(sql, sealer, clock) : undefined),
  });
  const pow = createPow({ sql, clock, secret: sealer.lookupHash('aqjb:pow:v1'), settings: { ...DEFAULT_POW, ...options.pow } });
  const notices = createNoticeService({ sql, clock, minReadSeconds, pow });
  const metrics = createMetrics({
    routes: Object.values(ROUTES).filter((r: Route) => options.dev || !('dev' in r)),
    token: options.metricsToken,
    uploadsInProgress: () => uploads.inProgress(),
    pool: sql.poolCounts ? () => sql.poolCounts!() : undefined,
  });
  const readiness = createReadiness({ sql, directories: uploads.directories });
  const onFiled = ({ channel, mode }: { channel: string; mode: string }) => metrics.reportFiled(channel, mode);
  const reports = createReportService({ sql, clock, sealer, regions, attachments: uploads.attachments, sms, onFiled });
  // The one state machine of handling: the staff API's actions and, with --dev, the token-less demo actions.
  const handling = createHandlingService({ sql, clock, regions, reports });

  // Every per-client bucket comes from clientBucket (#17.1) and is stored only under the day's salt (#17.6).
  const clientBucket = createClientBucket({ trustProxy: options.trustProxy, trustedProxies: options.trustedProxies });
  const salts = createClientSalts(sql, sealer.lookupHash('aqjb:rate-limit-pepper'), sealer.hmac); // HMAC-SM3 under sm4
  const clientHash = (c: Context) => salts.hash(`client:${clientBucket(c)}`, clock.now());
  const limit = async (c: Context, name: string, l: Limit) => hit(sql, `${name}:${await clientHash(c)}`, l, clock.now());

  const app = new Hono();
  let draining = false;

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    // The API answers JSON only (errors and tus too): nothing in it may run, load or be framed (#17.12).
    c.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    c.header('Referrer-Policy', 'no-referrer');
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
    // Method, route and status only: never bodies, query strings, keys or addresses.
    log('info', 'request', {
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
    metrics.observe(c, (performance.now() - started) / 1000);
    if (c.res.status === 429) metrics.refused(c.error instanceof RateLimited ? c.error.limit : 'other');
  });
  // What a browser may send and read comes from the route table: the methods and request headers its public routes
  // declare, and the headers their answers carry. Staff routes are left out: a staff token never belongs in a browser.
  const browserRoutes: Route[] = Object.values(ROUTES).filter((r: Route) => !r.security);
  const names = (fields: readonly (Fields | undefined)[]) => [...new Set(fields.flatMap((f) => (f ? Object.keys(f.shape) : [])))];
  const corsHeaders = cors({
    origin: (origin) => (allowOrigins.has(origin) || allowOrigins.has('*') ? origin : null),
    allowMethods: [...new Set(browserRoutes.map((r) => r.method.toUpperCase()))],
    allowHeaders: ['Content-Type', ...names(browserRoutes.map((r) => r.headers))],
    exposeHeaders: ['Retry-After', ...names(browserRoutes.flatMap((r) => Object.values(r.responseHeaders ?? {})))],
    credentials: false,
    maxAge: 600,
  });
  // A preflight names the method it asks for; an OPTIONS without one is a tus discovery request, which tus answers
  // with the versions and extensions it speaks (tus 1.0), not the CORS layer.
  app.use('*', (c, next) => (c.req.method === 'OPTIONS' && !c.req.header('Access-Control-Request-Method') ? next() : corsHeaders(c, next)));

  // No identifier, code or search term of ours holds a control character, and PostgreSQL refuses NUL in text: a
  // path or query string that decodes to one is refused here, once, before any route can hand it to SQL.
  app.use('*', async (c, next) => {
    const url = c.req.url;
    const raw = url.slice(url.indexOf('/', url.indexOf('//') + 2));
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      throw new Problem(400, 'BAD_REQUEST');
    }
    if (/[\u0000-\u001f\u007f]/.test(decoded)) throw new Problem(400, 'BAD_REQUEST');
    await next();
  });

  // A path of the table asked with a method it does not list: 405 with the methods it does, before any route or
  // token check (a HEAD-only tus URL would otherwise answer a GET from the HEAD handler).
  app.use('*', methodAllowed(Object.values(ROUTES).filter((r) => options.dev || !('dev' in r))));

  app.onError((error, c) => {
    if (error instanceof Problem) {
      if (error.status === 429 && error.extra.retryAfterMs !== undefined) {
        c.header('Retry-After', String(Math.ceil(error.extra.retryAfterMs / 1000)));
      }
      return c.json(error.body, error.status);
    }
    if (error instanceof SealedValueError) {
      // An altered value, or one copied from another row: nobody's data is shown, and the operator hears of it.
      log('error', 'sealed.unreadable', { method: c.req.method, route: c.req.routePath });
      return c.json(new Problem(409, 'INTEGRITY_FAILED').body, 409);
    }
    log('error', 'unhandled', { method: c.req.method, route: c.req.routePath, error: (error as Error).name });
    return c.json(new Problem(500, 'INTERNAL').body, 500);
  });
  app.notFound((c) => c.json(new Problem(404, 'NOT_FOUND').body, 404));

  // Every route comes from the contract's table (src/sdk/contract): its params, query, headers and body are checked
  // there before the handler runs, and openapi.json is built from the same entries.
  register(app, ROUTES.getHealth, async (c) => {
    if (draining) return c.json({ status: 'draining' }, 503);
    const failed = await readiness();
    if (failed.length) return c.json({ status: 'unavailable', failed }, 503);
    return c.json({ status: 'ok', database: sql.kind });
  });
  register(app, ROUTES.getLiveness, (c) => c.json({ status: 'ok' }));
  register(app, ROUTES.getMetrics, async (c) => {
    if (!metrics.allowed(c)) throw new Problem(404, 'NOT_FOUND');
    const { body, contentType } = await metrics.render();
    return c.body(body, 200, { 'Content-Type': contentType });
  });

  register(app, ROUTES.getNotice, (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(notice);
  });
  register(app, ROUTES.startNoticeReceipt, async (c) => {
    await limit(c, 'receipt', limits.noticeReceipts);
    return c.json(await notices.open(await clientHash(c)), 201);
  });
  register(app, ROUTES.confirmNoticeReceipt, async (c, { params, body }) => c.json(await notices.confirm(params.id, body?.solution)));

  register(app, ROUTES.listRegions, (c, { query: { parent } }) => {
    const list = regions.children(parent);
    if (!list) throw new Problem(404, 'NOT_FOUND');
    c.header('Cache-Control', 'public, max-age=86400');
    return c.json({ parent: parent ?? null, regions: list });
  });
  // Before /regions/{code}, which would take 'search' for a code.
  register(app, ROUTES.searchRegions, (c, { query: { q, within } }) => {
    const hits = regions.search(q, within);
    if (!hits) throw new Problem(404, 'NOT_FOUND');
    c.header('Cache-Control', 'public, max-age=86400');
    return c.json({ query: q, within: within ?? null, hits: hits.slice(0, 50) });
  });
  register(app, ROUTES.getRegion, (c, { params: { code } }) => {
    const record = regions.get(code);
    if (!record) throw new Problem(404, 'NOT_FOUND');
    const { parent: _parent, ...region } = record;
    const ancestors = regions.ancestors(code).map(({ parent: _p, ...r }) => r);
    c.header('Cache-Control', 'public, max-age=86400');
    return c.json({ ...region, ancestors });
  });
  register(app, ROUTES.getDictionaries, (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.json(dictionaries);
  });

  register(app, ROUTES.sendSmsCode, async (c, { body }) => c.json(await sms.request(body, await clientHash(c)), 201));

  register(app, ROUTES.submitReport, async (c, { headers, body: draft }) => {
    await limit(c, 'report', limits.reports);
    const { receipt, created } = await reports.submit(draft, headers[IDEMPOTENCY_KEY_HEADER]);
    // Nothing about the report (no region, no code): beside a proxy's log it would point at the sender (#17.6).
    if (created) log('info', 'report.created', { mode: draft.mode });
    return c.json(receipt, created ? 201 : 200);
  });

  /**
   * Runs the rest of the request under `limitFailures`: it counts against `bucket` only when `failed()` says so once
   * it has answered, and past the limit it is refused (429) before it runs.
   */
  const countingFailures = async (bucket: string, l: Limit, next: Next, failed: () => boolean): Promise<void> => {
    const failure = Symbol('failed');
    const attempt = async () => {
      await next();
      if (failed()) throw failure;
    };
    await limitFailures(sql, bucket, l, clock.now(), attempt, (e) => e === failure).catch((e: unknown) => {
      if (e !== failure) throw e;
    });
  };

  /**
   * Limits for anything that takes a report code and query key (#17.8), ahead of their checks so refusals count:
   * every lookup counts per client; per code, only failures (unknown code, wrong or missing key) count, on the
   * normalised code, so `k7m9-qxrt…` is the same bucket as `K7M9QXRT…` and the owner's correct lookups never bring
   * the lock closer. Code and key travel in headers, never in the URL, which proxies log beside the client's address
   * (#17.6); a request without a code is refused (404) before anything is counted.
   */
  const lookupGuard: MiddlewareHandler = async (c, next) => {
    const codeText = c.req.header(REPORT_CODE_HEADER);
    if (!codeText) return next();
    await limit(c, 'lookup', limits.lookupsPerClient);
    const parsed = parseReportCode(codeText);
    const code = parsed.ok ? parsed.code : parsed.normalized.slice(0, 32);
    const bucket = `lookup-failures:${await salts.hash(`code:${code}`, clock.now())}`;
    await countingFailures(bucket, limits.lookupsPerCode, next, () => c.error instanceof Problem && c.error.code === 'REPORT_NOT_FOUND');
  };
  const access = (headers: { [REPORT_CODE_HEADER]: string; [QUERY_KEY_HEADER]: string }) =>
    [headers[REPORT_CODE_HEADER], headers[QUERY_KEY_HEADER]] as const;
  register(app, ROUTES.getProgress, async (c, { headers }) => c.json(await reports.progress(...access(headers))), {
    before: [lookupGuard],
  });
  register(
    app,
    ROUTES.addSupplement,
    async (c, { headers, body }) => c.json(await reports.addSupplement(...access(headers), body), 201),
    { before: [lookupGuard] },
  );

  app.route('/uploads', uploads.routes);
  // Only refusals count: a province's backfill with a valid token is never slowed, while a client that keeps
  // presenting bad tokens gets 429 before its token is looked at (and before another audit row is written).
  app.use('/staff/*', async (c, next) =>
    countingFailures(`staff-auth:${await clientHash(c)}`, limits.staffAuthFailures, next, () => c.res.status === 401),
  );
  app.route('/staff', createStaffRoutes({ sql, clock, sealer, regions, reports, handling }));

  if (options.dev) {
    // The staff actions without a token, anywhere: for demos and tests only.
    const devActor = { tokenId: null, scope: null };
    register(app, ROUTES.applyDevAction, async (c, { params, body }) => c.json(await handling.act(params.code, body, devActor)));
    register(app, ROUTES.getDevOutbox, async (c) => {
      const { rows } = await sql.query<{ id: string; phone_enc: string; code: string; sent_at: string | Date }>(
        'SELECT id::text AS id, phone_enc, code, sent_at FROM dev_outbox ORDER BY id DESC LIMIT 50',
      );
      return c.json({
        messages: rows.map((r) => ({ phone: sealer.open(r.phone_enc, sealedAt('dev_outbox', 'phone_enc', r.id)), code: r.code, sentAt: new Date(r.sent_at).toISOString() })),
      });
    });
  }

  /** Periodic housekeeping: expired uploads, old receipts and rate-limit windows. */
  async function maintain(): Promise<void> {
    await uploads.cleanup();
    await notices.prune();
    await reports.prune();
    await sms.prune();
    await pruneRateLimits(sql, clock.now());
    salts.forget(clock.now());
  }

  return {
    app,
    fetch: app.fetch,
    maintain,
    /** A finished attachment's stored bytes, decrypted (for staff routes and tests; never served to citizens). */
    readEvidence: (id: string) => uploads.attachments.readEvidence(id),
    /** Stop taking new work: health answers 503 so the load balancer drains this instance. */
    drain: () => {
      draining = true;
    },
    close: () => uploads.close(),
  };
}

export type ReferenceApp = Awaited<ReturnType<typeof createApp>>;
