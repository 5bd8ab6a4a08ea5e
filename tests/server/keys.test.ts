/**
 * Data keys (finding 17.10): a server started with a key that does not open the database refuses to start; a sealed
 * value copied to another row does not open; keys rotate with a key id and `aqjb rotate-key`, which survives a crash.
 * Run on PGlite (a data directory) and, when AQJB_TEST_DATABASE_URL is set, on a fresh PostgreSQL database each.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { createClient } from '../../src/sdk/index.js';
import { createStaffClient } from '../../src/sdk/staff.js';
import { createStaffToken } from '../../src/server/staff/index.js';
import { openPglite } from '../../src/server/db/pglite.js';
import { openDatabase } from '../../src/server/db/open.js';
import type { Sql } from '../../src/server/db/sql.js';
import { migrate } from '../../src/server/db/migrate.js';
import { createSealer, derivedKid, sealedAt, type DataKey } from '../../src/server/crypto.js';
import { KeyCheckError, keyringFromEnv, openSealer, SEALED_COLUMNS, unregisteredSealedColumns } from '../../src/server/keys.js';
import { rekey } from '../../src/server/rekey.js';
import { devOutboxSender } from '../../src/server/sms.js';
import { anonymousDraft, readNotice, staffLetter, startTestServer, type TestServer } from '../support/reference-server.js';
import { ManualClock } from '../support/manual-clock.js';
import { skipWithoutPostgres, storageBackends, tempDirs } from '../support/fresh-database.js';

const tempDir = tempDirs('aqjb-keys-');
const backends = storageBackends(tempDir);

const letter = (externalId: string, name: string) => staffLetter(externalId, { reporter: { name, phone: '13800000000' } });

/** Files `names.length` real-name reports by letter through the staff API; returns their codes. */
async function fileLetters(server: TestServer, names: string[]): Promise<{ token: string; codes: string[] }> {
  const { token } = await createStaffToken(server.sql, { scope: '410000', role: 'handler', label: '河南省厅 密钥测试' });
  const staff = createStaffClient({ baseUrl: server.url, token, retry: 0 });
  const codes: string[] = [];
  for (const name of names) codes.push((await staff.enterReport(letter(`HN-${randomBytes(4).toString('hex')}`, name))).reportCode);
  return { token, codes };
}

/** What the staff read of each report says about its reporter (status and name). */
async function reporters(server: TestServer, token: string, codes: string[]) {
  const out: { status: number; name?: string }[] = [];
  for (const code of codes) {
    const response = await fetch(new URL(`staff/reports/${code}`, server.url), { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { reporter?: { name: string } };
    out.push({ status: response.status, ...(body.reporter ? { name: body.reporter.name } : {}) });
  }
  return out;
}

/** Every sealed value in the database, opened for its row with `keys`; throws when one does not open. */
async function openEverything(sql: Sql, keys: readonly DataKey[]): Promise<{ kids: Set<string>; count: number }> {
  const sealer = await openSealer(sql, keys);
  const kids = new Set<string>();
  let count = 0;
  for (const { table, column, key } of SEALED_COLUMNS) {
    const exists = await sql.query(
      'SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2',
      [table, column],
    );
    if (!exists.rows.length) continue;
    const { rows } = await sql.query<Record<string, string>>(
      `SELECT ${key.map((k, i) => `${k}::text AS k${i}`).join(', ')}, ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL`,
    );
    for (const row of rows) {
      sealer.open(row.v!, sealedAt(table, column, ...key.map((_, i) => row[`k${i}`]!)));
      kids.add(row.v!.split('.').slice(0, 2).join('.'));
      count++;
    }
  }
  return { kids, count };
}

/** The sealed format before key ids and row binding (`v1.`, no associated data), as an old database holds it. */
function sealV1(key: Uint8Array, plaintext: string): string {
  const encKey = createHmac('sha256', key).update('aqjb:encrypt:v1').digest();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encKey, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

const NAMES = ['张三', '李四', '王五', '赵六', '钱七'];

for (const backend of backends) {
  describe(`data keys on ${backend.name}`, { skip: backend.name === 'PostgreSQL' && skipWithoutPostgres }, () => {
    test('a server started with another key refuses the database; the right key still reads it', async () => {
      const where = await backend.open();
      const keyA = randomBytes(32);
      const keyB = randomBytes(32);
      let server = await startTestServer({ ...where, dataKey: keyA });
      const { token, codes } = await fileLetters(server, ['张三']);
      await server.close();

      await assert.rejects(startTestServer({ ...where, dataKey: keyB }), (error: Error) => {
        assert.ok(error instanceof KeyCheckError, String(error));
        assert.match(error.message, /does not open this database/);
        assert.match(error.message, /AQJB_DATA_KEY/);
        for (const key of [keyA, keyB]) assert.ok(!error.message.includes(key.toString('base64')));
        return true;
      });
      // As an operator meets it: the CLI says why and exits; it never listens, and never prints a key.
      const cli = await runServerCli(where, { AQJB_DATA_KEY: keyB.toString('base64') });
      assert.equal(cli.code, 1, cli.out);
      assert.match(cli.out, /"start\.failed".*does not open this database/);
      assert.doesNotMatch(cli.out, /"listening"/);
      for (const key of [keyA, keyB]) assert.ok(!cli.out.includes(key.toString('base64')));

      server = await startTestServer({ ...where, dataKey: keyA, clock: new ManualClock() });
      try {
        assert.deepEqual(await reporters(server, token, codes), [{ status: 200, name: '张三' }]);
      } finally {
        await server.close();
      }
    });

    test('rotation: the keyring B,A reads old values, rekey re-seals them, then B alone reads everything', async () => {
      const where = await backend.open();
      const a: DataKey = { kid: '2026a', key: randomBytes(32) };
      const b: DataKey = { kid: '2026b', key: randomBytes(32) };
      let server = await startTestServer({ ...where, dataKey: [a] });
      const { token, codes } = await fileLetters(server, NAMES.slice(0, 3));
      const citizen = createClient({ baseUrl: server.url, retry: 0 });
      await citizen.submitReport(anonymousDraft(await readNotice(server, citizen)), { idempotencyKey: crypto.randomUUID() });
      await server.close();

      // B alone does not know the values under A: refused, naming the key id it needs.
      await assert.rejects(startTestServer({ ...where, dataKey: [b] }), (e: Error) => e instanceof KeyCheckError && /"2026a"/.test(e.message));

      server = await startTestServer({ ...where, dataKey: [b, a], clock: new ManualClock() });
      const later = await fileLetters(server, NAMES.slice(3));
      const all = [...codes, ...later.codes];
      assert.deepEqual(
        (await reporters(server, token, all)).map((r) => r.name),
        NAMES,
      );
      await server.close();

      let sql = await openDatabase(where);
      try {
        await devOutboxSender(sql, await openSealer(sql, [b, a]), new ManualClock())('13800000000', '123456', { expiresAt: '2026-12-07T08:10:00.000Z' });
        assert.deepEqual([...(await openEverything(sql, [b, a])).kids].sort(), ['v2.2026a', 'v2.2026b']);
      } finally {
        await sql.close();
      }

      const cli = await runRekey(where, [b, a]);
      assert.equal(cli.code, 0, cli.err);
      assert.match(cli.out, /Retired "2026a"/);

      sql = await openDatabase(where);
      try {
        const opened = await openEverything(sql, [b]);
        assert.deepEqual([...opened.kids], ['v2.2026b']);
        assert.ok(opened.count >= NAMES.length * 2 + 2, `${opened.count} values`);
        // A second run has nothing to do.
        assert.equal((await rekey(sql, [b, a])).resealed, 0);
      } finally {
        await sql.close();
      }

      server = await startTestServer({ ...where, dataKey: [b], clock: new ManualClock() });
      try {
        assert.deepEqual(
          (await reporters(server, token, all)).map((r) => r.name),
          NAMES,
        );
      } finally {
        await server.close();
      }
    });

    test('a rekey that dies after its first batch leaves everything readable, and a second run finishes', async () => {
      const where = await backend.open();
      const a: DataKey = { kid: 'old', key: randomBytes(32) };
      const b: DataKey = { kid: 'new', key: randomBytes(32) };
      let server = await startTestServer({ ...where, dataKey: [a] });
      const { token, codes } = await fileLetters(server, NAMES);
      await server.close();

      let sql = await openDatabase(where);
      try {
        let batches = 0;
        await assert.rejects(
          rekey(sql, [b, a], {
            batchSize: 2,
            onBatch: () => {
              batches++;
              throw new Error('power cut');
            },
          }),
          /power cut/,
        );
        assert.equal(batches, 1);
        const halfway = await openEverything(sql, [b, a]);
        assert.deepEqual([...halfway.kids].sort(), ['v2.new', 'v2.old']);
        // Not finished: the old key is still needed.
        await assert.rejects(openSealer(sql, [b]), KeyCheckError);

        const second = await rekey(sql, [b, a], { batchSize: 2 });
        assert.deepEqual(second.retired, ['old']);
        assert.equal(second.remaining, 0);
        assert.deepEqual([...(await openEverything(sql, [b])).kids], ['v2.new']);
      } finally {
        await sql.close();
      }

      server = await startTestServer({ ...where, dataKey: [b], clock: new ManualClock() });
      try {
        assert.deepEqual(
          (await reporters(server, token, codes)).map((r) => r.name),
          NAMES,
        );
      } finally {
        await server.close();
      }
    });
  });
}

/** The server CLI on `where` with `env`; resolves when it exits. */
async function runServerCli(where: { dataDir: string; databaseUrl?: string }, env: Record<string, string>) {
  const args = ['--import', 'tsx', 'src/server/main.ts', '--port', '0', '--data-dir', where.dataDir];
  if (where.databaseUrl) args.push('--database-url', where.databaseUrl);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, AQJB_DATA_KEY: '', AQJB_DATA_KEYS: '', ...env } });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    if (out.includes('"listening"')) child.kill('SIGTERM'); // it should not have started: stop it, the test fails
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, out };
}

/** `aqjb rotate-key` as an operator runs it (the keyring in AQJB_DATA_KEYS). */
async function runRekey(where: { dataDir: string; databaseUrl?: string }, keys: DataKey[]) {
  const args = ['--import', 'tsx', 'src/server/rekey-main.ts', '--batch-size', '3', '--data-dir', where.dataDir];
  if (where.databaseUrl) args.push('--database-url', where.databaseUrl);
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      AQJB_DATA_KEY: '',
      AQJB_DATA_KEYS: keys.map((k) => `${k.kid}:${Buffer.from(k.key).toString('base64')}`).join(','),
    },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, out, err };
}

describe('sealed values are bound to their row', () => {
  test('a reporter value copied into another report does not open: the staff read answers 409, not the other person', async () => {
    const server = await startTestServer();
    try {
      const { token, codes } = await fileLetters(server, ['张三', '李四']);
      const [zhang, li] = codes as [string, string];
      await server.sql.query('UPDATE reports SET reporter_enc = (SELECT reporter_enc FROM reports WHERE code = $1) WHERE code = $2', [
        zhang,
        li,
      ]);
      const response = await fetch(new URL(`staff/reports/${li}`, server.url), { headers: { authorization: `Bearer ${token}` } });
      const text = await response.text();
      assert.equal(response.status, 409, text);
      assert.equal((JSON.parse(text) as { error: { code: string } }).error.code, 'INTEGRITY_FAILED');
      assert.ok(!text.includes('张三') && !text.includes('13800000000'));
      const audit = await server.sql.query<{ action: string; reason: string }>(
        'SELECT action, reason FROM staff_audit WHERE report_code = $1 ORDER BY id DESC LIMIT 1',
        [li],
      );
      assert.deepEqual(audit.rows[0], { action: 'deny', reason: 'unreadable' });
      // Zhang's own report still reads.
      assert.deepEqual(await reporters(server, token, [zhang]), [{ status: 200, name: '张三' }]);
    } finally {
      await server.close();
    }
  });

  test('every *_enc column of the schema is re-sealed by aqjb rotate-key', async () => {
    const sql = await openPglite();
    try {
      await migrate(sql);
      assert.deepEqual(await unregisteredSealedColumns(sql), []);
    } finally {
      await sql.close();
    }
  });
});

describe('a database from before key checks', () => {
  test('its v1 values open only under the key they were sealed with, until rekey binds them to their rows', async () => {
    const where = { dataDir: tempDir() };
    const keyA = randomBytes(32);
    let server = await startTestServer({ ...where, dataKey: keyA });
    const names = ['张三', '李四', '王五'];
    const { token, codes } = await fileLetters(server, names);
    await server.close();
    const v1Reporter = (i: number) => sealV1(keyA, JSON.stringify({ name: names[i], phone: '13800000000' }));

    // Make it what an upgraded database looks like: v1 values, no key checks.
    let sql = await openDatabase(where);
    try {
      await sql.query('DELETE FROM data_keys');
      for (const [i, code] of codes.entries()) await sql.query('UPDATE reports SET reporter_enc = $2 WHERE code = $1', [code, v1Reporter(i)]);
    } finally {
      await sql.close();
    }

    await assert.rejects(startTestServer({ ...where, dataKey: randomBytes(32) }), (e: Error) =>
      e instanceof KeyCheckError && /No configured data key opens/.test(e.message),
    );

    server = await startTestServer({ ...where, dataKey: keyA, clock: new ManualClock() });
    assert.deepEqual((await reporters(server, token, codes)).map((r) => r.name), names);
    await server.close();

    sql = await openDatabase(where);
    try {
      const result = await rekey(sql, keyA);
      assert.equal(result.resealed, 3);
      assert.equal(result.remaining, 0);
      // Bound now: Zhang's value copied over Li's no longer opens; a v1 value (Wang's own) is no longer accepted.
      await sql.query(`UPDATE reports SET reporter_enc = (SELECT reporter_enc FROM reports WHERE code = $1) WHERE code = $2`, [
        codes[0],
        codes[1],
      ]);
      await sql.query('UPDATE reports SET reporter_enc = $2 WHERE code = $1', [codes[2], v1Reporter(2)]);
    } finally {
      await sql.close();
    }
    server = await startTestServer({ ...where, dataKey: keyA, clock: new ManualClock() });
    try {
      assert.deepEqual(await reporters(server, token, codes), [{ status: 200, name: '张三' }, { status: 409 }, { status: 409 }]);
    } finally {
      await server.close();
    }
  });
});

test('AQJB_DATA_KEY keeps working, and the same key listed without an id in AQJB_DATA_KEYS is the same key id', () => {
  const old = randomBytes(32).toString('base64');
  const next = randomBytes(32).toString('base64');
  const single = keyringFromEnv({ AQJB_DATA_KEY: old });
  const ring = keyringFromEnv({ AQJB_DATA_KEYS: `2027a:${next}, ${old}` });
  assert.equal(single?.length, 1);
  assert.deepEqual(ring?.map((k) => k.kid), ['2027a', single![0]!.kid]);
  assert.equal(keyringFromEnv({}), undefined);
  for (const env of [
    { AQJB_DATA_KEY: old, AQJB_DATA_KEYS: `2027a:${next}` },
    { AQJB_DATA_KEYS: `2027a:${next},2027a:${old}` },
    { AQJB_DATA_KEYS: `bad.id:${next}` },
    { AQJB_DATA_KEYS: `2027a:${next.slice(0, 20)}` },
  ]) {
    assert.throws(
      () => keyringFromEnv(env),
      (e: Error) => !e.message.includes(next) && !e.message.includes(old),
    );
  }
});

test('without --cipher nothing changed (#19.4): AES-256-GCM v2 values built by hand open, new ones open by hand, lookups are HMAC-SHA256', () => {
  const key = randomBytes(32);
  const sealer = createSealer(key);
  const encKey = createHmac('sha256', key).update('aqjb:encrypt:v1').digest();
  const context = sealedAt('reports', 'reporter_enc', 'A1B2C3D4');
  const iv = randomBytes(12);
  const gcm = createCipheriv('aes-256-gcm', encKey, iv).setAAD(Buffer.from(context));
  const body = Buffer.concat([gcm.update('张三', 'utf8'), gcm.final()]);
  assert.equal(sealer.open(`v2.${derivedKid(key)}.${Buffer.concat([iv, gcm.getAuthTag(), body]).toString('base64')}`, context), '张三');

  const sealed = sealer.seal('李四', context);
  assert.match(sealed, new RegExp(`^v2\\.${derivedKid(key)}\\.`));
  const raw = Buffer.from(sealed.split('.')[2]!, 'base64');
  const open = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12)).setAAD(Buffer.from(context)).setAuthTag(raw.subarray(12, 28));
  assert.equal(Buffer.concat([open.update(raw.subarray(28)), open.final()]).toString('utf8'), '李四');

  const lookupKey = createHmac('sha256', key).update('aqjb:lookup:v1').digest();
  assert.equal(sealer.lookupHash('phone:13800000000'), createHmac('sha256', lookupKey).update('phone:13800000000').digest('hex'));
});
