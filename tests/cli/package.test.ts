/**
 * The published package as an operator meets it: `npm pack` of this checkout (its `prepare` script builds lib/),
 * installed into an empty folder, and README's operator commands run there by their installed names, PGlite in that
 * folder. Slow (pack ≈ 30 s, install ≈ 15–20 s, PGlite's first start 5–15 s on 2 cores): one file, one pack and one
 * install per run, the tests in order on one data directory.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

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

/** Starts `aqjb serve` on a free port (no --dev: a data key, as in production) and waits for its address. */
async function serve(): Promise<{ url: string; child: ChildProcess; stop(): Promise<number | null> }> {
  const child = spawn(bin('aqjb'), ['serve', '--port', '0', '--data-dir', 'data'], {
    cwd: app,
    env: { ...baseEnv, AQJB_DATA_KEY: dataKey },
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
