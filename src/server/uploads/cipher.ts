import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { sm3Mac, sm3Subkey, type CipherName } from '../crypto.js';
import fs, { type FileHandle } from 'node:fs/promises';

/**
 * Evidence bytes at rest (finding 17.6). Every upload gets its own random 256-bit file key, sealed into the database
 * (`upload_reservations.file_key_enc` while it uploads, `attachments.file_key_enc` once finished) with the cipher it
 * was made for: the sealed text is the key in base64 for AES, `sm4:<base64>` for SM4 (`--cipher sm4`, #19.4), so a
 * restart with another `--cipher` never changes how an upload in progress is read. Subkeys are derived from the file
 * key, one per file format and cipher (HMAC-SHA256 for AES, HMAC-SM3 for SM4), so no key stream is used twice:
 *
 * - Partial (tus) files: AES-256-CTR or SM4-CTR, counter = byte offset / 16. Length-preserving and random-access,
 *   so tus offsets, resumption and `HEAD` work unchanged, and a PATCH can start at any offset. Not authenticated: a
 *   partial lives at most a day and is read once, by the finisher, which checks it like any upload.
 * - Finished files: an 8-byte header naming the format, then 64 KiB chunks, each with its own tag over the chunk
 *   number and a last-chunk flag, so chunks cannot be reordered, dropped or cut off (the STREAM construction); the
 *   reader takes the format from the header. `AQJB-EV1`: AES-256-GCM per chunk. `AQJB-SM1`: SM4-CTR per chunk (the
 *   chunk number in the counter's high 64 bits) with an HMAC-SM3 tag over header, number, flag and ciphertext,
 *   checked before decrypting. Streams in constant memory (videos reach 200 MB).
 */
export const FILE_KEY_BYTES = 32;
export const newFileKey = (): Buffer => randomBytes(FILE_KEY_BYTES);

/** A file key with the cipher its files are (to be) encrypted with. A bare key (`Uint8Array`) is an AES one. */
export interface FileKey {
  readonly cipher: CipherName;
  readonly bytes: Buffer;
}
export type AnyFileKey = FileKey | Uint8Array;

const asFileKey = (key: AnyFileKey): FileKey => (key instanceof Uint8Array ? { cipher: 'aes', bytes: Buffer.from(key) } : key);

/** A new random file key for `cipher`. */
export const newFileKeyFor = (cipher: CipherName): FileKey => ({ cipher, bytes: newFileKey() });

/** The text sealed into `file_key_enc`: base64 for AES (as before #19), `sm4:<base64>` for SM4. */
export const fileKeyText = (key: AnyFileKey): string => {
  const { cipher, bytes } = asFileKey(key);
  return cipher === 'aes' ? bytes.toString('base64') : `${cipher}:${bytes.toString('base64')}`;
};

/** Reads `fileKeyText`'s form back; throws when the key has the wrong length. */
export function parseFileKey(text: string): FileKey {
  const colon = text.indexOf(':');
  const cipher = colon < 0 ? 'aes' : text.slice(0, colon);
  if (cipher !== 'aes' && cipher !== 'sm4') throw new Error('file key names an unknown cipher');
  const bytes = Buffer.from(colon < 0 ? text : text.slice(colon + 1), 'base64');
  if (bytes.length !== FILE_KEY_BYTES) throw new Error('file key has the wrong length');
  return { cipher, bytes };
}

const subkey = (fileKey: Uint8Array, purpose: string) => createHmac('sha256', fileKey).update(`aqjb:evidence:${purpose}:v1`).digest();
const sm4Subkey = (fileKey: Uint8Array, purpose: string, bytes = 32) => sm3Subkey(fileKey, `aqjb:evidence:sm4:${purpose}:v1`, bytes);

// ---- partial files: CTR at the byte offset ----------------------------------------------------------------------

/** A CTR cipher positioned at `offset` (encryption and decryption are the same operation). */
export function ctrAt(fileKey: AnyFileKey, offset: number) {
  const { cipher, bytes } = asFileKey(fileKey);
  const counter = Buffer.alloc(16);
  const block = Math.floor(offset / 16);
  counter.writeUInt32BE(Math.floor(block / 2 ** 32), 8);
  counter.writeUInt32BE(block % 2 ** 32, 12);
  const ctr =
    cipher === 'sm4'
      ? createCipheriv('sm4-ctr', sm4Subkey(bytes, 'partial-ctr', 16), counter)
      : createCipheriv('aes-256-ctr', subkey(bytes, 'partial-ctr'), counter);
  const skip = offset % 16;
  if (skip) ctr.update(Buffer.alloc(skip)); // into the block: drop that much key stream
  return ctr;
}

/** Encrypts (or decrypts) a stream of bytes that starts at `offset` of a partial file. */
export async function* ctrStream(source: AsyncIterable<Uint8Array>, fileKey: AnyFileKey, offset: number): AsyncGenerator<Buffer> {
  const cipher = ctrAt(fileKey, offset);
  for await (const chunk of source) {
    const out = cipher.update(chunk);
    if (out.length) yield out;
  }
}

/** The plaintext of a partial file from byte `start` (inclusive) to `end` (exclusive, default: the end). */
export function readPartial(file: string, fileKey: AnyFileKey, start = 0, end?: number): AsyncGenerator<Buffer> {
  const source = createReadStream(file, { start, ...(end !== undefined ? { end: end - 1 } : {}) });
  return ctrStream(source as AsyncIterable<Buffer>, fileKey, start);
}

// ---- finished files: chunked AES-256-GCM or SM4-CTR + HMAC-SM3 -------------------------------------------------

/** The AES header; `SEALED_MAGIC.length` is every header's length. */
export const SEALED_MAGIC = Buffer.from('AQJB-EV1', 'latin1');
const SM4_MAGIC = Buffer.from('AQJB-SM1', 'latin1');
const CHUNK = 64 * 1024;
const TAG = { aes: 16, sm4: 32 } as const;
const MAGIC = { aes: SEALED_MAGIC, sm4: SM4_MAGIC } as const;

const formatOf = (head: Uint8Array): CipherName | undefined => {
  const magic = Buffer.from(head.subarray(0, SEALED_MAGIC.length));
  return magic.equals(SEALED_MAGIC) ? 'aes' : magic.equals(SM4_MAGIC) ? 'sm4' : undefined;
};

/** True when the bytes start like a sealed evidence file, of either cipher (no accepted media type starts this way). */
export const isSealedFile = (head: Uint8Array) => formatOf(head) !== undefined;

/** The encrypted size of `plain` bytes (for disk accounting). */
export const sealedSize = (plain: number, cipher: CipherName = 'aes') =>
  SEALED_MAGIC.length + plain + TAG[cipher] * Math.max(1, Math.ceil(plain / CHUNK));

/** A sealed file that does not open: altered, truncated, or another file's key. */
export class EvidenceIntegrityError extends Error {
  override name = 'EvidenceIntegrityError';
}

interface ChunkCodec {
  cipher: CipherName;
  seal(index: number, final: boolean, plain: Buffer): Buffer;
  open(index: number, final: boolean, sealed: Buffer): Buffer;
}

const indexBytes = (index: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(index);
  return bytes;
};

function gcmChunks(fileKey: Uint8Array): ChunkCodec {
  const key = subkey(fileKey, 'ready-gcm');
  const params = (index: number, final: boolean) => {
    const nonce = Buffer.alloc(12);
    nonce.writeUInt32BE(index, 8); // the key is used for this one file only: the chunk number is a unique nonce
    return { nonce, aad: Buffer.concat([SEALED_MAGIC, nonce.subarray(8), Buffer.of(final ? 1 : 0)]) };
  };
  return {
    cipher: 'aes',
    seal(index, final, plain) {
      const { nonce, aad } = params(index, final);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(aad);
      return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    },
    open(index, final, sealed) {
      const { nonce, aad } = params(index, final);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, nonce);
        decipher.setAAD(aad);
        decipher.setAuthTag(sealed.subarray(sealed.length - TAG.aes));
        return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG.aes)), decipher.final()]);
      } catch {
        throw new EvidenceIntegrityError('evidence file does not open with its key');
      }
    },
  };
}

function sm4Chunks(fileKey: Uint8Array): ChunkCodec {
  const enc = sm4Subkey(fileKey, 'ready-ctr', 16);
  const mac = sm4Subkey(fileKey, 'ready-mac');
  // Chunk n's counter starts at n << 64: a chunk is 4096 blocks, so no two chunks share key stream.
  const counter = (index: number) => {
    const iv = Buffer.alloc(16);
    iv.writeUInt32BE(index, 4);
    return iv;
  };
  const tag = (index: number, final: boolean, body: Uint8Array) => sm3Mac(mac, SM4_MAGIC, indexBytes(index), Buffer.of(final ? 1 : 0), body);
  return {
    cipher: 'sm4',
    seal(index, final, plain) {
      const cipher = createCipheriv('sm4-ctr', enc, counter(index));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([body, tag(index, final, body)]);
    },
    open(index, final, sealed) {
      const body = sealed.subarray(0, sealed.length - TAG.sm4);
      if (!timingSafeEqual(sealed.subarray(sealed.length - TAG.sm4), tag(index, final, body))) {
        throw new EvidenceIntegrityError('evidence file does not open with its key');
      }
      const decipher = createDecipheriv('sm4-ctr', enc, counter(index));
      return Buffer.concat([decipher.update(body), decipher.final()]);
    },
  };
}

const chunksFor = (cipher: CipherName, bytes: Uint8Array) => (cipher === 'sm4' ? sm4Chunks(bytes) : gcmChunks(bytes));

/**
 * Writes `source` sealed to a new file `file` (owner-only, created exclusively) with the file key's cipher, and
 * returns the plaintext's size and SHA-256. The caller renames it into place.
 */
export async function writeSealedFile(
  file: string,
  fileKey: AnyFileKey,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<{ size: number; sha256: string }> {
  const { cipher, bytes } = asFileKey(fileKey);
  const codec = chunksFor(cipher, bytes);
  const hash = createHash('sha256');
  const handle = await fs.open(file, 'wx', 0o600);
  try {
    await handle.write(MAGIC[cipher]);
    let pending = Buffer.alloc(0);
    let index = 0;
    let size = 0;
    for await (const piece of source) {
      hash.update(piece);
      size += piece.length;
      pending = pending.length ? Buffer.concat([pending, piece]) : Buffer.from(piece);
      // Keep at least one byte back: only the end of the source says which chunk is the last.
      while (pending.length > CHUNK) {
        await handle.write(codec.seal(index++, false, pending.subarray(0, CHUNK)));
        pending = pending.subarray(CHUNK);
      }
      if (pending.byteOffset > 0 && pending.length < CHUNK / 4) pending = Buffer.from(pending); // let the big buffer go
    }
    await handle.write(codec.seal(index, true, pending));
    await handle.sync();
    return { size, sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

/**
 * The plaintext of a sealed file, chunk by chunk, each authenticated before it is returned; the header says which
 * cipher (the file key's recorded cipher is not needed). Takes a path or a handle already open (closed at the end
 * either way).
 */
export async function* readSealedFile(file: string | FileHandle, fileKey: AnyFileKey): AsyncGenerator<Buffer> {
  const handle = typeof file === 'string' ? await fs.open(file, 'r') : file;
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(SEALED_MAGIC.length);
    await handle.read(head, 0, head.length, 0);
    const cipher = formatOf(head);
    if (!cipher || size < SEALED_MAGIC.length + TAG[cipher]) throw new EvidenceIntegrityError('not a sealed evidence file');
    const codec = chunksFor(cipher, asFileKey(fileKey).bytes);
    const tagBytes = TAG[cipher];
    const body = size - SEALED_MAGIC.length;
    const chunks = Math.ceil(body / (CHUNK + tagBytes));
    for (let index = 0; index < chunks; index++) {
      const start = SEALED_MAGIC.length + index * (CHUNK + tagBytes);
      const length = Math.min(CHUNK + tagBytes, size - start);
      if (length < tagBytes) throw new EvidenceIntegrityError('evidence file is cut off');
      const sealed = Buffer.alloc(length);
      const { bytesRead } = await handle.read(sealed, 0, length, start);
      if (bytesRead !== length) throw new EvidenceIntegrityError('evidence file changed while reading');
      yield codec.open(index, index === chunks - 1, sealed);
    }
  } finally {
    await handle.close();
  }
}
