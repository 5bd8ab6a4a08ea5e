import { planMp4Strip, type ByteSource, type Mp4Edit } from '../../sdk/media/mp4.js';
import { stripMetadata } from '../../sdk/media/strip.js';
import type { AttachmentMime } from '../../sdk/schemas/attachments.js';
import { stripPdfInWorker } from './pdf.js';

/** An upload's plaintext, as the finisher can read it (the partial file may be encrypted at rest). */
export interface UploadedBytes {
  size: number;
  /** All of it, in memory: images and PDFs (20 MB at most). */
  readAll(): Promise<Uint8Array>;
  /** Bytes `start` to `end` (exclusive; default the end), streamed. */
  range(start: number, end?: number): AsyncIterable<Uint8Array>;
}

/**
 * Checks an upload's structure and removes what can locate or identify the reporter: JPEG/PNG metadata (the GPS
 * block alone survives `keepLocation`), MP4/MOV metadata boxes overwritten in place, PDF document properties.
 * Returns the bytes to store; a video is streamed, never held whole.
 * @throws MediaFormatError when the file is not well-formed (the upload is then refused with reason 'format').
 */
export async function cleanUpload(
  mime: AttachmentMime,
  upload: UploadedBytes,
  options: { keepLocation?: boolean } = {},
): Promise<AsyncIterable<Uint8Array> | Iterable<Uint8Array>> {
  if (mime === 'video/mp4') {
    const edits = await planMp4Strip(windowedSource(upload));
    return withEdits(upload.range(0), edits);
  }
  const bytes = await upload.readAll();
  if (mime === 'application/pdf') return [await stripPdfInWorker(bytes)];
  return [stripMetadata(bytes, mime, { keepLocation: options.keepLocation === true })];
}

/** Positioned reads served from 64 KiB windows: walking a video's box headers costs a read per window, not per box. */
function windowedSource(upload: UploadedBytes, windowBytes = 64 * 1024): ByteSource {
  let window = { start: 0, bytes: new Uint8Array(0) };
  const load = async (start: number, end: number) => {
    const parts: Uint8Array[] = [];
    for await (const part of upload.range(start, end)) parts.push(part);
    return Buffer.concat(parts);
  };
  return {
    size: upload.size,
    async read(offset, length) {
      const end = offset + length;
      if (offset < window.start || end > window.start + window.bytes.length) {
        if (length > windowBytes) return new Uint8Array(await load(offset, end)); // moov: read once, not cached
        window = { start: offset, bytes: new Uint8Array(await load(offset, Math.min(upload.size, offset + windowBytes))) };
      }
      return window.bytes.subarray(offset - window.start, end - window.start);
    },
  };
}

/** The stream with each edit applied over it (edits sorted, not overlapping, within the stream). */
async function* withEdits(source: AsyncIterable<Uint8Array>, edits: readonly Mp4Edit[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  let next = 0;
  for await (const chunk of source) {
    const end = at + chunk.length;
    let out: Uint8Array | undefined;
    for (let k = next; k < edits.length && edits[k]!.offset < end; k++) {
      const e = edits[k]!;
      const from = Math.max(e.offset, at);
      const to = Math.min(e.offset + e.length, end);
      if (to <= from) continue;
      out ??= Uint8Array.from(chunk); // never write into the reader's buffer
      if (e.data) out.set(e.data.subarray(from - e.offset, to - e.offset), from - at);
      else out.fill(0, from - at, to - at);
    }
    while (next < edits.length && edits[next]!.offset + edits[next]!.length <= end) next++;
    yield out ?? chunk;
    at = end;
  }
}
