import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Reporter fields at rest: AES-256-GCM with a random 96-bit nonce per value; the key comes from configuration.
 * Lookup hashes of phone numbers and client addresses use an HMAC under a key derived from the same secret, so a
 * stolen database alone does not let anyone test phone numbers against them.
 */
export interface Sealer {
  /**
   * `context` names the row and field the value belongs to (e.g. `reports.reporter_enc:<code>`); it is bound as
   * AES-GCM associated data, so a value copied to another row or field does not open.
   */
  seal(plaintext: string, context?: string): string;
  open(sealed: string, context?: string): string;
  /** Keyed hash for equality lookups of personal values (phone, client address). */
  lookupHash(value: string): string;
}

export function createSealer(key: Uint8Array): Sealer {
  if (key.length !== 32) throw new Error('data key must be 32 bytes (AES-256)');
  const encKey = createHmac('sha256', key).update('aqjb:encrypt:v1').digest();
  const macKey = createHmac('sha256', key).update('aqjb:lookup:v1').digest();
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      if (context !== undefined) cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed, context) {
      if (!sealed.startsWith('v1.')) throw new Error('unknown sealed format');
      const raw = Buffer.from(sealed.slice(3), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
      if (context !== undefined) decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    lookupHash: (value) => createHmac('sha256', macKey).update(value).digest('hex'),
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
