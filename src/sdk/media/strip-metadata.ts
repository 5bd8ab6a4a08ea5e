import type { AttachmentMime } from '../schemas/attachments.js';
import { ascii, concat } from './bytes.js';
import { fail } from './format-error.js';
import type { GpsReader } from './exif-gps.js';

export { MediaFormatError } from './format-error.js';

export interface StripOptions {
  /**
   * The citizen chose to keep a photo's location: a JPEG keeps its Exif GPS block (and orientation), rebuilt on
   * its own; everything else goes as without this option. Other types ignore it.
   */
  keepLocation?: boolean;
}

/**
 * Removes from a JPEG every segment that can locate or identify the reporter (Exif with GPS and camera serials,
 * XMP, IPTC/Photoshop, comments, maker APPn, anything after EOI such as motion-photo trailers). Keeps what decoding
 * needs plus JFIF (APP0), the ICC profile (APP2) and Adobe (APP14). Lossless: the compressed image is copied as is.
 * An Exif Orientation other than 1 survives as a new minimal Exif, so phone photos are not shown sideways; with
 * a `gps` reader (the citizen kept the photo's location: `gpsFields` of exif-gps.ts) the GPS IFD joins it there,
 * copied entry by entry (nothing else of the original Exif survives).
 * @throws MediaFormatError when the bytes are not a complete JPEG (SOI, segments, a frame, its scans, EOI).
 */
export function stripJpeg(bytes: Uint8Array, gps?: GpsReader): Uint8Array<ArrayBuffer> {
  const len = bytes.length;
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) fail('not a JPEG');
  const parts: Uint8Array[] = [bytes.subarray(0, 2)];
  let pos = 2;
  let exifSeen = false;
  let frameSeen = false;
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
      if (!frameSeen) fail('JPEG scan before its frame header');
      pos = scanEnd(bytes, pos); // SOS header plus its entropy-coded data, copied verbatim
      parts.push(bytes.subarray(start, pos));
    } else if (keepJpegSegment(code, payload)) {
      frameSeen ||= SOF.has(code);
      parts.push(bytes.subarray(start, end));
    } else if (code === 0xe1 && !exifSeen && ascii(payload, 0, 6) === 'Exif\0\0') {
      exifSeen = true;
      const kept = keptExif(payload.subarray(6), gps);
      if (kept) parts.push(kept);
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

// Start-of-frame markers (baseline, progressive, lossless, arithmetic): not DHT (C4), JPG (C8) or DAC (CC).
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function keepJpegSegment(code: number, payload: Uint8Array): boolean {
  if (code === 0xfe) return false; // COM
  if (code < 0xe0 || code > 0xef) return true; // tables, frame and scan headers, DRI…
  if (code === 0xe0) return /^JF(IF|XX)\0/.test(ascii(payload, 0, 5));
  if (code === 0xe2) return ascii(payload, 0, 12) === 'ICC_PROFILE\0'; // not MPF, which embeds more images
  if (code === 0xee) return ascii(payload, 0, 5) === 'Adobe'; // colour transform, needed to decode CMYK/YCCK
  return false;
}

/** Reads a TIFF structure (Exif) in its byte order; every read outside it returns -1. */
function tiffReader(tiff: Uint8Array) {
  const le = tiff[0] === 0x49 && tiff[1] === 0x49;
  if (!le && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return undefined;
  const u16 = (o: number) =>
    o < 0 || o + 2 > tiff.length ? -1 : le ? tiff[o]! | (tiff[o + 1]! << 8) : (tiff[o]! << 8) | tiff[o + 1]!;
  const u32 = (o: number) =>
    o < 0 || o + 4 > tiff.length ? -1 : (u16(o + (le ? 2 : 0)) * 0x10000 + u16(o + (le ? 0 : 2))) >>> 0;
  if (u16(2) !== 42) return undefined;
  /** Offset of the 12-byte entry for `tag` in the IFD at `ifd`, or -1. */
  const entry = (ifd: number, tag: number) => {
    const count = u16(ifd);
    for (let k = 0; k < count; k++) {
      const at = ifd + 2 + 12 * k;
      if (at + 12 > tiff.length) return -1;
      if (u16(at) === tag) return at;
    }
    return -1;
  };
  return { tiff, le, u16, u32, entry, ifd0: u32(4) };
}
export type Tiff = NonNullable<ReturnType<typeof tiffReader>>;

/**
 * The Exif that replaces the original: big-endian, IFD0 with Orientation (when not 1) and, with `gps`, a pointer
 * to a new GPS IFD holding the original's GPS entries as `gps` reads them. Undefined when there is nothing to keep.
 */
function keptExif(tiffBytes: Uint8Array, gps?: GpsReader): Uint8Array | undefined {
  const t = tiffReader(tiffBytes);
  if (!t) return undefined;
  const at = t.entry(t.ifd0, 0x0112);
  const o = at >= 0 && t.u16(at + 2) === 3 ? t.u16(at + 8) : -1; // SHORT, inline
  const orientation = o >= 2 && o <= 8 ? o : undefined;
  const fields = gps?.(t) ?? [];
  if (orientation === undefined && fields.length === 0) return undefined;

  const out: number[] = [];
  const w16 = (n: number) => out.push((n >> 8) & 0xff, n & 0xff);
  const w32 = (n: number) => (w16(n >>> 16), w16(n & 0xffff));
  const n0 = (orientation ? 1 : 0) + (fields.length ? 1 : 0);
  const gpsAt = 8 + 2 + 12 * n0 + 4;
  out.push(0x4d, 0x4d), w16(42), w32(8); // "MM", 42, IFD0 at 8
  w16(n0);
  if (orientation) (w16(0x0112), w16(3), w32(1), w16(orientation), w16(0));
  if (fields.length) (w16(0x8825), w16(4), w32(1), w32(gpsAt));
  w32(0); // no next IFD
  if (fields.length) {
    let dataAt = gpsAt + 2 + 12 * fields.length + 4;
    const data: number[] = [];
    w16(fields.length);
    for (const f of fields) {
      w16(f.tag), w16(f.type), w32(f.count);
      if (f.value.length <= 4) out.push(...f.value, ...new Array(4 - f.value.length).fill(0));
      else {
        w32(dataAt);
        data.push(...f.value);
        if (f.value.length % 2) data.push(0); // values start on a word boundary
        dataAt += f.value.length + (f.value.length % 2);
      }
    }
    w32(0);
    out.push(...data);
  }
  const length = 2 + 6 + out.length;
  return Uint8Array.from([0xff, 0xe1, length >> 8, length & 0xff, 0x45, 0x78, 0x69, 0x66, 0, 0, ...out]);
}

/**
 * Strips what can locate or identify the reporter from a file before it is sent: JPEG and PNG metadata (see
 * `stripMetadata` in strip.ts), and MP4/MOV `udta`/`meta`/`uuid` boxes and timed metadata tracks, overwritten in place (see
 * `planMp4Strip`; the video is read by slices, never whole). A PDF comes back as it is: the server removes its
 * document properties. The result is a nameless Blob typed by content.
 * @throws MediaFormatError when a JPEG, PNG or MP4 is not well-formed.
 */
export async function stripFileMetadata(file: Blob, mime: AttachmentMime, options: StripOptions = {}): Promise<Blob> {
  // The MP4 reader is loaded with the first video, the PNG reader with the first PNG: most reports carry camera
  // photos, JPEGs (−1.8 and −0.4 KB gzip for them). The GPS reader comes with the first photo whose location the
  // citizen keeps, which is not the default (−0.3).
  if (mime === 'video/mp4') return (await import('./mp4.js')).stripMp4Metadata(file);
  if (mime === 'application/pdf') return file.slice(0, file.size, mime);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const stripped =
    mime === 'image/png'
      ? (await import('./png.js')).stripPngMetadata(bytes)
      : stripJpeg(bytes, options.keepLocation ? (await import('./exif-gps.js')).gpsFields : undefined);
  return new Blob([stripped], { type: mime });
}
