import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { SNIFF_BYTES, sniffMime } from '../../sdk/media/sniff.js';
import { MediaFormatError } from '../../sdk/media/format-error.js';
import type { AttachmentMime } from '../../sdk/schemas/attachments.js';
import type { Clock } from '../clock.js';
import { cleanUpload } from './clean.js';
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
  /** The citizen asked to keep the photo's location: a JPEG keeps its Exif GPS block, and nothing else of it. */
  keepLocation?: boolean;
}

/**
 * Turns a complete tus upload into an attachment: sniff, check the size for the type, check the structure and strip
 * metadata (clean.ts: JPEG, PNG, MP4/MOV, PDF),
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
    let cleaned: Awaited<ReturnType<typeof cleanUpload>>;
    try {
      // Checks the whole container (not just its first bytes) and strips location, device and author metadata;
      // a video is read by box headers and streamed (200 MB), never held whole. keepLocation keeps JPEG GPS only.
      const range = (start: number, end?: number) => createReadStream(src, { start, end: (end ?? size) - 1 });
      cleaned = await cleanUpload(mime, { size, readAll: async () => new Uint8Array(await fs.readFile(src)), range }, { keepLocation: upload.keepLocation });
    } catch (error) {
      if (error instanceof MediaFormatError) return reject('format'); // never keep a file we could not check and clean
      throw error;
    }
    const stored = await writeFile(tmp, cleaned);
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

async function writeFile(file: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
  const hash = createHash('sha256');
  const handle = await fs.open(file, 'wx', 0o600);
  let size = 0;
  try {
    for await (const piece of source) {
      hash.update(piece);
      size += piece.length;
      await handle.write(piece);
    }
  } finally {
    await handle.close();
  }
  return { size, sha256: hash.digest('hex') };
}
