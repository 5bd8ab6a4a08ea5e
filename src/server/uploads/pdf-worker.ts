// Runs stripPdfMetadata away from the server's thread (see strip-pdf.ts): a decompression bomb or a flood of objects
// costs this worker its heap or its time, never the server.
import { parentPort, workerData } from 'node:worker_threads';
import { MediaFormatError } from '../../sdk/media/format-error.js';
import { stripPdfMetadata } from './pdf.js';

const { bytes } = workerData as { bytes: Uint8Array };
stripPdfMetadata(bytes).then(
  (out) => parentPort!.postMessage({ ok: true, bytes: out }),
  (error: unknown) => parentPort!.postMessage({ ok: false, format: error instanceof MediaFormatError }),
);
