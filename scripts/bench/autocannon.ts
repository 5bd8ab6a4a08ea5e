/** autocannon 9 ships no types: the part of its programmatic API the server bench uses, typed over its per-connection state. */
import { createRequire } from 'node:module';

export interface CannonRequest<C> {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  setupRequest?: (request: CannonRequest<C>, context: C) => CannonRequest<C> | null | undefined;
  onResponse?: (status: number, body: string, context: C) => void;
}
export interface CannonOptions<C> {
  url: string;
  connections: number;
  amount?: number;
  duration?: number;
  timeout?: number;
  sampleInt?: number;
  requests: CannonRequest<C>[];
}
export interface CannonResult {
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  latency: { p50: number; p99: number };
  requests: { total: number };
}
export interface CannonInstance {
  stop(): void;
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (opts: CannonOptions<never>, done: (error: Error | null, result: CannonResult) => void) => CannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** Starts a run; `onLatency` gets every response's latency and status, right after the request's own `onResponse`. */
export function runCannon<C>(opts: CannonOptions<C>, onLatency: (ms: number, status: number) => void) {
  let instance!: CannonInstance;
  const done = new Promise<CannonResult>((resolve, reject) => {
    instance = autocannon(opts as unknown as CannonOptions<never>, (error, result) => (error ? reject(error) : resolve(result)));
  });
  instance.on('response', (_client, status, _bytes, ms) => onLatency(ms, status));
  return { instance, done };
}
