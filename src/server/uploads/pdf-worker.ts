// Runs stripPdfMetadata away from the server's thread (see stripPdfInWorker in pdf.ts): a decompression bomb or a
// flood of objects costs this worker its heap or its time, never the server.
import { parentPort } from 'node:worker_threads';
import { MediaFormatError } from '../../sdk/media/format-error.js';
import { stripPdfMetadata } from './pdf.js';

// The library warns on odd files through console: none of it belongs in the server's log.
for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) console[level] = () => undefined;

parentPort!.on('message', ({ id, bytes }: { id: number; bytes: Uint8Array }) => {
  stripPdfMetadata(bytes).then(
    (out) => parentPort!.postMessage({ id, ok: true, bytes: out }),
    (error: unknown) => parentPort!.postMessage({ id, ok: false, format: error instanceof MediaFormatError }),
  );
});
