/** Raw tus 1.0 requests against a test server, for the tus conformance and contract suites. */
import type { TestServer } from '../support/reference-server.js';

export const TUS = { 'Tus-Resumable': '1.0.0' } as const;
/** The smallest PNG the server accepts (1 × 1 pixel). */
export const PNG_1x1 = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'));

/** Creates an upload of `length` bytes; returns its absolute URL and id. */
export async function createUpload(server: Pick<TestServer, 'url'>, length: number): Promise<{ url: string; id: string }> {
  const res = await fetch(new URL('uploads', server.url), { method: 'POST', headers: { ...TUS, 'Upload-Length': String(length) } });
  if (res.status !== 201) throw new Error(`tus creation answered ${res.status}`);
  const url = res.headers.get('location')!;
  return { url, id: url.split('/').pop()! };
}

/** Sends `bytes` from `offset` in one PATCH. */
export const patchUpload = (url: string, bytes: Uint8Array<ArrayBuffer>, offset = 0) =>
  fetch(url, {
    method: 'PATCH',
    headers: { ...TUS, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    body: bytes,
  });

/** A finished, accepted PNG attachment (not yet linked to a report); returns its URL and id. */
export async function finishedUpload(server: Pick<TestServer, 'url'>): Promise<{ url: string; id: string }> {
  const upload = await createUpload(server, PNG_1x1.length);
  const res = await patchUpload(upload.url, PNG_1x1);
  if (res.status !== 204) throw new Error(`tus PATCH answered ${res.status}`);
  const result = await fetch(`${upload.url}/result`);
  if (result.status !== 200) throw new Error(`upload result answered ${result.status}`);
  return upload;
}
