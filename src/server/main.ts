import { parseArgs } from 'node:util';
import { startServer } from './index.js';
import { jsonLogger } from './log.js';
import { parseByteSize } from './uploads/quota.js';
import { webhookSmsSender } from './sms-webhook.js';
import { parseCipher } from './crypto.js';

/**
 * `aqjb-reference-server --port 8080 --data-dir ./data [--database-url postgres://…] [--dev] [--allow-origin https://portal]`
 * Stops gracefully on SIGTERM/SIGINT: requests in flight finish, then the database closes.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8080' },
    host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
    'data-dir': { type: 'string', default: process.env.AQJB_DATA_DIR ?? '.data' },
    'database-url': { type: 'string', default: process.env.DATABASE_URL },
    dev: { type: 'boolean', default: false },
    'allow-origin': { type: 'string', multiple: true, default: [] },
    'trust-proxy': { type: 'boolean', default: false },
    'upload-quota': { type: 'string', default: process.env.AQJB_UPLOAD_QUOTA },
    'trusted-proxies': { type: 'string', default: process.env.AQJB_TRUSTED_PROXIES ?? '' },
    'sms-webhook': { type: 'string', default: process.env.AQJB_SMS_WEBHOOK },
    cipher: { type: 'string', default: process.env.AQJB_CIPHER },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(`Usage: aqjb-reference-server [options]
  --port N              port to listen on (default 8080; 0 = any free port)
  --host H              address to bind (default 127.0.0.1)
  --data-dir DIR        PGlite files, uploads, dev key (default .data)
  --database-url URL    use PostgreSQL instead of PGlite (or DATABASE_URL)
  --dev                 enable /dev/* (handling actions, SMS outbox) and a generated data key
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
                        aqjb-rekey with the same --cipher moves the rest
Environment: AQJB_DATA_KEY (32 bytes, base64) encrypts reporter fields at rest; required without --dev.
  AQJB_DATA_KEYS="new:<base64>,old:<base64>" instead, to rotate keys (current first; then run aqjb-rekey).
  A key that does not open the database's key check is refused at start.
`);
  process.exit(0);
}

const log = jsonLogger();
function uploadQuota(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const bytes = parseByteSize(text);
  if (bytes === undefined) {
    log('error', 'start.failed', { error: '--upload-quota (AQJB_UPLOAD_QUOTA) must be a size such as 500M, 50G or 2T' });
    process.exit(1);
  }
  return bytes;
}

function cipher(text: string | undefined) {
  try {
    return parseCipher(text);
  } catch (error) {
    log('error', 'start.failed', { error: (error as Error).message });
    process.exit(1);
  }
}

function smsSender(url: string | undefined) {
  if (!url) return undefined;
  try {
    return webhookSmsSender({ url, secret: process.env.AQJB_SMS_WEBHOOK_SECRET ?? '' });
  } catch (error) {
    log('error', 'start.failed', { error: (error as Error).message }); // says what to fix, never the secret
    process.exit(1);
  }
}

try {
  const server = await startServer({
    smsSender: smsSender(values['sms-webhook']),
    cipher: cipher(values.cipher),
    port: Number(values.port),
    hostname: values.host,
    dataDir: values['data-dir'],
    databaseUrl: values['database-url'],
    dev: values.dev,
    allowOrigins: values['allow-origin'],
    trustProxy: values['trust-proxy'],
    uploadQuotaBytes: uploadQuota(values['upload-quota']),
    trustedProxies: values['trusted-proxies'].split(',').map((s) => s.trim()).filter(Boolean),
    logger: log,
  });
  log('info', 'listening', { url: server.url, database: server.sql.kind, dev: values.dev });
  const stop = (signal: string) => {
    log('info', 'stopping', { signal });
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
} catch (error) {
  log('error', 'start.failed', { error: (error as Error).message });
  process.exit(1);
}
