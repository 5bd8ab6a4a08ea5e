import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Server, EVENTS, ERRORS, MemoryLocker } from '@tus/server';
import { Hono, type Context } from 'hono';
import { apiErrorMessages } from '../../messages/zh-CN.js';
import { TUS_VERSION, UploadId, uploadChunk } from '../../sdk/contract/uploads.js';
import { ATTACHMENT_LIMITS, AttachmentMime } from '../../sdk/schemas/attachments.js';
import type { ApiErrorCode } from '../../sdk/schemas/common.js';
import { createClientBucket } from '../client-address.js';
import type { Clock } from '../clock.js';
import { beijingDate } from '../deadlines.js';
import type { Sealer } from '../crypto.js';
import type { Sql } from '../db/sql.js';
import { Problem } from '../problem.js';
import { readSealedFile } from './cipher.js';
import { createFinisher } from './finish.js';
import { admitClient, createReservations, DEFAULT_UPLOAD_LIMITS, StorageFullError, type UploadLimits } from './quota.js';
import { createAttachmentStore, type AttachmentRepo } from './repo.js';
import { sealLegacyFiles } from './seal-legacy.js';
import { EvidenceFileStore, ownerOnlyDir } from './store.js';

export { AttachmentUnavailableError, type AttachmentRepo } from './repo.js';
export { DEFAULT_UPLOAD_LIMITS, parseByteSize, type UploadLimits } from './quota.js';

export interface UploadRoutesDeps {
  sql: Sql;
  /**
   * Files go under `<dataDir>/uploads`: `partial/` (tus, with `.json` state) and `ready/` (finished), all
   * encrypted (cipher.ts) and owner-only.
   */
  dataDir: string;
  clock: Clock;
  /** Seals each upload's file key into the database (the data key). */
  sealer: Sealer;
  /** Unfinished uploads expire this long after creation; 24 h by default. */
  expiryMs?: number;
  /** Receives upload ids, types and reasons (sizes of refused uploads only); never file names, contents or attachment ids. */
  log?: (event: Record<string, unknown>) => void;
  /** Per-type size limits; `ATTACHMENT_LIMITS` by default. */
  limits?: { documentBytes: number; videoBytes: number };
  /** Build `Location` from `X-Forwarded-Proto`/`X-Forwarded-Host`: only behind a proxy that sets them. */
  trustProxy?: boolean;
  /**
   * The client's rate-limit bucket, already hashed (the app passes the one every limit uses, under the day's
   * salt). Default: client-address.ts's bucket (right-most `X-Forwarded-For` with `trustProxy`, IPv6 by /64),
   * under a keyed hash.
   */
  clientOf?: (c: Context) => string | Promise<string>;
  /** Per-client windows, total quota and free-space margin; `DEFAULT_UPLOAD_LIMITS` for what is not given. */
  uploadLimits?: Partial<UploadLimits>;
  /** Finished attachments that no report or supplement took are deleted this long after finishing; 48 h by default. */
  orphanAttachmentMs?: number;
  /**
   * How long a request waits for an upload another request holds (tus asks the holder to stop first) before it
   * answers 423 `UPLOAD_LOCKED`; tus's 30 s by default.
   */
  lockTimeoutMs?: number;
}

export interface UploadRoutes {
  /** Mount with `app.route('/uploads', routes)`; works under any prefix. */
  routes: Hono;
  attachments: AttachmentRepo;
  /**
   * Removes expired unfinished uploads and orphaned finished ones, and seals files stored before encryption;
   * returns how many uploads it removed. Run it periodically (every instance may).
   */
  cleanup(): Promise<number>;
  /** Waits for uploads being finished. The database is the caller's to close. */
  close(): Promise<void>;
  /** The folders uploads are written to; readiness (`/health`) checks each can take a file. */
  directories: readonly string[];
  /** Unfinished uploads of every instance (one reservation each until finished, withdrawn or expired). */
  inProgress(): Promise<number>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_ORPHAN_ATTACHMENT_MS = 2 * DAY_MS;
/** A file name no row names is removed once it is this old (a finisher writes its file a moment before its row). */
const STRAY_AGE_MS = 3600_000;
/** 128 random bits, base64url, as the route table declares them. */
const isUploadId = (id: string) => UploadId.safeParse(id).success;
const MIME_LIKE = /^[\w.+-]{1,50}\/[\w.+-]{1,50}$/;

const STATUS_CODES: Record<number, ApiErrorCode> = {
  404: 'NOT_FOUND', 409: 'ILLEGAL_TRANSITION', 410: 'NOT_FOUND', 413: 'BODY_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE',
  423: 'UPLOAD_LOCKED', 429: 'RATE_LIMITED', 507: 'STORAGE_FULL',
};

/**
 * tus 1.0: every request but OPTIONS names the protocol version in `Tus-Resumable`; for any other (or none) the
 * server answers 412 with the versions it speaks in `Tus-Version` and must not process the request. tus itself
 * answers 400 for another version and checks nothing for the finished uploads our routes answer, so we check first.
 */
const versionRefusal = (c: Context): Response | undefined =>
  c.req.header('tus-resumable') === TUS_VERSION ? undefined : problem(412, 'TUS_VERSION_UNSUPPORTED', new Headers({ 'Tus-Version': TUS_VERSION }));

/**
 * A PATCH carries `application/offset+octet-stream` (tus 1.0: else 415, where tus answers 403 or 400) and an
 * `Upload-Offset` (tus answers 403 when it is missing, 400 when malformed: both are a bad request), and cannot
 * declare a length afterwards: every upload declares it at creation, so it can be reserved (no creation-defer-length).
 */
const patchRefusal = (c: Context): Response | undefined => {
  if (c.req.header('content-type') !== uploadChunk.rawBody) return problem(415, 'UNSUPPORTED_MEDIA_TYPE');
  const fixesLength = c.req.header('upload-length') !== undefined || c.req.header('upload-defer-length') !== undefined;
  if (fixesLength || c.req.header('upload-offset') === undefined) return problem(400, 'BAD_REQUEST');
  return undefined;
};

function problem(status: number, code: ApiErrorCode, init?: Headers): Response {
  return problemResponse(new Problem(status as 400, code), init);
}

/** Our one error body, with tus's header; a 429 says when to come back (`Retry-After` and `retryAfterMs`). */
function problemResponse(p: Problem, init?: Headers): Response {
  const headers = new Headers(init);
  headers.set('Tus-Resumable', TUS_VERSION);
  headers.set('Content-Type', 'application/json; charset=UTF-8');
  headers.set('Cache-Control', 'no-store');
  if (p.extra.retryAfterMs !== undefined) headers.set('Retry-After', String(Math.max(1, Math.ceil(p.extra.retryAfterMs / 1000))));
  return new Response(JSON.stringify(p.body), { status: p.status, headers });
}

/** What tus answers when `onUploadCreate` refuses (mapped to our body in `viaTus`). */
const tusRefusal = (status_code: number) => ({ status_code, body: `${status_code}\n` });

/** Evidence uploads over tus 1.0 (creation, HEAD resume, PATCH, termination, expiration). */
export function createUploadRoutes(deps: UploadRoutesDeps): UploadRoutes {
  const { sql, clock } = deps;
  const log = deps.log ?? (() => undefined);
  const limits = deps.limits ?? ATTACHMENT_LIMITS;
  const maxBytesFor = (mime: AttachmentMime) => (mime === 'video/mp4' ? limits.videoBytes : limits.documentBytes);
  const maxSize = Math.max(limits.documentBytes, limits.videoBytes);
  const uploadsDir = path.join(deps.dataDir, 'uploads');
  const partialDir = path.join(uploadsDir, 'partial');
  const readyDir = path.join(uploadsDir, 'ready');
  for (const dir of [uploadsDir, partialDir, readyDir]) ownerOnlyDir(dir);
  const expiryMs = deps.expiryMs ?? DAY_MS;
  const uploadLimits: UploadLimits = { ...DEFAULT_UPLOAD_LIMITS, ...deps.uploadLimits };
  const orphanMs = deps.orphanAttachmentMs ?? DEFAULT_ORPHAN_ATTACHMENT_MS;
  const clientBucket = createClientBucket({ trustProxy: deps.trustProxy });
  const clientOf = deps.clientOf ?? ((c: Context) => deps.sealer.lookupHash(`client:${clientBucket(c)}`));

  const reservations = createReservations({ sql, sealer: deps.sealer, clock, limits: uploadLimits, dir: uploadsDir, expiryMs });
  const store = new EvidenceFileStore({ directory: partialDir, expirationPeriodInMilliseconds: expiryMs }, clock, reservations);
  const attachments = createAttachmentStore(sql, clock, readyDir, deps.sealer, readSealedFile);
  const finisher = createFinisher({ store, attachments, release: reservations.release, clock, readyDir, maxBytesFor, log });
  let straySweptOn: string | undefined;

  const origin = (req: Request) => {
    const url = new URL(req.url);
    if (!deps.trustProxy) return url.origin;
    const first = (name: string) => req.headers.get(name)?.split(',')[0]?.trim();
    const proto = first('x-forwarded-proto');
    const host = first('x-forwarded-host');
    return `${proto === 'http' || proto === 'https' ? proto : url.protocol.slice(0, -1)}://${
      host && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? host : url.host
    }`;
  };

  const tus = new Server({
    path: '/uploads', // unused: ids and URLs come from the request, so any mount prefix works
    datastore: store,
    locker: new MemoryLocker({ acquireLockTimeout: deps.lockTimeoutMs ?? 30_000 }),
    maxSize,
    namingFunction: () => randomBytes(16).toString('base64url'),
    getFileIdFromRequest: (_req, last) => (last !== undefined && isUploadId(last) ? last : undefined),
    // The POST URL is the collection: `<origin><its path>/<id>`, whatever prefix the app is mounted under.
    generateUrl: (req, { id }) => `${origin(req)}${new URL(req.url).pathname.replace(/\/+$/, '')}/${id}`,
    onUploadCreate: async (_req, upload) => {
      upload.creation_date = new Date(clock.now()).toISOString(); // expiry runs on the injected clock
      // Other tus clients send `filename`: names can identify the reporter, so only a type-like `filetype` stays.
      const filetype = upload.metadata?.filetype;
      const metadata: Record<string, string> = filetype && MIME_LIKE.test(filetype) ? { filetype } : {};
      // The citizen chose to keep a photo's location: stored as sent (see finish.ts).
      if (upload.metadata?.keeplocation === '1') metadata.keeplocation = '1';
      // A declared type's own limit refuses a 100 MB "photo" now; the content still decides when it is finished.
      const declared = AttachmentMime.safeParse(filetype);
      const size = upload.size ?? 0;
      if (declared.success && size > maxBytesFor(declared.data)) throw tusRefusal(413);
      // The declared length is reserved before any byte is accepted, under the quota and the free-space margin.
      try {
        await reservations.reserve(upload.id, size);
      } catch (error) {
        if (error instanceof StorageFullError) {
          log({ event: 'upload.storage-full', size, reason: error.message });
          throw tusRefusal(507);
        }
        throw error;
      }
      return { metadata };
    },
    onUploadFinish: async (_req, upload) => {
      await finisher.finish({
        id: upload.id,
        size: upload.size ?? upload.offset,
        creationDate: upload.creation_date,
        keepLocation: upload.metadata?.keeplocation === '1',
      });
      return {};
    },
    onResponseError: (_req, error) => {
      // Another request held the upload past tus's lock timeout (a 500 in tus): 423 Locked, retry shortly.
      if (error === ERRORS.ERR_LOCK_TIMEOUT) return { status_code: 423, body: 'Locked\n' };
      if (error instanceof Error) log({ event: 'upload.error', error: error.name });
      return undefined;
    },
  });
  // No size: the declared length is the stored size of a video, which its attachment's row keeps (#17.6).
  tus.on(EVENTS.POST_CREATE, (_req, upload) => log({ event: 'upload.created', id: upload.id }));

  /** tus answers with its own plain-text errors and CORS headers; the app's CORS middleware and error shape win. */
  const viaTus = async (c: Context): Promise<Response> => {
    const res = await tus.handleWeb(c.req.raw);
    const headers = new Headers();
    for (const [name, value] of res.headers) if (!name.startsWith('access-control-')) headers.set(name, value);
    if (res.status < 400) {
      // tus is told of no expiry (see ClockedFileStore), so Upload-Expires comes from our clock.
      const id = c.req.param('id') ?? headers.get('location')?.split('/').pop();
      const upload = id && isUploadId(id) ? await store.getUpload(id).catch(() => undefined) : undefined;
      const expires = upload ? store.expiresAt(upload.creation_date) : Infinity;
      if (Number.isFinite(expires)) headers.set('Upload-Expires', new Date(expires).toUTCString());
      return new Response(res.body, { status: res.status, headers });
    }
    await res.body?.cancel();
    headers.delete('content-length');
    const code = STATUS_CODES[res.status] ?? (res.status >= 500 && res.status !== 501 ? 'INTERNAL' : 'BAD_REQUEST');
    return problem(res.status, code, headers);
  };

  const idOf = (c: Context) => {
    const id = c.req.param('id');
    return id !== undefined && isUploadId(id) ? id : undefined;
  };

  const routes = new Hono()
    .get('/:id/result', async (c) => {
      const id = idOf(c);
      if (!id) return problem(404, 'NOT_FOUND');
      let done = await attachments.result(id);
      if (!done) {
        const upload = await store.getUpload(id).catch(() => undefined);
        if (!upload || (await store.isExpired(id))) return problem(404, 'NOT_FOUND');
        if (upload.size === undefined || upload.offset < upload.size) return problem(409, 'ATTACHMENT_NOT_READY');
        // Complete, but finishing failed or died (crash, another instance): finish it now.
        await finisher.finish({ id, size: upload.size, creationDate: upload.creation_date, keepLocation: upload.metadata?.keeplocation === '1' });
        done = await attachments.result(id);
        if (!done) return problem(409, 'ATTACHMENT_NOT_READY');
      }
      if (done.status === 'rejected') return problem(422, 'ATTACHMENT_REJECTED');
      c.header('Cache-Control', 'no-store');
      return c.json(done.attachment);
    })
    .post('/', async (c) => {
      const refused = versionRefusal(c);
      if (refused) return refused;
      // Every upload declares its length, so it can be reserved; tus would answer 501 for what it does not support.
      if (c.req.header('upload-defer-length') !== undefined || c.req.header('upload-concat') !== undefined) {
        return problem(400, 'BAD_REQUEST');
      }
      // Every creation counts against the client's windows, with the bytes it declares, before tus sees it.
      const length = c.req.header('upload-length');
      const parsed = length !== undefined && /^\d{1,16}$/.test(length) ? Number(length) : undefined;
      // Beyond the largest limit tus answers 413 anyway: such a length is not counted (nor can it overflow a counter).
      const declared = parsed !== undefined && parsed <= maxSize ? parsed : undefined;
      try {
        await admitClient(sql, await clientOf(c), declared, uploadLimits, clock.now());
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
        log({ event: 'upload.rate-limited' });
        c.error = error; // answered here in tus's shape; the app's middleware still sees which limit refused (metrics)
        return problemResponse(error);
      }
      return viaTus(c);
    })
    .options('/', viaTus)
    .options('/:id', viaTus)
    // Hono routes HEAD to GET handlers. A plain GET never serves evidence: that is for authorised staff only.
    .get('/:id', async (c) => {
      if (c.req.method !== 'HEAD') return problem(404, 'NOT_FOUND');
      const id = idOf(c);
      const refused = versionRefusal(c);
      if (refused || !id) return refused ?? problem(404, 'NOT_FOUND');
      const done = await attachments.result(id);
      if (done) {
        const length = String(done.uploadLength);
        return new Response(null, {
          status: 200,
          headers: { 'Tus-Resumable': TUS_VERSION, 'Upload-Offset': length, 'Upload-Length': length, 'Cache-Control': 'no-store' },
        });
      }
      if (await store.isExpired(id)) return problem(410, 'NOT_FOUND');
      return viaTus(c);
    })
    .patch('/:id', async (c) => {
      const id = idOf(c);
      const refused = versionRefusal(c) ?? patchRefusal(c);
      if (refused || !id) return refused ?? problem(404, 'NOT_FOUND');
      if (await attachments.result(id)) return problem(409, 'ILLEGAL_TRANSITION'); // finished: HEAD says so
      if (await store.isExpired(id)) return problem(410, 'NOT_FOUND');
      return viaTus(c);
    })
    .delete('/:id', async (c) => {
      const id = idOf(c);
      const refused = versionRefusal(c);
      if (refused || !id) return refused ?? problem(404, 'NOT_FOUND');
      const removed = await attachments.remove(id);
      if (removed === 'linked') return problem(403, 'FORBIDDEN'); // part of a report: evidence stays
      if (removed === undefined) return viaTus(c); // unfinished: tus termination
      await store.remove(id).catch(() => undefined);
      log({ event: 'upload.terminated', id });
      return new Response(null, { status: 204, headers: { 'Tus-Resumable': TUS_VERSION } });
    });

  return {
    routes,
    attachments,
    directories: [partialDir, readyDir],
    async inProgress() {
      const { rows } = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM upload_reservations WHERE expires_at > $1', [
        new Date(clock.now()).toISOString(),
      ]);
      return rows[0]?.n ?? 0;
    },
    async cleanup() {
      const count = await tus.cleanUpExpiredUploads();
      if (count > 0) log({ event: 'upload.expired', count });
      await reservations.pruneExpired();
      const orphans = await attachments.removeOrphans(orphanMs);
      if (orphans > 0) log({ event: 'upload.orphans-removed', count: orphans });
      const sealed = await sealLegacyFiles({ sql, sealer: deps.sealer, readyDir });
      if (sealed > 0) log({ event: 'upload.legacy-sealed', count: sealed });
      const settled = await attachments.settleLinked();
      if (settled > 0) log({ event: 'upload.settled', count: settled });
      // Names left by a crash (a finisher's file without its row, a settle's old or new name): once a day is enough.
      const today = beijingDate(clock.now());
      if (straySweptOn !== today) {
        straySweptOn = today;
        const strays = await attachments.removeStrayFiles(STRAY_AGE_MS);
        if (strays > 0) log({ event: 'upload.strays-removed', count: strays });
      }
      return count + orphans;
    },
    close: () => finisher.drain(),
  };
}
