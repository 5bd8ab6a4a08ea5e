import { fail } from './format-error.js';

/**
 * MP4/MOV (ISO base media, QuickTime) metadata removal that never moves a byte: every box that can locate or
 * identify the person filming (`udta` with ©xyz/©mak/©mod, `meta` with Apple's ISO 6709 location keys, `uuid` boxes
 * such as XMP or a camera's Exif, timed metadata tracks such as GoPro GPMF or Apple `mebx`) is overwritten with a
 * `free` box of the same size and a zeroed payload. Sizes and positions stay as they were, so the `stco`/`co64`
 * chunk offsets of every other track still point at the same sample bytes, whether `moov` comes before `mdat`
 * (faststart) or after it. Only box headers and `moov` are read, so a 200 MB video is never loaded whole: the server
 * reads with positioned reads, the browser with `Blob.slice`.
 */

/** Random access to the bytes of a file. */
export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes from `offset` (the caller stays within `size`). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** One change to the original: `data` written at `offset`, or `length` zero bytes when `data` is absent. */
export interface Mp4Edit {
  offset: number;
  length: number;
  data?: Uint8Array;
}

/** A `moov` larger than this is refused: phones write a few MB for hours of video. */
export const MAX_MOOV_BYTES = 64 * 1024 * 1024;
/** Top-level boxes walked at most (a fragmented recording has two per fragment); guards against 8-byte floods. */
const MAX_TOP_LEVEL_BOXES = 100_000;

// Boxes whose children are walked for metadata. `stsd` and sample entries are not: they describe how to decode.
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts', 'dinf', 'mvex']);
// Boxes that carry metadata: turned into `free` wherever they are.
const BLANK = new Set(['udta', 'meta', 'uuid']);
// Padding, which can hold what an editor left behind: payload zeroed, type kept.
const PADDING = new Set(['free', 'skip', 'wide']);
// Timed metadata tracks (GoPro GPMF, Apple mebx, Google camm, Sony rtmd): their samples hold GPS fixes.
const METADATA_HANDLERS = new Set(['meta', 'camm']);

const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const u64 = (b: Uint8Array, at: number) => u32(b, at) * 2 ** 32 + u32(b, at + 4);
const fourcc = (b: Uint8Array, at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
// Printable ASCII, and © (0xA9), which QuickTime's metadata item names start with.
const isFourcc = (b: Uint8Array, at: number) =>
  [0, 1, 2, 3].every((k) => (b[at + k]! >= 0x20 && b[at + k]! <= 0x7e) || b[at + k] === 0xa9);

interface Box {
  type: string;
  start: number;
  header: number;
  end: number;
}

/** The box at `at` from its first 16 bytes; `limit` is the end of the enclosing box (or of the file). */
function boxAt(head: Uint8Array, at: number, limit: number, lastMayRunToEnd: boolean): Box {
  if (head.length < 8 || !isFourcc(head, 4)) fail('MP4 box header invalid');
  const size32 = u32(head, 0);
  let header = 8;
  let size = size32;
  if (size32 === 1) {
    if (head.length < 16) fail('MP4 box header truncated');
    header = 16;
    size = u64(head, 8);
  } else if (size32 === 0) {
    if (!lastMayRunToEnd) fail('MP4 box of size 0 inside another box');
    size = limit - at;
  }
  const type = fourcc(head, 4);
  if (type === 'uuid') header += 16;
  if (size < header || at + size > limit) fail('MP4 box size out of range');
  return { type, start: at, header, end: at + size };
}

/** A box's bytes turned into a `free` box of the same size with a zeroed payload (a copy; `bytes` is untouched). */
function asFree(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  out.set(bytes.subarray(0, 4)); // size32: same (1 for a 64-bit size, which follows)
  out.set([0x66, 0x72, 0x65, 0x65], 4); // "free"
  if (u32(bytes, 0) === 1) out.set(bytes.subarray(8, 16), 8);
  return out;
}

/**
 * Checks that the bytes are an MP4/MOV (`ftyp` first, top-level boxes covering the file exactly, one `moov`, an
 * `mdat`) and returns the edits that remove its metadata; none when it has none.
 * @throws MediaFormatError when the structure is broken, or the file is something else behind an `ftyp`.
 */
export async function planMp4Strip(source: ByteSource): Promise<Mp4Edit[]> {
  const { size } = source;
  const edits: Mp4Edit[] = [];
  let moov: Box | undefined;
  const mdats: Box[] = [];
  let count = 0;
  for (let at = 0; at < size; ) {
    if (++count > MAX_TOP_LEVEL_BOXES) fail('MP4 has too many boxes');
    const box = boxAt(await source.read(at, Math.min(32, size - at)), at, size, true);
    if (at === 0 && box.type !== 'ftyp') fail('MP4 does not start with ftyp');
    if (box.type === 'moov') moov = moov ? fail('MP4 has two moov boxes') : box;
    if (box.type === 'mdat') mdats.push(box);
    if (BLANK.has(box.type)) {
      // The header becomes "free"; the payload is zeroed without reading it.
      const head = await source.read(at, box.header);
      edits.push({ offset: at, length: box.header, data: asFree(head).subarray(0, box.header) });
    }
    if ((BLANK.has(box.type) || PADDING.has(box.type)) && box.end > at + box.header) {
      edits.push({ offset: at + box.header, length: box.end - at - box.header });
    }
    at = box.end;
  }
  if (!moov) return fail('MP4 has no moov box');
  if (!mdats.length) fail('MP4 has no mdat box');
  if (moov.end - moov.start > MAX_MOOV_BYTES) fail('MP4 moov box too large');

  const original = await source.read(moov.start, moov.end - moov.start);
  const cleaned = original.slice();
  const sampleRanges: [number, number][] = [];
  walk(cleaned, moov.header, cleaned.length, 'moov', (box) => {
    if (BLANK.has(box.type)) {
      cleaned.set(asFree(cleaned.subarray(box.start, box.end)), box.start);
      return false;
    }
    if (PADDING.has(box.type)) {
      cleaned.fill(0, box.start + box.header, box.end);
      return false;
    }
    if (box.type === 'trak' && METADATA_HANDLERS.has(handlerOf(cleaned, box) ?? '')) {
      sampleRanges.push(...chunkRanges(cleaned, box, size));
      cleaned.set(asFree(cleaned.subarray(box.start, box.end)), box.start);
      return false;
    }
    return CONTAINERS.has(box.type);
  });
  if (cleaned.some((b, i) => b !== original[i])) edits.push({ offset: moov.start, length: cleaned.length, data: cleaned });
  for (const [start, end] of sampleRanges) {
    if (!insideMdat(mdats, start, end)) fail('MP4 samples outside mdat');
    edits.push({ offset: start, length: end - start });
  }
  return normalise(edits);
}

/** Whether [start, end) lies in the payload of one `mdat` (they are in file order: a binary search). */
function insideMdat(mdats: readonly Box[], start: number, end: number): boolean {
  let lo = 0;
  let hi = mdats.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (mdats[mid]!.start <= start) lo = mid;
    else hi = mid - 1;
  }
  const m = mdats[lo]!;
  return start >= m.start + m.header && end <= m.end;
}

/**
 * Calls `visit` for each child box between `from` and `to`, and walks into those for which it returns true.
 * Children must tile their parent, except for zero bytes at its end.
 */
function walk(b: Uint8Array, from: number, to: number, parent: string, visit: (box: Box) => boolean, depth = 0): void {
  if (depth > 16) fail('MP4 boxes nested too deeply');
  for (let at = from; at < to; ) {
    if (b.subarray(at, Math.min(to, at + 8)).every((x) => x === 0)) {
      if (b.subarray(at, to).some((x) => x !== 0)) fail(`MP4 ${parent} holds a box of size 0`);
      return; // zero bytes that close the list (QuickTime writes a 32-bit terminator)
    }
    if (to - at < 8) fail(`MP4 ${parent} ends inside a box header`);
    const box = boxAt(b.subarray(at, at + 32), at, to, false);
    if (visit(box)) walk(b, box.start + box.header, box.end, box.type, visit, depth + 1);
    at = box.end;
  }
}

/** Children of a box, as a list. */
function children(b: Uint8Array, box: Box): Box[] {
  const out: Box[] = [];
  walk(b, box.start + box.header, box.end, box.type, (child) => (out.push(child), false));
  return out;
}

const child = (b: Uint8Array, box: Box | undefined, type: string) => (box ? children(b, box).find((c) => c.type === type) : undefined);

/** The `hdlr` handler type of a `trak` (vide, soun, meta…). */
function handlerOf(b: Uint8Array, trak: Box): string | undefined {
  const hdlr = child(b, child(b, trak, 'mdia'), 'hdlr');
  return hdlr && hdlr.end - hdlr.start >= hdlr.header + 12 ? fourcc(b, hdlr.start + hdlr.header + 8) : undefined;
}

/** The byte ranges of a track's samples in the file, one per chunk, from `stsc`, `stsz`/`stz2` and `stco`/`co64`. */
function chunkRanges(b: Uint8Array, trak: Box, fileSize: number): [number, number][] {
  const stbl = child(b, child(b, child(b, trak, 'mdia'), 'minf'), 'stbl');
  if (!stbl) return [];
  const boxes = children(b, stbl);
  const find = (type: string) => boxes.find((x) => x.type === type);
  // Every table is a full box: version and flags, then an entry count, then the entries.
  const table = (box: Box | undefined, skip: number, entrySize: number) => {
    if (!box) return undefined;
    const at = box.start + box.header + 4 + skip;
    const n = at + 4 <= box.end ? u32(b, at) : fail('MP4 sample table truncated');
    if (at + 4 + n * entrySize > box.end) fail('MP4 sample table truncated');
    return { n, at: at + 4 };
  };
  const stco = find('stco');
  const co64 = find('co64');
  const chunks = table(stco ?? co64, 0, stco ? 4 : 8);
  if (!chunks) return [];
  const chunkOffset = (i: number) => (stco ? u32(b, chunks.at + 4 * i) : u64(b, chunks.at + 8 * i));

  const stsz = find('stsz');
  const stz2 = find('stz2');
  let sampleSize: (i: number) => number;
  let samples: number;
  if (stsz) {
    const fixed = stsz.end - stsz.start >= stsz.header + 8 ? u32(b, stsz.start + stsz.header + 4) : fail('MP4 stsz truncated');
    const sizes = table(stsz, 4, fixed === 0 ? 4 : 0)!;
    samples = sizes.n;
    sampleSize = fixed === 0 ? (i) => u32(b, sizes.at + 4 * i) : () => fixed;
  } else if (stz2) {
    const field = b[stz2.start + stz2.header + 7]!;
    if (field !== 4 && field !== 8 && field !== 16) fail('MP4 stz2 field size invalid');
    const sizes = table(stz2, 4, 0)!;
    if (sizes.at + Math.ceil((sizes.n * field) / 8) > stz2.end) fail('MP4 sample table truncated');
    samples = sizes.n;
    sampleSize = (i) =>
      field === 16 ? (b[sizes.at + 2 * i]! << 8) | b[sizes.at + 2 * i + 1]! : field === 8 ? b[sizes.at + i]! : (b[sizes.at + (i >> 1)]! >> (i & 1 ? 0 : 4)) & 15;
  } else return [];

  const stsc = table(find('stsc'), 0, 12);
  if (!stsc) return [];
  const ranges: [number, number][] = [];
  let sample = 0;
  for (let e = 0; e < stsc.n; e++) {
    const first = u32(b, stsc.at + 12 * e) - 1;
    const perChunk = u32(b, stsc.at + 12 * e + 4);
    const last = e + 1 < stsc.n ? u32(b, stsc.at + 12 * (e + 1)) - 1 : chunks.n;
    if (first < 0 || last > chunks.n || last < first) fail('MP4 stsc out of range');
    for (let c = first; c < last && sample < samples; c++) {
      const start = chunkOffset(c);
      let end = start;
      for (let k = 0; k < perChunk && sample < samples; k++) end += sampleSize(sample++);
      if (end > fileSize) fail('MP4 chunk outside the file');
      if (end > start) ranges.push([start, end]);
    }
  }
  return ranges;
}

/** Sorts the edits, merges touching zero ranges, and refuses overlaps (a hostile file pointing samples at boxes). */
function normalise(edits: Mp4Edit[]): Mp4Edit[] {
  edits.sort((a, b) => a.offset - b.offset);
  const out: Mp4Edit[] = [];
  for (const e of edits) {
    const last = out.at(-1);
    if (last && e.offset < last.offset + last.length) {
      if (last.data || e.data) fail('MP4 edits overlap');
      last.length = Math.max(last.length, e.offset + e.length - last.offset);
    } else if (last && !last.data && !e.data && e.offset === last.offset + last.length) last.length += e.length;
    else out.push({ ...e });
  }
  return out;
}

/** A Blob's bytes as a `ByteSource` (browser and Node 20). */
export const blobSource = (blob: Blob): ByteSource => ({
  size: blob.size,
  read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
});

/** The cleaned video as a Blob made of slices of the original: nothing is copied but the edited boxes. */
export function applyMp4Edits(blob: Blob, edits: readonly Mp4Edit[], type = 'video/mp4'): Blob {
  const parts: BlobPart[] = [];
  let at = 0;
  for (const e of edits) {
    parts.push(blob.slice(at, e.offset), (e.data ?? new Uint8Array(e.length)) as Uint8Array<ArrayBuffer>);
    at = e.offset + e.length;
  }
  parts.push(blob.slice(at));
  return new Blob(parts, { type });
}

/**
 * Removes location, device and author metadata from an MP4/MOV Blob (see `planMp4Strip`).
 * @throws MediaFormatError when the bytes are not a well-formed MP4/MOV.
 */
export async function stripMp4Metadata(blob: Blob): Promise<Blob> {
  const edits = await planMp4Strip(blobSource(blob));
  return edits.length ? applyMp4Edits(blob, edits) : blob.slice(0, blob.size, 'video/mp4');
}
