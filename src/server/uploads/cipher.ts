import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';

/**
 * Evidence bytes at rest (finding 17.6). Every upload gets its own random 256-bit file key, sealed into the database
 * (`upload_reservations.file_key_enc` while it uploads, `attachments.file_key_enc` once finished); two subkeys are
 * derived from it, one per file format, so the same key stream is never used twice:
 *
 * - Partial (tus) files: AES-256-CTR, counter = byte offset / 16. Length-preserving and random-access, so tus
 *   offsets, resumption and `HEAD` work unchanged, and a PATCH can start at any offset. Not authenticated: a
 *   partial lives at most a day and is read once, by the finisher, which checks it like any upload.
 * - Finished files: chunked AES-256-GCM (the STREAM construction): a magic header, then 64 KiB chunks, each with
 *   its own tag; the chunk number and a last-chunk flag are authenticated, so chunks cannot be reordered,
 *   dropped or cut off. Streams in constant memory (videos reach 200 MB).
 */
export const FILE_KEY_BYTES = 32;
export const newFileKey = (): Buffer => randomBytes(FILE_KEY_BYTES);

const subkey = (fileKey: Uint8Array, purpose: string) => createHmac('sha256', fileKey).update(`aqjb:evidence:${purpose}:v1`).digest();

// ---- partial files: AES-256-CTR at the byte offset -------------------------------------------------------------

/** A CTR cipher positioned at `offset` (encryption and decryption are the same operation). */
export function ctrAt(fileKey: Uint8Array, offset: number) {
  const counter = Buffer.alloc(16);
  const block = Math.floor(offset / 16);
  counter.writeUInt32BE(Math.floor(block / 2 ** 32), 8);
  counter.writeUInt32BE(block % 2 ** 32, 12);
  const cipher = createCipheriv('aes-256-ctr', subkey(fileKey, 'partial-ctr'), counter);
  const skip = offset % 16;
  if (skip) cipher.update(Buffer.alloc(skip)); // into the block: drop that much key stream
  return cipher;
}

/** Encrypts (or decrypts) a stream of bytes that starts at `offset` of a partial file. */
export async function* ctrStream(source: AsyncIterable<Uint8Array>, fileKey: Uint8Array, offset: number): AsyncGenerator<Buffer> {
  const cipher = ctrAt(fileKey, offset);
  for await (const chunk of source) {
    const out = cipher.update(chunk);
    if (out.length) yield out;
  }
}

/** The plaintext of a partial file from byte `start` (inclusive) to `end` (exclusive, default: the end). */
export function readPartial(file: string, fileKey: Uint8Array, start = 0, end?: number): AsyncGenerator<Buffer> {
  const source = createReadStream(file, { start, ...(end !== undefined ? { end: end - 1 } : {}) });
  return ctrStream(source as AsyncIterable<Buffer>, fileKey, start);
}

// ---- finished files: chunked AES-256-GCM ------------------------------------------------------------------------

export const SEALED_MAGIC = Buffer.from('AQJB-EV1', 'latin1');
const CHUNK = 64 * 1024;
const TAG = 16;

/** True when the bytes start like a sealed evidence file (no accepted media type starts this way). */
export const isSealedFile = (head: Uint8Array) => Buffer.from(head.subarray(0, SEALED_MAGIC.length)).equals(SEALED_MAGIC);

/** The encrypted size of `plain` bytes (for disk accounting). */
export const sealedSize = (plain: number) => SEALED_MAGIC.length + plain + TAG * Math.max(1, Math.ceil(plain / CHUNK));

function chunkParams(index: number, final: boolean) {
  const nonce = Buffer.alloc(12);
  nonce.writeUInt32BE(index, 8); // the key is used for this one file only: the chunk number is a unique nonce
  const aad = Buffer.concat([SEALED_MAGIC, nonce.subarray(8), Buffer.of(final ? 1 : 0)]);
  return { nonce, aad };
}

function sealChunk(key: Buffer, index: number, final: boolean, plain: Buffer): Buffer {
  const { nonce, aad } = chunkParams(index, final);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** A sealed file that does not open: altered, truncated, or another file's key. */
export class EvidenceIntegrityError extends Error {
  override name = 'EvidenceIntegrityError';
}

function openChunk(key: Buffer, index: number, final: boolean, sealed: Buffer): Buffer {
  const { nonce, aad } = chunkParams(index, final);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG)), decipher.final()]);
  } catch {
    throw new EvidenceIntegrityError('evidence file does not open with its key');
  }
}

/**
 * Writes `source` sealed to a new file `file` (owner-only, created exclusively) and returns the plaintext's size and
 * SHA-256. The caller renames it into place.
 */
export async function writeSealedFile(
  file: string,
  fileKey: Uint8Array,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<{ size: number; sha256: string }> {
  const key = subkey(fileKey, 'ready-gcm');
  const hash = createHash('sha256');
  const handle = await fs.open(file, 'wx', 0o600);
  try {
    await handle.write(SEALED_MAGIC);
    let pending = Buffer.alloc(0);
    let index = 0;
    let size = 0;
    for await (const piece of source) {
      hash.update(piece);
      size += piece.length;
      pending = pending.length ? Buffer.concat([pending, piece]) : Buffer.from(piece);
      // Keep at least one byte back: only the end of the source says which chunk is the last.
      while (pending.length > CHUNK) {
        await handle.write(sealChunk(key, index++, false, pending.subarray(0, CHUNK)));
        pending = pending.subarray(CHUNK);
      }
      if (pending.byteOffset > 0 && pending.length < CHUNK / 4) pending = Buffer.from(pending); // let the big buffer go
    }
    await handle.write(sealChunk(key, index, true, pending));
    await handle.sync();
    return { size, sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

/**
 * The plaintext of a sealed file, chunk by chunk, each authenticated before it is returned. Takes a path or a handle
 * already open (closed at the end either way).
 */
export async function* readSealedFile(file: string | FileHandle, fileKey: Uint8Array): AsyncGenerator<Buffer> {
  const key = subkey(fileKey, 'ready-gcm');
  const handle = typeof file === 'string' ? await fs.open(file, 'r') : file;
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(SEALED_MAGIC.length);
    await handle.read(head, 0, head.length, 0);
    if (size < SEALED_MAGIC.length + TAG || !isSealedFile(head)) throw new EvidenceIntegrityError('not a sealed evidence file');
    const body = size - SEALED_MAGIC.length;
    const chunks = Math.ceil(body / (CHUNK + TAG));
    for (let index = 0; index < chunks; index++) {
      const start = SEALED_MAGIC.length + index * (CHUNK + TAG);
      const length = Math.min(CHUNK + TAG, size - start);
      if (length < TAG) throw new EvidenceIntegrityError('evidence file is cut off');
      const sealed = Buffer.alloc(length);
      const { bytesRead } = await handle.read(sealed, 0, length, start);
      if (bytesRead !== length) throw new EvidenceIntegrityError('evidence file changed while reading');
      yield openChunk(key, index, index === chunks - 1, sealed);
    }
  } finally {
    await handle.close();
  }
}
