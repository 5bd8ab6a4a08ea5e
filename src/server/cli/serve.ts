import { startServer } from '../index.js';
import { jsonLogger } from '../log.js';
import { parseByteSize } from '../uploads/quota.js';
import { webhookSmsSender } from '../sms-webhook.js';
import { parseCipher } from '../crypto.js';
import { DATABASE_HELP, EXIT, UsageError, databaseOptions, defineCommand } from './command.js';

/**
 * `aqjb serve` (the default; also `aqjb-reference-server`): the reference API server. Logs one JSON line per event
 * to stdout, `listening` with its `url` first (`--port 0` picks a free port). Stops gracefully on SIGTERM/SIGINT:
 * requests in flight finish, then the database closes. Exit 1 when it cannot start (the log says why).
 */
/** Where `aqjb serve` listens without --host/--port (HOST, PORT); the staff commands' default --api. */
export const SERVE_DEFAULTS = { host: '127.0.0.1', port: '8080' } as const;

export const serve = defineCommand({
  name: 'serve',
  summary: '运行参考 API 服务器（默认命令）',
  usage: `Usage: aqjb serve [options]      (also: aqjb-reference-server [options])
  --port N              port to listen on (default ${SERVE_DEFAULTS.port}, or PORT; 0 = any free port: the "listening" line says which)
  --host H              address to bind (default ${SERVE_DEFAULTS.host}, or HOST)
${DATABASE_HELP}  --dev                 enable /dev/* (handling actions, SMS outbox) and a generated data key
  --allow-origin ORIGIN portal origin allowed by CORS (repeatable)
  --trust-proxy         one proxy of ours in front: the client is the right-most X-Forwarded-For entry
  --trusted-proxies L   CIDRs of our proxies, comma separated (10.0.0.0/8,fd00::/8; or AQJB_TRUSTED_PROXIES):
                        X-Forwarded-For is walked from the right past them when the peer is one of them
  --upload-quota SIZE   evidence kept in total, e.g. 50G (or AQJB_UPLOAD_QUOTA); beyond it new uploads get
                        507 STORAGE_FULL. Uploads are also refused when less than 1 GiB of disk would stay free
  --sms-webhook URL     deliver SMS verification codes by a signed POST to URL (or AQJB_SMS_WEBHOOK); the secret
                        is AQJB_SMS_WEBHOOK_SECRET (32+ characters). Without it (and without --dev) real-name
                        reporting answers 503 and citizens are pointed to anonymous reporting and 12350
  --cipher NAME         aes (default: AES-256-GCM) or sm4 (SM4 with HMAC-SM3, 商用密码; or AQJB_CIPHER) for new
                        reporter values, evidence files and lookup hashes; values under either keep opening, and
                        aqjb rotate-key with the same --cipher moves the rest
Environment: AQJB_DATA_KEY (32 bytes, base64) encrypts reporter fields at rest; required without --dev.
  AQJB_DATA_KEYS="new:<base64>,old:<base64>" instead, to rotate keys (current first; then run aqjb rotate-key).
  A key that does not open the database's key check is refused at start.
  AQJB_METRICS_TOKEN (32+ characters): GET /metrics answers only "Authorization: Bearer <token>"; without it,
  only a client on this machine's loopback that came through no proxy.
Exit: 0 stopped by SIGTERM/SIGINT, 1 could not start (see the start.failed line; a port in use or refused is also said on stderr),
  2 bad arguments.
`,
  options: (env) =>
    ({
      port: { type: 'string', default: env.PORT ?? SERVE_DEFAULTS.port },
      host: { type: 'string', default: env.HOST ?? SERVE_DEFAULTS.host },
      ...databaseOptions(env),
      dev: { type: 'boolean', default: false },
      'allow-origin': { type: 'string', multiple: true, default: [] },
      'trust-proxy': { type: 'boolean', default: false },
      'upload-quota': { type: 'string', default: env.AQJB_UPLOAD_QUOTA },
      'trusted-proxies': { type: 'string', default: env.AQJB_TRUSTED_PROXIES ?? '' },
      'sms-webhook': { type: 'string', default: env.AQJB_SMS_WEBHOOK },
      cipher: { type: 'string', default: env.AQJB_CIPHER },
    }) as const,
  async run(values, positionals, io) {
    if (positionals.length) throw new UsageError(`aqjb serve takes no arguments, got: ${positionals.join(' ')}`);
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65_535) throw new UsageError(`--port must be a port number from 0 to 65535, got: ${values.port}`);
    const uploadQuotaBytes = values['upload-quota'] ? parseByteSize(values['upload-quota']) : undefined;
    if (values['upload-quota'] && uploadQuotaBytes === undefined) {
      throw new UsageError('--upload-quota (AQJB_UPLOAD_QUOTA) must be a size such as 500M, 50G or 2T');
    }
    const log = jsonLogger((line) => void io.out.write(`${line}\n`));
    let server;
    try {
      server = await startServer({
        // Checks its settings at once: a misconfigured webhook stops the start, naming the fix and never the secret.
        smsSender: values['sms-webhook'] ? webhookSmsSender({ url: values['sms-webhook'], secret: io.env.AQJB_SMS_WEBHOOK_SECRET ?? '' }) : undefined,
        cipher: parseCipher(values.cipher),
        port,
        hostname: values.host,
        dataDir: values['data-dir'],
        databaseUrl: values['database-url'],
        dev: values.dev,
        allowOrigins: values['allow-origin'],
        trustProxy: values['trust-proxy'],
        uploadQuotaBytes,
        trustedProxies: values['trusted-proxies'].split(',').map((s) => s.trim()).filter(Boolean),
        logger: log,
      });
    } catch (error) {
      const refused = listenRefused(error, values.host, port);
      log('error', 'start.failed', { error: refused ?? (error as Error).message });
      // The operator at the terminal reads stderr; the JSON line above is for the log collector.
      if (refused) io.err.write(`${refused}\n`);
      return EXIT.failed;
    }
    log('info', 'listening', { url: server.url, database: server.sql.kind, dev: values.dev });
    const running = server;
    return new Promise<number>((resolve) => {
      const stop = (signal: string) => {
        log('info', 'stopping', { signal });
        running.close().then(
          () => resolve(EXIT.ok),
          () => resolve(EXIT.failed),
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
  },
});

/**
 * What the operator reads when the port cannot be had (the server emits these as errors, with a stack that says
 * nothing to an operator): which address, why, and the option or variable that picks another. Else undefined.
 */
function listenRefused(error: unknown, host: string, port: number): string | undefined {
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  if (syscall !== 'listen') return undefined;
  const at = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (code === 'EADDRINUSE') {
    return `无法在 ${at} 上监听：端口 ${port} 已被其他程序占用。请用 --port N（或环境变量 PORT）换一个端口，或先停止占用它的程序。
Cannot listen on ${at}: port ${port} is already in use. Choose another port with --port N (or the PORT environment variable), or stop the program that holds it.`;
  }
  if (code === 'EACCES') {
    return `无法在 ${at} 上监听：没有使用端口 ${port} 的权限（1024 以下的端口需要特权）。请用 --port N（或环境变量 PORT）换一个 1024 及以上的端口，由反向代理转发到它。
Cannot listen on ${at}: no permission to use port ${port} (ports below 1024 need privileges). Choose a port from 1024 up with --port N (or the PORT environment variable) and let a reverse proxy forward to it.`;
  }
  return undefined;
}
