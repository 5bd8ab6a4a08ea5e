import type { AttachmentMime } from '../schemas/attachments.js';
import { ascii } from './bytes.js';

/** Bytes from the start of a file that `sniffMime` needs: enough for the MP4 `ftyp` box and its brands. */
export const SNIFF_BYTES = 64;

// ISO base media brands recorded by phones and cameras (Android: isom/mp42, iPhone: "qt  ", Sony: XAVC…).
const VIDEO_BRANDS = new Set([
  'isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'iso7', 'iso8', 'iso9', 'mp41', 'mp42', 'mp71', 'avc1',
  'M4V ', 'M4VH', 'M4VP', 'qt  ', 'MSNV', 'XAVC', 'mmp4', 'f4v ', 'dash', 'NDAS',
]);
// Same container, but still images (HEIF/HEIC/AVIF): refused wherever they appear among the brands.
const IMAGE_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis']);
// Audio only: refused as the major brand (an iTunes .m4v lists `M4A ` among its compatible brands).
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ']);

const startsWith = (b: Uint8Array, sig: readonly number[]) => sig.every((x, i) => b[i] === x);

/**
 * Recognises an accepted evidence type by its magic bytes; the name and the declared type are never trusted.
 * Pass at least the first `SNIFF_BYTES` bytes (fewer for short files).
 */
export function sniffMime(head: Uint8Array): AttachmentMime | undefined {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii(head, 0, 5) === '%PDF-') return 'application/pdf';
  if (head.length >= 16 && ascii(head, 4, 4) === 'ftyp') return sniffFtyp(head);
  return undefined;
}

function sniffFtyp(head: Uint8Array): AttachmentMime | undefined {
  const boxSize = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  if (boxSize < 16 || boxSize % 4 !== 0 || boxSize > 4096) return undefined;
  // major brand, minor version, then compatible brands up to the end of the box (or of what we were given)
  const brands = [ascii(head, 8, 4)];
  for (let at = 16; at + 4 <= Math.min(boxSize, head.length); at += 4) brands.push(ascii(head, at, 4));
  if (AUDIO_BRANDS.has(brands[0]!) || brands.some((b) => IMAGE_BRANDS.has(b))) return undefined;
  return brands.some((b) => VIDEO_BRANDS.has(b)) ? 'video/mp4' : undefined;
}
