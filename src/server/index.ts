import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { openDatabase } from './db/open.js';
import { createApp, type AppOptions, type ReferenceApp } from './app.js';
import type { Sql } from './db/sql.js';
import type { Logger } from './log.js';
import { isLoopback } from './client-address.js';
import type { DataKeys } from './crypto.js';
import { keyringFromEnv } from './keys.js';

export { createApp, DEFAULT_LIMITS, MIN_READ_SECONDS } from './app.js';
export type { AppOptions, RateLimits, ReferenceApp } from './app.js';
export type { Clock } from './clock.js';
export type { SmsSender } from './sms.js';
export { verifySmsWebhook, webhookSmsSender, SMS_WEBHOOK_SIGNATURE, SMS_WEBHOOK_TIMESTAMP } from './sms-webhook.js';
export type { SmsWebhookOptions } from './sms-webhook.js';
export { openPglite } from './db/pglite.js';
export { openPostgres } from './db/postgres.js';

export interface StartOptions extends Omit<AppOptions, 'sql' | 'dataKey' | 'dataDir'> {
  /** 0 picks a free port. */
  port?: number;
  hostname?: string;
  /** Where PGlite keeps its files and uploads are stored. Required unless `memory`. */
  dataDir?: string;
  /** PostgreSQL connection string; PGlite in `dataDir` when absent. */
  databaseUrl?: string;
  /** In-memory PGlite and a temporary upload folder (tests). */
  memory?: boolean;
  /**
   * 32-byte key or keyring (current first); else `AQJB_DATA_KEYS` ("id:base64,…") or `AQJB_DATA_KEY` (base64);
   * else, with `dev`, a key file generated in the data directory. It must open the database (`KeyCheckError`).
   */
  dataKey?: DataKeys;
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  app: ReferenceApp;
  sql: Sql;
  dataDir: string;
  /** Finishes requests in flight, then closes the database. */
  close(): Promise<void>;
}

/** Resolves the data key: explicit, environment, or (dev only) a key file created on first start. */
export function resolveDataKey(options: { dataKey?: DataKeys; dataDir: string; dev?: boolean }): DataKeys {
  if (options.dataKey) return options.dataKey;
  const fromEnv = keyringFromEnv();
  if (fromEnv) return fromEnv;
  if (!options.dev) {
    throw new Error(
      'No data key: set AQJB_DATA_KEY (32 bytes, base64), or AQJB_DATA_KEYS ("id:base64,…", current first), to encrypt reporter fields at rest, or use --dev',
    );
  }
  const file = path.join(options.dataDir, 'data-key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

/** Opens the database, applies migrations and listens. The demo, the CLI and the tests all start the server here. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  // --dev serves /dev/* (handling actions, the SMS outbox with codes and phone numbers): never beyond this machine.
  if (options.dev && !isLoopback(hostname)) {
    throw new Error(`--dev listens only on loopback (127.0.0.1, ::1 or localhost), not on ${hostname}: drop --dev or bind to 127.0.0.1`);
  }
  let dataDir = options.dataDir;
  if (!dataDir) {
    if (!options.memory) throw new Error('dataDir is required (or memory: true)');
    const { mkdtempSync } = await import('node:fs');
    const os = await import('node:os');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'aqjb-server-'));
  }
  mkdirSync(dataDir, { recursive: true });
  const dataKey = resolveDataKey({ dataKey: options.dataKey, dataDir, dev: options.dev || options.memory });
  const sql = await openDatabase({ dataDir: options.memory ? undefined : dataDir, databaseUrl: options.databaseUrl });
  // The metrics token is a secret like the data key: from the environment unless given (src/server/metrics.ts).
  const metricsToken = options.metricsToken ?? (process.env.AQJB_METRICS_TOKEN || undefined);
  const app = await createApp({ ...options, sql, dataDir, dataKey, metricsToken });
  let listening;
  try {
    listening = await new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname }, (info: AddressInfo) => {
        s.off('error', reject);
        resolve({ server: s, port: info.port });
      });
      // A port in use (EADDRINUSE) or refused (EACCES) is emitted, not thrown: without this it crashes the process.
      s.once('error', reject);
    });
  } catch (error) {
    await app.close();
    await sql.close();
    throw error;
  }
  const { server, port } = listening;
  const timer = setInterval(() => void app.maintain().catch(() => {}), 10 * 60_000);
  timer.unref();
  const host = options.hostname && options.hostname !== '0.0.0.0' ? options.hostname : '127.0.0.1';
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    app,
    sql,
    dataDir,
    close() {
      closing ??= (async () => {
        clearInterval(timer);
        app.drain();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await app.close();
        await sql.close();
      })();
      return closing;
    },
  };
}
