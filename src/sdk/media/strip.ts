import type { AttachmentMime } from '../schemas/attachments.js';
import { stripJpegMetadata, type StripOptions } from './strip-metadata.js';
import { stripPngMetadata } from './png.js';

// The synchronous stripper for bytes in memory (the server, and the SDK's export). A module of its own: it holds both
// readers, and the browser's upload, which goes through `stripFileMetadata`, loads the PNG reader only with a PNG.

export { stripJpegMetadata, stripPngMetadata };

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

