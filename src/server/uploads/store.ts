import { chmodSync, mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import path from 'node:path';
import { FileConfigstore, FileStore } from '@tus/file-store';
import { ERRORS, type Upload } from '@tus/server';
import type { Clock } from '../clock.js';
import { ctrStream, readPartial, type FileKey } from './cipher.js';

/** Creates `dir` (and parents) for the owner only; an existing folder from an older version is tightened too. */
export function ownerOnlyDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** tus's `.json` state files, written owner-only (FileKvStore uses the process umask). */
class OwnerOnlyKvStore extends FileConfigstore<Upload> {
  override async set(key: string, value: Upload): Promise<void> {
    const file = path.join(this.directory, `${path.basename(key)}.json`); // ids are checked by the routes too
    await fs.writeFile(file, JSON.stringify(value), { mode: 0o600 });
    await fs.chmod(file, 0o600); // writeFile's mode applies only to a new file
  }
}

/**
 * The tus file store with expiry on the injected clock. FileStore's own `deleteExpired` reads the system clock and
 * trusts the offset in the `.json`, which it never updates; here every upload still in the store is unfinished
 * (finished ones move out at once), so age alone decides. Upload dates come from the same clock (`onUploadCreate`).
 */
export class ClockedFileStore extends FileStore {
  readonly #clock: Clock;
  readonly #expiryMs: number;

  constructor(options: { directory: string; expirationPeriodInMilliseconds: number; configstore?: FileConfigstore<Upload> }, clock: Clock) {
    super(options);
    this.#clock = clock;
    this.#expiryMs = options.expirationPeriodInMilliseconds;
  }

  /**
   * tus's own handlers compare the upload date with the system clock; our routes check expiry on the injected
   * clock before tus sees the request, so tus is told there is none (else a test clock in the past, or a server
   * clock behind, would expire fresh uploads).
   */
  override getExpiration(): number {
    return 0;
  }

  /** When an upload created at `creationDate` (ISO) expires, in ms; Infinity without expiry. */
  expiresAt(creationDate: string | undefined): number {
    const created = creationDate ? Date.parse(creationDate) : Number.NaN;
    return this.#expiryMs > 0 && Number.isFinite(created) ? created + this.#expiryMs : Infinity;
  }

  async isExpired(id: string): Promise<boolean> {
    const info = await this.configstore.get(id);
    return info !== undefined && this.#clock.now() > this.expiresAt(info.creation_date);
  }

  override async deleteExpired(): Promise<number> {
    let removed = 0;
    for (const id of (await this.configstore.list?.()) ?? []) {
      if (!(await this.isExpired(id))) continue;
      // Another instance may have removed it first: that one counts it.
      removed += await this.remove(id).then(() => 1, () => 0);
    }
    return removed;
  }
}

/** Where the per-upload file keys live (`upload_reservations`, see quota.ts). */
export interface PartialKeys {
  fileKey(id: string): Promise<FileKey | undefined>;
  release(id: string): Promise<void>;
}

/** The plaintext of an unfinished upload's bytes, for the finisher. */
export interface PartialFile {
  /** The upload's file key: the finished file is sealed under it too (with another subkey, see cipher.ts). */
  fileKey: FileKey;
  /** Bytes received so far. */
  size: number;
  /** The first `length` bytes (fewer when the file is shorter). */
  head(length: number): Promise<Uint8Array>;
  /** All of it, in memory: for files small enough to hold (images). */
  readAll(): Promise<Uint8Array>;
  /** All of it, streamed. */
  stream(): AsyncGenerator<Buffer>;
}

/**
 * Unfinished uploads encrypted at rest (finding 17.6): each PATCH is encrypted with AES-256-CTR at its offset under
 * the upload's own key, so the partial file never holds a plain byte and tus's offsets stay byte-exact. Files and
 * `.json` state are owner-only (0600) in an owner-only folder (0700). Removing an upload gives its reserved bytes back.
 */
export class EvidenceFileStore extends ClockedFileStore {
  readonly #keys: PartialKeys;

  constructor(options: { directory: string; expirationPeriodInMilliseconds: number }, clock: Clock, keys: PartialKeys) {
    ownerOnlyDir(options.directory);
    super({ ...options, configstore: new OwnerOnlyKvStore(options.directory) }, clock);
    this.#keys = keys;
    // A deferred length would let a client reserve nothing and send up to the size limit: every upload declares it.
    this.extensions = this.extensions.filter((e) => e !== 'creation-defer-length');
  }

  /** Path of an upload's bytes (ids are 22 base64url characters, checked by the routes). */
  partialPath(id: string): string {
    return path.join(this.directory, path.basename(id));
  }

  override async create(file: Upload): Promise<Upload> {
    const filePath = this.partialPath(file.id);
    await fs.writeFile(filePath, '', { mode: 0o600, flag: 'wx' });
    await this.configstore.set(file.id, file);
    file.storage = { type: 'file', path: filePath };
    return file;
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    const key = await this.#keys.fileKey(id);
    if (!key) throw ERRORS.FILE_NOT_FOUND; // expired or withdrawn meanwhile: its bytes are no longer reserved
    return super.write(Readable.from(ctrStream(readable, key, offset)), id, offset);
  }

  /** tus's GET (never routed: evidence is not served back) would hand out ciphertext; refuse outright. */
  override read(): never {
    throw ERRORS.FILE_NOT_FOUND;
  }

  override async remove(id: string): Promise<void> {
    try {
      await super.remove(id);
    } finally {
      await this.#keys.release(id);
    }
  }

  /** The decrypted bytes of an unfinished upload; undefined when it is unknown or has no key. */
  async openPartial(id: string): Promise<PartialFile | undefined> {
    const key = await this.#keys.fileKey(id);
    if (!key) return undefined;
    const file = this.partialPath(id);
    const { size } = await fs.stat(file);
    const collect = async (end: number) => {
      const parts: Buffer[] = [];
      for await (const part of readPartial(file, key, 0, end)) parts.push(part);
      return new Uint8Array(Buffer.concat(parts));
    };
    return {
      fileKey: key,
      size,
      head: (length) => (Math.min(length, size) === 0 ? Promise.resolve(new Uint8Array(0)) : collect(Math.min(length, size))),
      readAll: () => (size === 0 ? Promise.resolve(new Uint8Array(0)) : collect(size)),
      stream: () => readPartial(file, key, 0, size),
    };
  }
}
