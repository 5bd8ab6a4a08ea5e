import fs from 'node:fs/promises';
import type { Clock } from '../clock.js';
import { sealedAt, type Sealer } from '../crypto.js';
import type { Queryable, Sql } from '../db/sql.js';
import { hit, RateLimited, type Limit } from '../rate-limit.js';
import { fileKeyText, newFileKeyFor, parseFileKey, type FileKey } from './cipher.js';

/**
 * What uploads may take (finding 17.5): per client, creations and declared bytes per window; in total, a disk quota
 * and a free-space margin. A creation declares its `Upload-Length`, and that is what counts, before any byte is
 * sent: the bytes of every unfinished upload are reserved until it finishes, is withdrawn or expires.
 */
export interface UploadLimits {
  /** Upload creations per client bucket. */
  perClient: Limit;
  /** Declared bytes (`Upload-Length`) per client bucket. */
  bytesPerClient: Limit;
  /** Bytes of evidence kept in total: finished attachments plus the declared length of unfinished uploads. */
  quotaBytes?: number;
  /** Refuse new uploads when the upload folder's file system would have less free space than this. */
  minFreeBytes: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  // A citizen sends a few photos and perhaps two or three videos; carrier NAT puts many citizens behind one address.
  perClient: { max: 60, windowMs: 3600_000 },
  bytesPerClient: { max: 2 * GiB, windowMs: 3600_000 },
  quotaBytes: undefined,
  minFreeBytes: GiB,
};

/** The storage cannot take this upload; tus creation answers 507 `STORAGE_FULL`. */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
}

/** `1048576`, `500M`, `50G`, `2T` (binary units; `MB`, `GiB` spellings too) → bytes; undefined when not a size. */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?|b)?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[match[2]?.toLowerCase() as 'k'] ?? 1;
  const bytes = Math.floor(Number(match[1]) * unit);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/**
 * Counts one creation and its declared bytes against the client's windows.
 * @throws RateLimited (429 `RATE_LIMITED`) with the wait, when either window is used up (`upload`, `upload-bytes`).
 */
export async function admitClient(db: Queryable, bucket: string, declared: number | undefined, limits: UploadLimits, now: number) {
  await hit(db, `upload:${bucket}`, limits.perClient, now);
  if (declared === undefined || declared <= 0) return;
  // rate_limits counts in an integer column: bytes are counted in KiB, rounded up.
  const { windowMs, max } = limits.bytesPerClient;
  const start = Math.floor(now / windowMs) * windowMs;
  const { rows } = await db.query<{ count: number }>(
    `INSERT INTO rate_limits (bucket, window_start, count) VALUES ($1, $2, $3)
     ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_limits.count + EXCLUDED.count
     RETURNING count`,
    [`upload-bytes:${bucket}`, new Date(start).toISOString(), Math.ceil(declared / 1024)],
  );
  if ((rows[0]?.count ?? 0) > Math.floor(max / 1024)) {
    throw new RateLimited('upload-bytes', start + windowMs - now);
  }
}

/** Unfinished uploads: their reserved bytes and the key their partial file is encrypted under. */
export interface Reservations {
  /**
   * Reserves `length` bytes for upload `id` under the quota and the free-space margin, with a new file key.
   * @throws StorageFullError when it does not fit.
   */
  reserve(id: string, length: number): Promise<void>;
  /** The upload's file key; undefined when the upload is unknown (finished, withdrawn, expired). */
  fileKey(id: string): Promise<FileKey | undefined>;
  /** Gives the bytes back (finished, rejected, withdrawn or expired); inside the caller's transaction when given. */
  release(id: string, tx?: Queryable): Promise<void>;
  /** Drops reservations past their expiry (the tus store's expiry removes their files; a crash may leave rows). */
  pruneExpired(): Promise<number>;
}

const reservationContext = (id: string) => sealedAt('upload_reservations', 'file_key_enc', id);
/** One lock for every instance's quota decision, so two creations cannot both take the last bytes. */
const QUOTA_LOCK = 170_005;

export function createReservations(deps: {
  sql: Sql;
  sealer: Sealer;
  clock: Clock;
  limits: UploadLimits;
  /** The folder whose file system holds the uploads (free space is checked there). */
  dir: string;
  expiryMs: number;
}): Reservations {
  const { sql, sealer, clock, limits } = deps;
  return {
    async reserve(id, length) {
      const { bavail, bsize } = await fs.statfs(deps.dir);
      const free = Number(bavail) * Number(bsize);
      const key = newFileKeyFor(sealer.cipher); // the cipher goes with the key: a restart with another one resumes alike
      await sql.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [QUOTA_LOCK]);
        const { rows } = await tx.query<{ reserved: string | number; stored: string | number }>(
          `SELECT (SELECT coalesce(sum(upload_length), 0) FROM upload_reservations) AS reserved,
                  (SELECT coalesce(sum(size), 0) FROM attachments WHERE status = 'ready') AS stored`,
        );
        const reserved = Number(rows[0]?.reserved ?? 0);
        const stored = Number(rows[0]?.stored ?? 0);
        if (limits.quotaBytes !== undefined && stored + reserved + length > limits.quotaBytes) {
          throw new StorageFullError('upload quota reached');
        }
        // Reserved bytes may be partly on disk already: counting them again errs on the safe side, and covers the
        // finished copy each upload writes before its partial file goes.
        if (free - reserved - length < limits.minFreeBytes) throw new StorageFullError('too little free disk space');
        await tx.query(
          `INSERT INTO upload_reservations (id, upload_length, file_key_enc, expires_at) VALUES ($1, $2, $3, $4)`,
          [id, length, sealer.seal(fileKeyText(key), reservationContext(id)), new Date(clock.now() + deps.expiryMs).toISOString()],
        );
      });
    },

    async fileKey(id) {
      const { rows } = await sql.query<{ file_key_enc: string }>('SELECT file_key_enc FROM upload_reservations WHERE id = $1', [id]);
      if (!rows[0]) return undefined;
      return parseFileKey(sealer.open(rows[0].file_key_enc, reservationContext(id)));
    },

    async release(id, tx) {
      await (tx ?? sql).query('DELETE FROM upload_reservations WHERE id = $1', [id]);
    },

    async pruneExpired() {
      const { rowCount } = await sql.query('DELETE FROM upload_reservations WHERE expires_at < $1', [new Date(clock.now()).toISOString()]);
      return rowCount;
    },
  };
}
