import { AqjbError } from './errors.js';

// Apart from http.ts and free of zod, so the embed's prefetch (components/internal/prefetch.ts), which runs before
// anything else in the bundle, resolves the base URL exactly as the client will.

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Resolves the base URL and refuses anything but https:, except for a local server during development. */
export function resolveBaseUrl(baseUrl: string): string {
  const base = globalThis.document?.baseURI ?? undefined;
  let url: URL;
  try {
    url = new URL(baseUrl, base);
  } catch (cause) {
    throw new AqjbError('BAD_BASE_URL', 'baseUrl 不是有效的网址', { cause });
  }
  const local = url.protocol === 'http:' && (LOCAL_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost'));
  if (url.protocol !== 'https:' && !local) {
    throw new AqjbError('BAD_BASE_URL', 'baseUrl 必须使用 https（本机调试时可用 http://localhost）');
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url.href;
}
