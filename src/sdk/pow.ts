/**
 * Solves a reading receipt's proof-of-work (`PowChallenge`, ALTCHA v2 with SHA-256) while the notice is read.
 *
 * SHA-256 in plain JavaScript rather than `crypto.subtle.digest`: the search hashes one short message per counter,
 * and an awaited `digest` per counter costs a promise and a thread hop each (about 60× slower in Node 20, see the
 * commit), while a compression function on typed arrays runs at a few hundred thousand hashes a second on a
 * throttled phone. It also works where `crypto.subtle` does not (pages served over plain http), and in Node.
 *
 * On the page's main thread, in slices of a few milliseconds: a Web Worker would need a script from the page's own
 * origin (the embed is served from the API's), or a `blob:` worker that the portal's CSP (`worker-src`) and Trusted
 * Types would both have to admit. The slices keep the page responsive; the search is done long before the 15 s read.
 */
import type { PowChallenge, PowSolution } from './schemas/notice.js';

// SHA-256's constants are the first 32 bits of the fractional parts of the cube roots (K) and square roots (IV) of the
// first primes (FIPS 180-4, 4.2.2 and 5.3.3). Computed here, they cost 0.6 KB gzip less than written out; doubles
// give every bit exactly (checked against the table when this was written, and by the tests, which solve altcha-lib's
// challenges).
const PRIMES: number[] = [];
for (let n = 2; PRIMES.length < 64; n++) if (PRIMES.every((p) => n % p)) PRIMES.push(n);
const fraction = (x: number) => ((x - Math.floor(x)) * 2 ** 32) | 0;
const K = Int32Array.from(PRIMES, (p) => fraction(Math.cbrt(p)));
const IV = PRIMES.slice(0, 8).map((p) => fraction(Math.sqrt(p)));

/** SHA-256 of the padded message in `m` (whole 64-byte blocks, as big-endian words) into `h`. */
function sha256(m: Int32Array, h: Int32Array, w: Int32Array): void {
  h.set(IV);
  for (let block = 0; block < m.length; block += 16) {
    for (let i = 0; i < 16; i++) w[i] = m[block + i]!;
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15]!;
      const y = w[i - 2]!;
      w[i] = ((((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) + w[i - 7]! + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w[i - 16]!) | 0;
    }
    let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, k = h[7]!;
    for (let i = 0; i < 64; i++) {
      const t1 = (k + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
      const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0]! += a;
    h[1]! += b;
    h[2]! += c;
    h[3]! += d;
    h[4]! += e;
    h[5]! += f;
    h[6]! += g;
    h[7]! += k;
  }
}

const hexBytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (byte) => parseInt(byte, 16));

/** The message `bytes` with SHA-256 padding, as big-endian words; `bytes.length` must leave room (< 2^29). */
function padded(bytes: Uint8Array): Int32Array {
  const words = new Int32Array(((bytes.length + 9 + 63) >> 6) << 4);
  bytes.forEach((byte, i) => (words[i >> 2]! |= byte << (24 - 8 * (i & 3))));
  words[bytes.length >> 2]! |= 0x80 << (24 - 8 * (bytes.length & 3));
  words[words.length - 1] = bytes.length * 8;
  return words;
}

/** Lets the page (or Node's event loop) run between slices: no clamped `setTimeout` where something better exists. */
const pause = (): Promise<void> => {
  const g = globalThis as { scheduler?: { yield?: () => Promise<void> }; setImmediate?: (fn: () => void) => void };
  if (g.scheduler?.yield) return g.scheduler.yield();
  return new Promise((resolve) => (g.setImmediate ?? setTimeout)(resolve));
};

export interface SolveOptions {
  signal?: AbortSignal;
  /** Longest run between two pauses, in ms (default 6: a frame keeps its time to paint). */
  sliceMs?: number;
}

/**
 * Finds the counter in 0…`maxNumber` whose key starts with `keyPrefix`; `undefined` when there is none (a challenge
 * that is not ours). Rejects with the signal's reason when aborted.
 */
export async function solvePow(challenge: PowChallenge, { signal, sliceMs = 6 }: SolveOptions = {}): Promise<PowSolution | undefined> {
  const prefix = hexBytes(challenge.keyPrefix);
  const base = [...hexBytes(challenge.salt), ...hexBytes(challenge.nonce)];
  const at = base.length; // the counter's first byte
  const message = padded(Uint8Array.from([...base, 0, 0, 0, 0]));
  const rehash = padded(new Uint8Array(32)); // for cost > 1: the previous key, hashed again
  const key = new Int32Array(8);
  const w = new Int32Array(64);
  const byteOf = (i: number) => (key[i >> 2]! >>> (24 - 8 * (i & 3))) & 255;
  const setByte = (i: number, byte: number) => {
    const shift = 24 - 8 * (i & 3);
    message[i >> 2] = (message[i >> 2]! & ~(255 << shift)) | (byte << shift);
  };
  signal?.throwIfAborted();
  let sliceStart = Date.now();
  for (let n = 0; n <= challenge.maxNumber; n++) {
    if ((n & 255) === 0 && Date.now() - sliceStart >= sliceMs) {
      await pause();
      signal?.throwIfAborted();
      sliceStart = Date.now();
    }
    for (let b = 0; b < 4; b++) setByte(at + b, (n >>> (24 - 8 * b)) & 255);
    sha256(message, key, w);
    for (let round = 1; round < challenge.cost; round++) {
      rehash.set(key);
      sha256(rehash, key, w);
    }
    let match = true;
    for (let i = 0; i < prefix.length && match; i++) match = byteOf(i) === prefix[i];
    if (match) {
      let derivedKey = '';
      for (let i = 0; i < 32; i++) derivedKey += byteOf(i).toString(16).padStart(2, '0');
      return { counter: n, derivedKey };
    }
  }
  return undefined;
}
