import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Reporter fields at rest, under a key from configuration, in one of two formats; the format (and so the cipher) is
 * recorded in every value, so a database may hold both, and every value opens whichever cipher new values get:
 *
 * - `v2.<kid>.<base64 nonce|tag|ciphertext>`: AES-256-GCM with a random 96-bit nonce (the default).
 * - `v3.<kid>.sm4.<base64 nonce|ciphertext|tag>` (`--cipher sm4`, for a GB/T 39786 assessment): SM4-CTR with a random
 *   128-bit initial counter, then HMAC-SM3 (encrypt-then-MAC) over the format, key id, cipher, nonce, context and
 *   ciphertext, each length-prefixed; the 32-byte tag is checked in constant time before anything is decrypted.
 *   One construction everywhere, although OpenSSL 3.2+ has SM4-GCM: a value must open on every instance and after a
 *   rollback to Node 20 (OpenSSL 3.0, no SM4-GCM), and one format is one thing to test.
 *
 * The key id picks the key from the keyring, so keys can be rotated (`src/server/keys.ts`, `aqjb rotate-key`), and the same
 * command moves a database from one cipher to the other. Every value is bound to its row and field (the context,
 * e.g. `reports.reporter_enc:<code>`, is authenticated with it): a value copied to another row or field does not open.
 * Each cipher has its own subkeys, derived from the 32-byte data key with that cipher's hash (HMAC-SHA256 or HMAC-SM3)
 * under labels of its own: no subkey serves two ciphers.
 *
 * `v1.<base64>` values (before key ids) were sealed without a context. They open only when the database says so
 * (`legacyKid`: the key that opened them at the first start with key checks), and only until `aqjb rotate-key` has
 * re-sealed them; then the database stops accepting them.
 *
 * Lookup hashes of phone numbers and client addresses use an HMAC under a key derived from the current key (HMAC-SM3
 * under `sm4`), so a stolen database alone does not let anyone test phone numbers against them. They change with the
 * current key and with the cipher; everything hashed with them lives a day at most (SMS cooldowns and daily counts,
 * rate-limit windows, the proof-of-work and rate-limit secrets derived from them): after a switch, restart every
 * instance together, as after a key change.
 */
export interface Sealer {
  /** `context` names the row and field the value belongs to: build it with `sealedAt()`. */
  seal(plaintext: string, context: string): string;
  /** Throws `SealedValueError` when the value is not for this context, or no configured key opens it. */
  open(sealed: string, context: string): string;
  /** Keyed hash for equality lookups of personal values (phone, client address). */
  lookupHash(value: string): string;
  /** The key new values are sealed under (the keyring's first). */
  readonly currentKid: string;
  /** The cipher new values (and new evidence files) are sealed with. */
  readonly cipher: CipherName;
  /** The hash of this cipher's HMACs (`sha256`, or `sm3` under `sm4`), for keyed hashes built on `lookupHash`. */
  readonly hmac: 'sha256' | 'sm3';
  /** How every value sealed now starts (`v2.<kid>.` or `v3.<kid>.sm4.`). */
  readonly currentPrefix: string;
  /** True when `sealed` is under another key or cipher than the current ones, or in the legacy format. */
  needsRekey(sealed: string): boolean;
}

/** One data key and its id (`[A-Za-z0-9_-]{1,32}`). */
export interface DataKey {
  kid: string;
  key: Uint8Array;
}

/** A single 32-byte key (its id derived from it), or a keyring with the current key first. */
export type DataKeys = Uint8Array | readonly DataKey[];

/** A sealed value that does not open: another row's or field's, another key's, or altered. Never a 500. */
export class SealedValueError extends Error {
  override name = 'SealedValueError';
}

/** `aes`: AES-256-GCM and HMAC-SHA256 (the default); `sm4`: SM4-CTR with HMAC-SM3, and HMAC-SM3 lookups. */
export const CIPHERS = ['aes', 'sm4'] as const;
export type CipherName = (typeof CIPHERS)[number];

/** `--cipher` / `AQJB_CIPHER`: absent or empty is the default. Throws a message that lists the choices. */
export function parseCipher(text: string | undefined): CipherName {
  const name = (text ?? '').trim().toLowerCase() || 'aes';
  if (!(CIPHERS as readonly string[]).includes(name)) throw new Error(`--cipher (AQJB_CIPHER) must be one of ${CIPHERS.join(', ')}, not "${text}"`);
  return name as CipherName;
}

/** HMAC-SM3 of `parts`, each length-prefixed (an unambiguous encoding: no two lists give the same input). */
export function sm3Mac(key: Uint8Array, ...parts: (string | Uint8Array)[]): Buffer {
  const mac = createHmac('sm3', key);
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    mac.update(length).update(bytes);
  }
  return mac.digest();
}

/** A 128-bit SM4 key (or any subkey) derived from a 32-byte key with HMAC-SM3 under `label`. */
export const sm3Subkey = (key: Uint8Array, label: string, bytes = 32) => createHmac('sm3', key).update(label).digest().subarray(0, bytes);

export const KID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * The context of a sealed value: `<table>.<column>:<primary key>` (composite keys joined with `:`). The one rule,
 * used where values are sealed and opened and by `aqjb rotate-key`.
 */
export const sealedAt = (table: string, column: string, ...key: (string | number | bigint)[]) =>
  `${table}.${column}:${key.map(String).join(':')}`;

/** The id a single key gets when it has no name (`AQJB_DATA_KEY`, or an unnamed keyring entry): stable per key. */
export const derivedKid = (key: Uint8Array) => `k${createHmac('sha256', key).update('aqjb:key-id:v1').digest('hex').slice(0, 8)}`;

/** The current key first; a single key gets its derived id. */
export function toKeyring(keys: DataKeys): readonly DataKey[] {
  const ring = keys instanceof Uint8Array ? [{ kid: derivedKid(keys), key: keys }] : keys;
  if (!ring.length) throw new Error('the keyring is empty');
  const seen = new Set<string>();
  for (const { kid, key } of ring) {
    if (!KID_PATTERN.test(kid)) throw new Error(`key id "${kid}" must be 1 to 32 letters, digits, "_" or "-"`);
    if (seen.has(kid)) throw new Error(`key id "${kid}" appears twice in the keyring`);
    if (key.length !== 32) throw new Error(`data key "${kid}" must be 32 bytes`);
    seen.add(kid);
  }
  return ring;
}

const V2 = /^v2\.([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9+/=]+)$/;
const V3 = /^v3\.([A-Za-z0-9_-]{1,32})\.(sm4)\.([A-Za-z0-9+/=]+)$/;
const SM4_NONCE = 16;
const SM3_TAG = 32;

interface Subkeys {
  aes: { enc: Buffer; lookup: Buffer };
  sm4: { enc: Buffer; mac: Buffer; lookup: Buffer };
}

function subkeys(key: Uint8Array): Subkeys {
  return {
    aes: {
      enc: createHmac('sha256', key).update('aqjb:encrypt:v1').digest(),
      lookup: createHmac('sha256', key).update('aqjb:lookup:v1').digest(),
    },
    sm4: {
      enc: sm3Subkey(key, 'aqjb:sm4:encrypt:v1', 16),
      mac: sm3Subkey(key, 'aqjb:sm4:seal-mac:v1'),
      lookup: sm3Subkey(key, 'aqjb:sm4:lookup:v1'),
    },
  };
}

export function createSealer(keys: DataKeys, { legacyKid, cipher = 'aes' }: { legacyKid?: string; cipher?: CipherName } = {}): Sealer {
  const ring = toKeyring(keys);
  const derived = new Map(ring.map(({ kid, key }) => [kid, subkeys(key)]));
  const current = ring[0]!.kid;
  const currentKeys = derived.get(current)!;
  const currentPrefix = cipher === 'sm4' ? `v3.${current}.sm4.` : `v2.${current}.`;

  function decryptGcm(encKey: Buffer, raw: Buffer, aad: string | undefined): string {
    if (raw.length < 28) throw new SealedValueError('sealed value is too short');
    try {
      const decipher = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
      if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new SealedValueError('sealed value does not open for this row and field');
    }
  }

  const sm4Tag = (k: Subkeys['sm4'], kid: string, nonce: Uint8Array, context: string, body: Uint8Array) =>
    sm3Mac(k.mac, 'v3', kid, 'sm4', nonce, context, body);

  function sealSm4(plaintext: string, context: string): string {
    const k = currentKeys.sm4;
    const nonce = randomBytes(SM4_NONCE);
    const cipher = createCipheriv('sm4-ctr', k.enc, nonce);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${currentPrefix}${Buffer.concat([nonce, body, sm4Tag(k, current, nonce, context, body)]).toString('base64')}`;
  }

  function openSm4(k: Subkeys['sm4'], kid: string, raw: Buffer, context: string): string {
    if (raw.length < SM4_NONCE + SM3_TAG) throw new SealedValueError('sealed value is too short');
    const nonce = raw.subarray(0, SM4_NONCE);
    const body = raw.subarray(SM4_NONCE, raw.length - SM3_TAG);
    const tag = raw.subarray(raw.length - SM3_TAG);
    // Encrypt-then-MAC: nothing is decrypted before the tag holds.
    if (!timingSafeEqual(tag, sm4Tag(k, kid, nonce, context, body))) throw new SealedValueError('sealed value does not open for this row and field');
    const decipher = createDecipheriv('sm4-ctr', k.enc, nonce);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }

  const keysOf = (kid: string) => {
    const found = derived.get(kid);
    if (!found) throw new SealedValueError(`sealed under key "${kid}", which is not configured`);
    return found;
  };

  return {
    currentKid: current,
    cipher,
    hmac: cipher === 'sm4' ? 'sm3' : 'sha256',
    currentPrefix,
    seal(plaintext, context) {
      if (!context) throw new Error('seal() needs the row and field the value belongs to');
      if (cipher === 'sm4') return sealSm4(plaintext, context);
      const iv = randomBytes(12);
      const gcm = createCipheriv('aes-256-gcm', currentKeys.aes.enc, iv);
      gcm.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([gcm.update(plaintext, 'utf8'), gcm.final()]);
      return `${currentPrefix}${Buffer.concat([iv, gcm.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed, context) {
      if (!context) throw new Error('open() needs the row and field the value belongs to');
      const v2 = V2.exec(sealed);
      if (v2) return decryptGcm(keysOf(v2[1]!).aes.enc, Buffer.from(v2[2]!, 'base64'), context);
      const v3 = V3.exec(sealed);
      if (v3) return openSm4(keysOf(v3[1]!).sm4, v3[1]!, Buffer.from(v3[3]!, 'base64'), context);
      if (sealed.startsWith('v1.')) {
        const legacy = legacyKid === undefined ? undefined : derived.get(legacyKid);
        if (!legacy) throw new SealedValueError('legacy sealed value (v1) is no longer accepted');
        return decryptGcm(legacy.aes.enc, Buffer.from(sealed.slice(3), 'base64'), undefined);
      }
      throw new SealedValueError('unknown sealed format');
    },
    needsRekey: (sealed) => !sealed.startsWith(currentPrefix),
    lookupHash: (value) =>
      cipher === 'sm4'
        ? createHmac('sm3', currentKeys.sm4.lookup).update(value).digest('hex')
        : createHmac('sha256', currentKeys.aes.lookup).update(value).digest('hex'),
  };
}

/** Unkeyed hash for secrets that are already random (query keys, ack tokens): 80+ bits need no pepper. */
export const secretHash = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Compares two hex hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export const randomToken = (bytes = 24) => randomBytes(bytes).toString('base64url');
