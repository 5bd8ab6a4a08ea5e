import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Server, EVENTS } from '@tus/server';
import { Hono, type Context } from 'hono';
import { apiErrorMessages } from '../../messages/zh-CN.js';
import { ATTACHMENT_LIMITS, type AttachmentMime } from '../../sdk/schemas/attachments.js';
import type { ApiErrorCode } from '../../sdk/schemas/common.js';
import type { Clock } from '../clock.js';
import type { Sql } from '../db/sql.js';
import { createFinisher } from './finish.js';
import { createAttachmentStore, type AttachmentRepo } from './repo.js';
import { ClockedFileStore } from './store.js';

export { AttachmentUnavailableError, type AttachmentRepo } from './repo.js';

export interface UploadRoutesDeps {
  sql: Sql;
  /** Files go under `<dataDir>/uploads`: `partial/` (tus, with `.json` state) and `ready/` (finished). */
  dataDir: string;
  clock: Clock;
  /** Unfinished uploads expire this long after creation; 24 h by default. */
  expiryMs?: number;
  /** Receives ids, sizes, types and reasons; never file names or contents. */
  log?: (event: Record<string, unknown>) => void;
  /** Per-type size limits; `ATTACHMENT_LIMITS` by default. */
  limits?: { documentBytes: number; videoBytes: number };
  /** Build `Location` from `X-Forwarded-Proto`/`X-Forwarded-Host`: only behind a proxy that sets them. */
  trustProxy?: boolean;
}

export interface UploadRoutes {
  /** Mount with `app.route('/uploads', routes)`; works under any prefix. */
  routes: Hono;
  attachments: AttachmentRepo;
  /** Removes expired unfinished uploads; returns how many. Run it periodically (every instance may). */
  cleanup(): Promise<number>;
  /** Waits for uploads being finished. The database is the caller's to close. */
  close(): Promise<void>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const ID = /^[A-Za-z0-9_-]{22}$/; // 128 random bits, base64url
const MIME_LIKE = /^[\w.+-]{1,50}\/[\w.+-]{1,50}$/;

const STATUS_CODES: Record<number, ApiErrorCode> = {
  404: 'NOT_FOUND', 409: 'ILLEGAL_TRANSITION', 410: 'NOT_FOUND', 413: 'BODY_TOO_LARGE', 423: 'RATE_LIMITED',
};

function problem(status: number, code: ApiErrorCode, init?: Headers): Response {
  const headers = new Headers(init);
  headers.set('Tus-Resumable', '1.0.0');
  headers.set('Content-Type', 'application/json; charset=UTF-8');
  headers.set('Cache-Control', 'no-store');
  return new Response(JSON.stringify({ error: { code, message: apiErrorMessages[code] } }), { status, headers });
}

/** Evidence uploads over tus 1.0 (creation, HEAD resume, PATCH, termination, expiration). */
export function createUploadRoutes(deps: UploadRoutesDeps): UploadRoutes {
  const { sql, clock } = deps;
  const log = deps.log ?? (() => undefined);
  const limits = deps.limits ?? ATTACHMENT_LIMITS;
  const maxBytesFor = (mime: AttachmentMime) => (mime === 'video/mp4' ? limits.videoBytes : limits.documentBytes);
  const partialDir = path.join(deps.dataDir, 'uploads', 'partial');
  const readyDir = path.join(deps.dataDir, 'uploads', 'ready');
  mkdirSync(partialDir, { recursive: true });
  mkdirSync(readyDir, { recursive: true });

  const store = new ClockedFileStore(
    { directory: partialDir, expirationPeriodInMilliseconds: deps.expiryMs ?? DAY_MS },
    clock,
  );
  const attachments = createAttachmentStore(sql, clock, readyDir);
  const finisher = createFinisher({ store, attachments, clock, partialDir, readyDir, maxBytesFor, log });

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
    maxSize: Math.max(limits.documentBytes, limits.videoBytes),
    namingFunction: () => randomBytes(16).toString('base64url'),
    getFileIdFromRequest: (_req, last) => (last !== undefined && ID.test(last) ? last : undefined),
    // The POST URL is the collection: `<origin><its path>/<id>`, whatever prefix the app is mounted under.
    generateUrl: (req, { id }) => `${origin(req)}${new URL(req.url).pathname.replace(/\/+$/, '')}/${id}`,
    onUploadCreate: async (_req, upload) => {
      upload.creation_date = new Date(clock.now()).toISOString(); // expiry runs on the injected clock
      // Other tus clients send `filename`: names can identify the reporter, so only a type-like `filetype` stays.
      const filetype = upload.metadata?.filetype;
      const metadata: Record<string, string> = filetype && MIME_LIKE.test(filetype) ? { filetype } : {};
      // The citizen chose to keep a photo's location: stored as sent (see finish.ts).
      if (upload.metadata?.keeplocation === '1') metadata.keeplocation = '1';
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
      if (error instanceof Error) log({ event: 'upload.error', error: error.name });
      return undefined;
    },
  });
  tus.on(EVENTS.POST_CREATE, (_req, upload) => log({ event: 'upload.created', id: upload.id, size: upload.size }));

  /** tus answers with its own plain-text errors and CORS headers; the app's CORS middleware and error shape win. */
  const viaTus = async (c: Context): Promise<Response> => {
    const res = await tus.handleWeb(c.req.raw);
    const headers = new Headers();
    for (const [name, value] of res.headers) if (!name.startsWith('access-control-')) headers.set(name, value);
    if (res.status < 400) {
      // tus is told of no expiry (see ClockedFileStore), so Upload-Expires comes from our clock.
      const id = c.req.param('id') ?? headers.get('location')?.split('/').pop();
      const upload = id && ID.test(id) ? await store.getUpload(id).catch(() => undefined) : undefined;
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
    return id !== undefined && ID.test(id) ? id : undefined;
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
    .post('/', viaTus)
    .options('/', viaTus)
    .options('/:id', viaTus)
    // Hono routes HEAD to GET handlers. A plain GET never serves evidence: that is for authorised staff only.
    .get('/:id', async (c) => {
      const id = idOf(c);
      if (c.req.method !== 'HEAD' || !id) return problem(404, 'NOT_FOUND');
      const done = await attachments.result(id);
      if (done) {
        const length = String(done.uploadLength);
        return new Response(null, {
          status: 200,
          headers: { 'Tus-Resumable': '1.0.0', 'Upload-Offset': length, 'Upload-Length': length, 'Cache-Control': 'no-store' },
        });
      }
      if (await store.isExpired(id)) return problem(410, 'NOT_FOUND');
      return viaTus(c);
    })
    .patch('/:id', async (c) => {
      const id = idOf(c);
      if (!id) return problem(404, 'NOT_FOUND');
      if (await attachments.result(id)) return problem(409, 'ILLEGAL_TRANSITION'); // finished: HEAD says so
      if (await store.isExpired(id)) return problem(410, 'NOT_FOUND');
      return viaTus(c);
    })
    .delete('/:id', async (c) => {
      const id = idOf(c);
      if (!id) return problem(404, 'NOT_FOUND');
      const removed = await attachments.remove(id);
      if (removed === 'linked') return problem(403, 'FORBIDDEN'); // part of a report: evidence stays
      if (removed === undefined) return viaTus(c); // unfinished: tus termination
      await fs.rm(attachments.path(id), { force: true });
      await store.remove(id).catch(() => undefined);
      log({ event: 'upload.terminated', id });
      return new Response(null, { status: 204, headers: { 'Tus-Resumable': '1.0.0' } });
    });

  return {
    routes,
    attachments,
    async cleanup() {
      const count = await tus.cleanUpExpiredUploads();
      if (count > 0) log({ event: 'upload.expired', count });
      return count;
    },
    close: () => finisher.drain(),
  };
}
