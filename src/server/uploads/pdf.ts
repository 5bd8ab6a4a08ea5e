import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream, type PDFObject } from '@cantoo/pdf-lib';
import { Worker } from 'node:worker_threads';
import { fail, MediaFormatError } from '../../sdk/media/format-error.js';

/** Readers look for `%%EOF` in the last 1024 bytes; so does this check. */
const EOF_WINDOW = 1024;
const ascii = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

// Keys that hold who made a document and with what, wherever they appear: XMP packets (dc:creator, xmp:CreatorTool,
// GPS in photoshop/exif namespaces of embedded images) and application private data (PieceInfo: Illustrator,
// Photoshop, Word). Names go through PDFName.of, which interns them, so `===` compares them.
const METADATA_KEYS = [PDFName.of('Metadata'), PDFName.of('PieceInfo')];
const TYPE = PDFName.of('Type');
const SUBTYPE = PDFName.of('Subtype');
const ANNOT = PDFName.of('Annot');
const WIDGET = PDFName.of('Widget');
const AUTHOR = PDFName.of('T'); // a markup annotation's author (a form field's name on widgets, which stays)

/**
 * Removes a PDF's document properties: the Info dictionary (Author, Creator, Producer, Title, dates), every XMP
 * `/Metadata` stream (catalog, pages, images, fonts), `/PieceInfo`, the authors of comments, and the file `/ID`. The
 * file is rewritten from its objects, so earlier revisions of an incrementally updated file (an old Info with the
 * author's name), unreferenced objects and bytes after `%%EOF` are gone too; content streams are copied as they are.
 * Runs on the server only: the library stays out of the browser bundle.
 * @throws MediaFormatError when the bytes are not a readable, unencrypted PDF with at least one page.
 */
export async function stripPdfMetadata(bytes: Uint8Array): Promise<Uint8Array> {
  if (ascii(bytes.subarray(0, 5)) !== '%PDF-') fail('not a PDF');
  if (!ascii(bytes.subarray(Math.max(0, bytes.length - EOF_WINDOW))).includes('%%EOF')) fail('PDF has no %%EOF at its end');
  let doc: PDFDocument;
  try {
    // updateMetadata: false, or the library would write its own Producer and dates into a new Info.
    doc = await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: 1000 });
  } catch {
    return fail('PDF unreadable or encrypted'); // EncryptedPDFError included: we cannot see inside to clean it
  }
  const { context } = doc;
  const catalog = context.lookup(context.trailerInfo.Root);
  if (!(catalog instanceof PDFDict) || catalog.lookup(TYPE) !== PDFName.of('Catalog')) fail('PDF has no catalog');
  let pages = 0;
  try {
    pages = doc.getPageCount();
  } catch {
    fail('PDF page tree unreadable');
  }
  if (pages < 1) fail('PDF has no pages');

  context.trailerInfo.Info = undefined;
  context.trailerInfo.ID = undefined;
  for (const [, object] of context.enumerateIndirectObjects()) clean(object);

  // Only what the catalog still reaches is written: the XMP streams just unlinked, old Info dictionaries and
  // superseded objects stay behind.
  const reachable = reachableFrom(context.trailerInfo.Root as PDFRef, (ref) => context.lookup(ref));
  for (const [ref] of context.enumerateIndirectObjects()) if (!reachable.has(ref)) context.delete(ref);
  try {
    return await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false, objectsPerTick: 1000 });
  } catch {
    return fail('PDF could not be rewritten');
  }
}

/**
 * Deletes metadata keys from a dictionary or a stream's dictionary and from the direct dictionaries nested in it
 * (an array of inline annotations), and the author of a markup annotation. Iterative: nesting depth is the file's.
 */
function clean(object: PDFObject): void {
  const stack: PDFObject[] = [object];
  while (stack.length) {
    const next = stack.pop()!;
    if (next instanceof PDFArray) stack.push(...next.asArray());
    const dict = next instanceof PDFStream ? next.dict : next instanceof PDFDict ? next : undefined;
    if (!dict) continue;
    for (const key of METADATA_KEYS) dict.delete(key);
    if (dict.get(TYPE) === ANNOT && dict.get(SUBTYPE) !== WIDGET) dict.delete(AUTHOR);
    for (const [, value] of dict.entries()) if (value instanceof PDFDict || value instanceof PDFArray) stack.push(value);
  }
}

/** Every indirect object reachable from `root`, walking dictionaries, arrays and stream dictionaries. */
function reachableFrom(root: PDFRef, lookup: (ref: PDFRef) => PDFObject | undefined): Set<PDFRef> {
  const seen = new Set<PDFRef>();
  const stack: PDFObject[] = [root];
  while (stack.length) {
    const object = stack.pop()!;
    if (object instanceof PDFRef) {
      if (seen.has(object)) continue;
      seen.add(object);
      const target = lookup(object);
      if (target) stack.push(target);
    } else if (object instanceof PDFStream) stack.push(object.dict);
    else if (object instanceof PDFDict) for (const [, value] of object.entries()) stack.push(value);
    else if (object instanceof PDFArray) stack.push(...object.asArray());
  }
  return seen;
}

/** Heap for the PDF worker: a 20 MB file needs well under this; a decompression bomb needs far more and is refused. */
const WORKER_HEAP_MB = 512;
const WORKER_TIME_MS = 60_000;
/** Jobs before the worker is replaced: the library interns every object reference it meets, for good. */
const WORKER_JOBS = 100;

type Reply = { id: number; ok: true; bytes: Uint8Array } | { id: number; ok: false; format: boolean };

/**
 * One worker thread, started on first use and kept (unref'd: it never holds the process open), doing one PDF at a
 * time. Replaced after WORKER_JOBS jobs, or when a job runs out of heap or time.
 */
class PdfWorker {
  #worker: Worker | undefined;
  #jobs = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #next = 0;

  run(bytes: Uint8Array): Promise<Uint8Array> {
    const job = this.#queue.then(() => this.#run(bytes));
    this.#queue = job.catch(() => undefined);
    return job;
  }

  #start(): Worker {
    // Under tsx (tests, `npm run server`) this file is .ts and the worker must load tsx itself; lib/ runs plain .js.
    const typescript = import.meta.url.endsWith('.ts');
    const entry = new URL(`./pdf-worker.${typescript ? 'ts' : 'js'}`, import.meta.url).href;
    const code = typescript
      ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`
      : `import(${JSON.stringify(entry)})`;
    const worker = new Worker(code, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    worker.unref();
    worker.once('exit', () => {
      if (this.#worker === worker) this.#worker = undefined;
    });
    this.#jobs = 0;
    return worker;
  }

  #stop(worker: Worker): void {
    if (this.#worker === worker) this.#worker = undefined;
    void worker.terminate();
  }

  #run(bytes: Uint8Array): Promise<Uint8Array> {
    const worker = (this.#worker ??= this.#start());
    const id = ++this.#next;
    if (++this.#jobs >= WORKER_JOBS) this.#worker = undefined; // this one finishes the job, then goes
    return new Promise<Uint8Array>((resolve, reject) => {
      const done = (settle: () => void, stop: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (stop || this.#worker !== worker) this.#stop(worker);
        settle();
      };
      const onMessage = (m: Reply) => {
        if (m.id !== id) return;
        done(() => (m.ok ? resolve(m.bytes) : reject(m.format ? new MediaFormatError('PDF refused') : new Error('PDF worker failed'))), false);
      };
      const onError = (error: Error & { code?: string }) =>
        done(() => reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new MediaFormatError('PDF too costly to read') : error), true);
      const onExit = () => done(() => reject(new Error('PDF worker exited')), true);
      const timer = setTimeout(() => done(() => reject(new MediaFormatError('PDF took too long to read')), true), WORKER_TIME_MS);
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.ref(); // while a job runs
      worker.postMessage({ id, bytes });
    }).finally(() => worker.unref());
  }
}

const pdfWorker = new PdfWorker();

/**
 * `stripPdfMetadata` in a worker thread with its own heap limit and a time limit, so a hostile PDF (an object
 * stream that inflates to gigabytes, millions of objects) fails alone instead of stopping the server.
 * @throws MediaFormatError when the PDF is refused, or is too costly to read.
 */
export function stripPdfInWorker(bytes: Uint8Array): Promise<Uint8Array> {
  return pdfWorker.run(bytes);
}
