import type { AttachmentMime } from '../schemas/attachments.js';

/** The bytes are not a well-formed JPEG or PNG (truncated, corrupt, or another format). */
export class MediaFormatError extends Error {
  override name = 'MediaFormatError';
}

const fail = (message: string): never => {
  throw new MediaFormatError(message);
};

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Removes from a JPEG every segment that can locate or identify the reporter (Exif with GPS and camera serials,
 * XMP, IPTC/Photoshop, comments, maker APPn, anything after EOI such as motion-photo trailers). Keeps what decoding
 * needs plus JFIF (APP0), the ICC profile (APP2) and Adobe (APP14). Lossless: the compressed image is copied as is.
 * An Exif Orientation other than 1 survives as a new minimal Exif, so phone photos are not shown sideways.
 * @throws MediaFormatError when the bytes are not a complete JPEG.
 */
export function stripJpegMetadata(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const len = bytes.length;
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) fail('not a JPEG');
  const parts: Uint8Array[] = [bytes.subarray(0, 2)];
  let pos = 2;
  let exifSeen = false;
  for (;;) {
    if (bytes[pos] !== 0xff) fail(pos >= len ? 'JPEG ends before EOI' : 'JPEG marker expected');
    while (bytes[pos + 1] === 0xff) pos++; // fill bytes before a marker
    const start = pos;
    const code = bytes[pos + 1] ?? fail('JPEG ends inside a marker');
    pos += 2;
    if (code === 0xd9) {
      parts.push(bytes.subarray(start, pos)); // EOI; whatever follows is dropped
      return concat(parts);
    }
    if ((code >= 0xd0 && code <= 0xd7) || code === 0x01) {
      parts.push(bytes.subarray(start, pos)); // standalone markers carry no length
      continue;
    }
    if (code === 0x00 || code === 0xd8) fail('unexpected JPEG marker');
    if (pos + 2 > len) fail('JPEG ends inside a segment');
    const end = pos + ((bytes[pos]! << 8) | bytes[pos + 1]!);
    if (end < pos + 2 || end > len) fail('JPEG segment length out of range');
    const payload = bytes.subarray(pos + 2, end);
    pos = end;
    if (code === 0xda) {
      pos = scanEnd(bytes, pos); // SOS header plus its entropy-coded data, copied verbatim
      parts.push(bytes.subarray(start, pos));
    } else if (keepJpegSegment(code, payload)) {
      parts.push(bytes.subarray(start, end));
    } else if (code === 0xe1 && !exifSeen && ascii(payload, 0, 6) === 'Exif\0\0') {
      exifSeen = true;
      const orientation = exifOrientation(payload.subarray(6));
      if (orientation !== undefined && orientation !== 1) parts.push(orientationExif(orientation));
    }
  }
}

/** Index of the first marker after entropy-coded data (stuffed FF00 and RSTn belong to the data). */
function scanEnd(bytes: Uint8Array, from: number): number {
  let i = from;
  for (;;) {
    i = bytes.indexOf(0xff, i);
    if (i < 0 || i + 1 >= bytes.length) fail('JPEG ends inside image data');
    const next = bytes[i + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) i += 2;
    else if (next === 0xff) i += 1;
    else {
      while (bytes[i - 1] === 0xff && i > from) i--; // fill bytes go with the marker, which drops them
      return i;
    }
  }
}

function keepJpegSegment(code: number, payload: Uint8Array): boolean {
  if (code === 0xfe) return false; // COM
  if (code < 0xe0 || code > 0xef) return true; // tables, frame and scan headers, DRI…
  if (code === 0xe0) return /^JF(IF|XX)\0/.test(ascii(payload, 0, 5));
  if (code === 0xe2) return ascii(payload, 0, 12) === 'ICC_PROFILE\0'; // not MPF, which embeds more images
  if (code === 0xee) return ascii(payload, 0, 5) === 'Adobe'; // colour transform, needed to decode CMYK/YCCK
  return false;
}

/** Orientation (tag 0x0112) from IFD0 of a TIFF structure, or undefined when absent or unreadable. */
function exifOrientation(tiff: Uint8Array): number | undefined {
  const le = tiff[0] === 0x49 && tiff[1] === 0x49;
  if (!le && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return undefined;
  const u16 = (o: number) =>
    o + 2 > tiff.length ? -1 : le ? tiff[o]! | (tiff[o + 1]! << 8) : (tiff[o]! << 8) | tiff[o + 1]!;
  const u32 = (o: number) => (u16(o + (le ? 2 : 0)) * 0x10000 + u16(o + (le ? 0 : 2))) >>> 0;
  if (u16(2) !== 42 || tiff.length < 8) return undefined;
  const ifd = u32(4);
  const count = u16(ifd);
  for (let k = 0; k < count; k++) {
    const entry = ifd + 2 + 12 * k;
    if (entry + 12 > tiff.length) return undefined;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 2) === 3 ? u16(entry + 8) : -1; // type SHORT, value inline
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

/** APP1 holding only "Exif", a big-endian TIFF header and IFD0 with the one Orientation entry. */
const orientationExif = (o: number) =>
  Uint8Array.of(
    0xff, 0xe1, 0x00, 0x22, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, // APP1, length 34, "Exif\0\0"
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // "MM", 42, IFD0 at 8
    0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, o, 0x00, 0x00, // 1 entry: 0x0112 SHORT ×1
    0x00, 0x00, 0x00, 0x00, // no next IFD
  );

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// Ancillary chunks that only affect how pixels render. Everything else ancillary goes: tEXt/zTXt/iTXt (author,
// software, GPS in XMP), eXIf, tIME, and vendor chunks whose content is unknown.
const PNG_KEEP = new Set([
  'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'pHYs', 'sBIT', 'bKGD', 'hIST', 'sPLT', 'cICP', 'mDCv', 'cLLi',
  'acTL', 'fcTL', 'fdAT',
]);

/**
 * Removes text, Exif, time and unknown ancillary chunks from a PNG; keeps critical chunks, colour and animation
 * chunks, copied verbatim with their CRCs. Anything after IEND is dropped.
 * @throws MediaFormatError when the bytes are not a complete PNG.
 */
export function stripPngMetadata(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (!PNG_SIGNATURE.every((x, i) => bytes[i] === x)) fail('not a PNG');
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  let pos = 8;
  for (;;) {
    if (pos + 12 > bytes.length) fail('PNG ends before IEND');
    const length = ((bytes[pos]! << 24) | (bytes[pos + 1]! << 16) | (bytes[pos + 2]! << 8) | bytes[pos + 3]!) >>> 0;
    const type = ascii(bytes, pos + 4, 4);
    if (!/^[A-Za-z]{4}$/.test(type)) fail('PNG chunk type invalid');
    if (pos === 8 && type !== 'IHDR') fail('PNG does not start with IHDR');
    const end = pos + 12 + length;
    if (length > 0x7fffffff || end > bytes.length) fail('PNG chunk length out of range');
    // A critical chunk (upper-case first letter) is needed to decode, even one we do not know.
    if (PNG_KEEP.has(type) || type.charCodeAt(0) < 0x61) parts.push(bytes.subarray(pos, end));
    pos = end;
    if (type === 'IEND') return concat(parts);
  }
}

/** Strips identifying metadata where the format has it (JPEG, PNG); PDF and MP4 are returned unchanged. */
export function stripMetadata<B extends ArrayBufferLike>(bytes: Uint8Array<B>, mime: AttachmentMime): Uint8Array<B | ArrayBuffer> {
  if (mime === 'image/jpeg') return stripJpegMetadata(bytes);
  if (mime === 'image/png') return stripPngMetadata(bytes);
  return bytes;
}
