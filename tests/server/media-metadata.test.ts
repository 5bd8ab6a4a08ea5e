// #17.4: location, device and author metadata leave videos and PDFs on the server, as they leave photos; the
// citizen's keepLocation keeps a photo's GPS block and nothing else; a file is judged by its whole structure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { PDFDocument, PDFName, PDFString } from '@cantoo/pdf-lib';
import { createClient, isAqjbError, type AqjbClient } from '../../src/sdk/index.js';
import { MediaFormatError } from '../../src/sdk/media/format-error.js';
import { createSealer } from '../../src/server/crypto.js';
import { readSealedFile } from '../../src/server/uploads/cipher.js';
import { stripPdfInWorker, stripPdfMetadata } from '../../src/server/uploads/pdf.js';
import { createAttachmentStore } from '../../src/server/uploads/repo.js';
import * as fixtures from '../support/media-fixtures.js';
import { startTestServer, type TestServer } from '../support/reference-server.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const isFormatError = (e: unknown) => e instanceof MediaFormatError;
const PDF_SECRETS = ['Zhang San', '13800000000', 'WPS Office', 'Huawei', 'xmpmeta', 'CreatorTool', '0123456789abcdef'];
const MP4_SECRETS = [fixtures.LOCATION, fixtures.PHONE_MODEL, 'Xiaomi', 'ISO6709', 'xmpmeta', 'GPSLatitude', fixtures.GPMF_FIX, '8F3K2'];

let server: TestServer;
let client: AqjbClient;
let stored: (id: string) => Promise<Uint8Array>;

before(async () => {
  const dataKey = randomBytes(32);
  server = await startTestServer({ dataKey });
  client = createClient({ baseUrl: server.url, retry: 0 });
  // The stored file is encrypted at rest: read it back as staff would, through the repository's decrypting reader.
  const repo = createAttachmentStore(server.sql, server.clock, path.join(server.dataDir, 'uploads', 'ready'), createSealer(dataKey), readSealedFile);
  stored = async (id) => {
    const chunks: Buffer[] = [];
    for await (const chunk of (await repo.readEvidence(id))!) chunks.push(chunk);
    return new Uint8Array(Buffer.concat(chunks));
  };
});
after(() => server.close());

/** Uploads over tus as the SDK does, then returns the bytes the server stored. */
async function upload(bytes: Uint8Array, options: { keepLocation?: boolean } = {}) {
  const attachment = await client.uploadAttachment(new Blob([bytes as Uint8Array<ArrayBuffer>]), options);
  return { attachment, bytes: await stored(attachment.attachmentId) };
}

async function refused(bytes: Uint8Array): Promise<string | undefined> {
  const error = await client.uploadAttachment(new Blob([bytes as Uint8Array<ArrayBuffer>])).then(
    () => assert.fail('accepted'),
    (e: unknown) => e,
  );
  assert.ok(isAqjbError(error) && error.code === 'ATTACHMENT_REJECTED', String(error));
  const { rows } = await server.sql.query<{ reason: string }>(`SELECT reason FROM attachments WHERE status = 'rejected' ORDER BY finished_at DESC LIMIT 1`);
  return rows[0]?.reason;
}

test('a phone video (MP4 and MOV) is stored without its location, device and XMP, its samples where they were', async () => {
  for (const brand of ['isom', 'qt  '] as const) {
    const original = fixtures.mp4({ brand });
    for (const secret of MP4_SECRETS) assert.ok(text(original).includes(secret), `fixture carries ${secret}`);
    const { attachment, bytes } = await upload(original);
    assert.equal(attachment.mime, 'video/mp4');
    for (const secret of MP4_SECRETS) assert.ok(!text(bytes).includes(secret), `${brand}: ${secret} removed`);
    assert.equal(bytes.length, original.length, 'same size: stco/co64 offsets stay valid');
    for (const sample of fixtures.VIDEO_SAMPLES) assert.equal(text(bytes).indexOf(sample), text(original).indexOf(sample), sample);
  }
  // Without metadata, a video is stored byte for byte.
  const clean = fixtures.mp4({ metadata: false, size: 5000 });
  assert.deepEqual((await upload(clean)).bytes, clean);
});

test('a PDF is stored without its author, XMP, producer or file ID, earlier revisions included, and still opens', async () => {
  const original = fixtures.pdf({ revised: true });
  for (const secret of PDF_SECRETS) assert.ok(text(original).includes(secret), `fixture carries ${secret}`);
  const { attachment, bytes } = await upload(original);
  assert.equal(attachment.mime, 'application/pdf');
  for (const secret of PDF_SECRETS) assert.ok(!text(bytes).includes(secret), `${secret} removed`);
  const reopened = await PDFDocument.load(bytes, { updateMetadata: false });
  assert.equal(reopened.getPageCount(), 1);
  assert.equal(reopened.getAuthor(), undefined);
  assert.equal(reopened.catalog.get(PDFName.of('Metadata')), undefined);
  assert.ok(text(bytes).includes('0 0 m 100 100 l S'), 'the page content is copied as it was');
});

test('PDF: object streams and cross-reference streams are read; annotation authors go, form field names stay', async () => {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setAuthor('Zhang San 13800000000');
  doc.setCreator('WPS Office');
  const page = doc.addPage([200, 200]);
  const note = doc.context.obj({ Type: 'Annot', Subtype: 'Text', Rect: [0, 0, 10, 10], T: PDFString.of('Li Si 13900000000'), Contents: PDFString.of('see the exit') });
  const field = doc.context.obj({ Type: 'Annot', Subtype: 'Widget', Rect: [0, 0, 10, 10], T: PDFString.of('unitName'), FT: 'Tx' });
  page.node.set(PDFName.of('Annots'), doc.context.obj([doc.context.register(note), doc.context.register(field)]));
  const compressed = await doc.save({ useObjectStreams: true });
  assert.ok(!text(compressed).includes('Zhang San'), 'the Info dictionary sits inside a compressed object stream');
  const out = await stripPdfMetadata(compressed);
  assert.ok(!text(out).includes('Li Si'), 'annotation author removed');
  assert.ok(text(out).includes('see the exit') && text(out).includes('unitName'), 'content and field names kept');
  const reopened = await PDFDocument.load(out, { updateMetadata: false });
  assert.equal(reopened.getAuthor(), undefined);
  assert.equal(reopened.getCreator(), undefined);
  assert.ok(!text(out).includes('Zhang San') && !text(out).includes('WPS'), 'written uncompressed: nothing hides');
});

test('structurally broken files are refused with reason format, whatever their first bytes say', async () => {
  const ftyp = fixtures.box('ftyp', 'isom', [0, 0, 2, 0], 'isomiso2avc1mp41');
  assert.equal(await refused(fixtures.bytes(ftyp, '<!doctype html><html><script>alert(1)</script></html>')), 'format');
  assert.equal(await refused(fixtures.bytes(fixtures.mp4(), 'appended')), 'format');
  const pdf = text(fixtures.pdf());
  assert.equal(await refused(fixtures.bytes('%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF\n')), 'format');
  assert.equal(await refused(fixtures.bytes(pdf.replace('%%EOF', '%%END'))), 'format', 'no %%EOF at the end');
  // Encrypted: it cannot be looked into, so it cannot be cleaned.
  const encrypted = pdf.replace('/Root 1 0 R', '/Root 1 0 R /Encrypt << /Filter /Standard /V 1 /R 2 /O (0123) /U (4567) /P -4 >>');
  assert.equal(await refused(fixtures.bytes(encrypted)), 'format');
  await assert.rejects(stripPdfInWorker(fixtures.bytes(encrypted)), isFormatError);
});

test('keepLocation through the server: the GPS block survives, the camera, IPTC and trailer do not', async () => {
  const { bytes: gpsOnly } = await upload(gpsJpeg(), { keepLocation: true });
  assert.ok(text(gpsOnly).includes(GPS_LATITUDE), 'GPS kept');
  for (const secret of ['SecretPhoneMaker', 'SN-4455-6677', 'Zhang San', 'Photoshop', 'MotionPhoto']) {
    assert.ok(!text(gpsOnly).includes(secret), `${secret} removed`);
  }
  const { bytes: none } = await upload(gpsJpeg());
  assert.ok(!text(none).includes(GPS_LATITUDE), 'without keepLocation the GPS goes too');
});

// An 8×8 JPEG with Exif (Make, serial number, GPS latitude, big-endian), an IPTC byline and a motion-photo trailer.
const GPS_LATITUDE = text(fixtures.bytes(fixtures.u32(39), fixtures.u32(1), fixtures.u32(54), fixtures.u32(1)));
function gpsJpeg(): Uint8Array {
  const { bytes, u16, u32 } = fixtures;
  const seg = (code: number, ...payload: (number[] | Uint8Array | string)[]) => {
    const body = bytes(...payload);
    return bytes([0xff, code], u16(body.length + 2), body);
  };
  const entry = (tag: number, type: number, count: number, value: number[]) => [...u16(tag), ...u16(type), ...u32(count), ...value];
  // header 8 | IFD0 2+3×12+4 = 42 → 50 | make 17 → 67 | serial 13 → 80 | GPS IFD 2+12+4 = 18 → 98 | rationals
  const tiff = bytes(
    'MM', u16(42), u32(8), u16(3),
    entry(0x010f, 2, 17, u32(50)), entry(0xa431, 2, 13, u32(67)), entry(0x8825, 4, 1, u32(80)), u32(0),
    'SecretPhoneMaker\0', 'SN-4455-6677\0',
    u16(1), entry(0x0002, 5, 3, u32(98)), u32(0),
    u32(39), u32(1), u32(54), u32(1), u32(2710), u32(100),
  );
  return bytes(
    [0xff, 0xd8],
    seg(0xe0, 'JFIF\0', [1, 1, 0, 0, 1, 0, 1, 0, 0]),
    seg(0xe1, 'Exif\0\0', tiff),
    seg(0xed, 'Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x10\x1c\x02\x50\0\x09Zhang San'),
    seg(0xdb, [0], new Array(64).fill(1)),
    seg(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
    seg(0xc4, [0x00, 1], new Array(15).fill(0), [0]),
    seg(0xc4, [0x10, 1], new Array(15).fill(0), [0]),
    seg(0xda, [1, 1, 0, 0, 63, 0]),
    [0x3f, 0xff, 0xd9],
    'MotionPhoto_Data',
  );
}
