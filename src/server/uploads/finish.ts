import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { SNIFF_BYTES, sniffMime } from '../../sdk/media/sniff.js';
import { MediaFormatError } from '../../sdk/media/format-error.js';
import type { AttachmentMime } from '../../sdk/schemas/attachments.js';
import type { Clock } from '../clock.js';
import { startOfBeijingDay } from '../deadlines.js';
import { readPartial, writeSealedFile } from './cipher.js';
import { cleanUpload } from './clean.js';
import type { Queryable } from '../db/sql.js';
import { newRandomName, type AttachmentStore, type RejectReason } from './repo.js';
import type { EvidenceFileStore } from './store.js';

export interface FinishDeps {
  store: EvidenceFileStore;
  attachments: AttachmentStore;
  /** Gives an upload's reserved bytes back, in the transaction that records its result. */
  release: (id: string, tx: Queryable) => Promise<void>;
  clock: Clock;
  readyDir: string;
  maxBytesFor: (mime: AttachmentMime) => number;
  log: (event: Record<string, unknown>) => void;
}

export interface CompletedUpload {
  id: string;
  size: number;
  creationDate?: string;
  /** The citizen asked to keep the photo's location: a JPEG keeps its Exif GPS block, and nothing else of it. */
  keepLocation?: boolean;
}

/**
 * Turns a complete tus upload into an attachment: sniff, check the size for the type, check the structure and strip
 * metadata (clean.ts: JPEG, PNG, MP4/MOV, PDF),
 * hash, seal under the upload's key into `readyDir` (cipher.ts) under a random file name, record in the database, then drop the tus
 * copy. Idempotent, so a retry (or another instance) can finish an upload whose first attempt died half-way (a file
 * whose row was never written is removed by `removeStrayFiles`).
 */
export function createFinisher(deps: FinishDeps) {
  const running = new Map<string, Promise<void>>();

  async function finish(upload: CompletedUpload): Promise<void> {
    const { id, size } = upload;
    const createdAt = (upload.creationDate && Date.parse(upload.creationDate)) || deps.clock.now();
    const reject = async (reason: RejectReason) => {
      await deps.attachments.recordRejected({ id, reason, uploadLength: size, createdAt }, (tx) => deps.release(id, tx));
      await deps.store.remove(id).catch(() => undefined);
      deps.log({ event: 'upload.rejected', id, size, reason });
    };

    if (await deps.attachments.result(id)) return; // another instance finished it first
    // The partial file is encrypted (store.ts): the finisher reads its plaintext through the upload's key.
    const partial = await deps.store.openPartial(id);
    // No key: finished by another instance meanwhile, withdrawn or expired, or written before encryption.
    if (!partial) return (await deps.attachments.result(id)) ? undefined : reject('format');

    const mime = sniffMime(await partial.head(SNIFF_BYTES));
    if (!mime) return reject('type');
    if (size > deps.maxBytesFor(mime)) return reject('size');

    // A random name, never the upload id (#17.6): a report that takes the attachment must not be findable by it.
    const name = newRandomName();
    const dest = path.join(deps.readyDir, name);
    const tmp = `${dest}.${randomBytes(6).toString('hex')}.tmp`;
    let cleaned: Awaited<ReturnType<typeof cleanUpload>>;
    try {
      // Checks the whole container (not just its first bytes) and strips location, device and author metadata;
      // a video is read by box headers and streamed (200 MB), never held whole. keepLocation keeps JPEG GPS only.
      const range = (start: number, end?: number) => readPartial(deps.store.partialPath(id), partial.fileKey, start, end ?? partial.size);
      cleaned = await cleanUpload(mime, { size: partial.size, readAll: () => partial.readAll(), range }, { keepLocation: upload.keepLocation });
    } catch (error) {
      if (error instanceof MediaFormatError) return reject('format'); // never keep a file we could not check and clean
      throw error;
    }
    const stored = await writeSealedFile(tmp, partial.fileKey, cleaned);
    await fs.rename(tmp, dest);
    // Copies and backups keep a file's mtime: the date only (the kernel's ctime stays, until settleLinked in repo.ts).
    // Set once in place: a copy with an old mtime could be taken for one left by a crash (seal-legacy.ts).
    const today = new Date(startOfBeijingDay(deps.clock.now()));
    await fs.utimes(dest, today, today);
    const recorded = await deps.attachments.recordReady(
      { id, mime, ...stored, uploadLength: size, createdAt, file: name, fileKey: partial.fileKey },
      (tx) => deps.release(id, tx),
    );
    // Another finisher (another instance) recorded its own copy first: this one is nobody's.
    if (!recorded) await fs.rm(dest, { force: true });
    await deps.store.remove(id).catch(() => undefined);
    // No size: the stored size sits in the attachment's row, and would tie this line (upload id, time) to it.
    deps.log({ event: 'upload.finished', id, mime });
  }

  return {
    /** One run per id at a time in this process; the database row makes repeats harmless across processes. */
    finish(upload: CompletedUpload): Promise<void> {
      const current = running.get(upload.id);
      if (current) return current;
      const run = finish(upload).finally(() => running.delete(upload.id));
      running.set(upload.id, run);
      return run;
    },
    /** Waits for every finish in progress (shutdown). */
    async drain(): Promise<void> {
      await Promise.allSettled([...running.values()]);
    },
  };
}

