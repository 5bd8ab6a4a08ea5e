import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Attachment, AttachmentMime } from '../../sdk/schemas/attachments.js';
import type { Clock } from '../clock.js';
import { startOfBeijingDay } from '../deadlines.js';
import type { Queryable, Sql } from '../db/sql.js';
import { sealedAt, type Sealer } from '../crypto.js';
import { FILE_KEY_BYTES } from './cipher.js';

export type RejectReason = 'type' | 'size' | 'format';

/**
 * Some named attachments cannot be used: unknown, expired, still uploading, rejected, or already part of a report.
 * The lead maps it to VALIDATION_FAILED on `attachmentIds` with the key `attachments.unknown`.
 */
export class AttachmentUnavailableError extends Error {
  override name = 'AttachmentUnavailableError';
  readonly ids: string[];
  constructor(ids: string[]) {
    super(`${ids.length} attachment(s) unavailable`); // ids are capabilities: kept out of the message
    this.ids = ids;
  }
}

/** Finished evidence in the database; the bytes are at `path(id)`. */
export interface AttachmentRepo {
  /** A finished (accepted) attachment, linked or not. */
  get(id: string): Promise<Attachment | undefined>;
  /**
   * Locks and returns the named attachments (in the given order, duplicates removed) inside the caller's transaction.
   * Each must be finished, accepted and not yet linked to any report.
   * @throws AttachmentUnavailableError listing every id that fails this, so nothing is linked half-way.
   */
  requireFinished(tx: Queryable, ids: readonly string[]): Promise<Attachment[]>;
  /**
   * Marks the attachments as belonging to one report (and supplement). Call after `requireFinished` in the same
   * transaction. @throws AttachmentUnavailableError if any was taken meanwhile.
   */
  link(tx: Queryable, ids: readonly string[], owner: { reportId: string; supplementId?: string }): Promise<void>;
  /** Attachments of a report, oldest first, with the supplement they came with. */
  listForReport(q: Queryable, reportId: string): Promise<(Attachment & { supplementId: string | null })[]>;
  /** Absolute path of a finished attachment's file: encrypted (read it with `readEvidence`). */
  path(id: string): string;
  /**
   * The stored bytes of a finished attachment (metadata already stripped), decrypted and authenticated chunk by
   * chunk as they are read; undefined when there is none. For staff routes and tests: never serve it to citizens.
   */
  readEvidence(id: string): Promise<AsyncIterable<Buffer> | undefined>;
}

/** What the upload routes need beyond the public repo. */
export interface AttachmentStore extends AttachmentRepo {
  result(id: string): Promise<{ status: 'ready'; attachment: Attachment; uploadLength: number } | { status: 'rejected'; reason: RejectReason; uploadLength: number } | undefined>;
  /** Records a finished upload with the key its file is sealed under; `done` runs in the same transaction. */
  recordReady(
    row: { id: string; mime: AttachmentMime; size: number; sha256: string; uploadLength: number; createdAt: number; fileKey: Uint8Array },
    done?: (tx: Queryable) => Promise<void>,
  ): Promise<void>;
  recordRejected(row: { id: string; reason: RejectReason; uploadLength: number; createdAt: number }, done?: (tx: Queryable) => Promise<void>): Promise<void>;
  /** The key a finished attachment's file is sealed under; null for a file stored before encryption. */
  fileKey(id: string): Promise<Buffer | null | undefined>;
  /**
   * Deletes attachments no report or supplement took within `maxAgeMs` of finishing (row first, so a report
   * linking it at that moment fails cleanly; then the file); rejected results go too. Returns how many.
   */
  removeOrphans(maxAgeMs: number): Promise<number>;
  /** Deletes an unlinked row; 'linked' when a report owns it, undefined when there is none. */
  remove(id: string): Promise<'removed' | 'linked' | undefined>;
}

const COLUMNS = 'id, mime, size, sha256';
interface Row {
  id: string;
  mime: AttachmentMime;
  size: number | string | bigint;
  sha256: string;
}
const toAttachment = (r: Row): Attachment => ({ attachmentId: r.id, mime: r.mime, size: Number(r.size), sha256: r.sha256 });
const unique = (ids: readonly string[]) => [...new Set(ids)];
const iso = (ms: number) => new Date(ms).toISOString();

/** The context a file key is sealed under: bound to its row, so a key copied to another attachment does not open. */
export const fileKeyContext = (id: string) => sealedAt('attachments', 'file_key_enc', id);

export function createAttachmentStore(
  sql: Sql,
  clock: Clock,
  readyDir: string,
  sealer: Sealer,
  readSealed: (file: string, key: Uint8Array) => AsyncIterable<Buffer>,
): AttachmentStore {
  const fileKey = async (id: string) => {
    const { rows } = await sql.query<{ file_key_enc: string | null }>(
      `SELECT file_key_enc FROM attachments WHERE id = $1 AND status = 'ready'`,
      [id],
    );
    if (!rows[0]) return undefined;
    if (rows[0].file_key_enc === null) return null;
    const key = Buffer.from(sealer.open(rows[0].file_key_enc, fileKeyContext(id)), 'base64');
    if (key.length !== FILE_KEY_BYTES) throw new Error('file key has the wrong length');
    return key;
  };
  return {
    async get(id) {
      const { rows } = await sql.query<Row>(`SELECT ${COLUMNS} FROM attachments WHERE id = $1 AND status = 'ready'`, [id]);
      return rows[0] && toAttachment(rows[0]);
    },

    async requireFinished(tx, ids) {
      const wanted = unique(ids);
      if (wanted.length === 0) return [];
      const { rows } = await tx.query<Row>(
        `SELECT ${COLUMNS} FROM attachments
          WHERE id = ANY($1::text[]) AND status = 'ready' AND report_id IS NULL FOR UPDATE`,
        [wanted],
      );
      const found = new Map(rows.map((r) => [r.id, toAttachment(r)]));
      const missing = wanted.filter((id) => !found.has(id));
      if (missing.length > 0) throw new AttachmentUnavailableError(missing);
      return wanted.map((id) => found.get(id)!);
    },

    async link(tx, ids, owner) {
      const wanted = unique(ids);
      if (wanted.length === 0) return;
      const { rowCount } = await tx.query(
        `UPDATE attachments SET report_id = $2, supplement_id = $3, linked_at = $4
          WHERE id = ANY($1::text[]) AND status = 'ready' AND report_id IS NULL`,
        // The date only, like the report's own time: a finer one would tie it to the request that filed it (#17.6).
        [wanted, owner.reportId, owner.supplementId ?? null, iso(startOfBeijingDay(clock.now()))],
      );
      // Throwing rolls the caller's transaction back, undoing the rows this statement did update.
      if (rowCount !== wanted.length) throw new AttachmentUnavailableError(wanted);
    },

    async listForReport(q, reportId) {
      const { rows } = await q.query<Row & { supplement_id: string | null }>(
        `SELECT ${COLUMNS}, supplement_id FROM attachments WHERE report_id = $1 ORDER BY finished_at, id`,
        [reportId],
      );
      return rows.map((r) => ({ ...toAttachment(r), supplementId: r.supplement_id }));
    },

    path: (id) => path.join(readyDir, id),

    fileKey,

    async readEvidence(id) {
      const key = await fileKey(id);
      if (key === undefined) return undefined;
      const file = path.join(readyDir, id);
      // A file stored before encryption (no key) is read as it is, until the sweep in cleanup() seals it
      // (seal-legacy.ts). With a key, only a sealed file is accepted: a plain one there would be a substitute.
      if (key === null) return createReadStream(file) as AsyncIterable<Buffer>;
      return readSealed(file, key);
    },

    async result(id) {
      const { rows } = await sql.query<Row & { status: string; reason: RejectReason; upload_length: string | number }>(
        `SELECT ${COLUMNS}, status, reason, upload_length FROM attachments WHERE id = $1`,
        [id],
      );
      const r = rows[0];
      if (!r) return undefined;
      const uploadLength = Number(r.upload_length);
      return r.status === 'ready'
        ? { status: 'ready', attachment: toAttachment(r), uploadLength }
        : { status: 'rejected', reason: r.reason, uploadLength };
    },

    async recordReady(a, done) {
      const sealed = sealer.seal(Buffer.from(a.fileKey).toString('base64'), fileKeyContext(a.id));
      await sql.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO attachments (id, status, mime, size, sha256, upload_length, created_at, finished_at, file_key_enc)
           VALUES ($1, 'ready', $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
          [a.id, a.mime, a.size, a.sha256, a.uploadLength, iso(a.createdAt), iso(clock.now()), sealed],
        );
        await done?.(tx);
      });
    },

    async recordRejected(a, done) {
      await sql.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO attachments (id, status, reason, upload_length, created_at, finished_at)
           VALUES ($1, 'rejected', $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
          [a.id, a.reason, a.uploadLength, iso(a.createdAt), iso(clock.now())],
        );
        await done?.(tx);
      });
    },

    async removeOrphans(maxAgeMs) {
      const { rows } = await sql.query<{ id: string; status: string }>(
        `DELETE FROM attachments WHERE report_id IS NULL AND finished_at < $1 RETURNING id, status`,
        [iso(clock.now() - maxAgeMs)],
      );
      for (const { id, status } of rows) if (status === 'ready') await fs.rm(path.join(readyDir, id), { force: true });
      return rows.length;
    },

    async remove(id) {
      const { rowCount } = await sql.query(`DELETE FROM attachments WHERE id = $1 AND report_id IS NULL`, [id]);
      if (rowCount > 0) return 'removed';
      const { rows } = await sql.query(`SELECT 1 FROM attachments WHERE id = $1`, [id]);
      return rows.length > 0 ? 'linked' : undefined;
    },
  };
}
