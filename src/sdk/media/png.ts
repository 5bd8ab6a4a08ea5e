import { fail } from './format-error.js';
import { ascii, concat } from './bytes.js';

// PNG: its own module, loaded by `stripFileMetadata` with the first PNG (see strip-metadata.ts).

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// Ancillary chunks that only affect how pixels render. Everything else ancillary goes: tEXt/zTXt/iTXt (author,
// software, GPS in XMP), eXIf, tIME, and vendor chunks whose content is unknown.
const PNG_KEEP = new Set([
  'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'pHYs', 'sBIT', 'bKGD', 'hIST', 'sPLT', 'cICP', 'mDCv', 'cLLi',
  'acTL', 'fcTL', 'fdAT',
]);

let crcTable: Uint32Array | undefined;
function crc32(bytes: Uint8Array): number {
  const table = (crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    for (let k = 0; k < 8; k++) n = n & 1 ? 0xedb88320 ^ (n >>> 1) : n >>> 1;
    return n >>> 0;
  }));
  let c = ~0;
  for (const x of bytes) c = table[(c ^ x) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * Removes text, Exif, time and unknown ancillary chunks from a PNG; keeps critical chunks, colour and animation
 * chunks, copied verbatim with their CRCs. Anything after IEND is dropped.
 * @throws MediaFormatError when the bytes are not a complete PNG (IHDR first, image data, every CRC right, IEND).
 */
export function stripPngMetadata(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (!PNG_SIGNATURE.every((x, i) => bytes[i] === x)) fail('not a PNG');
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  let pos = 8;
  let imageSeen = false;
  for (;;) {
    if (pos + 12 > bytes.length) fail('PNG ends before IEND');
    const length = ((bytes[pos]! << 24) | (bytes[pos + 1]! << 16) | (bytes[pos + 2]! << 8) | bytes[pos + 3]!) >>> 0;
    const type = ascii(bytes, pos + 4, 4);
    if (!/^[A-Za-z]{4}$/.test(type)) fail('PNG chunk type invalid');
    if (pos === 8 && type !== 'IHDR') fail('PNG does not start with IHDR');
    const end = pos + 12 + length;
    if (length > 0x7fffffff || end > bytes.length) fail('PNG chunk length out of range');
    const crc = ((bytes[end - 4]! << 24) | (bytes[end - 3]! << 16) | (bytes[end - 2]! << 8) | bytes[end - 1]!) >>> 0;
    if (crc32(bytes.subarray(pos + 4, end - 4)) !== crc) fail('PNG chunk CRC wrong');
    imageSeen ||= type === 'IDAT';
    // A critical chunk (upper-case first letter) is needed to decode, even one we do not know.
    if (PNG_KEEP.has(type) || type.charCodeAt(0) < 0x61) parts.push(bytes.subarray(pos, end));
    pos = end;
    if (type === 'IEND') return imageSeen ? concat(parts) : fail('PNG has no image data');
  }
}

