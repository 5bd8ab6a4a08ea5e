// Small, well-formed evidence files built in the test (no binary fixtures), for Node and browser tests alike.
// MP4s carry the metadata a phone writes; every builder can pad its file to an exact size.

const latin1 = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0) & 0xff));
export const bytes = (...parts: (number[] | Uint8Array | string)[]): Uint8Array<ArrayBuffer> => {
  const arrays = parts.map((p) => (typeof p === 'string' ? latin1(p) : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) (out.set(a, at), (at += a.length));
  return out;
};
export const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
export const u32 = (n: number) => [n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
export const indexOf = (hay: Uint8Array, needle: Uint8Array | string, from = 0) => {
  const n = typeof needle === 'string' ? latin1(needle) : needle;
  outer: for (let i = from; i + n.length <= hay.length; i++) {
    for (let k = 0; k < n.length; k++) if (hay[i + k] !== n[k]) continue outer;
    return i;
  }
  return -1;
};

/** An ISO BMFF box; `uuid` boxes take their 16-byte extended type as the start of the payload. */
export const box = (type: string, ...payload: (number[] | Uint8Array | string)[]) => {
  const body = bytes(...payload);
  return bytes(u32(8 + body.length), type, body);
};
/** A box with a 64-bit size (size field 1), as cameras write for large `mdat`s. */
export const largeBox = (type: string, ...payload: (number[] | Uint8Array | string)[]) => {
  const body = bytes(...payload);
  return bytes(u32(1), type, [0, 0, 0, 0], u32(16 + body.length), body);
};
const full = (type: string, ...payload: (number[] | Uint8Array | string)[]) => box(type, [0, 0, 0, 0], ...payload);

export const LOCATION = '+39.9042+116.4074/';
export const PHONE_MODEL = 'Xiaomi 14 Pro';
export const XMP_UUID = [0xbe, 0x7a, 0xcf, 0xcb, 0x97, 0xa9, 0x42, 0xe8, 0x9c, 0x71, 0x99, 0x94, 0x91, 0xe3, 0xaf, 0xac];
export const GPMF_FIX = 'GPS5+39.904211+116.407413';
export const VIDEO_SAMPLES = ['VIDEO-SAMPLE-ONE', 'VIDEO-SAMPLE-TWO-', 'VIDEO-SAMPLE-THREE'];

/** QuickTime user data: ©xyz (ISO 6709 location), ©mak/©mod (device), as iPhones and Android phones write. */
const udta = () =>
  box(
    'udta',
    box('\xa9xyz', u16(LOCATION.length), u16(0x15c7), LOCATION),
    box('\xa9mak', u16(6), u16(0x15c7), 'Xiaomi'),
    box('\xa9mod', u16(PHONE_MODEL.length), u16(0x15c7), PHONE_MODEL),
  );
/** Apple's metadata: keys naming com.apple.quicktime.location.ISO6709 and .model, values in ilst. */
const appleMeta = () => {
  const key = (name: string) => box('mdta', name);
  const item = (index: number, value: string) => {
    const data = box('data', u32(1), u32(0), value);
    return bytes(u32(8 + data.length), u32(index), data); // an item's type is its key's index
  };
  return box(
    'meta',
    full('hdlr', [0, 0, 0, 0], 'mdta', new Array(12).fill(0), [0]),
    full('keys', u32(2), key('com.apple.quicktime.location.ISO6709'), key('com.apple.quicktime.model')),
    box('ilst', item(1, `${LOCATION}+050.000/`), item(2, `${PHONE_MODEL} (SN 8F3K2)`)),
  );
};
const xmpUuid = () =>
  box('uuid', XMP_UUID, `<x:xmpmeta><exif:GPSLatitude>39,54.25N</exif:GPSLatitude><tiff:Model>${PHONE_MODEL}</tiff:Model></x:xmpmeta>`);

/** A track whose samples are `sizes` long, in chunks at `offsets` (one sample per chunk), with its handler. */
function trak(id: number, handler: string, entry: string, sizes: number[], offsets: number[], co64: boolean, metadata: boolean) {
  const stbl = box(
    'stbl',
    full('stsd', u32(1), box(entry, new Array(6).fill(0), u16(1))),
    full('stts', u32(1), u32(sizes.length), u32(1)),
    full('stsc', u32(1), u32(1), u32(1), u32(1)),
    full('stsz', u32(0), u32(sizes.length), ...sizes.map(u32)),
    co64 ? full('co64', u32(offsets.length), offsets.flatMap((o) => [...u32(0), ...u32(o)])) : full('stco', u32(offsets.length), ...offsets.map(u32)),
  );
  return box(
    'trak',
    full('tkhd', new Array(8).fill(0), u32(id), new Array(68).fill(0)),
    box(
      'mdia',
      full('mdhd', new Array(8).fill(0), u32(600), u32(600), [0x55, 0xc4, 0, 0]),
      full('hdlr', [0, 0, 0, 0], handler, new Array(12).fill(0), [0]),
      box('minf', box('dinf', full('dref', u32(1), full('url ', []))), stbl),
    ),
    ...(handler === 'vide' && metadata ? [udta()] : []), // a track-level udta too
  );
}

export interface Mp4Options {
  /** `qt  ` (MOV, with `wide` and mdat before moov) or `isom` (MP4, faststart: moov first). */
  brand?: 'isom' | 'qt  ';
  /** Phone metadata in moov (udta, Apple meta, XMP uuid, a GPMF track) and at top level (XMP uuid). */
  metadata?: boolean;
  /** Pad the mdat so the file is exactly this long. */
  size?: number;
}

/** A playable-shaped MP4/MOV: a video track whose chunk offsets point at VIDEO_SAMPLES in mdat. */
export function mp4(options: Mp4Options = {}): Uint8Array<ArrayBuffer> {
  const { brand = 'isom', metadata = true } = options;
  const mov = brand === 'qt  ';
  const ftyp = box('ftyp', brand, [0, 0, 2, 0], mov ? 'qt  ' : 'isomiso2avc1mp41');
  const samples = VIDEO_SAMPLES.map((s) => bytes(s));
  const gpmf = bytes(GPMF_FIX);
  const build = (mdatAt: number, padding: number) => {
    const payloadAt = mdatAt + (mov ? 16 : 8);
    let at = payloadAt;
    const offsets = samples.map((s) => ((at += s.length), at - s.length));
    const gpmfAt = at;
    const moov = box(
      'moov',
      full('mvhd', new Array(96).fill(0)),
      trak(1, 'vide', 'avc1', samples.map((s) => s.length), offsets, mov, metadata),
      ...(metadata ? [trak(2, 'meta', 'gpmd', [gpmf.length], [gpmfAt], false, true), udta(), appleMeta(), xmpUuid()] : []),
    );
    const body = bytes(...samples, metadata ? gpmf : [], new Array(padding).fill(0x2e));
    const mdat = mov ? largeBox('mdat', body) : box('mdat', body);
    return { moov, mdat };
  };
  const top = (padding: number) => {
    if (mov) {
      const wide = box('wide');
      const mdatAt = ftyp.length + wide.length;
      const { moov, mdat } = build(mdatAt, padding);
      return bytes(ftyp, wide, mdat, moov, metadata ? xmpUuid() : []);
    }
    const moovLength = build(0, 0).moov.length; // the offsets do not change its size
    const { moov, mdat } = build(ftyp.length + moovLength + (metadata ? xmpUuid().length : 0), padding);
    return bytes(ftyp, moov, metadata ? xmpUuid() : [], mdat);
  };
  const bare = top(0);
  if (options.size === undefined || options.size === bare.length) return bare;
  if (options.size < bare.length) throw new Error(`an MP4 needs at least ${bare.length} bytes`);
  return top(options.size - bare.length);
}

/**
 * A one-page PDF whose Info dictionary names its author and whose catalog carries an XMP packet; padded with a
 * comment to `size`. `revised` adds an incremental update that blanks the author in a new Info (the old one stays
 * in the file, as Acrobat leaves it).
 */
export function pdf(options: { size?: number; author?: string; revised?: boolean } = {}): Uint8Array<ArrayBuffer> {
  const author = options.author ?? 'Zhang San 13800000000';
  const xmp = `<x:xmpmeta><dc:creator>${author}</dc:creator><xmp:CreatorTool>WPS Office</xmp:CreatorTool></x:xmpmeta>`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
    '<< /Length 23 >>\nstream\n0 0 m 100 100 l S BT ET\nendstream',
    `<< /Type /Metadata /Subtype /XML /Length ${xmp.length} >>\nstream\n${xmp}\nendstream`,
    `<< /Author (${author}) /Creator (WPS Office) /Producer (Huawei P60 Scanner) >>`,
  ];
  const build = (padding: number) => {
    let text = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
    if (padding > 0) text += `%${'x'.repeat(padding - 2)}\n`;
    const offsets: number[] = [];
    objects.forEach((body, i) => {
      offsets.push(text.length);
      text += `${i + 1} 0 obj\n${body}\nendobj\n`;
    });
    const xref = text.length;
    text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
    for (const o of offsets) text += `${String(o).padStart(10, '0')} 00000 n \n`;
    text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] >>\nstartxref\n${xref}\n%%EOF\n`;
    if (options.revised) {
      const infoAt = text.length;
      text += `7 0 obj\n<< /Producer (Revised) >>\nendobj\n`;
      const xref2 = text.length;
      text += `xref\n0 1\n0000000000 65535 f \n7 1\n${String(infoAt).padStart(10, '0')} 00000 n \n`;
      text += `trailer\n<< /Size 8 /Root 1 0 R /Info 7 0 R /Prev ${xref} >>\nstartxref\n${xref2}\n%%EOF\n`;
    }
    return latin1(text) as Uint8Array<ArrayBuffer>;
  };
  const bare = build(0);
  if (options.size === undefined || options.size === bare.length) return bare;
  if (options.size < bare.length + 3) throw new Error(`a PDF needs at least ${bare.length + 3} bytes`);
  return build(options.size - bare.length);
}

/**
 * A baseline JPEG whose scan data (kept as is by the server) repeats `marker` over `scanBytes`, several encrypted
 * chunks when large; with `make`, an Exif camera maker the server must strip. For "no evidence byte in clear" checks.
 */
export function markedJpeg(marker: string, scanBytes: number, { make }: { make?: string } = {}): Uint8Array<ArrayBuffer> {
  const seg = (code: number, ...payload: (number[] | Uint8Array | string)[]) => {
    const body = bytes(...payload);
    return bytes([0xff, code, ...u16(body.length + 2)], body);
  };
  // Exif: one IFD entry, Make (0x010f, ASCII) pointing at the string after the IFD.
  const exif = make
    ? [seg(0xe1, 'Exif\0\0', 'II*\0', [8, 0, 0, 0, 1, 0], [0x0f, 0x01, 2, 0, make.length + 1, 0, 0, 0, 26, 0, 0, 0], [0, 0, 0, 0], `${make}\0`)]
    : [];
  const text = new TextEncoder().encode(marker); // UTF-8 has no 0xFF byte: valid entropy-coded data
  const scan = new Uint8Array(scanBytes);
  for (let at = 0; at < scanBytes; at += text.length) scan.set(text.subarray(0, scanBytes - at), at);
  return bytes(
    [0xff, 0xd8],
    seg(0xe0, 'JFIF\0', [1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...exif,
    seg(0xdb, [0, ...new Array<number>(64).fill(1)]),
    seg(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
    seg(0xc4, [0x00, 1, ...new Array<number>(15).fill(0), 0]),
    seg(0xc4, [0x10, 1, ...new Array<number>(15).fill(0), 0]),
    seg(0xda, [1, 1, 0, 0, 63, 0]),
    scan,
    [0xff, 0xd9],
  );
}

/** The GPS latitude rationals (39/1, 54/1, little-endian) `gpsJpeg` carries: absent from a stripped photo. */
export const GPS_LATITUDE_LE = bytes([39, 0, 0, 0, 1, 0, 0, 0, 54, 0, 0, 0, 1, 0, 0, 0]);

/**
 * An 8×8 baseline JPEG as a phone writes it: Exif with Make, Orientation 6 and a GPS IFD whose latitude is
 * `GPS_LATITUDE_LE` (39°54'27.10"N), for the end-to-end check that a citizen's photo is stored without its location.
 */
export function gpsJpeg(): Uint8Array<ArrayBuffer> {
  const seg = (code: number, ...payload: (number[] | Uint8Array | string)[]) => {
    const body = bytes(...payload);
    return bytes([0xff, code, ...u16(body.length + 2)], body);
  };
  const tiff = bytes(
    'II*\0', [8, 0, 0, 0, 3, 0],
    [0x0f, 0x01, 2, 0, 17, 0, 0, 0, 50, 0, 0, 0], // Make → offset 50
    [0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0], // Orientation 6
    [0x25, 0x88, 4, 0, 1, 0, 0, 0, 67, 0, 0, 0], // GPS IFD → offset 67
    [0, 0, 0, 0], 'SecretPhoneMaker\0',
    [1, 0, 0x02, 0x00, 5, 0, 3, 0, 0, 0, 85, 0, 0, 0, 0, 0, 0, 0], // GPSLatitude → offset 85
    GPS_LATITUDE_LE, [0x96, 0x0a, 0, 0, 100, 0, 0, 0],
  );
  return bytes(
    [0xff, 0xd8],
    seg(0xe0, 'JFIF\0', [1, 1, 0, 0, 1, 0, 1, 0, 0]),
    seg(0xe1, 'Exif\0\0', tiff),
    seg(0xdb, [0, ...new Array<number>(64).fill(1)]),
    seg(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
    seg(0xc4, [0x00, 1, ...new Array<number>(15).fill(0), 0]),
    seg(0xc4, [0x10, 1, ...new Array<number>(15).fill(0), 0]),
    seg(0xda, [1, 1, 0, 0, 63, 0]),
    [0x3f, 0xff, 0xd9],
  );
}
