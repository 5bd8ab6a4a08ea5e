import type { Tiff } from './strip-metadata.js';

// The Exif GPS reader: only for a photo whose location the citizen chose to keep, so it is a module of its own that
// the browser loads with such a photo (the sync stripper in strip.ts imports it for the server and the SDK).

// TIFF field types: bytes per value component, and components per value (RATIONAL and SRATIONAL have two).
const TIFF_WIDTH: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 4, 6: 1, 7: 1, 8: 2, 9: 4, 10: 4, 11: 4, 12: 8 };
const TIFF_PAIRS: Record<number, number> = { 5: 2, 10: 2 };
const GPS_LAST_TAG = 0x1f; // GPSHPositioningError: the last tag of Exif 2.32's GPS IFD; vendor tags go
const GPS_VALUE_MAX = 1024;

export interface GpsField {
  tag: number;
  type: number;
  count: number;
  /** The value, big-endian. */
  value: Uint8Array;
}

/** The GPS IFD's standard entries, values converted to big-endian; unreadable entries are left out. */
export function gpsFields(t: Tiff): GpsField[] {
  const pointer = t.entry(t.ifd0, 0x8825);
  if (pointer < 0 || t.u16(pointer + 2) !== 4) return [];
  const ifd = t.u32(pointer + 8);
  const fields = new Map<number, GpsField>();
  for (let k = 0, n = t.u16(ifd); k < n; k++) {
    const at = ifd + 2 + 12 * k;
    const [tag, type, count] = [t.u16(at), t.u16(at + 2), t.u32(at + 4)];
    const width = TIFF_WIDTH[type];
    if (tag < 0 || tag > GPS_LAST_TAG || !width || count < 1 || fields.has(tag)) continue;
    const length = count * width * (TIFF_PAIRS[type] ?? 1);
    if (length > GPS_VALUE_MAX) continue;
    const from = length <= 4 ? at + 8 : t.u32(at + 8);
    if (from < 0 || from + length > t.tiff.length) continue;
    const value = t.tiff.slice(from, from + length);
    if (t.le) for (let c = 0; c < length; c += width) value.subarray(c, c + width).reverse();
    fields.set(tag, { tag, type, count, value });
  }
  return [...fields.values()].sort((a, b) => a.tag - b.tag);
}

/** Reads the GPS entries to keep from an Exif's TIFF structure. */
export type GpsReader = (t: Tiff) => GpsField[];
