import type { AttachmentMime } from '../schemas/attachments.js';
import { stripJpeg, type StripOptions } from './strip-metadata.js';
import { gpsFields } from './exif-gps.js';
import { stripPngMetadata } from './png.js';

// The synchronous stripper for bytes in memory (the server, and the SDK's export). A module of its own: it holds both
// readers, and the browser's upload, which goes through `stripFileMetadata`, loads the PNG and GPS readers only when
// it needs them.

export { stripPngMetadata };

/**
 * Strips a JPEG in memory (see `stripJpeg`): with `keepLocation` its GPS entries stay.
 * @throws MediaFormatError when the bytes are not a complete JPEG.
 */
export const stripJpegMetadata = (bytes: Uint8Array, options: StripOptions = {}) =>
  stripJpeg(bytes, options.keepLocation ? gpsFields : undefined);

/**
 * Strips identifying metadata from a JPEG or PNG held in memory (proving it well-formed on the way). MP4 and PDF are
 * returned unchanged: use `stripFileMetadata` for a video; PDFs are cleaned by the server.
 * @throws MediaFormatError when a JPEG or PNG is not well-formed.
 */
export function stripMetadata<B extends ArrayBufferLike>(
  bytes: Uint8Array<B>,
  mime: AttachmentMime,
  options: StripOptions = {},
): Uint8Array<B | ArrayBuffer> {
  if (mime === 'image/jpeg') return stripJpegMetadata(bytes, options);
  if (mime === 'image/png') return stripPngMetadata(bytes);
  return bytes;
}

