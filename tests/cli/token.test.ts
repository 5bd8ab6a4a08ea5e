import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../../src/server/cli/main.js';
import { openPglite } from '../../src/server/db/pglite.js';
import type { Sql } from '../../src/server/db/sql.js';

let sql: Sql;
let dir: string;
before(async () => {
  sql = await openPglite();
  dir = mkdtempSync(path.join(tmpdir(), 'aqjb-token-'));
});
after(async () => {
  await sql.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `aqjb token …` in-process on the test's database. */
async function token(...args: string[]) {
  let out = '';
  let err = '';
  const code = await run(['token', ...args], { out: { write: (t: string) => (out += t) }, err: { write: (t: string) => (err += t) }, env: {}, sql });
  return { code, out, err };
}

const count = async () => Number((await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM staff_tokens')).rows[0]!.n);

test('--scope takes a province, prefecture or county code and names it; --role is one of the three', async () => {
  for (const [scope, shown] of [
    ['410000', '410000 河南省（河南省应急管理厅）'],
    ['410100', '410100 河南省 郑州市（郑州市应急管理局）'],
    ['410105', '410105 河南省 郑州市 金水区（郑州市金水区应急管理局）'],
  ] as const) {
    const r = await token('create', '--scope', scope, '--role', 'read-only', '--label', '督办');
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.includes(`区划：${shown}`), r.out);
  }
  const n = await count();
  for (const args of [
    ['--scope', '410199', '--role', 'handler', '--label', 'x'], // no such division
    ['--scope', '410105', '--role', 'admin', '--label', 'x'],
    ['--scope', '410105', '--label', 'x'], // a role must be chosen
    ['--scope', '410105', '--role', 'handler'], // and what the token is for
  ]) {
    const r = await token('create', ...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /aqjb token --help/);
  }
  assert.equal(await count(), n, 'nothing created by a refused command');
});

test('--province still works for one release, as a province-only --scope, with a notice; its tokens default to backfill', async () => {
  const r = await token('create', '--province', '410000', '--label', '河南省厅 旧系统迁移');
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /--province 已改名为 --scope/);
  assert.match(r.out, /角色：backfill/);
  assert.equal((await token('create', '--province', '410100', '--label', 'x')).code, 2);
});

test('--token-file writes a new private file and never overwrites one; the refused command creates no token', async () => {
  const file = path.join(dir, 'jinshui.token');
  const r = await token('create', '--scope', '410105', '--role', 'handler', '--label', '金水区 经办', '--token-file', file);
  assert.equal(r.code, 0, r.err);
  const written = readFileSync(file, 'utf8');
  assert.match(written, /^aqjbst_[A-Za-z0-9_-]{32}\n$/);
  assert.ok(!r.out.includes(written.trim()), 'not shown as well');

  const taken = path.join(dir, 'taken.token');
  writeFileSync(taken, 'someone else’s token\n');
  const n = await count();
  const again = await token('create', '--scope', '410105', '--role', 'handler', '--label', '金水区 经办', '--token-file', taken);
  assert.equal(again.code, 2);
  assert.match(again.err, /EEXIST/);
  assert.equal(readFileSync(taken, 'utf8'), 'someone else’s token\n');
  assert.equal(await count(), n);
});
