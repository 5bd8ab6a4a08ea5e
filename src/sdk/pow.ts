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

// prettier-ignore
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

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
