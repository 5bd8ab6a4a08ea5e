import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Reporter fields at rest: AES-256-GCM with a random 96-bit nonce per value, under a key from configuration.
 * A sealed value reads `v2.<kid>.<base64 nonce|tag|ciphertext>`: the key id picks the key from the keyring, so
 * keys can be rotated (`src/server/keys.ts`, `aqjb-rekey`). Every value is bound to its row and field (the
 * context, e.g. `reports.reporter_enc:<code>`, is the AES-GCM associated data): a value copied to another row or
 * field does not open.
 *
 * `v1.<base64>` values (before key ids) were sealed without a context. They open only when the database says so
 * (`legacyKid`: the key that opened them at the first start with key checks), and only until `aqjb-rekey` has
 * re-sealed them; then the database stops accepting them.
 *
 * Lookup hashes of phone numbers and client addresses use an HMAC under a key derived from the current key, so a
 * stolen database alone does not let anyone test phone numbers against them. They change with the current key.
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
  /** True when `sealed` is under another key than the current one, or in the legacy format. */
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

export const KID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * The context of a sealed value: `<table>.<column>:<primary key>` (composite keys joined with `:`). The one rule,
 * used where values are sealed and opened and by `aqjb-rekey`.
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
    if (key.length !== 32) throw new Error(`data key "${kid}" must be 32 bytes (AES-256)`);
    seen.add(kid);
  }
  return ring;
}

const V2 = /^v2\.([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9+/=]+)$/;

export function createSealer(keys: DataKeys, { legacyKid }: { legacyKid?: string } = {}): Sealer {
  const ring = toKeyring(keys);
  const derived = new Map(
    ring.map(({ kid, key }) => [
      kid,
      {
        enc: createHmac('sha256', key).update('aqjb:encrypt:v1').digest(),
        mac: createHmac('sha256', key).update('aqjb:lookup:v1').digest(),
      },
    ]),
  );
  const current = ring[0]!.kid;
  const currentKeys = derived.get(current)!;

  function decrypt(encKey: Buffer, raw: Buffer, aad: string | undefined): string {
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

  return {
    currentKid: current,
    seal(plaintext, context) {
      if (!context) throw new Error('seal() needs the row and field the value belongs to');
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', currentKeys.enc, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `v2.${current}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed, context) {
      if (!context) throw new Error('open() needs the row and field the value belongs to');
      const v2 = V2.exec(sealed);
      if (v2) {
        const keysOf = derived.get(v2[1]!);
        if (!keysOf) throw new SealedValueError(`sealed under key "${v2[1]}", which is not configured`);
        return decrypt(keysOf.enc, Buffer.from(v2[2]!, 'base64'), context);
      }
      if (sealed.startsWith('v1.')) {
        const keysOf = legacyKid === undefined ? undefined : derived.get(legacyKid);
        if (!keysOf) throw new SealedValueError('legacy sealed value (v1) is no longer accepted');
        return decrypt(keysOf.enc, Buffer.from(sealed.slice(3), 'base64'), undefined);
      }
      throw new SealedValueError('unknown sealed format');
    },
    needsRekey: (sealed) => !sealed.startsWith(`v2.${current}.`),
    lookupHash: (value) => createHmac('sha256', currentKeys.mac).update(value).digest('hex'),
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
