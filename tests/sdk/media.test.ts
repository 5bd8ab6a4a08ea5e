import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { sniffMime } from '../../src/sdk/media/sniff.js';
import { blobSource, planMp4Strip, stripMp4Metadata } from '../../src/sdk/media/mp4.js';
import { MediaFormatError, stripFileMetadata } from '../../src/sdk/media/strip-metadata.js';
import { stripJpegMetadata, stripMetadata, stripPngMetadata } from '../../src/sdk/media/strip.js';
import * as fixtures from '../support/media-fixtures.js';

const bytes = (...parts: (number[] | Uint8Array | string)[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : [...p])));
const u16be = (n: number) => [n >> 8, n & 0xff];
const segment = (code: number, payload: Uint8Array) => bytes([0xff, code], u16be(payload.length + 2), payload);
const has = (hay: Uint8Array, needle: string | Uint8Array) => Buffer.from(hay).includes(Buffer.from(needle as never));

// A complete 8×8 grey baseline JPEG: one DC and one AC Huffman code ("0"), so the scan is DC 0 + EOB = 0x3F.
const DQT = segment(0xdb, bytes([0], new Array(64).fill(1)));
const SOF0 = segment(0xc0, bytes([8], u16be(8), u16be(8), [1, 1, 0x11, 0]));
const DHT = bytes(segment(0xc4, bytes([0x00, 1], new Array(15).fill(0), [0])), segment(0xc4, bytes([0x10, 1], new Array(15).fill(0), [0])));
const SOS = segment(0xda, bytes([1, 1, 0x00, 0, 63, 0]));
const SCAN = bytes([0x3f]);
const APP0 = segment(0xe0, bytes('JFIF\0', [1, 1, 0, 0, 1, 0, 1, 0, 0]));
const IMAGE = bytes(DQT, SOF0, DHT, SOS, SCAN, [0xff, 0xd9]);

/** Little- or big-endian Exif with Make, Model, Orientation and a GPS IFD (latitude 39°54'27.10"N). */
function exif(orientation: number, le = true): Uint8Array {
  const w16 = (n: number) => (le ? [n & 0xff, n >> 8] : u16be(n));
  const w32 = (n: number) => (le ? [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24] : [n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
  const entry = (tag: number, type: number, count: number, value: number[]) =>
    [...w16(tag), ...w16(type), ...w32(count), ...value, ...new Array(4 - value.length).fill(0)];
  const make = 'SecretPhoneMaker\0';
  const model = 'Model-XYZ-123\0';
  // layout: header 8 | IFD0 (2 + 4×12 + 4 = 54) | make | model | GPS IFD (2 + 2×12 + 4 = 30) | 3 rationals
  const makeAt = 8 + 54;
  const modelAt = makeAt + make.length;
  const gpsAt = modelAt + model.length;
  const ratAt = gpsAt + 30;
  const tiff = bytes(
    le ? 'II' : 'MM', w16(42), w32(8),
    w16(4),
    entry(0x010f, 2, make.length, w32(makeAt)),
    entry(0x0110, 2, model.length, w32(modelAt)),
    entry(0x0112, 3, 1, w16(orientation)),
    entry(0x8825, 4, 1, w32(gpsAt)),
    w32(0),
    make, model,
    w16(2),
    entry(0x0001, 2, 2, [0x4e, 0]),
    entry(0x0002, 5, 3, w32(ratAt)),
    w32(0),
    w32(39), w32(1), w32(54), w32(1), w32(2710), w32(100),
  );
  return segment(0xe1, bytes('Exif\0\0', tiff));
}

const GPS_RATIONALS = bytes([39, 0, 0, 0, 1, 0, 0, 0, 54, 0, 0, 0, 1, 0, 0, 0]);
const XMP = segment(0xe1, bytes('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>39,54.45N</exif:GPSLatitude></x:xmpmeta>'));
const IPTC = segment(0xed, bytes('Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x10\x1c\x02\x50\0\x09Zhang San'));
const COM = segment(0xfe, bytes('taken by Zhang San'));
const APP12 = segment(0xec, bytes('Ducky\0\x01\0\x04\0\0\0\x50'));
const ICC = segment(0xe2, bytes('ICC_PROFILE\0\x01\x01', new Array(20).fill(7)));
const MPF = segment(0xe2, bytes('MPF\0II*\0', new Array(16).fill(9)));
const ADOBE = segment(0xee, bytes('Adobe\0\x64\0\0\0\0\x01'));
const ORIENTATION_6 = bytes(
  [0xff, 0xe1, 0x00, 0x22], 'Exif\0\0', 'MM', [0, 42, 0, 0, 0, 8],
  [0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0],
);

function phoneJpeg(orientation = 6, le = true) {
  return bytes([0xff, 0xd8], APP0, exif(orientation, le), XMP, ICC, MPF, APP12, IPTC, COM, ADOBE, IMAGE, 'MotionPhoto_Data_trailer');
}

test('sniffing recognises JPEG, PNG, PDF and MP4 by content', () => {
  assert.equal(sniffMime(bytes([0xff, 0xd8], APP0)), 'image/jpeg');
  assert.equal(sniffMime(bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR')), 'image/png');
  assert.equal(sniffMime(bytes('%PDF-1.7\n%âãÏÓ\n')), 'application/pdf');
  const ftyp = (...brands: string[]) => bytes([0, 0, 0, 8 + 4 * brands.length + 4], 'ftyp', brands[0]!, [0, 0, 2, 0], brands.slice(1).join(''));
  assert.equal(sniffMime(ftyp('isom', 'isom', 'iso2', 'avc1', 'mp41')), 'video/mp4');
  assert.equal(sniffMime(ftyp('mp42', 'mp42', 'isom')), 'video/mp4');
  assert.equal(sniffMime(ftyp('qt  ', 'qt  ')), 'video/mp4'); // iPhone .mov
  assert.equal(sniffMime(ftyp('M4V ', 'M4V ', 'M4A ', 'mp42', 'isom')), 'video/mp4');
});

test('sniffing refuses other formats whatever their name says', () => {
  const ftyp = (...brands: string[]) => bytes([0, 0, 0, 8 + 4 * brands.length + 4], 'ftyp', brands[0]!, [0, 0, 0, 0], brands.slice(1).join(''));
  assert.equal(sniffMime(bytes('GIF89a\x01\0\x01\0')), undefined);
  assert.equal(sniffMime(bytes('<!doctype html><html><script>alert(1)</script>')), undefined); // "photo.jpg"
  assert.equal(sniffMime(bytes('RIFF\0\0\0\0WEBPVP8 ')), undefined);
  assert.equal(sniffMime(ftyp('heic', 'mif1', 'heic')), undefined);
  assert.equal(sniffMime(ftyp('mif1', 'mif1', 'heix')), undefined);
  assert.equal(sniffMime(ftyp('avif', 'avif', 'mif1', 'miaf', 'iso8')), undefined);
  assert.equal(sniffMime(ftyp('M4A ', 'M4A ', 'mp42', 'isom')), undefined); // audio only
  assert.equal(sniffMime(ftyp('abcd', 'abcd')), undefined);
  assert.equal(sniffMime(bytes([0, 0, 0, 0x18], 'ftyp')), undefined); // truncated box
  assert.equal(sniffMime(new Uint8Array()), undefined);
  assert.equal(sniffMime(bytes([0xff, 0xd8])), undefined);
});

test('JPEG stripping removes GPS, camera and identity data but keeps the image byte for byte', () => {
  const original = phoneJpeg();
  assert.ok(has(original, 'SecretPhoneMaker') && has(original, GPS_RATIONALS), 'the fixture does carry them');
  const out = stripJpegMetadata(original);
  for (const secret of ['SecretPhoneMaker', 'Model-XYZ-123', 'GPSLatitude', 'Zhang San', 'Ducky', 'MPF', 'MotionPhoto']) {
    assert.ok(!has(out, secret), `${secret} removed`);
  }
  assert.ok(!has(out, GPS_RATIONALS), 'GPS coordinates removed');
  assert.deepEqual(out, bytes([0xff, 0xd8], APP0, ORIENTATION_6, ICC, ADOBE, IMAGE));
  assert.deepEqual(out.subarray(out.length - IMAGE.length), IMAGE); // tables, frame, scan: untouched
  assert.deepEqual(stripJpegMetadata(out), out); // idempotent
});

test('JPEG stripping keeps the orientation from big-endian Exif and drops Exif with orientation 1', () => {
  const rotated = stripJpegMetadata(phoneJpeg(8, false));
  assert.ok(has(rotated, bytes([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 8])), 'orientation 8 kept');
  assert.ok(!has(rotated, 'SecretPhoneMaker'), 'make removed');
  const upright = stripJpegMetadata(phoneJpeg(1));
  assert.ok(!has(upright, 'Exif'), 'no Exif left');
  assert.deepEqual(upright, bytes([0xff, 0xd8], APP0, ICC, ADOBE, IMAGE));
});

test('JPEG scan data with stuffed bytes, restart markers and fill bytes is copied verbatim', () => {
  const scan = bytes([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0x00]);
  const image = bytes(DQT, SOF0, DHT, SOS, scan, [0xff, 0xff], COM, SOS, scan, [0xff, 0xd9]);
  const out = stripJpegMetadata(bytes([0xff, 0xd8], exif(6), image));
  assert.deepEqual(out, bytes([0xff, 0xd8], ORIENTATION_6, DQT, SOF0, DHT, SOS, scan, SOS, scan, [0xff, 0xd9]));
});

function crc32(data: Uint8Array): number {
  let c = ~0;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
const chunk = (type: string, data: Uint8Array | string = new Uint8Array()) => {
  const body = bytes(type, typeof data === 'string' ? bytes(data) : data);
  const crc = crc32(body);
  return bytes([0, 0, 0, 0].map((_, i) => ((body.length - 4) >>> (24 - 8 * i)) & 0xff), body, [crc >>> 24, (crc >> 16) & 0xff, (crc >> 8) & 0xff, crc & 0xff]);
};
const SIGNATURE = bytes([0x89], 'PNG\r\n\x1a\n');
const IHDR = chunk('IHDR', bytes([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
const IDAT = chunk('IDAT', deflateSync(Uint8Array.of(0, 0x80)));
const IEND = chunk('IEND');

test('PNG stripping removes text, Exif and time chunks and keeps the image and colour chunks', () => {
  const kept = [chunk('sRGB', bytes([0])), chunk('gAMA', bytes([0, 0, 0xb1, 0x8f])), chunk('pHYs', bytes(new Array(9).fill(1)))];
  const original = bytes(
    SIGNATURE, IHDR, kept[0]!, chunk('tEXt', 'Author\0Zhang San'), chunk('eXIf', exif(6).subarray(10)),
    kept[1]!, chunk('iTXt', 'XML:com.adobe.xmp\0\0\0\0\0<exif:GPSLatitude>39,54N</exif:GPSLatitude>'),
    chunk('zTXt', bytes('Comment\0\0', deflateSync(bytes('phone 13800000000')))), chunk('tIME', bytes([7, 233, 5, 1, 12, 0, 0])),
    kept[2]!, chunk('caBX', 'c2pa identity claim'), IDAT, IEND, 'trailer',
  );
  const out = stripPngMetadata(original);
  assert.deepEqual(out, bytes(SIGNATURE, IHDR, ...kept, IDAT, IEND));
  for (const secret of ['Zhang San', 'GPSLatitude', 'SecretPhoneMaker', 'tIME', 'c2pa', 'trailer']) assert.ok(!has(out, secret), secret);
});

test('stripMetadata leaves PDF and MP4 bytes to stripFileMetadata and the server', () => {
  const pdf = bytes('%PDF-1.4\n/Author (Zhang San)\n%%EOF');
  assert.equal(stripMetadata(pdf, 'application/pdf'), pdf);
  assert.deepEqual(stripMetadata(phoneJpeg(), 'image/jpeg'), stripJpegMetadata(phoneJpeg()));
});

test('malformed and truncated images throw MediaFormatError and never hang', () => {
  const isFormatError = (e: unknown) => e instanceof MediaFormatError && e.name === 'MediaFormatError';
  const jpeg = phoneJpeg();
  const eoi = jpeg.length - 'MotionPhoto_Data_trailer'.length;
  for (let n = 0; n < eoi; n++) assert.throws(() => stripJpegMetadata(jpeg.subarray(0, n)), isFormatError, `JPEG cut at ${n}`);
  const png = bytes(SIGNATURE, IHDR, chunk('tEXt', 'a\0b'), IDAT, IEND);
  for (let n = 0; n < png.length; n++) assert.throws(() => stripPngMetadata(png.subarray(0, n)), isFormatError, `PNG cut at ${n}`);
  assert.throws(() => stripJpegMetadata(bytes([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x01])), isFormatError); // length < 2
  assert.throws(() => stripJpegMetadata(bytes([0xff, 0xd8, 0x00, 0x00])), isFormatError);
  assert.throws(() => stripJpegMetadata(bytes('<html>')), isFormatError);
  assert.throws(() => stripPngMetadata(bytes(SIGNATURE, IDAT, IEND)), isFormatError); // IHDR first
  assert.throws(() => stripPngMetadata(bytes(SIGNATURE, [0xff, 0xff, 0xff, 0xff], 'IDAT', [0, 0, 0, 0])), isFormatError);
  // Random corruption either still parses or fails with the typed error: nothing else escapes, nothing loops.
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let round = 0; round < 2000; round++) {
    for (const [input, strip] of [[jpeg, stripJpegMetadata], [png, stripPngMetadata]] as const) {
      const copy = input.slice();
      for (let k = 0; k < 3; k++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
      try {
        strip(copy);
      } catch (error) {
        assert.ok(isFormatError(error), String(error));
      }
    }
  }
});

// ---- #17.4: keepLocation keeps the GPS block only; structure is checked, not just the first bytes -----------------

/** The GPS IFD of a JPEG's Exif, decoded: tag → [type, count, value bytes in the file's order]. */
function gpsOf(jpeg: Uint8Array): Map<number, { type: number; count: number; value: number[] }> | undefined {
  const at = Buffer.from(jpeg).indexOf('Exif\0\0');
  if (at < 0) return undefined;
  const tiff = jpeg.subarray(at + 6);
  const le = tiff[0] === 0x49;
  const u16 = (o: number) => (le ? tiff[o]! | (tiff[o + 1]! << 8) : (tiff[o]! << 8) | tiff[o + 1]!);
  const u32 = (o: number) => (le ? u16(o) + u16(o + 2) * 0x10000 : u16(o) * 0x10000 + u16(o + 2));
  const ifd0 = u32(4);
  let gps = -1;
  for (let k = 0; k < u16(ifd0); k++) if (u16(ifd0 + 2 + 12 * k) === 0x8825) gps = u32(ifd0 + 2 + 12 * k + 8);
  if (gps < 0) return undefined;
  const out = new Map<number, { type: number; count: number; value: number[] }>();
  const widths: Record<number, number> = { 2: 1, 5: 8 };
  for (let k = 0; k < u16(gps); k++) {
    const e = gps + 2 + 12 * k;
    const [type, count] = [u16(e + 2), u32(e + 4)];
    const length = count * widths[type]!;
    const from = length <= 4 ? e + 8 : u32(e + 8);
    const raw = tiff.subarray(from, from + length);
    // rationals as numbers, so byte order does not matter to the comparison
    const value = type === 5 ? [...Array(count * 2).keys()].map((i) => u32(from + 4 * i)) : [...raw];
    out.set(u16(e), { type, count, value });
  }
  return out;
}

test('keepLocation keeps the GPS block and nothing else of the original JPEG', () => {
  const original = phoneJpeg(6);
  assert.ok(has(original, 'Zhang San') && has(original, 'MotionPhoto') && has(original, 'SecretPhoneMaker'), 'fixture');
  const out = stripJpegMetadata(original, { keepLocation: true });
  for (const secret of ['SecretPhoneMaker', 'Model-XYZ-123', 'Zhang San', 'Ducky', 'MPF', 'MotionPhoto', 'GPSLatitude', 'Photoshop']) {
    assert.ok(!has(out, secret), `${secret} removed`);
  }
  // The same image, tables and scan; the Exif is a new one holding orientation 6 and the GPS IFD alone.
  assert.deepEqual(out.subarray(out.length - IMAGE.length), IMAGE);
  assert.ok(has(out, bytes([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6])), 'orientation kept');
  assert.deepEqual(
    [...gpsOf(out)!.entries()],
    [[1, { type: 2, count: 2, value: [0x4e, 0] }], [2, { type: 5, count: 3, value: [39, 1, 54, 1, 2710, 100] }]],
    'latitude N 39° 54′ 27.10″ survives',
  );
  assert.deepEqual(gpsOf(stripJpegMetadata(phoneJpeg(6, false), { keepLocation: true })), gpsOf(out), 'from big-endian Exif too');
  // Only JFIF, the new Exif, ICC and Adobe remain before the image: no other APPn, nothing after EOI.
  const exifLength = (out[2 + APP0.length + 2]! << 8) | out[2 + APP0.length + 3]!;
  assert.deepEqual(out, bytes([0xff, 0xd8], APP0, out.subarray(2 + APP0.length, 2 + APP0.length + 2 + exifLength), ICC, ADOBE, IMAGE));
  assert.deepEqual(stripJpegMetadata(out, { keepLocation: true }), out, 'idempotent');
  assert.equal(gpsOf(stripJpegMetadata(original)), undefined, 'without the option the GPS goes too');
});

test('structure is checked: a PNG with a wrong CRC, a JPEG scan without a frame header', () => {
  const png = bytes(SIGNATURE, IHDR, IDAT, IEND);
  assert.deepEqual(stripPngMetadata(png), png);
  const bad = png.slice();
  bad[8 + IHDR.length - 1]! ^= 1; // IHDR's CRC
  assert.throws(() => stripPngMetadata(bad), MediaFormatError);
  assert.throws(() => stripPngMetadata(bytes(SIGNATURE, IHDR, IEND)), MediaFormatError, 'no image data');
  assert.throws(() => stripJpegMetadata(bytes([0xff, 0xd8], DQT, DHT, SOS, SCAN, [0xff, 0xd9])), MediaFormatError);
});

/** The `stco`/`co64` offsets and `stsz` sizes of the video track ('vide'), read by walking the boxes. */
function videoSamples(file: Uint8Array): Uint8Array[] {
  const buf = Buffer.from(file);
  const kids = (start: number, end: number) => {
    const out: { type: string; start: number; body: number; end: number }[] = [];
    for (let at = start; at < end; ) {
      let size = buf.readUInt32BE(at);
      let body = at + 8;
      if (size === 1) (size = Number(buf.readBigUInt64BE(at + 8))), (body = at + 16);
      out.push({ type: buf.toString('latin1', at + 4, at + 8), start: at, body, end: at + size });
      at += size;
    }
    return out;
  };
  const moov = kids(0, buf.length).find((b) => b.type === 'moov')!;
  for (const trak of kids(moov.body, moov.end).filter((b) => b.type === 'trak')) {
    const mdia = kids(trak.body, trak.end).find((b) => b.type === 'mdia')!;
    const hdlr = kids(mdia.body, mdia.end).find((b) => b.type === 'hdlr')!;
    if (buf.toString('latin1', hdlr.body + 8, hdlr.body + 12) !== 'vide') continue;
    const minf = kids(mdia.body, mdia.end).find((b) => b.type === 'minf')!;
    const stbl = kids(minf.body, minf.end).find((b) => b.type === 'stbl')!;
    const tables = kids(stbl.body, stbl.end);
    const stsz = tables.find((b) => b.type === 'stsz')!;
    const co = tables.find((b) => b.type === 'stco' || b.type === 'co64')!;
    const n = buf.readUInt32BE(co.body + 4);
    return [...Array(n).keys()].map((i) => {
      const offset = co.type === 'stco' ? buf.readUInt32BE(co.body + 8 + 4 * i) : Number(buf.readBigUInt64BE(co.body + 8 + 8 * i));
      const size = buf.readUInt32BE(stsz.body + 12 + 4 * i);
      return file.subarray(offset, offset + size);
    });
  }
  throw new Error('no video track');
}

const MP4_SECRETS = [fixtures.LOCATION, fixtures.PHONE_MODEL, 'Xiaomi', 'ISO6709', 'xmpmeta', 'GPSLatitude', fixtures.GPMF_FIX, '8F3K2'];
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

for (const [name, brand] of [['MP4 (faststart: moov before mdat)', 'isom'], ['MOV (mdat first, 64-bit mdat, co64)', 'qt  ']] as const) {
  test(`${name}: udta, meta, XMP uuid and GPS tracks are blanked in place; samples stay where the offsets say`, async () => {
    const original = fixtures.mp4({ brand });
    assert.equal(sniffMime(original), 'video/mp4');
    for (const secret of MP4_SECRETS) assert.ok(text(original).includes(secret), `fixture carries ${secret}`);
    const before = videoSamples(original).map(text);
    assert.deepEqual(before, fixtures.VIDEO_SAMPLES);

    const out = new Uint8Array(await (await stripMp4Metadata(new Blob([original]))).arrayBuffer());
    for (const secret of MP4_SECRETS) assert.ok(!text(out).includes(secret), `${secret} removed`);
    assert.equal(out.length, original.length, 'nothing moved');
    assert.deepEqual(videoSamples(out).map(text), fixtures.VIDEO_SAMPLES, 'chunk offsets still point at the same sample bytes');
    assert.equal(text(out).includes('free'), true);
    // Only blanked regions differ: every other byte is the original's.
    const edits = await planMp4Strip(blobSource(new Blob([original])));
    const changed = [...out.keys()].filter((i) => out[i] !== original[i]);
    assert.ok(changed.every((i) => edits.some((e) => i >= e.offset && i < e.offset + e.length)));
    assert.deepEqual(await planMp4Strip(blobSource(new Blob([out]))).then((e) => e.filter((x) => x.data)), [], 'nothing left to blank');
    // The same through the one entry point the upload element uses.
    const viaFile = await stripFileMetadata(new Blob([original]), 'video/mp4');
    assert.deepEqual(new Uint8Array(await viaFile.arrayBuffer()), out);
  });
}

test('an MP4 without metadata comes back byte for byte', async () => {
  const clean = fixtures.mp4({ metadata: false, size: 4096 });
  assert.deepEqual(await planMp4Strip(blobSource(new Blob([clean]))), []);
  assert.deepEqual(new Uint8Array(await (await stripMp4Metadata(new Blob([clean]))).arrayBuffer()), clean);
});

test('an ftyp header followed by HTML, or any broken box structure, is not a video', async () => {
  const isFormatError = (e: unknown) => e instanceof MediaFormatError;
  const plan = (b: Uint8Array) => planMp4Strip(blobSource(new Blob([b as Uint8Array<ArrayBuffer>])));
  const ftyp = fixtures.box('ftyp', 'isom', [0, 0, 2, 0], 'isomiso2avc1mp41');
  const html = fixtures.bytes(ftyp, '<!doctype html><html><script>alert(document.cookie)</script></html>');
  assert.equal(sniffMime(html), 'video/mp4', 'the first bytes alone pass');
  await assert.rejects(plan(html), isFormatError);
  const good = fixtures.mp4();
  const moovOnly = fixtures.bytes(ftyp, fixtures.box('moov', fixtures.box('mvhd', new Array(100).fill(0))));
  await assert.rejects(plan(moovOnly), isFormatError, 'no mdat');
  await assert.rejects(plan(fixtures.bytes(ftyp, fixtures.box('mdat', 'x'))), isFormatError, 'no moov');
  await assert.rejects(plan(fixtures.bytes(fixtures.box('moov'), ftyp, fixtures.box('mdat'))), isFormatError, 'ftyp not first');
  await assert.rejects(plan(fixtures.bytes(good, 'trailing bytes')), isFormatError, 'boxes must cover the file');
  await assert.rejects(plan(fixtures.bytes(good, fixtures.box('moov'))), isFormatError, 'two moov');
  for (let n = 8; n < good.length; n += 7) await assert.rejects(plan(good.subarray(0, n)), isFormatError, `cut at ${n}`);
  // Random corruption either still parses or fails with the typed error: nothing else escapes, nothing loops.
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let round = 0; round < 500; round++) {
    const copy = good.slice();
    for (let k = 0; k < 3; k++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
    await plan(copy).catch((error: unknown) => assert.ok(isFormatError(error), String(error)));
  }
});
