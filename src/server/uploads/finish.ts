import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { SNIFF_BYTES, sniffMime } from '../../sdk/media/sniff.js';
import { MediaFormatError } from '../../sdk/media/format-error.js';
import type { AttachmentMime } from '../../sdk/schemas/attachments.js';
import type { Clock } from '../clock.js';
import { readPartial, writeSealedFile } from './cipher.js';
import { cleanUpload } from './clean.js';
import type { Queryable } from '../db/sql.js';
import type { AttachmentStore, RejectReason } from './repo.js';
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
 * hash, seal under the upload's key into `readyDir` (cipher.ts), record in the database, then drop the tus copy. Idempotent, so a retry (or
 * another instance) can finish an upload whose first attempt died half-way.
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

    const dest = path.join(deps.readyDir, id);
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
    // Sealed under the upload's own key, so a second finisher (another instance) writes the very same bytes.
    await fs.rename(tmp, dest);
    await deps.attachments.recordReady({ id, mime, ...stored, uploadLength: size, createdAt, fileKey: partial.fileKey }, (tx) =>
      deps.release(id, tx),
    );
    await deps.store.remove(id).catch(() => undefined);
    deps.log({ event: 'upload.finished', id, size: stored.size, mime });
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

