import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { Sql } from './db/sql.js';
import { migrate } from './db/migrate.js';
import { sealedAt, SealedValueError, type DataKeys } from './crypto.js';
import { openSealer } from './keys.js';
import { Problem } from './problem.js';
import { jsonBody } from './validate.js';
import { createClientSalts, hit, limitFailures, pruneRateLimits, type Limit } from './rate-limit.js';
import { createClientBucket } from './client-address.js';
import { jsonLogger, type Logger } from './log.js';
import { createNoticeService, solutionOf } from './notice.js';
import { createPow, DEFAULT_POW, type PowSettings } from './pow.js';
import { createSmsService, devOutboxSender, DEFAULT_SMS_LIMITS, type SmsLimits, type SmsSender } from './sms.js';
import { createReportService } from './reports/service.js';
import { createRegionIndex, type RegionIndex } from './regions.js';
import { createUploadRoutes, type UploadLimits } from './uploads/routes.js';
import { createStaffRoutes } from './staff/index.js';
import { defaultNotice } from './content/notice.js';
import { dictionaries } from './content/dictionaries.js';
import { ReportDraft, SupplementDraft } from '../sdk/schemas/report.js';
import { SmsCodeRequest } from '../sdk/schemas/sms.js';
import { DevAction } from '../sdk/schemas/dev.js';
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
  const sealer = await openSealer(sql, options.dataKey, () => clock.now());
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
  const reports = createReportService({ sql, clock, sealer, regions, attachments: uploads.attachments, sms });

  // Every per-client bucket comes from clientBucket (#17.1) and is stored only under the day's salt (#17.6).
  const clientBucket = createClientBucket({ trustProxy: options.trustProxy, trustedProxies: options.trustedProxies });
  const salts = createClientSalts(sql, sealer.lookupHash('aqjb:rate-limit-pepper'));
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
  });
  app.use(
    '*',
    cors({
      origin: (origin) => (allowOrigins.has(origin) || allowOrigins.has('*') ? origin : null),
      allowMethods: ['GET', 'POST', 'PATCH', 'HEAD', 'DELETE', 'OPTIONS'],
      allowHeaders: [
        'Content-Type',
        'Idempotency-Key',
        'X-Report-Code',
        'X-Query-Key',
        'Tus-Resumable',
        'Upload-Length',
        'Upload-Offset',
        'Upload-Metadata',
        'Upload-Defer-Length',
        'Upload-Concat',
        'X-HTTP-Method-Override',
      ],
      exposeHeaders: ['Location', 'Tus-Resumable', 'Tus-Version', 'Tus-Max-Size', 'Tus-Extension', 'Upload-Offset', 'Upload-Length', 'Upload-Expires', 'Retry-After'],
      credentials: false,
      maxAge: 600,
    }),
  );

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

  app.get('/health', async (c) => {
    if (draining) return c.json({ status: 'draining' }, 503);
    await sql.query('SELECT 1');
    return c.json({ status: 'ok', database: sql.kind });
  });

  app.get('/notice', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(notice);
  });
  app.post('/notice/receipts', async (c) => {
    await limit(c, 'receipt', limits.noticeReceipts);
    return c.json(await notices.open(await clientHash(c)), 201);
  });
  app.post('/notice/receipts/:id/confirm', async (c) => c.json(await notices.confirm(c.req.param('id'), await solutionOf(c))));

  app.get('/regions', (c) => {
    const parent = c.req.query('parent') || undefined;
    if (parent !== undefined && !/^\d{6}$/.test(parent)) throw new Problem(400, 'BAD_REQUEST');
    const list = regions.children(parent);
    if (!list) throw new Problem(404, 'NOT_FOUND');
    c.header('Cache-Control', 'public, max-age=86400');
    return c.json({ parent: parent ?? null, regions: list });
  });
  // Before /regions/:code, which would take 'search' for a code.
  app.get('/regions/search', (c) => {
    const query = (c.req.query('q') ?? '').trim();
    const within = c.req.query('within') || undefined;
    if (!query || query.length > 20 || (within !== undefined && !/^\d{6}$/.test(within))) throw new Problem(400, 'BAD_REQUEST');
    const hits = regions.search(query, within);
    if (!hits) throw new Problem(404, 'NOT_FOUND');
    c.header('Cache-Control', 'public, max-age=86400');
    return c.json({ query, within: within ?? null, hits: hits.slice(0, 50) });
  });
  app.get('/regions/:code', (c) => {
    const code = c.req.param('code');
    const record = /^\d{6}$/.test(code) ? regions.get(code) : undefined;
    if (!record) throw new Problem(404, 'NOT_FOUND');
    const { parent: _parent, ...region } = record;
    const ancestors = regions.ancestors(code).map(({ parent: _p, ...r }) => r);
    c.header('Cache-Control', 'public, max-age=86400');
    return c.json({ ...region, ancestors });
  });
  app.get('/dictionaries', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.json(dictionaries);
  });

  app.post('/sms/codes', async (c) => {
    const request = await jsonBody(c, SmsCodeRequest);
    return c.json(await sms.request(request, await clientHash(c)), 201);
  });

  app.post('/reports', async (c) => {
    const key = c.req.header('Idempotency-Key');
    if (!key) throw new Problem(400, 'IDEMPOTENCY_KEY_REQUIRED');
    if (!/^[A-Za-z0-9_-]{8,128}$/.test(key)) throw new Problem(400, 'BAD_REQUEST', { message: 'Idempotency-Key 格式不正确' });
    const draft = await jsonBody(c, ReportDraft);
    await limit(c, 'report', limits.reports);
    const { receipt, created } = await reports.submit(draft, key);
    // Nothing about the report (no region, no code): beside a proxy's log it would point at the sender (#17.6).
    if (created) log('info', 'report.created', { mode: draft.mode });
    return c.json(receipt, created ? 201 : 200);
  });

  // Code and key travel in headers, never in the URL, which proxies log beside the client's address (#17.6).
  const queryKeyOf = (c: Context) => {
    const key = c.req.header('X-Query-Key');
    if (!key) throw new Problem(404, 'REPORT_NOT_FOUND');
    return key;
  };
  const reportCodeOf = (c: Context) => {
    const code = c.req.header('X-Report-Code');
    if (!code) throw new Problem(404, 'REPORT_NOT_FOUND');
    return code;
  };
  /**
   * Limits for anything that takes a report code and query key (#17.8): every lookup counts per client; per code,
   * only failures (unknown code, wrong key) count, on the normalised code, so `k7m9-qxrt…` is the same bucket as
   * `K7M9QXRT…` and the owner's correct lookups never bring the lock closer.
   */
  const lookupGuard = async (c: Context, codeText: string, run: () => Promise<Response>): Promise<Response> => {
    await limit(c, 'lookup', limits.lookupsPerClient);
    const parsed = parseReportCode(codeText);
    const code = parsed.ok ? parsed.code : parsed.normalized.slice(0, 32);
    const now = clock.now();
    const bucket = `lookup-failures:${await salts.hash(`code:${code}`, now)}`;
    const notFound = (error: unknown) => error instanceof Problem && error.code === 'REPORT_NOT_FOUND';
    return limitFailures(sql, bucket, limits.lookupsPerCode, now, run, notFound);
  };
  app.get('/reports/progress', async (c) => {
    const code = reportCodeOf(c);
    return lookupGuard(c, code, async () => c.json(await reports.progress(code, queryKeyOf(c))));
  });
  app.post('/reports/supplements', async (c) => {
    const code = reportCodeOf(c);
    return lookupGuard(c, code, async () => {
      const draft = await jsonBody(c, SupplementDraft);
      return c.json(await reports.addSupplement(code, queryKeyOf(c), draft), 201);
    });
  });

  app.route('/uploads', uploads.routes);
  // Only refusals count: a province's backfill with a valid token is never slowed, while a client that keeps
  // presenting bad tokens gets 429 before its token is looked at (and before another audit row is written).
  const staffRefused = Symbol('staff token refused');
  app.use('/staff/*', async (c, next) => {
    const bucket = `staff-auth:${await clientHash(c)}`;
    const attempt = async () => {
      await next();
      if (c.res.status === 401) throw staffRefused;
    };
    await limitFailures(sql, bucket, limits.staffAuthFailures, clock.now(), attempt, (e) => e === staffRefused).catch((e: unknown) => {
      if (e !== staffRefused) throw e;
    });
  });
  app.route('/staff', createStaffRoutes({ sql, clock, sealer, regions, reports }));

  if (options.dev) {
    app.post('/dev/reports/:code/actions', async (c) => {
      const action = await jsonBody(c, DevAction);
      return c.json(await reports.act(c.req.param('code'), action));
    });
    app.get('/dev/outbox', async (c) => {
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
