// `aqjb inbox` (#19.2, #19.3): the staff inbox on a terminal, against the real reference server. How an operator
// checks a backfill (`aqjb inbox --from 2025-01-01 --status submitted`) and the 督办 view.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../../src/server/cli/main.js';
import { createClient } from '../../src/sdk/index.js';
import { createStaffClient } from '../../src/sdk/staff.js';
import { Inbox } from '../../src/sdk/schemas/staff.js';
import { createStaffToken } from '../../src/server/staff/index.js';
import type { StaffRole } from '../../src/sdk/schemas/staff.js';
import { anonymousDraft, readNotice, staffLetter, startTestServer, type TestServer } from '../support/reference-server.js';

let server: TestServer;
let dir: string;
// The server's clock: Monday 2026-03-02, 09:00 in Beijing.
before(async () => {
  server = await startTestServer();
  dir = mkdtempSync(path.join(tmpdir(), 'aqjb-inbox-'));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const tokenFor = async (scope: string, role: StaffRole) => (await createStaffToken(server.sql, { scope, role, label: `inbox ${scope}` })).token;

/** `aqjb inbox …` in-process; the token in AQJB_STAFF_TOKEN unless the arguments bring their own. */
async function inbox(args: string[], env: Record<string, string | undefined> = {}, api = server.url) {
  let out = '';
  let err = '';
  const code = await run(['inbox', ...args, '--api', api], { out: { write: (t: string) => (out += t) }, err: { write: (t: string) => (err += t) }, env });
  return { code, out, err, lines: out.split('\n').filter(Boolean) };
}

/** Letters the province's backfill token enters for 金水区, received at the given times. */
async function backfill(prefix: string, receivedAt: string[], regionCode = '410105') {
  const staff = createStaffClient({ baseUrl: server.url, token: await tokenFor('410000', 'backfill'), retry: 0 });
  const codes: string[] = [];
  for (const [i, at] of receivedAt.entries()) {
    const entry = staffLetter(`${prefix}-${i}`, { receivedAt: at, regionCode, subject: { name: `${prefix} 单位 ${i}`, address: '郑州市' } });
    codes.push((await staff.enterReport(entry)).reportCode);
  }
  return codes;
}

test('after a backfill, aqjb inbox --from --status submitted shows how many arrived: the counts first, then one line per report', async () => {
  const [a, b, c] = await backfill('jan', ['2025-01-06T02:00:00Z', '2025-01-07T02:00:00Z', '2025-01-08T17:00:00Z']);
  await backfill('dec', ['2024-12-30T02:00:00Z']); // before --from
  await backfill('erqi', ['2025-01-06T02:00:00Z'], '410103'); // 二七区: outside the county token's area
  const env = { AQJB_STAFF_TOKEN: await tokenFor('410105', 'handler') };
  assert.equal((await run(['handle', 'accept', a!, '--api', server.url], { out: { write: () => 0 }, err: { write: () => 0 }, env })), 0);

  const r = await inbox(['--from', '2025-01-01', '--to', '2025-01-31', '--status', 'submitted'], env);
  assert.equal(r.code, 0, r.err);
  // Counts: total under every filter; by status without --status; the accepted one is counted there, not listed.
  assert.match(r.lines[0]!, /^总数：2（已超期 2，即将到期 0）$/);
  assert.match(r.lines[1]!, /待受理 2 {2}已受理 1 {2}不予受理 0 .*已办结 0$/);
  assert.equal(r.lines.length, 4, r.out);
  // Newest first; received on its Beijing date (17:00Z on the 8th is the 9th in Beijing); far past its acceptance deadline.
  assert.match(r.lines[2]!, new RegExp(`^${c} {2}待受理 {2}2025-01-09 {2}郑州市金水区应急管理局 {2}受理期限 2025-01-14（已超期 \\d+ 个工作日） {2}jan 单位 2$`));
  assert.match(r.lines[3]!, new RegExp(`^${b} {2}待受理 {2}2025-01-07 {2}郑州市金水区应急管理局 {2}受理期限 \\S+（已超期 \\d+ 个工作日） {2}jan 单位 1$`));
  assert.ok(!r.out.includes('13800000000') && !r.out.includes('储罐区'), 'neither the reporter nor the description');

  // The city's read-only token sees the same reports and 二七区's too.
  const city = await inbox(['--from', '2025-01-01', '--to', '2025-01-31'], { AQJB_STAFF_TOKEN: await tokenFor('410100', 'read-only') });
  assert.equal(city.code, 0, city.err);
  assert.match(city.lines[0]!, /^总数：4（/);
  // 开封市 sees none of them.
  const kaifeng = await inbox(['--from', '2025-01-01', '--to', '2025-01-31'], { AQJB_STAFF_TOKEN: await tokenFor('410200', 'read-only') });
  assert.equal(kaifeng.code, 0, kaifeng.err);
  assert.match(kaifeng.out, /^总数：0（已超期 0，即将到期 0）\n.*\n（没有符合条件的举报）\n$/);
});

test('--all follows nextCursor to the end; without it the first page says how many are left; --json prints the raw pages', async () => {
  const codes = await backfill('feb', ['2025-02-03T02:00:00Z', '2025-02-04T02:00:00Z', '2025-02-05T02:00:00Z', '2025-02-06T02:00:00Z', '2025-02-07T02:00:00Z']);
  const file = path.join(dir, 'read-only.token');
  writeFileSync(file, `${await tokenFor('410105', 'read-only')}\n`, { mode: 0o600 });
  const window = ['--from', '2025-02-01', '--to', '2025-02-28', '--limit', '2', '--token-file', file];
  const listed = (out: string) => codes.filter((code) => out.includes(code));

  const first = await inbox(window);
  assert.equal(first.code, 0, first.err);
  assert.deepEqual(listed(first.out), codes.slice(3), 'the two newest');
  assert.match(first.out, /（已列出 2 件，共 5 件；加 --all 列出全部）\n$/);

  const all = await inbox([...window, '--all']);
  assert.equal(all.code, 0, all.err);
  assert.equal(listed(all.out).length, 5);
  assert.equal(all.out.match(/^总数：/gm)?.length, 1, 'the counts once');
  assert.ok(!all.out.includes('已列出'));
  assert.deepEqual(
    all.lines.slice(2).map((line) => line.split('  ')[0]),
    [...codes].reverse(),
    'newest first, each once',
  );

  const json = await inbox([...window, '--all', '--json']);
  assert.equal(json.code, 0, json.err);
  const pages = json.lines.map((line) => Inbox.parse(JSON.parse(line)));
  assert.equal(pages.length, 3);
  assert.deepEqual(pages.flatMap((p) => p.items.map((i) => i.reportCode)), [...codes].reverse());
  assert.ok(pages.every((p) => p.counts.total === 5));
  assert.equal(pages.at(-1)!.nextCursor, undefined);
});

test('the 督办 view: --due soon --days N and --due overdue, with the working days left', async () => {
  // Filed by a citizen now (Monday 2026-03-02): to be accepted by Thursday 2026-03-05, three working days on.
  const client = createClient({ baseUrl: server.url, retry: 0 });
  const draft = anonymousDraft(await readNotice(server, client), {
    regionCode: '410105',
    subject: { name: '某物流仓库', address: '郑州市金水区' },
    industry: 'building-materials',
    problemTypes: [{ code: 'violation' }],
    description: '仓库消防通道被货物堵塞。',
  });
  const { reportCode } = await client.submitReport(draft, { idempotencyKey: crypto.randomUUID() });
  const env = { AQJB_STAFF_TOKEN: await tokenFor('410105', 'read-only') };

  const soon = await inbox(['--due', 'soon', '--days', '3', '--from', '2026-03-01'], env);
  assert.equal(soon.code, 0, soon.err);
  assert.match(soon.lines[0]!, /^总数：1（已超期 0，即将到期 1）$/);
  assert.ok(soon.lines[2]!.startsWith(`${reportCode}  待受理  2026-03-02  郑州市金水区应急管理局  受理期限 2026-03-05（剩 3 个工作日）  某物流仓库`), soon.out);
  const sooner = await inbox(['--due', 'soon', '--days', '2', '--from', '2026-03-01'], env);
  assert.match(sooner.lines[0]!, /^总数：0（已超期 0，即将到期 0）$/);

  const overdue = await inbox(['--due', 'overdue', '--all'], env);
  assert.equal(overdue.code, 0, overdue.err);
  assert.ok(!overdue.out.includes(reportCode));
  assert.ok(overdue.lines.slice(2).every((line) => /已超期 \d+ 个工作日/.test(line)), overdue.out);
});

test('refusals: exit 1 with the server’s answer, exit 2 for bad arguments or no token (nothing sent)', async () => {
  const env = { AQJB_STAFF_TOKEN: await tokenFor('410105', 'handler') };
  const outside = await inbox(['--region', '410200'], env);
  assert.equal(outside.code, 1);
  assert.match(outside.err, /^403 FORBIDDEN/);
  for (const args of [['--status', 'lost'], ['--due', 'late'], ['--limit', '0'], ['--limit', '101'], ['--days', 'x'], ['--from', '2025-13-01'], ['extra']]) {
    const r = await inbox(args, env);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /aqjb inbox --help/);
    assert.equal(r.out, '');
  }
  const onArgv = await inbox(['--token', env.AQJB_STAFF_TOKEN]);
  assert.equal(onArgv.code, 2);
  assert.match(onArgv.err, /--token-file/);
  assert.ok(!onArgv.err.includes(env.AQJB_STAFF_TOKEN));
  assert.match((await inbox([])).err, /AQJB_STAFF_TOKEN/);
  // A server that is not there (a closed port): said so, exit 1.
  const gone = await inbox([], env, 'http://127.0.0.1:9/');
  assert.equal(gone.code, 1);
  assert.match(gone.err, /无法连接参考服务器/);
});
