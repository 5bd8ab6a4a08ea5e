import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from '../support/wait.js';
import { sendKeys } from '@web/test-runner-commands';
import { createClient, type AqjbClient } from '../../src/sdk/index.js';
import { stripMetadata } from '../../src/sdk/media/strip.js';
import * as fixtures from '../support/media-fixtures.js';
import { mp4 } from '../support/media-fixtures.js';
import { loadLocale, messagesFor } from '../../src/components/locales/localize.js';
import '../../src/components/evidence-upload/evidence-upload.js';
import type { AqjbEvidenceUpload, AqjbAttachmentsChangeDetail } from '../../src/components/evidence-upload/evidence-upload.js';

// The element's module has registered its texts by now (imports run first).
const zhCN = messagesFor('zh-CN');
await loadLocale('en');
const en = messagesFor('en');

declare global {
  interface Window {
    __AQJB__: { api: string };
  }
}

const api = window.__AQJB__.api;
const t = zhCN.upload;
const MiB = 1024 * 1024;

// ---- evidence built in the test -------------------------------------------------------------------------------

const bytes = (...parts: (number[] | Uint8Array | string)[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : [...p])));
const u16be = (n: number) => [n >> 8, n & 0xff];
const segment = (code: number, payload: Uint8Array) => bytes([0xff, code], u16be(payload.length + 2), payload);
const indexOf = (hay: Uint8Array, needle: Uint8Array | string) => {
  const n = typeof needle === 'string' ? bytes(needle) : needle;
  outer: for (let i = 0; i + n.length <= hay.length; i++) {
    for (let k = 0; k < n.length; k++) if (hay[i + k] !== n[k]) continue outer;
    return i;
  }
  return -1;
};

// An 8×8 grey baseline JPEG with phone Exif: Make, Model, Orientation and a GPS IFD (39°54'27.10"N), as in
// tests/sdk/media.test.ts.
const GPS_RATIONALS = bytes([39, 0, 0, 0, 1, 0, 0, 0, 54, 0, 0, 0, 1, 0, 0, 0]);
function phoneJpeg(): Uint8Array {
  const w16 = (n: number) => [n & 0xff, n >> 8];
  const w32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
  const entry = (tag: number, type: number, count: number, value: number[]) =>
    [...w16(tag), ...w16(type), ...w32(count), ...value, ...new Array(4 - value.length).fill(0)];
  const make = 'SecretPhoneMaker\0';
  const model = 'Model-XYZ-123\0';
  const makeAt = 8 + 54;
  const modelAt = makeAt + make.length;
  const gpsAt = modelAt + model.length;
  const ratAt = gpsAt + 30;
  const tiff = bytes(
    'II', w16(42), w32(8),
    w16(4),
    entry(0x010f, 2, make.length, w32(makeAt)),
    entry(0x0110, 2, model.length, w32(modelAt)),
    entry(0x0112, 3, 1, w16(6)),
    entry(0x8825, 4, 1, w32(gpsAt)),
    w32(0),
    make, model,
    w16(2),
    entry(0x0001, 2, 2, [0x4e, 0]),
    entry(0x0002, 5, 3, w32(ratAt)),
    w32(0),
    w32(39), w32(1), w32(54), w32(1), w32(2710), w32(100),
  );
  return bytes(
    [0xff, 0xd8],
    segment(0xe0, bytes('JFIF\0', [1, 1, 0, 0, 1, 0, 1, 0, 0])),
    segment(0xe1, bytes('Exif\0\0', tiff)),
    segment(0xdb, bytes([0], new Array(64).fill(1))),
    segment(0xc0, bytes([8], u16be(8), u16be(8), [1, 1, 0x11, 0])),
    segment(0xc4, bytes([0x00, 1], new Array(15).fill(0), [0])),
    segment(0xc4, bytes([0x10, 1], new Array(15).fill(0), [0])),
    segment(0xda, bytes([1, 1, 0x00, 0, 63, 0])),
    [0x3f, 0xff, 0xd9],
  );
}

/** A clean MP4 of `size` bytes: the server stores it byte for byte, so hashes compare (a PDF is rewritten there). */
const video = (size: number) => mp4({ metadata: false, size });

/** A PDF by its magic bytes, padded to `size`: refused before upload in these tests, so never parsed. */
const pdf = (size: number) => {
  const b = new Uint8Array(size).fill(0x20);
  b.set(bytes('%PDF-1.7\n'));
  return b;
};

const fileOf = (b: Uint8Array, name: string, type: string) => new File([b as Uint8Array<ArrayBuffer>], name, { type });
const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((x) => x.toString(16).padStart(2, '0')).join('');
const sha256 = async (b: Uint8Array) => hex(await crypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>));
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
};

// ---- the wire: a client whose fetch records what leaves the browser, and can drop or hold a request ----------

interface Sent {
  method: string;
  url: string;
  offset: string | undefined;
  body: Uint8Array | undefined;
  signal: AbortSignal | undefined;
}

class Wire {
  readonly sent: Sent[] = [];
  /** Runs before a request goes to the real server: may throw (connection dropped), answer, or hold it. */
  before: ((req: Sent) => Promise<Response | void> | Response | void) | undefined;
  readonly client: AqjbClient = createClient({ baseUrl: api, retry: 0, fetch: (input, init) => this.#fetch(input, init) });

  async #fetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const request = input instanceof Request ? input : undefined;
    const headers = new Headers(init.headers ?? request?.headers);
    const req: Sent = {
      method: (init.method ?? request?.method ?? 'GET').toUpperCase(),
      url: request?.url ?? String(input),
      offset: headers.get('Upload-Offset') ?? undefined,
      // The SDK's transport (ky) hands fetch a Request: its body is read from a copy (not through `request.body`,
      // which Firefox does not have).
      body:
        init.body instanceof Blob
          ? new Uint8Array(await init.body.arrayBuffer())
          : request && request.method !== 'GET' && request.method !== 'HEAD'
            ? new Uint8Array(await request.clone().arrayBuffer())
            : undefined,
      signal: init.signal ?? request?.signal ?? undefined,
    };
    this.sent.push(req);
    const answer = await this.before?.(req);
    return answer ?? fetch(input, init);
  }

  get patches() {
    return this.sent.filter((r) => r.method === 'PATCH');
  }

  /** Every byte the server was sent, in order. */
  get uploaded() {
    return concat(this.patches.map((r) => r.body ?? new Uint8Array()));
  }

  /** Holds the `n`th PATCH (from 1) until `release()` or until the upload is aborted. */
  holdPatch(n: number) {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let held: Sent | undefined;
    let count = 0;
    this.before = async (req) => {
      if (req.method !== 'PATCH' || ++count !== n) return;
      held = req;
      await Promise.race([released, new Promise((r) => req.signal?.addEventListener('abort', r))]);
    };
    return { release, held: () => held };
  }
}

// ---- the element as a citizen perceives it ------------------------------------------------------------------

async function mount(wire: Wire, attrs: { max?: number } = {}) {
  const el = await fixture<AqjbEvidenceUpload>(
    html`<aqjb-evidence-upload .client=${wire.client} max=${attrs.max ?? 9}></aqjb-evidence-upload>`,
  );
  const changes: AqjbAttachmentsChangeDetail[] = [];
  el.addEventListener('aqjb-attachments-change', (e) => changes.push(e.detail));
  return { el, changes };
}

const root = (el: AqjbEvidenceUpload) => el.shadowRoot!;
const files = (el: AqjbEvidenceUpload) => [...root(el).querySelectorAll<HTMLElement>('[part~="file"]')];
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const statusOf = (item: Element | undefined) => text(item?.querySelector('[part~="file-status"]'));
const live = (el: AqjbEvidenceUpload) => text(root(el).querySelector('[aria-live="polite"]'));
const refusals = (el: AqjbEvidenceUpload) => [...root(el).querySelectorAll('[part~="refusals"] li')].map(text);
const buttonIn = (item: Element | undefined, label: string) =>
  [...(item?.querySelectorAll('button') ?? [])].find((b) => text(b).startsWith(label));

function pick(el: AqjbEvidenceUpload, picked: File[], id = 'pick-files') {
  const input = root(el).querySelector<HTMLInputElement>(`#${id}`)!;
  const dt = new DataTransfer();
  for (const f of picked) dt.items.add(f);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

const untilStatus = (el: AqjbEvidenceUpload, index: number, status: string) =>
  waitUntil(() => statusOf(files(el)[index]).startsWith(status), `file ${index + 1} shows “${status}”`);

// ---- tests ------------------------------------------------------------------------------------------------------

describe('<aqjb-evidence-upload>', () => {
  it('removes location and device data from a photo before it leaves the browser, and says so', async () => {
    const wire = new Wire();
    const { el } = await mount(wire);
    expect(text(root(el).querySelector('[part~="privacy"]'))).to.equal(t.photoPrivacy);
    await expect(el).to.be.accessible();

    const original = phoneJpeg();
    expect(indexOf(original, GPS_RATIONALS)).to.be.greaterThan(0, 'the fixture carries GPS');
    pick(el, [fileOf(original, 'p.jpg', 'image/jpeg')]);
    await untilStatus(el, 0, t.status.done);

    const stripped = stripMetadata(original, 'image/jpeg');
    const sent = wire.uploaded;
    expect(indexOf(sent, GPS_RATIONALS)).to.equal(-1, 'no GPS coordinates sent');
    expect(indexOf(sent, 'SecretPhoneMaker')).to.equal(-1, 'no phone make sent');
    expect(indexOf(sent, 'Model-XYZ-123')).to.equal(-1, 'no phone model sent');
    expect(await sha256(sent)).to.equal(await sha256(stripped));
    expect(el.attachments).to.have.length(1);
    expect(el.attachments[0]!.sha256).to.equal(await sha256(stripped));
    expect(el.attachments[0]!.mime).to.equal('image/jpeg');
    expect(text(files(el)[0]!.querySelector('.file-name'))).to.equal('p.jpg');
    // What was removed: under the file, and spoken once with 「已上传」 through the polite live region.
    expect(text(files(el)[0]!.querySelector('[part~="file-removed"]'))).to.equal('已去除照片中的拍摄位置、设备型号等信息。');
    expect(live(el)).to.equal(t.announce.done('p.jpg', t.removed['image/jpeg']));
    await expect(el).to.be.accessible();
  });

  it('removes the text chunks of a PNG (a screenshot) too, with the PNG reader loaded for it', async () => {
    const wire = new Wire();
    const { el } = await mount(wire);
    // A 1×1 PNG with a tEXt chunk naming its author, as an editing app writes it.
    const crc32 = (b: Uint8Array) => {
      let c = ~0;
      for (const x of b) {
        c ^= x;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      return ~c >>> 0;
    };
    const u32 = (n: number) => [n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
    const pngChunk = (type: string, data: Uint8Array) => bytes(u32(data.length), type, data, u32(crc32(bytes(type, data))));
    const onePixel = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));
    const original = bytes(onePixel.subarray(0, 33), pngChunk('tEXt', bytes('Author\0Zhang San 13800000000')), onePixel.subarray(33));
    pick(el, [fileOf(original, 's.png', 'image/png')]);
    await untilStatus(el, 0, t.status.done);
    expect(indexOf(wire.uploaded, 'Zhang San')).to.equal(-1, 'no author sent');
    expect(await sha256(wire.uploaded)).to.equal(await sha256(onePixel), 'the image itself, unchanged');
    expect(el.attachments[0]!.mime).to.equal('image/png');
  });

  it('keeps the location when the citizen asks for it', async () => {
    const wire = new Wire();
    const { el } = await mount(wire);
    const keep = root(el).querySelector<HTMLInputElement>('#keep-location')!;
    expect(text(root(el).querySelector('label[for="keep-location"]'))).to.equal(t.keepLocation);
    expect(keep.checked).to.equal(false, 'off by default');
    keep.click();
    const original = phoneJpeg();
    pick(el, [fileOf(original, 'p.jpg', 'image/jpeg')]);
    await untilStatus(el, 0, t.status.done);
    // The GPS block alone is kept (rebuilt big-endian): the phone's make and model never leave the browser.
    const gpsBigEndian = bytes([0, 0, 0, 39, 0, 0, 0, 1, 0, 0, 0, 54, 0, 0, 0, 1]);
    expect(indexOf(wire.uploaded, gpsBigEndian)).to.be.greaterThan(0, 'GPS sent');
    expect(indexOf(wire.uploaded, 'SecretPhoneMaker')).to.equal(-1, 'no phone make sent');
    expect(indexOf(wire.uploaded, 'Model-XYZ-123')).to.equal(-1, 'no phone model sent');
    expect(await sha256(wire.uploaded)).to.equal(await sha256(stripMetadata(original, 'image/jpeg', { keepLocation: true })));
    expect(el.attachments[0]!.sha256).to.equal(await sha256(wire.uploaded), 'the server kept the same GPS-only photo');
    expect(live(el)).to.equal(t.announce.done('p.jpg', t.removedKeptLocation));
  });

  it('draws its tick box at the size of the form’s tick boxes (1.5 em), also in 大字模式', async () => {
    const { el } = await mount(new Wire());
    const box = () => root(el).querySelector<HTMLInputElement>('#keep-location')!.getBoundingClientRect();
    const em = () => parseFloat(getComputedStyle(root(el).querySelector('label[for="keep-location"]')!).fontSize);
    expect([box().width, box().height]).to.deep.equal([1.5 * em(), 1.5 * em()]);
    expect(box().width).to.be.at.least(24);
    el.setAttribute('text-size', 'large'); // 大字模式: 20 px text
    await el.updateComplete;
    expect([box().width, box().height]).to.deep.equal([30, 30]);
  });

  it('removes location and device data from a video before it leaves the browser, and says what was removed', async () => {
    const wire = new Wire();
    const { el } = await mount(wire);
    const privacy = [...root(el).querySelectorAll('[part~="privacy"]')].map(text);
    expect(privacy).to.include(t.videoPrivacy).and.to.include(t.pdfPrivacy);
    const original = fixtures.mp4();
    expect(indexOf(original, fixtures.LOCATION)).to.be.greaterThan(0, 'the fixture carries ©xyz');
    pick(el, [fileOf(original, '现场.mp4', 'video/mp4')]);
    await untilStatus(el, 0, t.status.done);
    for (const secret of [fixtures.LOCATION, fixtures.PHONE_MODEL, 'ISO6709', 'xmpmeta', fixtures.GPMF_FIX]) {
      expect(indexOf(wire.uploaded, secret)).to.equal(-1, `${secret} not sent`);
    }
    expect(wire.uploaded.length).to.equal(original.length, 'overwritten in place, nothing moved');
    expect(el.attachments[0]!.sha256).to.equal(await sha256(wire.uploaded));
    expect(text(files(el)[0]!.querySelector('[part~="file-removed"]'))).to.equal('已去除视频中的拍摄位置、设备型号等信息。');
    expect(live(el)).to.equal(t.announce.done('现场.mp4', t.removed['video/mp4']));
    await expect(el).to.be.accessible();
  });

  it('sends a PDF as it is and says the server removed its document properties', async () => {
    const wire = new Wire();
    const { el } = await mount(wire);
    const original = fixtures.pdf();
    pick(el, [fileOf(original, '材料.pdf', 'application/pdf')]);
    await untilStatus(el, 0, t.status.done);
    expect(await sha256(wire.uploaded)).to.equal(await sha256(original), 'no PDF code in the browser: sent as it is');
    expect(el.attachments[0]!.sha256).not.to.equal(await sha256(original), 'rewritten without its author by the server');
    expect(text(files(el)[0]!.querySelector('[part~="file-removed"]'))).to.equal('已去除作者等文档属性。');
    expect(live(el)).to.equal(t.announce.done('材料.pdf', t.removed['application/pdf']));
  });

  it('refuses a file of the wrong type before anything is sent, naming the file and the rule', async () => {
    const wire = new Wire();
    const { el, changes } = await mount(wire);
    pick(el, [fileOf(bytes('<!doctype html><script>alert(1)</script>'), 'p.jpg', 'image/jpeg')]);
    await waitUntil(() => refusals(el).length === 1, 'refusal shown');
    expect(refusals(el)).to.deep.equal([t.refused.type('p.jpg')]);
    expect(refusals(el)[0]).to.contain('JPEG').and.contain('PDF').and.contain('MP4');
    expect(live(el)).to.equal(t.refused.type('p.jpg'));
    expect(files(el)).to.have.length(0);
    expect(wire.sent).to.deep.equal([], 'nothing sent');
    expect(el.busy).to.equal(false);
    expect(changes.at(-1)).to.deep.equal({ attachments: [], busy: false });
    await expect(el).to.be.accessible();
  });

  it('refuses files over the size limit and damaged photos before upload', async () => {
    const wire = new Wire();
    const { el } = await mount(wire);
    const broken = phoneJpeg().subarray(0, 60); // cut off mid-Exif
    pick(el, [fileOf(pdf(20 * MiB + 1), 'big.pdf', 'application/pdf'), fileOf(broken, 'cut.jpg', 'image/jpeg')]);
    await waitUntil(() => refusals(el).length === 2, 'refusals shown');
    expect(refusals(el)).to.deep.equal([t.refused.documentSize('big.pdf', 20), t.refused.damaged('cut.jpg')]);
    expect(wire.sent).to.deep.equal([]);
  });

  it('shows each file’s progress, is busy while uploading, and reports no file names', async () => {
    const wire = new Wire();
    const hold = wire.holdPatch(2);
    const { el, changes } = await mount(wire);
    const size = 2.5 * MiB; // three chunks of at most 1 MiB: 40 %, 80 %, 100 %
    pick(el, [fileOf(video(size), '张三的举报材料.mp4', 'video/mp4')]);

    await waitUntil(() => hold.held(), 'second chunk on its way');
    await untilStatus(el, 0, t.status.uploading(40));
    const progress = files(el)[0]!.querySelector('progress')!;
    expect(progress.value).to.equal(40);
    expect(progress.max).to.equal(100);
    expect(el.busy).to.equal(true);
    expect(text(buttonIn(files(el)[0], t.cancel))).to.equal(`${t.cancel}${t.actionTarget('张三的举报材料.mp4')}`);
    expect(changes[0]).to.deep.equal({ attachments: [], busy: true });
    expect(live(el)).to.equal('', 'progress is not announced');
    await expect(el).to.be.accessible();

    hold.release();
    await untilStatus(el, 0, t.status.done);
    expect(files(el)[0]!.querySelector('progress')).to.equal(null);
    expect(el.busy).to.equal(false);
    const last = changes.at(-1)!;
    expect(last.busy).to.equal(false);
    expect(last.attachments).to.have.length(1);
    expect(Object.keys(last.attachments[0]!).sort()).to.deep.equal(['attachmentId', 'mime', 'sha256', 'size']);
    expect(last.attachments[0]).to.deep.equal(el.attachments[0]);
    expect(JSON.stringify(changes)).not.to.contain('张三').and.not.to.contain('.mp4');
    expect(wire.sent.map((r) => r.url).join(' ')).not.to.contain('张三');
    expect(await sha256(wire.uploaded)).to.equal(el.attachments[0]!.sha256);
  });

  it('cancels an upload: the file is marked cancelled and nothing is attached', async () => {
    const wire = new Wire();
    const hold = wire.holdPatch(2);
    const { el, changes } = await mount(wire);
    pick(el, [fileOf(video(2.5 * MiB), 'a.mp4', 'video/mp4')]);
    await waitUntil(() => hold.held(), 'upload under way');
    const cancel = buttonIn(files(el)[0], t.cancel)!;
    cancel.focus();
    cancel.click();
    await untilStatus(el, 0, t.status.cancelled);
    expect(hold.held()!.signal!.aborted).to.equal(true, 'the request was aborted');
    expect(el.attachments).to.deep.equal([]);
    expect(el.busy).to.equal(false);
    expect(changes.at(-1)).to.deep.equal({ attachments: [], busy: false });
    // The same button now offers 「重试」, so keyboard focus stays put.
    expect(root(el).activeElement).to.equal(cancel);
    expect(text(cancel)).to.equal(`${t.retry}${t.actionTarget('a.mp4')}`);
    expect(live(el)).to.equal('', 'a cancel is seen, not announced');
    await expect(el).to.be.accessible();
  });

  it('resumes where it stopped after the connection drops', async () => {
    const wire = new Wire();
    let patches = 0;
    wire.before = (req) => {
      if (req.method === 'PATCH' && ++patches === 2) throw new TypeError('Failed to fetch');
    };
    const { el } = await mount(wire);
    const body = video(2.5 * MiB);
    pick(el, [fileOf(body, 'a.mp4', 'video/mp4')]);
    await untilStatus(el, 0, t.status.done);
    expect(wire.sent.filter((r) => r.method === 'POST')).to.have.length(1, 'one upload, not a new one');
    expect(wire.sent.some((r) => r.method === 'HEAD')).to.equal(true, 'asked the server where it stood');
    expect(wire.patches.map((r) => r.offset)).to.deep.equal(['0', String(MiB), String(MiB), String(2 * MiB)]);
    expect(el.attachments[0]!.sha256).to.equal(await sha256(body));
  });

  it('after a failure, 「重试」 continues the same upload', async () => {
    const wire = new Wire();
    let patches = 0;
    wire.before = (req) => {
      if (req.method !== 'PATCH' || ++patches !== 2) return;
      const error = { error: { code: 'RATE_LIMITED', message: '操作过于频繁，请稍后再试', retryAfterMs: 1000 } };
      return new Response(JSON.stringify(error), { status: 429, headers: { 'Content-Type': 'application/json', 'Tus-Resumable': '1.0.0' } });
    };
    const { el, changes } = await mount(wire);
    const body = video(2.5 * MiB);
    pick(el, [fileOf(body, 'a.mp4', 'video/mp4')]);
    await untilStatus(el, 0, t.failed.rateLimited);
    expect(live(el)).to.equal(t.announce.failed('a.mp4', t.failed.rateLimited));
    expect(el.busy).to.equal(false);
    expect(changes.at(-1)).to.deep.equal({ attachments: [], busy: false });
    await expect(el).to.be.accessible();

    buttonIn(files(el)[0], t.retry)!.click();
    await untilStatus(el, 0, t.status.done);
    const uploadUrl = wire.sent.find((r) => r.method === 'PATCH')!.url;
    expect(wire.sent.filter((r) => r.method === 'POST')).to.have.length(1);
    expect(wire.sent.filter((r) => r.method === 'HEAD').map((r) => r.url)).to.deep.equal([uploadUrl]);
    expect(wire.patches.map((r) => r.offset)).to.deep.equal(['0', String(MiB), String(MiB), String(2 * MiB)]);
    expect(el.attachments[0]!.sha256).to.equal(await sha256(body));
    expect(live(el)).to.equal(t.announce.done('a.mp4', t.removed['video/mp4']));
  });

  it('a full server (507 STORAGE_FULL) says so at once, without retrying in a loop', async () => {
    const wire = new Wire();
    wire.before = (req) => {
      if (req.method !== 'POST') return;
      const error = { error: { code: 'STORAGE_FULL', message: '服务器暂时无法接收更多材料，请稍后重试或减少附件' } };
      return new Response(JSON.stringify(error), { status: 507, headers: { 'Content-Type': 'application/json', 'Tus-Resumable': '1.0.0' } });
    };
    const { el } = await mount(wire);
    pick(el, [fileOf(video(2000), 'a.mp4', 'video/mp4')]);
    await untilStatus(el, 0, t.failed.storageFull);
    expect(live(el)).to.equal(t.announce.failed('a.mp4', t.failed.storageFull));
    expect(wire.sent.filter((r) => r.method === 'POST')).to.have.length(1, 'asked once');
    expect(buttonIn(files(el)[0], t.retry)).to.not.equal(undefined);
  });

  it('deletes a finished file and moves focus to the next one, then back to 「选择文件」', async () => {
    const wire = new Wire();
    const { el, changes } = await mount(wire);
    pick(el, [fileOf(video(2000), 'a.mp4', 'video/mp4'), fileOf(video(3000), 'b.mp4', 'video/mp4')]);
    await untilStatus(el, 0, t.status.done);
    await untilStatus(el, 1, t.status.done);
    expect(el.attachments.map((a) => a.size)).to.deep.equal([2000, 3000], 'in the order picked');
    const [, second] = el.attachments;

    buttonIn(files(el)[0], t.remove)!.click();
    await waitUntil(() => files(el).length === 1, 'first file gone');
    expect(el.attachments).to.deep.equal([second]);
    expect(changes.at(-1)).to.deep.equal({ attachments: [second], busy: false });
    expect(root(el).activeElement).to.equal(buttonIn(files(el)[0], t.remove));

    buttonIn(files(el)[0], t.remove)!.click();
    await waitUntil(() => files(el).length === 0, 'list empty');
    expect(el.attachments).to.deep.equal([]);
    expect(root(el).activeElement?.id).to.equal('pick-files');
    await expect(el).to.be.accessible();
  });

  it('takes part in its form: attachment ids as values, invalid while uploading', async () => {
    const wire = new Wire();
    const hold = wire.holdPatch(2);
    const form = await fixture<HTMLFormElement>(
      html`<form><aqjb-evidence-upload .client=${wire.client}></aqjb-evidence-upload></form>`,
    );
    const el = form.querySelector('aqjb-evidence-upload')!;
    pick(el, [fileOf(video(2.5 * MiB), 'a.mp4', 'video/mp4')]);
    await waitUntil(() => hold.held(), 'uploading');
    expect(form.checkValidity()).to.equal(false);
    hold.release();
    await untilStatus(el, 0, t.status.done);
    expect(form.checkValidity()).to.equal(true);
    expect(new FormData(form).getAll('attachmentIds')).to.deep.equal([el.attachments[0]!.attachmentId]);
  });

  it('shows files restored from a draft without uploading or firing an event', async () => {
    const wire = new Wire();
    const { el, changes } = await mount(wire);
    el.restored = [
      { attachmentId: 'AbCdEfGhIjKlMnOpQrStUv', name: '现场照片.jpg', size: 234_567, mime: 'image/jpeg' },
      { attachmentId: 'not valid!', name: 'x.pdf', size: 1, mime: 'application/pdf' },
      { attachmentId: 'ZyXwVuTsRqPoNmLkJiHgFe', name: '整改通知.pdf', size: 3 * MiB, mime: 'application/pdf' },
    ];
    await el.updateComplete;
    expect(files(el).map((f) => text(f.querySelector('.file-name')))).to.deep.equal(['现场照片.jpg', '整改通知.pdf']);
    expect(files(el).map((f) => statusOf(f))).to.deep.equal([t.status.done, t.status.done]);
    expect(text(files(el)[1]!.querySelector('.file-meta'))).to.equal(`${t.kind['application/pdf']} · ${t.sizeMb('3')}`);
    expect(el.attachments.map((a) => a.attachmentId)).to.deep.equal(['AbCdEfGhIjKlMnOpQrStUv', 'ZyXwVuTsRqPoNmLkJiHgFe']);
    expect(el.value.map((f) => f.name)).to.deep.equal(['现场照片.jpg', '整改通知.pdf']);
    expect(changes).to.deep.equal([]);
    expect(wire.sent).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('adds no more than `max` files and says why', async () => {
    const wire = new Wire();
    const { el } = await mount(wire, { max: 2 });
    pick(el, ['a', 'b', 'c'].map((n) => fileOf(video(1000), `${n}.mp4`, 'video/mp4')));
    await waitUntil(() => refusals(el).length === 1, 'refusal shown');
    expect(refusals(el)).to.deep.equal([t.refused.tooMany(2, 1)]);
    expect(files(el)).to.have.length(2);
    await untilStatus(el, 1, t.status.done);
    expect(text(root(el).querySelector('#count'))).to.equal(t.full(2));
    // Full: the picker says so instead of opening.
    root(el).querySelector<HTMLInputElement>('#pick-files')!.click();
    await el.updateComplete;
    expect(refusals(el)).to.deep.equal([t.full(2)]);
  });

  it('aborts uploads when moved out of the page and resumes them when put back', async () => {
    const wire = new Wire();
    const hold = wire.holdPatch(2);
    const { el } = await mount(wire);
    const body = video(2.5 * MiB);
    pick(el, [fileOf(body, 'a.mp4', 'video/mp4')]);
    await waitUntil(() => hold.held(), 'uploading');
    const parent = el.parentNode!;
    el.remove();
    expect(hold.held()!.signal!.aborted).to.equal(true);
    parent.appendChild(el);
    await untilStatus(el, 0, t.status.done);
    expect(wire.sent.filter((r) => r.method === 'POST')).to.have.length(1);
    expect(el.attachments[0]!.sha256).to.equal(await sha256(body));
  });

  it('takes files dropped on it (desktop)', async () => {
    const wire = new Wire();
    const { el } = await mount(wire);
    const zone = root(el).querySelector<HTMLElement>('[part~="drop-zone"]')!;
    const dt = new DataTransfer();
    dt.items.add(fileOf(video(1500), 'dropped.mp4', 'video/mp4'));
    const over = new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true });
    zone.dispatchEvent(over);
    expect(over.defaultPrevented).to.equal(true, 'the drop is accepted, not opened by the browser');
    await el.updateComplete;
    expect(zone.classList.contains('dragging')).to.equal(true);
    const drop = new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true });
    zone.dispatchEvent(drop);
    expect(drop.defaultPrevented).to.equal(true);
    await untilStatus(el, 0, t.status.done);
    expect(text(files(el)[0]!.querySelector('.file-name'))).to.equal('dropped.mp4');
    expect(zone.classList.contains('dragging')).to.equal(false);
  });

  it('speaks English when asked', async () => {
    const wire = new Wire();
    const el = await fixture<AqjbEvidenceUpload>(html`<aqjb-evidence-upload locale="en" .client=${wire.client}></aqjb-evidence-upload>`);
    expect(text(root(el).querySelector('label[for="pick-photo"]'))).to.equal(en.upload.takePhoto);
    pick(el, [fileOf(bytes('GIF89a'), 'x.gif', 'image/gif')]);
    await waitUntil(() => refusals(el).length === 1, 'refusal shown');
    expect(refusals(el)).to.deep.equal([en.upload.refused.type('x.gif')]);
    await expect(el).to.be.accessible();
  });

  it('can be used by keyboard alone: the pick controls are reachable in order and open the picker', async () => {
    const wire = new Wire();
    const wrapper = await fixture<HTMLDivElement>(
      html`<div><button id="before">before</button><aqjb-evidence-upload .client=${wire.client}></aqjb-evidence-upload></div>`,
    );
    const el = wrapper.querySelector('aqjb-evidence-upload')!;
    wrapper.querySelector<HTMLButtonElement>('#before')!.focus();
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await sendKeys({ press: 'Tab' });
      order.push(root(el).activeElement?.id ?? '');
    }
    expect(order).to.deep.equal(['keep-location', 'pick-photo', 'pick-video', 'pick-files']);
    const labels = ['pick-photo', 'pick-video', 'pick-files'].map((id) => text(root(el).querySelector(`label[for="${id}"]`)));
    expect(labels).to.deep.equal([t.takePhoto, t.recordVideo, `${t.chooseFiles} ${t.dropHint}`]);

    const input = root(el).querySelector<HTMLInputElement>('#pick-files')!;
    let opened = 0;
    input.addEventListener('click', (e) => {
      opened++;
      e.preventDefault(); // no native dialog in the test browser
    });
    await sendKeys({ press: 'Enter' });
    expect(opened).to.equal(1);
    await sendKeys({ press: ' ' });
    expect(opened).to.equal(2);
  });
});
