import { AqjbError, ApiError, NetworkError } from './errors.js';
import { call, parseResponse, type ClientContext } from './http.js';
import { SNIFF_BYTES, sniffMime } from './media/sniff.js';
import { Attachment, maxBytesFor, type AttachmentMime } from './schemas/attachments.js';
import { ErrorBody } from './schemas/common.js';

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

const TUS = { 'Tus-Resumable': '1.0.0' };
const MAX_FAILURES = 6; // waits 0.5, 1, 2, 4, 8 s: about 15 s without progress before giving up
const PATCH_TIMEOUT_MS = 60_000; // a 1 MiB chunk takes ~30 s at 300 kbit/s

/**
 * A failure worth retrying after asking the server where it stands: no answer, 5xx, 423 locked, 409 offset. Not
 * 507 `STORAGE_FULL`: the server is out of room, and retrying in a loop would not make any.
 */
class Retry extends Error {}

/**
 * Uploads evidence over tus 1.0, resuming after dropped connections, and returns the stored attachment.
 * No file name is sent: names can identify the reporter.
 * @throws ApiError `ATTACHMENT_REJECTED` (type or size), `RATE_LIMITED` (429, with `retryAfterMs`), `STORAGE_FULL`
 * (507: the server's quota or disk), NetworkError after repeated failures, AqjbError `ABORTED`.
 */
export function uploadAttachment(ctx: ClientContext, file: Blob, options: UploadOptions = {}): Promise<Attachment> {
  const { signal, onProgress, onUploadUrl } = options;
  const total = file.size;
  const chunkSize = Math.max(1, options.chunkSize ?? 1024 * 1024);
  const endpoint = new URL('uploads', ctx.baseUrl).href;

  const send = async (url: string, init: RequestInit, timeoutMs = ctx.timeoutMs): Promise<Response> => {
    const controller = new AbortController();
    const abort = () => controller.abort();
    const timer = setTimeout(abort, timeoutMs);
    signal?.addEventListener('abort', abort);
    try {
      const headers = { ...TUS, ...(init.headers as Record<string, string>) };
      const res = await ctx.fetch(url, { ...init, headers, signal: controller.signal, credentials: 'omit' });
      if (res.ok) return res;
      if ((res.status >= 500 && res.status !== 507) || res.status === 423 || res.status === 409) throw new Retry(`HTTP ${res.status}`);
      throw await apiError(res);
    } catch (error) {
      if (signal?.aborted) throw new AqjbError('ABORTED', '上传已取消', { cause: error });
      throw error instanceof ApiError || error instanceof Retry ? error : new Retry('network', { cause: error });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    }
  };

  const offsetOf = (res: Response) => {
    const offset = Number(res.headers.get('Upload-Offset') ?? NaN);
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > total) throw badResponse(res.status);
    return offset;
  };

  return call(async () => {
    let url = options.resumeFrom;
    let offset = 0;
    let needHead = url !== undefined;
    let restarted = false;
    let failures = 0;
    while (url === undefined || needHead || offset < total) {
      if (signal?.aborted) throw new AqjbError('ABORTED', '上传已取消');
      const before = offset;
      try {
        if (needHead && url !== undefined) {
          const res = await send(url, { method: 'HEAD' }).catch((error: unknown) => {
            // Gone or expired, or another file's upload: start over once.
            if (error instanceof ApiError && (error.status === 404 || error.status === 410) && !restarted) return undefined;
            throw error;
          });
          if (res === undefined || Number(res.headers.get('Upload-Length')) !== total) {
            if (restarted) throw badResponse(res?.status ?? 404);
            [url, offset, restarted] = [undefined, 0, true];
          } else offset = offsetOf(res);
          needHead = false;
        } else if (url === undefined) {
          const headers: Record<string, string> = { 'Upload-Length': String(total) };
          const metadata = /^[\w.+-]+\/[\w.+-]+$/.test(file.type) ? [`filetype ${btoa(file.type)}`] : [];
          if (options.keepLocation) metadata.push(`keeplocation ${btoa('1')}`);
          if (metadata.length) headers['Upload-Metadata'] = metadata.join(',');
          const res = await send(endpoint, { method: 'POST', headers });
          const location = res.headers.get('Location');
          if (!location) throw badResponse(res.status);
          url = new URL(location, endpoint).href;
          onUploadUrl?.(url);
        } else {
          const end = Math.min(offset + chunkSize, total);
          const headers = { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' };
          const res = await send(url, { method: 'PATCH', headers, body: file.slice(offset, end) }, PATCH_TIMEOUT_MS);
          offset = offsetOf(res);
          if (offset <= before) throw badResponse(res.status);
        }
        if (offset > before || offset === total) onProgress?.({ sent: offset, total });
        if (offset > before) failures = 0;
      } catch (error) {
        if (!(error instanceof Retry)) throw error;
        if (++failures >= MAX_FAILURES) throw new NetworkError(undefined, { cause: error });
        await wait(250 * 2 ** failures, signal);
        needHead = url !== undefined;
      }
    }
    const id = new URL(url).pathname.split('/').pop() ?? '';
    return parseResponse(await ctx.http.get(`uploads/${id}/result`, { signal }), Attachment);
  });
}

const badResponse = (status: number) => new ApiError(status, 'BAD_RESPONSE', '服务器返回的数据格式不正确');

async function apiError(res: Response): Promise<ApiError> {
  const parsed = ErrorBody.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) return new ApiError(res.status, 'BAD_RESPONSE', `HTTP ${res.status}`);
  const { code, message, retryAfterMs } = parsed.data.error;
  return new ApiError(res.status, code, message, { retryAfterMs });
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      if (signal?.aborted) reject(new AqjbError('ABORTED', '上传已取消'));
      else resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

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
