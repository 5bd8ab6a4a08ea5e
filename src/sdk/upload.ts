import { AqjbError, ApiError, NetworkError } from './errors.js';
import { RETRY_STATUS_CODES, call, isHTTPError, isTimeoutError, send, type ClientContext, type Http } from './transport.js';
import { SNIFF_BYTES, sniffMime } from './media/sniff.js';
import { maxBytesFor, type Attachment, type AttachmentMime } from './schemas/attachments.js';
import { TUS_VERSION, createUpload, getUploadResult } from './contract/uploads.js';

export interface UploadOptions {
  /** Called after each chunk the server confirmed (fetch reports no upload progress, so this is per chunk). */
  onProgress?: (p: { sent: number; total: number }) => void;
  signal?: AbortSignal;
  /** Bytes per PATCH; 1 MiB by default. */
  chunkSize?: number;
  /** An upload URL from an earlier attempt (`onUploadUrl`): continues it when the server still has it. */
  resumeFrom?: string;
  /** The upload URL, as soon as it exists: keep it to resume after a reload. */
  onUploadUrl?: (url: string) => void;
  /**
   * The citizen chose to keep a photo's location (it helps the authority find the site). The server then stores
   * the photo as sent instead of stripping its metadata. Off by default.
   */
  keepLocation?: boolean;
}

/** On every tus request, HEAD included: the server answers 412 without it (tus 1.0). */
const TUS = { 'Tus-Resumable': TUS_VERSION };
const PATCH_TIMEOUT_MS = 60_000; // a 1 MiB chunk takes ~30 s at 300 kbit/s

/**
 * Retries of each tus request, with the transport's backoff (0.3 s doubling, at most 3 s, or a short Retry-After):
 * about 13 s without progress before giving up. Besides the transport's answers (408, 500, 502–504): 409 (the
 * offset moved: the next attempt asks for it) and 423 `UPLOAD_LOCKED` (another request still holds the upload).
 * Not 507 `STORAGE_FULL`: the server is out of room, and retrying in a loop would not make any. A timed-out
 * attempt is retried too: the next one starts where the server stopped. Independent of the client's `retry`
 * option, as before: an upload always resumes.
 */
const TUS_RETRY = { limit: 7, methods: ['post', 'head', 'patch'], statusCodes: [409, 423], retryOnTimeout: true };

/** A tus request to an absolute URL (a `URL`, so ky does not put the base URL in front). */
const tus = (http: Http, url: string, method: 'POST' | 'HEAD', options: { headers?: Record<string, string>; signal?: AbortSignal }) =>
  http(new URL(url), { method, signal: options.signal, headers: { ...TUS, ...options.headers }, retry: TUS_RETRY });

/** The server no longer has the upload (expired, cancelled, or never had it): the HEAD that asks says 404 or 410. */
const gone = (error: unknown) =>
  isHTTPError(error) && error.request.method === 'HEAD' && (error.response.status === 404 || error.response.status === 410);

/** What the transport retries and a tus upload resumes from: after the last retry it is a NetworkError, as before. */
const transient = (error: unknown) =>
  error instanceof TypeError ||
  isTimeoutError(error) ||
  (isHTTPError(error) && [...RETRY_STATUS_CODES, ...TUS_RETRY.statusCodes].includes(error.response.status));

/**
 * Uploads evidence over tus 1.0, resuming after dropped connections, and returns the stored attachment.
 * No file name is sent: names can identify the reporter.
 * @throws ApiError `ATTACHMENT_REJECTED` (type or size), `RATE_LIMITED` (429, with `retryAfterMs`), `STORAGE_FULL`
 * (507: the server's quota or disk), NetworkError after repeated failures, AqjbError `ABORTED`.
 */
export function uploadAttachment(ctx: ClientContext, file: Blob, options: UploadOptions = {}): Promise<Attachment> {
  const { signal, onProgress, onUploadUrl } = options;
  const { http } = ctx;
  const total = file.size;
  const chunkSize = Math.max(1, options.chunkSize ?? 1024 * 1024);
  const endpoint = new URL(createUpload.path.slice(1), ctx.baseUrl).href;

  const offsetOf = (res: Response) => {
    const offset = Number(res.headers.get('Upload-Offset') ?? NaN);
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > total) throw badResponse(res.status);
    return offset;
  };

  /**
   * One chunk from `offset`. When an attempt fails, the transport waits and retries; before each retry the server is
   * asked where it stands (HEAD), and the next PATCH starts there — or, when the server has the whole chunk already
   * (only its answer was lost), that answer is the HEAD's. A HEAD that fails leaves the retry as it was: it fails or
   * gets 409, and the next retry asks again. Gone (404/410) ends the chunk: the upload starts over.
   */
  const patch = (url: string, offset: number) => {
    const end = Math.min(offset + chunkSize, total);
    const resync = async ({ request: failed }: { request: Request }) => {
      const res = await http(new URL(url), { method: 'HEAD', headers: TUS, signal, retry: 0 }).catch((error: unknown) => {
        if (gone(error) || signal?.aborted) throw error;
        return undefined;
      });
      if (!res) return undefined;
      const at = offsetOf(res);
      if (at >= end) return res;
      // The attempt's own headers (a caller's hook may have added some), with the server's offset and its bytes.
      const headers = new Headers(failed.headers);
      headers.set('Upload-Offset', String(at));
      return new Request(failed.url, { method: 'PATCH', headers, body: file.slice(at, end), signal: failed.signal, credentials: 'omit' });
    };
    return http(new URL(url), {
      method: 'PATCH',
      headers: { ...TUS, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
      body: file.slice(offset, end),
      signal,
      timeout: PATCH_TIMEOUT_MS,
      retry: TUS_RETRY,
      hooks: { beforeRetry: [resync] },
    });
  };

  return call(async () => {
    let url = options.resumeFrom;
    let offset = 0;
    let restarted = false;
    // Gone or expired, or another file's upload: start over, once.
    const startOver = (status: number) => {
      if (restarted) throw badResponse(status);
      [url, offset, restarted] = [undefined, 0, true];
    };
    try {
      if (url !== undefined) {
        const res = await tus(http, url, 'HEAD', { signal }).catch((error: unknown) => {
          if (gone(error)) return undefined;
          throw error;
        });
        if (res === undefined || Number(res.headers.get('Upload-Length')) !== total) startOver(res?.status ?? 404);
        else {
          offset = offsetOf(res);
          if (offset > 0 || offset === total) onProgress?.({ sent: offset, total });
        }
      }
      while (url === undefined || offset < total) {
        if (signal?.aborted) throw new AqjbError('ABORTED', '上传已取消');
        if (url === undefined) {
          const headers: Record<string, string> = { 'Upload-Length': String(total) };
          const metadata = /^[\w.+-]+\/[\w.+-]+$/.test(file.type) ? [`filetype ${btoa(file.type)}`] : [];
          if (options.keepLocation) metadata.push(`keeplocation ${btoa('1')}`);
          if (metadata.length) headers['Upload-Metadata'] = metadata.join(',');
          const res = await tus(http, endpoint, 'POST', { headers, signal });
          const location = res.headers.get('Location');
          if (!location) throw badResponse(res.status);
          url = new URL(location, endpoint).href;
          onUploadUrl?.(url);
          continue;
        }
        const before = offset;
        try {
          offset = offsetOf(await patch(url, offset));
        } catch (error) {
          if (!gone(error)) throw error;
          startOver((error as { response: Response }).response.status);
          continue;
        }
        if (offset <= before) throw badResponse(200);
        onProgress?.({ sent: offset, total });
      }
    } catch (error) {
      if (signal?.aborted) throw new AqjbError('ABORTED', '上传已取消', { cause: error });
      if (transient(error)) throw new NetworkError(undefined, { cause: error });
      throw error;
    }
    const id = new URL(url).pathname.split('/').pop() ?? '';
    return send(http, getUploadResult, { params: { id }, signal });
  });
}

const badResponse = (status: number) => new ApiError(status, 'BAD_RESPONSE', '服务器返回的数据格式不正确');

/** The evidence type by content, as the server will judge it; undefined for anything not accepted. */
export const sniffFile = (file: Blob): Promise<AttachmentMime | undefined> =>
  file.slice(0, SNIFF_BYTES).arrayBuffer().then((b) => sniffMime(new Uint8Array(b)));

/** Checks type and size before uploading, so a form can say what is wrong without sending anything. */
export async function checkFileBeforeUpload(
  file: Blob,
): Promise<{ ok: true; mime: AttachmentMime } | { ok: false; reason: 'type' | 'size' }> {
  const mime = await sniffFile(file);
  if (!mime) return { ok: false, reason: 'type' };
  return file.size > maxBytesFor(mime) ? { ok: false, reason: 'size' } : { ok: true, mime };
}
