/**
 * The published package as an operator meets it: `npm pack` of this checkout (its `prepare` script builds lib/),
 * installed into an empty folder, and README's operator commands run there by their installed names, PGlite in that
 * folder. Slow (pack ≈ 30 s, install ≈ 15–20 s, PGlite's first start 5–15 s on 2 cores): one file, one pack and one
 * install per run, the tests in order on one data directory.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { startThrowawayPostgres } from '../../scripts/support/postgres.js';
import { anonymousDraft, realNameDraft } from '../support/drafts.js';
import { CHROMIUM_ARGS, PHONE, Shots } from '../e2e/support/harness.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let work: string;
/** The operator's folder: the package installed, PGlite in ./data. */
let app: string;

// Nothing of the developer's environment leaks in: PGlite in ./data, no keys or tokens but the test's own.
const baseEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(AQJB_|DATABASE_URL$|PORT$|HOST$)/.test(name)),
) as Record<string, string>;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: string[], { cwd = app, env = {} as Record<string, string> } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: { ...baseEnv, ...env }, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** An installed command by the name npm linked it under, as `npx aqjb …` finds it. */
const bin = (name: string) => path.join(app, 'node_modules', '.bin', name);
const aqjb = (args: string[], env: Record<string, string> = {}) => exec(bin('aqjb'), args, { env });

const dataKey = randomBytes(32).toString('base64');

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'aqjb-package-'));
  const pack = await exec('npm', ['pack', '--silent', '--pack-destination', work], { cwd: repo, env: { ...process.env } as Record<string, string> });
  assert.equal(pack.code, 0, `npm pack failed:\n${pack.stderr}`);
  const tarball = path.join(work, pack.stdout.trim().split('\n').pop()!);
  app = path.join(work, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'operator', private: true }));
  // From npm's cache when it holds every dependency (≈ 14 s), else from the registry (≈ 18 s with a warm cache).
  const install = (mode: string) => exec('npm', ['install', mode, '--no-audit', '--no-fund', tarball], { env: { ...process.env } as Record<string, string> });
  let installed = await install('--offline');
  if (installed.code !== 0) installed = await install('--prefer-offline');
  assert.equal(installed.code, 0, `npm install of the tarball failed:\n${installed.stderr}`);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('npx aqjb --help lists every command, and each command answers --help', async () => {
  const help = await exec('npx', ['--no-install', 'aqjb', '--help']);
  assert.equal(help.code, 0, help.stderr);
  const commands = ['serve', 'token', 'handle', 'migrate', 'rotate-key', 'backfill'];
  for (const command of commands) assert.match(help.stdout, new RegExp(`^  ${command} `, 'm'));
  const helps = await Promise.all(commands.map((command) => aqjb([command, '--help'])));
  helps.forEach((own, i) => {
    assert.equal(own.code, 0, `${commands[i]} --help: ${own.stderr}`);
    assert.match(own.stdout, new RegExp(`aqjb ${commands[i]}`), commands[i]);
  });
  const server = await exec(bin('aqjb-reference-server'), ['--help']);
  assert.equal(server.code, 0, server.stderr);
  assert.match(server.stdout, /aqjb serve/);
  const unknown = await aqjb(['frobnicate']);
  assert.equal(unknown.code, 2);
});

test('aqjb migrate applies every migration once, naming each', async () => {
  const first = await aqjb(['migrate', '--data-dir', 'data']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^applied 001_core$/m);
  assert.match(first.stdout, /^applied 011_staff_roles$/m);
  const again = await aqjb(['migrate', '--data-dir', 'data']);
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stdout, /applied/);
  assert.match(again.stdout, /无需迁移/);
});

test('aqjb token create, list and revoke: any division with its names, a role, the token once or in a private file', async () => {
  const jinshui = await aqjb(['token', 'create', '--scope', '410105', '--role', 'handler', '--label', '金水区应急管理局 经办', '--token-file', 'jinshui.token', '--data-dir', 'data']);
  assert.equal(jinshui.code, 0, jinshui.stderr);
  assert.match(jinshui.stdout, /410105 河南省 郑州市 金水区（郑州市金水区应急管理局）/);
  assert.doesNotMatch(jinshui.stdout, /aqjbst_/, 'a token written to a file is not shown');
  assert.match(readFileSync(path.join(app, 'jinshui.token'), 'utf8'), /^aqjbst_[A-Za-z0-9_-]{32}\n$/);
  assert.equal(statSync(path.join(app, 'jinshui.token')).mode & 0o077, 0, 'readable by its owner only');

  const henan = await aqjb(['token', 'create', '--scope', '410000', '--role', 'backfill', '--label', '河南省厅 旧系统迁移', '--token-file', 'henan.token', '--data-dir', 'data']);
  assert.equal(henan.code, 0, henan.stderr);
  const supervision = await aqjb(['token', 'create', '--scope', '410100', '--role', 'read-only', '--label', '郑州市局 督办', '--data-dir', 'data']);
  assert.equal(supervision.code, 0, supervision.stderr);
  assert.match(supervision.stdout, /^aqjbst_[A-Za-z0-9_-]{32}$/m, 'without --token-file the token is printed once');
  const id = /令牌编号：([0-9a-f]{12})/.exec(supervision.stdout)![1]!;

  assert.equal((await aqjb(['token', 'revoke', id, '--data-dir', 'data'])).code, 0);
  const list = await aqjb(['token', 'list', '--data-dir', 'data']);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /handler\s+410105 河南省 郑州市 金水区\s+有效/);
  assert.match(list.stdout, /backfill\s+410000 河南省\s+有效/);
  assert.match(list.stdout, new RegExp(`${id}\\s+read-only\\s+410100 河南省 郑州市\\s+已吊销`));
  assert.doesNotMatch(list.stdout, /aqjbst_/);

  const unknown = await aqjb(['token', 'create', '--scope', '419999', '--role', 'handler', '--label', 'x', '--data-dir', 'data']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--scope/);
});

/**
 * Starts `aqjb serve` on a free port (no --dev: a data key, as in production) and waits for its address; `args` and
 * `env` add to the PGlite defaults (a `--database-url` there takes PostgreSQL instead).
 */
async function serve(
  args: string[] = ['--data-dir', 'data'],
  env: Record<string, string> = {},
): Promise<{ url: string; child: ChildProcess; stop(): Promise<number | null> }> {
  const child = spawn(bin('aqjb'), ['serve', '--port', '0', ...args], {
    cwd: app,
    env: { ...baseEnv, AQJB_DATA_KEY: dataKey, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  for await (const line of createInterface({ input: child.stdout! })) {
    const entry = JSON.parse(line) as { event: string; url?: string; error?: string };
    if (entry.event === 'start.failed') assert.fail(entry.error);
    if (entry.event === 'listening') {
      child.stdout!.resume();
      return { url: entry.url!, child, stop: () => (child.kill('SIGTERM'), exited) };
    }
  }
  throw new Error('aqjb serve ended before listening');
}

test('aqjb serve, then aqjb backfill enters a legacy export and aqjb handle accepts it', async () => {
  const server = await serve();
  try {
    const receivedAt = new Date(Date.now() - 3600_000).toISOString();
    writeFileSync(
      path.join(app, 'export.jsonl'),
      `${JSON.stringify({ id: 'JS-2026-0001', county: '410105', at: receivedAt, unit: '某建材厂', address: '金水区某路 8 号', text: '粉尘车间未设置除尘设施，工人未佩戴防护用品。' })}\n`,
    );
    // A province's own adapter, plain JavaScript beside the export.
    writeFileSync(
      path.join(app, 'adapter.js'),
      `export default {
  name: 'jinshui-letters',
  codePattern: /^JS-\\d{4}-\\d{4}$/,
  schemas: {},
  exportIdOf: (row) => row.id,
  fromExport: (row) => ({
    mode: 'anonymous', externalId: row.id, channel: 'letter', receivedAt: row.at, regionCode: row.county,
    subject: { name: row.unit, address: row.address }, industry: 'building-materials',
    problemTypes: [{ code: 'violation' }], description: row.text,
  }),
};
`,
    );
    const backfill = await aqjb(['backfill', '--from', 'export.jsonl', '--api', server.url, '--token-file', 'henan.token', '--adapter', './adapter.js']);
    assert.equal(backfill.code, 0, backfill.stderr);
    const result = JSON.parse(readFileSync(path.join(app, 'export.results.jsonl'), 'utf8').trim()) as { externalId: string; reportCode: string };
    assert.equal(result.externalId, 'JS-2026-0001');
    // The same adapter in TypeScript, in a folder whose package.json does not say "type": "module".
    writeFileSync(
      path.join(app, 'adapter.ts'),
      readFileSync(path.join(app, 'adapter.js'), 'utf8').replace('export default {', 'interface Row { id: string }\nexport default {').replace('(row) => row.id', '(row: Row) => row.id'),
    );
    writeFileSync(path.join(app, 'more.jsonl'), readFileSync(path.join(app, 'export.jsonl'), 'utf8').replace('JS-2026-0001', 'JS-2026-0002'));
    const typed = await aqjb(['backfill', '--from', 'more.jsonl', '--api', server.url, '--token-file', 'henan.token', '--adapter', './adapter.ts']);
    assert.equal(typed.code, 0, typed.stderr);

    // The token from the environment this time, as a service unit would pass it.
    const token = readFileSync(path.join(app, 'jinshui.token'), 'utf8').trim();
    const handle = await aqjb(['handle', 'accept', result.reportCode, '--api', server.url], { AQJB_STAFF_TOKEN: token });
    assert.equal(handle.code, 0, handle.stderr);
    assert.match(handle.stdout, new RegExp(`${result.reportCode}：accepted（郑州市金水区应急管理局）`));
    const again = await aqjb(['handle', 'accept', result.reportCode, '--api', server.url], { AQJB_STAFF_TOKEN: token });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /409 ILLEGAL_TRANSITION/);
  } finally {
    assert.equal(await server.stop(), 0, 'SIGTERM stops the server cleanly');
  }
});

test('aqjb rotate-key re-seals everything under the new key and retires the old one', async () => {
  const newKey = randomBytes(32).toString('base64');
  // A key first given as AQJB_DATA_KEY is listed without an id.
  const rotated = await aqjb(['rotate-key', '--data-dir', 'data'], { AQJB_DATA_KEYS: `k2:${newKey},${dataKey}` });
  assert.equal(rotated.code, 0, rotated.stderr);
  assert.match(rotated.stdout, /under key "k2"/);
  assert.match(rotated.stdout, /Retired/);
  const noKeys = await aqjb(['rotate-key', '--data-dir', 'data']);
  assert.equal(noKeys.code, 2);
  assert.match(noKeys.stderr, /AQJB_DATA_KEYS/);
});

// ---------------------------------------------------------------------------------------------------------------
// Production, end to end (#19): the installed package on PostgreSQL without --dev, SMS codes through the signed
// webhook, tokens for a county, its city and another city; the citizen files with the installed SDK and answers the
// supplement request on a page that loads the installed package's bundle, in Chromium.

type Sdk = typeof import('../../src/sdk/index.js');
type ServerModule = typeof import('../../src/server/index.js');

/** A module of the installed package, by its export name (`aqjb-embed/sdk`), resolved from the operator's folder. */
async function installed<T>(specifier: string): Promise<T> {
  return (await import(pathToFileURL(createRequire(path.join(app, 'package.json')).resolve(specifier)).href)) as T;
}

/** The province's SMS platform: checks each signed request and keeps the codes it would text. */
async function smsPlatform(secret: string, verify: ServerModule['verifySmsWebhook']) {
  const received: { phone: string; code: string; purpose: string }[] = [];
  const refused: string[] = [];
  const platform = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const signed = verify(secret, { timestamp: req.headers['x-aqjb-timestamp'] as string, signature: req.headers['x-aqjb-signature'] as string, body });
      if (!signed) {
        refused.push(body);
        return void res.writeHead(401).end();
      }
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => platform.listen(0, '127.0.0.1', resolve));
  const { port } = platform.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/sms`, received, refused, close: () => new Promise((r) => platform.close(r)) };
}

/** A portal page that embeds the installed package's bundle (dist/) with the lookup element. */
async function portal() {
  const dist = path.join(app, 'node_modules', 'aqjb-embed', 'dist');
  const page = (apiBase: string) => `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>举报查询</title><script type="module" src="/dist/aqjb-embed.js"></script>
<aqjb-progress-lookup api-base="${apiBase.replace(/[^\w:/.-]/g, '')}"></aqjb-progress-lookup></html>`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://portal');
    if (url.pathname === '/') {
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(url.searchParams.get('api') ?? ''));
    }
    const file = path.join(dist, path.normalize(url.pathname.replace(/^\/dist\//, '')));
    if (!url.pathname.startsWith('/dist/') || !file.startsWith(dist + path.sep)) return void res.writeHead(404).end();
    try {
      res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream' }).end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

/** The reading receipt confirmed once the server's 15 s have passed: it says how long to wait, and we wait that. */
async function readTheNotice(client: ReturnType<Sdk['createClient']>, sdk: Sdk): Promise<string> {
  const receipt = await client.startNoticeReceipt();
  for (;;) {
    try {
      return (await client.confirmNoticeReceipt(receipt)).ackToken;
    } catch (error) {
      if (!(error instanceof sdk.ApiError) || error.code !== 'NOTICE_TOO_EARLY' || error.retryAfterMs === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, error.retryAfterMs));
    }
  }
}

test('production from the tarball: PostgreSQL, no --dev, SMS by webhook; each bureau sees its own; handled to the end while the citizen answers on the lookup page', async () => {
  const cluster = await startThrowawayPostgres({ prefix: 'aqjb-package-pg-' });
  const db = ['--database-url', cluster.url];
  const sdk = await installed<Sdk>('aqjb-embed/sdk');
  const secret = randomBytes(24).toString('base64');
  const sms = await smsPlatform(secret, (await installed<ServerModule>('aqjb-embed/server')).verifySmsWebhook);
  // The page is served before the server starts (its origin goes into --allow-origin); it reads the API's address
  // from its own query string.
  const site = await portal();
  let server: Awaited<ReturnType<typeof serve>> | undefined;
  let browser: Browser | undefined;
  try {
    // Tokens for 金水区, 郑州市 and 开封市, each into its own file.
    for (const [name, scope] of [['jinshui', '410105'], ['zhengzhou', '410100'], ['kaifeng', '410200']] as const) {
      const made = await aqjb(['token', 'create', '--scope', scope, '--role', 'handler', '--label', `${name} 经办`, '--token-file', `pg-${name}.token`, ...db]);
      assert.equal(made.code, 0, made.stderr);
    }
    const tokenOf = (name: string) => readFileSync(path.join(app, `pg-${name}.token`), 'utf8').trim();
    server = await serve(['--data-dir', 'pg-data', ...db, '--sms-webhook', sms.url, '--allow-origin', site.origin], {
      AQJB_SMS_WEBHOOK_SECRET: secret,
    });
    const health = (await (await fetch(new URL('health', server.url))).json()) as { status: string; database: string };
    assert.deepEqual(health, { status: 'ok', database: 'postgres' });
    const dev = await fetch(new URL('dev/outbox', server.url));
    assert.equal(dev.status, 404, 'no /dev routes without --dev');

    // Two citizens read the notice at once (the server's 15 s), then file for 金水区: one anonymously, one under
    // their name with the code the platform received.
    const citizen = sdk.createClient({ baseUrl: server.url });
    const [anonymousAck, realNameAck] = await Promise.all([readTheNotice(citizen, sdk), readTheNotice(citizen, sdk)]);
    const phone = '13912345678';
    await citizen.sendSmsCode({ phone, ackToken: realNameAck });
    assert.deepEqual(sms.refused, []);
    const delivered = sms.received.find((m) => m.phone === phone);
    assert.ok(delivered, 'the platform received the code');
    const anonymous = await citizen.submitReport(anonymousDraft(anonymousAck, { regionCode: '410105' }), { idempotencyKey: randomUUID() });
    const realName = await citizen.submitReport(
      realNameDraft(realNameAck, { phone, smsCode: delivered.code }, { regionCode: '410105' }),
      { idempotencyKey: randomUUID() },
    );

    // Each bureau's inbox: the county and its city see both, the other city neither (404 for a direct read).
    const staff = (name: string) => sdk.createStaffClient({ baseUrl: server!.url, token: tokenOf(name) });
    const codes = [anonymous.reportCode, realName.reportCode].sort();
    for (const name of ['jinshui', 'zhengzhou']) {
      const inbox = await staff(name).inbox();
      assert.deepEqual(inbox.items.map((i) => i.reportCode).sort(), codes, name);
      assert.equal(inbox.counts.byStatus.submitted, 2);
    }
    assert.deepEqual((await staff('kaifeng').inbox()).items, []);
    await assert.rejects(staff('kaifeng').getReport(realName.reportCode), (e) => e instanceof sdk.ApiError && e.status === 404);
    assert.deepEqual((await staff('jinshui').getReport(realName.reportCode)).reporter, { name: '张三', phone });
    // The same view from the installed command, as README shows it for checking a backfill.
    const listed = await aqjb(['inbox', '--status', 'submitted', '--api', server.url, '--token-file', 'pg-zhengzhou.token']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^总数：2/m);
    for (const code of codes) assert.match(listed.stdout, new RegExp(`^${code}  待受理 `, 'm'));

    // 金水区 handles the real-name report with the installed command; the citizen answers on the lookup page.
    const handle = async (...args: string[]) => {
      const ran = await aqjb(['handle', ...args, '--api', server!.url], { AQJB_STAFF_TOKEN: tokenOf('jinshui') });
      assert.equal(ran.code, 0, `${args.join(' ')}: ${ran.stderr}`);
    };
    await handle('accept', realName.reportCode);
    await handle('request-supplement', realName.reportCode, '--request', '请补充储罐区报警器的位置。');

    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const page = await (await browser.newContext({ viewport: PHONE })).newPage();
    const shots = new Shots('production-lookup');
    await page.goto(`${site.origin}/?api=${encodeURIComponent(server.url)}`);
    const lookup = page.locator('aqjb-progress-lookup');
    await lookup.locator('[part~="code-input"]').fill(realName.reportCode);
    await lookup.locator('[part~="key-input"]').fill(realName.queryKey);
    await lookup.locator('[part~="submit-button"]').click();
    const supplement = lookup.locator('[part~="supplement"]');
    await supplement.locator('textarea#text').fill('报警器在东侧储罐区 2 号罐旁。');
    await shots.take(page, 'supplement-requested', { full: true });
    await supplement.locator('[part~="supplement-button"]').click();
    await lookup.locator('[part~="notice"]').waitFor();
    assert.match(await lookup.locator('[part~="notice"]').innerText(), /已收到您的补充材料/);

    await handle('verify', realName.reportCode);
    await handle('close', realName.reportCode, '--outcome', '举报属实，已责令整改', '--substantiated');
    await lookup.locator('[part~="refresh-button"]').click();
    await lookup.locator('[data-status-value]', { hasText: '已办结' }).waitFor();
    await shots.take(page, 'closed', { full: true });
    const steps = await lookup.locator('[part~="timeline"] li').evaluateAll((items) =>
      items.map((li) => [li.querySelector('.event-title')?.textContent?.trim(), li.querySelector('.event-org')?.textContent?.trim()]),
    );
    assert.deepEqual(steps.reverse(), [
      ['提交举报', '办理单位：郑州市金水区应急管理局'],
      ['已受理', '办理单位：郑州市金水区应急管理局'],
      ['请您补充材料', '办理单位：郑州市金水区应急管理局'],
      ['已收到补充材料', '办理单位：郑州市金水区应急管理局'],
      ['开始核查', '办理单位：郑州市金水区应急管理局'],
      ['已办结', '办理单位：郑州市金水区应急管理局'],
    ]);
  } finally {
    await browser?.close();
    if (server) assert.equal(await server.stop(), 0);
    await sms.close();
    await site.close();
    await cluster.idle().catch(() => {});
    cluster.stop();
  }
});
