import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { SNIFF_BYTES, sniffMime } from '../../sdk/media/sniff.js';
import { MediaFormatError, stripMetadata } from '../../sdk/media/strip-metadata.js';
import type { AttachmentMime } from '../../sdk/schemas/attachments.js';
import type { Clock } from '../clock.js';
import type { AttachmentStore, RejectReason } from './repo.js';
import type { ClockedFileStore } from './store.js';

export interface FinishDeps {
  store: ClockedFileStore;
  attachments: AttachmentStore;
  clock: Clock;
  partialDir: string;
  readyDir: string;
  maxBytesFor: (mime: AttachmentMime) => number;
  log: (event: Record<string, unknown>) => void;
}

export interface CompletedUpload {
  id: string;
  size: number;
  creationDate?: string;
  /** The citizen asked to keep the photo's location: checked like any image, then stored as sent. */
  keepLocation?: boolean;
}

/**
 * Turns a complete tus upload into an attachment: sniff, check the size for the type, strip JPEG/PNG metadata,
 * hash, store under `readyDir`, record in the database, then drop the tus copy. Idempotent, so a retry (or
 * another instance) can finish an upload whose first attempt died half-way.
 */
export function createFinisher(deps: FinishDeps) {
  const running = new Map<string, Promise<void>>();

  async function finish(upload: CompletedUpload): Promise<void> {
    const { id, size } = upload;
    const src = path.join(deps.partialDir, id);
    const createdAt = (upload.creationDate && Date.parse(upload.creationDate)) || deps.clock.now();
    const reject = async (reason: RejectReason) => {
      await deps.attachments.recordRejected({ id, reason, uploadLength: size, createdAt });
      await deps.store.remove(id).catch(() => undefined);
      deps.log({ event: 'upload.rejected', id, size, reason });
    };

    const mime = sniffMime(await readHead(src));
    if (!mime) return reject('type');
    if (size > deps.maxBytesFor(mime)) return reject('size');

    const dest = path.join(deps.readyDir, id);
    const tmp = `${dest}.${randomBytes(6).toString('hex')}.tmp`;
    let stored: { size: number; sha256: string };
    if (mime === 'image/jpeg' || mime === 'image/png') {
      let bytes: Uint8Array;
      try {
        const original = new Uint8Array(await fs.readFile(src));
        const cleaned = stripMetadata(original, mime); // also proves the image is well-formed
        bytes = upload.keepLocation ? original : cleaned;
      } catch (error) {
        if (error instanceof MediaFormatError) return reject('format'); // never keep an image we could not clean
        throw error;
      }
      await fs.writeFile(tmp, bytes);
      stored = { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    } else {
      // A hard link costs nothing for a 200 MB video; shared storage without links gets a copy.
      await fs.link(src, tmp).catch(() => fs.copyFile(src, tmp));
      stored = { size, sha256: await hashFile(tmp) };
    }
    await fs.rename(tmp, dest);
    await deps.attachments.recordReady({ id, mime, ...stored, uploadLength: size, createdAt });
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

async function readHead(file: string): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
