// Operator commands never work on a database of their own by mistake (#19.3): run without --database-url on a
// PostgreSQL deployment (or with the wrong --data-dir), aqjb rotate-key used to start an empty PGlite in the data
// dir and report "Every value was already under key …". Only aqjb migrate may start a new database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { run } from '../../src/server/cli/main.js';
import { freshDatabase, skipWithoutPostgres, tempDirs } from '../support/fresh-database.js';

const tempDir = tempDirs('aqjb-nodb-');
const KEYS = { AQJB_DATA_KEYS: `k1:${randomBytes(32).toString('base64')}` };

async function aqjb(args: string[], env: Record<string, string | undefined> = {}) {
  let out = '';
  let err = '';
  const code = await run(args, { out: { write: (t: string) => (out += t) }, err: { write: (t: string) => (err += t) }, env });
  return { code, out, err };
}

/** The refusal: exit 2, both ways to name the server's database, and nothing written. */
function assertRefused(r: { code: number; out: string; err: string }, what: string) {
  assert.equal(r.code, 2, `${what}: ${r.out}${r.err}`);
  assert.match(r.err, /--database-url/, what);
  assert.match(r.err, /DATABASE_URL/, what);
  assert.match(r.err, /aqjb migrate/, what);
  assert.doesNotMatch(r.out, /already under key|令牌编号|没有令牌/, what);
}

test('rotate-key and token create/list/revoke refuse a data dir without a database, and create nothing there', async () => {
  const dataDir = tempDir();
  const tokenFile = path.join(tempDir(), 'new.token');
  const db = ['--data-dir', dataDir];
  assertRefused(await aqjb(['rotate-key', ...db], KEYS), 'rotate-key');
  assertRefused(await aqjb(['token', 'list', ...db]), 'token list');
  assertRefused(await aqjb(['token', 'revoke', 'tk_0000000000', ...db]), 'token revoke');
  // A token created in a database the server never opens would only show up later, as a 401.
  assertRefused(await aqjb(['token', 'create', '--scope', '410105', '--role', 'handler', '--label', '金水区 经办', '--token-file', tokenFile, ...db]), 'token create');
  assert.ok(!existsSync(tokenFile), 'no token file left behind');
  assert.deepEqual(readdirSync(dataDir), [], 'no PGlite started in the data dir');
  // Nor a data dir that does not exist yet (the default .data on a PostgreSQL host).
  const absent = path.join(dataDir, 'data');
  assertRefused(await aqjb(['rotate-key', '--data-dir', absent], KEYS), 'rotate-key, no folder');
  assert.ok(!existsSync(absent));
});

test('aqjb migrate creates the database in a new data dir; the other commands then work on it', async () => {
  const dataDir = path.join(tempDir(), 'data');
  const db = ['--data-dir', dataDir];
  const migrated = await aqjb(['migrate', ...db]);
  assert.equal(migrated.code, 0, migrated.err);
  assert.match(migrated.out, /数据库已是最新：本次应用/);
  const list = await aqjb(['token', 'list', ...db]);
  assert.equal(list.code, 0, list.err);
  assert.match(list.out, /没有令牌/);
  const rotated = await aqjb(['rotate-key', ...db], KEYS);
  assert.equal(rotated.code, 0, rotated.err);
});

test('on PostgreSQL, rotate-key and token list/revoke refuse a database without our tables (a wrong name in the URL); token create sets it up', { skip: skipWithoutPostgres }, async () => {
  const databaseUrl = await freshDatabase();
  const db = ['--data-dir', tempDir(), '--database-url', databaseUrl];
  for (const args of [['rotate-key'], ['token', 'list'], ['token', 'revoke', 'tk_0000000000']]) {
    const r = await aqjb([...args, ...db], KEYS);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /没有 aqjb 的表/);
    assert.ok(!r.err.includes(databaseUrl), 'the URL and its password are not repeated');
  }
  // token create names its database on purpose: before the first serve it may set up a new one.
  const made = await aqjb(['token', 'create', '--scope', '410105', '--role', 'handler', '--label', '金水区 经办', ...db]);
  assert.equal(made.code, 0, made.err);
  const list = await aqjb(['token', 'list', ...db]);
  assert.equal(list.code, 0, list.err);
  assert.match(list.out, /410105 .*金水区 经办/);
  assert.equal((await aqjb(['migrate', ...db])).code, 0);
});

test('aqjb --help says which commands may start a database, and lists aqjb inbox', async () => {
  const r = await aqjb(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /serve 与 migrate 可新建数据库；token、rotate-key 只用已有的/);
  assert.match(r.out, /DATABASE_URL/);
  assert.match(r.out, /^ {2}inbox /m);
});
