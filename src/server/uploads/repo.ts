import { randomBytes } from 'node:crypto';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Attachment, AttachmentMime } from '../../sdk/schemas/attachments.js';
import type { Clock } from '../clock.js';
import { startOfBeijingDay } from '../deadlines.js';
import type { Queryable, Sql } from '../db/sql.js';
import { sealedAt, type Sealer } from '../crypto.js';
import { fileKeyText, isSealedFile, parseFileKey, SEALED_MAGIC, type FileKey } from './cipher.js';

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
   * Gives the attachments to one report (and supplement), in the caller's transaction after `requireFinished`, and
   * returns their new ids, in the order given (duplicates removed): store these, never the ids the client sent.
   *
   * An upload's id travels in URLs (`PATCH /uploads/<id>`), so a proxy's access log holds it beside the client
   * address; kept by a report, it would tie the report to that address (#17.6). So each row moves to a new random id
   * that never left the server, its file key is re-sealed for that row, and its times keep the Beijing date only;
   * the bytes sent (`upload_length`) go. The file's name was random from the start (never the upload id) and stays.
   * @throws AttachmentUnavailableError if any was taken meanwhile.
   */
  link(tx: Queryable, ids: readonly string[], owner: { reportId: string; supplementId?: string }): Promise<string[]>;
  /** Attachments of a report, in the order the report and then its supplements listed them. */
  listForReport(q: Queryable, reportId: string): Promise<(Attachment & { supplementId: string | null })[]>;
  /** Absolute path of a finished attachment's file: encrypted (read it with `readEvidence`); undefined when none. */
  path(id: string): Promise<string | undefined>;
  /**
   * The stored bytes of a finished attachment (metadata already stripped), decrypted and authenticated chunk by
   * chunk as they are read; undefined when there is none. For staff routes and tests: never serve it to citizens.
   */
  readEvidence(id: string): Promise<AsyncIterable<Buffer> | undefined>;
}

/** What the upload routes need beyond the public repo. */
export interface AttachmentStore extends AttachmentRepo {
  result(id: string): Promise<{ status: 'ready'; attachment: Attachment; uploadLength: number } | { status: 'rejected'; reason: RejectReason; uploadLength: number } | undefined>;
  /**
   * Records a finished upload, its file's name under the ready folder and the key that file is sealed under; `done`
   * runs in the same transaction. False when the upload was already recorded (another finisher won).
   */
  recordReady(
    row: {
      id: string;
      mime: AttachmentMime;
      size: number;
      sha256: string;
      uploadLength: number;
      createdAt: number;
      file: string;
      fileKey: FileKey;
    },
    done?: (tx: Queryable) => Promise<void>,
  ): Promise<boolean>;
  recordRejected(row: { id: string; reason: RejectReason; uploadLength: number; createdAt: number }, done?: (tx: Queryable) => Promise<void>): Promise<void>;
  /** The key a finished attachment's file is sealed under; null for a file stored before encryption. */
  fileKey(id: string): Promise<FileKey | null | undefined>;
  /**
   * Deletes attachments no report or supplement took within `maxAgeMs` of finishing (row first, so a report
   * linking it at that moment fails cleanly; then the file); rejected results go too. Returns how many.
   */
  removeOrphans(maxAgeMs: number): Promise<number>;
  /** Deletes an unlinked row, then its file; 'linked' when a report owns it, undefined when there is none. */
  remove(id: string): Promise<'removed' | 'linked' | undefined>;
  /**
   * Renames the files of attachments linked on an earlier Beijing day than today, a batch per call, so no file's
   * kernel times (ctime: the moment it was finished, matching the last upload request in a proxy's log) stay finer
   * than the date; an attachment an earlier version linked under its upload id gets a new id too. Crash-safe: the
   * new name is a hard link until the row points to it, then the old name goes; a crash leaves a stray name.
   */
  settleLinked(batch?: number): Promise<number>;
  /** Removes file names in the ready folder that no row names, once their inode changed over `minAgeMs` ago. */
  removeStrayFiles(minAgeMs: number): Promise<number>;
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
const iso = (ms: number | Date) => new Date(ms).toISOString();
const isMissing = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
/** File systems without hard links: `settleLinked` copies instead. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK']);

/**
 * 128 random bits, base64url: the form of upload ids, of the ids attachments get when linked, and of stored file
 * names. The routes accept this form; a linked attachment's id is never sent to anyone, so it is never asked for.
 */
export const newRandomName = () => randomBytes(16).toString('base64url');
const NAME = /^[A-Za-z0-9_-]{22}$/;

/** The context a file key is sealed under: bound to its row, so a key copied to another attachment does not open. */
export const fileKeyContext = (id: string) => sealedAt('attachments', 'file_key_enc', id);

async function startsSealed(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const head = new Uint8Array(SEALED_MAGIC.length);
    await handle.read(head, 0, head.length, 0);
    return isSealedFile(head);
  } finally {
    await handle.close();
  }
}

/** The file of a row: its own name, or (stored by an earlier version) its id. */
const FILE = 'coalesce(file, id)';

export function createAttachmentStore(
  sql: Sql,
  clock: Clock,
  readyDir: string,
  sealer: Sealer,
  readSealed: (file: string | FileHandle, key: FileKey) => AsyncIterable<Buffer>,
): AttachmentStore {
  const openKey = (sealed: string | null, id: string) => {
    if (sealed === null) return null;
    return parseFileKey(sealer.open(sealed, fileKeyContext(id)));
  };
  /** The sealed file key of row `from`, sealed again for row `to` (the key itself, and so the file, stay). */
  const reseal = (sealed: string | null, from: string, to: string) =>
    sealed === null ? null : sealer.seal(sealer.open(sealed, fileKeyContext(from)), fileKeyContext(to));

  const locate = async (id: string) => {
    const { rows } = await sql.query<{ file: string; file_key_enc: string | null }>(
      `SELECT ${FILE} AS file, file_key_enc FROM attachments WHERE id = $1 AND status = 'ready'`,
      [id],
    );
    return rows[0] && { file: rows[0].file, key: openKey(rows[0].file_key_enc, id) };
  };

  /** Opens the file late, so an unread stream holds no descriptor; a settle that renamed it meanwhile is followed. */
  async function* evidence(id: string, found: { file: string; key: FileKey | null }): AsyncGenerator<Buffer> {
    let handle: FileHandle;
    try {
      handle = await fs.open(path.join(readyDir, found.file), 'r');
    } catch (error) {
      const again = isMissing(error) ? await locate(id) : undefined;
      if (!again || again.file === found.file) throw error;
      found = again;
      handle = await fs.open(path.join(readyDir, found.file), 'r');
    }
    // A file stored before encryption (no key) is read as it is, until the sweep in cleanup() seals it
    // (seal-legacy.ts). With a key, only a sealed file is accepted: a plain one there would be a substitute.
    if (found.key === null) yield* handle.createReadStream() as AsyncIterable<Buffer>;
    else yield* readSealed(handle, found.key);
  }

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
      if (wanted.length === 0) return [];
      const { rows } = await tx.query<{ id: string; file_key_enc: string | null; created_at: string | Date; finished_at: string | Date }>(
        `SELECT id, file_key_enc, created_at, finished_at FROM attachments
          WHERE id = ANY($1::text[]) AND status = 'ready' AND report_id IS NULL FOR UPDATE`,
        [wanted],
      );
      // Throwing rolls the caller's transaction back, undoing whatever it did.
      if (rows.length !== wanted.length) throw new AttachmentUnavailableError(wanted);
      const byId = new Map(rows.map((r) => [r.id, r]));
      const day = (at: string | Date) => iso(startOfBeijingDay(new Date(at).getTime()));
      const linkedAt = iso(startOfBeijingDay(clock.now())); // the date only, like the report's own time (#17.6)
      const fresh: string[] = [];
      for (const [position, id] of wanted.entries()) {
        const row = byId.get(id)!;
        const next = newRandomName();
        // `file` keeps naming the same file: a row from an earlier version, whose file is named by its id, gets
        // that name written out (settleLinked renames such a file the next day).
        await tx.query(
          `UPDATE attachments
              SET id = $2, file = ${FILE}, file_key_enc = $3, report_id = $4, supplement_id = $5, position = $6,
                  linked_at = $7, created_at = $8, finished_at = $9, upload_length = NULL
            WHERE id = $1`,
          [id, next, reseal(row.file_key_enc, id, next), owner.reportId, owner.supplementId ?? null, position, linkedAt,
            day(row.created_at), day(row.finished_at)],
        );
        fresh.push(next);
      }
      return fresh;
    },

    async listForReport(q, reportId) {
      const { rows } = await q.query<Row & { supplement_id: string | null }>(
        `SELECT a.id, a.mime, a.size, a.sha256, a.supplement_id FROM attachments a
           LEFT JOIN supplements s ON s.id = a.supplement_id
          WHERE a.report_id = $1
          ORDER BY a.supplement_id IS NOT NULL, s.received_at, a.supplement_id, a.position, a.finished_at, a.id`,
        [reportId],
      );
      return rows.map((r) => ({ ...toAttachment(r), supplementId: r.supplement_id }));
    },

    async path(id) {
      const { rows } = await sql.query<{ file: string }>(`SELECT ${FILE} AS file FROM attachments WHERE id = $1 AND status = 'ready'`, [id]);
      return rows[0] && path.join(readyDir, rows[0].file);
    },

    async fileKey(id) {
      const { rows } = await sql.query<{ file_key_enc: string | null }>(
        `SELECT file_key_enc FROM attachments WHERE id = $1 AND status = 'ready'`,
        [id],
      );
      return rows[0] && openKey(rows[0].file_key_enc, id);
    },

    async readEvidence(id) {
      const found = await locate(id); // a key that does not open for this row throws here, before any read
      return found && evidence(id, found);
    },

    async result(id) {
      const { rows } = await sql.query<Row & { status: string; reason: RejectReason; upload_length: string | number | null }>(
        `SELECT ${COLUMNS}, status, reason, upload_length FROM attachments WHERE id = $1`,
        [id],
      );
      const r = rows[0];
      if (!r) return undefined;
      const uploadLength = Number(r.upload_length ?? r.size ?? 0);
      return r.status === 'ready'
        ? { status: 'ready', attachment: toAttachment(r), uploadLength }
        : { status: 'rejected', reason: r.reason, uploadLength };
    },

    async recordReady(a, done) {
      const sealed = sealer.seal(fileKeyText(a.fileKey), fileKeyContext(a.id));
      return sql.transaction(async (tx) => {
        const { rowCount } = await tx.query(
          `INSERT INTO attachments (id, status, mime, size, sha256, upload_length, created_at, finished_at, file, file_key_enc)
           VALUES ($1, 'ready', $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
          [a.id, a.mime, a.size, a.sha256, a.uploadLength, iso(a.createdAt), iso(clock.now()), a.file, sealed],
        );
        await done?.(tx);
        return rowCount === 1;
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
      const { rows } = await sql.query<{ file: string; status: string }>(
        `DELETE FROM attachments WHERE report_id IS NULL AND finished_at < $1 RETURNING ${FILE} AS file, status`,
        [iso(clock.now() - maxAgeMs)],
      );
      for (const { file, status } of rows) if (status === 'ready') await fs.rm(path.join(readyDir, file), { force: true });
      return rows.length;
    },

    async remove(id) {
      const { rows } = await sql.query<{ file: string; status: string }>(
        `DELETE FROM attachments WHERE id = $1 AND report_id IS NULL RETURNING ${FILE} AS file, status`,
        [id],
      );
      if (rows[0]) {
        if (rows[0].status === 'ready') await fs.rm(path.join(readyDir, rows[0].file), { force: true });
        return 'removed';
      }
      const linked = await sql.query(`SELECT 1 FROM attachments WHERE id = $1`, [id]);
      return linked.rows.length > 0 ? 'linked' : undefined;
    },

    async settleLinked(batch = 50) {
      // Sealed files only: one stored before encryption is sealed first (seal-legacy.ts), then settled on a later run.
      const { rows } = await sql.query<{ id: string; file: string | null; file_key_enc: string; linked_at: string | Date; supplement_id: string | null }>(
        `SELECT id, file, file_key_enc, linked_at, supplement_id FROM attachments
          WHERE report_id IS NOT NULL AND NOT file_settled AND file_key_enc IS NOT NULL AND linked_at < $1
          ORDER BY linked_at LIMIT $2`,
        [iso(startOfBeijingDay(clock.now())), batch],
      );
      let settled = 0;
      for (const row of rows) {
        const from = path.join(readyDir, row.file ?? row.id);
        // A key but a plain file: a legacy sealing that crashed half-way, which seal-legacy.ts puts right by the name.
        if (!(await startsSealed(from))) continue;
        const name = newRandomName();
        const to = path.join(readyDir, name);
        try {
          await fs.link(from, to);
        } catch (error) {
          if (isMissing(error)) continue; // settled by another instance meanwhile
          if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
          await fs.copyFile(from, to, fs.constants.COPYFILE_EXCL);
          await fs.chmod(to, 0o600);
        }
        const day = new Date(startOfBeijingDay(new Date(row.linked_at).getTime()));
        await fs.utimes(to, day, day); // and ctime becomes now: the rename's moment, a day or more after linking
        // A row an earlier version linked still carries the upload's id (its file is named by it): renewed as link() does.
        const id = row.file === null ? newRandomName() : row.id;
        const moved = await sql
          .transaction(async (tx) => {
            const { rowCount } = await tx.query(
              `UPDATE attachments SET id = $2, file = $3, file_key_enc = $4, file_settled = true
                WHERE id = $1 AND file IS NOT DISTINCT FROM $5 AND NOT file_settled`,
              [row.id, id, name, id === row.id ? row.file_key_enc : reseal(row.file_key_enc, row.id, id), row.file],
            );
            if (rowCount === 0 || id === row.id || !row.supplement_id) return rowCount === 1;
            const { rows: supplements } = await tx.query<{ attachment_ids: string[] | string }>(
              'SELECT attachment_ids FROM supplements WHERE id = $1 FOR UPDATE',
              [row.supplement_id],
            );
            for (const s of supplements) {
              const list = (typeof s.attachment_ids === 'string' ? JSON.parse(s.attachment_ids) : s.attachment_ids) as string[];
              await tx.query('UPDATE supplements SET attachment_ids = $2 WHERE id = $1', [
                row.supplement_id,
                JSON.stringify(list.map((x) => (x === row.id ? id : x))),
              ]);
            }
            return true;
          })
          .catch(async (error: unknown) => {
            await fs.rm(to, { force: true });
            throw error;
          });
        // Only now is the old name unused; a crash before this line leaves it as a stray (removeStrayFiles).
        await fs.rm(moved ? from : to, { force: true });
        if (moved) settled++;
      }
      return settled;
    },

    async removeStrayFiles(minAgeMs) {
      const names = (await fs.readdir(readyDir)).filter((name) => NAME.test(name));
      let removed = 0;
      for (let start = 0; start < names.length; start += 500) {
        const batch = names.slice(start, start + 500);
        const { rows } = await sql.query<{ file: string }>(
          `SELECT ${FILE} AS file FROM attachments WHERE file = ANY($1::text[]) OR (file IS NULL AND id = ANY($1::text[]))`,
          [batch],
        );
        const named = new Set(rows.map((r) => r.file));
        for (const name of batch) {
          if (named.has(name)) continue;
          // ctime, not mtime: a hard link being settled keeps an old mtime but a fresh ctime. The file system's
          // clock, not the injected one: a finished file is renamed into place a moment before its row is written.
          const stat = await fs.stat(path.join(readyDir, name)).catch(() => undefined);
          if (!stat || Date.now() - stat.ctimeMs < minAgeMs) continue;
          await fs.rm(path.join(readyDir, name), { force: true });
          removed++;
        }
      }
      return removed;
    },
  };
}
