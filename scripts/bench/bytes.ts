/** Transferred bytes: every response the page loaded, compressed here as a compressing server would send it. */
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { median } from './figures.js';

/** What a resource is, for our page: counted (code, api), or printed apart (host, geometry). Peers: all `peer`. */
export type Kind = 'code' | 'api' | 'host' | 'geometry' | 'peer';

export interface Resource {
  url: string;
  kind: Kind;
  /** ms from navigation start the request started (the document: 0). */
  start: number;
  raw: number;
  gzip: number;
  brotli: number;
}

export const gzipSize = (b: Buffer) => gzipSync(b, { level: 9 }).length;
export const brotliSize = (b: Buffer) =>
  brotliCompressSync(b, {
    params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: b.length },
  }).length;

export interface Bytes {
  gzip: number;
  brotli: number;
  raw: number;
  count: number;
}
export const sum = (rs: Resource[]): Bytes => ({
  gzip: rs.reduce((n, r) => n + r.gzip, 0),
  brotli: rs.reduce((n, r) => n + r.brotli, 0),
  raw: rs.reduce((n, r) => n + r.raw, 0),
  count: rs.length,
});
/** What counts toward a budget: our code and the API's answers; peers: all they load. */
export const counted = (rs: Resource[]) => rs.filter((r) => r.kind === 'code' || r.kind === 'api' || r.kind === 'peer');
export const medianBytes = (loads: Resource[][]): Bytes => {
  const sums = loads.map(sum);
  return {
    gzip: median(sums.map((s) => s.gzip)),
    brotli: median(sums.map((s) => s.brotli)),
    raw: median(sums.map((s) => s.raw)),
    count: median(sums.map((s) => s.count)),
  };
};

